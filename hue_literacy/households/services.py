"""Household rules: register with consent, add members, log visits, edit fields with history.

Plain functions with explicit arguments. Views and the ops API check the ward first (through
access.py), then call these; the request commits once (database.py). Wrong input raises
`Refused` with a reason code (for the API) and a message in the user's language.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hue_literacy.access import Role, may_act_in_ward
from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import normalise_phone
from hue_literacy.clock import as_utc
from hue_literacy.content.framework import Framework
from hue_literacy.content.release import ContentRelease
from hue_literacy.database import insert_on_conflict
from hue_literacy.extensions import db
from hue_literacy.households import learning
from hue_literacy.households.models import (
    Household,
    HouseholdChange,
    HouseholdMember,
    HouseholdOp,
    Visit,
)
from hue_literacy.households.text import clean_address, clean_name, fold
from hue_literacy.models_base import utcnow
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward

MEMBER_ROLES = {
    "head": _l("Head of the family"),
    "spouse": _l("Husband or wife"),
    "child": _l("Child"),
    "grandparent": _l("Grandparent"),
    "other": _l("Other"),
}
EDITABLE_FIELDS = ("address", "name")
NOTES_MAX = 2000
EARLIEST_VISIT = date(2025, 1, 1)
VISIT_EVERY = timedelta(days=30)

REASONS = {
    "not_an_object": _l("The change is not a JSON object."),
    "bad_id": _l("The change id must be a UUID."),
    "unknown_type": _l("Unknown type of change."),
    "bad_time": _l("The time of the change is missing or not valid."),
    "bad_payload": _l("The details of the change are missing or not valid."),
    "id_conflict": _l("This change id is already used by another person."),
    "unknown_household": _l("There is no such household."),
    "unknown_member": _l("There is no such person in this household."),
    "other_ward": _l("This household belongs to another ward."),
    "unknown_ward": _l("There is no such ward."),
    "consent_required": _l(
        "We can only save the household when the family agrees that we store their data."
    ),
    "bad_address": _l("The address is not valid."),
    "duplicate_household": _l("A household with this address is already registered in the ward."),
    "bad_name": _l("The name is not valid."),
    "bad_role": _l("Please choose the person's role in the family."),
    "bad_phone": _l("The phone number is not valid."),
    "unknown_learner": _l("There is no learner with this account in the ward."),
    "bad_date": _l("The date of the visit is not valid."),
    "unknown_competency": _l("Unknown competency."),
    "notes_too_long": _l("The notes are too long (at most 2000 characters)."),
    "no_fields": _l("Nothing to change."),
    "not_finite": _l("Numbers must be ordinary numbers: NaN and Infinity are not accepted."),
    "bad_text": _l("Text must not contain the NUL character."),
    "phone_taken": _l("This phone number is already registered."),
    "bad_pin": _l("The PIN has 4 to 6 digits, numbers only."),
    "bad_group": _l("Please choose the learner's group."),
    "bad_birth_date": _l("The date of birth is not valid."),
    "learner_consent_required": _l(
        "We can only save the account when the learner agrees that we store their data."
    ),
}


class Refused(InputRefused):
    """Input refused with a reason code; `message` explains it in the user's language."""

    def __init__(self, reason: str, message: Any = None) -> None:
        super().__init__(message if message is not None else REASONS[reason])
        self.reason = reason


def _refuse_as(reason: str, work, *args: Any) -> Any:
    """Run `work`; turn the InputRefused it raises into Refused(reason) with its message."""
    try:
        return work(*args)
    except Refused:
        raise
    except InputRefused as refused:
        raise Refused(reason, refused.message) from None


# --- checks --------------------------------------------------------------------------------


def is_id(value: Any) -> bool:
    """True for a whole number usable as a row id (not a bool, within the column's range)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def ward_for_new_household(by: User, ward_id: int | None) -> Ward:
    """The ward a new household goes in: the staff member's own, or the one the admin picked."""
    if ward_id is None and by.role != Role.ADMIN:
        return by.ward
    ward = db.session.get(Ward, ward_id) if is_id(ward_id) else None
    if ward is None:
        raise Refused("unknown_ward")
    if not may_act_in_ward(by, ward.id):
        raise Refused("other_ward")
    return ward


def check_member(
    ward_id: int, full_name: Any, role: Any, raw_phone: Any, learner_id: Any = None
) -> dict:
    """Check one member's details; return the fields to store."""
    if not isinstance(full_name, str) or not isinstance(raw_phone, str | None):
        raise Refused("bad_payload")
    name = _refuse_as("bad_name", clean_name, full_name, True)
    if not isinstance(role, str) or role not in MEMBER_ROLES:
        raise Refused("bad_role")
    phone = None
    if (raw_phone or "").strip():
        phone = _refuse_as("bad_phone", normalise_phone, raw_phone)
    learner = None
    if learner_id is not None:
        learner = _learner_of_ward(learner_id, ward_id)
    elif phone:
        learner = learner_with_phone(phone, ward_id)
    return {"full_name": name, "role": role, "phone": phone,
            "learner_id": learner.id if learner else None}


def _learner_of_ward(learner_id: Any, ward_id: int) -> User:
    learner = db.session.get(User, learner_id) if is_id(learner_id) else None
    if learner is None or learner.role != Role.LEARNER or not learner.is_active:
        raise Refused("unknown_learner")
    if learner.ward_id != ward_id:
        raise Refused("other_ward")
    return learner


def learner_with_phone(phone: str, ward_id: int) -> User | None:
    """The active learner of the ward with this phone number, if any."""
    return db.session.scalar(
        select(User).where(
            User.phone == phone, User.role == Role.LEARNER, User.ward_id == ward_id,
            User.deleted_at.is_(None),
        )
    )


def check_visit(
    visited_on: Any, competency_ids: Any, notes: Any, today: date, framework: Framework
) -> dict:
    """Check a visit's date, competencies practised and notes; return the fields to store."""
    if isinstance(visited_on, str):
        try:
            visited_on = date.fromisoformat(visited_on)
        except ValueError:
            raise Refused("bad_date") from None
    if not isinstance(visited_on, date) or not EARLIEST_VISIT <= visited_on <= today + timedelta(1):
        raise Refused("bad_date")
    if not isinstance(competency_ids, list | tuple) or not all(
        isinstance(comp, str) for comp in competency_ids
    ):
        raise Refused("bad_payload")
    known = framework.competencies
    if any(comp not in known for comp in competency_ids):
        raise Refused("unknown_competency")
    notes = (notes or "").strip() if isinstance(notes, str | None) else None
    if notes is None:
        raise Refused("bad_payload")
    if len(notes) > NOTES_MAX:
        raise Refused("notes_too_long")
    return {"visited_on": visited_on, "competency_ids": list(dict.fromkeys(competency_ids)),
            "notes": notes}


def check_duplicate_address(ward_id: int, key: str, household_id: int | None = None) -> None:
    query = select(Household.id).where(Household.ward_id == ward_id, Household.address_key == key)
    if household_id is not None:
        query = query.where(Household.id != household_id)
    if db.session.scalar(query) is not None:
        raise Refused("duplicate_household")


# --- the op ledger -------------------------------------------------------------------------


def clean_op_id(raw: Any) -> str | None:
    """The op id a form or phone gave, as a canonical UUID string (None if not a UUID)."""
    try:
        return str(uuid.UUID(str(raw)))
    except (ValueError, TypeError, AttributeError):
        return None


def op_author(op_id: str) -> int | None:
    """Who sent the op with this id before, or None when it is new."""
    return db.session.scalar(select(HouseholdOp.author_id).where(HouseholdOp.op_id == op_id))


def claim_op(op_id: str, kind: str, by: User, occurred_at: datetime, now: datetime) -> bool:
    """Record an op id as received; False when it was already there (sent twice)."""
    statement = (
        insert_on_conflict(HouseholdOp)
        .values(op_id=op_id, kind=kind, author_id=by.id, occurred_at=occurred_at, received_at=now)
        .on_conflict_do_nothing(index_elements=["op_id"])
        .returning(HouseholdOp.op_id)
    )
    return db.session.scalar(statement) is not None


def note_household(op_id: str | None, household: Household) -> None:
    if op_id:
        db.session.execute(
            HouseholdOp.__table__.update()
            .where(HouseholdOp.op_id == op_id)
            .values(household_id=household.id)
        )


# --- changes -------------------------------------------------------------------------------


def check_new_household(
    ward: Ward, address: Any, name: Any, consent: Any, members: Any
) -> dict:
    """Check a new household and its first members; refuse without the family's consent."""
    if not isinstance(address, str) or not isinstance(name, str | None):
        raise Refused("bad_payload")
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise Refused("bad_payload")
    address, key = _refuse_as("bad_address", clean_address, address)
    name = _refuse_as("bad_name", clean_name, name, False)
    checked = [
        check_member(ward.id, member.get("full_name"), member.get("role"), member.get("phone"),
                     member.get("learner_id"))
        for member in members
    ]
    check_duplicate_address(ward.id, key)
    if consent is not True:  # asked last: the details come first on the form
        raise Refused("consent_required")
    return {"ward": ward, "address": address, "address_key": key, "name": name,
            "members": checked}


def register_household(
    checked: dict, by: User, release: ContentRelease, op_id: str | None = None,
    now: datetime | None = None,
) -> Household:
    """Create a checked household (see check_new_household); the consent is taken by `by`."""
    now = now or utcnow()
    fields = dict(checked)
    members = fields.pop("members")
    household = Household(
        client_id=op_id, consent_at=now, consent_by=by, created_by=by, created_at=now,
        updated_at=now, **fields,
    )
    db.session.add(household)
    for member in members:
        household.members.append(HouseholdMember(**member, created_by_id=by.id, created_at=now))
    db.session.flush()
    note_household(op_id, household)
    refresh(household, release)
    return household


def add_member(
    household: Household, fields: dict, by: User, release: ContentRelease,
    op_id: str | None = None, now: datetime | None = None,
) -> HouseholdMember:
    """Add a checked member (see check_member) to the household."""
    member = HouseholdMember(**fields, created_by_id=by.id, created_at=now or utcnow())
    household.members.append(member)
    db.session.flush()
    note_household(op_id, household)
    refresh(household, release)
    return member


def log_visit(
    household: Household, fields: dict, by: User, occurred_at: datetime,
    release: ContentRelease, op_id: str | None = None, now: datetime | None = None,
) -> Visit:
    """Record a checked visit (see check_visit); every visit is kept, also when two
    ambassadors logged one offline. The household's marks are brought up to date."""
    visit = Visit(household_id=household.id, ambassador=by, occurred_at=occurred_at,
                  created_at=now or utcnow(), **fields)
    db.session.add(visit)
    if household.last_visit_on is None or visit.visited_on > household.last_visit_on:
        household.last_visit_on = visit.visited_on
    note_household(op_id, household)
    freshen([household], release)
    return visit


def check_fields(household: Household, changes: Any) -> dict[str, str | None]:
    """Check edited household fields; return them tidied."""
    if not isinstance(changes, dict) or not changes:
        raise Refused("no_fields")
    if any(field not in EDITABLE_FIELDS for field in changes):
        raise Refused("bad_payload")
    tidy: dict[str, str | None] = {}
    if "address" in changes:
        if not isinstance(changes["address"], str):
            raise Refused("bad_payload")
        address, key = _refuse_as("bad_address", clean_address, changes["address"])
        check_duplicate_address(household.ward_id, key, household.id)
        tidy["address"] = address
    if "name" in changes:
        if not isinstance(changes["name"], str | None):
            raise Refused("bad_payload")
        tidy["name"] = _refuse_as("bad_name", clean_name, changes["name"], False)
    return tidy


def edit_household(
    household: Household, changes: dict[str, str | None], by: User, occurred_at: datetime,
    release: ContentRelease, op_id: str | None = None, now: datetime | None = None,
) -> list[HouseholdChange]:
    """Apply checked field edits (see check_fields), the latest by `occurred_at` winning.

    An edit older than the last applied edit of the same field (made offline, arriving late)
    is kept in the history as not applied; the newer value stays.
    """
    now = now or utcnow()
    made = []
    for field, value in changes.items():
        latest = _latest_applied(household.id, field)
        current = getattr(household, field)
        wins = latest is None or (occurred_at, op_id or "") >= latest
        if wins and value == current:
            continue
        change = HouseholdChange(
            household_id=household.id, field=field, old_value=current, new_value=value,
            by_id=by.id, occurred_at=occurred_at, received_at=now, applied=wins, op_id=op_id,
        )
        db.session.add(change)
        made.append(change)
        if wins:
            setattr(household, field, value)
            if field == "address":
                household.address_key = clean_address(value)[1]
    if any(change.applied for change in made):
        household.updated_at = now
        refresh(household, release)
    note_household(op_id, household)
    return made


def _latest_applied(household_id: int, field: str) -> tuple[datetime, str] | None:
    row = db.session.execute(
        select(HouseholdChange.occurred_at, HouseholdChange.op_id)
        .where(HouseholdChange.household_id == household_id, HouseholdChange.field == field,
               HouseholdChange.applied.is_(True))
        .order_by(HouseholdChange.occurred_at.desc(), HouseholdChange.op_id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return (as_utc(row[0]), row[1] or "")


def link_member(member: HouseholdMember, learner: User, release: ContentRelease) -> None:
    """Link a member to their learner account (a learner of the household's ward)."""
    member.learner_id = learner.id
    db.session.flush()
    refresh(member.household, release)


def refresh(household: Household, release: ContentRelease) -> None:
    """Recompute what the ambassador home filters on: search text, stuck, Digital Family."""
    parts = [household.name, household.address]
    for member in household.members:
        parts.append(member.full_name)
        if member.phone:
            parts.append(member.phone)
    household.search_text = " | ".join(fold(part) for part in parts if part)
    freshen([household], release)


def marks_of(
    households: Iterable[Household], release: ContentRelease
) -> dict[int, dict[str, bool]]:
    """The stuck and Digital Family marks these households have now, from their learners'
    progress and certificates (without storing them)."""
    households = list(households)
    ids = {m.learner_id for h in households for m in h.members if m.learner_id}
    digital = learning.digital_learners(ids, release) if ids else set()
    stuck = learning.stuck(ids) if ids else set()
    marks = {}
    for household in households:
        learners = {m.learner_id for m in household.members if m.learner_id}
        marks[household.id] = {
            "digital_family": learning.is_digital_family(learners, digital, release),
            "member_stuck": bool(learners & stuck),
        }
    return marks


def freshen(households: Iterable[Household], release: ContentRelease) -> bool:
    """Store the current marks of these households (see marks_of); True when one changed."""
    households = list(households)
    marks = marks_of(households, release)
    changed = False
    for household in households:
        for name, value in marks[household.id].items():
            if getattr(household, name) != value:
                setattr(household, name, value)
                changed = True
    return changed


def refresh_stuck_marks(ward_id: int) -> int:
    """Mark the ward's households with a stuck learner, in one query; return how many changed.

    Run by `flask households refresh` (every few minutes) so that learners' practice synced
    since shows on the ambassador home.
    """
    linked = (
        select(HouseholdMember.learner_id)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(Household.ward_id == ward_id, HouseholdMember.learner_id.is_not(None))
    )
    stuck_learners = learning.stuck(linked)
    stuck = set(db.session.scalars(
        select(HouseholdMember.household_id).where(
            HouseholdMember.learner_id.in_(stuck_learners))
    )) if stuck_learners else set()
    marked = set(db.session.scalars(
        select(Household.id).where(Household.ward_id == ward_id, Household.member_stuck)
    ))
    table = Household.__table__
    for ids, value in ((stuck - marked, True), (marked - stuck, False)):
        if ids:
            db.session.execute(table.update().where(table.c.id.in_(ids)).values(member_stuck=value))
    return len(stuck ^ marked)


def needs_visit_by_time(household: Household, today: date) -> bool:
    return household.last_visit_on is None or household.last_visit_on < today - VISIT_EVERY


def households_for_export(scope: list) -> list[Household]:
    """The households matching `scope` (ward clauses), with their members, by address."""
    return list(db.session.scalars(
        select(Household).where(*scope).options(selectinload(Household.members))
        .order_by(Household.ward_id, Household.address)
    ))


def visits_of(household_id: int) -> list[Visit]:
    return list(db.session.scalars(
        select(Visit).where(Visit.household_id == household_id)
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    ))


def history_of(household_id: int) -> list[HouseholdChange]:
    return list(db.session.scalars(
        select(HouseholdChange).where(HouseholdChange.household_id == household_id)
        .order_by(HouseholdChange.occurred_at.desc(), HouseholdChange.id.desc())
    ))
