"""A new card, a new PIN or password, deletion: every session of that person ends at once.

Two app objects on one database stand for two server processes: the person signed in through
one, the change is made through the other.
"""
from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from hue_literacy.accounts import services
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.conftest import AuthActions, make_app
from tests.factories import TEST_PASSWORD, TEST_PIN, AmbassadorFactory, LearnerFactory

REMEMBER = "remember_token"


@pytest.fixture
def other_process(app, database_url):
    second = make_app(database_url)
    yield second
    with second.app_context():
        db.engine.dispose()


@pytest.fixture
def people(app):
    with app.app_context():
        ambassador = AmbassadorFactory(phone="0701234567")
        learner = LearnerFactory(phone="0912345678")
        db.session.commit()
        return {"ambassador": ambassador.id, "learner": learner.id}


def signed_in(client) -> bool:
    return client.get("/me/data").status_code == 200


def phone_and_restarted_browser(app, learner_id: int, how: str):
    """The learner's phone, signed in with the card or the PIN (remembered), and a browser
    that kept only the remember cookie (closed and opened again)."""
    phone = app.test_client()
    if how == "card":
        with app.app_context():
            token = services.card_token(db.session.get(User, learner_id), app.config["SECRET_KEY"])
        phone.get(f"/card/{token}")
    else:
        phone.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN})
    restarted = app.test_client()
    restarted.set_cookie(REMEMBER, phone.get_cookie(REMEMBER).value)
    assert signed_in(phone) and signed_in(restarted)
    return phone, restarted


def staff_client(app, phone: str = "0701234567"):
    client = app.test_client()
    AuthActions(client).staff_sign_in(phone, TEST_PASSWORD)
    return client


CHANGES = {
    "renewed card": lambda staff, learner_id: staff.post(f"/learners/{learner_id}/card/renew"),
    "new PIN": lambda staff, learner_id: staff.post(f"/learners/{learner_id}", data={
        "full_name": "Nguyễn Thị Học Viên", "phone": "0912345678", "group": "elderly",
        "new_pin": "1357"}),
    "deletion": lambda staff, learner_id: staff.post(f"/learners/{learner_id}/delete",
                                                     data={"confirm": "yes"}),
}


@pytest.mark.parametrize("how", ["card", "pin"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_credential_change_ends_every_session_on_every_process(
    app, other_process, people, change, how
):
    phone, restarted = phone_and_restarted_browser(app, people["learner"], how)
    response = CHANGES[change](staff_client(other_process), people["learner"])
    assert response.status_code == 302
    assert not signed_in(phone)
    assert not signed_in(restarted)
    assert phone.get("/api/v1/session").get_json()["signed_in"] is False


def test_editing_a_learner_without_a_new_pin_keeps_them_signed_in(app, other_process, people):
    phone, restarted = phone_and_restarted_browser(app, people["learner"], "pin")
    staff_client(other_process).post(f"/learners/{people['learner']}", data={
        "full_name": "Nguyễn Thị Hoa", "phone": "0912345678", "group": "elderly"})
    assert signed_in(phone) and signed_in(restarted)


def test_the_learner_deleting_the_account_ends_the_other_phones_session(app, people):
    phone, restarted = phone_and_restarted_browser(app, people["learner"], "pin")
    tablet, _ = phone_and_restarted_browser(app, people["learner"], "card")
    tablet.post("/me/delete", data={"confirm": "yes"})
    assert not signed_in(phone) and not signed_in(restarted)


def test_a_new_password_ends_the_staff_members_sessions(app, other_process, people):
    office_pc = staff_client(app)
    assert office_pc.get("/learners/").status_code == 200
    with other_process.app_context():
        services.set_password(db.session.get(User, people["ambassador"]), "a new long password",
                              hash_method="pbkdf2:sha256:1000")
        db.session.commit()
    assert office_pc.get("/learners/").status_code == 302
    assert staff_client(app).get("/learners/").status_code == 302  # old password refused
    new = app.test_client()
    AuthActions(new).staff_sign_in("0701234567", "a new long password")
    assert new.get("/learners/").status_code == 200


def test_any_change_of_the_stored_hash_gives_a_new_session_token(app, people):
    with app.app_context():
        learner = db.session.get(User, people["learner"])
        before = learner.get_id()
        learner.secret_hash = generate_password_hash("9753", method="pbkdf2:sha256:1000")
        assert learner.get_id() != before
        db.session.rollback()


def test_an_old_style_session_without_a_token_is_not_accepted(app, client, people):
    with client.session_transaction() as session:
        session["_user_id"] = str(people["learner"])
        session["_fresh"] = True
    assert not signed_in(client)


def test_the_admin_password_command_ends_the_staff_members_sessions(app, people):
    office_pc = staff_client(app)
    result = app.test_cli_runner().invoke(args=[
        "admin", "password", "--phone", "070 123 4567", "--password", "another long password"])
    assert result.exit_code == 0, result.output
    assert office_pc.get("/learners/").status_code == 302
    refused = app.test_cli_runner().invoke(args=[
        "admin", "password", "--phone", "0912345678", "--password", "another long password"])
    assert refused.exit_code != 0  # a learner, not staff
