"""Small helpers shared by the models of every feature."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware; used as a callable column default."""
    return datetime.now(UTC)
