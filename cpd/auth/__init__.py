"""Accounts: sign-up, sign-in, passwords and API tokens."""
