"""Running totals of the dashboards, kept in step with the events so pages never scan them.

Two kinds of table. Per-learner markers say what has already been counted (a learner's active
months, lessons completed, holding a valid certificate): inserting a marker with ON CONFLICT DO
NOTHING tells whether an event is the first of its kind, so duplicates and retries count once.
Per-ward counters hold the figures the officials see, changed by `n = n + delta` in the same
transaction as the events (dashboard/tallies.py). `flask dashboard rebuild` recomputes them all
from the events; `TallyBuild` says which totals have been built, and pages count live until then.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow


class LearnerMonth(db.Model):
    """A learner was active (any progress event) in a month of Hue's calendar."""

    __tablename__ = "tally_learner_months"

    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day

    def __repr__(self) -> str:
        return f"<LearnerMonth {self.learner_id} {self.month:%Y-%m}>"


class LessonDone(db.Model):
    """A learner completed a lesson (at any version), counted once."""

    __tablename__ = "tally_lessons_done"
    # Who completed every lesson of a profile (the certificates page): by lesson, then learner.
    __table_args__ = (Index("ix_tally_lessons_done_lesson_learner", "lesson_id", "learner_id"),)

    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(80), primary_key=True)

    def __repr__(self) -> str:
        return f"<LessonDone {self.learner_id} {self.lesson_id}>"


class CertifiedLearner(db.Model):
    """A learner holding at least one valid certificate, counted in their ward and group."""

    __tablename__ = "tally_certified_learners"

    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    def __repr__(self) -> str:
        return f"<CertifiedLearner {self.learner_id}>"


class WardActivity(db.Model):
    """Learners of a ward and group active in a month."""

    __tablename__ = "tally_ward_activity"

    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    group: Mapped[str] = mapped_column(String(30), primary_key=True)  # "" for no group
    learners: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<WardActivity {self.ward_id} {self.month:%Y-%m} {self.group}: {self.learners}>"


class WardCertified(db.Model):
    """Learners of a ward and group holding a valid certificate."""

    __tablename__ = "tally_ward_certified"

    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), primary_key=True)
    group: Mapped[str] = mapped_column(String(30), primary_key=True)
    learners: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<WardCertified {self.ward_id} {self.group}: {self.learners}>"


class WardCompletion(db.Model):
    """Learners of a ward who completed every lesson of one / of every competency of a set
    (an area or a basic skill), for one `basis`: the sets and their lessons in the content."""

    __tablename__ = "tally_ward_completions"

    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), primary_key=True)
    basis: Mapped[str] = mapped_column(String(16), primary_key=True)
    set_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    some: Mapped[int] = mapped_column(Integer, default=0)
    every: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<WardCompletion {self.ward_id} {self.set_key}: {self.some}/{self.every}>"


class TallyBuild(db.Model):
    """A kind of total recomputed from the events by `flask dashboard rebuild`, and when."""

    __tablename__ = "tally_builds"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<TallyBuild {self.name}>"
