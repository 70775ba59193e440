"""Slow down PIN guessing: failures are counted per phone number and per network address.

The counts live in the database, so every worker process of the server sees the same ones.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from hue_literacy.accounts.models import SignInFailure
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta
    max_per_phone: int
    max_per_address: int


def _keys(phone: str | None, address: str | None) -> list[tuple[str, int]]:
    return [(f"phone:{phone}", 0), (f"addr:{address}", 1)]


def seconds_to_wait(
    policy: ThrottlePolicy, phone: str | None, address: str | None, now: datetime | None = None
) -> int:
    """Seconds before another attempt is allowed for this phone or address (0: go ahead)."""
    now = now or utcnow()
    wait = 0
    limits = {0: policy.max_per_phone, 1: policy.max_per_address}
    for key, kind in _keys(phone, address):
        if key.endswith(":None"):
            continue
        limit = limits[kind]
        recent = list(
            db.session.scalars(
                select(SignInFailure.created_at)
                .where(SignInFailure.key == key, SignInFailure.created_at > now - policy.window)
                .order_by(SignInFailure.created_at.desc())
                .limit(limit)
            )
        )
        if len(recent) >= limit:
            oldest = _aware(recent[-1])
            wait = max(wait, math.ceil((oldest + policy.window - now).total_seconds()))
    return wait


def record_failure(phone: str | None, address: str | None, now: datetime | None = None) -> None:
    """Count one refused attempt against both the phone number and the address."""
    now = now or utcnow()
    for key, _kind in _keys(phone, address):
        if not key.endswith(":None"):
            db.session.add(SignInFailure(key=key, created_at=now))


def clear_failures(phone: str) -> None:
    """Forget a phone's failures after it signs in correctly."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.key == f"phone:{phone}"))


def prune_failures(policy: ThrottlePolicy, now: datetime | None = None) -> int:
    """Delete failures older than the window; returns how many went."""
    now = now or utcnow()
    cutoff = now - policy.window
    count = db.session.scalar(
        select(func.count()).select_from(SignInFailure).where(SignInFailure.created_at <= cutoff)
    )
    db.session.execute(delete(SignInFailure).where(SignInFailure.created_at <= cutoff))
    return count or 0


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC they were stored as."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
