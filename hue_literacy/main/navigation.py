"""Redirect targets that cannot send people to another site; addresses that wrap whole."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only when it is a path on this site (no scheme, no host, no //)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def breakable_address(text: str) -> Markup:
    """An address or file name that may wrap after / . - _ ? & = but never inside a word."""
    pieces = re.split(r"(?<=[/.\-_?&=])", str(text))
    return Markup("<wbr>").join(escape(piece) for piece in pieces)
