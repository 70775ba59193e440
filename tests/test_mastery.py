"""The mastery rule, next lesson and weekly goal as pure functions: events in, results out."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hue_literacy.content.framework import MasteryRule
from hue_literacy.content.model import ChoiceOption, ChoiceStep, InfoStep, Lesson
from hue_literacy.progress import services
from hue_literacy.progress.next import plan, what_next
from hue_literacy.progress.services import (
    LEARNING,
    MASTERED,
    NEEDS_REFRESH,
    NOT_STARTED,
    Event,
    lesson_progress,
    mastery,
    weekly_goal,
)

RULE = MasteryRule(recent_attempts=3, correct_required=2, hints_count_as_correct=False)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
HUE = ZoneInfo("Asia/Ho_Chi_Minh")
_ids = itertools.count()


def make_lesson(lesson_id: str, version: int = 1, steps: tuple[str, ...] = ("pick",)) -> Lesson:
    options = (ChoiceOption("a", "A", True, "Yes"), ChoiceOption("b", "B", False, "No"))
    return Lesson(
        id=lesson_id, lang="vi", version=version, area="qr", order=1, competencies=("QR-1",),
        minutes=3, title=lesson_id, summary="", next=None, sources=(),
        steps=(InfoStep(id="intro", text="Read"),
               *(ChoiceStep(id=step, hint="h", prompt="?", options=options) for step in steps)),
        path=Path(f"{lesson_id}.yaml"),
    )


def answer(lesson: str, step: str, correct: bool, minute: int, hint: bool = False,
           version: int = 1, event_id: str | None = None) -> Event:
    return Event(kind="step_answered", lesson_id=lesson, lesson_version=version,
                 occurred_at=START + timedelta(minutes=minute), step_id=step, correct=correct,
                 hint_used=hint, event_id=event_id or f"e{next(_ids)}")


def completed(lesson: str, minute: int, version: int = 1) -> Event:
    return Event(kind="lesson_completed", lesson_id=lesson, lesson_version=version,
                 occurred_at=START + timedelta(minutes=minute), event_id=f"e{next(_ids)}")


def answers(lesson: str, pattern: str, step: str = "pick", start: int = 0, version: int = 1):
    """'RWh' -> right, wrong, right-with-hint answers one minute apart."""
    made = []
    for offset, mark in enumerate(pattern):
        made.append(answer(lesson, step, mark in "Rh", start + offset, hint=mark == "h",
                           version=version))
    return made


def status(events, lessons, rule=RULE, competency_lessons=None) -> str:
    by_id = {lesson.id: lesson for lesson in lessons}
    competency_lessons = competency_lessons or {"QR-1": tuple(by_id)}
    return mastery(events, by_id, competency_lessons, rule)["QR-1"].status


def test_exactly_k_correct_of_the_last_n_masters():
    lesson = make_lesson("l1")
    assert status([*answers("l1", "RWR"), completed("l1", 10)], [lesson]) == MASTERED


def test_fewer_than_k_correct_is_not_mastered():
    lesson = make_lesson("l1")
    assert status([*answers("l1", "WRW"), completed("l1", 10)], [lesson]) == LEARNING


def test_one_right_answer_is_not_enough_when_two_are_required():
    lesson = make_lesson("l1")
    assert status([*answers("l1", "R"), completed("l1", 10)], [lesson]) == LEARNING


def test_answers_older_than_the_last_n_are_ignored():
    lesson = make_lesson("l1")
    old_good = [*answers("l1", "RRRWWW"), completed("l1", 10)]
    late_good = [*answers("l1", "WWWWRR"), completed("l1", 10)]
    assert status(old_good, [lesson]) == LEARNING
    assert status(late_good, [lesson]) == MASTERED


def test_right_answers_after_a_hint_do_not_count():
    lesson = make_lesson("l1")
    events = [*answers("l1", "hRh"), completed("l1", 10)]
    assert status(events, [lesson]) == LEARNING
    lenient = MasteryRule(recent_attempts=3, correct_required=2, hints_count_as_correct=True)
    assert status(events, [lesson], rule=lenient) == MASTERED


def test_a_lesson_not_completed_is_not_mastered():
    lesson = make_lesson("l1")
    assert status(answers("l1", "RRR"), [lesson]) == LEARNING


def test_every_practice_step_needs_its_own_good_answers():
    lesson = make_lesson("l1", steps=("first", "second"))
    events = [*answers("l1", "RR", step="first"), *answers("l1", "RW", step="second", start=5),
              completed("l1", 10)]
    assert status(events, [lesson]) == LEARNING
    events.append(answer("l1", "second", True, 20))
    assert status(events, [lesson]) == MASTERED


def test_a_practice_step_never_answered_blocks_mastery():
    lesson = make_lesson("l1", steps=("first", "second"))
    assert status([*answers("l1", "RR", step="first"), completed("l1", 10)], [lesson]) == LEARNING


def test_one_of_two_lessons_missing_is_not_mastered():
    first, second = make_lesson("l1"), make_lesson("l2")
    events = [*answers("l1", "RR"), completed("l1", 5)]
    assert status(events, [first, second]) == LEARNING
    events += [*answers("l2", "RR", start=10), completed("l2", 15)]
    assert status(events, [first, second]) == MASTERED


def test_nothing_practised_is_not_started():
    assert status([], [make_lesson("l1")]) == NOT_STARTED


def test_a_new_lesson_version_asks_for_a_refresh_and_keeps_earlier_progress():
    events = [*answers("l1", "RR"), completed("l1", 5)]
    changed = make_lesson("l1", version=2)
    assert status(events, [changed]) == NEEDS_REFRESH
    progress = lesson_progress(events, changed, RULE)
    assert progress.completed and progress.needs_refresh and not progress.passed
    assert progress.completed_version == 1


def test_answers_on_the_old_version_do_not_count_for_the_new_one():
    events = [*answers("l1", "RR"), completed("l1", 5),
              *answers("l1", "R", start=10, version=2), completed("l1", 15, version=2)]
    changed = make_lesson("l1", version=2)
    assert status(events, [changed]) == NEEDS_REFRESH
    events.append(answer("l1", "pick", True, 20, version=2))
    assert status(events, [changed]) == MASTERED
    assert not lesson_progress(events, changed, RULE).needs_refresh


def test_the_old_version_is_judged_on_the_steps_answered_then():
    # Version 2 renamed the step: version 1's answers to "old-pick" still passed version 1.
    events = [*answers("l1", "RR", step="old-pick"), completed("l1", 5)]
    changed = make_lesson("l1", version=2, steps=("new-pick",))
    assert lesson_progress(events, changed, RULE).passed_versions == {1}


def test_an_old_version_completed_without_answers_was_not_passed():
    changed = make_lesson("l1", version=2)
    assert status([completed("l1", 5)], [changed]) == LEARNING


def test_events_are_taken_in_the_order_they_happened_not_as_received():
    lesson = make_lesson("l1")
    right_late = [answer("l1", "pick", True, 3), answer("l1", "pick", True, 4)]
    wrong_early = [answer("l1", "pick", False, 1), answer("l1", "pick", False, 2)]
    # Received: the right answers first, the older wrong ones synced later from another phone.
    events = [completed("l1", 9), *right_late, *wrong_early]
    assert status(events, [lesson]) == MASTERED
    reversed_times = [completed("l1", 9), answer("l1", "pick", False, 3),
                      answer("l1", "pick", False, 4), answer("l1", "pick", True, 1),
                      answer("l1", "pick", True, 2)]
    assert status(reversed_times, [lesson]) == LEARNING


def test_an_event_sent_twice_counts_once():
    lesson = make_lesson("l1")
    once = answer("l1", "pick", True, 1, event_id="same")
    events = [once, once, answer("l1", "pick", False, 2), completed("l1", 5)]
    assert status(events, [lesson]) == LEARNING


def test_naive_stored_times_are_read_as_utc():
    lesson = make_lesson("l1")
    naive = Event(kind="step_answered", lesson_id="l1", lesson_version=1,
                  occurred_at=datetime(2026, 3, 2, 10, 0), step_id="pick", correct=False,
                  event_id="naive")
    events = [answer("l1", "pick", True, 0), answer("l1", "pick", True, 1), naive,
              answer("l1", "pick", False, 120), completed("l1", 200)]
    # Time order: R (9:00), R (9:01), W (10:00 naive = UTC), W (11:00): last three hold one R.
    assert status(events, [lesson]) == LEARNING


def test_a_competency_without_lessons_is_not_started():
    result = mastery([], {}, {"QR-1": ()}, RULE)
    assert result["QR-1"].status == NOT_STARTED and not result["QR-1"].mastered


# --- weekly goal ---------------------------------------------------------------------------


def test_weekly_goal_counts_distinct_lessons_completed_this_week():
    events = [completed("l1", 0), completed("l1", 60), completed("l2", 120),
              completed("l3", -3 * 24 * 60)]  # l3: the Friday before, another week
    goal = weekly_goal(events, date(2026, 3, 4), HUE)
    assert goal.done == 2 and goal.reached and goal.left == 0


def test_weekly_goal_uses_the_citys_time_zone():
    # Sunday 18:00 UTC is already Monday 01:00 in Hue: it counts for the new week.
    sunday_evening = Event(kind="lesson_completed", lesson_id="l1", lesson_version=1,
                           occurred_at=datetime(2026, 3, 8, 18, 0, tzinfo=UTC))
    assert weekly_goal([sunday_evening], date(2026, 3, 9), HUE).done == 1
    assert weekly_goal([sunday_evening], date(2026, 3, 8), HUE).done == 0


def test_weekly_goal_ignores_answers_and_tells_what_is_left():
    goal = weekly_goal([*answers("l1", "RRR"), completed("l2", 5)], date(2026, 3, 2), HUE)
    assert (goal.done, goal.goal, goal.reached, goal.left) == (1, 2, False, 1)


# --- next lesson ---------------------------------------------------------------------------


@pytest.fixture
def four_lessons():
    return {lesson_id: make_lesson(lesson_id) for lesson_id in ("a", "b", "c", "d")}


def _states(events, lessons):
    return services.lessons_progress(events, lessons, RULE)


def _plan(events, lessons, path, order=None):
    order = order or sorted(lessons)
    return [(item.lesson_id, item.reason) for item in
            plan(_states(events, lessons), path, order)]


def test_a_half_done_lesson_comes_first_then_the_path_in_its_order(four_lessons):
    # The path is d, b; a was begun (one step answered) and not finished.
    events = [*answers("a", "W", start=0)]
    assert _plan(events, four_lessons, ["d", "b"]) == [
        ("a", "continue"), ("d", "new"), ("b", "new"), ("c", "new")]
    found = what_next(_states(events, four_lessons), ["d", "b"], sorted(four_lessons))
    assert (found.lesson_id, found.reason, found.on_path) == ("a", "continue", False)
    # Finished: a is no longer half-done; d comes first.
    events += [*answers("a", "RR", start=2), completed("a", 5)]
    assert _plan(events, four_lessons, ["d", "b"])[0] == ("d", "new")


def test_the_latest_half_done_lesson_comes_first(four_lessons):
    events = [*answers("b", "W", start=0), *answers("c", "W", start=10)]
    assert _plan(events, four_lessons, ["a"])[:2] == [("c", "continue"), ("b", "continue")]


def test_a_lesson_answered_again_after_it_was_done_is_half_done_again(four_lessons):
    events = [*answers("a", "RR"), completed("a", 5), answer("a", "pick", True, 30)]
    assert _plan(events, four_lessons, ["a", "b"])[0] == ("a", "continue")


def test_after_the_paths_new_lessons_come_its_lessons_to_practise_then_the_others():
    lessons = {"a": make_lesson("a"), "b": make_lesson("b", version=2), "c": make_lesson("c"),
               "d": make_lesson("d")}
    # a done with a wrong try (not mastered), b done on version 1 only (changed since).
    events = [*answers("a", "WR"), completed("a", 5), *answers("b", "RR", start=10),
              completed("b", 15)]
    assert _plan(events, lessons, ["a", "b", "c"]) == [
        ("c", "new"), ("a", "practise"), ("b", "refresh"), ("d", "new")]
    events += [*answers("c", "RR", start=20), completed("c", 25)]
    assert _plan(events, lessons, ["a", "b", "c"])[0] == ("a", "practise")


def test_when_every_lesson_is_mastered_nothing_comes_next(four_lessons):
    events = []
    for index, lesson_id in enumerate(four_lessons):
        events += [*answers(lesson_id, "RR", start=index * 10),
                   completed(lesson_id, index * 10 + 5)]
    assert _plan(events, four_lessons, ["a", "b"]) == []
    assert what_next(_states(events, four_lessons), ["a", "b"], sorted(four_lessons)) is None


def test_the_group_path_comes_from_the_framework_else_from_the_profile(app):
    from hue_literacy.content.access import release
    from hue_literacy.progress.next import learner_path

    with app.app_context():
        content = release()
        order = services.catalogue_order(content)
        framework = content.framework
        elderly = learner_path(framework, order, (), "elderly")
        assert elderly == tuple(framework.path("elderly"))
        assert elderly[0].startswith("safe-")  # safety first
        assert learner_path(framework, order, ("pay-read-vietqr",), "nobody") == (
            "pay-read-vietqr",)
        assert learner_path(framework, order, (), None) == order
