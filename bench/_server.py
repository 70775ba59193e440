"""Shared by the benchmarks: a real gunicorn server on loopback over a throw-away database."""
from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import runpy
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
BENCH_PG_PORT = os.environ.get("HUE_BENCH_PG_PORT", "54340")  # never the tests' 54329
RESULT_MARK = "BENCH-RESULT "


def result(figure: str, goal: str, measured: str, ok: bool | None, cpu: str = "",
           note: str = "") -> None:
    """One line bench/run_all.py collects into its table (and a reader can see alone)."""
    print(RESULT_MARK + json.dumps({"figure": figure, "goal": goal, "measured": measured,
                                    "cpu": cpu, "ok": ok, "note": note}, ensure_ascii=False),
          flush=True)


def bench_pg_env() -> dict[str, str]:
    """Environment for scripts/test-postgres.sh to run the benches' server, not the tests',
    on a folder kept between runs (its databases stay: bench/city.py's takes minutes)."""
    env = dict(os.environ, HUE_TEST_PG_PORT=BENCH_PG_PORT, HUE_PG_KEEP_DATA="1")
    env.pop("HUE_TEST_PG_DATA", None)  # the script's own folder for that port
    return env


def bench_postgres_url() -> str:
    """The benches' own PostgreSQL server (BENCH_POSTGRES_URL, else started on
    HUE_BENCH_PG_PORT with scripts/test-postgres.sh): its URL, any database name."""
    if os.environ.get("BENCH_POSTGRES_URL"):
        return os.environ["BENCH_POSTGRES_URL"]
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "test-postgres.sh"), "start"],
        check=True, capture_output=True, text=True, timeout=120, env=bench_pg_env(),
    ).stdout.strip().splitlines()[-1]


def database_urls(pg_database: str, only: str | None = None) -> dict[str, str]:
    """SQLite in a temporary folder, and PostgreSQL in the bench's own database `pg_database`
    on the benches' own server (bench_postgres_url()); `only` picks one."""
    urls = {"sqlite": "sqlite:///" + tempfile.mkdtemp(prefix="hue-bench-") + "/bench.sqlite"}
    if only != "sqlite":
        base = bench_postgres_url().rpartition("/")[0]
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


def as_served(app) -> None:
    """Put the bench's process in the state gunicorn's master leaves a worker in
    (gunicorn.conf.py `when_ready`): the app warmed, then everything made so far frozen out
    of the garbage collector's reach. Unfrozen, the app's content and the bench's seeding
    left the collector a heap it walked whole every few requests: the class view took 45 ms,
    and 105-125 ms on every sixth request (gen-2 collections of 77-93 ms, gc.callbacks)."""
    import gc

    from hue_literacy.warm import warm_up

    warm_up(app)
    gc.collect()
    gc.freeze()


def signed_in_client(app, user_id: int):
    """A test client with `user_id` signed in (the session holds id and session token)."""
    from hue_literacy.accounts.models import User
    from hue_literacy.extensions import db

    with app.app_context():
        session_id = db.session.get(User, user_id).get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


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


def report_pages(title: str, results: dict[str, dict[str, tuple[float, float]]],
                 goal_ms: float, cpu_ms: dict[str, float] | None = None,
                 labels: list[str] | None = None) -> None:
    """A result line per page and database: the median against the goal, p95 and CPU noted.

    `cpu_ms` is {"database: page": median CPU ms}; the verdict reads the median wall time,
    or the CPU time when the wall time is over only because the machine is shared."""
    for name, figures in results.items():
        for label, (median, high) in figures.items():
            if labels is not None and label not in labels:
                continue
            cpu = (cpu_ms or {}).get(f"{name}: {label}")
            ok = median <= goal_ms or (cpu is not None and cpu <= goal_ms)
            note = "" if median <= goal_ms or not ok else "wall over, CPU within: machine loaded"
            result(f"{title}: {label} ({name})", f"<= {goal_ms:.0f} ms",
                   f"{median:.0f} ms (p95 {high:.0f})", ok,
                   "" if cpu is None else f"{cpu:.0f} ms", note)


def deployed_settings() -> tuple[int, int]:
    """Workers and threads as `make run` and the city's server run them (gunicorn.conf.py)."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return settings["workers"], settings["threads"]


@contextlib.contextmanager
def gunicorn(url: str, workers: int | None = None, threads: int | None = None, on_start=None,
             log: Path | None = None):
    """A gunicorn server on loopback over `url`, with the deployed workers and threads unless
    told otherwise (gunicorn.conf.py); `on_start(pid)` is called once it answers; its own
    messages (worker timeouts, restarts) go to `log` if given."""
    deployed_workers, deployed_threads = deployed_settings()
    workers, threads = workers or deployed_workers, threads or deployed_threads
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, HUE_SECRET_KEY="bench",
               HUE_SESSION_COOKIE_SECURE="false", HUE_REMEMBER_COOKIE_SECURE="false",
               HUE_SIGNIN_MAX_FAILURES_PER_ADDRESS="100000")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--threads",
         str(threads), "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=log.open("w") if log else subprocess.DEVNULL,  # noqa: SIM115 - the server's
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine may take a minute to start it
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/session", timeout=30)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start on {base}") from None
                time.sleep(0.2)
        if on_start:
            on_start(process.pid)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)  # a loaded machine can take a while to stop workers
        except subprocess.TimeoutExpired:
            process.kill()
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
