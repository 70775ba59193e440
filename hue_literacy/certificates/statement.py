"""The signed statement a printed QR carries, checkable with the public key alone.

The statement is a compact JSON array, signed with Ed25519; the QR holds it with its
64-byte signature in base32 (capital letters and digits), which QR codes store in their
alphanumeric mode at 5.5 bits a character instead of 8, so the code stays a low version
that decodes from a small print or a 72 dpi screen:

    [1, kid, serial, masked name, ward, profile id, framework version, yyyymmdd]

static/js/certcheck.js reads the same format in the browser (WebCrypto Ed25519).
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `cryptography` loads when a certificate is signed or checked, not at start
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

FORMAT = 1
SIGNATURE_BYTES = 64
MAX_TOKEN = 600  # characters: far more than any statement, less than a hostile URL


class StatementRefused(Exception):
    """The token is no statement of ours: malformed, by an unknown key or badly signed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # malformed | unknown_key | bad_signature


@dataclass(frozen=True)
class Statement:
    serial: str
    masked_name: str
    ward_name: str
    profile_id: str
    framework_version: int
    issued_on: date
    kid: str = ""


def _message(statement: Statement, kid: str) -> bytes:
    day = statement.issued_on
    fields = [FORMAT, kid, statement.serial, statement.masked_name, statement.ward_name,
              statement.profile_id, statement.framework_version,
              day.year * 10000 + day.month * 100 + day.day]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def sign_statement(statement: Statement, kid: str, private_key: Ed25519PrivateKey) -> str:
    """The token for the QR: base32 of the statement followed by its signature, no padding."""
    message = _message(statement, kid)
    signed = message + private_key.sign(message)
    return base64.b32encode(signed).decode().rstrip("=")


def _b32decode(token: str) -> bytes:
    token = token.strip().upper()
    if not token or len(token) > MAX_TOKEN:
        raise StatementRefused("malformed")
    try:
        return base64.b32decode(token + "=" * (-len(token) % 8))
    except (binascii.Error, ValueError) as error:
        raise StatementRefused("malformed") from error


def read_statement(token: str, public_keys: dict[str, Ed25519PublicKey]) -> Statement:
    """The statement when one of `public_keys` signed it; StatementRefused says why not."""
    signed = _b32decode(token)
    message, signature = signed[:-SIGNATURE_BYTES], signed[-SIGNATURE_BYTES:]
    try:
        fields = json.loads(message.decode())
    except (UnicodeDecodeError, ValueError) as error:
        raise StatementRefused("malformed") from error
    if not (isinstance(fields, list) and len(fields) == 8 and fields[0] == FORMAT
            and all(isinstance(value, str) for value in fields[1:6])
            and all(isinstance(value, int) for value in fields[6:8])):
        raise StatementRefused("malformed")
    kid = fields[1]
    public_key = public_keys.get(kid)
    if public_key is None:
        raise StatementRefused("unknown_key")
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(signature, message)
    except InvalidSignature as error:
        raise StatementRefused("bad_signature") from error
    try:
        day = date(fields[7] // 10000, fields[7] // 100 % 100, fields[7] % 100)
    except ValueError as error:
        raise StatementRefused("malformed") from error
    return Statement(serial=fields[2], masked_name=fields[3], ward_name=fields[4],
                     profile_id=fields[5], framework_version=fields[6], issued_on=day, kid=kid)
