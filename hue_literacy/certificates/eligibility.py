"""Who may receive a certificate: every competency of the group's profile mastered in practice
and confirmed "did it alone" in the learner's latest practical assessment.

`decide()` is a pure function of its arguments; `eligibility_for()` gathers those arguments
from progress (mastery) and classes (assessments).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from hue_literacy.accounts.models import User
from hue_literacy.certificates.models import MasteryCache
from hue_literacy.classes.models import Assessment
from hue_literacy.database import insert_on_conflict
from hue_literacy.extensions import db
from hue_literacy.progress import services as progress
from hue_literacy.sync.models import ProgressEvent

# A learner still missing this many competencies (or fewer) is shown as "close".
CLOSE_MISSING = 2
ALONE = "alone"


@dataclass(frozen=True)
class AssessmentResult:
    """The latest practical assessment of one competency, as the certificate needs it."""

    competency_id: str
    outcome: str  # "alone", "with_help" or "not_yet"
    assessor_id: int | None = None
    assessor_name: str | None = None


@dataclass(frozen=True)
class Eligibility:
    """What a learner has and lacks for the certificate of their profile."""

    profile_id: str | None
    competency_ids: tuple[str, ...] = ()
    not_mastered: tuple[str, ...] = ()
    not_assessed_alone: tuple[str, ...] = ()
    assessors: tuple[tuple[int | None, str | None], ...] = field(default=())

    @property
    def eligible(self) -> bool:
        return bool(self.competency_ids) and not self.not_mastered and not self.not_assessed_alone

    @property
    def missing(self) -> tuple[str, ...]:
        """Competencies still lacking something, in the profile's order."""
        lacking = set(self.not_mastered) | set(self.not_assessed_alone)
        return tuple(comp for comp in self.competency_ids if comp in lacking)

    @property
    def close(self) -> bool:
        return bool(self.competency_ids) and 0 < len(self.missing) <= CLOSE_MISSING

    @property
    def assessor_ids(self) -> tuple[int, ...]:
        return tuple(assessor_id for assessor_id, _name in self.assessors if assessor_id)

    @property
    def assessor_names(self) -> tuple[str, ...]:
        return tuple(name for _id, name in self.assessors if name)


def decide(
    profile_id: str | None,
    competency_ids: Iterable[str],
    mastered: Iterable[str],
    assessments: Mapping[str, AssessmentResult] | Iterable[AssessmentResult],
    untaught: Iterable[str] = (),
) -> Eligibility:
    """Compare a profile's competencies with what is mastered and what was done alone.

    A competency that no lesson trains yet (`untaught`: the content check warns about it) cannot
    be mastered in practice, so only its practical assessment is asked for.
    """
    competency_ids = tuple(dict.fromkeys(competency_ids))
    if not profile_id or not competency_ids:
        return Eligibility(profile_id=profile_id)
    mastered = set(mastered) | set(untaught)
    if not isinstance(assessments, Mapping):
        assessments = {result.competency_id: result for result in assessments}
    not_mastered = tuple(comp for comp in competency_ids if comp not in mastered)
    not_alone = tuple(
        comp for comp in competency_ids
        if comp not in assessments or assessments[comp].outcome != ALONE
    )
    assessors: dict[tuple[int | None, str | None], None] = {}
    for comp in competency_ids:
        result = assessments.get(comp)
        if result is not None and result.outcome == ALONE and (
            result.assessor_id or result.assessor_name
        ):
            assessors[(result.assessor_id, result.assessor_name)] = None
    return Eligibility(
        profile_id=profile_id,
        competency_ids=competency_ids,
        not_mastered=not_mastered,
        not_assessed_alone=not_alone,
        assessors=tuple(assessors),
    )


# --- loading -------------------------------------------------------------------------------


def mastered_of_many(learners: Sequence, release) -> dict[int, set[str]]:
    """Competencies each learner has mastered in practice (progress decides), in one query."""
    today = datetime.now(UTC).date()  # only the weekly goal depends on the day
    found = progress.progress_of_many(learners, release, today, UTC)
    return {learner_id: set(result.mastered_ids) for learner_id, result in found.items()}


def latest_results_of_many(learner_ids: Sequence[int]) -> dict[int, dict[str, AssessmentResult]]:
    """Each learner's latest practical assessment per competency, as classes orders them
    (classes.services.latest_assessments_of), read as plain columns: lists show many."""
    found: dict[int, dict[str, AssessmentResult]] = {learner_id: {} for learner_id in learner_ids}
    if not learner_ids:
        return found
    assessor = aliased(User)
    rows = db.session.execute(
        select(Assessment.learner_id, Assessment.competency_id, Assessment.result,
               Assessment.assessor_id, assessor.full_name)
        .outerjoin(assessor, assessor.id == Assessment.assessor_id)
        .where(Assessment.learner_id.in_(list(learner_ids)))
        .order_by(Assessment.learner_id, Assessment.competency_id, Assessment.assessed_on,
                  Assessment.id))
    for learner_id, competency_id, outcome, assessor_id, name in rows:
        found[learner_id][competency_id] = AssessmentResult(competency_id, outcome, assessor_id,
                                                            name)
    return found


def _stamps(learner_ids: Sequence[int], release) -> dict[int, str]:
    """Per learner, what their mastery was judged from: the content and their events."""
    prefix = release.content_hash[:16]
    found = {learner_id: f"{prefix}:0:0" for learner_id in learner_ids}
    if not learner_ids:
        return found
    rows = db.session.execute(
        select(ProgressEvent.learner_id, func.count(), func.max(ProgressEvent.id))
        .where(ProgressEvent.kind.in_(progress.LOADED_KINDS),
               ProgressEvent.learner_id.in_(list(learner_ids)))
        .group_by(ProgressEvent.learner_id))
    for learner_id, count, last_id in rows:
        found[learner_id] = f"{prefix}:{count}:{last_id}"
    return found


def mastered_of_many_cached(learners: Sequence, release) -> dict[int, set[str]]:
    """As mastered_of_many, judging again only the learners whose events or content changed
    since they were last judged (the caller commits the refreshed judgements)."""
    ids = [learner.id for learner in learners]
    stamps = _stamps(ids, release)
    # Plain columns, not MasteryCache objects: a list reads thousands (the objects were a
    # tenth of the official's certificates page).
    cached = {learner_id: (stamp, mastered) for learner_id, stamp, mastered in db.session.execute(
        select(MasteryCache.learner_id, MasteryCache.stamp, MasteryCache.mastered_ids)
        .where(MasteryCache.learner_id.in_(ids)))} if ids else {}
    stale = [learner for learner in learners
             if learner.id not in cached or cached[learner.id][0] != stamps[learner.id]]
    found = {learner_id: set(mastered or ()) for learner_id, (_stamp, mastered) in cached.items()}
    if stale:
        fresh = mastered_of_many(stale, release)
        now = datetime.now(UTC)
        rows = [{"learner_id": learner.id, "stamp": stamps[learner.id],
                 "mastered_ids": sorted(fresh[learner.id]), "computed_at": now}
                for learner in stale]
        statement = insert_on_conflict(MasteryCache).values(rows)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=[MasteryCache.learner_id],
            set_={"stamp": statement.excluded.stamp,
                  "mastered_ids": statement.excluded.mastered_ids,
                  "computed_at": statement.excluded.computed_at}))
        found.update(fresh)
    return found


def eligibility_of_many(
    learners: Sequence, release, cached: bool = False
) -> dict[int, Eligibility]:
    """Eligibility of several learners for the certificate of their group's profile.

    `cached`: reuse judgements of mastery that are still true (lists shown to officials);
    issuing always judges afresh.
    """
    mastered = (mastered_of_many_cached if cached else mastered_of_many)(learners, release)
    latest = latest_results_of_many([learner.id for learner in learners])
    framework = release.framework
    untaught = untaught_competencies(release)
    results = {}
    for learner in learners:
        profile = framework.profile_for_group(learner.group)
        results[learner.id] = decide(
            profile.id if profile else None,
            profile.competency_ids if profile else (),
            mastered[learner.id],
            latest[learner.id],
            untaught,
        )
    return results


def untaught_competencies(release) -> frozenset[str]:
    """Competencies of the framework that no lesson trains yet."""
    return frozenset(comp_id for comp_id, lesson_ids in progress.competency_lesson_ids(
        release).items() if not lesson_ids)


def eligibility_for(learner, release) -> Eligibility:
    """One learner's eligibility, computed from their events and assessments now."""
    return eligibility_of_many([learner], release)[learner.id]
