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


TEST_DATABASE = "hue_test"  # the test suite's: benchmarks never touch it


def database_urls(pg_database: str, only: str | None = None) -> dict[str, str]:
    """SQLite in a temporary folder, and PostgreSQL in the bench's own database `pg_database`
    on the test server (BENCH_POSTGRES_URL or scripts/test-postgres.sh); `only` picks one."""
    urls = {"sqlite": "sqlite:///" + tempfile.mkdtemp(prefix="hue-bench-") + "/bench.sqlite"}
    if only != "sqlite":
        server = os.environ.get("BENCH_POSTGRES_URL") or subprocess.run(
            ["bash", str(ROOT / "scripts" / "test-postgres.sh"), "start"],
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout.strip().splitlines()[-1]
        base = server.rpartition("/")[0]
        create_pg_database(f"{base}/postgres", pg_database)
        urls["postgresql"] = f"{base}/{pg_database}"
    return {key: url for key, url in urls.items() if only in (None, key)}


def create_pg_database(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                             {"name": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def make_app(url: str):
    from hue_literacy import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "SESSION_COOKIE_SECURE": False})


def reset_schema(app) -> None:
    """Empty the bench's database and create every table through the app's own models."""
    from sqlalchemy import text

    from hue_literacy.extensions import db
    from hue_literacy.wards.services import seed_wards

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.engine.url.database != TEST_DATABASE, "benchmarks never reset hue_test"
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
        seed_wards()
        db.session.commit()
        db.engine.dispose()


def reset_database(url: str):
    """A fresh app on an empty schema at `url`."""
    app = make_app(url)
    reset_schema(app)
    return app


def print_timings(title: str, results: dict[str, dict[str, tuple[float, float]]],
                  goal_ms: float | None = None) -> None:
    """One row per page, a median and p95 column pair per database (ms)."""
    print(f"\n{title}")
    labels = list(next(iter(results.values())))
    width = max(len(label) for label in labels) + 2
    print(f"{'page':<{width}}" + "".join(f"{name + ' median':>18}{'p95':>8}" for name in results))
    for label in labels:
        row = f"{label:<{width}}"
        for figures in results.values():
            median, high = figures[label]
            row += f"{median:18.1f}{high:8.1f}"
        print(row)
    if goal_ms is not None:
        worst = max(high for figures in results.values() for _median, high in figures.values())
        print(f"worst p95: {worst:.1f} ms: {'OK' if worst < goal_ms else 'TOO SLOW'}")


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
