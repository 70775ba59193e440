"""Backups: one consistent file per run, named by schema revision and content release."""
