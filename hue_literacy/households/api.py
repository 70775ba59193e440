"""POST /api/v1/household-ops: ambassadors' phones send household changes queued offline.

Same rules as the sync API (sync/views.py, whose helpers this reuses): session cookie,
exempt from form CSRF tokens, only JSON from the same origin, one answer per op.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy.access import staff_required
from hue_literacy.extensions import db
from hue_literacy.households import ops
from hue_literacy.sync.views import MAX_BODY, _error, _same_origin

bp = Blueprint("households_api", __name__, url_prefix="/api/v1")


@bp.post("/household-ops")
@staff_required
def receive_ops():
    """Apply a batch of household ops; answer stored / duplicate / refused for each."""
    if not request.is_json:
        return _error(415, "json_required", _("Send the changes as JSON."))
    if not _same_origin():
        return _error(403, "cross_origin", _("Requests from other sites are not accepted."))
    if (request.content_length or 0) > MAX_BODY:
        return _error(413, "too_large", _("The batch is too large. Send fewer changes at a time."))
    body = request.get_json(silent=True)
    if body is None:
        return _error(400, "malformed_json", _("The batch is not valid JSON."))
    batch = body.get("ops") if isinstance(body, dict) else None
    if not isinstance(batch, list):
        return _error(400, "ops_missing", _("The batch must have a list named ops."))
    if len(batch) > ops.MAX_BATCH:
        return _error(413, "too_many_ops",
                      _("At most %(count)d changes per batch.", count=ops.MAX_BATCH))
    result = ops.apply_ops(current_user, batch)
    db.session.commit()
    return jsonify(result.as_json())
