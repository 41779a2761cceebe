"""Accounts: staff users, customer portal users and invitations (``flask users ...``)."""
