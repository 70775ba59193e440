"""The one locale chain: the user's setting, then the session, then the browser, then "vi"."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from hue_literacy.extensions import babel

DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language


def current_language() -> str:
    """The language of this request (or the default outside one)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def select_locale() -> str:
    """Pick the language of this request."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    compile_catalogues(Path(app.root_path) / "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["date"] = (
        lambda value, fmt="medium": format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = (
        lambda value, fmt="short": format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    app.context_processor(
        lambda: {"language_names": LANGUAGE_NAMES, "current_locale": current_language()}
    )


def compile_catalogues(translations: Path) -> None:
    """Compile .po files whose .mo is missing or older, so a fresh checkout runs as it is."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in translations.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalogue)
        except OSError:  # read-only install: `make install` compiled them already
            continue
