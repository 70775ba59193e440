"""Hostile bodies on the phone APIs: a clear 400 for a batch that cannot be read, a refusal
for the one event or change that cannot be stored while the rest of the batch is stored."""
import json

import pytest

from hue_literacy.extensions import db
from hue_literacy.sync.batch import MAX_DEPTH
from tests.factories import AmbassadorFactory, LearnerFactory, ward
from tests.test_households import make_household
from tests.test_households_ops import a_visit
from tests.test_sync_api import LESSON, an_event, stored_count

EVENTS = "/api/v1/events"
OPS = "/api/v1/household-ops"


def raw_post(client, url: str, body: str):
    return client.post(url, data=body, content_type="application/json")


@pytest.fixture
def learner(app, auth, client):
    with app.app_context():
        person = LearnerFactory()
        db.session.commit()
    auth.as_user(person)
    client.post("/language", data={"lang": "en"})
    return person


@pytest.fixture
def ambassador(app, auth, client):
    with app.app_context():
        person = AmbassadorFactory(ward=ward("PHUXUAN"))
        home = make_household(person, "1 Lê Lợi")
        db.session.commit()
        person.home_id = home.id
    auth.as_user(person)
    client.post("/language", data={"lang": "en"})
    return person


@pytest.fixture
def step_id(app):
    from hue_literacy.content.access import release

    with app.app_context():
        lesson = release().lesson("vi", LESSON)
        return next(step.id for step in lesson.steps if step.type != "info")


# --- item 3: nesting ------------------------------------------------------------------------


@pytest.fixture(params=[(EVENTS, "events", "learner"), (OPS, "ops", "ambassador")],
                ids=["events", "household-ops"])
def api(request):
    """Each phone API with its user signed in: (url, name of the list)."""
    url, key, user = request.param
    request.getfixturevalue(user)
    return url, key


def test_a_body_of_50000_nested_lists_is_a_clear_400(client, api):
    url, key = api
    body = f'{{"{key}": [{"[" * 50_000}{"]" * 50_000}]}}'
    response = raw_post(client, url, body)
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["error"] == "too_deep"
    assert "nested too deeply" in answer["message"]


def test_nesting_just_past_the_limit_is_refused_and_at_the_limit_is_read(client, api):
    url, key = api
    # body {..} and the list make 2 levels; MAX_DEPTH - 2 more lists reach the limit
    inner = "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    at_limit = raw_post(client, url, f'{{"{key}": [{inner}]}}')
    assert at_limit.status_code == 200
    assert at_limit.get_json()["refused"] == 1  # read, then refused as not an object
    past = raw_post(client, url, f'{{"{key}": [[{inner}]]}}')
    assert past.status_code == 400 and past.get_json()["error"] == "too_deep"


def test_the_nesting_refusal_is_in_vietnamese_by_default(app, client, auth):
    with app.app_context():
        person = LearnerFactory()
        db.session.commit()
    auth.as_user(person)
    response = raw_post(client, EVENTS, f'{{"events": [{"[" * 100}{"]" * 100}]}}')
    assert response.status_code == 400
    assert "lồng nhau" in response.get_json()["message"]


# --- item 4: numbers and text a database cannot store --------------------------------------


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_non_finite_number_refuses_that_event_and_the_rest_is_stored(
    app, client, learner, step_id, number
):
    good = [an_event(step_id=step_id), an_event(step_id=step_id)]
    bad = json.dumps(an_event(step_id=step_id, answer={"option": "x"})).replace(
        '"x"', number)
    body = f'{{"events": [{json.dumps(good[0])}, {bad}, {json.dumps(good[1])}]}}'
    response = raw_post(client, EVENTS, body)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused", "stored"]
    assert results[1]["reason"] == "not_finite"
    assert "NaN" in results[1]["message"]
    assert stored_count(app) == 2


def test_a_nul_character_refuses_that_event_and_the_rest_is_stored(
    app, client, learner, step_id
):
    events = [an_event(step_id=step_id),
              an_event(lesson_version=1, step_id="old\u0000step"),
              an_event(step_id=step_id, answer={"option": "a\u0000"})]
    response = client.post(EVENTS, json={"events": events})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused", "refused"]
    assert {r.get("reason") for r in results[1:]} == {"bad_text"}
    assert stored_count(app) == 1


def test_a_household_change_with_nan_or_nul_is_refused_alone(app, client, ambassador):
    home = ambassador.home_id
    good, nan, nul = a_visit(home), a_visit(home, notes="x"), a_visit(home, notes="tập\u0000")
    body = json.dumps({"ops": [good, nan, nul]}).replace('"notes": "x"', '"notes": NaN')
    response = raw_post(client, OPS, body)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused", "refused"]
    assert [r["reason"] for r in results[1:]] == ["not_finite", "bad_text"]
