"""The content release loaded at start, reached through the app (so tests can swap it)."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from hue_literacy.content.framework import Framework
from hue_literacy.content.release import ContentRelease, load_release

EXTENSION_KEY = "hue_content"


def init_app(app: Flask) -> None:
    """Load and validate the content folder; refuse to start on invalid content."""
    from hue_literacy.content.commands import content_cli

    app.extensions[EXTENSION_KEY] = load_release(Path(app.config["CONTENT_DIR"]))
    app.cli.add_command(content_cli)


def release() -> ContentRelease:
    return current_app.extensions[EXTENSION_KEY]


def framework() -> Framework:
    return release().framework
