"""Slow down PIN guessing: failures are counted per phone number and per network address.

The counts live in the database, so every worker process of the server sees the same ones.
An attempt is counted *before* its PIN is checked (`begin_attempt`), counting and writing under
one lock, so parallel attempts cannot all read "under the limit" before any of them is written:
at most `limit` attempts inside the window get a check, on SQLite and on PostgreSQL alike.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, or_, select, text

from hue_literacy.accounts.models import SignInFailure
from hue_literacy.clock import as_utc
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta
    max_per_phone: int
    max_per_address: int


def _keys(phone: str | None, address: str | None) -> list[tuple[str, int]]:
    return [(f"phone:{phone}", 0), (f"addr:{address}", 1)]


def _live_keys(policy: ThrottlePolicy, phone: str | None, address: str | None):
    limits = {0: policy.max_per_phone, 1: policy.max_per_address}
    return [(key, limits[kind]) for key, kind in _keys(phone, address)
            if not key.endswith(":None")]


@dataclass
class Attempt:
    """One counted attempt: allowed to be checked, or refused with the seconds to wait."""

    allowed: bool
    wait_seconds: int = 0
    row_ids: list[int] = field(default_factory=list)


def begin_attempt(
    policy: ThrottlePolicy, phone: str | None, address: str | None, now: datetime | None = None
) -> Attempt:
    """Count an attempt as a failure before it is checked; refuse it when that passes a limit.

    One short transaction on its own connection, apart from the request's session, holding
    the keys' lock from the count to the commit: SQLite has one writer at a time (the insert
    takes the lock), PostgreSQL takes an advisory lock per key. An allowed attempt's rows stay
    as its failure unless `forget_attempt` is called (right PIN); a refused one leaves nothing,
    so waiting does not lengthen the wait.
    """
    now = now or utcnow()
    keys = _live_keys(policy, phone, address)
    with db.engine.connect() as conn:  # three statements and a commit: every sign-in pays them
        if conn.dialect.name == "postgresql":
            ids = sorted(zlib.crc32(key.encode()) for key, _limit in keys)
            conn.execute(text("SELECT " + ", ".join(
                f"pg_advisory_xact_lock(:id{index})" for index in range(len(ids)))),
                {f"id{index}": lock for index, lock in enumerate(ids)})
        row_ids = list(conn.scalars(insert(SignInFailure).returning(SignInFailure.id),
                                    [{"key": key, "created_at": now} for key, _limit in keys]))
        counts = _counts(conn, [key for key, _limit in keys], now - policy.window)
        if all(counts.get(key, 0) <= limit for key, limit in keys):
            conn.commit()
            return Attempt(allowed=True, row_ids=row_ids)
        conn.execute(delete(SignInFailure).where(SignInFailure.id.in_(row_ids)))
        wait = _seconds_to_wait(conn, policy, phone, address, now)
        conn.rollback()
    return Attempt(allowed=False, wait_seconds=max(1, wait))


def forget_attempt(attempt: Attempt, phone: str | None = None) -> None:
    """Uncount an allowed attempt that was right; with `phone`, forget that phone's failures.

    In the request's own transaction (committed with the sign-in): should the request fail
    after this, the attempt stays counted as a failure, which only errs on the safe side.
    """
    counted = SignInFailure.id.in_(attempt.row_ids)
    db.session.execute(
        delete(SignInFailure).where(or_(counted, SignInFailure.key == f"phone:{phone}")
                                    if phone else counted),
        execution_options={"synchronize_session": False},  # no such rows in the session
    )


def _counts(conn, keys: list[str], since: datetime) -> dict[str, int]:
    """Failures inside the window, per key (one query for all the keys)."""
    return dict(conn.execute(
        select(SignInFailure.key, func.count()).where(
            SignInFailure.key.in_(keys), SignInFailure.created_at > since)
        .group_by(SignInFailure.key)
    ).all())


def seconds_to_wait(
    policy: ThrottlePolicy, phone: str | None, address: str | None, now: datetime | None = None
) -> int:
    """Seconds before another attempt is allowed for this phone or address (0: go ahead)."""
    return _seconds_to_wait(db.session, policy, phone, address, now or utcnow())


def _seconds_to_wait(
    executor, policy: ThrottlePolicy, phone: str | None, address: str | None, now: datetime
) -> int:
    wait = 0
    for key, limit in _live_keys(policy, phone, address):
        recent = list(
            executor.scalars(
                select(SignInFailure.created_at)
                .where(SignInFailure.key == key, SignInFailure.created_at > now - policy.window)
                .order_by(SignInFailure.created_at.desc())
                .limit(limit)
            )
        )
        if len(recent) >= limit:
            oldest = as_utc(recent[-1])
            wait = max(wait, math.ceil((oldest + policy.window - now).total_seconds()))
    return wait


def record_failure(phone: str | None, address: str | None, now: datetime | None = None) -> None:
    """Count one refused attempt against both the phone number and the address."""
    now = now or utcnow()
    for key, _kind in _keys(phone, address):
        if not key.endswith(":None"):
            db.session.add(SignInFailure(key=key, created_at=now))


def prune_failures(policy: ThrottlePolicy, now: datetime | None = None) -> int:
    """Delete failures older than the window; returns how many went."""
    now = now or utcnow()
    cutoff = now - policy.window
    count = db.session.scalar(
        select(func.count()).select_from(SignInFailure).where(SignInFailure.created_at <= cutoff)
    )
    db.session.execute(delete(SignInFailure).where(SignInFailure.created_at <= cutoff))
    return count or 0

