"""Slow down PIN guessing: failures are counted per phone number and per network address.

A right PIN takes back the failures made on its phone number, from the address's count too:
a class signs in from behind one Wi-Fi, one address for everybody, and 30 slips of elderly
fingers in a quarter of an hour would otherwise lock the whole class out. What stays counted
against an address is the tries at numbers nobody then signed in to, which is what guessing
across many phones looks like.

The counts live in the database, so every worker process of the server sees the same ones.
An attempt is counted *before* its PIN is checked (`begin_attempt`), counting and writing in one
statement under one lock, so parallel attempts cannot all read "under the limit" before any of
them is written: at most `limit` attempts inside the window get a check, on SQLite and on
PostgreSQL alike.
"""
from __future__ import annotations

import functools
import math
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    union_all,
)

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

    One statement counts and writes (`_counted_attempt`), in a short transaction on its own
    connection, apart from the request's session. An allowed attempt's rows stay as its
    failure unless `forget_attempt` is called (right PIN); a refused one leaves nothing, so
    waiting does not lengthen the wait.
    """
    now = now or utcnow()
    keys = _live_keys(policy, phone, address)
    values = {"since": now - policy.window, "now": now, "phone": phone}
    for index, (key, limit) in enumerate(keys):
        values |= {f"key{index}": key, f"limit{index}": limit}
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            row_ids = _count_on_postgresql(conn, [key for key, _limit in keys], values)
        else:  # SQLite: the statement takes the database's one write lock before it reads
            row_ids = list(conn.scalars(_counted_attempt(len(keys)), values))
            conn.commit()
    if row_ids:
        return Attempt(allowed=True, row_ids=row_ids)
    wait = seconds_to_wait(policy, phone, address, now)
    return Attempt(allowed=False, wait_seconds=max(1, wait))


@functools.cache
def _counted_attempt(key_count: int):
    """INSERT one failure per key (`key0`, `key1`), each naming the `phone` tried, only if no
    key already has its limit (`limit0`, ...) of failures since `since`; RETURNING the new
    rows' ids (none: refused).
    Counting and writing in one statement, so parallel attempts cannot all read "under the
    limit" before any of them is written."""
    since = bindparam("since", type_=DateTime(timezone=True))
    full = or_(*[
        select(func.count()).where(SignInFailure.key == bindparam(f"key{index}", type_=String),
                                   SignInFailure.created_at > since)
        .scalar_subquery() >= bindparam(f"limit{index}", type_=Integer)
        for index in range(key_count)])
    rows = union_all(*[
        select(bindparam(f"key{index}", type_=String).label("key"),
               bindparam("phone", type_=String).label("phone"),
               bindparam("now", type_=DateTime(timezone=True)).label("created_at"))
        .where(~full) for index in range(key_count)])
    return (insert(SignInFailure).from_select(["key", "phone", "created_at"], rows)
            .returning(SignInFailure.id))


def lock_id(key: str) -> int:
    """The PostgreSQL advisory lock that attempts on `key` take."""
    return zlib.crc32(key.encode())


@functools.cache
def _postgresql_sql(dialect, key_count: int) -> str:
    """The attempt's statement as psycopg takes it (compiled once: a tenth of a sign-in)."""
    return str(_counted_attempt(key_count).compile(dialect=dialect))


def _count_on_postgresql(conn, keys: list[str], values: dict) -> list[int]:
    """The attempt under an advisory lock per key, sent with its lock and commit in one go.

    Each statement of a transaction sees what others committed before it began, so the count
    runs after the lock is held. All three go in one psycopg pipeline, so the lock is held
    for the server's fraction of a millisecond, not for three round trips: with every
    learner of a class behind one address, sign-ins queued on that address's lock while each
    holder's thread waited for its turn in a busy worker (bench/load_test.py: the lock was
    most of a sign-in's 200 ms while 20 phones a second signed in)."""
    locks = sorted(lock_id(key) for key in keys)
    raw = conn.connection.driver_connection  # psycopg 3 (config.py picks it for postgres://)
    with raw.pipeline():
        raw.execute("SELECT " + ", ".join(["pg_advisory_xact_lock(%s)"] * len(locks)), locks)
        inserted = raw.execute(_postgresql_sql(conn.dialect, len(keys)), values)
        raw.commit()
    return [row_id for (row_id,) in inserted.fetchall()]


def forget_attempt(attempt: Attempt, phone: str | None = None) -> None:
    """Uncount an allowed attempt that was right; with `phone`, forget every failure made on
    that phone number, against the phone and against the addresses it was tried from.

    In the request's own transaction (committed with the sign-in): should the request fail
    after this, the attempt stays counted as a failure, which only errs on the safe side.
    """
    db.session.execute(_forget_statement(bool(phone)),
                       {"ids": attempt.row_ids, "key": f"phone:{phone}", "phone": phone})


@functools.cache
def _forget_statement(with_phone: bool):
    """DELETE the rows `ids` (and, `with_phone`, every row of `key` or made on `phone`): on
    the table, not the class, since no such rows are in the session (the ORM's bulk delete
    was a twelfth of a sign-in's CPU, py-spy). Rows counted before failures named their
    phone (December 2026) are found by their key alone."""
    failures = SignInFailure.__table__
    counted = failures.c.id.in_(bindparam("ids", expanding=True))
    if not with_phone:
        return failures.delete().where(counted)
    return failures.delete().where(or_(counted, failures.c.key == bindparam("key"),
                                       failures.c.phone == bindparam("phone")))


def seconds_to_wait(
    policy: ThrottlePolicy, phone: str | None, address: str | None, now: datetime | None = None
) -> int:
    """Seconds before another attempt is allowed for this phone or address (0: go ahead)."""
    now = now or utcnow()
    wait = 0
    for key, limit in _live_keys(policy, phone, address):
        recent = list(
            db.session.scalars(
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
            db.session.add(SignInFailure(key=key, phone=phone, created_at=now))


def prune_failures(policy: ThrottlePolicy, now: datetime | None = None) -> int:
    """Delete failures older than the window; returns how many went."""
    now = now or utcnow()
    cutoff = now - policy.window
    count = db.session.scalar(
        select(func.count()).select_from(SignInFailure).where(SignInFailure.created_at <= cutoff)
    )
    db.session.execute(delete(SignInFailure).where(SignInFailure.created_at <= cutoff))
    return count or 0

