"""Narration pages: record a lesson's steps, review recordings, choose who may record; the
player's list of recordings and the audio files themselves."""
from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import (
    Role,
    deny,
    may_allow_narration,
    may_edit_content,
    may_record_narration,
    may_review_recording,
    role_required,
    ward_filter,
)
from hue_literacy.accounts.models import User
from hue_literacy.content.narration_files import FOLDER
from hue_literacy.extensions import db
from hue_literacy.narration import services, shipping
from hue_literacy.narration.forms import RecorderForm, ReviewForm
from hue_literacy.narration.models import APPROVED, NarrationRecording
from hue_literacy.staff import services as staff
from hue_literacy.static_files import send_buffered

bp = Blueprint("narration", __name__, template_folder="templates")
LONG_CACHE = 365 * 24 * 3600
STATE_LABELS = {
    "approved": _l("Approved"), "recorded": _l("Waiting for review"),
    "stale": _l("Text changed: record again"), "missing": _l("Not recorded yet"),
    "pending": _l("Waiting for review"), "rejected": _l("Rejected"),
    "replaced": _l("Replaced by a newer one"),
}
REFUSALS = {
    "no_step": _l("This step does not exist (any more). Reload the page."),
    "text_changed": _l("The text of this step changed. Reload the page and record it again."),
    "too_big": _l("The recording is too big (%(size)s bytes, at most %(limit)s). Record a "
                  "shorter one."),
    "too_long": _l("The recording is %(seconds)s seconds long; at most %(limit)s seconds."),
    "too_short": _l("The recording is empty or too short. Record it again."),
    "not_audio": _l("This is not a sound recording (WebM or MP4 audio)."),
    "codec": _l("This recording is not Opus or AAC sound; use a recent Chrome or Safari."),
    "damaged": _l("The recording is damaged. Record it again."),
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["may_record_narration"] = may_record_narration
    app.jinja_env.globals["narration_state_label"] = (
        lambda state: str(STATE_LABELS.get(state, state)))


def _folder() -> Path:
    return services.storage_folder(current_app.config.get("NARRATION_DIR"),
                                   current_app.instance_path)


def _require_recorder() -> None:
    if not current_user.is_authenticated:
        deny(401)
    if not may_record_narration(current_user):
        deny(403)


def _lesson_or_404(lang: str, lesson_id: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    lesson = inputs.release().lessons.get(lang, {}).get(lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _recording_url(recording: NarrationRecording) -> str:
    return url_for("narration.audio", recording_id=recording.id, tag=recording.sha256[:12],
                   ext=recording.extension)


def _shipped_url(lang: str, shipped) -> str:
    return url_for("narration.shipped", lang=lang, filename=shipped.file,
                   v=shipped.sha256[:12])


@bp.get("/narration/")
def index():
    """Every lesson of a language with how much of it is recorded."""
    _require_recorder()
    lang = request.args.get("lang", inputs.lesson_language())
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    release = inputs.release()
    rows = {row.lesson_id: row for row in shipping.coverage(release) if row.lang == lang}
    to_review = (len(services.recordings_to_review(ward_filter(current_user,
                                                               NarrationRecording.ward_id)))
                 if may_edit_content(current_user) else 0)
    return render_template("narration/index.html", lang=lang, areas=release.catalogue(lang),
                           rows=rows, to_review=to_review,
                           may_allow=current_user.role in (Role.ADMIN, Role.OFFICIAL))


@bp.get("/narration/<lang>/<lesson_id>")
def lesson(lang: str, lesson_id: str):
    """The steps of one lesson with their narration text: record, listen back, send."""
    _require_recorder()
    found = _lesson_or_404(lang, lesson_id)
    steps = services.lesson_narration(inputs.release(), lang, found)
    response = make_response(render_template(
        "narration/lesson.html", lang=lang, lesson=found, steps=steps,
        recording_url=_recording_url, max_seconds=services.MAX_SECONDS,
        bitrate=services.BITRATE, strings=_recorder_strings()))
    # The one page that uses the microphone (every other page refuses it).
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=()"
    return response


def _recorder_strings() -> dict[str, str]:
    return {
        "record": _("Record"), "stop": _("Stop"), "again": _("Record again"),
        "send": _("Send this recording"), "sending": _("Sending…"),
        "sent": _("Sent. An editor will listen to it."),
        "recording": _("Recording… speak now. %(seconds)s seconds left.", seconds="{n}"),
        "no_mic": _("The microphone cannot be used here. Allow it in the browser, or use "
                    "a phone with a microphone."),
        "unsupported": _("This browser cannot record. Please use a recent Chrome or Safari."),
        "failed": _("Not sent: the network failed. Try again."),
    }


@bp.post("/narration/<lang>/<lesson_id>/<step_id>")
def upload(lang: str, lesson_id: str, step_id: str):
    """One recording of a step, sent as the request body by recorder.js."""
    if not current_user.is_authenticated or not may_record_narration(current_user):
        return jsonify({"error": "forbidden", "message": _("You may not record narration.")}), 403
    _lesson_or_404(lang, lesson_id)
    try:
        recording = services.save_recording(
            _folder(), inputs.release(), lang, lesson_id, step_id, request.get_data(),
            current_user, seen_text_hash=request.args.get("text"))
    except services.RecordingRefused as refused:
        message = REFUSALS.get(refused.code, REFUSALS["damaged"])
        return jsonify({"error": refused.code, "message": str(message) % refused.values}), 422
    return jsonify({"id": recording.id, "status": recording.status,
                    "url": _recording_url(recording), "bytes": recording.size,
                    "duration_ms": recording.duration_ms}), 201


@bp.get("/narration/review")
@role_required(Role.ADMIN, Role.OFFICIAL)
def review_list():
    """Recordings waiting for an editor, oldest first, each with its step's text."""
    release = inputs.release()
    waiting = services.recordings_to_review(ward_filter(current_user, NarrationRecording.ward_id))
    texts = {}
    for recording in waiting:
        found = release.lessons.get(recording.lang, {}).get(recording.lesson_id)
        steps = services.lesson_narration(release, recording.lang, found, uploads=False) \
            if found else []
        texts[recording.id] = next(
            ((s.text, s.is_current(recording), found.title, number)
             for number, s in enumerate(steps, 1) if s.step_id == recording.step_id),
            ("", False, recording.lesson_id, 0))
    return render_template("narration/review.html", waiting=waiting, texts=texts,
                           recording_url=_recording_url, form=ReviewForm())


@bp.post("/narration/review/<int:recording_id>")
@role_required(Role.ADMIN, Role.OFFICIAL)
def review(recording_id: int):
    recording = db.session.get(NarrationRecording, recording_id)
    if recording is None:
        abort(404)
    if not may_review_recording(current_user, recording):
        deny(403)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Choose approve or reject."), "error")
        return redirect(url_for(".review_list"))
    services.review(recording, current_user, form.decision.data == "approve")
    flash(_("Approved: learners hear this recording.") if form.decision.data == "approve"
          else _("Rejected."), "success")
    return redirect(url_for(".review_list"))


@bp.route("/narration/recorders", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.OFFICIAL)
def recorders():
    """The ambassadors of the official's ward: who may record narration."""
    ambassadors = [user for user in staff.staff_visible_to(current_user, include_inactive=False)
                   if user.role == Role.AMBASSADOR]
    if request.method == "POST":
        form = RecorderForm()
        member = db.session.get(User, request.form.get("user_id", type=int) or 0)
        if member is None or not may_allow_narration(current_user, member):
            deny(403)
        if form.validate_on_submit() and member.may_record_narration != form.allowed.data:
            member.may_record_narration = form.allowed.data
            staff.audit(current_user, member,
                        "narration_allowed" if form.allowed.data else "narration_withdrawn")
            flash(_("%(name)s may record narration now.", name=member.full_name)
                  if form.allowed.data
                  else _("%(name)s no longer records narration.", name=member.full_name),
                  "success")
        return redirect(url_for(".recorders"))
    return render_template("narration/recorders.html", ambassadors=ambassadors)


@bp.get("/api/v1/narration/<lang>/<lesson_id>")
def playable(lang: str, lesson_id: str):
    """The approved recordings of a lesson's steps, for the player (the same for everyone)."""
    found = _lesson_or_404(lang, lesson_id)
    steps = services.playable(inputs.release(), lang, found, _recording_url, _shipped_url)
    response = jsonify({"lesson": found.id, "lang": lang,
                        "steps": {step_id: item.as_json() for step_id, item in steps.items()}})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/narration/audio/<int:recording_id>-<tag>.<ext>")
def audio(recording_id: int, tag: str, ext: str):
    """A recording: approved ones for everyone (cached for a year), others for staff."""
    recording = db.session.get(NarrationRecording, recording_id)
    if recording is None or recording.sha256[:12] != tag or recording.extension != ext:
        abort(404)
    if recording.status != APPROVED and not (
            current_user.is_authenticated and (may_record_narration(current_user)
                                               or may_review_recording(current_user,
                                                                       recording))):
        abort(404)
    response = send_buffered(_folder(), recording.file_name, max_age=LONG_CACHE)
    response.mimetype = recording.mime
    if recording.status == APPROVED:
        response.headers["Cache-Control"] = f"public, max-age={LONG_CACHE}, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/narration/shipped/<lang>/<path:filename>")
def shipped(lang: str, filename: str):
    """A recording the content release ships (content/<lang>/narration/)."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    folder = Path(inputs.release().folder) / lang / FOLDER
    return send_buffered(folder, filename, max_age=LONG_CACHE)


@bp.get("/api/v1/narration/path/<lang>")
def path_audio(lang: str):
    """Every approved recording of the signed-in learner's path, to download on Wi-Fi."""
    if not current_user.is_authenticated:
        deny(401)
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    release = inputs.release()
    lessons = []
    for found in release.path_lessons(lang, current_user.group):
        steps = services.playable(release, lang, found, _recording_url, _shipped_url)
        lessons.append({"lesson": found.id, "list": url_for(".playable", lang=lang,
                                                            lesson_id=found.id),
                        "steps": {step_id: item.as_json() for step_id, item in steps.items()}})
    total = sum(step["bytes"] for lesson in lessons for step in lesson["steps"].values())
    return jsonify({"lang": lang, "lessons": lessons, "bytes": total})
