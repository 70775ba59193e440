"""Editing a household member: name, role in the family, phone number, with history.

Two phones may edit the same member offline. Each edit carries the values the ambassador saw
(`was`); a field is changed only if it still has that value, so the second phone to send
does not overwrite the first one's edit without knowing: its edit is kept in the history as
not applied and the phone shows both values (static/js/staff/outcomes.js), to apply again
(with the kept value as the new base) or to accept.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import normalise_phone
from hue_literacy.content.release import ContentRelease
from hue_literacy.extensions import db
from hue_literacy.households import services
from hue_literacy.households.models import Household, HouseholdChange, HouseholdMember
from hue_literacy.households.services import MEMBER_ROLES, Refused, _refuse_as
from hue_literacy.households.text import clean_name
from hue_literacy.models_base import utcnow
from hue_literacy.refusals import InputRefused

MEMBER_FIELDS = ("full_name", "role", "phone")


def find_member(household: Household, ref: Any) -> HouseholdMember:
    """The member of `household` an edit is about (not one whose account was erased)."""
    member = db.session.get(HouseholdMember, ref) if services.is_id(ref) else None
    if member is None or member.household_id != household.id or member.full_name is None:
        raise Refused("unknown_member")
    return member


def _phone(raw: Any) -> str | None:
    if not isinstance(raw, str | None):
        raise Refused("bad_payload")
    if not (raw or "").strip():
        return None
    return _refuse_as("bad_phone", normalise_phone, raw)


def _base(field: str, raw: Any) -> Any:
    """The value the phone saw, tidied like the stored one (so "0912 345 678" is 0912345678)."""
    if field == "phone":
        try:
            return _phone(raw)
        except (Refused, InputRefused):
            return raw
    return raw.strip() if isinstance(raw, str) else raw


def check_member_edit(fields: Any, was: Any) -> dict:
    """Check the edited fields (and the values they replace); return them tidied."""
    if not isinstance(fields, dict) or not fields:
        raise Refused("no_fields")
    if any(name not in MEMBER_FIELDS for name in fields) or not isinstance(was, dict):
        raise Refused("bad_payload")
    if any(name not in was for name in fields):
        raise Refused("bad_payload")
    tidy: dict[str, Any] = {}
    if "full_name" in fields:
        if not isinstance(fields["full_name"], str):
            raise Refused("bad_payload")
        tidy["full_name"] = _refuse_as("bad_name", clean_name, fields["full_name"], True)
    if "role" in fields:
        if fields["role"] not in MEMBER_ROLES:
            raise Refused("bad_role")
        tidy["role"] = fields["role"]
    if "phone" in fields:
        tidy["phone"] = _phone(fields["phone"])
    return {"fields": tidy, "was": {name: _base(name, was[name]) for name in tidy}}


def edit_member(
    member: HouseholdMember, checked: dict, by: User, occurred_at: datetime,
    release: ContentRelease, op_id: str | None = None, now: datetime | None = None,
) -> list[HouseholdChange]:
    """Apply a checked edit (see check_member_edit): a field whose value is no longer the one
    the phone saw is not changed, and its edit is kept in the history as not applied."""
    now = now or utcnow()
    household = member.household
    made = []
    for name, value in checked["fields"].items():
        current = getattr(member, name)
        if value == current:
            continue
        applied = checked["was"][name] == current
        hidden = name == "phone"  # the history says it changed, not the numbers
        change = HouseholdChange(
            household_id=household.id, member_id=member.id, field=name,
            old_value=None if hidden else current, new_value=None if hidden else value,
            by_id=by.id, occurred_at=occurred_at, received_at=now, applied=applied,
            op_id=op_id,
        )
        db.session.add(change)
        made.append(change)
        if applied:
            setattr(member, name, value)
    if any(change.applied for change in made):
        if member.learner_id is None and member.phone:
            learner = services.learner_with_phone(member.phone, household.ward_id)
            member.learner_id = learner.id if learner else None
        household.updated_at = now
        db.session.flush()
        services.refresh(household, release)
    services.note_household(op_id, household)
    return made


def kept_values(member: HouseholdMember, names: list[str]) -> dict[str, Any]:
    """The values the server kept for the fields of an edit that was not applied."""
    return {name: getattr(member, name) for name in names}
