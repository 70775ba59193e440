"""Fixtures: an app per test on SQLite (default) or PostgreSQL (TEST_DATABASE_URL)."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from hue_literacy import create_app
from hue_literacy.certificates.keys import generate_key
from hue_literacy.extensions import db
from hue_literacy.wards.services import seed_wards

_KEYS_DIR: str | None = None


@pytest.fixture(scope="session", autouse=True)
def certificate_keys(tmp_path_factory):
    """One Ed25519 signing key for the session, in a temp folder (never instance/keys)."""
    global _KEYS_DIR
    folder = tmp_path_factory.mktemp("keys")
    generate_key(folder)
    _KEYS_DIR = str(folder)
    return folder

# A loaded 2-core CI machine is slow: time is no property of these tests, so neither a deadline
# nor the "generating data is too slow" health check may fail them.
settings.register_profile("loaded-machine", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("loaded-machine")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def make_app(database_url: str, **overrides):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
              "CERTIFICATE_KEYS_DIR": _KEYS_DIR}
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create every table once per test session."""
    app = make_app(database_url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
        db.engine.dispose()
    return True


def empty_all_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="session")
def _shared_app(_schema, database_url):
    """One app for every test that takes it as configured: building one costs about 0.1 s
    (blueprints, URL rules compiled) and each database's suite has about a thousand tests."""
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()  # its pooled connections closed before the session ends


@pytest.fixture
def app_config() -> dict:
    """Config the `app` fixture gives the factory: a test module overrides it (its own content
    tree, upload folder...) and keeps the app, client, runner and auth fixtures."""
    return {}


@pytest.fixture
def app(_schema, _shared_app, database_url, app_config):
    """The shared app (or, for a module with its own `app_config`, an app of its own) over
    empty tables, the wards seeded; what a test changes on the shared app (config, extensions,
    a wrapped WSGI app) is put back afterwards."""
    if app_config:
        yield from _over_empty_tables(make_app(database_url, **app_config))
        return
    app = _shared_app
    config, extensions, wsgi_app = dict(app.config), dict(app.extensions), app.wsgi_app
    yield from _over_empty_tables(app, dispose=False)
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)
    app.wsgi_app = wsgi_app


@pytest.fixture
def fresh_app(_schema, database_url):
    """An app of its own, for a test that adds routes (Flask refuses them once an app has
    answered a request)."""
    yield from _over_empty_tables(make_app(database_url))


def _over_empty_tables(app, dispose: bool = True):
    """Empty tables with the wards seeded for the test; empty again afterwards."""
    with app.app_context():
        empty_all_tables()
        seed_wards()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        if dispose:
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app and request context, for calling services directly."""
    with app.test_request_context():
        yield app


class AuthActions:
    def __init__(self, client) -> None:
        self._client = client

    def sign_in(self, phone: str, pin: str, follow: bool = False):
        return self._client.post(
            "/sign-in", data={"phone": phone, "pin": pin}, follow_redirects=follow
        )

    def staff_sign_in(self, phone: str, password: str, follow: bool = False):
        return self._client.post(
            "/staff/sign-in", data={"phone": phone, "password": password},
            follow_redirects=follow,
        )

    def as_user(self, user) -> None:
        """Sign in without the form (for tests about what comes after signing in)."""
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True


@pytest.fixture
def auth(client):
    return AuthActions(client)
