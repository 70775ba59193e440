"""What lets anyone check a certificate without this server's secret: the public keys (JWKS),
the list of revoked serials, and the staff page that checks a QR with no network."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

from hue_literacy.certificates.keys import app_keyring

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
