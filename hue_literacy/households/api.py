"""The ambassadors' phone APIs: POST /api/v1/household-ops (changes queued on the phone) and
GET /api/v1/ward-households (the ward copy the phone keeps for offline use).

Same rules as the sync API (sync/views.py, whose helpers this reuses): session cookie,
exempt from form CSRF tokens, only JSON from the same origin, one answer per op.
"""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import staff_required
from hue_literacy.clock import utcnow
from hue_literacy.extensions import csrf
from hue_literacy.households import ops
from hue_literacy.households.ward_copy import ward_copy
from hue_literacy.sync.batch import BatchTexts, read_batch

bp = Blueprint("households_api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)


OPS_TEXTS = BatchTexts(
    json_required=_l("Send the changes as JSON."),
    too_large=_l("The batch is too large. Send fewer changes at a time."),
    missing=_l("The batch must have a list named ops."),
    too_many=_l("At most %(count)d changes per batch."),
)


@bp.post("/household-ops")
@staff_required
def receive_ops():
    """Apply a batch of household ops; answer stored / duplicate / refused for each."""
    batch = read_batch("ops", ops.MAX_BATCH, OPS_TEXTS)
    result = ops.apply_ops(current_user, batch, inputs.release(), inputs.today(),
                           pin_hash=inputs.pin_hash_method())
    return jsonify(result.as_json())


@bp.get("/ward-households")
@staff_required
def ward_households():
    """The households, members, last visits and marks the phone keeps for offline use."""
    ward_arg = request.args.get("ward", "")
    ward_id = int(ward_arg) if ward_arg.isdigit() and len(ward_arg) < 10 else None
    response = jsonify(ward_copy(current_user, ward_id, inputs.today(), utcnow()))
    response.headers["Cache-Control"] = "private, no-store"
    return response
