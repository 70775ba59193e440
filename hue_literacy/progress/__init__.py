"""Learner progress and mastery: the "My progress" page and the progress API."""
