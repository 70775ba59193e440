"""Security headers on every response, the client address behind a trusted proxy, and a
body size limit that holds for chunked requests too."""
from __future__ import annotations

import io

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class BodyLimit:
    """Read a body sent without Content-Length (chunked) up to `limit` + 1 bytes and hand it
    on with its length, so every size check of the app and of Werkzeug applies to it.

    Werkzeug alone only truncates such a body at MAX_CONTENT_LENGTH (or, without it, reads it
    whole); here a body over the limit keeps a Content-Length over the limit and gets a 413.
    """

    def __init__(self, wsgi_app, limit: int) -> None:
        self.wsgi_app = wsgi_app
        self.limit = limit

    def __call__(self, environ, start_response):
        if environ.get("wsgi.input_terminated") and not environ.get("CONTENT_LENGTH"):
            stream = environ["wsgi.input"]
            body = bytearray()
            while len(body) <= self.limit:
                chunk = stream.read(min(64 * 1024, self.limit + 1 - len(body)))
                if not chunk:
                    break
                body.extend(chunk)
            environ["wsgi.input"] = io.BytesIO(bytes(body))
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["wsgi.input_terminated"]
        return self.wsgi_app(environ, start_response)


def _may_hold_personal_data() -> bool:
    """A page for a signed-in person (names, phones, progress: learners share phones) or the
    answer to a form (it shows what was typed). Views that know better set Cache-Control."""
    user = g.get("_login_user")  # only when the request looked at who is signed in
    signed_in = user is not None and user.is_authenticated
    return signed_in or request.method not in ("GET", "HEAD")


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    if app.config.get("MAX_CONTENT_LENGTH"):
        app.wsgi_app = BodyLimit(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])

    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if "Cache-Control" not in response.headers and _may_hold_personal_data():
            response.headers["Cache-Control"] = "private, no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
