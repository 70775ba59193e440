"""`flask content check` (validate the content folder, report narration coverage) and
`flask content narration export|import`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

content_cli = AppGroup("content", help="Lesson content and the competency framework.")


@content_cli.command("check")
@click.option("--dir", "content_dir", type=click.Path(path_type=Path), default=None,
              help="Content folder to check (default: the app's CONTENT_DIR).")
@click.option("--strict", is_flag=True,
              help="Fail on warnings too (speech-friendly text, homepage sources, coverage).")
def check(content_dir: Path | None, strict: bool) -> None:
    """Validate every content file; exit with status 1 and list the problems if any.

    Warnings are listed but do not fail the check unless --strict is given. Narration coverage
    per lesson and language follows; a stored recording whose file is missing, damaged or
    without its step fails the check.
    """
    from hue_literacy.content.errors import ContentError
    from hue_literacy.content.release import load_release

    folder = content_dir or Path(current_app.config["CONTENT_DIR"])
    try:
        release = load_release(folder)
    except ContentError as error:
        for problem in error.warnings:
            click.echo(f"WARNING {problem}", err=True)
        for problem in error.problems:
            click.echo(f"ERROR {problem}", err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {folder}") from None
    for problem in release.warnings:
        click.echo(f"WARNING {problem}", err=True)
    click.echo(release.summary())
    problems = _narration_report(release)
    for problem in problems:
        click.echo(f"ERROR {problem}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} narration problem(s)")
    if strict and release.warnings:
        raise click.ClickException(f"{len(release.warnings)} warning(s) in {folder} (--strict)")


def _narration_report(release) -> list[str]:
    """Print the coverage; return the problems of stored uploads (none without a database)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from hue_literacy.extensions import db
    from hue_literacy.narration import shipping

    try:
        rows = shipping.coverage(release)
        problems = shipping.upload_problems(release, _upload_folder())
        source = "uploads and the content folder"
    except (OperationalError, ProgrammingError):
        db.session.rollback()  # no database yet: count the content folder's files only
        rows = shipping.coverage(release, uploads=False)
        problems, source = [], "the content folder only (no database)"
    click.echo(f"Narration ({source}): per lesson and language")
    for row in rows:
        click.echo(row.line())
    for lang in release.lessons:
        mine = [row for row in rows if row.lang == lang]
        steps = sum(row.steps for row in mine)
        click.echo(f"  {lang} total: {steps} steps, recorded {sum(r.recorded for r in mine)}, "
                   f"approved {sum(r.approved for r in mine)}, "
                   f"stale {sum(r.stale for r in mine)}, missing {sum(r.missing for r in mine)}")
    return problems


def _upload_folder() -> Path:
    from hue_literacy.narration.services import storage_folder

    return storage_folder(current_app.config.get("NARRATION_DIR"), current_app.instance_path)


narration_cli = AppGroup("narration", help="Recorded narration and the content folder.")
content_cli.add_command(narration_cli)


@narration_cli.command("export")
@with_appcontext
def export() -> None:
    """Copy every approved recording into <content>/<lang>/narration/ with a manifest."""
    from hue_literacy.content.access import release
    from hue_literacy.narration import shipping

    content_dir = Path(current_app.config["CONTENT_DIR"])
    counts = shipping.export_approved(release(), _upload_folder(), content_dir)
    for lang, count in counts.items():
        click.echo(f"{lang}: {count} recording(s) in {content_dir / lang / 'narration'}")
    click.echo("Run `flask content check`, then ship the content folder (restart the app).")


@narration_cli.command("import")
@with_appcontext
def import_() -> None:
    """Store the content folder's recordings as approved uploads (e.g. on a new server)."""
    from hue_literacy.content.access import release
    from hue_literacy.extensions import db
    from hue_literacy.narration import shipping

    added = shipping.import_shipped(release(), _upload_folder())
    db.session.commit()
    click.echo(f"{added} recording(s) imported")
