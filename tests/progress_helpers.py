"""Progress events for tests: answers, completions and whole lessons done well."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hue_literacy.extensions import db
from hue_literacy.sync.models import ProgressEvent


def event(learner, kind: str, lesson_id: str, at: datetime, step_id: str | None = None,
          correct: bool | None = None, hint: bool = False, version: int = 1) -> ProgressEvent:
    row = ProgressEvent(
        event_id=str(uuid.uuid4()), learner_id=learner.id, kind=kind, lesson_id=lesson_id,
        lesson_version=version, step_id=step_id, correct=correct, hint_used=hint,
        occurred_at=at,
    )
    db.session.add(row)
    return row


def wrong_answers(learner, lesson_id: str, step_id: str, count: int, start: datetime) -> None:
    for index in range(count):
        event(learner, "step_answered", lesson_id, start + timedelta(minutes=index), step_id,
              correct=False)


def master_lesson(learner, lesson, at: datetime | None = None, tries: int = 2) -> None:
    """Answer every practice step right `tries` times, then complete the lesson."""
    at = at or datetime.now(UTC) - timedelta(hours=1)
    for attempt in range(tries):
        for index, step in enumerate(s for s in lesson.steps if s.practice):
            moment = at + timedelta(minutes=attempt * 10 + index)
            event(learner, "step_answered", lesson.id, moment, step.id, correct=True,
                  version=lesson.version)
    event(learner, "lesson_completed", lesson.id, at + timedelta(minutes=tries * 10),
          version=lesson.version)


def right_answer(step) -> dict:
    """The answer the player (static/js/steps.js, scanner.js) sends for a right try."""
    from hue_literacy.content.model import ChoiceStep, FormStep, OrderStep, ScamStep, TapStep

    if isinstance(step, ChoiceStep):
        return {"option": step.correct_option.id}
    if isinstance(step, TapStep):
        return {"element": step.target}
    if isinstance(step, OrderStep):
        return {"order": [item.id for item in step.items]}
    if isinstance(step, ScamStep):
        return {"found": [line.id for line in step.flagged][: step.find]}
    if isinstance(step, FormStep):
        return {"wrong_fields": []}
    return {"method": "typed", "code": step.code}  # scan
