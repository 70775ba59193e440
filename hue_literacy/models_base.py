"""Small helpers shared by the models of every feature."""
from hue_literacy.clock import utcnow

__all__ = ["utcnow"]  # the callable column default (defined with the other time helpers)
