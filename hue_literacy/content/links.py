"""Find web addresses in practice texts that could lead to a real site."""
from __future__ import annotations

import re

RESERVED_TLDS = ("example", "invalid", "test")
# A scheme URL's host, whatever its case (also numeric addresses).
_SCHEME_HOST = re.compile(r"(?i)\b(?:https?|ftp)://(?:[^\s/@]+@)?([^\s/?#:\"'<>()\]]+)")
# A bare host name such as `vcb-mo-khoa.top` (not a path segment after "/"). The last label
# must be small letters so abbreviations like "TP.HCM" or "Q.1" are not taken for addresses.
_BARE_HOST = re.compile(r"(?<![\w./-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[a-z]{2,24})"
                        r"(?![\w-])")
# Any host starting with www., whatever its case.
_WWW_HOST = re.compile(r"(?i)(?<![\w./-])(www\.[A-Za-z0-9.-]*[A-Za-z0-9])")
# File names look like host names; these endings are files, not top-level domains.
_FILE_ENDINGS = {
    "apk", "exe", "jpg", "jpeg", "png", "gif", "pdf", "doc", "docx", "xls", "xlsx", "rar",
    "txt", "mp3", "mp4", "htm", "html", "php", "aspx",
}


def is_reserved(host: str) -> bool:
    """Tell whether `host` ends in a top-level domain that can never resolve."""
    return host.rstrip(".").rsplit(".", 1)[-1].lower() in RESERVED_TLDS


def unsafe_hosts(text: str) -> list[str]:
    """Return the host names in `text` that are not on a reserved domain, in order."""
    found: list[str] = []
    for match in _SCHEME_HOST.finditer(text):
        found.append(match.group(1))
    for match in _WWW_HOST.finditer(text):
        found.append(match.group(1))
    for match in _BARE_HOST.finditer(text):
        host = match.group(1)
        if host.rsplit(".", 1)[-1] not in _FILE_ENDINGS:
            found.append(host)
    unique = dict.fromkeys(host.rstrip(".") for host in found)
    return [host for host in unique if not is_reserved(host)]


def unsafe_link_message(hosts: list[str]) -> str:
    """Explain why these addresses are not allowed in practice content."""
    names = ", ".join(f"'{host}'" for host in hosts)
    example = hosts[0].rstrip(".").rsplit(".", 1)[0] + ".example"
    return (
        f"{names} could be a real web address; practice texts may only use reserved domains "
        f"ending in .example, .invalid or .test (e.g. '{example}')"
    )
