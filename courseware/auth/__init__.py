"""Accounts: sign-in, sign-out, joining a cohort, passwords, and who may see what."""
