"""Compact JWS with EdDSA (RFC 8037), enough for the JWTs of Open Badges and status lists.

Made with `cryptography` directly: a JWT is three base64url parts and one Ed25519
signature; the tests check ours with an independent JOSE library (PyJWT).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from hue_literacy.certificates.keys import b64url

if TYPE_CHECKING:  # `cryptography` loads with the key, on the rare routes that sign
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def _part(value: dict) -> str:
    return b64url(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def sign_jwt(payload: dict, kid: str, private_key: Ed25519PrivateKey) -> str:
    """`payload` as a compact JWT signed with EdDSA, the key id in the header."""
    signing_input = f"{_part({'alg': 'EdDSA', 'typ': 'JWT', 'kid': kid})}.{_part(payload)}"
    return f"{signing_input}.{b64url(private_key.sign(signing_input.encode()))}"
