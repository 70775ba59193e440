"""A learner's text size: kept on their account (every phone they use shows it), refused with
a clear message when it is not one of the three, never put on a page kept for everyone."""
from __future__ import annotations

import pytest

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.factories import LearnerFactory


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Đặng Văn Bình")
        db.session.commit()
        return person


def test_a_learner_keeps_their_text_size_on_their_account(app, client, auth, learner):
    auth.as_user(learner)
    answer = client.put("/api/v1/me/text-size", json={"text_size": "larger"})
    assert answer.status_code == 200 and answer.get_json() == {"text_size": "larger"}
    with app.app_context():
        assert db.session.get(User, learner.id).text_size == "larger"
    home = client.get("/").get_data(as_text=True)
    assert f'data-account="{learner.id}" data-text-size-account="larger"' in home
    assert client.get("/api/v1/session").get_json()["text_size"] == "larger"


def test_a_text_size_not_offered_is_refused_with_a_clear_message(client, auth, learner):
    auth.as_user(learner)
    answer = client.put("/api/v1/me/text-size", json={"text_size": "huge"})
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "Bác hãy chọn cỡ chữ vừa, to hoặc rất to.",
                                 "field": "text_size"}
    assert client.put("/api/v1/me/text-size", json=["large"]).status_code == 400
    # Not JSON (a cross-site form could send this): refused.
    assert client.put("/api/v1/me/text-size", data={"text_size": "large"}).status_code == 415


def test_only_a_signed_in_person_has_a_text_size_on_the_server(client):
    assert client.put("/api/v1/me/text-size", json={"text_size": "large"}).status_code == 401


def test_pages_kept_for_everyone_carry_no_account_but_the_chooser(client, auth, learner):
    auth.as_user(learner)
    client.put("/api/v1/me/text-size", json={"text_size": "large"})
    for path in ("/learn/vi/", "/learn/vi/qr-ward-notice", "/learn/vi/my-progress"):
        page = client.get(path).get_data(as_text=True)
        assert "data-account=" not in page and "data-text-size-account" not in page, path
        assert "data-text-size-chooser" in page and "text-size-early.js" in page, path


def test_the_text_size_is_in_the_learners_data_download(client, auth, learner):
    auth.as_user(learner)
    client.put("/api/v1/me/text-size", json={"text_size": "large"})
    assert client.get("/me/data.json").get_json()["account"]["text_size"] == "large"
