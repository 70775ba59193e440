"""Community classes: a session at a ward venue, who joined it, and practical assessments.

Indexes for the lead's migration: class_sessions.ward_id, class_sessions.join_code (unique),
class_attendances (class_session_id, learner_id) unique + learner_id,
assessments (learner_id, competency_id, assessed_on) + class_session_id.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.wards.models import Ward


class Result(enum.StrEnum):
    """What the assessor saw the learner do."""

    ALONE = "alone"
    WITH_HELP = "with_help"
    NOT_YET = "not_yet"


class ClassSession(db.Model):
    """A class an ambassador or official holds at a venue of their ward on one day.

    Learners join it by scanning the QR code of `/classes/join/<join_code>`.
    """

    __tablename__ = "class_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), index=True)
    venue: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    ward: Mapped[Ward] = relationship()
    opened_by: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def __repr__(self) -> str:
        return f"<ClassSession {self.id} {self.join_code} {self.starts_on}>"


class ClassAttendance(db.Model):
    """A learner who joined a class (once per class, however often they scan)."""

    __tablename__ = "class_attendances"
    __table_args__ = (UniqueConstraint("class_session_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    learner: Mapped[User] = relationship()
    class_session: Mapped[ClassSession] = relationship()

    def __repr__(self) -> str:
        return f"<ClassAttendance {self.class_session_id} {self.learner_id}>"


class Assessment(db.Model):
    """A practical assessment of one competency, observed by an ambassador or official.

    Every assessment is kept; the latest one of a learner and competency counts.
    """

    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_learner_competency", "learner_id", "competency_id", "assessed_on"),
        # the certificates page counts who did which competency alone from it alone
        Index("ix_assessments_result_competency_learner", "result", "competency_id",
              "learner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    competency_id: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessed_on: Mapped[date] = mapped_column(Date)
    class_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("class_sessions.id"), index=True
    )
    framework_id: Mapped[str] = mapped_column(String(40))
    framework_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    assessor: Mapped[User] = relationship(foreign_keys=[assessor_id])
    class_session: Mapped[ClassSession | None] = relationship()

    @property
    def alone(self) -> bool:
        return self.result == Result.ALONE

    def __repr__(self) -> str:
        return f"<Assessment {self.learner_id} {self.competency_id} {self.result}>"
