"""What the certificates' two blueprints (views.py: officials, learners, the public lookup;
check_views.py: keys, revocations, Open Badges) read from a request and answer alike."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from hue_literacy.i18n import DEFAULT_LANGUAGE
from hue_literacy.wards.models import Ward
from hue_literacy.wards.services import ward_by_code

# A paper or a badge is in one of these; the learner's screen may be in others later.
DOCUMENT_LANGUAGES = ("vi", "en")


def document_locale() -> str:
    """Papers and badges are in Vietnamese unless English is asked for (?lang=en)."""
    lang = request.args.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in DOCUMENT_LANGUAGES else DEFAULT_LANGUAGE


def ward_or_404(ward_code: str) -> Ward:
    """The ward of an address (its code), or Not Found."""
    ward = ward_by_code(ward_code)
    if ward is None:
        abort(404)
    return ward


def no_signing_key() -> Response:
    """Back to the certificates page, saying why nothing can be signed or printed yet."""
    # The start of the app already warned the IT helper (config.production_warnings).
    flash(_("Certificates cannot be printed yet: this server has no signing key. Please ask "
            "the city's IT helper to create one."), "error")
    return redirect(url_for("certificates.index"))
