"""The ambassador home: the households a staff member may see, who needs a visit, search.

It reads only the households table (and members for the page shown): whether a member is
stuck or the household is a Digital Family are marks kept on the household (services.freshen
and `flask households refresh`), so a ward of thousands of households pages in milliseconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from hue_literacy.access import Role, ward_filter
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdMember
from hue_literacy.households.services import VISIT_EVERY, needs_visit_by_time
from hue_literacy.households.text import fold, phone_digits

PER_PAGE = 20
MAX_QUERY = 100


@dataclass
class HomeFilters:
    """What the ambassador asked for: search words, filters, ward (admin), page."""

    q: str = ""
    needs_visit: bool = False
    family: str = ""  # "yes", "no" or "" (any)
    learners: str = ""  # "yes", "no" or "" (any)
    mine: bool = False  # only the households the viewer was given to look after
    ward_id: int | None = None
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.q or self.needs_visit or self.family or self.learners or self.mine)


@dataclass
class HouseholdCard:
    household: Household
    overdue: bool
    stuck: bool
    learners: int
    mine: bool = False

    @property
    def needs_visit(self) -> bool:
        return self.overdue or self.stuck


@dataclass
class HomePage:
    cards: list[HouseholdCard] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    needs_visit: int = 0


def in_scope(viewer: User, ward_id: int | None = None) -> list:
    """WHERE clauses for the households `viewer` may see (one ward, or the admin's pick)."""
    clauses = [ward_filter(viewer, Household.ward_id)]
    if ward_id is not None and viewer.role == Role.ADMIN:
        clauses.append(Household.ward_id == ward_id)
    return clauses


def search_clause(q: str):
    """Every word of `q` in the name, address or members (accents optional), or a phone."""
    words = fold(q[:MAX_QUERY]).split()
    if not words:
        return None
    text = and_(*(Household.search_text.contains(word, autoescape=True) for word in words))
    digits = phone_digits(q.strip())
    if digits:
        return or_(text, Household.search_text.contains(digits, autoescape=True))
    return text


def home_page(viewer: User, filters: HomeFilters, today: date) -> HomePage:
    """One page of households for the ambassador home, those longest without a visit first."""
    scope = in_scope(viewer, filters.ward_id)
    needing = or_(Household.last_visit_on.is_(None),
                  Household.last_visit_on < today - VISIT_EVERY, Household.member_stuck)
    has_learner = exists().where(
        HouseholdMember.household_id == Household.id, HouseholdMember.learner_id.is_not(None)
    )

    query = select(Household).where(*scope)
    search = search_clause(filters.q)
    if search is not None:
        query = query.where(search)
    if filters.needs_visit:
        query = query.where(needing)
    if filters.mine:
        query = query.where(Household.assigned_to_id == viewer.id)
    if filters.family in ("yes", "no"):
        query = query.where(Household.digital_family.is_(filters.family == "yes"))
    if filters.learners == "yes":
        query = query.where(has_learner)
    elif filters.learners == "no":
        query = query.where(~has_learner)

    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, filters.page), pages)
    households = db.session.scalars(
        query.options(selectinload(Household.members))
        .order_by(Household.last_visit_on.asc().nulls_first(), Household.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    needs_visit = db.session.scalar(
        select(func.count()).select_from(Household).where(*scope, needing)
    )
    cards = [
        HouseholdCard(
            household=household,
            overdue=needs_visit_by_time(household, today),
            stuck=household.member_stuck,
            learners=sum(1 for member in household.members if member.learner_id),
            mine=household.assigned_to_id == viewer.id,
        )
        for household in households
    ]
    return HomePage(cards=cards, total=total, page=page, pages=pages, needs_visit=needs_visit)
