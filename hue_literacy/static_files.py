"""Serve the top-level static/ folder with content-hashed URLs and long cache lifetimes."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, send_from_directory, url_for

LONG_CACHE = 365 * 24 * 3600


@cache
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def file_hash(path: Path) -> str:
    """Short hash of a file's content (cached until the file changes)."""
    return _file_hash(str(path), path.stat().st_mtime)


def asset_url(filename: str) -> str:
    """URL of a static file with a hash of its content, so phones can cache it for a year."""
    path = Path(current_app.config["STATIC_DIR"]) / filename
    try:
        version = file_hash(path)
    except FileNotFoundError:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def send_static(filename: str, max_age: int):
    """A file of static/, buffered: static files are small, so they are compressed in one
    piece and the file is closed with the response (the streaming compressor leaves it open)."""
    response = send_from_directory(current_app.config["STATIC_DIR"], filename, max_age=max_age)
    response.direct_passthrough = False
    response.make_sequence()
    return response


def init_app(app: Flask) -> None:
    def static(filename: str):
        from flask import request

        return send_static(filename, max_age=LONG_CACHE if request.args.get("v") else 3600)

    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)
    app.jinja_env.globals["asset_url"] = asset_url
