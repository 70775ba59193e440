"""/healthz says whether the database and the content release are there; a production start
without HUE_SECRET_KEY or HUE_CERTIFICATE_BASE_URL warns plainly."""
from __future__ import annotations

import logging

from hue_literacy import create_app
from hue_literacy.config import production_warnings


def test_healthz_checks_the_database_and_the_content(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert len(body["content"]) == 12


def test_healthz_says_failing_when_the_database_does_not_answer(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from hue_literacy.extensions import db

    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "failing", "database": "error: OperationalError",
                                   "content": response.get_json()["content"]}


def test_production_start_warns_about_missing_secret_key_and_certificate_address(
        tmp_path, caplog, monkeypatch):
    monkeypatch.delenv("HUE_SECRET_KEY", raising=False)
    monkeypatch.delenv("HUE_CERTIFICATE_BASE_URL", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "p.sqlite"),
              "SECRET_KEY": None}
    with caplog.at_level(logging.WARNING):
        create_app(config)
    text = caplog.text
    assert "HUE_SECRET_KEY is not set" in text
    assert "HUE_CERTIFICATE_BASE_URL is not set" in text


def test_no_warning_when_both_are_set():
    assert production_warnings({"SECRET_KEY": "k" * 32,
                                "CERTIFICATE_BASE_URL": "https://hocso.hue.gov.vn"}) == []
