"""One-time set-up codes for new staff and the audit log of every staff change."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow


class SetupCode(db.Model):
    """A one-time code (printed or sent as a link) with which a staff member chooses their
    own password; only its hash is kept, and a new code replaces the older ones."""

    __tablename__ = "staff_setup_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<SetupCode {self.id} user={self.user_id}>"


class StaffAuditEntry(db.Model):
    """Who changed which staff account, how and when; read per ward by its officials."""

    __tablename__ = "staff_audit"
    __table_args__ = (Index("ix_staff_audit_ward_at", "ward_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    action: Mapped[str] = mapped_column(String(30))
    details: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User] = relationship(foreign_keys=[subject_id])

    def __repr__(self) -> str:
        return f"<StaffAuditEntry {self.action} {self.subject_id}>"
