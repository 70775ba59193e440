"""Ward coverage for officials and the city admin, counted in a few aggregate queries.

Every number comes from GROUP BY queries over the ward (never a Python loop over its
learners), so the page stays fast for a ward of 20,000 learners:
- learners: accounts with the learner role registered in the ward, deleted ones included
  (their anonymous rows still count);
- active: learners with any progress event in the period (local time of Hue);
- certified: learners holding a valid (not revoked) certificate;
- by area: learners who *completed every lesson* of at least one / of every competency of
  the area (lesson_completed events, any lesson version). This stands in for mastery, which
  needs each learner's recent answers judged one by one and is too slow for a whole ward.
Active, certified and completed figures come from the running totals (dashboard/tallies.py)
once `flask dashboard rebuild` has built them, so their cost does not grow with the events;
before that they are counted live from the events, with the same result.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from sqlalchemy import (
    case,
    distinct,
    func,
    literal,
    select,
)

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.certificates.models import Certificate
from hue_literacy.classes.models import Assessment, ClassAttendance, ClassSession
from hue_literacy.content.framework import Framework, localised
from hue_literacy.dashboard import tallies
from hue_literacy.extensions import db
from hue_literacy.households.models import Household
from hue_literacy.sync.models import ProgressEvent
from hue_literacy.wards.models import Ward

MONTHS = 12
COMPLETED = "lesson_completed"
SORT_KEYS = ("ward", "learners", "active", "certified", "households", "family", "classes")


@dataclass(frozen=True)
class GroupCoverage:
    group_id: str | None
    name: str
    learners: int
    active: int
    certified: int


@dataclass(frozen=True)
class AreaCoverage:
    area_id: str
    name: str
    competencies: int
    some: int  # learners who completed every lesson of at least one competency of the area
    every: int  # ... of every competency of the area


@dataclass(frozen=True)
class Month:
    month: date  # the first day of the month
    new_learners: int
    active_learners: int
    certificates: int
    classes: int


@dataclass(frozen=True)
class WardCoverage:
    """What the ward dashboard shows."""

    ward: Ward
    today: date
    learners: int
    active: int
    certified: int
    households: int
    digital_families: int
    classes: int
    attendances: int
    assessments: int
    groups: tuple[GroupCoverage, ...]
    areas: tuple[AreaCoverage, ...]
    months: tuple[Month, ...]
    skills: tuple = ()  # SkillCoverage per basic skill of the Digital Family rule

    @property
    def digital_family_share(self) -> float | None:
        return share(self.digital_families, self.households)


@dataclass(frozen=True)
class WardRow:
    """One ward in the city overview (no ward: the whole city's totals)."""

    ward: Ward | None
    learners: int
    active: int
    certified: int
    households: int
    digital_families: int
    classes: int

    @property
    def digital_family_share(self) -> float | None:
        return share(self.digital_families, self.households)


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` as a fraction, None when there is nothing to divide."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    """A share as a whole percentage ("12"), blank when unknown."""
    return "" if value is None else str(round(value * 100))


# --- time ------------------------------------------------------------------------------------


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month `back` months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    return [month_start(today, back) for back in range(count - 1, -1, -1)]


def utc_midnight(day: date, tz: tzinfo) -> datetime:
    """The moment local midnight of `day` begins, in UTC (how times are stored)."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def _month_index(column, starts: Sequence[date | datetime]):
    """SQL: the index in `starts` of the month `column` falls in (the query keeps it >= start)."""
    return case(
        *((column >= start, index) for index, start in reversed(list(enumerate(starts)))),
        else_=-1,
    )


# --- building blocks ---------------------------------------------------------------------------


def _learners_of(ward_ids: Sequence[int]):
    """SELECT of the ids of the learners registered in the wards (deleted ones too)."""
    return select(User.id).where(User.role == Role.LEARNER, User.ward_id.in_(ward_ids))


def _active_ids(ward_ids: Sequence[int], since: datetime):
    return (select(ProgressEvent.learner_id)
            .where(ProgressEvent.learner_id.in_(_learners_of(ward_ids)),
                   ProgressEvent.occurred_at >= since))


def _certified_ids():
    return select(Certificate.learner_id).where(Certificate.revoked_at.is_(None))


def _learner_counts(ward_ids: Sequence[int], month: date | None, tz: tzinfo,
                    built: set[str]) -> list[list]:
    """[ward, group, learners, active in `month`, certified]: one row per ward and group.

    Without `month` the active column is 0 (the ward page counts it with the months). The
    active and certified columns come from the running totals when they are `built`.
    """
    live_active = month is not None and tallies.ACTIVITY not in built
    active = (User.id.in_(_active_ids(ward_ids, utc_midnight(month, tz)))
              if live_active else None)
    certified = User.id.in_(_certified_ids()) if tallies.CERTIFIED not in built else None
    rows = [list(row) for row in db.session.execute(
        select(User.ward_id, User.group, func.count(),
               func.sum(case((active, 1), else_=0)) if active is not None else literal(0),
               func.sum(case((certified, 1), else_=0)) if certified is not None else literal(0))
        .where(User.role == Role.LEARNER, User.ward_id.in_(ward_ids))
        .group_by(User.ward_id, User.group)
    )]
    if month is not None and not live_active:
        active_in = defaultdict(int)
        for ward_id, day, group, learners in tallies.activity(ward_ids, month):
            if day == month:
                active_in[(ward_id, group)] += learners
        _spread(rows, active_in, 3)
    if certified is None:
        _spread(rows, tallies.certified(ward_ids), 4)
    return rows


def _spread(rows: list[list], totals: Mapping[tuple[int, str], int], column: int) -> None:
    """Put totals per (ward, group key) into the rows' `column` ("" is the key of no group:
    when a ward has both None and "" rows, the total goes to one of them)."""
    left = dict(totals)
    for row in sorted(rows, key=lambda row: row[1] is None):
        row[column] = left.pop((row[0], row[1] or ""), 0)


def _completed_sets(
    ward_id: int, sets: Mapping[str, Sequence[str]],
    competency_lessons: Mapping[str, Sequence[str]],
) -> dict[str, tuple[int, int]]:
    """Per set of competencies: learners who completed every lesson of one / of every one.

    One pass over the ward's completed lessons: per learner, a 0/1 column per competency
    (every one of its lessons completed), then per set the learners with any / all of them.
    A competency no lesson trains is left out of its set (nobody can complete it).
    """
    trained = {key: [comp_id for comp_id in dict.fromkeys(comp_ids)
                     if competency_lessons.get(comp_id)]
               for key, comp_ids in sets.items()}
    columns = list(dict.fromkeys(c for comp_ids in trained.values() for c in comp_ids))
    if not columns:
        return {}
    done = (select(ProgressEvent.learner_id, ProgressEvent.lesson_id)
            .where(ProgressEvent.kind == COMPLETED,
                   ProgressEvent.learner_id.in_(_learners_of([ward_id])))
            .distinct().subquery("done_lessons"))
    per_learner = select(*(
        case((func.sum(case((done.c.lesson_id.in_(competency_lessons[comp_id]), 1),
                            else_=0)) == len(set(competency_lessons[comp_id])), 1),
             else_=0).label(f"c{index}")
        for index, comp_id in enumerate(columns)
    )).group_by(done.c.learner_id).subquery("per_learner")
    position = {comp_id: index for index, comp_id in enumerate(columns)}
    sums = []
    keys = [key for key, comp_ids in trained.items() if comp_ids]
    for key in keys:
        flags = [per_learner.c[f"c{position[comp_id]}"] for comp_id in trained[key]]
        total = sum(flags[1:], flags[0])
        sums += [func.sum(case((total >= 1, 1), else_=0)),
                 func.sum(case((total >= len(flags), 1), else_=0))]
    row = db.session.execute(select(*sums)).one()
    return {key: (row[2 * index] or 0, row[2 * index + 1] or 0)
            for index, key in enumerate(keys)}


def area_sets(framework: Framework) -> dict[str, list[str]]:
    return {area.id: [comp.id for comp in area.competencies] for area in framework.areas}


def skill_sets(framework: Framework) -> dict[str, Sequence[str]]:
    rule = framework.digital_family
    return {} if rule is None else {**rule.skills, ALL_SKILLS: rule.competency_ids}


def area_counts(
    ward_id: int, framework: Framework, competency_lessons: Mapping[str, Sequence[str]],
    locale: str, found: Mapping[str, tuple[int, int]] | None = None,
) -> tuple[AreaCoverage, ...]:
    """Per area: learners who completed every lesson of one / every competency of it
    (`found`: the counts already made by _completed_sets, else counted here)."""
    if found is None:
        found = _completed_sets(ward_id, area_sets(framework), competency_lessons)
    return tuple(
        AreaCoverage(
            area_id=area.id, name=localised(area.name, locale),
            competencies=len(area.competencies),
            some=found.get(area.id, (0, 0))[0], every=found.get(area.id, (0, 0))[1],
        )
        for area in framework.areas
    )


@dataclass(frozen=True)
class SkillCoverage:
    """One basic skill of the Digital Family rule (or, with id "all", all five together)."""

    skill_id: str
    name: str
    competency_ids: tuple[str, ...]
    taught: bool  # every competency of it has lessons
    learners: int  # learners who completed every lesson of every competency of it


ALL_SKILLS = "all"


def basic_skill_counts(
    ward_id: int, framework: Framework, competency_lessons: Mapping[str, Sequence[str]],
    locale: str, all_label: str = "", found: Mapping[str, tuple[int, int]] | None = None,
) -> tuple[SkillCoverage, ...]:
    """Per basic skill of the framework's Digital Family rule, and for all five at once."""
    sets = skill_sets(framework)
    if not sets:
        return ()
    if found is None:
        found = _completed_sets(ward_id, sets, competency_lessons)
    names = {skill.id: localised(skill.name, locale) for skill in framework.basic_skills}
    return tuple(
        SkillCoverage(
            skill_id=key, name=names.get(key, all_label or key), competency_ids=tuple(comp_ids),
            taught=all(competency_lessons.get(comp_id) for comp_id in comp_ids),
            learners=found.get(key, (0, 0))[1],
        )
        for key, comp_ids in sets.items()
    )


def month_series(ward_id: int, today: date, tz: tzinfo, count: int = MONTHS) -> tuple[Month, ...]:
    """New learners, active learners, certificates issued and classes held, month by month."""
    return _month_series(ward_id, today, tz, count)[0]


def _month_series(
    ward_id: int, today: date, tz: tzinfo, count: int = MONTHS, built: set[str] = frozenset()
) -> tuple[tuple[Month, ...], dict[str | None, int]]:
    """The months, and the learners active in the last one by group (from the same scan;
    counted live only: with the running totals built, _learner_counts reads them)."""
    days = month_starts(today, count)
    moments = [utc_midnight(day, tz) for day in days]

    new = _grouped(
        select(func.count()).where(User.role == Role.LEARNER, User.ward_id == ward_id,
                                   User.created_at >= moments[0]),
        _month_index(User.created_at, moments),
    )
    if tallies.ACTIVITY in built:
        position = {day: index for index, day in enumerate(days)}
        active_rows = [(position[day], None, learners)
                       for _ward, day, _group, learners in tallies.activity([ward_id], days[0])
                       if day in position]
    else:
        month_index = _month_index(ProgressEvent.occurred_at, moments).label("month_index")
        active_rows = db.session.execute(
            select(month_index, User.group, func.count(distinct(ProgressEvent.learner_id)))
            .join_from(ProgressEvent, User, User.id == ProgressEvent.learner_id)
            .where(User.role == Role.LEARNER, User.ward_id == ward_id,
                   ProgressEvent.occurred_at >= moments[0])
            .group_by(month_index, User.group)
        ).all()
    active: dict[int, int] = {}
    last_by_group: dict[str | None, int] = {}
    for index, group, learners in active_rows:
        active[index] = active.get(index, 0) + learners  # a learner has one group
        if index == count - 1:
            last_by_group[group] = learners
    certificates = _grouped(
        select(func.count()).where(Certificate.ward_id == ward_id,
                                   Certificate.revoked_at.is_(None),
                                   Certificate.issued_on >= days[0]),
        _month_index(Certificate.issued_on, days),
    )
    classes = _grouped(
        select(func.count()).where(ClassSession.ward_id == ward_id,
                                   ClassSession.starts_on >= days[0],
                                   ClassSession.starts_on <= today),
        _month_index(ClassSession.starts_on, days),
    )
    months = tuple(
        Month(day, new.get(index, 0), active.get(index, 0), certificates.get(index, 0),
              classes.get(index, 0))
        for index, day in enumerate(days)
    )
    return months, last_by_group


def _grouped(query, index) -> dict[int, int]:
    """Run a one-count query grouped by a month index; return {index: count}."""
    labelled = index.label("month_index")
    rows = db.session.execute(query.add_columns(labelled).group_by(labelled))
    return {month: value for value, month in rows}


# --- the ward ----------------------------------------------------------------------------------


def ward_coverage(
    ward: Ward, today: date, tz: tzinfo, framework: Framework,
    competency_lessons: Mapping[str, Sequence[str]], locale: str, all_label: str = "",
) -> WardCoverage:
    """Everything the ward dashboard shows, as of `today` (local date in `tz`)."""
    built = tallies.built_names()
    months, active_by_group = _month_series(ward.id, today, tz, built=built)
    counted = tallies.ACTIVITY in built  # else the months' scan counted this month's too
    rows = _learner_counts([ward.id], month_start(today) if counted else None, tz, built)
    by_group: dict[str | None, list[int]] = {}
    for _ward_id, group, learners, active, certified in rows:
        by_group[group] = [learners, active if counted else active_by_group.get(group, 0),
                           certified or 0]
    known = [group.id for group in framework.groups]
    groups = [
        GroupCoverage(group.id, localised(group.name, locale), *by_group.get(group.id, (0, 0, 0)))
        for group in framework.groups
    ]
    others = [counts for group_id, counts in by_group.items() if group_id not in known]
    if others:
        totals = (sum(column) for column in zip(*others, strict=True))
        groups.append(GroupCoverage(None, "", *totals))

    households, families = db.session.execute(
        select(func.count(), func.sum(case((Household.digital_family.is_(True), 1), else_=0)))
        .where(Household.ward_id == ward.id)
    ).one()
    classes, attendances = db.session.execute(
        select(func.count(distinct(ClassSession.id)), func.count(ClassAttendance.id))
        .select_from(ClassSession)
        .outerjoin(ClassAttendance, ClassAttendance.class_session_id == ClassSession.id)
        .where(ClassSession.ward_id == ward.id, ClassSession.starts_on <= today)
    ).one()
    assessments = db.session.scalar(
        select(func.count()).where(Assessment.learner_id.in_(_learners_of([ward.id])))
    )
    # areas and basic skills: the running totals, else one pass over the completed lessons
    basis = tallies.completions_built(built, framework, competency_lessons)
    if basis is not None:
        both = {tuple(key.split(":", 1)): counts
                for key, counts in tallies.completions(ward.id, basis).items()}
    else:
        both = _completed_sets(ward.id, {**{("area", key): comp_ids for key, comp_ids
                                            in area_sets(framework).items()},
                                         **{("skill", key): comp_ids for key, comp_ids
                                            in skill_sets(framework).items()}},
                               competency_lessons)
    areas_found = {key: counts for (kind, key), counts in both.items() if kind == "area"}
    skills_found = {key: counts for (kind, key), counts in both.items() if kind == "skill"}
    return WardCoverage(
        ward=ward, today=today,
        learners=sum(group.learners for group in groups),
        active=sum(group.active for group in groups),
        certified=sum(group.certified for group in groups),
        households=households, digital_families=families or 0,
        classes=classes, attendances=attendances, assessments=assessments or 0,
        groups=tuple(groups),
        areas=area_counts(ward.id, framework, competency_lessons, locale, areas_found),
        months=months,
        skills=basic_skill_counts(ward.id, framework, competency_lessons, locale, all_label,
                                  skills_found),
    )


# --- the city ----------------------------------------------------------------------------------


def city_overview(wards: Iterable[Ward], today: date, tz: tzinfo,
                  sort: str = "ward", descending: bool = False) -> list[WardRow]:
    """Every ward side by side, sorted by `sort` (one of SORT_KEYS)."""
    wards = list(wards)
    ids = [ward.id for ward in wards]
    learners: dict[int, list[int]] = {}
    for ward_id, _group, count, active, certified in _learner_counts(
            ids, month_start(today), tz, tallies.built_names()):
        totals = learners.setdefault(ward_id, [0, 0, 0])
        totals[0] += count
        totals[1] += active or 0
        totals[2] += certified or 0
    households = {
        ward_id: (count, families or 0)
        for ward_id, count, families in db.session.execute(
            select(Household.ward_id, func.count(),
                   func.sum(case((Household.digital_family.is_(True), 1), else_=0)))
            .group_by(Household.ward_id))
    }
    classes = dict(db.session.execute(
        select(ClassSession.ward_id, func.count())
        .where(ClassSession.starts_on <= today).group_by(ClassSession.ward_id)).all())
    rows = [
        WardRow(ward, *learners.get(ward.id, (0, 0, 0)), *households.get(ward.id, (0, 0)),
                classes.get(ward.id, 0))
        for ward in wards
    ]
    return sort_rows(rows, sort, descending)


def city_totals(rows: Sequence[WardRow]) -> WardRow:
    """The sum of every ward."""
    return WardRow(None, *(sum(getattr(row, name) for row in rows) for name in (
        "learners", "active", "certified", "households", "digital_families", "classes")))


def sort_rows(rows: list[WardRow], sort: str, descending: bool) -> list[WardRow]:
    """Order the city overview by one column; ties and unknown keys by ward name."""
    rows = sorted(rows, key=lambda row: row.ward.name)
    if sort == "ward":
        return list(reversed(rows)) if descending else rows
    if sort not in SORT_KEYS:
        return rows

    def key(row: WardRow) -> float:
        if sort == "family":
            return row.digital_family_share or 0.0
        return getattr(row, sort)

    return sorted(rows, key=key, reverse=descending)
