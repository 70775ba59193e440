"""`flask content check`: validate the content folder and report every problem."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

content_cli = AppGroup("content", help="Lesson content and the competency framework.")


@content_cli.command("check")
@click.option("--dir", "content_dir", type=click.Path(path_type=Path), default=None,
              help="Content folder to check (default: the app's CONTENT_DIR).")
@click.option("--strict", is_flag=True,
              help="Fail on warnings too (speech-friendly text, homepage sources, coverage).")
def check(content_dir: Path | None, strict: bool) -> None:
    """Validate every content file; exit with status 1 and list the problems if any.

    Warnings are listed but do not fail the check unless --strict is given.
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
    if strict and release.warnings:
        raise click.ClickException(f"{len(release.warnings)} warning(s) in {folder} (--strict)")
