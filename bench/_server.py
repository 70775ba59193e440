"""Shared by the benchmarks: a real gunicorn server on loopback over a throw-away database."""
from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_urls() -> dict[str, str]:
    """SQLite always; PostgreSQL when BENCH_POSTGRES_URL is set or the test server starts."""
    urls = {"sqlite": "sqlite:///" + tempfile.mkdtemp(prefix="hue-bench-") + "/bench.sqlite"}
    pg = os.environ.get("BENCH_POSTGRES_URL")
    if not pg:
        try:
            pg = subprocess.run(
                ["bash", str(ROOT / "scripts" / "test-postgres.sh"), "start"],
                check=True, capture_output=True, text=True, timeout=120,
            ).stdout.strip().splitlines()[-1]
        except (subprocess.SubprocessError, IndexError):
            pg = None
    if pg:
        urls["postgresql"] = pg
    return urls


def reset_database(url: str) -> None:
    """Create an empty schema through the app's own models."""
    from sqlalchemy import text

    from hue_literacy import create_app
    from hue_literacy.extensions import db
    from hue_literacy.wards.services import seed_wards

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
        seed_wards()
        db.session.commit()
        db.engine.dispose()
    return app


@contextlib.contextmanager
def gunicorn(url: str, workers: int = 2, threads: int = 8):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, HUE_SECRET_KEY="bench",
               HUE_SESSION_COOKIE_SECURE="false", HUE_REMEMBER_COOKIE_SECURE="false",
               HUE_SIGNIN_MAX_FAILURES_PER_ADDRESS="100000")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--threads",
         str(threads), "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/session", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class Phone:
    """A browser-like client with its own cookies."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> bytes:
        return self.opener.open(self.base + path, timeout=60).read()

    def post_form(self, path: str, fields: dict) -> int:
        import urllib.parse

        page = self.get(path).decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(dict(fields, csrf_token=token)).encode()
        return self.opener.open(self.base + path, data=data, timeout=60).status

    def post_json(self, path: str, body: bytes) -> bytes:
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, method="POST",
            headers={"Content-Type": "application/json"},
        )
        return self.opener.open(request, timeout=120).read()
