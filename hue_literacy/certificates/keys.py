"""The city's Ed25519 signing keys: files outside the database, one current, old ones kept.

A printed QR and an Open Badges file are signed with the current private key; anyone checks
them with the public keys published as JWKS, also a phone with no network that cached them.
The files live in CERTIFICATE_KEYS_DIR (default instance/keys/), so a database backup or
dump never holds a private key:

    <kid>.key   the private key (PKCS#8 PEM, mode 0600), only for the current key
    <kid>.pub   the public key (SubjectPublicKeyInfo PEM) of every key ever used
    current     the key id that signs now

Rotating makes a new key current and deletes the old private key: what it signed keeps
verifying by its public key, and nobody can sign anything new with it.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

CURRENT_FILE = "current"
KID_LENGTH = 8  # base64url characters of the RFC 7638 thumbprint: short enough for a QR


class KeyProblem(Exception):
    """The key folder cannot do what was asked; the message says what to run."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """The start of the key's RFC 7638 JWK thumbprint: the same key always gets the same id."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw_public(public_key))}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())[:KID_LENGTH]


def public_jwk(kid: str, public_key: Ed25519PublicKey) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw_public(public_key)), "kid": kid,
            "use": "sig", "alg": "EdDSA"}


@dataclass
class Keyring:
    """The keys found in the folder: the current signing key (if any) and every public key."""

    current_kid: str | None = None
    private_key: Ed25519PrivateKey | None = None
    public_keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)

    def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        if self.current_kid is None or self.private_key is None:
            raise KeyProblem("There is no certificate signing key: run "
                             "`flask certificates keys generate`.")
        return self.current_kid, self.private_key

    def jwks(self) -> dict:
        """The public keys as a JSON Web Key Set, the current one first."""
        order = sorted(self.public_keys, key=lambda kid: (kid != self.current_kid, kid))
        return {"keys": [public_jwk(kid, self.public_keys[kid]) for kid in order]}


def load_keyring(folder: Path) -> Keyring:
    """Read the key folder (a missing folder is an empty keyring).

    `cryptography` (8 MB in each server process) is imported here, by the few routes and
    commands that sign or check, not when the server starts.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    ring = Keyring()
    if not folder.is_dir():
        return ring
    for path in sorted(folder.glob("*.pub")):
        public_key = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(public_key, Ed25519PublicKey):
            ring.public_keys[key_id(public_key)] = public_key
    current = folder / CURRENT_FILE
    if current.is_file():
        kid = current.read_text().strip()
        private_path = folder / f"{kid}.key"
        if private_path.is_file():
            private_key = serialization.load_pem_private_key(private_path.read_bytes(), None)
            if not isinstance(private_key, Ed25519PrivateKey):
                raise KeyProblem(f"{private_path} is not an Ed25519 key.")
            kid = key_id(private_key.public_key())
            ring.public_keys.setdefault(kid, private_key.public_key())
            ring.current_kid, ring.private_key = kid, private_key
    return ring


def app_keyring(config) -> Keyring:
    """The keyring of the app's configured folder (read each time: rotation needs no restart)."""
    return load_keyring(Path(config["CERTIFICATE_KEYS_DIR"]))


def _write_private(path: Path, data: bytes) -> None:
    """Create the file readable by its owner only, refusing to overwrite anything."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _new_key(folder: Path) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_key = Ed25519PrivateKey.generate()
    kid = key_id(private_key.public_key())
    _write_private(folder / f"{kid}.key", private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / f"{kid}.pub").write_bytes(private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    # Written last and replaced in one step: a reader sees the old key or the new, never none.
    pointer = folder / f".{CURRENT_FILE}.{kid}"
    pointer.write_text(kid + "\n")
    pointer.replace(folder / CURRENT_FILE)
    return kid


def generate_key(folder: Path) -> str:
    """Make the first signing key; refused when one exists (rotate replaces it)."""
    if load_keyring(folder).current_kid is not None:
        raise KeyProblem(f"A signing key already exists in {folder}: use "
                         "`flask certificates keys rotate` to replace it.")
    return _new_key(folder)


def rotate_key(folder: Path) -> tuple[str | None, str]:
    """Make a new current key; delete the old private key, keep its public key for checking."""
    old = load_keyring(folder).current_kid
    new = _new_key(folder)
    if old is not None and old != new:
        (folder / f"{old}.key").unlink(missing_ok=True)
    return old, new
