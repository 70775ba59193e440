"""A learner's progress as JSON: for the offline player and for their personal-data download."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.progress import services
from hue_literacy.progress.services import Progress

if TYPE_CHECKING:
    from hue_literacy.accounts.personal_data import DataContext


def progress_json(progress: Progress) -> dict:
    """The signed-in learner's progress for the offline player to merge with local progress."""
    return {
        "lessons": {
            lesson_id: {
                "completed": lesson.completed,
                "version": lesson.completed_version or lesson.practised_version,
                "current_version": lesson.current_version,
                "passed": lesson.passed,
                "needs_refresh": lesson.needs_refresh,
                "half_done": lesson.half_done_at is not None,
            }
            for lesson_id, lesson in progress.lessons.items()
            if lesson.started
        },
        "competencies": {
            competency_id: {"status": mastery.status, "mastered": mastery.mastered}
            for competency_id, mastery in progress.competencies.items()
        },
        "lessons_done": progress.lessons_done,
        "lessons_total": progress.lessons_total,
        "weekly_goal": {"done": progress.weekly.done, "goal": progress.weekly.goal},
        "next_lesson": progress.next_lesson.lesson_id if progress.next_lesson else None,
        "plan": [
            {"lesson_id": item.lesson_id, "reason": item.reason, "on_path": item.on_path}
            for item in progress.plan
        ],
    }


def lesson_titles(release, lang: str) -> dict[str, str]:
    """Every lesson's title in `lang`, so a phone can name what comes next when offline."""
    return {lesson_id: lesson.title for lesson_id, lesson in release.in_lang(lang).items()}


def export_progress(user: User, context: DataContext) -> tuple[str, dict]:
    """A learner's progress in their data download (the events themselves are the sync's)."""
    if user.role != Role.LEARNER:
        return "progress", {}
    progress = services.progress_of(user, context.release, context.today, context.timezone)
    return "progress", progress_json(progress)


def progress_payload(learner_id: int, progress: Progress, release, lang: str) -> dict:
    """What /api/v1/progress answers and the home and progress pages carry for next.js."""
    return {"learner_id": learner_id, "content_hash": release.content_hash, "lang": lang,
            **progress_json(progress), "titles": lesson_titles(release, lang)}


def next_box_context(progress: Progress, release, lang: str, lesson_url: str) -> dict:
    """The "what next" box's arguments: the plan's first lesson, its title and address."""
    first = progress.next_lesson
    lesson = release.lesson(lang, first.lesson_id) if first else None
    return {
        "first": first if lesson else None,
        "title": lesson.title if lesson else "",
        "href": lesson_url.replace("__lesson__", lesson.id) if lesson else "#",
    }
