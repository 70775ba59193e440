"""The household data of a linked learner: in their data download, erased with their account."""
from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdChange, HouseholdMember, Visit
from hue_literacy.households.services import refresh, visits_of
from hue_literacy.households.text import fold
from hue_literacy.models_base import utcnow

# A phone number as people type it: digits with spaces, dots or dashes, maybe +84 in front.
_PHONE_LIKE = re.compile(r"\+?\d[\d .\-]{6,}\d")

if TYPE_CHECKING:
    from hue_literacy.accounts.personal_data import DataContext


def memberships_of(user: User) -> list[HouseholdMember]:
    return list(db.session.scalars(
        select(HouseholdMember).where(HouseholdMember.learner_id == user.id)
        .order_by(HouseholdMember.id)
    ))


def export(user: User, _context: DataContext) -> tuple[str, list[dict]]:
    """The household entries that name this learner, for their data download."""
    entries = []
    for member in memberships_of(user):
        household = member.household
        entries.append({
            "household": {"address": household.address, "name": household.name,
                          "ward": household.ward.name,
                          "consent_at": household.consent_at.isoformat()},
            "member": {"full_name": member.full_name, "role": member.role,
                       "phone": member.phone, "added_at": member.created_at.isoformat()},
            "visits": [
                {"visited_on": visit.visited_on.isoformat(),
                 "competencies": visit.competency_ids}
                for visit in visits_of(household.id)
            ],
        })
    return "households", entries


def _national(digits: str) -> str:
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def names_person(text: str, full_name: str | None, phone: str | None,
                 given_name_too: bool = False) -> bool:
    """True when free text names this person: the full name (with or without accents, any
    case), the phone number written any common way, or (in their own household, where it
    can only be them or a relative) the given name alone."""
    folded = fold(text)
    names = [fold(full_name)] if full_name and full_name.strip() else []
    if given_name_too and names:
        names.append(names[0].split()[-1])
    if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded) for name in names):
        return True
    if phone:
        for match in _PHONE_LIKE.finditer(text):
            if _national(re.sub(r"\D", "", match.group())) == phone:
                return True
    return False


def erase_notes_naming(user: User, now: datetime | None = None) -> int:
    """Blank (and mark) visit notes in the learner's ward or households that name them; an
    ambassador may have typed a name or phone there. Returns how many notes were blanked."""
    own = {member.household_id for member in memberships_of(user)}
    where = [Household.ward_id == user.ward_id] if user.ward_id else []
    if own:
        where.append(Household.id.in_(own))
    if not where:
        return 0
    visits = db.session.scalars(
        select(Visit).join(Household, Household.id == Visit.household_id)
        .where(or_(*where), Visit.notes != "")
    )
    erased = 0
    for visit in visits:
        if names_person(visit.notes, user.full_name, user.phone,
                        given_name_too=visit.household_id in own):
            visit.notes = ""
            visit.notes_erased_at = now or utcnow()
            erased += 1
    return erased


def erase(user: User, context: DataContext) -> None:
    """Blank the deleted learner's name and phone in households and in visit notes naming
    them (also the names kept in the history of edits), and remove the link."""
    erase_notes_naming(user)
    for member in memberships_of(user):
        db.session.execute(update(HouseholdChange).where(HouseholdChange.member_id == member.id)
                           .values(old_value=None, new_value=None))
        member.full_name = None
        member.phone = None
        member.learner_id = None
        refresh(member.household, context.release)
