"""What lets anyone check a certificate without this server's secret: the public keys (JWKS),
the list of revoked serials, and the staff page that checks a QR with no network."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, render_template

from hue_literacy import request_inputs as inputs
from hue_literacy.access import staff_required
from hue_literacy.certificates import services
from hue_literacy.certificates.keys import app_keyring
from hue_literacy.content.framework import localised
from hue_literacy.models_base import utcnow

bp = Blueprint("certificate_checks", __name__, template_folder="templates")

# Phones and other servers may keep the keys a while; a rotation shows within five minutes.
PUBLIC_MAX_AGE = 300


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/.well-known/jwks.json")
def jwks():
    """The public keys of every signing key this city used, the current one first."""
    response = jsonify(app_keyring(current_app.config).jwks())
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # other wards' servers, employers
    return response


@bp.route("/certificates/revocations.json")
def revocations():
    """The revoked serials; always asked fresh (no-cache), kept by staff phones for offline."""
    response = jsonify(services.revocation_list(utcnow()))
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


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
