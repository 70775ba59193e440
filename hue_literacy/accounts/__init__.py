"""Accounts: sign-in by phone and PIN, roles, consent, personal-data export and deletion."""
