"""WTForms' own messages ("Not a valid date value.") in the page's language.

WTForms ships no Vietnamese catalogue, so every form subclasses `Form`, whose translations
come from the app's own catalogue; the messages are listed here so `make translations`
extracts them and a test fails when one has no Vietnamese.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm


def N_(message: str) -> str:  # noqa: N802 - the marker pybabel extracts by default
    """Mark a message for extraction; it is translated when WTForms asks for it."""
    return message


BUILT_IN_MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid email address."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
)
# WTForms' plural messages: each form is its own message here (Vietnamese has one form).
BUILT_IN_PLURALS = (
    (N_("Field must be at least %(min)d character long."),
     N_("Field must be at least %(min)d characters long.")),
    (N_("Field cannot be longer than %(max)d character."),
     N_("Field cannot be longer than %(max)d characters.")),
    (N_("Field must be exactly %(max)d character long."),
     N_("Field must be exactly %(max)d characters long.")),
    (N_("'%(value)s' is not a valid choice for this field."),
     N_("'%(value)s' are not valid choices for this field.")),
)


class _Translations:
    """What WTForms calls to translate its messages: the app's catalogue, this request's locale.

    WTForms fills in the %(max)d itself, so the text goes back unformatted (Flask-Babel's
    gettext formats only when given keyword arguments, and none are given).
    """

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)


TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """A FlaskForm whose built-in messages are translated like the rest of the page."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return TRANSLATIONS
