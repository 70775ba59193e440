"""Ward settings: what officials set once for the papers of their ward."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy.access import Role, deny, may_change_ward_settings, role_required
from hue_literacy.extensions import db
from hue_literacy.refusals import InputRefused
from hue_literacy.wards import services

bp = Blueprint("wards", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/wards/<code>/settings", methods=["GET", "POST"])
@role_required(Role.OFFICIAL, Role.ADMIN)
def settings(code: str):
    ward = services.ward_by_code(code)
    if ward is None:
        abort(404)
    if not may_change_ward_settings(current_user, ward.id):
        deny(403)
    error = None
    typed = ward.signer_title or ""
    if request.method == "POST":
        typed = request.form.get("signer_title", "")
        try:
            services.set_signer_title(ward, typed)
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            db.session.commit()
            flash(_("The ward's settings are saved."), "success")
            return redirect(url_for("wards.settings", code=ward.code))
    return render_template("wards/settings.html", ward=ward, typed=typed, error=error), \
        400 if error else 200
