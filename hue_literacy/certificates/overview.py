"""The official's certificates page: who to approve, who is close, who is ready to assess.

Three lists, each paginated, searchable by name and cheap however many learners the ward has:
SQL sorts learners into the lists by what it can count (the competencies assessed "alone",
the profile's lessons completed, a valid certificate held); mastery, which needs each
learner's answers judged one by one, is worked out only for the learners on the page shown.

- ready:     assessed alone in every competency of the profile, every lesson of it completed;
- close:     assessed alone in all but CLOSE_MISSING competencies (and not in "ready");
- to assess: every lesson of the profile completed, assessed alone in fewer competencies
             (a learner who mastered 8 of 8 in practice and was never assessed is here).

Completing every lesson is needed to master them, so nobody who mastered a profile is left out;
the page then says, for each learner shown, what is mastered and what is still missing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, case, distinct, func, or_, select, true

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.certificates.eligibility import CLOSE_MISSING, Eligibility, eligibility_of_many
from hue_literacy.certificates.models import Certificate
from hue_literacy.classes.models import Assessment, Result
from hue_literacy.classes.services import latest_assessments
from hue_literacy.content.framework import Framework, localised
from hue_literacy.dashboard import tallies
from hue_literacy.dashboard.models import LessonDone
from hue_literacy.extensions import db
from hue_literacy.households.text import fold
from hue_literacy.progress.services import COMPLETED, profile_lessons
from hue_literacy.sync.models import ProgressEvent

PAGE_SIZE = 10  # learners per list and page: each one shown is judged (mastery)
ISSUED_PAGE_SIZE = 20
READY, CLOSE, TO_ASSESS = "ready", "close", "assess"
LISTS = (READY, CLOSE, TO_ASSESS)


@dataclass(frozen=True)
class Candidate:
    learner: User
    eligibility: Eligibility

    @property
    def mastered_count(self) -> int:
        return len(self.eligibility.competency_ids) - len(self.eligibility.not_mastered)


@dataclass(frozen=True)
class Listing:
    """One page of a list, with how many there are in all."""

    items: list
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _profiles(ward_id: int, framework: Framework) -> dict[str, list[str | None]]:
    """Profile id -> the groups of the ward's learners that follow it."""
    groups = db.session.scalars(
        select(User.group).where(User.ward_id == ward_id, User.role == Role.LEARNER).distinct())
    found: dict[str, list[str | None]] = {}
    for group in groups:
        profile = framework.profile_for_group(group)
        if profile is not None and profile.competency_ids:
            found.setdefault(profile.id, []).append(group)
    return found


def _in_groups(groups: Sequence[str | None]):
    known = [group for group in groups if group is not None]
    clauses = [User.group.in_(known)] if known else []
    if None in groups:
        clauses.append(User.group.is_(None))
    return or_(*clauses)


def sorted_ids(ward_id: int, release) -> dict[str, list[tuple[int, str]]]:
    """(learner id, name) of each list, by name: a few grouped counts in SQL, nothing judged.

    Each count starts from the rows it counts (assessments "alone", completions) and looks
    the learners up by id: starting from the ward's learners would search every one of them.
    """
    framework = release.framework
    found: dict[str, list[tuple[int, str]]] = {name: [] for name in LISTS}
    for profile_id, groups in _profiles(ward_id, framework).items():
        competencies = sorted(set(framework.profile(profile_id).competency_ids))
        lessons = sorted(set(profile_lessons(release, competencies)))
        needed = len(competencies)
        in_ward = and_(User.ward_id == ward_id, User.role == Role.LEARNER,
                       User.deleted_at.is_(None), _in_groups(groups))
        alone = _alone_counts(competencies, in_ward, at_least=needed - CLOSE_MISSING)
        done = _completed_all(lessons, in_ward)
        if done - set(alone):
            alone.update(_alone_counts(competencies, in_ward, among=sorted(done - set(alone))))
        held = set(db.session.scalars(select(Certificate.learner_id).where(
            Certificate.revoked_at.is_(None), Certificate.profile_id == profile_id,
            Certificate.ward_id == ward_id)))
        ids = sorted((set(alone) | done) - held)
        if not ids:
            continue
        names = db.session.execute(select(User.id, User.full_name).where(
            User.id.in_(ids), in_ward).order_by(User.full_name, User.id))
        for learner_id, name in names:
            count = alone.get(learner_id, 0)
            if count >= needed and learner_id in done:
                found[READY].append((learner_id, name or ""))
            elif count >= needed - CLOSE_MISSING:
                found[CLOSE].append((learner_id, name or ""))
            elif learner_id in done:
                found[TO_ASSESS].append((learner_id, name or ""))
    for items in found.values():  # several profiles: one order
        items.sort(key=lambda item: (item[1], item[0]))
    return found


def _alone_counts(competencies: Sequence[str], in_ward, at_least: int = 0,
                  among: Sequence[int] | None = None) -> dict[int, int]:
    """Learner id -> how many of `competencies` they did alone in some assessment."""
    count = func.count(distinct(Assessment.competency_id))
    query = (select(Assessment.learner_id, count)
             .where(Assessment.result == Result.ALONE,
                    Assessment.competency_id.in_(competencies),
                    _of_ward(Assessment.learner_id, in_ward))
             .group_by(Assessment.learner_id))
    if among is not None:
        query = query.where(Assessment.learner_id.in_(among))
    if at_least > 0:
        query = query.having(count >= at_least)
    return dict(db.session.execute(query).all())


def _completed_all(lessons: Sequence[str], in_ward) -> set[int]:
    """Learners who completed each of `lessons` at least once (needed to master them).

    From the dashboard's marker of each lesson a learner completed, once built (one grouped
    count; 6 ms for a ward of 20,000 learners against 30 ms from the events). Else from the
    events: first the learners with as many completions of any lesson (the index alone,
    counted as it is read), then the exact count of distinct lessons for those few.
    """
    if not lessons:
        return set(db.session.scalars(select(User.id).where(in_ward)))
    if tallies.lessons_done_kept():
        return set(db.session.scalars(
            select(LessonDone.learner_id)
            .where(LessonDone.lesson_id.in_(lessons), _of_ward(LessonDone.learner_id, in_ward))
            .group_by(LessonDone.learner_id)
            .having(func.count() >= len(lessons))))
    enough = list(db.session.scalars(
        select(ProgressEvent.learner_id)
        .where(ProgressEvent.kind == COMPLETED, _of_ward(ProgressEvent.learner_id, in_ward))
        .group_by(ProgressEvent.learner_id)
        .having(func.count() >= len(lessons))))
    if not enough:
        return set()
    # The lesson test sits in the count, not the WHERE: each learner's completions are then
    # one range of the index instead of a search per learner and lesson.
    of_profile = case((ProgressEvent.lesson_id.in_(lessons), ProgressEvent.lesson_id))
    return set(db.session.scalars(
        select(ProgressEvent.learner_id)
        .where(ProgressEvent.kind == COMPLETED, ProgressEvent.learner_id.in_(enough))
        .group_by(ProgressEvent.learner_id)
        .having(func.count(distinct(of_profile)) >= len(lessons))))


def _of_ward(learner_column, in_ward):
    """Limit a count to the ward's learners where that makes it cheaper.

    PostgreSQL (the city's server, many wards) joins the ward's learners by hash. SQLite (a
    ward's PC) would instead search the rows of each of the ward's learners one by one, so
    there the count reads the index alone and sorted_ids keeps only the ward's learners.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return true()
    return learner_column.in_(select(User.id).where(in_ward))


def matching(items: list[tuple[int, str]], query: str) -> list[tuple[int, str]]:
    """The items whose name holds the words of `query`, accents and case aside."""
    words = fold(query).split()
    if not words:
        return items
    return [item for item in items if all(word in folded_name(item[1]) for word in words)]


@lru_cache(maxsize=50_000)
def folded_name(name: str) -> str:
    """A name folded once per process: each search reads every name of the ward's lists
    (a ward of 20,000 learners holds some 3 MB of them here)."""
    return fold(name)


def page_of(ids: list[int], page: int, size: int = PAGE_SIZE) -> tuple[list[int], int]:
    """The ids of page `page` (1-based, clamped to the last page) and the page number."""
    pages = max(1, -(-len(ids) // size))
    page = min(max(1, page), pages)
    return ids[(page - 1) * size:page * size], page


def candidates(learner_ids: Sequence[int], release) -> list[Candidate]:
    """The learners shown, each with their eligibility worked out now (mastery judged)."""
    if not learner_ids:
        return []
    by_id = {learner.id: learner for learner in db.session.scalars(
        select(User).where(User.id.in_(list(learner_ids))))}
    learners = [by_id[learner_id] for learner_id in learner_ids if learner_id in by_id]
    results = eligibility_of_many(learners, release, cached=True)
    return [Candidate(learner, results[learner.id]) for learner in learners]


def ward_lists(ward_id: int, release, pages: dict[str, int], query: str = "") -> dict[str, Listing]:
    """The three lists of the page, each at its page number, searched by name."""
    lists = sorted_ids(ward_id, release)
    shown: dict[str, tuple[list[int], int, int]] = {}
    for name in LISTS:
        ids = [learner_id for learner_id, _name in matching(lists[name], query)]
        page_ids, page = page_of(ids, pages.get(name, 1))
        shown[name] = (page_ids, len(ids), page)
    judged = {candidate.learner.id: candidate for candidate in candidates(
        [learner_id for page_ids, _total, _page in shown.values() for learner_id in page_ids],
        release)}
    return {name: Listing([judged[i] for i in page_ids if i in judged], total, page)
            for name, (page_ids, total, page) in shown.items()}


def issued_page(ward_id: int, page: int, query: str = "") -> Listing:
    """Certificates issued in the ward, newest serial first, one page (SQL COUNT and OFFSET);
    a search by name compares the names as printed, accents and case aside."""
    size = ISSUED_PAGE_SIZE
    order = (Certificate.year.desc(), Certificate.number.desc())
    if fold(query):
        rows = db.session.execute(select(Certificate.id, Certificate.learner_name)
                                  .where(Certificate.ward_id == ward_id).order_by(*order))
        ids = [cert_id for cert_id, _name in matching(
            [(cert_id, name or "") for cert_id, name in rows], query)]
        shown, page = page_of(ids, page, size)
        by_id = {cert.id: cert for cert in db.session.scalars(
            select(Certificate).where(Certificate.id.in_(shown)))} if shown else {}
        return Listing([by_id[cert_id] for cert_id in shown], len(ids), page, size)
    total = db.session.scalar(select(func.count()).select_from(Certificate)
                              .where(Certificate.ward_id == ward_id)) or 0
    page = min(max(1, page), max(1, -(-total // size)))
    items = list(db.session.scalars(
        select(Certificate).where(Certificate.ward_id == ward_id).order_by(*order)
        .offset((page - 1) * size).limit(size)))
    return Listing(items, total, page, size)


# --- the review before issuing ------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One competency of the profile on the review page: practice and the assessment."""

    competency_id: str
    text: str
    mastered: bool
    assessment: Assessment | None  # the latest, the one that counts

    @property
    def alone(self) -> bool:
        return self.assessment is not None and self.assessment.result == Result.ALONE


def evidence(learner_id: int, eligibility: Eligibility, framework: Framework,
             locale: str) -> list[Evidence]:
    """Each competency of the learner's profile with what backs it, in the profile's order."""
    latest = latest_assessments(learner_id)
    not_mastered = set(eligibility.not_mastered)
    found = []
    for competency_id in eligibility.competency_ids:
        competency = framework.competencies.get(competency_id)
        found.append(Evidence(
            competency_id=competency_id,
            text=localised(competency.text, locale) if competency else competency_id,
            mastered=competency_id not in not_mastered,
            assessment=latest.get(competency_id),
        ))
    return found
