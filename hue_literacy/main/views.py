"""The home page: what a learner does next, or the staff member's tools."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_login import current_user

from hue_literacy.access import Role

bp = Blueprint("main", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.role == Role.LEARNER:
        return render_template("main/learner_home.html")
    return render_template("main/staff_home.html")


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")
