"""Staff pages for learners: list, register with consent, edit, sign-in card, export, delete."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, require_learner_access, require_ward, staff_required
from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import format_phone
from hue_literacy.downloads import personal_data_context, personal_data_download
from hue_literacy.extensions import db
from hue_literacy.learners.forms import EditLearnerForm, RegisterLearnerForm
from hue_literacy.learners.services import learners_visible_to
from hue_literacy.qr import qr_svg
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward
from hue_literacy.wards.services import all_wards

bp = Blueprint("learners", __name__, url_prefix="/learners", template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["phone"] = format_phone


def _learner_or_404(learner_id: int) -> User:
    learner = db.get_or_404(User, learner_id)
    if learner.role != Role.LEARNER or not learner.is_active:
        from flask import abort

        abort(404)
    require_learner_access(learner)
    return learner


def _hash_method() -> str:
    """Learners' PINs (see PIN_HASH_METHOD in config.py)."""
    return (current_app.config.get("PIN_HASH_METHOD")
            or current_app.config.get("PASSWORD_HASH_METHOD", accounts.DEFAULT_HASH_METHOD))


@bp.route("/")
@staff_required
def index():
    search = request.args.get("q", "")
    learners = learners_visible_to(current_user, search)
    return render_template("learners/index.html", learners=learners, search=search)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def register():
    form = RegisterLearnerForm()
    form.group.choices = inputs.framework().group_choices()
    is_admin = current_user.role == Role.ADMIN
    form.ward.choices = [(ward.id, ward.name) for ward in all_wards()] if is_admin else []
    if request.method == "GET":  # prefilled from a household member's page
        form.full_name.data = request.args.get("full_name", "")[:120] or None
        form.phone.data = request.args.get("phone", "")[:20] or None
    error = None
    if form.validate_on_submit():
        ward = db.session.get(Ward, form.ward.data) if is_admin else current_user.ward
        require_ward(ward.id if ward else None)
        try:
            learner = accounts.register_learner(
                full_name=form.full_name.data,
                raw_phone=form.phone.data,
                pin=form.pin.data,
                ward=ward,
                group=form.group.data,
                birth_date=form.birth_date.data,
                consent=form.consent.data,
                registered_by=current_user,
                hash_method=_hash_method(),
            )
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            flash(_("%(name)s is registered. Print their sign-in card below.",
                    name=learner.full_name), "success")
            return redirect(url_for("learners.card", learner_id=learner.id))
    return render_template("learners/register.html", form=form, error=error, is_admin=is_admin)


@bp.route("/<int:learner_id>", methods=["GET", "POST"])
@staff_required
def edit(learner_id: int):
    learner = _learner_or_404(learner_id)
    form = EditLearnerForm(obj=learner)
    form.group.choices = inputs.framework().group_choices()
    error = None
    if request.method == "GET":
        form.phone.data = format_phone(learner.phone)
    if form.validate_on_submit():
        try:
            accounts.update_learner(
                learner,
                full_name=form.full_name.data,
                raw_phone=form.phone.data,
                group=form.group.data,
                birth_date=form.birth_date.data,
                new_pin=form.new_pin.data,
                hash_method=_hash_method(),
            )
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("learners.edit", learner_id=learner.id))
    return render_template("learners/edit.html", form=form, learner=learner, error=error)


@bp.route("/<int:learner_id>/card")
@staff_required
def card(learner_id: int):
    """A printable sign-in card: the QR signs the learner in on their own phone."""
    learner = _learner_or_404(learner_id)
    token = accounts.card_token(learner, current_app.config["SECRET_KEY"])
    card_url = url_for("accounts.card_sign_in", token=token, _external=True)
    return render_template("learners/card.html", learner=learner, qr=qr_svg(card_url))


@bp.post("/<int:learner_id>/card/renew")
@staff_required
def renew_card(learner_id: int):
    learner = _learner_or_404(learner_id)
    accounts.renew_card(learner)
    flash(_("Old cards no longer work. Print the new card."), "info")
    return redirect(url_for("learners.card", learner_id=learner.id))


@bp.route("/<int:learner_id>/data.json")
@staff_required
def export(learner_id: int):
    return personal_data_download(_learner_or_404(learner_id))


@bp.route("/<int:learner_id>/delete", methods=["GET", "POST"])
@staff_required
def delete(learner_id: int):
    learner = _learner_or_404(learner_id)
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            return render_template(
                "accounts/delete.html", subject=learner,
                error=_("Please tick the box to confirm."),
            )
        accounts.delete_account(learner, personal_data_context())
        flash(_("The account and its personal data have been deleted."), "info")
        return redirect(url_for("learners.index"))
    return render_template("accounts/delete.html", subject=learner)
