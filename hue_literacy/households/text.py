"""Text as people type it on a phone: addresses compared loosely, searches without accents."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from hue_literacy.refusals import InputRefused

ADDRESS_MIN = 5
ADDRESS_MAX = 200
NAME_MAX = 120


def squeeze(text: str | None) -> str:
    """Trim `text` and collapse runs of spaces (NFC, so typed accents compare equal)."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Each accented Latin letter (Vietnamese's all lie below U+1F00) to its plain letter, and each
# combining mark to nothing: one str.translate, about ten times quicker than decomposing each
# name, which a search by name does for every learner of the ward.
_PLAIN = {code: _slow_fold(chr(code)) for code in range(0x00C0, 0x1F00)
          if _slow_fold(chr(code)) != chr(code)}


def fold(text: str | None) -> str:
    """Lower-case `text` and drop Vietnamese accents: "Nguyễn Đình" -> "nguyen dinh"."""
    return " ".join((text or "").translate(_PLAIN).casefold().split())


def clean_address(raw: str | None) -> tuple[str, str]:
    """Return the address as written (tidied) and its key for spotting the same address twice.

    The address must name a street or alley, not only a number: at least two letters and a
    sensible length. The key ignores case, punctuation and spacing but keeps the accents.
    """
    address = squeeze(raw)
    if not address:
        raise InputRefused(_l("Please write the household's address."))
    letters = sum(1 for ch in address if ch.isalpha())
    if len(address) < ADDRESS_MIN or letters < 2:
        raise InputRefused(
            _l("Write the house number and the street or alley, for example "
               "12 kiệt 34 Phan Đình Phùng.")
        )
    if len(address) > ADDRESS_MAX:
        raise InputRefused(
            _l("The address is too long (at most %(count)d characters).", count=ADDRESS_MAX)
        )
    return address, address_key(address)


def address_key(address: str) -> str:
    key = unicodedata.normalize("NFC", address).casefold()
    key = re.sub(r"[,.;:!?\"'()]+", " ", key)
    key = re.sub(r"\s*([/-])\s*", r"\1", key)
    return " ".join(key.split())


def clean_name(raw: str | None, required: bool) -> str | None:
    """A person's or family's name, tidied; None when optional and left empty."""
    name = squeeze(raw)
    if not name:
        if required:
            raise InputRefused(_l("Please write the person's full name."))
        return None
    if len(name) > NAME_MAX:
        raise InputRefused(_l("The name is too long (at most %(count)d characters).",
                              count=NAME_MAX))
    return name


def phone_digits(query: str) -> str | None:
    """The digits to look for when a search looks like (part of) a phone number."""
    if not re.fullmatch(r"[\d\s.\-()+]+", query):
        return None
    digits = re.sub(r"\D", "", query)
    if len(digits) < 3:
        return None
    if query.lstrip("(").startswith("+") or digits.startswith("0084"):
        digits = "0" + digits.removeprefix("00").removeprefix("84").lstrip("0")
    elif digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:].lstrip("0")
    return digits
