"""`flask certificates keys generate|rotate|list`: the Ed25519 keys that sign certificates."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hue_literacy.certificates.keys import KeyProblem, generate_key, load_keyring, rotate_key

certificates_cli = AppGroup("certificates", help="Certificates: their signing keys.")
keys_cli = AppGroup("keys", help="The Ed25519 keys that sign printed QR codes and badges.")
certificates_cli.add_command(keys_cli)


def init_app(app: Flask) -> None:
    app.cli.add_command(certificates_cli)


def _folder() -> Path:
    return Path(current_app.config["CERTIFICATE_KEYS_DIR"])


@keys_cli.command("generate")
@click.option("--if-missing", is_flag=True, help="Do nothing when a key exists (for make run).")
def keys_generate(if_missing: bool) -> None:
    """Create the first signing key (refused when one exists: use rotate)."""
    folder = _folder()
    current = load_keyring(folder).current_kid
    if current and if_missing:
        click.echo(f"Signing key {current} in {folder}.")
        return
    try:
        kid = generate_key(folder)
    except KeyProblem as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Signing key {kid} created in {folder} (private key readable by this user only). "
               "Keep a copy of the folder with the backups.")


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Sign with a new key from now on; old public keys stay published for checking."""
    folder = _folder()
    old, new = rotate_key(folder)
    if old:
        click.echo(f"Signing key {new} is now in use. Key {old} no longer signs (its private key "
                   "was deleted); papers it signed still verify.")
    else:
        click.echo(f"Signing key {new} created in {folder}.")


@keys_cli.command("list")
def keys_list() -> None:
    """The keys published for checking, the one in use marked."""
    ring = load_keyring(_folder())
    if not ring.public_keys:
        click.echo("No keys yet: run `flask certificates keys generate`.")
    for kid in ring.public_keys:
        click.echo(f"{kid}{'  (signs now)' if kid == ring.current_kid else ''}")
