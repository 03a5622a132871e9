"""`make bench`: data at the size of a large body, HTTP under load beside the stack's own limit,
and the heavy in-process work beside a raw-SQL floor."""
