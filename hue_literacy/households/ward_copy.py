"""The ward on an ambassador's phone: households, members, last visits and marks as JSON.

The phone keeps this copy (sealed, in IndexedDB) so that the household list, search, filters
and every household page open without network (static/js/staff/ward.js). It holds only what
the staff member may see (access.ward_filter: their own ward, every ward for the admin only
when they pick one) and only the last few visits of each household, so a ward of thousands
of households stays a download of a few hundred kilobytes.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hue_literacy.access import Role, ward_filter
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.households.listing import in_scope
from hue_literacy.households.models import Household, Visit
from hue_literacy.households.services import VISIT_EVERY, needs_visit_by_time

LAST_VISITS = 5
MAX_LEARNERS = 5000


def _last_visits(household_ids: list[int]) -> dict[int, list[dict]]:
    """The latest LAST_VISITS visits of each household, newest first."""
    if not household_ids:
        return {}
    rank = func.row_number().over(
        partition_by=Visit.household_id, order_by=(Visit.visited_on.desc(), Visit.id.desc())
    ).label("rank")
    ranked = (select(Visit.id, rank).where(Visit.household_id.in_(household_ids)).subquery())
    visits = db.session.scalars(
        select(Visit).join(ranked, ranked.c.id == Visit.id)
        .where(ranked.c.rank <= LAST_VISITS)
        .options(selectinload(Visit.ambassador))
        .order_by(Visit.household_id, Visit.visited_on.desc(), Visit.id.desc())
    )
    found: dict[int, list[dict]] = {}
    for visit in visits:
        found.setdefault(visit.household_id, []).append({
            "visited_on": visit.visited_on.isoformat(),
            "competencies": list(visit.competency_ids or []),
            "notes": visit.notes or "",
            "notes_erased": visit.notes_erased_at is not None,
            "by": visit.ambassador.full_name if visit.ambassador else "",
        })
    return found


def _household(household: Household, visits: list[dict], today: date, viewer: User) -> dict:
    return {
        "id": household.id,
        "client_id": household.client_id,
        "address": household.address,
        "address_key": household.address_key,
        "name": household.name,
        "ward": household.ward.name,
        "consent_status": household.consent_status,
        "consent_on": household.consent_at.date().isoformat() if household.consent_at else None,
        "last_visit_on": household.last_visit_on.isoformat() if household.last_visit_on else None,
        "overdue": needs_visit_by_time(household, today),
        "member_stuck": household.member_stuck,
        "digital_family": household.digital_family,
        "mine": household.assigned_to_id == viewer.id,  # given to this ambassador to look after
        "search": household.search_text,
        "members": [
            {"id": member.id, "full_name": member.full_name, "role": member.role,
             "phone": member.phone, "learner_id": member.learner_id}
            for member in household.members
        ],
        "visits": visits,
    }


def ward_copy(viewer: User, ward_id: int | None, today: date, now: datetime) -> dict:
    """Everything the phone keeps for `viewer` (the admin: only for the ward picked)."""
    if viewer.role == Role.ADMIN and ward_id is None:
        households: list[Household] = []
        learners: list[User] = []
    else:
        households = list(db.session.scalars(
            select(Household).where(*in_scope(viewer, ward_id))
            .options(selectinload(Household.members), selectinload(Household.ward))
            .order_by(Household.last_visit_on.asc().nulls_first(), Household.id)
        ))
        learner_query = select(User).where(
            User.role == Role.LEARNER, User.deleted_at.is_(None), ward_filter(viewer, User.ward_id)
        )
        if viewer.role == Role.ADMIN:
            learner_query = learner_query.where(User.ward_id == ward_id)
        learners = list(db.session.scalars(
            learner_query.order_by(User.full_name).limit(MAX_LEARNERS)))
    visits = _last_visits([household.id for household in households])
    return {
        "account": viewer.id,
        "generated_at": now.isoformat(),
        "today": today.isoformat(),
        "visit_every_days": VISIT_EVERY.days,
        "households": [_household(h, visits.get(h.id, []), today, viewer) for h in households],
        "learners": [
            {"id": learner.id, "full_name": learner.full_name, "phone": learner.phone}
            for learner in learners
        ],
    }
