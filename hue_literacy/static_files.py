"""Serve the top-level static/ folder with content-hashed URLs and long cache lifetimes."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, send_from_directory, url_for

LONG_CACHE = 365 * 24 * 3600


@cache
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def file_hash(path: Path) -> str:
    """Short hash of a file's content (cached until the file changes)."""
    return _file_hash(str(path), path.stat().st_mtime)


def asset_url(filename: str) -> str:
    """URL of a static file with a hash of its content, so phones can cache it for a year.

    Worked out once per file and address prefix, and kept while the server runs: files do
    not change under a running server (an upgrade restarts it). Pages draw up to 50 icons of
    one sprite and a dozen files, and each stat and url_for was about a quarter of the
    catalogue's CPU. While debugging, worked out again on every request (files are edited).
    """
    if not has_request_context():
        return _asset_url(filename)
    if current_app.debug:
        current = request._get_current_object()  # noqa: SLF001 - the request's own object
        known = current.__dict__.setdefault("hue_asset_urls", {})
    else:
        known = current_app.extensions.setdefault("hue_asset_urls", {})
    key = (request.script_root, filename)
    if key not in known:
        known[key] = _asset_url(filename)
    return known[key]


def _asset_url(filename: str) -> str:
    path = Path(current_app.config["STATIC_DIR"]) / filename
    try:
        version = file_hash(path)
    except FileNotFoundError:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def send_buffered(directory: str | Path, filename: str, max_age: int):
    """A file sent as bytes, read and closed before the response leaves the app.

    Static files and lesson media are small. Werkzeug would keep the file open until the
    server closes the response, which its development server skips when the browser drops
    the connection (the file is then closed by the garbage collector, with a ResourceWarning);
    the compressor also needs the whole body anyway.
    """
    response = send_from_directory(directory, filename, max_age=max_age)
    body = response.response
    try:
        data = b"" if response.status_code == 304 else b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    response.direct_passthrough = False
    if response.status_code == 304:
        response.response = []
    else:
        response.set_data(data)
    return response


def send_static(filename: str, max_age: int):
    """A file of static/ (see send_buffered)."""
    return send_buffered(current_app.config["STATIC_DIR"], filename, max_age)


def init_app(app: Flask) -> None:
    def static(filename: str):
        from flask import request

        return send_static(filename, max_age=LONG_CACHE if request.args.get("v") else 3600)

    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)
    app.jinja_env.globals["asset_url"] = asset_url
