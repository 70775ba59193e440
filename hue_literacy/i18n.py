"""The one locale chain (the learner's choice, else Vietnamese) and the one date style."""
from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from babel.dates import format_datetime as babel_datetime
from flask import Flask, Response, current_app, request, session
from flask_babel import format_decimal, get_locale, get_timezone, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from hue_literacy.extensions import babel

DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language
# The explicit choice outlives the session (and a sign-out): a long-lived cookie of its own.
LANGUAGE_COOKIE = "hue_lang"
LANGUAGE_COOKIE_AGE = timedelta(days=400)

# One date style for people, per language (CLDR patterns: quoted words are literal).
_DAY = {"vi": "'ngày' d 'tháng' M 'năm' y", "en": "d MMMM y"}
_TIME = {"vi": "H 'giờ' mm", "en": "HH:mm"}
_MONTH = {"vi": "'tháng' M/y", "en": "MMMM y"}


def current_language() -> str:
    """The language of this request (or the default outside one)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def chosen_language() -> str | None:
    """The language this visitor chose explicitly (cookie, or an older session), if any."""
    languages = current_app.config["LANGUAGES"]
    for choice in (request.cookies.get(LANGUAGE_COOKIE), session.get("lang")):
        if choice in languages:
            return choice
    return None


def select_locale() -> str:
    """Pick the language: the account's, else the visitor's choice, else Vietnamese.

    The phone's own language (Accept-Language) is ignored on purpose: many learners' phones
    were set up in English by a seller, and the app is for Vietnamese speakers first.
    """
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return chosen_language() or DEFAULT_LANGUAGE


def remember_language(response: Response, lang: str) -> Response:
    """Keep an explicit choice of language in its own cookie for a year or so."""
    response.set_cookie(
        LANGUAGE_COOKIE, lang, max_age=int(LANGUAGE_COOKIE_AGE.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax",
    )
    return response


def _pattern(patterns: dict[str, str], locale: str) -> str:
    return patterns.get(locale, patterns["en"])


def format_day(day: date | datetime | None, locale: str, tz: tzinfo | None = None) -> str:
    """A day as people read it: "ngày 1 tháng 12 năm 2026", "1 December 2026"."""
    if day is None:
        return ""
    if isinstance(day, datetime):  # a stored moment: the day it was in Hue
        return babel_datetime(day, _pattern(_DAY, locale), tzinfo=tz, locale=locale)
    return babel_datetime(datetime(day.year, day.month, day.day), _pattern(_DAY, locale),
                          locale=locale)


def format_clock(moment: datetime | None, locale: str, tz: tzinfo | None = None) -> str:
    """A time of day: "13 giờ 37", "13:37"."""
    if moment is None:
        return ""
    return babel_datetime(moment, _pattern(_TIME, locale), tzinfo=tz, locale=locale)


def format_moment(moment: datetime | None, locale: str, tz: tzinfo | None = None) -> str:
    """In Hue time: "13 giờ 37, ngày 1 tháng 12 năm 2026" / "13:37, 1 December 2026"."""
    if moment is None:
        return ""
    return f"{format_clock(moment, locale, tz)}, {format_day(moment, locale, tz)}"


def format_month(day: date, locale: str) -> str:
    """A month: "tháng 12/2026", "December 2026" (chart labels)."""
    return babel_datetime(datetime(day.year, day.month, 1), _pattern(_MONTH, locale),
                          locale=locale)


def day_text(day: date | datetime | None) -> str:
    """`format_day` in this request's language and Hue's time zone."""
    return format_day(day, current_language(), get_timezone())


def moment_text(moment: datetime | None) -> str:
    """`format_moment` in this request's language and Hue's time zone."""
    return format_moment(moment, current_language(), get_timezone())


_TRANSLATIONS: dict = {}  # by babel Locale: the app's one translations folder, in each language


def _translations():
    """The translations of the page's language (forced or chosen), looked up once per language.

    Flask-Babel finds them again for each string of a template (about ten context lookups
    and a locale name each time); pages have 30 to 100 strings, and that was a fifth of the
    time spent drawing one (profiled on the sign-in and lesson pages).
    """
    locale = get_locale()
    if locale is None:  # outside a request: nothing to keep
        return get_translations()
    found = _TRANSLATIONS.get(locale)
    if found is None:
        found = _TRANSLATIONS[locale] = get_translations()
    return found


def _page_translations(context: Context):
    """The translations a page's context carries (put there once per page, see init_app);
    a macro imported without the page's context looks them up itself."""
    return context.get("page_translations") or _translations()


@pass_context
def _gettext(context: Context, text: str) -> str:
    return _page_translations(context).ugettext(text)


@pass_context
def _ngettext(context: Context, one: str, many: str, n: int) -> str:
    return _page_translations(context).ungettext(one, many, n)


@pass_context
def _pgettext(context: Context, where: str, text: str) -> str:
    return _page_translations(context).upgettext(where, text)


@pass_context
def _npgettext(context: Context, where: str, one: str, many: str, n: int) -> str:
    return _page_translations(context).unpgettext(where, one, many, n)


def init_app(app: Flask) -> None:
    compile_catalogues(Path(app.root_path) / "translations")
    babel.init_app(app, locale_selector=select_locale)
    # Each string of a template asked Flask-Babel for the page's locale again (a tenth of
    # drawing the home and sign-in pages, py-spy): the page's context carries its translations.
    app.jinja_env.install_gettext_callables(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext,
        newstyle=True,
    )
    app.jinja_env.filters["date"] = day_text
    app.jinja_env.filters["datetime"] = moment_text
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    app.context_processor(
        lambda: {"language_names": LANGUAGE_NAMES, "current_locale": current_language(),
                 "page_translations": _translations()}
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
