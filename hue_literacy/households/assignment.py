"""Which ambassador looks after a household: chosen by the ward's officials.

It makes the ambassador's own list ("the households I look after", a filter of the list,
online and on the phone); it is not a wall: every ambassador of the ward still sees, visits
and changes every household of the ward (the teams share alleys). The choice is kept in the
household's history with the names, as the other edits are.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdChange
from hue_literacy.refusals import InputRefused

NOT_AN_AMBASSADOR = _l("Please choose an ambassador of this household's ward.")


def ambassadors_of(ward_id: int) -> list[User]:
    """The ward's ambassadors who can sign in, by name (the choices of the assign form)."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.AMBASSADOR, User.ward_id == ward_id,
                           User.deleted_at.is_(None), User.deactivated_at.is_(None))
        .order_by(User.full_name, User.id)
    ))


def assign(household: Household, raw_id: Any, by: User, now: datetime) -> HouseholdChange | None:
    """Give the household to an ambassador of its ward ("" or None: to nobody); return the
    history entry, or None when nothing changed. The caller checks that `by` may assign."""
    ambassador = None
    if raw_id not in (None, ""):
        ambassador_id = int(raw_id) if str(raw_id).isdigit() and len(str(raw_id)) < 10 else None
        ambassador = db.session.get(User, ambassador_id) if ambassador_id else None
        if (ambassador is None or ambassador.role != Role.AMBASSADOR or not ambassador.is_active
                or ambassador.ward_id != household.ward_id):
            raise InputRefused(NOT_AN_AMBASSADOR)
    if (ambassador.id if ambassador else None) == household.assigned_to_id:
        return None
    before = household.assigned_to
    change = HouseholdChange(
        household_id=household.id, field="assigned_to",
        old_value=before.full_name if before else None,
        new_value=ambassador.full_name if ambassador else None,
        by_id=by.id, occurred_at=now, received_at=now, applied=True,
    )
    db.session.add(change)
    household.assigned_to = ambassador
    household.updated_at = now
    return change
