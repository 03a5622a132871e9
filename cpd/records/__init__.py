"""The CPD record: the log, evidence, the development plan and the policies it is measured against."""
