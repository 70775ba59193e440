"""Vietnamese phone numbers and PINs: normalise what people type, refuse the rest clearly."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from hue_literacy.refusals import InputRefused

__all__ = ["InputRefused", "check_new_password", "check_new_pin", "format_phone",
           "normalise_phone"]

MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


def normalise_phone(raw: str | None) -> str:
    """Return the 10-digit national form `0912345678` of a Vietnamese mobile number.

    Accepts spaces, dots, dashes, brackets and the +84 / 84 / 0084 country prefix.
    """
    text = (raw or "").strip()
    if not text:
        raise InputRefused(_l("Please enter your phone number."))
    if re.search(r"[^\d\s.\-()+]", text):
        raise InputRefused(_l("A phone number has only digits, for example 0912 345 678."))
    digits = re.sub(r"\D", "", text)
    if text.lstrip("(").startswith("+") or digits.startswith(("84", "0084")):
        digits = digits.removeprefix("00").removeprefix("84")
        digits = "0" + digits.lstrip("0")
    if len(digits) != 10 or not digits.startswith(MOBILE_PREFIXES):
        raise InputRefused(
            _l("A mobile number has 10 digits and starts with 0, for example 0912 345 678.")
        )
    return digits


def format_phone(phone: str | None) -> str:
    """Show `0912345678` as `0912 345 678`, the way people read it aloud."""
    if not phone or len(phone) != 10:
        return phone or ""
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}"


def check_new_pin(pin: str | None) -> str:
    """Return a PIN the learner chose if it is 4-6 digits and not trivially guessable."""
    pin = (pin or "").strip()
    if not re.fullmatch(r"\d{4,6}", pin):
        raise InputRefused(_l("The PIN has 4 to 6 digits, numbers only."))
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise InputRefused(
            _l("This PIN is too easy to guess (like 1111 or 1234). Please choose other digits.")
        )
    return pin


def check_new_password(password: str | None) -> str:
    """Return a staff password of at least 10 characters."""
    password = password or ""
    if len(password) < 10:
        raise InputRefused(_l("The password needs at least 10 characters."))
    return password
