"""Friendly error pages in plain words; JSON for the API."""
from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_wtf.csrf import CSRFError

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
            return jsonify({"error": code}), status
        return render_template("errors/error.html", status=status), status

    return handle


def _csrf_error(error):
    if wants_json():
        return jsonify({"error": "csrf_failed"}), 400
    return render_template("errors/error.html", status=400, csrf=True), 400
