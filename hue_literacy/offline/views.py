"""Service worker at the site root, the localized web app manifest, the precache list."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, jsonify, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import staff_required
from hue_literacy.offline.services import precache_manifest, staff_manifest
from hue_literacy.static_files import send_static

bp = Blueprint("offline", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/sw.js")
def service_worker():
    """Served from the root so that it controls every page of the site."""
    response = send_static("sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline/<lang>/precache.json")
def precache(lang: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    manifest = precache_manifest(inputs.release(), Path(current_app.config["STATIC_DIR"]), lang)
    response = jsonify(manifest)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline/staff/precache.json")
@staff_required
def staff_precache():
    """The staff member's offline app shell and scripts (not in the learners' precache)."""
    shell = url_for("households.offline_shell")
    response = jsonify(staff_manifest(Path(current_app.config["STATIC_DIR"]), shell,
                                      current_user.id))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/manifest.<lang>.webmanifest")
def web_manifest(lang: str):
    """The install manifest, named and described in the page's language."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    with force_locale(lang):
        manifest = {
            "name": _("Hue Digital Literacy"),
            "short_name": _("Digital skills"),
            "description": _(
                "Practise scanning QR codes, paying by QR, online public services and "
                "staying safe from scams."
            ),
            "lang": lang,
            "start_url": url_for("lessons.catalogue", lang=lang, source="pwa"),
            "scope": "/",
            "id": "/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#fffdf7",
            "theme_color": "#0b4f8a",
            "icons": [
                {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192",
                 "type": "image/png"},
                {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512",
                 "type": "image/png"},
                {"src": url_for("static", filename="icons/icon-maskable-512.png"),
                 "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
                {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any",
                 "type": "image/svg+xml"},
            ],
        }
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    return response
