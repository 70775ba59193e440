"""Short codes a person can type, and the signature the printed QR carries.

The signature is an HMAC over the serial and the code with a key derived from the app's
SECRET_KEY: a QR scanned from a printout proves the app issued that certificate, while a
typed code (no signature) only shows what the register says.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: nothing a person could read as another character.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
SIGNATURE_LENGTH = 16  # base64url characters: 96 bits
_KEY_PURPOSE = b"hue-literacy certificate qr v1"


def new_code() -> str:
    """A random 8-character code (stored without its dash)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """Show a stored code as people type it: four characters, a dash, four (7KQM-X4RT)."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(raw: str | None) -> str | None:
    """Read a typed or scanned code: any case, dashes and spaces ignored; None if it is no code."""
    if not raw:
        return None
    code = "".join(ch for ch in raw.upper() if ch not in " -_.\t\u2010\u2011\u2012\u2013")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), _KEY_PURPOSE, hashlib.sha256).digest()


def sign(serial: str, code: str, secret_key: str) -> str:
    """The signature printed in the QR for this serial and code."""
    digest = hmac.new(_key(secret_key), f"{serial}|{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_LENGTH]


def signature_matches(serial: str, code: str, signature: str | None, secret_key: str) -> bool:
    """True only when `signature` is the one this app made for this serial and code."""
    if not signature:
        return False
    return hmac.compare_digest(sign(serial, code, secret_key), signature.strip())
