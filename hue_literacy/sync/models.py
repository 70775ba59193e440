"""The ProgressEvent table: one row per answer, step, hint or completion made on a phone."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow


class ProgressEvent(db.Model):
    """A learner's action in a lesson, keyed by the UUID the phone gave it.

    Stored against the stable lesson id and the lesson version it was made on, so progress
    made before a lesson changed stays valid and visible.
    """

    __tablename__ = "progress_events"
    __table_args__ = (
        Index("ix_progress_events_learner_lesson", "learner_id", "lesson_id", "occurred_at"),
        # the dashboard's counts read these indexes alone, not the events' rows
        Index("ix_progress_events_kind_learner_lesson", "kind", "learner_id", "lesson_id"),
        Index("ix_progress_events_occurred_learner", "occurred_at", "learner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    lesson_id: Mapped[str] = mapped_column(String(80))
    lesson_version: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str | None] = mapped_column(String(80))
    # `correct` is the server's verdict, the one progress and certificates count (None: not
    # judged, counts as not correct); `phone_correct` is what the phone said, kept to show
    # staff where the two disagree. `judged`: "server" (against the lesson version's answer
    # key), "phone" (form steps: typed values stay on the phone), None (no key known).
    correct: Mapped[bool | None] = mapped_column(Boolean)
    phone_correct: Mapped[bool | None] = mapped_column(Boolean)
    judged: Mapped[str | None] = mapped_column(String(10))
    hint_used: Mapped[bool] = mapped_column(Boolean, default=False)
    answer: Mapped[dict | list | str | None] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<ProgressEvent {self.event_id} {self.kind} {self.lesson_id}>"


class AnswerKey(db.Model):
    """The right answer of one step of one lesson version, kept after the lesson changes.

    Recorded from every content release the server runs, so an answer made offline on
    yesterday's version is still judged against yesterday's key.
    """

    __tablename__ = "answer_keys"
    __table_args__ = (UniqueConstraint("lesson_id", "lesson_version", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(80))
    lesson_version: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str] = mapped_column(String(80))
    step_type: Mapped[str] = mapped_column(String(20))
    key: Mapped[dict | None] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<AnswerKey {self.lesson_id} v{self.lesson_version} {self.step_id}>"
