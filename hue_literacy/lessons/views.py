"""The catalogue, the lesson player, practice QR images and the practice landing page.

Catalogue and player pages are the same for every visitor (no user data, no form token), so
the service worker can cache them and the server draws each once (page_cache); the page's
JavaScript asks /api/v1/session who is signed in.
"""
from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _

from hue_literacy import request_inputs as inputs
from hue_literacy.content.model import Lesson, OrderStep, ScanStep
from hue_literacy.content.release import REFERENCE_LANG
from hue_literacy.content.speech import step_speech_text
from hue_literacy.lessons import services
from hue_literacy.page_cache import same_for_everyone
from hue_literacy.qr import qr_svg
from hue_literacy.static_files import send_buffered

bp = Blueprint("lessons", __name__, template_folder="templates")
LONG_CACHE = 365 * 24 * 3600
VOICES = {"vi": "vi-VN", "en": "en-US"}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _check_lang(lang: str) -> None:
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)


def _lesson_or_404(lang: str, lesson_id: str) -> Lesson:
    _check_lang(lang)
    lesson = inputs.release().lesson(lang, lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _version() -> str:
    return inputs.release().content_hash[:12]


def _alternates(endpoint: str, **values: str) -> dict[str, str]:
    """The same page in each language, for the language links."""
    return {
        code: url_for(endpoint, lang=code, **values) for code in current_app.config["LANGUAGES"]
    }


def _landing_url(code: str) -> str:
    return url_for("lessons.practice_landing", code=code, _external=True)


@bp.get("/learn/")
def index():
    return redirect(url_for(".catalogue", lang=inputs.language()))


@bp.get("/learn/<lang>/")
def catalogue(lang: str):
    _check_lang(lang)
    content = inputs.release()
    with force_locale(lang):
        return same_for_everyone(("catalogue", lang), lambda: render_template(
            "lessons/catalogue.html",
            lang=lang,
            areas=services.catalogue(content, lang),
            paths=services.group_paths(content, lang),
            alternates=_alternates(".catalogue"),
            competencies=lambda lesson: services.competency_names(content.framework, lesson, lang),
        ))


@bp.get("/learn/<lang>/<lesson_id>")
def player(lang: str, lesson_id: str):
    lesson = _lesson_or_404(lang, lesson_id)
    with force_locale(lang):
        return same_for_everyone(("player", lang, lesson.id), lambda: _draw_player(lang, lesson))


def _draw_player(lang: str, lesson: Lesson) -> str:
    content = inputs.release()
    orders = {
        step.id: services.shuffled_items(lesson.id, step)
        for step in lesson.steps
        if isinstance(step, OrderStep)
    }
    scans = {
        step.id: {
            "payload": _qr_payload(lesson.id, step.id),
            "image": url_for(".practice_qr", lesson_id=lesson.id, step_id=step.id, v=_version()),
        }
        for step in lesson.steps
        if isinstance(step, ScanStep)
    }
    return render_template(
        "lessons/player.html",
        lang=lang,
        lesson=lesson,
        area_name=services.area_name(content.framework, lesson, lang),
        alternates=_alternates(".player", lesson_id=lesson.id),
        next_lesson=content.lesson(lang, lesson.next) if lesson.next else None,
        orders=orders,
        scans=scans,
        rows=services.screen_rows,
        media_url=lambda name: url_for(".media", lang=lang, filename=name),
        voice=VOICES.get(lang, "vi-VN"),
        speech_text=lambda step: step_speech_text(step, lang),
        strings=_player_strings(),
    )


def _player_strings() -> dict[str, str]:
    """The words the player's JavaScript shows, in the page's language."""
    return {
        "next": _("Next"),
        "finish": _("Finish the lesson"),
        "listen_again": _("Listen again"),
        "found": _("Found: {n} of {total}"),
        "form_check": _("Some answers need a change. Look at the red messages."),
        "scan_read": _("The scanner read:"),
        "scan_other": _("This is not the practice code of this step. Scan the code shown above."),
        "no_camera": _(
            "The camera cannot be used here. Take a photo of the code or type the code."
        ),
        "camera_on": _("Hold the QR code in the middle of the picture."),
        "reader_missing": _("The QR reader could not be loaded. Please type the code instead."),
        "reading": _("Reading the photo…"),
        "photo_none": _("No QR code found in the photo. Take it again closer, or type the code."),
        "bank_title": _("Confirm the transfer (practice)"),
        "bank": _("Bank"),
        "practice_bank": _("Ngân hàng Tập Sự (practice)"),
        "account_name": _("Account name"),
        "account_number": _("Account number"),
        "amount": _("Amount"),
        "amount_open": _("You type the amount"),
        "message": _("Message"),
        "money": _("{n} dong"),
    }


@bp.get("/learn/media/<lang>/<path:filename>")
def media(lang: str, filename: str):
    """A lesson's recorded narration or picture."""
    _check_lang(lang)
    folder = Path(inputs.release().folder) / lang / "media"
    return send_buffered(folder, filename, max_age=3600)


def _qr_payload(lesson_id: str, step_id: str) -> str:
    """The payload of a scan step's practice QR: one image for every language.

    A QR code's data (account, amount, ASCII purpose, text) is the same in every language of
    the shipped lessons, so the image is built from the reference language and cached once.
    """
    lesson = inputs.release().lesson(REFERENCE_LANG, lesson_id)
    step = lesson.step(step_id) if lesson else None
    if not isinstance(step, ScanStep):
        abort(404)
    return services.practice_payload(step, _landing_url)


@bp.get("/learn/practice-qr/<lesson_id>/<step_id>.svg")
def practice_qr(lesson_id: str, step_id: str):
    """The practice QR image of a scan step, drawn on the server."""
    response = make_response(qr_svg(_qr_payload(lesson_id, step_id)))
    response.mimetype = "image/svg+xml"
    if request.args.get("v") == _version():
        response.headers["Cache-Control"] = f"public, max-age={LONG_CACHE}, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/p/<code>")
def practice_landing(code: str):
    """Where a real phone camera lands after scanning a practice link code: harmless."""
    lang = inputs.language()
    found = services.find_code(inputs.release(), lang, code)
    if found is None:
        abort(404)
    lesson, step = found
    return render_template("lessons/landing.html", lesson=lesson, step=step, lang=lang)
