"""Limits that hold whatever a client sends: body size without Content-Length, 405 with Allow."""
from __future__ import annotations

import io

import pytest

from hue_literacy.extensions import db
from tests.factories import AmbassadorFactory, LearnerFactory

TEN_MIB = 10 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """A 10 MiB body produced on demand, counting how much of it the server read."""

    def __init__(self, size: int, chunk: bytes) -> None:
        self.left = size
        self.chunk = chunk
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self.left)
        data = (self.chunk * (size // len(self.chunk) + 1))[:size]
        buffer[:size] = data
        self.left -= size
        self.read_bytes += size
        return size


def post_chunked(app, client, path: str, content_type: str, chunk: bytes):
    """POST like a chunked upload: no Content-Length, the server marks the input terminated
    (as Werkzeug's and gunicorn's servers do for `Transfer-Encoding: chunked`)."""
    body = CountingStream(TEN_MIB, chunk)
    inner = app.wsgi_app

    def chunked(environ, start_response):
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input"] = io.BufferedReader(body)
        environ["wsgi.input_terminated"] = True
        return inner(environ, start_response)

    app.wsgi_app = chunked
    try:
        response = client.post(path, data=b"", content_type=content_type)
    finally:
        app.wsgi_app = inner
    return response, body


@pytest.fixture
def learner(app, auth):
    with app.app_context():
        person = LearnerFactory()
        db.session.commit()
    auth.as_user(person)
    return person


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/household-ops"])
def test_a_chunked_batch_without_content_length_is_refused_before_it_is_read_whole(
    app, client, auth, path
):
    with app.app_context():
        person = AmbassadorFactory() if "household" in path else LearnerFactory()
        db.session.commit()
    auth.as_user(person)
    response, body = post_chunked(app, client, path, "application/json", b" " * 64)
    assert response.status_code == 413
    assert response.is_json and response.get_json()["error"] == "too_large"
    assert "too large" in response.get_json()["message"] or "quá lớn" in (
        response.get_json()["message"]
    )
    assert body.read_bytes < 2 * 1024 * 1024


def test_a_chunked_form_post_is_refused_before_it_is_read_whole(app, client):
    response, body = post_chunked(
        app, client, "/sign-in", "application/x-www-form-urlencoded", b"phone=0912345678&pin=25"
    )
    assert response.status_code == 413
    assert body.read_bytes < 2 * 1024 * 1024


def test_a_normal_batch_still_passes_the_size_limit(client, learner):
    response = client.post("/api/v1/events", json={"events": []})
    assert response.status_code == 200


def test_a_wrong_method_on_the_api_says_which_methods_are_allowed(client, learner):
    response = client.get("/api/v1/events")
    assert response.status_code == 405
    assert response.is_json
    assert sorted(response.headers["Allow"].replace(" ", "").split(",")) == ["OPTIONS", "POST"]


def test_a_wrong_method_on_a_page_says_which_methods_are_allowed(client):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "text/html" in response.content_type
    assert "POST" in response.headers["Allow"]
    assert "GET" not in response.headers["Allow"]


def _served_but_never_closed(app, path: str) -> list:
    """Serve `path` as a WSGI server does, but skip close(): Werkzeug's server does when the
    browser drops the connection (its clean-up read fails first), as happens under load."""
    import gc
    import warnings

    from werkzeug.test import EnvironBuilder

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        statuses = []
        app_iter = app(EnvironBuilder(path=path).get_environ(),
                       lambda status, headers, exc_info=None: statuses.append(status))
        body = b"".join(app_iter)
        del app_iter
        gc.collect()
    assert statuses[0].startswith("200") and body
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("path", ["/static/css/app.css", "/sw.js"])
def test_a_static_file_is_closed_even_when_the_response_is_not(app, path):
    assert _served_but_never_closed(app, path) == []
