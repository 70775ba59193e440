"""What lets anyone check a certificate without this server's secret: the public keys (JWKS),
the list of revoked serials, and the staff page that checks a QR with no network."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import deny, role_required, staff_required
from hue_literacy.certificates import badges, checking, services
from hue_literacy.certificates.addresses import public_url
from hue_literacy.certificates.jose import sign_jwt
from hue_literacy.certificates.keys import KeyProblem, app_keyring
from hue_literacy.certificates.models import Certificate
from hue_literacy.certificates.signing import format_code
from hue_literacy.certificates.web import document_locale, no_signing_key, ward_or_404
from hue_literacy.content.framework import localised
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow

bp = Blueprint("certificate_checks", __name__, template_folder="templates")

# Phones and other servers may keep the keys a while; a rotation shows within five minutes.
PUBLIC_MAX_AGE = 300


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _public(response: Response, cache: str = f"public, max-age={PUBLIC_MAX_AGE}") -> Response:
    """Readable by any site (other wards' servers, employers), kept as `cache` says."""
    response.headers["Cache-Control"] = cache
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/.well-known/jwks.json")
def jwks():
    """The public keys of every signing key this city used, the current one first."""
    response = jsonify(app_keyring(current_app.config).jwks())
    return _public(response)


@bp.route("/certificates/revocations.json")
def revocations():
    """The revoked serials; always asked fresh (no-cache), kept by staff phones for offline."""
    response = jsonify(checking.revocation_list(utcnow()))
    return _public(response, "no-cache")


@bp.route("/certificates/check")
@staff_required
def check():
    """Scan a printed QR and check its signature in the phone itself (also with no network).

    The page is kept on staff phones by static/js/staff/check-cache.js; it carries the profile
    names of every framework version, because the QR holds only the profile's id.
    """
    release = inputs.release()
    language = inputs.language()
    frameworks = [release.framework, *release.archived.values()]
    profiles = {f"{framework.version}:{profile.id}": localised(profile.name, language)
                for framework in frameworks for profile in framework.profiles}
    return render_template("certificates/check.html", profiles=profiles)


# --- Open Badges 3.0 -----------------------------------------------------------------------


def _addresses(certificate: Certificate) -> badges.BadgeAddresses:
    ward_code = certificate.ward.code
    return badges.BadgeAddresses(
        issuer=public_url("certificate_checks.issuer", ward_code=ward_code),
        achievement=public_url("certificate_checks.achievement",
                               framework_id=certificate.framework_id,
                               version=certificate.framework_version,
                               profile_id=certificate.profile_id),
        status_list=public_url("certificate_checks.status_list", ward_code=ward_code),
        verify=public_url("certificates.verify", code=format_code(certificate.code)),
    )


def _jwt_response(token: str, filename: str | None = None) -> Response:
    response = Response(token, mimetype="application/jwt")
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/certificates/<int:certificate_id>/open-badge.jwt")
@role_required()
def open_badge(certificate_id: int):
    """The certificate as an Open Badges 3.0 credential (a VC signed as a JWT with EdDSA)."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not services.may_download(current_user, certificate):
        deny(403)
    try:
        kid, private_key = app_keyring(current_app.config).signing_key()
    except KeyProblem:
        return no_signing_key()
    framework = inputs.release().framework_version(certificate.framework_version)
    payload = checking.open_badge(certificate, framework, document_locale(),
                                  _addresses(certificate))
    response = _jwt_response(sign_jwt(payload, kid, private_key),
                             f"{certificate.serial}-open-badge.jwt")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/certificates/issuers/<ward_code>.json")
def issuer(ward_code: str):
    """The ward's People's Committee as the issuer Profile its credentials point to."""
    ward = ward_or_404(ward_code)
    locale = document_locale()
    response = jsonify(badges.issuer_profile(
        ward.name, checking.issuer_name(ward.name, locale),
        public_url("certificate_checks.issuer", ward_code=ward.code)))
    return _public(response)


@bp.route("/certificates/achievements/<framework_id>/v<int:version>/<profile_id>.json")
def achievement(framework_id: str, version: int, profile_id: str):
    """A profile of a framework version as an Achievement, with its competencies."""
    framework = inputs.release().framework_version(version)
    if framework.id != framework_id or framework.version != version or \
            framework.profile(profile_id) is None:
        abort(404)
    url = public_url("certificate_checks.achievement", framework_id=framework_id,
                     version=version, profile_id=profile_id)
    response = jsonify(checking.achievement_of(framework, profile_id, url, document_locale()))
    return _public(response)


@bp.route("/certificates/status/<ward_code>.jwt")
def status_list(ward_code: str):
    """The ward's revocation list as a BitstringStatusListCredential (JWT), always fresh."""
    ward = ward_or_404(ward_code)
    try:
        kid, private_key = app_keyring(current_app.config).signing_key()
    except KeyProblem:
        abort(503)
    payload = checking.status_list_of(
        ward.id, ward.name, public_url("certificate_checks.status_list", ward_code=ward.code),
        public_url("certificate_checks.issuer", ward_code=ward.code), document_locale(), utcnow())
    response = _jwt_response(sign_jwt(payload, kid, private_key))
    return _public(response, "no-cache")
