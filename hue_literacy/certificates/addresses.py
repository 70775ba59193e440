"""Addresses printed on paper and written into credentials: the city's public https address."""
from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """Build an address to print on paper or put in a credential."""
    # CERTIFICATE_BASE_URL (env HUE_CERTIFICATE_BASE_URL), the city's public https address,
    # keeps a certificate printed at the ward office over the LAN from carrying a LAN address.
    base = (current_app.config.get("CERTIFICATE_BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
