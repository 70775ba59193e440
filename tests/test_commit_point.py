"""One commit point per request: views write, the request commits once or rolls back."""
from __future__ import annotations

import pytest
from flask import abort

from hue_literacy.database import WriteOnGet, writes_on_get
from hue_literacy.extensions import db
from tests.factories import ward


def rename_ward(name: str) -> None:
    ward("PHUXUAN").name = name
    db.session.flush()


def stored_name(app) -> str:
    with app.app_context():
        return ward("PHUXUAN").name


@pytest.fixture
def client(fresh_app):
    return fresh_app.test_client()


@pytest.fixture
def routes(fresh_app):
    """Views that write and then answer in different ways."""

    def saved():
        rename_ward("Saved")
        return "ok"

    def refused():
        rename_ward("Refused")
        abort(403)

    def crashed():
        rename_ward("Crashed")
        raise RuntimeError("boom")

    def looked():
        rename_ward("Looked")
        return "ok"

    @writes_on_get
    def counted():
        rename_ward("Counted")
        return "ok"

    app = fresh_app
    app.add_url_rule("/t/saved", view_func=saved, methods=["POST"])
    app.add_url_rule("/t/refused", view_func=refused, methods=["POST"])
    app.add_url_rule("/t/crashed", view_func=crashed, methods=["POST"])
    app.add_url_rule("/t/looked", view_func=looked)
    app.add_url_rule("/t/counted", view_func=counted)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return app


def test_a_write_that_answers_is_committed_once_at_the_end(routes, client):
    original = stored_name(routes)
    assert client.post("/t/saved").status_code == 200
    assert stored_name(routes) == "Saved" != original


def test_a_write_that_is_refused_or_crashes_leaves_nothing_behind(routes, client):
    original = stored_name(routes)
    assert client.post("/t/refused").status_code == 403
    with pytest.raises(RuntimeError):
        client.post("/t/crashed")
    assert stored_name(routes) == original


def test_a_page_that_writes_on_get_is_an_error_and_is_rolled_back(routes, client):
    original = stored_name(routes)
    with pytest.raises(WriteOnGet):
        client.get("/t/looked")
    assert stored_name(routes) == original


def test_a_view_marked_as_counting_may_write_on_get(routes, client):
    assert client.get("/t/counted").status_code == 200
    assert stored_name(routes) == "Counted"
