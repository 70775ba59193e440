"""The sync API (/api/v1): phones send queued progress events in batches.

Requests are authenticated by the session cookie. The API is exempt from form CSRF tokens
(a service worker has no form to read one from) and instead only accepts
`Content-Type: application/json` from the same origin: a cross-site page cannot send that
without a CORS preflight, which this app never grants.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy.access import Role, role_required
from hue_literacy.content.access import release
from hue_literacy.extensions import csrf, db
from hue_literacy.sync import services

bp = Blueprint("sync", __name__, url_prefix="/api/v1")
MAX_BODY = 512 * 1024


def init_app(app: Flask) -> None:
    from hue_literacy.accounts.services import register_personal_data

    csrf.exempt(bp)
    app.register_blueprint(bp)
    register_personal_data(exporter=services.export_events)


def _error(status: int, code: str, message: str):
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


@bp.get("/session")
def session_info():
    """Who is signed in on this phone, and the content release the server has now."""
    signed_in = current_user.is_authenticated
    return jsonify(
        {
            "signed_in": signed_in,
            "user_id": current_user.id if signed_in else None,
            "role": str(current_user.role) if signed_in else None,
            "content_hash": release().content_hash,
        }
    )


@bp.post("/events")
@role_required(Role.LEARNER)
def receive_events():
    """Store a batch of progress events; answer stored / duplicate / refused for each."""
    if not request.is_json:
        return _error(415, "json_required", _("Send the events as JSON."))
    if not _same_origin():
        return _error(403, "cross_origin", _("Requests from other sites are not accepted."))
    if (request.content_length or 0) > MAX_BODY:
        return _error(413, "too_large", _("The batch is too large. Send fewer events at a time."))
    body = request.get_json(silent=True)
    if body is None:
        return _error(400, "malformed_json", _("The batch is not valid JSON."))
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list):
        return _error(400, "events_missing", _("The batch must have a list named events."))
    if len(events) > services.MAX_BATCH:
        return _error(
            413, "too_many_events",
            _("At most %(count)d events per batch.", count=services.MAX_BATCH),
        )
    result = services.store_batch(current_user.id, events, release())
    db.session.commit()
    return jsonify(result.as_json())
