"""Learners as staff see them: register on a learner's behalf, edit, print a sign-in card."""
