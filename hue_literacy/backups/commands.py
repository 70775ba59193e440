"""`flask backup create|restore`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hue_literacy.backups import services
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow

backup_cli = AppGroup("backup", help="Back up and restore the database.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_cli)


@backup_cli.command("create")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="where to write it (default: instance/backups)")
def backup_create(folder: Path | None) -> None:
    """Write one consistent backup file and print its path."""
    from hue_literacy.content.access import release

    folder = folder or Path(current_app.instance_path) / "backups"
    started = utcnow()
    try:
        path = services.create_backup(db.engine, folder, release().content_hash, started)
    except services.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    seconds = (utcnow() - started).total_seconds()
    click.echo(f"{path} ({path.stat().st_size} bytes, {seconds:.1f} s)")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask before replacing the database")
def backup_restore(file: Path, yes: bool) -> None:
    """Replace the database by a backup of the same schema revision (stop the app first)."""
    try:
        services.parse_name(file)
        if not yes:
            click.confirm("Everything in the database now will be replaced. Go on?", abort=True)
        db.session.remove()
        name = services.restore_backup(db.engine, file)
    except services.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Restored {file.name} (schema revision {name.revision}).")
