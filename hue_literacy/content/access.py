"""The content release loaded at start, reached through the app (so tests can swap it)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from hue_literacy.content.errors import ContentError
from hue_literacy.content.framework import Framework
from hue_literacy.content.release import ContentRelease, load_release

EXTENSION_KEY = "hue_content"
ERROR_KEY = "hue_content_error"


def init_app(app: Flask) -> None:
    """Load and validate the content folder; refuse to start on invalid content."""
    from hue_literacy.content.commands import content_cli

    app.cli.add_command(content_cli)
    try:
        app.extensions[EXTENSION_KEY] = load_release(Path(app.config["CONTENT_DIR"]))
    except ContentError as error:
        if not _loading_to_find_a_command():
            raise
        # `flask content check` (and `flask db upgrade`) must still run to list the
        # problems; any command that reaches the content gets this error instead.
        app.extensions[ERROR_KEY] = error
        click.echo(f"Content is invalid ({len(error.problems)} problem(s)): "
                   "run `flask content check`.", err=True)


def release() -> ContentRelease:
    error = current_app.extensions.get(ERROR_KEY)
    if error is not None:
        raise error
    return current_app.extensions[EXTENSION_KEY]


def framework() -> Framework:
    return release().framework


def _loading_to_find_a_command() -> bool:
    """Tell whether the `flask` command line is loading the app only to find a command in it."""
    # `flask run`, `flask shell` and WSGI servers load the app in other ways, so they still
    # refuse to start on invalid content.
    context = click.get_current_context(silent=True)
    return context is not None and isinstance(context.command, FlaskGroup)
