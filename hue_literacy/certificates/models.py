"""Certificates, serial counters per ward and year, and the audit log of issues and revocations."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.wards.models import Ward


class CertificateEdited(Exception):
    """Raised when code tries to change an issued certificate: revoke and reissue instead."""


class Certificate(db.Model):
    """A certificate as issued: a snapshot that is never edited, only revoked.

    The learner's name and date of birth are stored as printed, with the framework id and
    version, the profile and its competencies, the assessors and the issuing official, so the
    paper and the verification page keep telling the same story after anything changes.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("ward_id", "year", "number", name="uq_certificates_number"),
        # One valid certificate per learner and profile, even when two officials approve at
        # the same moment; revoked ones do not count.
        Index(
            "uq_certificates_valid_per_profile", "learner_id", "profile_id", unique=True,
            sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(60), unique=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    learner_name: Mapped[str | None] = mapped_column(String(120))
    learner_birth_date: Mapped[date | None] = mapped_column(Date)
    ward_name: Mapped[str] = mapped_column(String(120))
    framework_id: Mapped[str] = mapped_column(String(40))
    framework_version: Mapped[int] = mapped_column(Integer)
    profile_id: Mapped[str] = mapped_column(String(40))
    competency_ids: Mapped[list[str]] = mapped_column(JSON)
    assessor_ids: Mapped[list[int]] = mapped_column(JSON)
    assessor_names: Mapped[list[str]] = mapped_column(JSON)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_by_name: Mapped[str] = mapped_column(String(120))
    # The ward's signer's title when it was issued ("" for the default line), so a reprint
    # after a change of chairman still shows who signed; None on certificates issued before
    # it was kept: they print the ward's current title.
    signer_title: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    ward: Mapped[Ward] = relationship()

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<Certificate {self.serial}{' revoked' if self.revoked_at else ''}>"


# What may still change on an issued certificate: the revocation (once), and the erasure of
# the printed name and date of birth when the learner's account is deleted.
_REVOCATION_FIELDS = {"revoked_at", "revoked_by_id", "revocation_reason"}
_ERASABLE_FIELDS = {"learner_name", "learner_birth_date"}


@event.listens_for(Certificate, "before_update")
def _refuse_edits(_mapper, _connection, certificate: Certificate) -> None:
    """Keep issued certificates as issued: only revoking and erasing personal data pass."""
    state = inspect(certificate)
    for attribute in state.attrs:
        history = attribute.history
        if not history.has_changes():
            continue
        name = attribute.key
        if name in _REVOCATION_FIELDS:
            if any(value is not None for value in history.deleted):
                raise CertificateEdited(f"{certificate.serial} is already revoked")
            continue
        if name in _ERASABLE_FIELDS and all(value is None for value in history.added):
            continue
        if name in {"learner", "issued_by", "revoked_by", "ward"}:
            continue  # relationships: their foreign keys are checked above
        raise CertificateEdited(
            f"{certificate.serial}: '{name}' cannot change; revoke and reissue instead"
        )


class SerialCounter(db.Model):
    """The last serial number given out in a ward in a year; bumped in one atomic statement."""

    __tablename__ = "certificate_serial_counters"

    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<SerialCounter ward={self.ward_id} {self.year}: {self.last_number}>"


class AuditEntry(db.Model):
    """One issue or revocation of a certificate: who did it, when and why."""

    __tablename__ = "certificate_audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    actor: Mapped[User | None] = relationship()
    certificate: Mapped[Certificate] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} certificate={self.certificate_id}>"


class MasteryCache(db.Model):
    """What a learner had mastered in practice when last judged, and from which events.

    Judging mastery reads every answer of the learner; the officials' lists would judge a
    page of learners at every view. The stamp (content hash, count and last id of the events
    mastery reads) says when the judgement is still true; anything else is judged again.
    """

    __tablename__ = "certificate_mastery_cache"

    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(80))
    mastered_ids: Mapped[list[str]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<MasteryCache learner={self.learner_id} {len(self.mastered_ids or ())}>"
