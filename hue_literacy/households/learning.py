"""What the household's learners achieved: certificates held, mastery, "stuck" steps.

- The Digital Family rule is data: `digital_family` in content/framework.yaml (which
  competencies make each of the five basic skills, how many members must hold them all).
- Certificates: `hue_literacy.certificates.services.certified_competencies()`.
- Mastery and "stuck": the functions of `hue_literacy.progress.services`.

The content release is passed in by the caller (views and commands read it from the request).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select

from hue_literacy.certificates import services as certificates
from hue_literacy.content.release import ContentRelease
from hue_literacy.progress import services as progress


def certified_competencies(learner_ids: Iterable[int]) -> dict[int, set[str]]:
    """Competencies each learner's valid certificates confirm (of any framework version)."""
    return certificates.certified_competencies(learner_ids)


def mastered_competencies(learner_ids: Iterable[int], competency_ids: Iterable[str],
                          current: ContentRelease) -> dict[int, set[str]]:
    """Which of `competency_ids` each learner has mastered in practice."""
    ids = sorted(set(learner_ids))
    wanted = set(competency_ids)
    if not ids or not wanted:
        return {}
    needed = {comp_id: lesson_ids
              for comp_id, lesson_ids in progress.competency_lesson_ids(current).items()
              if comp_id in wanted}
    everything = current.in_lang(progress.CANONICAL_LANG)
    lessons = {lesson_id: everything[lesson_id]
               for lesson_ids in needed.values() for lesson_id in lesson_ids}
    events = progress.events_by_learner(ids)
    rule = current.framework.mastery
    return {
        learner_id: {comp_id for comp_id, state in progress.mastery(
            events[learner_id], lessons, needed, rule).items() if state.mastered}
        for learner_id in ids
    }


def digital_learners(learner_ids: Iterable[int], current: ContentRelease) -> set[int]:
    """Learners holding all five basic skills of the framework's Digital Family rule.

    A basic skill is held when each of its competencies is mastered in practice or confirmed
    by a valid certificate; competency ids keep their meaning across framework versions, so a
    version 1 certificate counts for the competencies it confirms.
    """
    rule = current.framework.digital_family
    ids = set(learner_ids)
    if rule is None or not ids:
        return set()
    certified = certified_competencies(ids)
    needed = set(rule.competency_ids)
    achieved = {learner_id: certified.get(learner_id, set()) & needed for learner_id in ids}
    unsure = [learner_id for learner_id in ids if not needed <= achieved[learner_id]]
    for learner_id, mastered in mastered_competencies(unsure, needed, current).items():
        achieved[learner_id] |= mastered
    return {learner_id for learner_id in ids if rule.holds_all(achieved[learner_id])}


def is_digital_family(household_learners: set[int], digital: set[int],
                      current: ContentRelease) -> bool:
    """A household is a Digital Family when enough of its learners hold the basic skills."""
    rule = current.framework.digital_family
    needed = rule.members if rule else 1
    return len(household_learners & digital) >= needed


def stuck(learner_ids: Iterable[int] | Select) -> set[int]:
    """The learners stuck on a step (several failed tries lately): they need a visit.

    `learner_ids` may be a SELECT of ids, so a whole ward is judged in one query.
    """
    if not isinstance(learner_ids, Select):
        learner_ids = sorted(set(learner_ids))
        if not learner_ids:
            return set()
    return {learner_id for learner_id, steps in progress.stuck_steps(learner_ids).items() if steps}
