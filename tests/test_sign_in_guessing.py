"""Guessing PINs: limits that hold under parallel requests, and no timing tell for unknown phones.

The parallel tests run on SQLite and (in `make test`) on PostgreSQL, whichever the suite uses.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text
from werkzeug.security import check_password_hash, generate_password_hash

from hue_literacy.accounts import services, throttle
from hue_literacy.config import Config
from hue_literacy.extensions import db
from tests.conftest import make_app
from tests.factories import TEST_PIN, LearnerFactory

PARALLEL = 16


def test_an_unknown_phone_costs_the_same_hash_work_as_a_registered_one(app, client, monkeypatch):
    """Same hash method and parameters for both, so the answer takes as long (issue 11 item 6):
    a cheap dummy hash answered unknown numbers in 9 ms against 300 ms for registered ones."""
    app.config["PIN_HASH_METHOD"] = Config.PIN_HASH_METHOD  # production hashing of PINs
    with app.app_context():
        LearnerFactory(phone="0912345678",
                       secret_hash=generate_password_hash(TEST_PIN, Config.PIN_HASH_METHOD))
        db.session.commit()
    checked: list[str] = []
    real_check = services.check_password_hash

    def recording_check(pwhash: str, secret: str) -> bool:
        checked.append(pwhash.split("$")[0])  # the method and its cost parameters
        return real_check(pwhash, secret)

    monkeypatch.setattr(services, "check_password_hash", recording_check)
    for phone in ("0912345678", "0987654321"):
        page = client.post("/sign-in", data={"phone": phone, "pin": "9999"})
        assert "không khớp" in page.get_data(as_text=True)
    registered, unknown = checked
    production = generate_password_hash("x", Config.PIN_HASH_METHOD).split("$")[0]
    assert registered == unknown == production


def test_the_dummy_hash_follows_the_configured_methods(app, client, monkeypatch):
    """Learners' PINs and staff passwords are hashed differently; each dummy follows its own."""
    app.config["PIN_HASH_METHOD"] = "pbkdf2:sha256:2000"
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:3000"
    checked: list[str] = []
    monkeypatch.setattr(services, "check_password_hash",
                        lambda pwhash, secret: checked.append(pwhash.split("$")[0]) or False)
    client.post("/sign-in", data={"phone": "0987654321", "pin": "9999"})
    client.post("/staff/sign-in", data={"phone": "0987654321", "password": "wrong horse 42"})
    assert checked == ["pbkdf2:sha256:2000", "pbkdf2:sha256:3000"]


def test_a_pin_hashed_with_an_earlier_method_signs_in_and_is_hashed_again(app, client):
    """PINs made under scrypt still open the account; the right PIN moves it to the PIN method,
    a wrong one changes nothing, and the learner's other phones stay signed in."""
    app.config["PIN_HASH_METHOD"] = "pbkdf2:sha256:2000"
    old = generate_password_hash(TEST_PIN, "scrypt:4096:8:1")
    with app.app_context():
        learner = LearnerFactory(phone="0912345678", secret_hash=old)
        db.session.commit()
        learner_id, token = learner.id, learner.session_token
    client.post("/sign-in", data={"phone": "0912345678", "pin": "9999"})
    with app.app_context():
        assert db.session.get(type(learner), learner_id).secret_hash == old
    response = client.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(type(learner), learner_id)
        assert stored.secret_hash.startswith("pbkdf2:sha256:2000$")
        assert check_password_hash(stored.secret_hash, TEST_PIN)
        assert stored.session_token == token  # not a new credential: nobody is signed out
    client.post("/sign-out")
    assert client.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN}).status_code == 302


class HeldChecks:
    """Hold every PIN check until each of the parallel attempts was either refused by the limit
    or reached its check: the widest window for a read-then-write count to be overtaken."""

    def __init__(self, real_check, attempts: int) -> None:
        self.real_check = real_check
        self.attempts = attempts
        self.checked = 0
        self.answered = 0
        self.lock = threading.Condition()

    def check(self, pwhash: str, secret: str) -> bool:
        with self.lock:
            self.checked += 1
            self.lock.notify_all()
            assert self.lock.wait_for(lambda: self.checked + self.answered >= self.attempts,
                                      timeout=60)
        return self.real_check(pwhash, secret)

    def done_without_check(self) -> None:
        with self.lock:
            self.answered += 1
            self.lock.notify_all()


@pytest.fixture
def parallel_app(app, database_url):
    """The test's app with a connection pool large enough for every attempt at once (two
    connections each at most), as a server with that many threads would have."""
    wide = make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 2 * PARALLEL, "max_overflow": 0, "pool_timeout": 60})
    yield wide
    with wide.app_context():
        db.engine.dispose()


def fire_in_parallel(app, monkeypatch, forms: list[dict]) -> tuple[HeldChecks, list[int]]:
    """POST every form to /sign-in at once, each from its own client (own thread, own session)."""
    held = HeldChecks(services.check_password_hash, len(forms))
    monkeypatch.setattr(services, "check_password_hash", held.check)
    start = threading.Barrier(len(forms))

    def attempt(form: dict) -> int:
        client = app.test_client()
        start.wait(timeout=60)
        status = client.post("/sign-in", data=form).status_code
        if status == 429:  # refused by the limit, never checked
            held.done_without_check()
        return status

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        statuses = list(pool.map(attempt, forms))
    return held, statuses


@pytest.fixture
def learner_phone(app) -> str:
    with app.app_context():
        LearnerFactory(phone="0912345678")
        db.session.commit()
    return "0912345678"


def test_parallel_wrong_pins_for_one_phone_are_checked_at_most_the_limit(
    parallel_app, monkeypatch, learner_phone
):
    app = parallel_app
    limit = app.config["SIGNIN_MAX_FAILURES_PER_PHONE"]
    forms = [{"phone": learner_phone, "pin": "9999"}] * PARALLEL
    held, statuses = fire_in_parallel(app, monkeypatch, forms)
    assert held.checked == limit
    assert statuses.count(429) == PARALLEL - limit
    # Locked now: even the right PIN waits.
    assert app.test_client().post(
        "/sign-in", data={"phone": learner_phone, "pin": TEST_PIN}).status_code == 429


def test_parallel_wrong_pins_from_one_address_are_checked_at_most_the_limit(
    parallel_app, monkeypatch, learner_phone
):
    app = parallel_app
    app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] = 4
    forms = [{"phone": f"09111111{number:02d}", "pin": "9999"} for number in range(PARALLEL)]
    held, statuses = fire_in_parallel(app, monkeypatch, forms)
    assert held.checked == 4
    assert statuses.count(429) == PARALLEL - 4


def test_a_right_pin_after_a_few_wrong_ones_still_signs_in(app, client, learner_phone):
    for _ in range(2):
        client.post("/sign-in", data={"phone": learner_phone, "pin": "9999"})
    assert client.post("/sign-in", data={"phone": learner_phone, "pin": TEST_PIN}
                       ).status_code == 302
    for _ in range(4):  # the phone's count started again
        assert client.post("/sign-in", data={"phone": learner_phone, "pin": "9999"}
                           ).status_code == 200


def test_on_postgresql_an_attempt_waits_while_another_counts_the_same_phone(app, learner_phone):
    """The parallel tests above cannot reach inside the one statement that counts and writes;
    on PostgreSQL what keeps two attempts from both counting "under the limit" is the key's
    lock, taken before that statement in the same transaction."""
    policy = throttle.ThrottlePolicy(window=timedelta(minutes=15), max_per_phone=5,
                                     max_per_address=30)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite lets one writer in at a time; PostgreSQL needs the lock")
        done = threading.Event()

        def attempt() -> None:
            with app.app_context():
                throttle.begin_attempt(policy, learner_phone, None)
            done.set()

        with db.engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_xact_lock(:id)"),
                           {"id": throttle.lock_id(f"phone:{learner_phone}")})
            waiting = threading.Thread(target=attempt)
            waiting.start()
            assert not done.wait(1), "the attempt counted while another held the phone's lock"
            holder.rollback()
        assert done.wait(60)
        waiting.join()
