"""Keep the dashboards' running totals in step with events and certificates, and rebuild them.

Why: counting a ward's active learners or completed skills from its progress events costs time
in proportion to the events (200,000 in a ward, millions in the city); the counters here cost
the same at any size. They change in the transaction that stores what they count:
- `record_events()` from the sync (sync/services.py) for the events it actually inserted;
- `certificate_changed()` when a certificate is issued or revoked;
- `move_group()` when a learner's group changes.
Each first locks the learner (PostgreSQL: their account row FOR NO KEY UPDATE; SQLite: the
database's write lock, held since the transaction's first write, which every caller has
made), so two syncs of one learner at the same moment count each new month or lesson once.
Counters change by `n = n + delta` in one statement, in a fixed order (no deadlock).
`rebuild()` (`flask dashboard rebuild`) recomputes everything from the events while holding
every writer off; pages use a kind of total only once it has been built (`built_names()`).
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, tzinfo
from itertools import groupby

from sqlalchemy import delete, func, literal, select, text

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.certificates.models import Certificate
from hue_literacy.clock import as_utc
from hue_literacy.content.framework import Framework
from hue_literacy.dashboard.models import (
    CertifiedLearner,
    LearnerMonth,
    LessonDone,
    TallyBuild,
    WardActivity,
    WardCertified,
    WardCompletion,
)
from hue_literacy.database import insert_on_conflict
from hue_literacy.extensions import db
from hue_literacy.sync.models import ProgressEvent

COMPLETED = "lesson_completed"
ACTIVITY = "activity"
CERTIFIED = "certified"
# in the order every writer first writes them: the rebuild locks them so, and waits, no deadlock
TABLES_IN_WRITE_ORDER = ("tally_learner_months", "tally_lessons_done", "tally_certified_learners",
                         "tally_ward_activity", "tally_ward_completions", "tally_ward_certified")

# --- the rules ---------------------------------------------------------------------------------


def month_of(moment: datetime, tz: tzinfo) -> date:
    """The first day of the month (Hue's calendar) a stored moment fell in."""
    return as_utc(moment).astimezone(tz).date().replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_begins(day: date, tz: tzinfo) -> datetime:
    """The UTC moment the month starting on `day` begins in `tz`."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def completion_sets(framework: Framework,
                    competency_lessons: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The sets the dashboard counts: each area ("area:ID"), each basic skill of the Digital
    Family rule and all five ("skill:ID", "skill:all"), as the competencies that have lessons
    (a competency no lesson trains is left out: nobody can complete it)."""
    sets: dict[str, Sequence[str]] = {
        f"area:{area.id}": [comp.id for comp in area.competencies] for area in framework.areas}
    rule = framework.digital_family
    if rule is not None:
        sets.update({f"skill:{key}": ids for key, ids in rule.skills.items()})
        sets["skill:all"] = rule.competency_ids
    return {key: tuple(c for c in dict.fromkeys(ids) if competency_lessons.get(c))
            for key, ids in sets.items()}


def basis(sets: Mapping[str, Sequence[str]],
          competency_lessons: Mapping[str, Sequence[str]]) -> str:
    """A short name of what the completion counts mean: their sets and the lessons of each
    competency. Another content release with other lessons counts under another basis."""
    used = sorted({comp for comps in sets.values() for comp in comps})
    text = json.dumps([sorted(sets.items()),
                       [(comp, sorted(set(competency_lessons[comp]))) for comp in used]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def completion_flags(done: set[str], sets: Mapping[str, Sequence[str]],
                     competency_lessons: Mapping[str, Sequence[str]]) -> dict[str, tuple[int, int]]:
    """For one learner's completed lessons: per set, (1 if every lesson of at least one of its
    competencies is done, 1 if of every one); sets without competencies are left out."""
    complete = {comp: set(competency_lessons[comp]) <= done
                for comps in sets.values() for comp in comps}
    return {key: (int(any(complete[c] for c in comps)), int(all(complete[c] for c in comps)))
            for key, comps in sets.items() if comps}


def completion_basis(framework: Framework,
                     competency_lessons: Mapping[str, Sequence[str]]) -> tuple[dict, str]:
    sets = completion_sets(framework, competency_lessons)
    return sets, basis(sets, competency_lessons)


def _completions_name(basis_name: str) -> str:
    return f"completions:{basis_name}"


# --- keeping them in step ------------------------------------------------------------------


def _locked_learner(learner_id: int) -> tuple[int, str] | None:
    """Lock the learner for the totals' changes; their ward and group key (as committed by
    then), or None when they are counted nowhere.

    PostgreSQL: FOR NO KEY UPDATE waits for another sync, certificate or group change of the
    learner to commit and then reads the row as it committed it (it does not conflict with
    the key-share locks that inserting their events takes). SQLite: the caller's transaction
    holds the database's write lock already.
    """
    query = select(User.ward_id, User.group, User.role).where(User.id == learner_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(key_share=True)  # FOR NO KEY UPDATE
    row = db.session.execute(query).one_or_none()
    if row is None or row.role != Role.LEARNER or row.ward_id is None:
        return None
    return row.ward_id, row.group or ""


def _new_markers(model, rows: list[dict], returned) -> list:
    """Insert markers not there yet; return the chosen column of those inserted."""
    if not rows:
        return []
    statement = insert_on_conflict(model).on_conflict_do_nothing().returning(returned)
    return list(db.session.scalars(statement, rows))


def _add(model, keys: dict, **deltas: int) -> None:
    """counter = counter + delta for one row of a counter table, inserting it if new."""
    statement = insert_on_conflict(model).values(**keys, **deltas)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: getattr(model, name) + getattr(statement.excluded, name) for name in deltas})
    db.session.execute(statement)


def record_events(learner_id: int, rows: Iterable[Mapping], release, tz: tzinfo) -> None:
    """Count the newly stored events of one learner: active months and completed lessons.

    `rows` are the events just inserted (each once: duplicates were not inserted)."""
    from hue_literacy.progress.services import competency_lesson_ids

    rows = list(rows)
    if not rows:
        return
    who = _locked_learner(learner_id)
    if who is None:
        return
    ward_id, group = who
    months = sorted({month_of(row["occurred_at"], tz) for row in rows})
    new_months = _new_markers(LearnerMonth, [{"learner_id": learner_id, "month": month}
                                             for month in months], LearnerMonth.month)
    lessons = sorted({row["lesson_id"] for row in rows if row["kind"] == COMPLETED})
    new_lessons = set(_new_markers(LessonDone, [{"learner_id": learner_id, "lesson_id": lesson}
                                                for lesson in lessons], LessonDone.lesson_id))
    for month in sorted(new_months):
        _add(WardActivity, {"ward_id": ward_id, "month": month, "group": group}, learners=1)
    if not new_lessons:
        return
    competency_lessons = competency_lesson_ids(release)
    sets, basis_name = completion_basis(release.framework, competency_lessons)
    if db.session.get(TallyBuild, _completions_name(basis_name)) is None:
        return  # not built for this content yet: the rebuild will count them
    done = set(db.session.scalars(
        select(LessonDone.lesson_id).where(LessonDone.learner_id == learner_id)))
    before = completion_flags(done - new_lessons, sets, competency_lessons)
    after = completion_flags(done, sets, competency_lessons)
    for key in sorted(after):
        some, every = after[key][0] - before[key][0], after[key][1] - before[key][1]
        if some or every:
            _add(WardCompletion, {"ward_id": ward_id, "basis": basis_name, "set_key": key},
                 some=some, every=every)


def certificate_changed(learner_id: int) -> None:
    """Count the learner as certified exactly while they hold a valid certificate (call
    after issuing or revoking one, in the same transaction)."""
    who = _locked_learner(learner_id)
    if who is None:
        return
    holds = db.session.scalar(select(func.count()).where(
        Certificate.learner_id == learner_id, Certificate.revoked_at.is_(None))) > 0
    counted = db.session.get(CertifiedLearner, learner_id) is not None
    if holds == counted:
        return
    if holds:
        db.session.execute(insert_on_conflict(CertifiedLearner).values(learner_id=learner_id)
                           .on_conflict_do_nothing())
    else:
        db.session.execute(delete(CertifiedLearner)
                           .where(CertifiedLearner.learner_id == learner_id))
    _add(WardCertified, {"ward_id": who[0], "group": who[1]}, learners=1 if holds else -1)


def move_group(learner_id: int, ward_id: int | None, old: str | None, new: str | None) -> None:
    """Move a learner's counted months and certificate from their old group to the new one."""
    old, new = old or "", new or ""
    if old == new or ward_id is None or _locked_learner(learner_id) is None:
        return
    months = sorted(db.session.scalars(
        select(LearnerMonth.month).where(LearnerMonth.learner_id == learner_id)))
    for month in months:
        for group, delta in sorted(((old, -1), (new, 1))):
            _add(WardActivity, {"ward_id": ward_id, "month": month, "group": group},
                 learners=delta)
    if db.session.get(CertifiedLearner, learner_id) is not None:
        for group, delta in sorted(((old, -1), (new, 1))):
            _add(WardCertified, {"ward_id": ward_id, "group": group}, learners=delta)


# --- reading -----------------------------------------------------------------------------------


def lessons_done_kept() -> bool:
    """Whether `LessonDone` holds every lesson each learner completed: `flask dashboard
    rebuild` fills it (with the activity totals) and record_events keeps it since."""
    return db.session.get(TallyBuild, ACTIVITY) is not None


def built_names() -> set[str]:
    """The kinds of totals that have been built (the others are counted live)."""
    return set(db.session.scalars(select(TallyBuild.name)))


def completions_built(built: set[str], framework: Framework,
                      competency_lessons: Mapping[str, Sequence[str]]) -> str | None:
    """The basis of the content's completion totals when they are built, else None."""
    _sets, basis_name = completion_basis(framework, competency_lessons)
    return basis_name if _completions_name(basis_name) in built else None


def activity(ward_ids: Sequence[int], since: date) -> list[tuple[int, date, str, int]]:
    """(ward, month, group, active learners) of the wards from the month of `since` on."""
    return [tuple(row) for row in db.session.execute(
        select(WardActivity.ward_id, WardActivity.month, WardActivity.group,
               WardActivity.learners)
        .where(WardActivity.ward_id.in_(ward_ids), WardActivity.month >= since))]


def certified(ward_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """{(ward, group): learners holding a valid certificate}."""
    return {(ward_id, group): learners for ward_id, group, learners in db.session.execute(
        select(WardCertified.ward_id, WardCertified.group, WardCertified.learners)
        .where(WardCertified.ward_id.in_(ward_ids)))}


def completions(ward_id: int, basis_name: str) -> dict[str, tuple[int, int]]:
    """{set key: (some, every)} of a ward."""
    return {key: (some, every) for key, some, every in db.session.execute(
        select(WardCompletion.set_key, WardCompletion.some, WardCompletion.every)
        .where(WardCompletion.ward_id == ward_id, WardCompletion.basis == basis_name))}


# --- rebuilding ----------------------------------------------------------------------------


def rebuild(release, tz: tzinfo) -> dict[str, int]:
    """Recompute every total from the events and certificates, in the caller's transaction.

    Every writer of totals waits meanwhile (PostgreSQL: the tables locked EXCLUSIVE, which
    still lets pages read them; SQLite: the write lock taken by the first DELETE). Return how
    many rows each kind holds."""
    from hue_literacy.progress.services import competency_lesson_ids

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {', '.join(TABLES_IN_WRITE_ORDER)} "
                                "IN EXCLUSIVE MODE"))
    for model in (WardCompletion, WardCertified, WardActivity, CertifiedLearner, LessonDone,
                  LearnerMonth, TallyBuild):
        db.session.execute(delete(model))
    _rebuild_months(tz)
    db.session.execute(LessonDone.__table__.insert().from_select(
        ["learner_id", "lesson_id"],
        select(ProgressEvent.learner_id, ProgressEvent.lesson_id)
        .where(ProgressEvent.kind == COMPLETED).distinct()))
    db.session.execute(CertifiedLearner.__table__.insert().from_select(
        ["learner_id"],
        select(Certificate.learner_id).where(Certificate.revoked_at.is_(None)).distinct()))
    learners = (User.role == Role.LEARNER, User.ward_id.is_not(None))
    group = func.coalesce(User.group, "")
    db.session.execute(WardActivity.__table__.insert().from_select(
        ["ward_id", "month", "group", "learners"],
        select(User.ward_id, LearnerMonth.month, group, func.count())
        .select_from(LearnerMonth).join(User, User.id == LearnerMonth.learner_id)
        .where(*learners)
        .group_by(User.ward_id, LearnerMonth.month, group)))
    db.session.execute(WardCertified.__table__.insert().from_select(
        ["ward_id", "group", "learners"],
        select(User.ward_id, group, func.count())
        .select_from(CertifiedLearner).join(User, User.id == CertifiedLearner.learner_id)
        .where(*learners)
        .group_by(User.ward_id, group)))
    competency_lessons = competency_lesson_ids(release)
    sets, basis_name = completion_basis(release.framework, competency_lessons)
    _rebuild_completions(sets, basis_name, competency_lessons)
    names = [ACTIVITY, CERTIFIED, _completions_name(basis_name)]
    db.session.add_all(TallyBuild(name=name) for name in names)
    db.session.flush()
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (LearnerMonth, LessonDone, CertifiedLearner, WardActivity,
                          WardCertified, WardCompletion)}


def _rebuild_months(tz: tzinfo) -> None:
    """A learner's active months, one month of events at a time (the time index serves)."""
    first, last = db.session.execute(
        select(func.min(ProgressEvent.occurred_at), func.max(ProgressEvent.occurred_at))).one()
    if first is None:
        return
    month, end = month_of(first, tz), month_of(last, tz)
    while month <= end:
        following = next_month(month)
        db.session.execute(LearnerMonth.__table__.insert().from_select(
            ["learner_id", "month"],
            select(ProgressEvent.learner_id, literal(month, LearnerMonth.month.type))
            .where(ProgressEvent.occurred_at >= month_begins(month, tz),
                   ProgressEvent.occurred_at < month_begins(following, tz))
            .distinct()))
        month = following


def _rebuild_completions(sets: Mapping[str, Sequence[str]], basis_name: str,
                         competency_lessons: Mapping[str, Sequence[str]]) -> None:
    """Per ward and set, the learners whose completed lessons make the set (the same rule
    as record_events, learner by learner)."""
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = db.session.execute(
        select(LessonDone.learner_id, User.ward_id, LessonDone.lesson_id)
        .select_from(LessonDone).join(User, User.id == LessonDone.learner_id)
        .where(User.role == Role.LEARNER, User.ward_id.is_not(None))
        .order_by(LessonDone.learner_id)
        .execution_options(yield_per=20_000))
    for (_learner_id, ward_id), done in groupby(rows, key=lambda row: (row[0], row[1])):
        for key, (some, every) in completion_flags({row[2] for row in done}, sets,
                                                   competency_lessons).items():
            if some:
                counts = totals[(ward_id, key)]
                counts[0] += some
                counts[1] += every
    if totals:
        db.session.execute(WardCompletion.__table__.insert(), [
            {"ward_id": ward_id, "basis": basis_name, "set_key": key, "some": some,
             "every": every}
            for (ward_id, key), (some, every) in sorted(totals.items())])
