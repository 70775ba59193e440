"""Narration in a human voice: volunteers record each step, editors review, the player plays."""
