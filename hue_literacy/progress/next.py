"""What a learner should do next: one rule, used by home, the lesson's end screen and progress.

The rule ranks every lesson worth taking (the *plan*), best first:
1. a half-done lesson (a step answered since its last completion), the latest first;
2. the lessons of the learner's path (their group's path in the framework) not done yet,
   in the path's order;
3. the path's lessons done but not mastered (changed since, or answered with hints);
4. every other lesson not done, in catalogue order; then 5. those done but not mastered.
When the plan is empty every lesson is mastered: the pages say so.

The server's pages show the plan's first lesson. A phone merges the events still waiting in
its own queue into the plan the server sent (static/js/next.js): a lesson completed there is
passed over, a lesson begun there comes first, as the server will rank them once they arrive.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

CONTINUE = "continue"  # half-done
NEW = "new"  # not done yet (on the path or beyond it)
REFRESH = "refresh"  # done on an older version of the lesson
PRACTISE = "practise"  # done, but its steps need better tries


class LessonState(Protocol):
    completed: bool
    passed: bool
    needs_refresh: bool
    half_done_at: object  # when it was last worked on since its last completion, or None


@dataclass(frozen=True)
class Suggestion:
    """One lesson of the plan and why it is there."""

    lesson_id: str
    reason: str  # continue | new | refresh | practise
    on_path: bool


def learner_path(framework, order: Sequence[str], profile_lessons: Sequence[str],
                 group: str | None) -> tuple[str, ...]:
    """The group's path from the framework (lessons the release has), else the lessons of the
    group's profile in catalogue order, else the whole catalogue."""
    known = set(order)
    path = tuple(lesson_id for lesson_id in framework.path(group) if lesson_id in known)
    return path or tuple(profile_lessons) or tuple(order)


def plan(lessons: Mapping[str, LessonState], path: Sequence[str],
         order: Sequence[str]) -> tuple[Suggestion, ...]:
    """Every lesson worth taking, best first (see the module's docstring); empty: all mastered."""
    on_path = set(path)
    half_done = sorted((lesson_id for lesson_id in order if lessons[lesson_id].half_done_at),
                       key=lambda lesson_id: lessons[lesson_id].half_done_at, reverse=True)
    chosen = [Suggestion(lesson_id, CONTINUE, lesson_id in on_path) for lesson_id in half_done]
    taken = set(half_done)
    others = [lesson_id for lesson_id in order if lesson_id not in on_path]
    for ids, is_path in ((path, True), (others, False)):
        for wanted_done in (False, True):
            for lesson_id in ids:
                state = lessons[lesson_id]
                if lesson_id in taken or state.completed != wanted_done or state.passed:
                    continue
                reason = NEW if not state.completed else (
                    REFRESH if state.needs_refresh else PRACTISE)
                chosen.append(Suggestion(lesson_id, reason, is_path))
                taken.add(lesson_id)
    return tuple(chosen)


def what_next(lessons: Mapping[str, LessonState], path: Sequence[str],
              order: Sequence[str]) -> Suggestion | None:
    """The one lesson to do next, or None when every lesson is mastered."""
    ranked = plan(lessons, path, order)
    return ranked[0] if ranked else None
