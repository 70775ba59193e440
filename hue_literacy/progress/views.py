"""The "My progress" page, a learner's progress for their ward's staff, and GET /api/v1/progress."""
from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, require_learner_access, role_required
from hue_literacy.accounts.models import User
from hue_literacy.content.framework import localised
from hue_literacy.extensions import db
from hue_literacy.page_cache import same_for_everyone
from hue_literacy.progress import services
from hue_literacy.progress.labels import (
    STATUS_ICONS,
    STATUS_LABELS,
    next_strings,
    next_texts,
    saved_strings,
)
from hue_literacy.progress.summary import next_box_context, progress_payload
from hue_literacy.sync import verdicts

bp = Blueprint("progress", __name__, url_prefix="/progress", template_folder="templates")
api = Blueprint("progress_api", __name__, url_prefix="/api/v1")
# The offline copy of "My progress": the same page for everyone, under /learn/ so the service
# worker precaches it; its script fills it from the learner's last copy on the phone.
saved = Blueprint("progress_saved", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(api)
    app.register_blueprint(saved)
    app.add_template_global(next_texts, "next_texts")
    app.add_template_global(next_strings, "next_strings")


def lesson_url_pattern(lang: str) -> str:
    """A lesson's address with `__lesson__` for its id (next.js fills it in too)."""
    return url_for("lessons.player", lang=lang, lesson_id="__lesson__")


def _page(learner: User, own: bool):
    content = inputs.release()
    progress = services.progress_of(learner, content, inputs.today(), inputs.timezone())
    lang = inputs.lesson_language()
    pattern = lesson_url_pattern(lang)
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
        lesson_url=pattern,
        next=next_box_context(progress, content, lang, pattern),
        payload=progress_payload(learner.id, progress, content, lang) if own else None,
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
    """The learner's progress and what next, with lesson titles in `?lang=` (the page's)."""
    content = inputs.release()
    progress = services.progress_of(current_user, content, inputs.today(), inputs.timezone())
    lang = request.args.get("lang")
    if lang not in content.lessons:
        lang = inputs.lesson_language()
    response = jsonify(progress_payload(current_user.id, progress, content, lang))
    response.headers["Cache-Control"] = "no-store"
    return response


@saved.get("/learn/<lang>/my-progress")
def saved_copy(lang: str):
    """"My progress" from the copy kept on the phone: opened by the service worker offline."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    content = inputs.release()
    with force_locale(lang):
        return same_for_everyone(("my-progress", lang), lambda: render_template(
            "progress/saved.html",
            lang=lang,
            areas=[(area, localised(area.name, lang),
                    [(comp.id, localised(comp.text, lang)) for comp in area.competencies])
                   for area in content.framework.areas],
            lesson_url=lesson_url_pattern(lang),
            alternates={code: url_for(".saved_copy", lang=code)
                        for code in current_app.config["LANGUAGES"]},
            status_labels={key: str(label) for key, label in STATUS_LABELS.items()},
            strings=saved_strings(),
        ))
