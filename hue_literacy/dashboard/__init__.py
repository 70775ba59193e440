"""The ward officials dashboard: coverage of a ward and of the city, charts, CSV."""
