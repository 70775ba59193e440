"""Staff accounts per ward: officials and ambassadors, set-up codes, deactivation, audit log."""
