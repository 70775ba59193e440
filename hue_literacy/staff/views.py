"""Staff pages: the admin manages officials, an official the ambassadors of their ward;
the one-time set-up page where a new staff member chooses their password; the audit log."""
from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from hue_literacy.access import (
    Role,
    deny,
    may_read_staff_audit,
    require_staff_management,
    role_required,
    staff_roles_managed_by,
)
from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import InputRefused, format_phone
from hue_literacy.accounts.services import DEFAULT_HASH_METHOD
from hue_literacy.extensions import db
from hue_literacy.qr import qr_svg
from hue_literacy.staff import services
from hue_literacy.staff.forms import ROLE_LABELS, NewStaffForm, SetupForm, StaffDetailsForm
from hue_literacy.wards.models import Ward
from hue_literacy.wards.services import all_wards

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")
managers = role_required(Role.ADMIN, Role.OFFICIAL)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["staff_role_label"] = lambda role: str(ROLE_LABELS.get(role, role))
    app.jinja_env.globals["staff_action_label"] = (
        lambda action: str(services.ACTION_LABELS.get(action, action)))
    from hue_literacy.staff import commands

    commands.init_app(app)


def _member_or_404(user_id: int) -> User:
    """A staff member the current user is above, else 404 (unknown) or 403 (not theirs)."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or user.role not in services.MANAGED_ROLES:
        abort(404)
    require_staff_management(user.role, user.ward_id)
    return user


def _code_page(issued: services.IssuedCode, status: int = 200):
    """The set-up code, shown once (only its hash is kept), with a link and its QR code."""
    link = url_for("staff.setup", code=issued.code, _external=True)
    return render_template("staff/code.html", issued=issued, link=link,
                           qr=qr_svg(link)), status


@bp.route("/")
@managers
def index():
    ward_id = request.args.get("ward", type=int)
    members = services.staff_visible_to(current_user, ward_id)
    return render_template("staff/index.html", members=members,
                           may_create=bool(staff_roles_managed_by(current_user)))


@bp.route("/new", methods=["GET", "POST"])
@managers
def new():
    form = NewStaffForm()
    roles = staff_roles_managed_by(current_user)
    form.role.choices = [(str(role), str(ROLE_LABELS[role])) for role in roles]
    is_admin = current_user.role == Role.ADMIN
    wards = all_wards() if is_admin else [current_user.ward]
    form.ward.choices = [(ward.id, ward.name) for ward in wards]
    if request.method == "GET" and not is_admin:
        form.ward.data = current_user.ward_id
    if request.method == "POST":
        role = request.form.get("role", "")
        ward_id = request.form.get("ward", type=int) if is_admin else (
            request.form.get("ward", current_user.ward_id, type=int))
        if role in services.MANAGED_ROLES and db.session.get(Ward, ward_id or 0) is not None:
            require_staff_management(role, ward_id)  # a ward or role above one's own: 403
        elif role in services.MANAGED_ROLES and not is_admin:
            deny(403)
    error = None
    if form.validate_on_submit():
        ward = db.session.get(Ward, form.ward.data)
        try:
            if form.role.data not in [str(role) for role in roles]:
                raise InputRefused(_("Choose official or ambassador."))
            if ward is None:
                raise InputRefused(_("This ward is not on the list. Please choose a ward."))
            issued = services.create_staff_member(
                actor=current_user, role=form.role.data, full_name=form.full_name.data,
                raw_phone=form.phone.data, ward=ward)
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            flash(_("%(name)s has an account. Give them this set-up code.",
                    name=issued.user.full_name), "success")
            return _code_page(issued, 201)
    return render_template("staff/new.html", form=form, error=error, is_admin=is_admin)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@managers
def show(user_id: int):
    member = _member_or_404(user_id)
    form = StaffDetailsForm(obj=member)
    if request.method == "GET":
        form.phone.data = format_phone(member.phone)
    error = None
    if form.validate_on_submit():
        try:
            services.update_staff_member(current_user, member, full_name=form.full_name.data,
                                         raw_phone=form.phone.data)
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("staff.show", user_id=member.id))
    return render_template("staff/show.html", member=member, form=form, error=error)


def _refused(member: User, refused: InputRefused):
    db.session.rollback()
    flash(str(refused.message), "error")
    return redirect(url_for("staff.show", user_id=member.id))


@bp.post("/<int:user_id>/reset")
@managers
def reset(user_id: int):
    """A forgotten password: the person above gives a new set-up code."""
    member = _member_or_404(user_id)
    try:
        issued = services.reset_password(current_user, member)
    except InputRefused as refused:
        return _refused(member, refused)
    flash(_("The old password of %(name)s no longer works. Give them this set-up code.",
            name=member.full_name), "success")
    return _code_page(issued)


@bp.post("/<int:user_id>/deactivate")
@managers
def deactivate(user_id: int):
    member = _member_or_404(user_id)
    try:
        services.deactivate(current_user, member)
    except InputRefused as refused:
        return _refused(member, refused)
    flash(_("%(name)s is deactivated and signed out everywhere.", name=member.full_name),
          "success")
    return redirect(url_for("staff.show", user_id=member.id))


@bp.post("/<int:user_id>/reactivate")
@managers
def reactivate(user_id: int):
    member = _member_or_404(user_id)
    try:
        issued = services.reactivate(current_user, member)
    except InputRefused as refused:
        return _refused(member, refused)
    flash(_("%(name)s can work again. Give them this set-up code.", name=member.full_name),
          "success")
    return _code_page(issued)


@bp.route("/audit")
@managers
def audit():
    if not may_read_staff_audit(current_user):
        deny(403)
    return render_template("staff/audit.html", entries=services.audit_entries_for(current_user))


@bp.route("/wards")
@role_required(Role.ADMIN)
def wards():
    """The city admin's list of wards: staff, learners, last activity."""
    return render_template("staff/wards.html", rows=services.ward_overview())


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """A new staff member (or one whose password was reset) chooses their password."""
    form = SetupForm()
    error = None
    if request.method == "GET":
        form.code.data = request.args.get("code", "")[:40] or None
        if form.code.data and not services.code_is_usable(form.code.data):
            error = _("This set-up code is not valid. Please ask for a new one.")
    if form.validate_on_submit():
        try:
            user = services.complete_setup(
                form.code.data, form.password.data, form.password_again.data,
                hash_method=current_app.config.get("PASSWORD_HASH_METHOD",
                                                   DEFAULT_HASH_METHOD))
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            login_user(user, remember=True)
            flash(_("Your password is saved. Welcome, %(name)s!", name=user.full_name),
                  "success")
            return redirect(url_for("main.home"))
    return render_template("staff/setup.html", form=form, error=error)
