"""Versioned lesson content and the city's competency framework, loaded and validated as data."""
