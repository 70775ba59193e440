"""What the household's learners achieved, read from other features through small adapters.

- Certificates: `hue_literacy.certificates.services.holds_valid_certificate(user_id)` is used
  when that module exists. Until the certificates feature lands, `certified()` answers "no
  certificate" for everyone, so a Digital Family is decided by mastery alone.
- Mastery and "stuck": the functions of `hue_literacy.progress.services`.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from sqlalchemy import Select

from hue_literacy.content.access import release

FAMILY_PROFILE = "basic"


def _optional(module: str, name: str) -> Callable | None:
    """The function `name` of `module`, or None while that feature is not installed."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ModuleNotFoundError as missing:
        if missing.name and module.startswith(missing.name):
            return None
        raise


def certified(learner_ids: Iterable[int]) -> set[int]:
    """The learners holding a valid certificate (none while certificates are absent)."""
    holds = _optional("hue_literacy.certificates.services", "holds_valid_certificate")
    if holds is None:
        return set()
    return {learner_id for learner_id in learner_ids if holds(learner_id)}


def mastered_family_profile(learner_ids: Iterable[int]) -> set[int]:
    """The learners who mastered every competency of the family ("basic") profile."""
    from hue_literacy.progress import services as progress

    ids = sorted(set(learner_ids))
    current = release()
    profile = current.framework.profile(FAMILY_PROFILE)
    if not ids or profile is None:
        return set()
    needed = {
        comp_id: lesson_ids
        for comp_id, lesson_ids in progress.competency_lesson_ids(current).items()
        if comp_id in profile.competency_ids
    }
    everything = current.in_lang(progress.CANONICAL_LANG)
    lessons = {lesson_id: everything[lesson_id]
               for lesson_ids in needed.values() for lesson_id in lesson_ids}
    events = progress.events_by_learner(ids)
    rule = current.framework.mastery
    return {
        learner_id for learner_id in ids
        if all(
            state.mastered
            for state in progress.mastery(events[learner_id], lessons, needed, rule).values()
        )
    }


def digital_learners(learner_ids: Iterable[int]) -> set[int]:
    """Learners who make their household a Digital Family: certified or mastered."""
    ids = set(learner_ids)
    found = certified(ids)
    return found | mastered_family_profile(ids - found)


def stuck(learner_ids: Iterable[int] | Select) -> set[int]:
    """The learners stuck on a step (several failed tries lately): they need a visit.

    `learner_ids` may be a SELECT of ids, so a whole ward is judged in one query.
    """
    from hue_literacy.progress import services as progress

    if not isinstance(learner_ids, Select):
        learner_ids = sorted(set(learner_ids))
        if not learner_ids:
            return set()
    return {learner_id for learner_id, steps in progress.stuck_steps(learner_ids).items() if steps}
