"""Community classes: open one, show its QR code, join by scanning, see who needs help, assess."""
from __future__ import annotations

from functools import lru_cache

from flask import (
    Blueprint,
    Flask,
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
from hue_literacy.access import (
    Role,
    may_act_in_ward,
    require_ward,
    role_required,
    staff_required,
)
from hue_literacy.accounts.models import User
from hue_literacy.classes import services
from hue_literacy.classes.forms import OpenClassForm
from hue_literacy.classes.models import ClassSession
from hue_literacy.content.framework import localised
from hue_literacy.extensions import db
from hue_literacy.progress import services as progress
from hue_literacy.progress.labels import STATUS_LABELS
from hue_literacy.qr import qr_svg
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward
from hue_literacy.wards.services import all_wards

bp = Blueprint("classes", __name__, url_prefix="/classes", template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@lru_cache(maxsize=256)
def join_qr(join_url: str) -> str:
    """The class's QR code (drawing one takes ~10 ms; the class page reloads often)."""
    return qr_svg(join_url, border=2)


def _class_or_404(class_id: int) -> ClassSession:
    """The class, when the signed-in staff member works in its ward (403 otherwise)."""
    session = db.get_or_404(ClassSession, class_id)
    require_ward(session.ward_id)
    return session


def _text(texts: dict[str, str]) -> str:
    return localised(texts, inputs.language())


# --- staff: list, open, view, close ---------------------------------------------------------


@bp.route("/")
@staff_required
def index():
    return render_template("classes/index.html", classes=services.classes_for(current_user),
                           show_code=services.show_code)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def open_class():
    form = OpenClassForm()
    is_admin = current_user.role == Role.ADMIN
    form.ward.choices = [(ward.id, ward.name) for ward in all_wards()] if is_admin else []
    if request.method == "GET" and form.starts_on.data is None:
        form.starts_on.data = inputs.today()
    error = None
    if form.validate_on_submit():
        ward_id = form.ward.data if is_admin else current_user.ward_id
        if ward_id is not None and db.session.get(Ward, ward_id) is None:
            ward_id = None
        require_ward(ward_id)
        try:
            session = services.open_class(ward_id, form.venue.data, form.starts_on.data,
                                          current_user)
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            return redirect(url_for("classes.show", class_id=session.id))
    return render_template("classes/open.html", form=form, error=error, is_admin=is_admin)


def _attendee_context(session: ClassSession) -> dict:
    lang = inputs.lesson_language()
    return {
        "session": session,
        "attendees": services.class_attendees(session, inputs.release(), lang, inputs.today(),
                                              inputs.timezone()),
    }


@bp.route("/<int:class_id>")
@staff_required
def show(class_id: int):
    session = _class_or_404(class_id)
    join_url = url_for("classes.join", code=session.join_code, _external=True)
    return render_template(
        "classes/show.html",
        qr=join_qr(join_url),
        join_url=join_url,
        type_url=url_for("classes.join_by_typing", _external=True),
        code=services.show_code(session.join_code),
        **_attendee_context(session),
    )


@bp.route("/<int:class_id>/attendees")
@staff_required
def attendees(class_id: int):
    """The list of who joined, alone: the class page reloads it every 20 seconds."""
    session = _class_or_404(class_id)
    return render_template("classes/_attendees.html", **_attendee_context(session))


@bp.post("/<int:class_id>/close")
@staff_required
def close(class_id: int):
    session = _class_or_404(class_id)
    services.close_class(session)
    flash(_("The class is closed: nobody else can join it."), "info")
    return redirect(url_for("classes.show", class_id=session.id))


# --- staff: assess one learner --------------------------------------------------------------


def _learner_page(session: ClassSession, learner: User, error: str | None = None,
                  status: int = 200):
    content = inputs.release()
    learner_progress = progress.progress_of(learner, content, inputs.today(), inputs.timezone())
    latest = services.latest_assessments(learner.id)
    skills = [item for area in progress.area_progress(content.framework,
                                                       learner_progress.competencies)
              for item in area.items]
    profile = set(learner_progress.profile_ids)
    page = render_template(
        "classes/learner.html",
        session=session,
        learner=learner,
        progress=learner_progress,
        certificate_skills=[item for item in skills if item[0].id in profile],
        other_skills=[item for item in skills if item[0].id not in profile],
        latest=latest,
        history=services.assessment_history(learner.id)[:10],
        results=services.RESULT_LABELS,
        status_labels=STATUS_LABELS,
        text=_text,
        same_ward=may_act_in_ward(current_user, learner.ward_id),
        error=error,
    )
    return page, status


def _attendee_or_404(session: ClassSession, learner_id: int) -> User:
    if services.attendance(session, learner_id) is None:
        abort(404)
    learner = db.session.get(User, learner_id)
    if learner is None or not learner.is_active:
        abort(404)
    return learner


@bp.route("/<int:class_id>/learners/<int:learner_id>")
@staff_required
def learner(class_id: int, learner_id: int):
    session = _class_or_404(class_id)
    return _learner_page(session, _attendee_or_404(session, learner_id))


@bp.post("/<int:class_id>/assessments")
@staff_required
def assess(class_id: int):
    session = _class_or_404(class_id)
    learner_id = request.form.get("learner_id", type=int)
    competency_id = request.form.get("competency_id")
    result = request.form.get("result")
    try:
        assessment = services.record_assessment(
            session, learner_id, competency_id, result, current_user, inputs.framework(),
            inputs.today(),
        )
    except InputRefused as refused:
        db.session.rollback()
        message = str(refused.message)
        if learner_id is not None and services.attendance(session, learner_id) is not None:
            return _learner_page(session, _attendee_or_404(session, learner_id), message, 400)
        return render_template("classes/refused.html", session=session, error=message), 400
    flash(_("Saved: %(skill)s, %(result)s.", skill=assessment.competency_id,
            result=services.RESULT_LABELS[assessment.result]), "success")
    return redirect(url_for("classes.learner", class_id=session.id, learner_id=learner_id)
                    + f"#skill-{assessment.competency_id}")


# --- learners: join by code ------------------------------------------------------------------


@bp.route("/join")
@role_required()
def join_by_typing():
    """Type the code shown by the teacher (for a phone that cannot scan)."""
    typed = request.args.get("code")
    if typed is not None:
        code = services.normalise_code(typed)
        if code:
            return redirect(url_for("classes.join", code=code))
    code_error = _("Please type the code.") if typed is not None else None
    return render_template("classes/join_type.html", code_error=code_error)


@bp.route("/join/<code>", methods=["GET", "POST"])
@role_required()
def join(code: str):
    """Scanned from the teacher's QR code: a learner confirms and is on the class list."""
    session = services.class_by_code(code)
    if session is None:
        return render_template("classes/join_unknown.html", code_error=None,
                               code=services.normalise_code(code)[:12]), 404
    if current_user.is_staff:
        if may_act_in_ward(current_user, session.ward_id):
            return redirect(url_for("classes.show", class_id=session.id))
        abort(403)
    error = None
    if request.method == "POST":
        try:
            services.join_class(session, current_user)
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            return redirect(url_for("classes.join", code=session.join_code))
    joined = services.attendance(session, current_user.id)
    if joined is None and not session.is_open:
        error = _("This class has ended. Ask the teacher for the code of today's class.")
    return render_template("classes/join.html", session=session, joined=joined, error=error,
                           code=services.show_code(session.join_code),
                           catalogue_url=url_for("lessons.catalogue",
                                                 lang=inputs.lesson_language()))
