"""Roster import: a ward's own household list (CSV or .xlsx), previewed, then confirmed."""
