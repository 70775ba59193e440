"""Per-request inputs in one place: today in Hue, the language, the content release, framework.

Views (and CLI commands) read these and pass them to services as arguments, so a service never
reaches into the app or the request for a hidden input; the import-linter contracts in
pyproject.toml keep services from importing this module.
"""
from __future__ import annotations

from datetime import date, tzinfo

from flask_babel import get_timezone

from hue_literacy import clock
from hue_literacy.content import access as content
from hue_literacy.content.framework import Framework
from hue_literacy.content.release import ContentRelease
from hue_literacy.i18n import DEFAULT_LANGUAGE, current_language


def timezone() -> tzinfo:
    """The city's time zone (Asia/Ho_Chi_Minh)."""
    return get_timezone()


def today() -> date:
    """Today in Hue: the dates people write and read are local dates."""
    return clock.today_in(timezone())


def language() -> str:
    """The language of this request's pages (see i18n.select_locale)."""
    return current_language()


def lesson_language() -> str:
    """The language lessons are opened in: the page's language when lessons exist in it."""
    lang = current_language()
    return lang if release().lessons.get(lang) else DEFAULT_LANGUAGE


def release() -> ContentRelease:
    """The content release the server runs (lessons and framework)."""
    return content.release()


def framework() -> Framework:
    return content.framework()


def pin_hash_method() -> str:
    """How learners' PINs are hashed (PIN_HASH_METHOD in config.py; the password method if
    unset)."""
    from flask import current_app

    from hue_literacy.accounts.services import DEFAULT_HASH_METHOD

    config = current_app.config
    return (config.get("PIN_HASH_METHOD")
            or config.get("PASSWORD_HASH_METHOD", DEFAULT_HASH_METHOD))
