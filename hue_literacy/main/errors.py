"""Friendly error pages in plain words; JSON for the API."""
from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from hue_literacy.access import wants_json

PAGES = (400, 403, 404, 405, 413, 429, 500)


def init_app(app: Flask) -> None:
    for status in PAGES:
        app.register_error_handler(status, _handler(status))
    app.register_error_handler(CSRFError, _csrf_error)


def _handler(status: int):
    def handle(error):
        if wants_json():
            code = getattr(error, "name", "error").lower().replace(" ", "_")
            return jsonify({"error": code}), status, _headers_of(error)
        return render_template("errors/error.html", status=status), status, _headers_of(error)

    return handle


def _headers_of(error) -> list[tuple[str, str]]:
    """The exception's own headers (`Allow` on a 405, `Retry-After` on a 429), but not its
    Content-Type: the page or JSON written here replaces its plain body."""
    if not isinstance(error, HTTPException):
        return []
    return [(name, value) for name, value in error.get_headers()
            if name.lower() != "content-type"]


def _csrf_error(error):
    if wants_json():
        return jsonify({"error": "csrf_failed"}), 400
    return render_template("errors/error.html", status=400, csrf=True), 400
