"""Check and store a batch of progress events: each valid event is stored exactly once.

Every event is judged alone, so one malformed event never makes the valid ones in the same
batch fail. Duplicates (same client UUID) are answered "duplicate" and stored once, also when
two copies of a batch arrive at the same moment (INSERT ... ON CONFLICT DO NOTHING).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, text

from hue_literacy.clock import as_utc
from hue_literacy.dashboard import tallies
from hue_literacy.database import insert_on_conflict
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.sync import verdicts
from hue_literacy.sync.batch import BatchResult, unstorable
from hue_literacy.sync.models import ProgressEvent

MAX_BATCH = 500
CANONICAL_LANG = "vi"  # lesson ids, versions and step ids are the same in every language
MAX_ANSWER_BYTES = 500
EARLIEST = datetime(2025, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)  # phones' clocks are often wrong by hours

KINDS = {
    "lesson_started": False,  # kind -> needs a step id
    "step_viewed": True,
    "hint_used": True,
    "step_answered": True,
    "lesson_completed": False,
}

REASONS = {
    "not_an_object": _l("The event is not a JSON object."),
    "bad_id": _l("The event id must be a UUID."),
    "unknown_type": _l("Unknown event type."),
    "unknown_lesson": _l("There is no lesson with this id."),
    "bad_version": _l("The lesson version is not valid."),
    "unknown_step": _l("This lesson has no step with this id."),
    "bad_time": _l("The time of the event is missing or not valid."),
    "bad_correct": _l("An answer must say whether it was correct (true or false)."),
    "bad_hint": _l("hint_used must be true or false."),
    "answer_too_large": _l("The answer is too large."),
    "other_learner": _l("This event belongs to another learner."),
    "id_conflict": _l("This event id is already used by another learner."),
    "not_finite": _l("Numbers must be ordinary numbers: NaN and Infinity are not accepted."),
    "bad_text": _l("Text must not contain the NUL character."),
}


@dataclass
class EventResult:
    id: Any
    status: str  # stored | duplicate | refused
    reason: str | None = None

    def as_json(self) -> dict:
        data = {"id": self.id, "status": self.status}
        if self.reason:
            data["reason"] = self.reason
            data["message"] = str(REASONS[self.reason])
        return data


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_time(value: Any, now: datetime) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise Refused("bad_time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Refused("bad_time") from None
    moment = as_utc(moment)  # SQLite drops offsets: store every time in UTC
    if moment < EARLIEST or moment > now + FUTURE_SLACK:
        raise Refused("bad_time")
    return moment


def event_row(raw: Any, learner_id: int, release, now: datetime) -> dict:
    """Turn one raw event into a row to insert, or raise Refused with the reason."""
    if not isinstance(raw, dict):
        raise Refused("not_an_object")
    problem = unstorable(raw)
    if problem:
        raise Refused(problem)
    try:
        event_id = str(uuid.UUID(str(raw.get("id"))))
    except (ValueError, TypeError, AttributeError):
        raise Refused("bad_id") from None
    if "learner_id" in raw and raw["learner_id"] != learner_id:
        raise Refused("other_learner")
    kind = raw.get("type")
    if kind not in KINDS:
        raise Refused("unknown_type")
    lesson_id = raw.get("lesson_id")
    lesson = release.lesson(CANONICAL_LANG, lesson_id) if isinstance(lesson_id, str) else None
    if lesson is None:
        raise Refused("unknown_lesson")
    version = raw.get("lesson_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise Refused("bad_version")
    if not 1 <= version <= lesson.version:
        raise Refused("bad_version")
    step_id = raw.get("step_id")
    if KINDS[kind]:
        # Steps of older versions may be gone; only the current version can be checked.
        if not isinstance(step_id, str) or not step_id or len(step_id) > 80:
            raise Refused("unknown_step")
        if version == lesson.version and step_id not in {step.id for step in lesson.steps}:
            raise Refused("unknown_step")
    else:
        step_id = None
    correct = raw.get("correct")
    if kind == "step_answered":
        if not isinstance(correct, bool):
            raise Refused("bad_correct")
    else:
        correct = None
    hint_used = raw.get("hint_used", False)
    if not isinstance(hint_used, bool):
        raise Refused("bad_hint")
    answer = raw.get("answer")
    if answer is not None and len(json.dumps(answer)) > MAX_ANSWER_BYTES:
        raise Refused("answer_too_large")
    return {
        "event_id": event_id,
        "learner_id": learner_id,
        "kind": kind,
        "lesson_id": lesson_id,
        "lesson_version": version,
        "step_id": step_id,
        "correct": correct,
        "hint_used": hint_used,
        "answer": answer,
        "occurred_at": parse_time(raw.get("occurred_at"), now),
        "received_at": now,
    }


def store_batch(learner_id: int, events: list, release, tz: tzinfo,
                now: datetime | None = None) -> BatchResult:
    """Store the valid events of a batch once each; answer for every event in order.

    Answers are stored with the server's verdict (sync/judging.py), not the phone's. The
    dashboards' running totals count the inserted events in the same transaction (months in
    Hue's calendar, `tz`).
    """
    now = now or utcnow()
    batch = BatchResult()
    rows: dict[str, dict] = {}
    for raw in events:
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            row = event_row(raw, learner_id, release, now)
        except Refused as refused:
            batch.results.append(EventResult(raw_id, "refused", refused.reason))
            continue
        if row["event_id"] in rows:
            batch.results.append(EventResult(row["event_id"], "duplicate"))
            continue
        rows[row["event_id"]] = row
        batch.results.append(EventResult(row["event_id"], "pending"))

    for event_id in verdicts.judge_rows(list(rows.values()), release):
        del rows[event_id]
    for result in batch.results:
        if result.status == "pending" and result.id not in rows:
            result.status, result.reason = "refused", "unknown_step"
    inserted = insert_new(list(rows.values()))
    tallies.record_events(learner_id, (rows[event_id] for event_id in sorted(inserted)),
                          release, tz)
    owners = existing_owners(set(rows) - inserted)
    for result in batch.results:
        if result.status != "pending":
            continue
        if result.id in inserted:
            result.status = "stored"
        elif owners.get(result.id) == learner_id:
            result.status = "duplicate"
        else:
            result.status, result.reason = "refused", "id_conflict"
    return batch


def insert_new(rows: list[dict]) -> set[str]:
    """Insert rows whose event_id is new; return the ids actually inserted."""
    if not rows:
        return set()
    if db.session.get_bind().dialect.name == "postgresql":
        return _insert_new_postgresql(rows)
    # The rows go as parameters of one cached statement (SQLAlchemy sends them in batches of
    # VALUES): building a statement with the rows inside compiled ~1,300 parameters a batch
    # and was most of a sync request's CPU time.
    statement = (
        insert_on_conflict(ProgressEvent)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProgressEvent.event_id)
    )
    return set(db.session.scalars(statement, rows))


_COLUMNS = ("event_id", "learner_id", "kind", "lesson_id", "lesson_version", "step_id",
            "correct", "phone_correct", "judged", "hint_used", "answer", "occurred_at",
            "received_at")
_UNNEST_INSERT = text("""
INSERT INTO progress_events (event_id, learner_id, kind, lesson_id, lesson_version, step_id,
                             correct, phone_correct, judged, hint_used, answer, occurred_at,
                             received_at)
SELECT event_id, learner_id, kind, lesson_id, lesson_version, step_id, correct, phone_correct,
       judged, hint_used, answer::json, occurred_at, received_at
FROM unnest(CAST(:event_id AS varchar[]), CAST(:learner_id AS integer[]),
            CAST(:kind AS varchar[]), CAST(:lesson_id AS varchar[]),
            CAST(:lesson_version AS integer[]), CAST(:step_id AS varchar[]),
            CAST(:correct AS boolean[]), CAST(:phone_correct AS boolean[]),
            CAST(:judged AS varchar[]), CAST(:hint_used AS boolean[]), CAST(:answer AS text[]),
            CAST(:occurred_at AS timestamptz[]), CAST(:received_at AS timestamptz[]))
     AS batch (event_id, learner_id, kind, lesson_id, lesson_version, step_id, correct,
               phone_correct, judged, hint_used, answer, occurred_at, received_at)
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id
""")


def _insert_new_postgresql(rows: list[dict]) -> set[str]:
    """The rows as one array per column, unnested by PostgreSQL in one short statement.

    Why: with a VALUES list of 100 rows the driver rewrote a 1,300-placeholder query for
    every batch (too long for its cache): a third of a sync request's CPU time. Answers are
    stored as JSON text the way the JSON column writes them (None as JSON null).
    """
    columns = {name: [row[name] for row in rows] for name in _COLUMNS}
    columns["answer"] = [json.dumps(answer) for answer in columns["answer"]]
    return set(db.session.scalars(_UNNEST_INSERT, columns))


def existing_owners(event_ids: set[str]) -> dict[str, int]:
    if not event_ids:
        return {}
    found = db.session.execute(
        select(ProgressEvent.event_id, ProgressEvent.learner_id).where(
            ProgressEvent.event_id.in_(event_ids)
        )
    )
    return {event_id: learner_id for event_id, learner_id in found}


def export_events(user) -> tuple[str, list[dict]]:
    """The learner's progress events for their personal-data download.

    Events stay after an account is deleted: once the account row is anonymous they are
    only the ward's anonymous counts (answers never hold what a learner typed).
    """
    return "progress_events", [
        {
            "id": event.event_id,
            "type": event.kind,
            "lesson_id": event.lesson_id,
            "lesson_version": event.lesson_version,
            "step_id": event.step_id,
            "correct": event.correct,
            "phone_correct": event.phone_correct,
            "hint_used": event.hint_used,
            "answer": event.answer,
            "occurred_at": event.occurred_at.isoformat(),
        }
        for event in events_of(user.id)
    ]


def events_of(learner_id: int) -> list[ProgressEvent]:
    """A learner's events, oldest first (for data export and progress)."""
    return list(
        db.session.scalars(
            select(ProgressEvent)
            .where(ProgressEvent.learner_id == learner_id)
            .order_by(ProgressEvent.occurred_at, ProgressEvent.id)
        )
    )
