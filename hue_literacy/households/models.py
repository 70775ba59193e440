"""Households, their members, visits, the history of field edits and the ledger of phone ops."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.wards.models import Ward


class Household(db.Model):
    """A family at one address of a ward, registered with its consent by an ambassador.

    `address_key` is the address normalised for spotting duplicates; `search_text` holds the
    name, address, members' names and phones without accents, for searching as people type.
    `last_visit_on`, `member_stuck` and `digital_family` are kept by the services (and the
    `flask households refresh` command, for learners' practice synced since), so that the
    ambassador home filters thousands of households without reading visits or progress.
    """

    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("ward_id", "address_key", name="uq_households_ward_address"),
        Index("ix_households_ward_last_visit", "ward_id", "last_visit_on"),
        Index("ix_households_ward_family", "ward_id", "digital_family"),  # dashboard counts
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"))
    address: Mapped[str] = mapped_column(String(200))
    address_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(120))
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "given" (registered with the family's consent) or "to_confirm" (brought in from the
    # ward's own list: asked at the first visit; `consent_at` is then the import time).
    consent_status: Mapped[str] = mapped_column(String(12), default="given",
                                                server_default="given")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    member_stuck: Mapped[bool] = mapped_column(Boolean, default=False)
    digital_family: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The ambassador an official gave this household to look after ("my households"); every
    # ambassador of the ward still sees and visits it (the teams share alleys).
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    ward: Mapped[Ward] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    consent_by: Mapped[User | None] = relationship(foreign_keys=[consent_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", order_by="HouseholdMember.id"
    )

    def __repr__(self) -> str:
        return f"<Household {self.id} ward={self.ward_id}>"


class HouseholdMember(db.Model):
    """A person living in the household; may be linked to their learner account."""

    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    full_name: Mapped[str | None] = mapped_column(String(120))  # blanked on erasure
    role: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(15), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    group: Mapped[str | None] = mapped_column(String(30))  # a framework group id (elderly, ...)
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")
    learner: Mapped[User | None] = relationship(foreign_keys=[learner_id])

    def __repr__(self) -> str:
        return f"<HouseholdMember {self.id} {self.role}>"


class Visit(db.Model):
    """An ambassador's visit to a household: when, which competencies were practised, notes."""

    __tablename__ = "household_visits"
    __table_args__ = (Index("ix_household_visits_household_on", "household_id", "visited_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    competency_ids: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Set when the notes were blanked because they named a person whose account was deleted.
    notes_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ambassador_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ambassador: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Visit {self.id} household={self.household_id} on {self.visited_on}>"


class HouseholdChange(db.Model):
    """One edit of a household field, or of a member's (`member_id` set), kept or overruled by
    another edit (`applied` false). A member's phone number is not copied here (only that it
    changed): the history must not keep numbers the family replaced."""

    __tablename__ = "household_changes"
    __table_args__ = (
        Index("ix_household_changes_household_field", "household_id", "field", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("household_members.id"))
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    applied: Mapped[bool] = mapped_column(Boolean)
    op_id: Mapped[str | None] = mapped_column(String(36))

    by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        state = "applied" if self.applied else "not applied"
        return f"<HouseholdChange {self.household_id} {self.field} {state}>"


class HouseholdOp(db.Model):
    """The id of every household op already received, so that each is applied once.

    Phones send the same op again when an answer was lost; forms carry an op id too, so a
    form sent twice (double tap, reload) is saved once.
    """

    __tablename__ = "household_ops"

    id: Mapped[int] = mapped_column(primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<HouseholdOp {self.op_id} {self.kind}>"
