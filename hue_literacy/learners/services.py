"""Finding the learners a staff member may see; registering one queued on a phone."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select

from hue_literacy.access import Role, ward_filter
from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import check_new_pin, normalise_phone
from hue_literacy.content.framework import Framework
from hue_literacy.extensions import db
from hue_literacy.households.services import Refused
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward


def learners_visible_to(staff: User, search: str = "", limit: int = 200) -> list[User]:
    """Learners of the staff member's ward (every ward for the admin), optionally searched."""
    query = (
        select(User)
        .where(User.role == Role.LEARNER, User.deleted_at.is_(None))
        .where(ward_filter(staff, User.ward_id))
        .order_by(User.full_name)
        .limit(limit)
    )
    words = search.strip()
    if words:
        digits = "".join(ch for ch in words if ch.isdigit())
        conditions = [func.lower(User.full_name).contains(words.lower())]
        if len(digits) >= 3:
            if digits.startswith("84"):
                digits = "0" + digits[2:]
            conditions.append(User.phone.contains(digits))
        query = query.where(or_(*conditions))
    return list(db.session.scalars(query))


def check_new_learner(payload: dict, framework: Framework, today: date) -> dict:
    """Check a learner registration queued on an ambassador's phone (the `learner_registered`
    op) before anything is written; raise Refused with the reason and a message."""
    fields = {name: payload.get(name) for name in
              ("full_name", "phone", "pin", "group", "birth_date", "consent")}
    if not all(isinstance(fields[name], str) for name in ("full_name", "phone", "pin", "group")):
        raise Refused("bad_payload")
    if len(" ".join(fields["full_name"].split())) < 2:
        raise Refused("bad_name")
    try:
        phone = normalise_phone(fields["phone"])
    except InputRefused as refused:
        raise Refused("bad_phone", refused.message) from None
    if accounts.find_by_phone(phone) is not None:
        raise Refused("phone_taken")
    try:
        check_new_pin(fields["pin"])
    except InputRefused as refused:
        raise Refused("bad_pin", refused.message) from None
    if fields["group"] not in {group.id for group in framework.groups}:
        raise Refused("bad_group")
    born = fields["birth_date"] or None
    if born is not None:
        try:
            born = date.fromisoformat(born) if isinstance(born, str) else None
        except ValueError:
            born = None
        if born is None or not date(1900, 1, 1) <= born <= today:
            raise Refused("bad_birth_date")
    if fields["consent"] is not True:
        raise Refused("learner_consent_required")
    return {**fields, "birth_date": born}


def register(checked: dict, ward: Ward, by: User, now: datetime, hash_method: str) -> User:
    """Create the checked learner (see check_new_learner); the PIN is hashed here, on the
    server: the phone sent it over HTTPS and deletes it once this is stored."""
    try:
        return accounts.register_learner(
            full_name=checked["full_name"], raw_phone=checked["phone"], pin=checked["pin"],
            ward=ward, group=checked["group"], consent=True, registered_by=by,
            birth_date=checked["birth_date"], now=now, hash_method=hash_method,
        )
    except InputRefused as refused:  # checked just before: only a race can get here
        raise Refused("bad_payload", refused.message) from None
