"""Progress and mastery, computed here and only here from the synced progress events.

The rule functions are pure (events, lessons and the framework's mastery rule in, results
out), so every edge case is tested without a database; `events_by_learner()` loads events.

How mastery is decided (framework `mastery`: N recent_attempts, K correct_required):
- Attempts count per lesson, step and lesson *version*: answers given on version 1 of a
  lesson say nothing about version 2, whose steps or answers changed.
- A lesson is *passed at version v* when the learner completed it at v and every practice
  step (every step but info) has, among its last N answers at v by occurred_at, at least K
  correct without a hint (with a hint too when hints_count_as_correct). The content holds
  only the current version's steps; for an older version the practice steps are the ones
  the learner answered at that version (a completed lesson had every step answered).
- A competency is *mastered* when every lesson that trains it is passed at its current
  version. It *needs refresh* when it is not mastered but every one of its lessons was
  passed at some version: it was mastered, then a lesson changed, and practising the
  changed lesson again earns it back. Earlier progress stays visible: a lesson completed
  on an older version still counts as done. Otherwise it is *learning* (one of its lessons
  practised) or *not started*.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import Select, case, func, or_, select

from hue_literacy.clock import as_utc
from hue_literacy.content.framework import Area, Competency, Framework, MasteryRule
from hue_literacy.content.model import Lesson
from hue_literacy.extensions import db
from hue_literacy.progress.next import Suggestion, learner_path, plan
from hue_literacy.sync.models import ProgressEvent

ANSWERED = "step_answered"
COMPLETED = "lesson_completed"
STARTED = "lesson_started"
LOADED_KINDS = (STARTED, ANSWERED, COMPLETED)  # hints and views add nothing to progress

MASTERED = "mastered"
NEEDS_REFRESH = "needs_refresh"
LEARNING = "learning"
NOT_STARTED = "not_started"

WEEKLY_GOAL = 2  # distinct lessons completed in a week: gentle, and no streak to break
STUCK_FAILURES = 3
STUCK_WINDOW = timedelta(days=7)
CANONICAL_LANG = "vi"  # lesson ids, versions and step ids are the same in every language


class Event(NamedTuple):
    """The parts of a ProgressEvent that progress needs (ProgressEvent rows fit too)."""

    kind: str
    lesson_id: str
    lesson_version: int
    occurred_at: datetime
    step_id: str | None = None
    correct: bool | None = None
    hint_used: bool = False
    event_id: str | None = None


@dataclass(frozen=True)
class LessonProgress:
    """Where a learner stands in one lesson."""

    lesson_id: str
    current_version: int
    practised_version: int | None = None  # latest version with any event
    completed_version: int | None = None  # latest version completed
    passed_versions: frozenset[int] = frozenset()
    half_done_at: datetime | None = None  # a step answered since the last completion: when

    @property
    def completed(self) -> bool:
        """Done at some version: earlier progress stays visible after a lesson changes."""
        return self.completed_version is not None

    @property
    def passed(self) -> bool:
        return self.current_version in self.passed_versions

    @property
    def needs_refresh(self) -> bool:
        """Done only on an older version: the lesson changed since."""
        return self.completed and self.completed_version < self.current_version

    @property
    def started(self) -> bool:
        return self.practised_version is not None


@dataclass(frozen=True)
class CompetencyMastery:
    competency_id: str
    status: str  # mastered | needs_refresh | learning | not_started
    lesson_ids: tuple[str, ...] = ()

    @property
    def mastered(self) -> bool:
        return self.status == MASTERED


@dataclass(frozen=True)
class WeeklyGoal:
    done: int
    goal: int = WEEKLY_GOAL

    @property
    def reached(self) -> bool:
        return self.done >= self.goal

    @property
    def left(self) -> int:
        return max(0, self.goal - self.done)


@dataclass(frozen=True)
class AreaProgress:
    area: Area
    items: tuple[tuple[Competency, CompetencyMastery], ...]

    @property
    def mastered(self) -> int:
        return sum(1 for _competency, mastery in self.items if mastery.mastered)

    @property
    def total(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Progress:
    """Everything the progress page, the class view and the API show about one learner."""

    lessons: Mapping[str, LessonProgress]
    competencies: Mapping[str, CompetencyMastery]
    lessons_total: int
    weekly: WeeklyGoal
    plan: tuple[Suggestion, ...]  # what to do next, best first (progress/next.py)
    profile_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def next_lesson(self) -> Suggestion | None:
        """The one lesson to do next; None when every lesson is mastered."""
        return self.plan[0] if self.plan else None

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons.values() if lesson.completed)

    @property
    def mastered_ids(self) -> tuple[str, ...]:
        return tuple(cid for cid, mastery in self.competencies.items() if mastery.mastered)

    @property
    def profile_mastered(self) -> int:
        return sum(1 for cid in self.profile_ids if self.competencies[cid].mastered)


@dataclass(frozen=True)
class StuckStep:
    lesson_id: str
    step_id: str
    failures: int
    last_at: datetime


# --- pure rules ---------------------------------------------------------------------------


def in_order(events: Iterable[Any]) -> list[Any]:
    """Events by the time they happened on the phone, each event id once."""
    seen: set[str] = set()
    unique = []
    for event in events:
        if event.event_id is not None:
            if event.event_id in seen:
                continue
            seen.add(event.event_id)
        unique.append(event)
    return sorted(unique, key=lambda event: (as_utc(event.occurred_at), event.event_id or ""))


def counts_as_correct(answer: Any, rule: MasteryRule) -> bool:
    return bool(answer.correct) and (rule.hints_count_as_correct or not answer.hint_used)


def step_passed(answers: Sequence[Any], rule: MasteryRule) -> bool:
    """True when the last N answers (given in time order) hold at least K correct ones."""
    recent = answers[-rule.recent_attempts:]
    return sum(1 for answer in recent if counts_as_correct(answer, rule)) >= rule.correct_required


def practice_step_ids(lesson: Lesson) -> tuple[str, ...]:
    """Steps that ask something of the learner (every step but info)."""
    return tuple(step.id for step in lesson.steps if step.practice)


def lesson_progress(events: Iterable[Any], lesson: Lesson, rule: MasteryRule) -> LessonProgress:
    """Judge one lesson from the learner's events of that lesson."""
    return _judge_lesson([e for e in in_order(events) if e.lesson_id == lesson.id], lesson, rule)


def _judge_lesson(ordered: Sequence[Any], lesson: Lesson, rule: MasteryRule) -> LessonProgress:
    """Judge one lesson from its events, already in time order and each event once."""
    if not ordered:
        return LessonProgress(lesson.id, lesson.version)
    completed: set[int] = set()
    answers: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    half_done_at = None
    for event in ordered:
        if event.kind == COMPLETED:
            completed.add(event.lesson_version)
            half_done_at = None
        elif event.kind == ANSWERED and event.step_id:
            answers[event.lesson_version][event.step_id].append(event)
            half_done_at = as_utc(event.occurred_at)
    passed = set()
    for version in completed:
        if version == lesson.version:
            steps = practice_step_ids(lesson)
        else:  # the content no longer says which steps it had: those answered then
            steps = tuple(answers[version])
            if not steps:
                continue
        if all(step_passed(answers[version].get(step, []), rule) for step in steps):
            passed.add(version)
    return LessonProgress(
        lesson_id=lesson.id,
        current_version=lesson.version,
        practised_version=max(event.lesson_version for event in ordered),
        completed_version=max(completed) if completed else None,
        passed_versions=frozenset(passed),
        half_done_at=half_done_at,
    )


def lessons_progress(
    events: Iterable[Any], lessons: Mapping[str, Lesson], rule: MasteryRule
) -> dict[str, LessonProgress]:
    """Judge every lesson of the release (events of removed lessons are left out)."""
    return _judge_lessons(in_order(events), lessons, rule)


def _judge_lessons(
    ordered: Iterable[Any], lessons: Mapping[str, Lesson], rule: MasteryRule
) -> dict[str, LessonProgress]:
    by_lesson: dict[str, list[Any]] = defaultdict(list)
    for event in ordered:
        by_lesson[event.lesson_id].append(event)
    return {
        lesson_id: _judge_lesson(by_lesson.get(lesson_id, ()), lesson, rule)
        for lesson_id, lesson in lessons.items()
    }


def competency_mastery(
    lessons: Mapping[str, LessonProgress], competency_lessons: Mapping[str, Sequence[str]]
) -> dict[str, CompetencyMastery]:
    """Mastered, needs refresh, learning or not started, for each competency."""
    result = {}
    for competency_id, lesson_ids in competency_lessons.items():
        states = [lessons[lesson_id] for lesson_id in lesson_ids if lesson_id in lessons]
        if states and all(state.passed for state in states):
            status = MASTERED
        elif states and all(state.passed_versions for state in states):
            status = NEEDS_REFRESH
        elif any(state.started for state in states):
            status = LEARNING
        else:
            status = NOT_STARTED
        result[competency_id] = CompetencyMastery(competency_id, status, tuple(lesson_ids))
    return result


def mastery(
    events: Iterable[Any],
    lessons: Mapping[str, Lesson],
    competency_lessons: Mapping[str, Sequence[str]],
    rule: MasteryRule,
) -> dict[str, CompetencyMastery]:
    """Each competency's mastery from one learner's events."""
    return competency_mastery(lessons_progress(list(events), lessons, rule), competency_lessons)


def weekly_goal(
    events: Iterable[Any], today: date, tz: tzinfo, goal: int = WEEKLY_GOAL
) -> WeeklyGoal:
    """Distinct lessons completed in the ISO week of `today` (local time of `tz`)."""
    week = today.isocalendar()[:2]
    done = {
        event.lesson_id
        for event in events
        if event.kind == COMPLETED
        and as_utc(event.occurred_at).astimezone(tz).date().isocalendar()[:2] == week
    }
    return WeeklyGoal(done=len(done), goal=goal)


def area_progress(
    framework: Framework, competencies: Mapping[str, CompetencyMastery]
) -> list[AreaProgress]:
    """Competencies and their mastery grouped by area, in the framework's order."""
    return [
        AreaProgress(area, tuple((comp, competencies[comp.id]) for comp in area.competencies))
        for area in framework.areas
    ]


@dataclass(frozen=True)
class Structure:
    """What progress needs from a content release, worked out once per release."""

    lessons: Mapping[str, Lesson]
    order: tuple[str, ...]
    competency_lessons: Mapping[str, tuple[str, ...]]

    def profile_lessons(self, competency_ids: Sequence[str]) -> tuple[str, ...]:
        """Lesson ids, in catalogue order, that train a competency of the profile."""
        wanted = set(competency_ids)
        return tuple(lesson_id for lesson_id in self.order
                     if wanted.intersection(self.lessons[lesson_id].competencies))


_structures: dict[str, Structure] = {}


def structure(release) -> Structure:
    """Lessons in catalogue order and the lessons of each competency, cached by content hash."""
    found = _structures.get(release.content_hash)
    if found is None or found.lessons is not release.in_lang(CANONICAL_LANG):
        lang = CANONICAL_LANG
        found = Structure(
            lessons=release.in_lang(lang),
            order=tuple(lesson.id for _area, lessons in release.catalogue(lang)
                        for lesson in lessons),
            competency_lessons={
                competency_id: tuple(
                    lesson.id for lesson in release.competency_lessons(lang, competency_id)
                )
                for competency_id in release.framework.competencies
            },
        )
        if len(_structures) > 8:
            _structures.clear()
        _structures[release.content_hash] = found
    return found


def catalogue_order(release) -> tuple[str, ...]:
    """Lesson ids in catalogue order (areas in framework order, then lesson order)."""
    return structure(release).order


def competency_lesson_ids(release) -> Mapping[str, tuple[str, ...]]:
    """Competency id -> ids of the lessons that train it, in catalogue order."""
    return structure(release).competency_lessons


def profile_lessons(release, competency_ids: Sequence[str]) -> tuple[str, ...]:
    """Lesson ids, in catalogue order, that train a competency of the profile."""
    return structure(release).profile_lessons(competency_ids)


def summarise(
    events: Iterable[Any], release, group: str | None, today: date, tz: tzinfo
) -> Progress:
    """One learner's whole progress from their events and the content release."""
    events = in_order(events)
    framework = release.framework
    content = structure(release)
    lessons = _judge_lessons(events, content.lessons, framework.mastery)
    profile = framework.profile_for_group(group)
    profile_ids = profile.competency_ids if profile else tuple(framework.competencies)
    path = learner_path(framework, content.order, content.profile_lessons(profile_ids), group)
    return Progress(
        lessons=lessons,
        competencies=competency_mastery(lessons, content.competency_lessons),
        lessons_total=len(lessons),
        weekly=weekly_goal(events, today, tz),
        plan=plan(lessons, path, content.order),
        profile_ids=tuple(profile_ids),
    )


# --- loading from the database --------------------------------------------------------------


def events_by_learner(learner_ids: Iterable[int]) -> dict[int, list[Event]]:
    """The starts, answers and completions of each learner, oldest first, in one query."""
    ids = list(learner_ids)
    found: dict[int, list[Event]] = {learner_id: [] for learner_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(
            ProgressEvent.learner_id, ProgressEvent.kind, ProgressEvent.lesson_id,
            ProgressEvent.lesson_version, ProgressEvent.occurred_at, ProgressEvent.step_id,
            ProgressEvent.correct, ProgressEvent.hint_used, ProgressEvent.event_id,
        )
        .where(ProgressEvent.learner_id.in_(ids), ProgressEvent.kind.in_(LOADED_KINDS))
        .order_by(ProgressEvent.learner_id, ProgressEvent.occurred_at, ProgressEvent.id)
    )
    for learner_id, kind, lesson_id, version, at, *rest in rows:
        found[learner_id].append(Event(kind, lesson_id, version, as_utc(at), *rest))
    return found


def progress_of(learner, release, today: date, tz: tzinfo) -> Progress:
    """Load a learner's events and summarise their progress."""
    return summarise(events_by_learner([learner.id])[learner.id], release, learner.group,
                     today, tz)


def progress_of_many(learners: Sequence, release, today: date, tz: tzinfo) -> dict[int, Progress]:
    """Progress of several learners (a class), with one query for all their events."""
    events = events_by_learner([learner.id for learner in learners])
    return {
        learner.id: summarise(events[learner.id], release, learner.group, today, tz)
        for learner in learners
    }


def stuck_steps(
    learner_ids: Iterable[int] | Select,
    now: datetime | None = None,
    window: timedelta = STUCK_WINDOW,
    failures: int = STUCK_FAILURES,
) -> dict[int, list[StuckStep]]:
    """Steps each learner is stuck on, for many learners in one query.

    Stuck: at least `failures` wrong answers to a step within `window`, all given after the
    learner's last right answer to it (a right answer, even with a hint, means they got past).
    `learner_ids` may be a list or a SELECT of ids (e.g. every learner of a ward's households).
    """
    if not isinstance(learner_ids, Select):
        learner_ids = list(learner_ids)
        if not learner_ids:
            return {}
    since = (now or datetime.now(UTC)) - window
    keys = (ProgressEvent.learner_id, ProgressEvent.lesson_id, ProgressEvent.step_id)
    # Each answer beside the time of the last right answer to its step, in one pass over the
    # window's answers (a window function): joining the answers to their steps' last right
    # answer instead made SQLite scan the one for each row of the other, 70 s for a ward of
    # 20,000 learners (`flask households refresh --stuck-only`, every few minutes).
    answers = (
        select(*keys, ProgressEvent.correct, ProgressEvent.occurred_at,
               func.max(case((ProgressEvent.correct.is_(True), ProgressEvent.occurred_at)))
               .over(partition_by=keys).label("last_right"))
        .where(ProgressEvent.learner_id.in_(learner_ids), ProgressEvent.kind == ANSWERED,
               ProgressEvent.occurred_at >= since)
        .subquery("recent_answers")
    )
    grouped = (answers.c.learner_id, answers.c.lesson_id, answers.c.step_id)
    query = (
        select(*grouped, func.count().label("failures"), func.max(answers.c.occurred_at))
        .where(answers.c.correct.is_(False),
               or_(answers.c.last_right.is_(None), answers.c.occurred_at > answers.c.last_right))
        .group_by(*grouped)
        .having(func.count() >= failures)
    )
    found: dict[int, list[StuckStep]] = defaultdict(list)
    for learner_id, lesson_id, step_id, count, last_at in db.session.execute(query):
        found[learner_id].append(StuckStep(lesson_id, step_id, count, _as_datetime(last_at)))
    for steps in found.values():
        steps.sort(key=lambda step: step.last_at, reverse=True)
    return dict(found)


def _as_datetime(value: Any) -> datetime:
    """max() over a CTE loses the column type on SQLite: parse the stored text back."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return as_utc(value)
