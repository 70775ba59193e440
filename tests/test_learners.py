"""An ambassador registers a learner with consent and prints a card that signs them in."""
import re

from sqlalchemy import select

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.factories import AmbassadorFactory, LearnerFactory, ward

NEW_LEARNER = {
    "full_name": "Trần Thị Bưởi",
    "phone": "+84 935 111 222",
    "group": "trader",
    "pin": "4826",
    "consent": "y",
}


def sign_in_ambassador(app, auth, code="PHUXUAN"):
    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward(code))
        db.session.commit()
    auth.as_user(ambassador)
    return ambassador


def test_ambassador_registers_a_learner_with_consent_recorded(app, client, auth):
    ambassador = sign_in_ambassador(app, auth)
    response = client.post("/learners/new", data=NEW_LEARNER)
    assert response.status_code == 302
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.phone == "0935111222"))
        assert learner.full_name == "Trần Thị Bưởi"
        assert learner.ward.code == "PHUXUAN"
        assert learner.consent_at is not None
        assert learner.consent_by_id == ambassador.id
        assert learner.registered_by_id == ambassador.id


def test_registration_without_consent_is_refused_and_keeps_what_was_typed(app, client, auth):
    sign_in_ambassador(app, auth)
    data = dict(NEW_LEARNER)
    del data["consent"]
    page = client.post("/learners/new", data=data).get_data(as_text=True)
    assert "đồng ý" in page
    assert 'value="Trần Thị Bưởi"' in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.phone == "0935111222")) is None


def test_duplicate_phone_is_refused(app, client, auth):
    sign_in_ambassador(app, auth)
    with app.app_context():
        LearnerFactory(phone="0935111222")
        db.session.commit()
    page = client.post("/learners/new", data=NEW_LEARNER).get_data(as_text=True)
    assert "đã được đăng ký" in page


def test_sign_in_card_qr_signs_the_learner_in_on_another_phone(app, client, auth):
    sign_in_ambassador(app, auth)
    client.post("/learners/new", data=NEW_LEARNER)
    with app.app_context():
        learner_id = db.session.scalar(select(User.id).where(User.phone == "0935111222"))
    card = client.get(f"/learners/{learner_id}/card").get_data(as_text=True)
    assert "<svg" in card
    card_url = card_link(app, learner_id)
    phone = app.test_client()
    assert phone.get(card_url).status_code == 302
    assert "Trần Thị Bưởi" in phone.get("/").get_data(as_text=True)


def card_link(app, learner_id):
    from hue_literacy.accounts.services import card_token

    with app.app_context():
        learner = db.session.get(User, learner_id)
        return "/card/" + card_token(learner, app.config["SECRET_KEY"])


def test_renewed_card_makes_old_cards_stop_working(app, client, auth):
    sign_in_ambassador(app, auth)
    with app.app_context():
        learner = LearnerFactory()
        db.session.commit()
    old_link = card_link(app, learner.id)
    client.post(f"/learners/{learner.id}/card/renew")
    phone = app.test_client()
    phone.get(old_link)
    assert phone.get("/me/data").status_code == 302  # not signed in
    assert phone.get(card_link(app, learner.id)).status_code == 302
    assert phone.get("/me/data").status_code == 200


def test_forged_card_token_is_refused(app):
    phone = app.test_client()
    phone.get("/card/not-a-real-token")
    assert phone.get("/me/data").status_code == 302


def test_learner_registers_alone(app, client):
    with app.app_context():
        ward_id = ward("KIMLONG").id
    data = dict(NEW_LEARNER, ward=ward_id)
    assert client.post("/register", data=data).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Trần Thị Bưởi" in page
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.phone == "0935111222"))
        assert learner.consent_by_id == learner.id


def test_search_by_name_or_phone(app, client, auth):
    sign_in_ambassador(app, auth)
    with app.app_context():
        LearnerFactory(full_name="Phan Văn Sen", phone="0977000111")
        LearnerFactory(full_name="Đỗ Thị Cúc", phone="0977000222")
        db.session.commit()
    by_name = client.get("/learners/?q=sen").get_data(as_text=True)
    by_phone = client.get("/learners/?q=%2B84977000222").get_data(as_text=True)
    assert "Phan Văn Sen" in by_name and "Đỗ Thị Cúc" not in by_name
    assert "Đỗ Thị Cúc" in by_phone and "Phan Văn Sen" not in by_phone


def test_edit_keeps_typed_values_when_phone_is_malformed(app, client, auth):
    sign_in_ambassador(app, auth)
    with app.app_context():
        learner = LearnerFactory()
        db.session.commit()
    page = client.post(
        f"/learners/{learner.id}",
        data={"full_name": "Tên Mới Đẹp", "phone": "12ab", "group": "elderly"},
    ).get_data(as_text=True)
    assert 'value="Tên Mới Đẹp"' in page
    assert re.search(r"chỉ có chữ số|10 chữ số", page)


def test_pin_chosen_at_registration_signs_in_with_the_pin_hash_of_the_config(app, client, auth):
    """PINs use PIN_HASH_METHOD (cheaper than staff passwords, see config.py), and work."""
    app.config["PIN_HASH_METHOD"] = "scrypt:4096:8:1"
    with app.app_context():
        ward_id = ward("KIMLONG").id
    assert client.post("/register", data=dict(NEW_LEARNER, ward=ward_id)).status_code == 302
    client.post("/sign-out")
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.phone == "0935111222"))
        assert learner.secret_hash.startswith("scrypt:4096:8:1$")
    assert auth.sign_in("0935111222", NEW_LEARNER["pin"]).status_code == 302
    assert "Trần Thị Bưởi" in client.get("/").get_data(as_text=True)
