"""A recorded narration of one lesson step, and who may record one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
REPLACED = "replaced"  # was approved; a newer recording of the step was approved since
STATUSES = (PENDING, APPROVED, REJECTED, REPLACED)


class NarrationRecording(db.Model):
    """One uploaded recording of a step's narration text, kept with the hash of that text.

    The file sits in NARRATION_DIR under `file_name`; `sha256` is the file's hash and
    `text_sha256` the hash of the step's narration text when it was recorded, so a later
    change of the text marks the recording stale instead of playing words the screen lost.
    """

    __tablename__ = "narration_recordings"
    __table_args__ = (
        Index("ix_narration_recordings_step", "lang", "lesson_id", "step_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(5))
    lesson_id: Mapped[str] = mapped_column(String(80))
    lesson_version: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str] = mapped_column(String(80))
    text_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(200), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def extension(self) -> str:
        return "mp4" if self.mime.startswith("audio/mp4") else "webm"

    def __repr__(self) -> str:
        return (f"<NarrationRecording {self.id} {self.lang}/{self.lesson_id}/{self.step_id} "
                f"{self.status}>")

