"""Roster import rules: check each row, match households already known, preview, then write.

`plan_import` only reads: it says per row whether it creates a household or member, updates
one, changes nothing (already imported) or is refused (with the column and the reason).
`apply_import` writes that plan; it recomputes it first, so a confirmed file is applied as the
database is at that moment and importing the same file twice creates nothing new.
Imported households are marked "consent to be confirmed at the first visit"; their members
are not learners (no account) until that consent is taken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import InputRefused, normalise_phone
from hue_literacy.content.release import ContentRelease
from hue_literacy.extensions import db
from hue_literacy.households import services as households
from hue_literacy.households.models import Household, HouseholdMember
from hue_literacy.households.text import clean_address, clean_name, fold
from hue_literacy.models_base import utcnow
from hue_literacy.roster.reading import COLUMNS, TEMPLATE_HEADERS, SheetRow, cell_text
from hue_literacy.wards.models import Ward

EARLIEST_BIRTH_YEAR = 1900
COLUMN_TITLES = dict(zip(COLUMNS, TEMPLATE_HEADERS, strict=True))


@dataclass
class MemberRow:
    number: int
    full_name: str
    birth_year: int | None
    phone: str | None
    group: str | None
    is_head: bool


@dataclass
class RowOutcome:
    number: int
    action: str  # create | update | unchanged | refused
    address: str = ""
    member: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)


@dataclass
class HouseholdPlan:
    key: str
    address: str
    head: str | None
    rows: list[MemberRow] = field(default_factory=list)
    existing: Household | None = None


@dataclass
class ImportPlan:
    outcomes: list[RowOutcome]
    households: list[HouseholdPlan]

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def households_to_create(self) -> int:
        return sum(1 for plan in self.households if plan.existing is None)

    @property
    def refused(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.action == "refused"]


def _birth_year(value: object, this_year: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime | date):  # an Excel date cell
        year = value.year
    else:
        text = cell_text(value)
        match = re.fullmatch(r"(\d{4})|\d{1,2}[/.-]\d{1,2}[/.-](\d{4})|(\d{4})-\d{2}-\d{2}.*",
                             text)
        if not match:
            raise InputRefused(_l("Write the birth year with 4 digits, for example 1956."))
        year = int(next(group for group in match.groups() if group))
    if not EARLIEST_BIRTH_YEAR <= year <= this_year:
        raise InputRefused(_l("The birth year must be between %(first)d and %(last)d.",
                              first=EARLIEST_BIRTH_YEAR, last=this_year))
    return year


def _phone(value: object) -> str | None:
    if isinstance(value, int | float):  # Excel dropped the leading 0: 912345678
        digits = cell_text(value)
        text = "0" + digits if len(digits) == 9 else digits
    else:
        text = cell_text(value)
        if re.fullmatch(r"\d{9}", text):
            text = "0" + text
    return normalise_phone(text) if text else None


def _group(value: object, groups: dict[str, str]) -> str | None:
    text = fold(cell_text(value))
    if not text:
        return None
    if text not in groups:
        raise InputRefused(_l("Unknown group. Use one of: %(groups)s.",
                              groups=", ".join(sorted(set(groups.values())))))
    return groups[text]


def group_names(framework, locales=("vi", "en")) -> dict[str, str]:
    """Folded group ids and names in every language -> group id."""
    names: dict[str, str] = {}
    for locale in locales:
        for group_id, name in framework.group_choices(locale):
            names[fold(group_id)] = group_id
            names[fold(name)] = group_id
    return names


def _check_row(row: SheetRow, groups: dict[str, str], this_year: int):
    cells = row.cells
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {}
    checks = (
        ("address", lambda v: clean_address(cell_text(v))),
        ("member", lambda v: clean_name(cell_text(v), True)),
        ("head", lambda v: clean_name(cell_text(v), False)),
        ("alley_group", lambda v: clean_name(cell_text(v), False)),
        ("birth_year", lambda v: _birth_year(v, this_year)),
        ("phone", _phone),
        ("group", lambda v: _group(v, groups)),
    )
    for name, check in checks:
        try:
            values[name] = check(cells.get(name))
        except InputRefused as refused:
            problems.append((COLUMN_TITLES[name], str(refused.message)))
    return values, problems


def plan_import(rows: list[SheetRow], ward: Ward, framework, today: date | None = None
                ) -> ImportPlan:
    """What importing these rows into `ward` would do, row by row (reads only)."""
    today = today or utcnow().date()
    groups = group_names(framework)
    outcomes: list[RowOutcome] = []
    plans: dict[str, HouseholdPlan] = {}
    phone_owner: dict[str, str] = {}
    for row in rows:
        values, problems = _check_row(row, groups, today.year)
        outcome = RowOutcome(row.number, "refused", problems=problems,
                             member=cell_text(row.cells.get("member")),
                             address=cell_text(row.cells.get("address")))
        outcomes.append(outcome)
        if problems:
            continue
        address, key = values["address"]
        if values["alley_group"]:
            try:
                address, key = clean_address(f"{address}, {values['alley_group']}")
            except InputRefused as refused:
                outcome.problems.append((COLUMN_TITLES["address"], str(refused.message)))
                continue
        phone = values["phone"]
        if phone and phone_owner.setdefault(phone, key) != key:
            outcome.problems.append((COLUMN_TITLES["phone"], str(_l(
                "This phone number is already on another household of the file."))))
            continue
        plan = plans.setdefault(key, HouseholdPlan(key, address, values["head"]))
        if values["head"] and not plan.head:
            plan.head = values["head"]
        head = values["head"] or plan.head
        member = MemberRow(row.number, values["member"], values["birth_year"], phone,
                           values["group"], bool(head) and fold(head) == fold(values["member"]))
        plan.rows.append(member)
        outcome.action = "pending"
        outcome.address = address
    _match_existing(plans, ward)
    by_number = {outcome.number: outcome for outcome in outcomes}
    for plan in plans.values():
        for member in plan.rows:
            by_number[member.number].action = _member_action(plan, member)
    return ImportPlan(outcomes, list(plans.values()))


def _match_existing(plans: dict[str, HouseholdPlan], ward: Ward) -> None:
    """Attach each planned household to the ward's household at the same address or holding
    one of its phone numbers (two queries for the whole file)."""
    known = {household.address_key: household for household in db.session.scalars(
        select(Household).where(Household.ward_id == ward.id,
                                Household.address_key.in_(list(plans))))}
    phones = [member.phone for plan in plans.values() for member in plan.rows if member.phone]
    by_phone: dict[str, Household] = {}
    for chunk_start in range(0, len(phones), 500):
        chunk = phones[chunk_start:chunk_start + 500]
        for phone, household in db.session.execute(
                select(HouseholdMember.phone, Household)
                .join(Household, HouseholdMember.household_id == Household.id)
                .where(Household.ward_id == ward.id, HouseholdMember.phone.in_(chunk))):
            by_phone.setdefault(phone, household)
    for plan in plans.values():
        plan.existing = known.get(plan.key) or next(
            (by_phone[m.phone] for m in plan.rows if m.phone in by_phone), None)


def _same_member(existing: HouseholdMember, member: MemberRow) -> bool:
    if member.phone and existing.phone:
        return member.phone == existing.phone
    return fold(existing.full_name) == fold(member.full_name)


def _member_action(plan: HouseholdPlan, member: MemberRow) -> str:
    if plan.existing is None:
        return "create"
    match = next((m for m in plan.existing.members if _same_member(m, member)), None)
    if match is None:
        return "update"  # a new member of a known household
    changed = ((member.birth_year and member.birth_year != match.birth_year)
               or (member.group and member.group != match.group)
               or (member.phone and member.phone != match.phone))
    return "update" if changed else "unchanged"


def apply_import(rows: list[SheetRow], ward: Ward, release: ContentRelease, by: User,
                 now: datetime | None = None) -> ImportPlan:
    """Write the plan of these rows (see plan_import); refused rows are left out.

    `release` is the content release (its framework checks the groups; the households'
    marks are recomputed with it)."""
    now = now or utcnow()
    plan = plan_import(rows, ward, release.framework, now.date())
    for household_plan in plan.households:
        household = household_plan.existing
        if household is None:
            household = Household(ward=ward, address=household_plan.address,
                                  address_key=household_plan.key, name=household_plan.head,
                                  consent_status="to_confirm", consent_at=now, consent_by=None,
                                  created_by=by, created_at=now, updated_at=now)
            db.session.add(household)
        changed = household_plan.existing is None
        for member in household_plan.rows:
            match = next((m for m in household.members if _same_member(m, member)), None)
            if match is None:
                household.members.append(HouseholdMember(
                    full_name=member.full_name, role="head" if member.is_head else "other",
                    phone=member.phone, birth_year=member.birth_year, group=member.group,
                    created_by_id=by.id, created_at=now))
                changed = True
                continue
            for name in ("birth_year", "group", "phone"):
                value = getattr(member, name)
                if value and getattr(match, name) != value:
                    setattr(match, name, value)
                    changed = True
        if changed:
            household.updated_at = now
            households.refresh(household, release)
    db.session.flush()
    return plan


def template_rows() -> list[list[str]]:
    """The downloadable template: the headers and two example rows."""
    return [list(TEMPLATE_HEADERS),
            ["Nguyễn Văn Ánh", "12 kiệt 34 Phan Đình Phùng", "Tổ 5", "Nguyễn Văn Ánh", "1952",
             "0912 345 678", "Người cao tuổi"],
            ["Nguyễn Văn Ánh", "12 kiệt 34 Phan Đình Phùng", "Tổ 5", "Trần Thị Bưởi", "1956",
             "", "Người cao tuổi"]]
