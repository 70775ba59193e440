"""The household data of a linked learner: in their data download, erased with their account."""
from __future__ import annotations

from sqlalchemy import select

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.households.models import HouseholdMember
from hue_literacy.households.services import refresh, visits_of


def memberships_of(user: User) -> list[HouseholdMember]:
    return list(db.session.scalars(
        select(HouseholdMember).where(HouseholdMember.learner_id == user.id)
        .order_by(HouseholdMember.id)
    ))


def export(user: User) -> tuple[str, list[dict]]:
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


def erase(user: User) -> None:
    """Blank the deleted learner's name and phone in households and remove the link."""
    for member in memberships_of(user):
        member.full_name = None
        member.phone = None
        member.learner_id = None
        refresh(member.household)
