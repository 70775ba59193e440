"""Answer keys kept per lesson version, and the server's verdicts on synced answers.

The rules are in sync/judging.py; this module gives them the right answer key. The keys of
the release the server runs come from the content itself; the keys of every version the
server has run are kept in the `answer_keys` table (recorded before the first request an app
answers, see sync/views.py), so an answer made offline on an older version is still
judged against the key of that version. An answer to a version whose key was never recorded
stays unjudged and counts as not correct.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, tuple_, update

from hue_literacy.content.model import ScanStep
from hue_literacy.extensions import db
from hue_literacy.sync import judging
from hue_literacy.sync.models import AnswerKey, ProgressEvent

CANONICAL_LANG = "vi"  # lesson ids, versions, step ids and answers are the same in every language
ANSWERED = "step_answered"
RECORDED = "hue_answer_keys_recorded"  # app.extensions: content hash whose keys are recorded

KeyId = tuple[str, int, str]  # lesson id, lesson version, step id
Key = tuple[str, dict | None]  # step type, answer key

_release_keys: dict[str, dict[KeyId, Key]] = {}


def release_keys(release) -> Mapping[KeyId, Key]:
    """The answer key of every step of the release's lessons (cached by content hash)."""
    found = _release_keys.get(release.content_hash)
    if found is None:
        from hue_literacy.lessons.services import practice_payload

        found = {}
        for lesson in release.in_lang(CANONICAL_LANG).values():
            for step in lesson.steps:
                payload = None
                if isinstance(step, ScanStep) and step.qr.kind != "link":
                    payload = practice_payload(step, lambda code: "")
                found[(lesson.id, lesson.version, step.id)] = (
                    step.type, judging.answer_key(step, payload))
        if len(_release_keys) > 8:
            _release_keys.clear()
        _release_keys[release.content_hash] = found
    return found


def record_keys(release, connection: Connection) -> int:
    """Keep the answer keys of the release's lesson versions; return how many rows changed.

    A key already kept for the same lesson version is replaced when the content changed it
    without a new version (the running release is the truth for its own versions). Core
    statements on `connection`: two processes starting at once insert each key once.
    """
    keys = release_keys(release)
    table = AnswerKey.__table__
    pairs = sorted({(lesson_id, version) for lesson_id, version, _step in keys})
    kept = {
        (lesson_id, version, step_id): (step_type, key)
        for lesson_id, version, step_id, step_type, key in connection.execute(
            select(table.c.lesson_id, table.c.lesson_version, table.c.step_id,
                   table.c.step_type, table.c.key)
            .where(tuple_(table.c.lesson_id, table.c.lesson_version).in_(pairs))
        )
    } if pairs else {}
    new, changed = [], []
    for (lesson_id, version, step_id), (step_type, key) in keys.items():
        row = {"lesson_id": lesson_id, "lesson_version": version, "step_id": step_id,
               "step_type": step_type, "key": key}
        if (lesson_id, version, step_id) not in kept:
            new.append(row)
        elif kept[(lesson_id, version, step_id)] != (step_type, key):
            changed.append(row)
    if new:
        connection.execute(
            _insert(connection, table).on_conflict_do_nothing(
                index_elements=["lesson_id", "lesson_version", "step_id"]),
            new)
    for row in changed:
        connection.execute(
            update(table)
            .where(table.c.lesson_id == row["lesson_id"],
                   table.c.lesson_version == row["lesson_version"],
                   table.c.step_id == row["step_id"])
            .values(step_type=row["step_type"], key=row["key"]))
    return len(new) + len(changed)


def _insert(connection: Connection, table):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def ensure_recorded(release, state: MutableMapping[str, Any]) -> None:
    """Record the release's keys once per app (`state` is the app's extensions).

    In a transaction of its own, apart from the request's session.
    """
    if state.get(RECORDED) == release.content_hash:
        return
    with db.engine.begin() as connection:
        record_keys(release, connection)
    state[RECORDED] = release.content_hash


def kept_keys(pairs: Iterable[tuple[str, int]]) -> dict[KeyId, Key]:
    """The kept answer keys of some lesson versions, in one query."""
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    rows = db.session.execute(
        select(AnswerKey.lesson_id, AnswerKey.lesson_version, AnswerKey.step_id,
               AnswerKey.step_type, AnswerKey.key)
        .where(tuple_(AnswerKey.lesson_id, AnswerKey.lesson_version).in_(pairs))
    )
    return {(lesson, version, step): (step_type, key)
            for lesson, version, step, step_type, key in rows}


def keys_for(answers: Iterable[Mapping[str, Any]], release) -> tuple[dict[KeyId, Key], set]:
    """The keys the answers need, and the lesson versions for which keys are known."""
    current = release_keys(release)
    versions = {(lesson_id, version) for lesson_id, version, _step in current}
    older = {(a["lesson_id"], a["lesson_version"]) for a in answers} - versions
    keys = dict(current)
    kept = kept_keys(older)
    keys.update(kept)
    return keys, versions | {(lesson_id, version) for lesson_id, version, _step in kept}


def judge_rows(rows: list[dict], release) -> set[str]:
    """Put the server's verdict on each answer row to insert (the phone's flag is kept apart).

    Return the event ids of answers to a step their lesson version did not have (known
    from its kept keys): those are refused, not stored.
    """
    answers = [row for row in rows if row["kind"] == ANSWERED]
    keys, known_versions = keys_for(answers, release)
    unknown_steps = set()
    for row in rows:
        row["phone_correct"], row["judged"] = row["correct"], None
        if row["kind"] != ANSWERED:
            continue
        key_id = (row["lesson_id"], row["lesson_version"], row["step_id"])
        found = keys.get(key_id)
        if found is None and key_id[:2] in known_versions:
            unknown_steps.add(row["event_id"])
            continue
        verdict = judging.judge(*(found or ("", None)), row["answer"], row["phone_correct"])
        row["correct"], row["judged"] = verdict.correct, verdict.judged
    return unknown_steps


def judge_stored(release, chunk: int = 1000) -> int:
    """Judge the stored answers that have no verdict yet (e.g. made before judging existed).

    Return how many got a verdict; answers to versions whose key is unknown stay unjudged.
    """
    judged = 0
    last_id = 0
    while True:
        events = list(db.session.scalars(
            select(ProgressEvent)
            .where(ProgressEvent.kind == ANSWERED, ProgressEvent.judged.is_(None),
                   ProgressEvent.id > last_id)
            .order_by(ProgressEvent.id).limit(chunk)
        ))
        if not events:
            return judged
        last_id = events[-1].id
        keys, _known = keys_for(
            [{"lesson_id": e.lesson_id, "lesson_version": e.lesson_version} for e in events],
            release)
        for event in events:
            found = keys.get((event.lesson_id, event.lesson_version, event.step_id))
            if found is None:
                continue
            verdict = judging.judge(*found, event.answer, event.phone_correct)
            event.correct, event.judged = verdict.correct, verdict.judged
            judged += 1
        db.session.flush()


@dataclass(frozen=True)
class Disagreement:
    """An answer on which the phone's verdict and the server's differ."""

    lesson_id: str
    lesson_version: int
    step_id: str
    phone_correct: bool | None
    correct: bool | None
    occurred_at: datetime


def disagreements(learner_ids: Iterable[int], limit: int = 20) -> dict[int, list[Disagreement]]:
    """Each learner's answers judged otherwise than their phone said, newest first."""
    ids = list(learner_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ProgressEvent.learner_id, ProgressEvent.lesson_id, ProgressEvent.lesson_version,
               ProgressEvent.step_id, ProgressEvent.phone_correct, ProgressEvent.correct,
               ProgressEvent.occurred_at)
        .where(ProgressEvent.learner_id.in_(ids), ProgressEvent.kind == ANSWERED,
               ProgressEvent.judged.is_not(None),
               ProgressEvent.phone_correct.is_distinct_from(ProgressEvent.correct))
        .order_by(ProgressEvent.occurred_at.desc(), ProgressEvent.id.desc())
    )
    found: dict[int, list[Disagreement]] = defaultdict(list)
    for learner_id, *fields in rows:
        if len(found[learner_id]) < limit:
            found[learner_id].append(Disagreement(*fields))
    return dict(found)


def disagreement_counts(learner_ids: Iterable[int]) -> dict[int, int]:
    """How many answers of each learner the server judged otherwise than the phone."""
    ids = list(learner_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ProgressEvent.learner_id, func.count())
        .where(ProgressEvent.learner_id.in_(ids), ProgressEvent.kind == ANSWERED,
               ProgressEvent.judged.is_not(None),
               ProgressEvent.phone_correct.is_distinct_from(ProgressEvent.correct))
        .group_by(ProgressEvent.learner_id)
    )
    return dict(rows.all())
