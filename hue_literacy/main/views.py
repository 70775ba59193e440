"""The home page: what a learner does next, or the staff member's tools."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, render_template, url_for
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role
from hue_literacy.main.navigation import breakable_address
from hue_literacy.progress import services as progress
from hue_literacy.progress.summary import next_box_context, progress_payload

bp = Blueprint("main", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["address"] = breakable_address


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.role == Role.LEARNER:
        return _learner_home()
    return render_template("main/staff_home.html")


def _learner_home():
    """One big "continue" or "start" button first: the same what-next as everywhere else."""
    content = inputs.release()
    lang = inputs.lesson_language()
    found = progress.progress_of(current_user, content, inputs.today(), inputs.timezone())
    pattern = url_for("lessons.player", lang=lang, lesson_id="__lesson__")
    return render_template(
        "main/learner_home.html",
        lesson_url=pattern,
        next=next_box_context(found, content, lang, pattern),
        payload=progress_payload(current_user.id, found, content, lang),
    )


@bp.route("/healthz")
def healthz():
    """For load balancers and the ward IT helper: the database answers, the content loaded."""
    from sqlalchemy import text

    from hue_literacy.content.access import release
    from hue_literacy.extensions import db

    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        checks["database"] = f"error: {type(error).__name__}"
    try:
        checks["content"] = release().content_hash[:12]
    except Exception as error:  # noqa: BLE001
        checks["content"] = f"error: {type(error).__name__}"
    healthy = checks["database"] == "ok" and not checks["content"].startswith("error")
    return jsonify(status="ok" if healthy else "failing", **checks), 200 if healthy else 503


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")
