"""The sync API (/api/v1): phones send queued progress events in batches.

Requests are authenticated by the session cookie. The API is exempt from form CSRF tokens
(a service worker has no form to read one from) and instead only accepts
`Content-Type: application/json` from the same origin: a cross-site page cannot send that
without a CORS preflight, which this app never grants.
"""
from __future__ import annotations

import click
from flask import Blueprint, Flask, current_app, jsonify, request, session
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login.utils import decode_cookie

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, role_required
from hue_literacy.accounts.services import deleted_learner
from hue_literacy.content.access import release
from hue_literacy.extensions import csrf, db
from hue_literacy.sync import services, verdicts
from hue_literacy.sync.batch import BatchTexts, read_batch

bp = Blueprint("sync", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.cli.add_command(sync_cli)
    app.before_request(keep_answer_keys)


def keep_answer_keys() -> None:
    """Keep the running release's answer keys, once per app, before its first request.

    Bookkeeping of the release, not the request's work: it runs in its own short
    transaction (sync/verdicts.py), so a GET page still changes nothing of the request's.
    Any page may hand out a lesson (the player, the service worker's precache), so every
    release the server runs has its keys kept before a phone can answer on it.
    """
    verdicts.ensure_recorded(inputs.release(), current_app.extensions)


def _gone_learner() -> int | None:
    """The learner this phone was signed in as, if their account was deleted since: the
    session or the remember cookie still names it (only to the phone that held it)."""
    names = [session.get("gone_account"), session.get("_user_id"),
             decode_cookie(request.cookies.get(current_app.config.get(
                 "REMEMBER_COOKIE_NAME", "remember_token"), ""))]
    for name in names:
        gone = deleted_learner(str(name or "").partition(":")[0])
        if gone:
            return gone
    return None


@bp.get("/session")
def session_info():
    """Who is signed in on this phone, and the content release the server has now."""
    signed_in = current_user.is_authenticated
    learner = signed_in and current_user.role == Role.LEARNER
    return jsonify(
        {
            "signed_in": signed_in,
            "user_id": current_user.id if signed_in else None,
            "role": str(current_user.role) if signed_in else None,
            # The catalogue (cached for everyone) shows the learner's group path first.
            "group": (current_user.group or None) if learner else None,
            # A shared family phone lists who learns on it ("who is learning?" tiles), and
            # each one's text size follows them from phone to phone.
            "name": current_user.full_name if learner else None,
            "phone": current_user.phone if learner else None,
            "text_size": current_user.text_size if signed_in else None,
            # deleted since this phone signed in with it: the phone takes it off (family.js)
            "gone_account": None if signed_in else _gone_learner(),
            "content_hash": inputs.release().content_hash,
        }
    )


EVENT_TEXTS = BatchTexts(
    json_required=_l("Send the events as JSON."),
    too_large=_l("The batch is too large. Send fewer events at a time."),
    missing=_l("The batch must have a list named events."),
    too_many=_l("At most %(count)d events per batch."),
)


@bp.post("/events")
@role_required(Role.LEARNER)
def receive_events():
    """Store a batch of progress events; answer stored / duplicate / refused for each."""
    events = read_batch("events", services.MAX_BATCH, EVENT_TEXTS)
    result = services.store_batch(current_user.id, events, inputs.release(),
                                 inputs.timezone())
    return jsonify(result.as_json())


sync_cli = AppGroup("sync", help="Progress events synced from phones.")


@sync_cli.command("judge")
def judge_command() -> None:
    """Keep the content's answer keys and judge stored answers that have no verdict yet."""
    content = release()
    recorded = verdicts.record_keys(content, db.session.connection())
    judged = verdicts.judge_stored(content)
    db.session.commit()
    click.echo(f"Answer keys recorded or updated: {recorded}. Answers judged: {judged}.")
