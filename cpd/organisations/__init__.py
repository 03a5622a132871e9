"""Employers, universities and other organisations: their people, sharing of CPD standing by consent, and approved employer schemes."""
