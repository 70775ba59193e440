"""Staff pages for households: the ambassador home, register, members, visits, edits.

Every form carries an op id (saved once, also when sent twice) and the payload field names of
the ops API, so that static/js/households-offline.js can queue it when the phone is offline.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from hue_literacy.access import Role, require_ward, staff_required
from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.phone import format_phone
from hue_literacy.content.access import framework
from hue_literacy.content.framework import localised
from hue_literacy.extensions import csrf, db
from hue_literacy.households import api, commands, learning, personal_data, services
from hue_literacy.households.forms import EditHouseholdForm, HouseholdForm, MemberForm, VisitForm
from hue_literacy.households.listing import HomeFilters, home_page, in_scope
from hue_literacy.households.models import Household, HouseholdMember
from hue_literacy.households.services import MEMBER_ROLES, Refused
from hue_literacy.models_base import utcnow
from hue_literacy.spreadsheets import csv_bytes
from hue_literacy.wards.services import all_wards

bp = Blueprint("households", __name__, url_prefix="/households", template_folder="templates")

# Which form field shows the message of a refusal.
FIELD_OF_REASON = {
    "bad_address": "address", "duplicate_household": "address", "bad_name": "name",
    "consent_required": "consent", "unknown_ward": "ward", "other_ward": "ward",
    "bad_phone": "phone", "bad_role": "role", "bad_date": "visited_on",
    "unknown_competency": "competencies", "notes_too_long": "notes",
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    accounts.register_personal_data(personal_data.export, personal_data.erase)
    commands.init_app(app)


def _household_or_404(household_id: int) -> Household:
    household = db.get_or_404(Household, household_id)
    require_ward(household.ward_id)
    return household


def _today() -> date:
    """Today in Hue (the visit dates people write are local dates)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _show_refusal(form, refused: Refused, field_names: dict[str, str] | None = None) -> str:
    """Put the message beside the field it is about; return it for the top of the form."""
    name = (field_names or {}).get(refused.reason) or FIELD_OF_REASON.get(refused.reason)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, str(refused.message)]
    return str(refused.message)


def _already_saved(form) -> bool:
    """True (and a notice) when a form with this op id was saved before (sent twice)."""
    op_id = services.clean_op_id(form.op_id.data)
    if op_id and services.op_author(op_id) is not None:
        flash(_("This was already saved."), "info")
        return True
    return False


def _claim(form, kind: str, now: datetime) -> bool:
    """Record the form's op id; False (and a notice) when this form was already saved."""
    op_id = services.clean_op_id(form.op_id.data)
    if op_id and not services.claim_op(op_id, kind, current_user, now, now):
        flash(_("This was already saved."), "info")
        return False
    form.op_id.data = op_id
    return True


def _choice_arg(name: str, allowed: tuple[str, ...]) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else ""


def _int_arg(name: str) -> int | None:
    try:
        value = int(request.args.get(name, ""))
    except ValueError:
        return None
    return value if services.is_id(value) else None


def _household_form(is_admin: bool) -> HouseholdForm:
    form = HouseholdForm()
    form.ward.choices = [(ward.id, ward.name) for ward in all_wards()] if is_admin else []
    return form


def _visit_form() -> VisitForm:
    form = VisitForm()
    names = _competency_names()
    form.competencies.choices = [(comp, f"{comp} · {text}") for comp, text in names.items()]
    if request.method == "GET":
        form.visited_on.data = _today()
    return form


def _edit_form(household: Household) -> EditHouseholdForm:
    form = EditHouseholdForm(obj=household)
    if request.method == "GET":
        form.was_address.data = household.address
        form.was_name.data = household.name or ""
    return form


# --- the ambassador home ---------------------------------------------------------------------


@bp.route("/")
@staff_required
def index():
    filters = HomeFilters(
        q=request.args.get("q", "").strip(),
        needs_visit=request.args.get("needs_visit") == "1",
        family=_choice_arg("family", ("yes", "no")),
        learners=_choice_arg("learners", ("yes", "no")),
        ward_id=_int_arg("ward"),
        page=_int_arg("page") or 1,
    )
    page = home_page(current_user, filters, _today())
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    pages = {
        "previous": url_for(".index", **args, page=page.page - 1) if page.page > 1 else None,
        "next": url_for(".index", **args, page=page.page + 1) if page.page < page.pages else None,
    }
    is_admin = current_user.role == Role.ADMIN
    return render_template(
        "households/index.html", page=page, filters=filters, pages=pages,
        needs_visit_url=url_for(".index", needs_visit="1", ward=filters.ward_id),
        wards=all_wards() if is_admin else [], is_admin=is_admin,
        export_url=url_for(".export", ward=filters.ward_id), form=_household_form(is_admin),
    )


@bp.route("/export.csv")
@staff_required
def export():
    """The households the staff member may see, as a spreadsheet."""
    scope = in_scope(current_user, _int_arg("ward"))
    rows = services.households_for_export(scope)
    sheet = [[_("Ward"), _("Address"), _("Household name"), _("Members"), _("Phones"),
              _("Last visit"), _("Digital Family")]]
    for household in rows:
        sheet.append([
            household.ward.name, household.address, household.name or "",
            "; ".join(m.full_name or "" for m in household.members),
            "; ".join(format_phone(m.phone) for m in household.members if m.phone),
            household.last_visit_on.isoformat() if household.last_visit_on else "",
            _("yes") if household.digital_family else _("no"),
        ])
    return Response(
        csv_bytes(sheet), mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=households.csv"},
    )


# --- one household -----------------------------------------------------------------------------


@dataclass
class MemberView:
    member: HouseholdMember
    role: str
    progress_url: str | None = None
    learner_url: str | None = None
    register_url: str | None = None
    can_link: bool = False
    stuck: bool = False


def _progress_url(learner_id: int) -> str:
    try:
        return url_for("progress.of_learner", learner_id=learner_id)
    except BuildError:  # the progress pages are another feature
        return f"/progress/learner/{learner_id}"


def _member_views(household: Household, stuck: set[int]) -> list[MemberView]:
    views = []
    for member in household.members:
        view = MemberView(member=member, role=str(MEMBER_ROLES.get(member.role, member.role)),
                          stuck=member.learner_id in stuck)
        if member.learner_id:
            view.progress_url = _progress_url(member.learner_id)
            view.learner_url = url_for("learners.edit", learner_id=member.learner_id)
        elif member.full_name:
            found = member.phone and services.learner_with_phone(member.phone, household.ward_id)
            view.can_link = bool(found)
            if not found:
                view.register_url = url_for(
                    "learners.register", full_name=member.full_name,
                    phone=format_phone(member.phone) or None,
                )
        views.append(view)
    return views


def _competency_names() -> dict[str, str]:
    locale = str(get_locale() or "vi")
    return {comp.id: localised(comp.text, locale) for comp in framework().competencies.values()}


@bp.route("/<int:household_id>")
@staff_required
def show(household_id: int):
    household = _household_or_404(household_id)
    stuck = learning.stuck(m.learner_id for m in household.members if m.learner_id)
    return render_template(
        "households/show.html", household=household, members=_member_views(household, stuck),
        marks=services.marks_of([household])[household.id],
        visits=services.visits_of(household.id), history=services.history_of(household.id),
        competencies=_competency_names(),
        overdue=services.needs_visit_by_time(household, _today()),
        visit_form=_visit_form(), member_form=MemberForm(), edit_form=_edit_form(household),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def register():
    is_admin = current_user.role == Role.ADMIN
    form = _household_form(is_admin)
    error = None
    submitted = form.validate_on_submit()
    if submitted and _already_saved(form):
        return redirect(url_for(".index"))
    if submitted:
        now = utcnow()
        members = []
        if (form.member_name.data or "").strip() or (form.member_phone.data or "").strip():
            members.append({"full_name": form.member_name.data, "role": form.member_role.data,
                            "phone": form.member_phone.data})
        try:
            ward = services.ward_for_new_household(
                current_user, form.ward.data if is_admin else None)
            checked = services.check_new_household(
                ward, form.address.data, form.name.data, form.consent.data, members)
        except Refused as refused:
            error = _show_refusal(form, refused, {"bad_phone": "member_phone",
                                                  "bad_role": "member_role",
                                                  "bad_name": "member_name"})
        else:
            if not _claim(form, "household_created", now):
                return redirect(url_for(".index"))
            household = services.register_household(
                checked, current_user, op_id=form.op_id.data, now=now)
            flash(_("The household is registered."), "success")
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/register.html", form=form, error=error,
                           is_admin=is_admin)


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(household_id: int):
    household = _household_or_404(household_id)
    form = _edit_form(household)
    error = None
    submitted = form.validate_on_submit()
    if submitted and _already_saved(form):
        return redirect(url_for(".show", household_id=household.id))
    if submitted:
        now = utcnow()
        changes = {
            name: getattr(form, name).data or ""
            for name in services.EDITABLE_FIELDS
            if (getattr(form, name).data or "") != (getattr(form, f"was_{name}").data or "")
        }
        try:
            checked = services.check_fields(household, changes) if changes else {}
        except Refused as refused:
            error = _show_refusal(form, refused)
        else:
            if checked and _claim(form, "household_updated", now):
                made = services.edit_household(household, checked, current_user, now,
                                               op_id=form.op_id.data, now=now)
                if made:
                    flash(_("Saved."), "success")
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/edit.html", edit_form=form, household=household,
                           error=error)


@bp.route("/<int:household_id>/members/new", methods=["GET", "POST"])
@staff_required
def add_member(household_id: int):
    household = _household_or_404(household_id)
    form = MemberForm()
    error = None
    submitted = form.validate_on_submit()
    if submitted and _already_saved(form):
        return redirect(url_for(".show", household_id=household.id))
    if submitted:
        now = utcnow()
        try:
            fields = services.check_member(
                household.ward_id, form.full_name.data, form.role.data, form.phone.data)
        except Refused as refused:
            error = _show_refusal(form, refused, {"bad_name": "full_name"})
        else:
            if _claim(form, "member_added", now):
                member = services.add_member(household, fields, current_user,
                                             op_id=form.op_id.data, now=now)
                flash(_("%(name)s is added to the household.", name=member.full_name), "success")
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/member.html", member_form=form, household=household,
                           error=error)


@bp.post("/<int:household_id>/members/<int:member_id>/link")
@staff_required
def link_member(household_id: int, member_id: int):
    household = _household_or_404(household_id)
    member = db.get_or_404(HouseholdMember, member_id)
    if member.household_id != household.id:
        abort(404)
    learner = member.phone and services.learner_with_phone(member.phone, household.ward_id)
    if learner:
        services.link_member(member, learner)
        flash(_("%(name)s is linked to their learner account.", name=member.full_name), "success")
    else:
        flash(_("No learner of this ward has this phone number. Register them first."), "error")
    return redirect(url_for(".show", household_id=household.id))


@bp.route("/<int:household_id>/visits/new", methods=["GET", "POST"])
@staff_required
def log_visit(household_id: int):
    household = _household_or_404(household_id)
    form = _visit_form()
    error = None
    submitted = form.validate_on_submit()
    if submitted and _already_saved(form):
        return redirect(url_for(".show", household_id=household.id))
    if submitted:
        now = utcnow()
        try:
            fields = services.check_visit(
                form.visited_on.data, form.competencies.data, form.notes.data, _today())
        except Refused as refused:
            error = _show_refusal(form, refused)
        else:
            if _claim(form, "visit_logged", now):
                services.log_visit(household, fields, current_user, now,
                                   op_id=form.op_id.data, now=now)
                services.freshen([household])
                flash(_("The visit is saved."), "success")
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/visit.html", visit_form=form, household=household,
                           error=error)

