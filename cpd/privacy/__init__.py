"""Personal data across every domain: a person's download of all we hold, erasure that keeps the
figures, and the audit log staff read. It sits above the domains and calls each one's own part."""
