"""Wards of Hue City: data, not code."""
