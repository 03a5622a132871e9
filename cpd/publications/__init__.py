"""Publications the body issues, and members reading them as CPD."""
