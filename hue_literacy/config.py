"""Configuration: defaults here, overridden by instance/config.py, then by HUE_* variables."""
from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Production defaults: secure cookies, SQLite in the instance folder unless DATABASE_URL."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    CONTENT_DIR = str(PROJECT_ROOT / "content")
    STATIC_DIR = str(PROJECT_ROOT / "static")
    # Uploaded narration recordings (checked, hashed); approved ones are exported into the
    # content folder by `flask content narration export`. Default: instance/narration.
    NARRATION_DIR: str | None = None
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "hue_session"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=180)
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # no time limits: a learner may take an hour on a form

    # Sign-in throttling: failures allowed inside the window, per phone number and per address.
    SIGNIN_WINDOW = timedelta(minutes=15)
    SIGNIN_MAX_FAILURES_PER_PHONE = 5
    SIGNIN_MAX_FAILURES_PER_ADDRESS = 30
    # A learner's PIN has only 10,000 to 1,000,000 values: whoever holds the database finds it
    # with any hash that a ward PC can afford (scrypt at 16 MB: about 17 CPU hours for a
    # 6-digit PIN and 10 minutes for a 4-digit one; PBKDF2 at 20,000 rounds: 2.4 hours and
    # 85 s), so no hash protects a PIN whose database leaked: the database and its backups
    # must be kept safe. What stops guessing is the limits above (5 tries per 15 minutes per
    # phone is weeks for a 4-digit PIN). So PINs get PBKDF2-SHA256 at 5,000 rounds: about 2 ms
    # and no memory of its own (a salt each, so every PIN must be searched for alone). 20,000
    # rounds were 8.5 ms, two fifths of a sign-in's CPU, and scrypt took 60 ms and 16 MB a
    # check; 30 learners sign in at once on a ward PC (bench/class_day.py). PINs hashed with
    # an earlier method still verify and are hashed again with this one at the next sign-in.
    # Staff passwords keep werkzeug's full scrypt (PASSWORD_HASH_METHOD unset).
    PIN_HASH_METHOD = "pbkdf2:sha256:5000"  # noqa: S105 - a method name, not a secret
    # Behind a reverse proxy set HUE_TRUSTED_PROXIES=1 so the client's address is used.
    TRUSTED_PROXIES = 0
    # Public address printed in certificate QR codes (e.g. https://hocso.hue.gov.vn); without it
    # the address the official used (maybe the ward office's LAN) is printed.
    CERTIFICATE_BASE_URL: str | None = None
    # Processes that lay out a big batch of certificate PDFs at once (0: one per core).
    CERTIFICATE_PDF_PROCESSES = 0
    # Folder of the Ed25519 keys that sign certificates (certificates/keys.py); default
    # instance/keys. Several servers of one city share it (or a copy of it).
    CERTIFICATE_KEYS_DIR: str | None = None
    # Largest request body read, with or without Content-Length (chunked bodies are cut off
    # at this size too); no page takes uploads, forms are a few kilobytes.
    MAX_CONTENT_LENGTH = 1024 * 1024
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(hours=12)
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 512
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/javascript", "application/javascript",
        "application/json", "application/manifest+json", "image/svg+xml", "text/plain",
    ]


class TestConfig(Config):
    """Test runs: fast hashing, no HTTPS, database from TEST_DATABASE_URL or a temp SQLite."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - only for tests
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method name, not a secret
    PIN_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method name, not a secret
    # Each test run records into its own folder, never into instance/.
    NARRATION_DIR = str(Path(tempfile.gettempdir()) / f"hue-narration-test-{os.getpid()}")


def load_config(app, config: dict | None) -> None:
    """Layer the configuration: class defaults, instance/config.py, HUE_* env, then `config`."""
    app.config.from_object(Config)
    if config and config.get("TESTING"):
        app.config.from_object(TestConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HUE")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if config:
        app.config.update(config)

    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        uri = "sqlite:///" + str(Path(app.instance_path) / "hue_literacy.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if not app.config.get("CERTIFICATE_KEYS_DIR"):
        app.config["CERTIFICATE_KEYS_DIR"] = str(Path(app.instance_path) / "keys")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
        app.config["SECRET_KEY_FROM_INSTANCE"] = True


def production_warnings(config) -> list[str]:
    """What a production start should not go without, said plainly (empty when testing)."""
    if config.get("TESTING") or config.get("DEBUG"):
        return []
    warnings = []
    if config.get("SECRET_KEY_FROM_INSTANCE"):
        warnings.append(
            "HUE_SECRET_KEY is not set: the key in instance/secret_key is used. Several servers "
            "(or a new install) need the same HUE_SECRET_KEY, or sessions and sign-in cards "
            "stop working.")
    if not config.get("CERTIFICATE_BASE_URL"):
        warnings.append(
            "HUE_CERTIFICATE_BASE_URL is not set: printed certificates will carry the address "
            "the official used (maybe http://192.168.x.x), which nobody can check from outside. "
            "Set it to the public https address, e.g. https://hocso.hue.gov.vn.")
    keys_dir = config.get("CERTIFICATE_KEYS_DIR")
    if keys_dir and not (Path(keys_dir) / "current").is_file():
        warnings.append(
            f"No certificate signing key in {config['CERTIFICATE_KEYS_DIR']}: certificates "
            "cannot be printed. Run `flask certificates keys generate` once.")
    return warnings


def normalise_database_url(uri: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// URLs as most hosts hand them out."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix):]
    return uri


def _instance_secret_key(instance: Path) -> str:
    """Keep one random key per installation so sessions and sign-in cards survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
