"""Certificate pages: officials issue, revoke and print; learners download; anyone verifies."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, deny, may_export_results, require_ward, role_required
from hue_literacy.accounts import throttle
from hue_literacy.accounts.models import User
from hue_literacy.certificates import checking, export, overview, services
from hue_literacy.certificates.addresses import public_url
from hue_literacy.certificates.eligibility import eligibility_for
from hue_literacy.certificates.keys import KeyProblem, Keyring, app_keyring
from hue_literacy.certificates.models import Certificate
from hue_literacy.certificates.signing import format_code, normalise_code
from hue_literacy.certificates.statement import sign_statement
from hue_literacy.certificates.web import document_locale, no_signing_key, ward_or_404
from hue_literacy.classes.models import ClassSession
from hue_literacy.classes.services import attendances, classes_for
from hue_literacy.clock import local_date
from hue_literacy.content.framework import localised
from hue_literacy.database import writes_on_get
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.spreadsheets import csv_bytes
from hue_literacy.wards.models import Ward
from hue_literacy.wards.services import all_wards

bp = Blueprint("certificates", __name__, template_folder="templates")

CERTIFYING = (Role.OFFICIAL, Role.ADMIN)
# Public lookups per network address: enough for a ward office checking a pile of papers,
# too few to walk through the codes.
VERIFY_POLICY = throttle.ThrottlePolicy(
    window=timedelta(minutes=10), max_per_phone=0, max_per_address=30
)
VERIFY_KEY_PREFIX = "verify:"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _local_date(moment: datetime) -> date:
    """The day of a stored moment in Hue."""
    return local_date(moment, inputs.timezone())


def _certifiable_ward() -> Ward:
    """The ward the official works in; the city admin picks one (?ward=ID)."""
    if current_user.role == Role.ADMIN:
        ward_id = request.args.get("ward", type=int) or request.form.get("ward", type=int)
        ward = db.session.get(Ward, ward_id) if ward_id else None
        if ward is None:
            ward = next(iter(all_wards()), None)
        if ward is None:
            abort(404)
        return ward
    require_ward(current_user.ward_id)
    return current_user.ward


def _certificate_or_404(certificate_id: int) -> Certificate:
    return db.get_or_404(Certificate, certificate_id)


_public_url = public_url


def _verify_url(certificate: Certificate, keyring: Keyring) -> str:
    """The URL in the printed QR: the check page's address plus the signed statement."""
    kid, private_key = keyring.signing_key()
    token = sign_statement(checking.statement_of(certificate), kid, private_key)
    return _public_url("certificates.verify", code=format_code(certificate.code), t=token)


def _lookup_url() -> str:
    """Where a person types the code, printed without the scheme to be short."""
    return _public_url("certificates.lookup").split("://", 1)[-1]


def _pdf_response(certificates: list[Certificate], filename: str) -> Response:
    # WeasyPrint and the QR images load on the first print, not when the server starts.
    from hue_literacy.certificates.pdf import render_pdf

    locale = document_locale()
    content = inputs.release()
    lookup = _lookup_url()
    keyring = app_keyring(current_app.config)
    try:
        keyring.signing_key()
    except KeyProblem:
        return no_signing_key()
    # Each paper shows the framework version its certificate was earned under.
    pages = [services.printed(cert, content.framework_version(cert.framework_version), locale,
                              _verify_url(cert, keyring), lookup)
             for cert in certificates]
    processes = current_app.config["CERTIFICATE_PDF_PROCESSES"]
    response = Response(render_pdf(pages, locale, processes), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- officials: who is ready, issue, revoke, print ------------------------------------------


@bp.route("/certificates/")
@role_required()
@writes_on_get  # keeps the judgements of mastery of the learners listed (MasteryCache)
def index():
    if current_user.role == Role.LEARNER:
        return render_template(
            "certificates/mine.html",
            certificates=services.certificates_of_learner(current_user.id),
            profile_name=_profile_name,
        )
    if current_user.role not in CERTIFYING:
        deny(403)
    ward = _certifiable_ward()
    return _overview_page(ward)


def _profile_name(profile_id: str, version: int | None = None) -> str:
    """The profile's name in the framework version given (a certificate's), else the current."""
    profile = inputs.release().framework_version(version).profile(profile_id)
    return localised(profile.name, inputs.language()) if profile else profile_id


def _overview_page(ward: Ward, status: int = 200):
    """The three lists and the issued certificates, one page each, searched by name."""
    query = request.args.get("q", "").strip()[:80]
    pages = {name: request.args.get(f"{name}_page", 1, type=int) for name in overview.LISTS}
    lists = overview.ward_lists(ward.id, inputs.release(), pages, query)
    issued = overview.issued_page(ward.id, request.args.get("issued_page", 1, type=int), query)
    classes = [session for session in classes_for(current_user) if session.ward_id == ward.id]
    current = {f"{name}_page": lists[name].page for name in overview.LISTS}
    current["issued_page"] = issued.page

    def page_url(name: str, page: int) -> str:
        values = dict(current, **{f"{name}_page": page})
        return url_for("certificates.index", ward=ward.id if current_user.role == Role.ADMIN
                       else None, q=query or None, _anchor=name, **values)

    page = render_template(
        "certificates/index.html",
        ward=ward,
        wards=all_wards() if current_user.role == Role.ADMIN else [],
        lists=lists,
        issued=issued,
        query=query,
        page_url=page_url,
        years=services.issued_years(ward.id) or [inputs.today().year],
        classes=classes,
        profile_name=_profile_name,
        show_code=format_code,
    )
    return page, status


def _learner_to_certify(learner_id: int | None) -> User:
    """The learner of the ward named in the request (404 unless an active learner, 403 if of
    another ward)."""
    learner = db.session.get(User, learner_id or 0)
    if learner is None or learner.role != Role.LEARNER or not learner.is_active:
        abort(404)
    require_ward(learner.ward_id)
    return learner


@bp.route("/certificates/review/<int:learner_id>")
@role_required(*CERTIFYING)
def review(learner_id: int):
    """What the official checks before approving: the person, the profile, the evidence."""
    from hue_literacy.certificates.pdf import printed_date

    learner = _learner_to_certify(learner_id)
    release = inputs.release()
    eligibility = eligibility_for(learner, release)
    held = services.valid_certificate(learner.id, eligibility.profile_id) \
        if eligibility.profile_id else None
    return render_template(
        "certificates/review.html",
        learner=learner,
        birth_date=printed_date(learner.birth_date, inputs.language()),  # as it will print
        eligibility=eligibility,
        held=held,
        profile_name=_profile_name(eligibility.profile_id) if eligibility.profile_id else "",
        evidence=overview.evidence(learner.id, eligibility, release.framework,
                                   inputs.language()),
    )


@bp.post("/certificates/issue")
@role_required(*CERTIFYING)
def issue():
    """Issue once the official confirmed on the review page; anything else goes to it."""
    learner = _learner_to_certify(request.form.get("learner_id", type=int))
    if request.form.get("confirmed") != "yes":
        return redirect(url_for("certificates.review", learner_id=learner.id))
    try:
        certificate = services.issue_certificate(
            learner, current_user, inputs.framework(), eligibility_for(learner, inputs.release()),
            inputs.today(),
        )
    except services.CertificateRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(url_for("certificates.review", learner_id=learner.id))
    flash(_("Certificate %(serial)s issued to %(name)s.", serial=certificate.serial,
            name=certificate.learner_name), "success")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


@bp.route("/certificates/<int:certificate_id>")
@role_required(*CERTIFYING)
def show(certificate_id: int, error: str | None = None, status: int = 200):
    certificate = _certificate_or_404(certificate_id)
    require_ward(certificate.ward_id)
    return render_template(
        "certificates/show.html",
        certificate=certificate,
        code=format_code(certificate.code),
        profile_name=_profile_name(certificate.profile_id, certificate.framework_version),
        competencies=services.competency_texts(
            certificate.competency_ids,
            inputs.release().framework_version(certificate.framework_version), inputs.language()),
        audit=services.audit_log(certificate.id),
        error=error,
    ), status


@bp.post("/certificates/<int:certificate_id>/revoke")
@role_required(*CERTIFYING)
def revoke(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    require_ward(certificate.ward_id)
    try:
        services.revoke_certificate(certificate, current_user, request.form.get("reason", ""))
    except services.CertificateRefused as refused:
        db.session.rollback()
        return show(certificate_id, error=str(refused.message), status=400)
    flash(_("Certificate %(serial)s is revoked. You can now issue a corrected one.",
            serial=certificate.serial), "info")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


@bp.route("/certificates/<int:certificate_id>.pdf")
@role_required()
def download(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    if not services.may_download(current_user, certificate):
        deny(403)
    return _pdf_response([certificate], f"{certificate.serial}.pdf")


@bp.route("/certificates/batch.pdf")
@role_required(*CERTIFYING)
def batch():
    """Every valid certificate of a ward and year, or of a class, one per page."""
    class_id = request.args.get("class", type=int)
    if class_id:
        session = db.get_or_404(ClassSession, class_id)
        require_ward(session.ward_id)
        learner_ids = [row.learner_id for row in attendances(session)]
        certificates = [cert for cert in services.certificates_of_learners(learner_ids)
                        if services.may_certify(current_user, cert.ward_id)]
        filename = f"certificates-class-{session.id}.pdf"
    else:
        ward = _certifiable_ward()
        year = request.args.get("year", type=int) or inputs.today().year
        certificates = services.certificates_of_ward(ward.id, year=year, valid_only=True)
        filename = f"certificates-{ward.code}-{year}.pdf"
    if not certificates:
        flash(_("There is no valid certificate to print there yet."), "info")
        return redirect(url_for("certificates.index", ward=request.args.get("ward")))
    return _pdf_response(certificates, filename)


# --- the ward's results for national systems ------------------------------------------------


def _ward_to_export(ward_code: str) -> Ward:
    ward = ward_or_404(ward_code)
    if not may_export_results(current_user, ward.id):
        deny(403)
    return ward


@bp.route("/certificates/export/<ward_code>")
@role_required(*CERTIFYING)
def export_form(ward_code: str):
    """Choose the period of the results to hand over."""
    ward = _ward_to_export(ward_code)
    today = inputs.today()
    return render_template("certificates/export.html", ward=ward,
                           start=request.args.get("from") or date(today.year, 1, 1).isoformat(),
                           end=request.args.get("to") or today.isoformat())


@bp.route("/certificates/export/<ward_code>.<any(csv, json):kind>")
@role_required(*CERTIFYING)
def export_results(ward_code: str, kind: str):
    """The ward's results of a period as CSV or JSON (docs/results-export.md)."""
    ward = _ward_to_export(ward_code)
    raw_from, raw_to = request.args.get("from"), request.args.get("to")
    try:
        period = export.parse_period(raw_from, raw_to, inputs.today())
    except export.PeriodRefused as refused:
        if kind == "json":
            return jsonify({"error": "bad_period", "message": str(refused.message)}), 400
        return render_template("certificates/export.html", ward=ward, start=raw_from or "",
                               end=raw_to or "", error=str(refused.message)), 400
    rows = export.result_rows(ward, period, _local_date)
    name = f"results-{ward.code.lower()}-{period.start.isoformat()}-{period.end.isoformat()}"
    if kind == "json":
        body = json.dumps(export.json_document(ward, period, rows, utcnow()),
                          ensure_ascii=False, indent=1)
        response = Response(body, mimetype="application/json")
    else:
        response = Response(csv_bytes(export.csv_rows(rows)), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- anyone: verify a certificate -----------------------------------------------------------


def _throttled() -> tuple[str, int] | None:
    """Count this lookup; a page asking to wait (429) when the address looked up too much."""
    address = VERIFY_KEY_PREFIX + (request.remote_addr or "unknown")
    attempt = throttle.begin_attempt(VERIFY_POLICY, None, address)
    if not attempt.allowed:
        minutes = max(1, (attempt.wait_seconds + 59) // 60)
        message = _("Too many checks from this connection. Please wait %(minutes)d minutes, "
                    "then try again.", minutes=minutes)
        return render_template("certificates/verify_form.html", error=message), 429
    return None


@bp.route("/verify")
def lookup():
    """A form to type the code printed on a certificate."""
    raw = request.args.get("code", "")
    if not raw:
        return render_template("certificates/verify_form.html")
    code = normalise_code(raw)
    if code is None:
        return render_template(
            "certificates/verify_form.html", code=raw,
            error=_("A certificate code has 8 letters and digits, like 7KQM-4XRT."),
        ), 400
    return redirect(url_for("certificates.verify", code=format_code(code)))


@bp.route("/verify/<code>")
@writes_on_get  # counts the lookup, also for unknown codes
def verify(code: str):
    from hue_literacy.certificates.pdf import document_date

    refused = _throttled()
    if refused:
        return refused
    certificate = services.certificate_by_code(code)
    if certificate is None:
        response = render_template("certificates/verify_unknown.html", code=code), 404
    else:
        # t: the signed statement of papers printed now; s: the HMAC of papers printed before.
        token, signature = request.args.get("t"), request.args.get("s")
        view = services.public_view(
            certificate, inputs.release().framework_version(certificate.framework_version),
            inputs.language(), _local_date)
        response = render_template(
            "certificates/verify.html",
            view=view,
            written_date=lambda day: document_date(day, inputs.language()),
            signed=token is not None or signature is not None,
            genuine=checking.qr_is_genuine(
                certificate, token, signature, app_keyring(current_app.config).public_keys,
                current_app.config["SECRET_KEY"]),
        )
    return response


@bp.after_request
def _no_caching_of_verification(response: Response) -> Response:
    if request.endpoint in ("certificates.verify", "certificates.lookup"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response
