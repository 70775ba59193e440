"""The "My progress" page, a learner's progress for their ward's staff, and GET /api/v1/progress."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, jsonify, render_template, url_for
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, require_learner_access, role_required
from hue_literacy.accounts.models import User
from hue_literacy.content.framework import localised
from hue_literacy.extensions import db
from hue_literacy.progress import services
from hue_literacy.progress.labels import STATUS_ICONS, STATUS_LABELS
from hue_literacy.progress.summary import progress_json
from hue_literacy.sync import verdicts

bp = Blueprint("progress", __name__, url_prefix="/progress", template_folder="templates")
api = Blueprint("progress_api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(api)


def lesson_url(lang: str, lesson_id: str) -> str:
    return url_for("lessons.player", lang=lang, lesson_id=lesson_id)


def _page(learner: User, own: bool):
    content = inputs.release()
    progress = services.progress_of(learner, content, inputs.today(), inputs.timezone())
    lang = inputs.lesson_language()
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
        catalogue_url=url_for("lessons.catalogue", lang=lang),
        status_labels=STATUS_LABELS,
        status_icons=STATUS_ICONS,
        disputed=disputed,
        disputed_lesson=lambda lesson_id: getattr(content.lesson(lang, lesson_id), "title",
                                                  lesson_id),
        text=lambda texts: localised(texts, inputs.language()),
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


@api.get("/progress")
@role_required(Role.LEARNER)
def api_progress():
    content = inputs.release()
    progress = services.progress_of(current_user, content, inputs.today(), inputs.timezone())
    response = jsonify({"learner_id": current_user.id, "content_hash": content.content_hash,
                        **progress_json(progress)})
    response.headers["Cache-Control"] = "no-store"
    return response
