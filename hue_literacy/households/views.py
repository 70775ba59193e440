"""Staff pages for households: the ambassador home, register, members, visits, edits.

Every form carries an op id and the payload field names of the ops API. With JavaScript the
phone queues every form as an op first (static/js/staff/forms.js); a form posted without it is
turned into the same op here and goes through the same function, `ops.apply_op`, so it is
saved once, also when sent twice.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, deny, may_assign_households, require_ward, staff_required
from hue_literacy.accounts.phone import format_phone
from hue_literacy.clock import utcnow
from hue_literacy.extensions import db
from hue_literacy.households import assignment, commands, learning, ops, services
from hue_literacy.households.forms import (
    EditHouseholdForm,
    EditMemberForm,
    HouseholdForm,
    MemberForm,
    VisitForm,
)
from hue_literacy.households.listing import HomeFilters, home_page, in_scope
from hue_literacy.households.models import Household, HouseholdMember
from hue_literacy.households.ops import OpResult
from hue_literacy.households.services import MEMBER_ROLES, Refused
from hue_literacy.households.shell_words import competency_names, offline_words
from hue_literacy.learners.forms import RegisterLearnerForm
from hue_literacy.refusals import InputRefused
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
    app.jinja_env.globals["offline_words"] = offline_words
    commands.init_app(app)


def _household_or_404(household_id: int) -> Household:
    household = db.get_or_404(Household, household_id)
    require_ward(household.ward_id)
    return household


def _show_refusal(form, refused: Refused, field_names: dict[str, str] | None = None) -> str:
    """Put the message beside the field it is about; return it for the top of the form."""
    name = (field_names or {}).get(refused.reason) or FIELD_OF_REASON.get(refused.reason)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, str(refused.message)]
    return str(refused.message)


def _send(form, kind: str, payload: dict, household: Household | None = None,
          field_names: dict[str, str] | None = None) -> tuple[OpResult | None, str | None]:
    """Build the form's op and apply it like the ops API does (one path for both).

    Returns the op's result, or None and the refusal's message (also put beside its field).
    A form sent twice (same op id) is answered "duplicate", with a notice.
    """
    now = utcnow()
    op = {"id": services.clean_op_id(form.op_id.data) or str(uuid.uuid4()), "type": kind,
          "occurred_at": now.isoformat(), "payload": payload,
          "household": household.id if household else None}
    try:
        result = ops.apply_op(op, current_user, now, inputs.release(), inputs.today())
    except Refused as refused:
        db.session.rollback()
        return None, _show_refusal(form, refused, field_names)
    if result.status == "duplicate":
        flash(_("This was already saved."), "info")
    return result, None


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
    names = competency_names()
    form.competencies.choices = [(comp, f"{comp} · {text}") for comp, text in names.items()]
    if request.method == "GET":
        form.visited_on.data = inputs.today()
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
        mine=request.args.get("mine") == "1",
        ward_id=_int_arg("ward"),
        page=_int_arg("page") or 1,
    )
    page = home_page(current_user, filters, inputs.today())
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
    edit_form: EditMemberForm | None = None


def _member_views(household: Household, stuck: set[int]) -> list[MemberView]:
    views = []
    for member in household.members:
        view = MemberView(member=member, role=str(MEMBER_ROLES.get(member.role, member.role)),
                          stuck=member.learner_id in stuck,
                          edit_form=_member_edit_form(member) if member.full_name else None)
        if member.learner_id:
            view.progress_url = url_for("progress.of_learner", learner_id=member.learner_id)
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


def _member_edit_form(member: HouseholdMember | None, submitted: bool = False) -> EditMemberForm:
    """The "Edit" form of one member, opened with their details (the base of the edit)."""
    form = EditMemberForm() if submitted else EditMemberForm(formdata=None)
    if not submitted and member is not None:
        form.full_name.data, form.role.data = member.full_name, member.role
        form.phone.data = format_phone(member.phone) or ""
        form.member.data = str(member.id)
        form.was_full_name.data, form.was_role.data = member.full_name, member.role
        form.was_phone.data = member.phone or ""
    return form.for_member(str(member.id) if member else "0")


def _history_labels() -> dict[str, str]:
    return {"address": _("Address"), "name": _("Household name"),
            "full_name": _("A member's name"), "role": _("A member's role in the family"),
            "assigned_to": _("Looked after by")}


@bp.route("/<int:household_id>")
@staff_required
def show(household_id: int):
    household = _household_or_404(household_id)
    stuck = learning.stuck(m.learner_id for m in household.members if m.learner_id)
    return render_template(
        "households/show.html", household=household, members=_member_views(household, stuck),
        marks=services.marks_of([household], inputs.release())[household.id],
        visits=services.visits_of(household.id), history=services.history_of(household.id),
        competencies=competency_names(), history_labels=_history_labels(),
        roles=MEMBER_ROLES,
        ambassadors=(assignment.ambassadors_of(household.ward_id)
                     if may_assign_households(current_user, household.ward_id) else None),
        overdue=services.needs_visit_by_time(household, inputs.today()),
        visit_form=_visit_form(), member_form=MemberForm(), edit_form=_edit_form(household),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def register():
    is_admin = current_user.role == Role.ADMIN
    form = _household_form(is_admin)
    error = None
    if form.validate_on_submit():
        members = []
        if (form.member_name.data or "").strip() or (form.member_phone.data or "").strip():
            members.append({"full_name": form.member_name.data, "role": form.member_role.data,
                            "phone": form.member_phone.data})
        payload = {"ward_id": form.ward.data if is_admin else None, "address": form.address.data,
                   "name": form.name.data, "consent": form.consent.data, "members": members}
        result, error = _send(form, "household_created", payload,
                              field_names={"bad_phone": "member_phone", "bad_role": "member_role",
                                           "bad_name": "member_name"})
        if result and result.status == "stored":
            flash(_("The household is registered."), "success")
            return redirect(url_for(".show", household_id=result.household_id))
        if result:
            return redirect(url_for(".index"))
    return render_template("households/register.html", form=form, error=error,
                           is_admin=is_admin)


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(household_id: int):
    household = _household_or_404(household_id)
    form = _edit_form(household)
    error = None
    if form.validate_on_submit():
        changes = {
            name: getattr(form, name).data or ""
            for name in services.EDITABLE_FIELDS
            if (getattr(form, name).data or "") != (getattr(form, f"was_{name}").data or "")
        }
        result, error = (_send(form, "household_updated", {"fields": changes}, household)
                         if changes else (None, None))
        if result and result.status == "stored" and result.made:
            flash(_("Saved."), "success")
        if error is None:
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/edit.html", edit_form=form, household=household,
                           error=error)


@bp.route("/<int:household_id>/members/new", methods=["GET", "POST"])
@staff_required
def add_member(household_id: int):
    household = _household_or_404(household_id)
    form = MemberForm()
    error = None
    if form.validate_on_submit():
        payload = {"full_name": form.full_name.data, "role": form.role.data,
                   "phone": form.phone.data}
        result, error = _send(form, "member_added", payload, household,
                              field_names={"bad_name": "full_name"})
        if result and result.status == "stored":
            flash(_("%(name)s is added to the household.", name=result.made.full_name),
                  "success")
        if result:
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/member.html", member_form=form, household=household,
                           error=error)


@bp.route("/<int:household_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_member(household_id: int, member_id: int):
    """Edit a member's name, role or phone (the member_updated op, like the phone sends)."""
    household = _household_or_404(household_id)
    member = db.get_or_404(HouseholdMember, member_id)
    if member.household_id != household.id or member.full_name is None:
        abort(404)
    form = _member_edit_form(member, submitted=request.method == "POST")
    error = None
    if form.validate_on_submit():
        fields, was = {}, {}
        for name in ("full_name", "role", "phone"):
            value, base = form[name].data or "", form[f"was_{name}"].data or ""
            if value.strip() != base.strip():
                fields[name], was[name] = value, base
        result, error = (_send(form, "member_updated", {"member": member.id, "fields": fields,
                                                        "was": was}, household,
                               field_names={"bad_name": "full_name"})
                         if fields else (None, None))
        if result and result.not_applied:
            flash(_("Another phone changed this person's details first: your change was not "
                    "used. Look at them again."), "error")
        elif result and result.status == "stored" and result.made:
            flash(_("Saved."), "success")
        if error is None:
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/member_edit.html", form=form, household=household,
                           member=member, error=error)


@bp.post("/<int:household_id>/assign")
@staff_required
def assign(household_id: int):
    """An official gives the household to one of the ward's ambassadors (or to nobody)."""
    household = _household_or_404(household_id)
    if not may_assign_households(current_user, household.ward_id):
        deny(403)
    try:
        change = assignment.assign(household, request.form.get("ambassador", ""), current_user,
                                   utcnow())
    except InputRefused as refused:
        flash(str(refused.message), "error")
    else:
        if change:
            flash(_("Saved."), "success")
    return redirect(url_for(".show", household_id=household.id))


@bp.post("/<int:household_id>/members/<int:member_id>/link")
@staff_required
def link_member(household_id: int, member_id: int):
    household = _household_or_404(household_id)
    member = db.get_or_404(HouseholdMember, member_id)
    if member.household_id != household.id:
        abort(404)
    learner = member.phone and services.learner_with_phone(member.phone, household.ward_id)
    if learner:
        services.link_member(member, learner, inputs.release())
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
    if form.validate_on_submit():
        payload = {"visited_on": form.visited_on.data.isoformat(),
                   "competencies": form.competencies.data, "notes": form.notes.data}
        result, error = _send(form, "visit_logged", payload, household)
        if result and result.status == "stored":
            flash(_("The visit is saved."), "success")
        if result:
            return redirect(url_for(".show", household_id=household.id))
    return render_template("households/visit.html", visit_form=form, household=household,
                           error=error)



# --- offline: the app shell the phone opens without network -----------------------------------


@bp.route("/offline")
@staff_required
def offline_shell():
    """The page the service worker opens for households and learners without network: the
    forms and words, drawn with the ward copy kept on the phone (static/js/staff/shell.js)."""
    is_admin = current_user.role == Role.ADMIN
    placeholder = Household(id=0, address="", name=None)
    learner_form = RegisterLearnerForm()
    learner_form.group.choices = inputs.framework().group_choices()
    learner_form.ward.choices = [(ward.id, ward.name) for ward in all_wards()] if is_admin else []
    return render_template(
        "households/shell.html", form=_household_form(is_admin), is_admin=is_admin,
        household=placeholder, visit_form=_visit_form(), member_form=MemberForm(),
        edit_form=EditHouseholdForm(), learner_form=learner_form,
        member_edit_form=_member_edit_form(None),
        filters=HomeFilters(), wards=all_wards() if is_admin else [],
    )
