"""The "My progress" page, a learner's progress for their ward's staff, and GET /api/v1/progress."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, abort, jsonify, render_template
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hue_literacy.access import Role, require_learner_access, role_required
from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.models import User
from hue_literacy.content.access import release
from hue_literacy.content.framework import localised
from hue_literacy.extensions import db
from hue_literacy.progress import services
from hue_literacy.progress.services import Progress
from hue_literacy.sync import verdicts

bp = Blueprint("progress", __name__, url_prefix="/progress", template_folder="templates")
api = Blueprint("progress_api", __name__, url_prefix="/api/v1")

STATUS_LABELS = {
    services.MASTERED: _l("Mastered"),
    services.NEEDS_REFRESH: _l("A lesson changed: practise it again"),
    services.LEARNING: _l("Learning"),
    services.NOT_STARTED: _l("Not started yet"),
}
STATUS_ICONS = {
    services.MASTERED: "check",
    services.NEEDS_REFRESH: "bulb",
    services.LEARNING: "flag",
    services.NOT_STARTED: None,
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(api)
    accounts.register_personal_data(export_progress)


def export_progress(user: User) -> tuple[str, dict]:
    """A learner's progress in their data download (the events themselves are the sync's)."""
    if user.role != Role.LEARNER:
        return "progress", {}
    progress = services.progress_of(user, release(), local_today(), get_timezone())
    return "progress", progress_json(progress)


def local_today():
    """Today's date in the city's time zone (weeks start on Monday there)."""
    return datetime.now(get_timezone()).date()


def lesson_lang() -> str:
    """The language lessons are opened in: the page's language when lessons exist in it."""
    locale = str(get_locale() or services.CANONICAL_LANG)
    return locale if release().lessons.get(locale) else services.CANONICAL_LANG


def lesson_url(lang: str, lesson_id: str) -> str:
    return f"/learn/{lang}/{lesson_id}"


def _page(learner: User, own: bool):
    content = release()
    progress = services.progress_of(learner, content, local_today(), get_timezone())
    lang = lesson_lang()
    upcoming = progress.next_lesson
    lesson = content.lesson(lang, upcoming.lesson_id) if upcoming else None
    # Staff see the answers the server judged otherwise than the phone (never the learner:
    # to them it is simply an answer that was not right).
    disputed = [] if own else verdicts.disagreements([learner.id]).get(learner.id, [])
    return render_template(
        "progress/progress.html",
        learner=learner,
        own=own,
        progress=progress,
        areas=services.area_progress(content.framework, progress.competencies),
        lang=lang,
        next_lesson=lesson,
        next_reason=upcoming.reason if upcoming else None,
        next_url=lesson_url(lang, lesson.id) if lesson else None,
        catalogue_url=f"/learn/{lang}/",
        status_labels=STATUS_LABELS,
        status_icons=STATUS_ICONS,
        disputed=disputed,
        disputed_lesson=lambda lesson_id: getattr(content.lesson(lang, lesson_id), "title",
                                                  lesson_id),
        text=lambda texts: localised(texts, str(get_locale() or "vi")),
    )


@bp.route("/")
@role_required(Role.LEARNER)
def mine():
    return _page(current_user, own=True)


@bp.route("/learner/<int:learner_id>")
@role_required()
def of_learner(learner_id: int):
    learner = db.get_or_404(User, learner_id)
    if learner.role != Role.LEARNER or not learner.is_active:
        abort(404)
    require_learner_access(learner)
    return _page(learner, own=learner.id == current_user.id)


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
    }


@api.get("/progress")
@role_required(Role.LEARNER)
def api_progress():
    progress = services.progress_of(current_user, release(), local_today(), get_timezone())
    response = jsonify({"learner_id": current_user.id, "content_hash": release().content_hash,
                        **progress_json(progress)})
    response.headers["Cache-Control"] = "no-store"
    return response
