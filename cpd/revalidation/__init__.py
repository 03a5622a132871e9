"""Revalidation: annual CPD declarations by registrants, and a random CPD audit with its outcomes."""
