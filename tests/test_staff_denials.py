"""Denials for every staff action across wards and roles: an official of ward A never
creates or changes staff of ward B or another official; an ambassador or a learner manages
no one; only the person above can act."""
from __future__ import annotations

import pytest

from hue_literacy.extensions import db
from tests.conftest import AuthActions
from tests.factories import (
    TEST_PASSWORD,
    TEST_PIN,
    AdminFactory,
    AmbassadorFactory,
    LearnerFactory,
    OfficialFactory,
    ward,
)

ACTIONS = ("show", "edit", "reset", "deactivate", "reactivate")


@pytest.fixture
def people(app):
    with app.app_context():
        a, b = ward("PHUXUAN"), ward("VYDA")
        made = {
            "admin": AdminFactory(phone="0301234567"),
            "official_a": OfficialFactory(phone="0811111111", ward=a),
            "other_official_a": OfficialFactory(phone="0811111112", ward=a),
            "official_b": OfficialFactory(phone="0822222222", ward=b),
            "ambassador_a": AmbassadorFactory(phone="0711111111", ward=a),
            "other_ambassador_a": AmbassadorFactory(phone="0711111112", ward=a),
            "ambassador_b": AmbassadorFactory(phone="0722222222", ward=b),
            "learner_a": LearnerFactory(phone="0911111111", ward=a),
        }
        db.session.commit()
        ids = {name: person.id for name, person in made.items()}
        ids["ward_a"], ids["ward_b"] = a.id, b.id
        return ids


def client_of(app, people, who: str):
    client = app.test_client()
    phones = {"official_a": "0811111111", "ambassador_a": "0711111111",
              "admin": "0301234567", "learner_a": "0911111111"}
    if who == "learner_a":
        AuthActions(client).sign_in(phones[who], TEST_PIN)
    elif who != "nobody":
        AuthActions(client).staff_sign_in(phones[who], TEST_PASSWORD)
    return client


def act(client, action: str, target_id: int):
    if action == "show":
        return client.get(f"/staff/{target_id}")
    if action == "edit":
        return client.post(f"/staff/{target_id}", data={"full_name": "Tên Đổi",
                                                        "phone": "0799999999"})
    return client.post(f"/staff/{target_id}/{action}")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target", ["official_b", "ambassador_b", "other_official_a",
                                    "admin"])
def test_an_official_cannot_touch_staff_of_another_ward_or_another_official(
        app, people, action, target):
    client = client_of(app, people, "official_a")
    status = act(client, action, people[target]).status_code
    assert status in (403, 404)
    assert status == (404 if target == "admin" else 403)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target", ["other_ambassador_a", "ambassador_b", "official_a"])
def test_an_ambassador_can_manage_no_one(app, people, action, target):
    client = client_of(app, people, "ambassador_a")
    assert act(client, action, people[target]).status_code == 403


@pytest.mark.parametrize("path", ["/staff/", "/staff/new", "/staff/audit"])
@pytest.mark.parametrize("who", ["ambassador_a", "learner_a"])
def test_ambassadors_and_learners_see_no_staff_pages(app, people, who, path):
    client = client_of(app, people, who)
    assert client.get(path).status_code == 403
    assert client.post("/staff/new", data={
        "full_name": "Kẻ Lạ", "phone": "0798888888", "role": "ambassador",
        "ward": people["ward_a"]}).status_code == 403


@pytest.mark.parametrize("path", ["/staff/", "/staff/new", "/staff/audit"])
def test_signed_out_people_are_sent_to_sign_in(app, people, path):
    assert client_of(app, people, "nobody").get(path).status_code == 302


@pytest.mark.parametrize("action", ACTIONS)
def test_a_learner_is_no_staff_member_to_manage(app, people, action):
    client = client_of(app, people, "admin")
    assert act(client, action, people["learner_a"]).status_code == 404


@pytest.mark.parametrize("role, ward_key", [("ambassador", "ward_b"), ("official", "ward_a"),
                                            ("official", "ward_b")])
def test_an_official_cannot_create_staff_of_another_ward_or_an_official(
        app, people, role, ward_key):
    client = client_of(app, people, "official_a")
    response = client.post("/staff/new", data={
        "full_name": "Người Mới", "phone": "0797777777", "role": role,
        "ward": people[ward_key]})
    assert response.status_code == 403
    from sqlalchemy import select

    from hue_literacy.accounts.models import User

    with app.app_context():
        assert db.session.scalar(select(User).where(User.phone == "0797777777")) is None


def test_the_admin_and_the_official_above_may_act(app, people):
    official = client_of(app, people, "official_a")
    for action in ACTIONS:
        assert act(official, action, people["other_ambassador_a"]).status_code in (200, 302)
    admin = client_of(app, people, "admin")
    for action in ACTIONS:
        assert act(admin, action, people["official_b"]).status_code in (200, 302)


def test_nobody_deactivates_themself(app, people):
    with app.test_request_context():
        from hue_literacy.accounts.models import User
        from hue_literacy.staff import services

        official = db.session.get(User, people["official_a"])
        with pytest.raises(services.InputRefused):
            services.deactivate(official, official)
