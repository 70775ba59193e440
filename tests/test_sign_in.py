"""Learners sign in with phone + PIN; wrong PINs are slowed down per phone and per address."""
from datetime import timedelta

from sqlalchemy import func, select

from hue_literacy.accounts import throttle
from hue_literacy.accounts.models import SignInFailure, User
from hue_literacy.extensions import db
from tests.factories import TEST_PASSWORD, TEST_PIN, AmbassadorFactory, LearnerFactory


def make_learner(app, **fields):
    with app.app_context():
        learner = LearnerFactory(**fields)
        db.session.commit()
        return learner.id


def test_learner_signs_in_with_phone_typed_any_way(app, client, auth):
    make_learner(app, phone="0912345678")
    response = auth.sign_in("+84 912 345 678", TEST_PIN)
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Nguyễn Thị Học Viên" in home


def test_wrong_pin_is_refused_and_phone_kept(app, auth):
    make_learner(app, phone="0912345678")
    page = auth.sign_in("0912 345 678", "9999")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "không khớp" in html
    assert 'value="0912 345 678"' in html


def test_unknown_phone_gets_the_same_message_as_a_wrong_pin(app, auth):
    make_learner(app, phone="0912345678")
    wrong_pin = auth.sign_in("0912345678", "9999").get_data(as_text=True)
    unknown = auth.sign_in("0987654321", "9999").get_data(as_text=True)
    assert "không khớp" in wrong_pin and "không khớp" in unknown


def test_malformed_phone_is_refused_in_the_learners_language(app, client, auth):
    page = auth.sign_in("12345", TEST_PIN).get_data(as_text=True)
    assert "10 chữ số" in page
    client.post("/language", data={"lang": "en"})
    page = auth.sign_in("12345", TEST_PIN).get_data(as_text=True)
    assert "10 digits" in page


def test_five_wrong_pins_lock_the_phone_with_a_wait_time(app, client, auth):
    make_learner(app, phone="0912345678")
    for _ in range(5):
        auth.sign_in("0912345678", "9999")
    locked = auth.sign_in("0912345678", TEST_PIN)  # even the right PIN must wait
    assert locked.status_code == 429
    assert "15 phút" in locked.get_data(as_text=True)
    assert client.get("/me/data").status_code == 302  # still signed out


def test_lock_ends_after_the_window(app, auth):
    make_learner(app, phone="0912345678")
    with app.app_context():
        past = throttle.utcnow() - timedelta(minutes=16)
        for _ in range(5):
            throttle.record_failure("0912345678", "127.0.0.1", now=past)
        db.session.commit()
    assert auth.sign_in("0912345678", TEST_PIN).status_code == 302


def test_guessing_many_phones_from_one_address_is_slowed(app, auth):
    app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] = 3
    make_learner(app, phone="0912345678")
    for number in ("0911111112", "0911111113", "0911111114"):
        auth.sign_in(number, "9999")
    blocked = auth.sign_in("0912345678", TEST_PIN)
    assert blocked.status_code == 429


def test_a_class_behind_one_wifi_is_not_locked_out_by_its_learners_typing_slips(app):
    """Twelve learners share one address; each mistypes twice, then gets it right: 24 slips
    against a limit of 10 per address, and every one of them signs in."""
    app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] = 10
    phones = [f"09123450{index:02d}" for index in range(12)]
    for phone in phones:
        make_learner(app, phone=phone)
    for phone in phones:
        phone_in_class = app.test_client()  # same address (127.0.0.1) for all
        for wrong in ("1111", "2222"):
            page = phone_in_class.post("/sign-in", data={"phone": phone, "pin": wrong})
            assert page.status_code == 200
        right = phone_in_class.post("/sign-in", data={"phone": phone, "pin": TEST_PIN})
        assert right.status_code == 302, phone
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 0


def test_signing_in_to_ones_own_account_does_not_forgive_tries_at_other_numbers(app):
    """Guessing across phones from one address stays counted: a right PIN takes back only
    the failures made on its own number."""
    app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] = 3
    make_learner(app, phone="0912345678")
    for other in ("0911111112", "0911111113", "0911111114"):
        make_learner(app, phone=other)
    guesser = app.test_client()
    for other in ("0911111112", "0911111113"):
        assert guesser.post("/sign-in", data={"phone": other, "pin": "9999"}).status_code == 200
    own = guesser.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN})
    assert own.status_code == 302
    guesser.post("/sign-out")
    assert guesser.post("/sign-in", data={"phone": "0911111114", "pin": "9999"}).status_code == 200
    blocked = app.test_client().post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN})
    assert blocked.status_code == 429


def test_successful_sign_in_clears_the_phones_failures(app, auth):
    make_learner(app, phone="0912345678")
    for _ in range(3):
        auth.sign_in("0912345678", "9999")
    auth.sign_in("0912345678", TEST_PIN)
    with app.app_context():
        left = db.session.scalar(
            select(func.count()).select_from(SignInFailure)
            .where(SignInFailure.key == "phone:0912345678")
        )
    assert left == 0


def test_pins_and_passwords_are_stored_only_as_hashes(app):
    learner_id = make_learner(app)
    with app.app_context():
        stored = db.session.get(User, learner_id).secret_hash
    assert TEST_PIN not in stored and stored.startswith("pbkdf2:")


def test_staff_sign_in_with_password_and_not_on_the_learner_form(app, client, auth):
    with app.app_context():
        AmbassadorFactory(phone="0701234567")
        db.session.commit()
    assert auth.sign_in("0701234567", TEST_PASSWORD).status_code == 200  # PIN form refuses
    assert auth.staff_sign_in("0701234567", TEST_PASSWORD).status_code == 302
    assert "Đăng ký học viên" in client.get("/").get_data(as_text=True)


def test_sign_out_needs_a_post(app, client, auth):
    make_learner(app, phone="0912345678")
    auth.sign_in("0912345678", TEST_PIN)
    assert client.get("/sign-out").status_code == 405
    client.post("/sign-out")
    assert client.get("/me/data").status_code == 302


def test_next_parameter_cannot_send_people_to_another_site(app, client):
    make_learner(app, phone="0912345678")
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"phone": "0912345678", "pin": TEST_PIN}
    )
    assert response.headers["Location"] == "/"
