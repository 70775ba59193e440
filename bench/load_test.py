"""Whole-server load test: 200 phones sign in, open lessons and sync batches for 60 seconds.

Locust (headless, bench/locustfile.py) drives gunicorn (preloaded, gunicorn.conf.py's workers
and threads) on 127.0.0.1 over PostgreSQL, in the bench's own database on the benches' own
server. Bounded: users, seconds and a request limit. Prints requests/s, p50 and p95 per route
and the error count (goal: p95 <= 200 ms on every route, no errors), then checks the database:
every event answered "stored" is there exactly once, and every batch sent again was answered
"duplicate".
Run: .venv/bin/python bench/load_test.py [--users 200] [--seconds 60] [--max-requests 30000]
[--workers N --threads N]
(needs the bench extra: pip install -e '.[bench]').
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml
from _server import ROOT, database_urls, deployed_settings, gunicorn, reset_database, result
from memory import server_cpu_seconds

PG_DATABASE = "hue_bench_load"
PIN = "2580"
GOAL_MS = 200
# lesson, and the step whose answers the phones sync
LESSONS = [("qr-ward-notice", "open-camera"), ("pay-read-vietqr", "tap-name"),
           ("gov-hues-lookup", "my-reports")]


def seed(app, users: int) -> list[str]:
    """`users` learners in Phú Xuân with the same PIN (hashed once, as the app hashes PINs)."""
    from hue_literacy.accounts.models import User
    from hue_literacy.accounts.services import hash_secret
    from hue_literacy.config import Config
    from hue_literacy.extensions import db
    from hue_literacy.wards.services import ward_by_code

    secret = hash_secret(PIN, Config.PIN_HASH_METHOD)
    phones = [f"09{number:08d}" for number in range(users)]
    with app.app_context():
        ward = ward_by_code("PHUXUAN")
        db.session.add_all([User(role="learner", full_name=f"Điện thoại {number}", phone=phone,
                                 secret_hash=secret, ward=ward, group="elderly",
                                 consent_at=datetime.now(UTC))
                            for number, phone in enumerate(phones)])
        db.session.commit()
        db.engine.dispose()
    return phones


def lessons_setting() -> str:
    """HUE_LOAD_LESSONS: lesson, its current version and a step, from the content files."""
    triples = []
    for lesson, step in LESSONS:
        text = (ROOT / "content" / "vi" / f"{lesson}.yaml").read_text(encoding="utf-8")
        version = yaml.safe_load(text)["version"]
        triples.append(f"{lesson},{version},{step}")
    return ";".join(triples)


def stored_event_ids(app) -> tuple[int, set[str]]:
    from sqlalchemy import func, select

    from hue_literacy.extensions import db
    from hue_literacy.sync.models import ProgressEvent

    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(ProgressEvent))
        ids = set(db.session.scalars(select(ProgressEvent.event_id)))
        db.engine.dispose()
    return rows, ids


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children (Locust, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_pid(url: str) -> int | None:
    """The benches' PostgreSQL server's main process (its backends are its children)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        folder = conn.scalar(text("SHOW data_directory"))
    engine.dispose()
    try:
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def print_phases(times_file: Path, starting_s: float) -> None:
    """p95 while the phones were starting (each signs in first) and once all had started."""

    rows = [line.split(" ", 2) for line in times_file.read_text().splitlines()]
    if not rows:
        return
    first = min(float(start) for start, _ms, _name in rows)
    for phase, inside in ((f"while phones started (first {starting_s:.0f} s)", True),
                          ("once all had started", False)):
        ms = [float(ms) for start, ms, _name in rows
              if (float(start) - first < starting_s) == inside]
        if len(ms) > 1:
            print(f"  {phase}: {len(ms)} requests, p50 {statistics.median(ms):.0f} ms, "
                  f"p95 {statistics.quantiles(ms, n=20)[-1]:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=30_000)
    parser.add_argument("--spawn-rate", type=float, default=None,
                        help="phones starting each second (default: all within 10 s)")
    workers, threads = deployed_settings()
    # Not more threads than the deployed server: a worker runs Python on one core at a time,
    # and with 8 threads (this bench's setting until December 2026) the sign-ins' threads
    # queued longer for that core after each database answer (p95 of a sign-in 350-390 ms
    # against 220-290 ms with 4, in alternating 20-second runs).
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--threads", type=int, default=threads)
    args = parser.parse_args()

    url = database_urls(PG_DATABASE, "postgresql")["postgresql"]
    app = reset_database(url)
    folder = Path(tempfile.mkdtemp(prefix="hue-bench-load-"))
    (folder / "phones.txt").write_text("\n".join(seed(app, args.users)))
    env = dict(os.environ, HUE_LOAD_PHONES=str(folder / "phones.txt"), HUE_LOAD_PIN=PIN,
               HUE_LOAD_LESSONS=lessons_setting(), HUE_LOAD_SENT=str(folder / "sent.jsonl"),
               HUE_LOAD_TIMES=str(folder / "times.txt"),
               HUE_LOAD_MAX_REQUESTS=str(args.max_requests))
    locust = str(Path(sys.executable).parent / "locust")
    pids: list[int] = []
    with gunicorn(url, workers=args.workers, threads=args.threads, on_start=pids.append,
                  log=folder / "gunicorn.log") as base:
        assert base.startswith("http://127.0.0.1:"), base  # loopback only
        cpu_before = server_cpu_seconds(pids[0])
        postgres = postgres_pid(url)
        postgres_before = server_cpu_seconds(postgres) if postgres else 0.0
        locust_before = children_cpu_seconds()
        spawn_rate = args.spawn_rate or max(1, args.users // 10)
        with open(folder / "locust.log", "w", encoding="utf-8") as log:
            subprocess.run(  # noqa: S603
                [locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "--users", str(args.users), "--spawn-rate", str(spawn_rate),
                 "--run-time", f"{args.seconds}s", "--stop-timeout", "30", "--host", base,
                 "--csv", str(folder / "load"), "--only-summary", "--loglevel", "WARNING",
                 "--exit-code-on-error", "0"],
                cwd=ROOT, env=env, check=True, timeout=args.seconds + 600, stdout=log,
                stderr=subprocess.STDOUT)
        server_cpu = server_cpu_seconds(pids[0]) - cpu_before
        postgres_cpu = server_cpu_seconds(postgres) - postgres_before if postgres else 0.0
        locust_cpu = children_cpu_seconds() - locust_before
    with open(folder / "load_stats.csv", newline="", encoding="utf-8") as stats_file:
        stats = list(csv.DictReader(stats_file))
    routes = [row for row in stats if row["Name"] != "Aggregated"]
    total = next(row for row in stats if row["Name"] == "Aggregated")
    width = max(len(row["Name"]) for row in stats)
    print(f"{args.users} phones, {args.seconds} s, gunicorn {args.workers} workers x "
          f"{args.threads} threads, PostgreSQL")
    print(f"{'route':<{width}} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'errors':>6}")
    for row in [*routes, total]:
        print(f"{row['Name']:<{width}} {row['Request Count']:>9} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} "
              f"{row['Failure Count']:>6}")
    print_phases(folder / "times.txt", args.users / spawn_rate)
    errors = int(total["Failure Count"])
    requests = int(total["Request Count"])
    print(f"server CPU {server_cpu:.1f} s for {requests} requests "
          f"({server_cpu / max(requests, 1) * 1000:.1f} ms a request); Locust's log: "
          f"{folder / 'locust.log'}")
    worst = max(routes, key=lambda row: float(row["95%"]))
    timeouts = (folder / "gunicorn.log").read_text().count("WORKER TIMEOUT")
    print(f"gunicorn: {timeouts} workers killed for answering nothing in 30 s (its log: "
          f"{folder / 'gunicorn.log'})")

    sent = [json.loads(line) for line in (folder / "sent.jsonl").read_text().splitlines()]
    batches = [batch for batch in sent if batch.get("answered")]
    every_id = {event_id for batch in sent for event_id in batch["ids"]}
    answered_ids = {event_id for batch in batches for event_id in batch["ids"]}
    first = [batch for batch in batches if not batch["again"]]
    resent = [batch for batch in batches if batch["again"] and not batch["after_no_answer"]]
    rows, in_database = stored_event_ids(app)
    stored = sum(batch["stored"] for batch in batches)
    refused = sum(batch["refused"] for batch in batches)
    unanswered = sum(1 for batch in sent if batch.get("sending")) - len(batches)
    # Once: no row twice, every answered event stored, nothing stored that no phone sent, no
    # event answered "stored" twice, and a batch sent again after its answer answered duplicate.
    once = (rows == len(in_database) and answered_ids <= in_database <= every_id
            and stored <= len(answered_ids) and refused == 0
            and all(batch["duplicates"] == len(batch["ids"]) for batch in resent))
    print(f"events: {sum(len(batch['ids']) for batch in first)} sent in {len(first)} new "
          f"batches, {stored} answered stored, {refused} refused, rows {rows}; {len(resent)} "
          f"batches sent again, all answered duplicate: "
          f"{all(batch['duplicates'] == len(batch['ids']) for batch in resent)}; "
          f"{unanswered} sends got no answer (in flight when the run stopped, or sent again)")
    # At the phones' own pace (a request every 2 s on average, locustfile's wait_time), the
    # server's CPU a request says how many cores it needs, whatever else the machine runs.
    cpu_ms = server_cpu / max(requests, 1) * 1000
    cores_needed = args.users / 2 * cpu_ms / 1000
    print(f"at the phones' pace ({args.users / 2:.0f} requests/s) the server needs "
          f"{cores_needed:.1f} cores at {cpu_ms:.1f} ms CPU a request; this machine has "
          f"{os.cpu_count()} (Locust and PostgreSQL share them)")
    print(f"CPU meanwhile: server {server_cpu:.1f} s, PostgreSQL {postgres_cpu:.1f} s, "
          f"Locust {locust_cpu:.1f} s, over {args.seconds} s on {os.cpu_count()} cores")
    result(f"load test: {args.users} phones for {args.seconds} s (gunicorn, PostgreSQL)",
           f"p95 <= {GOAL_MS} ms every route, 0 errors",
           f"worst p95 {worst['95%']} ms ({worst['Name']}), {errors} errors",
           float(worst["95%"]) <= GOAL_MS and errors == 0,
           f"{cpu_ms:.1f} ms server a request",
           f"{float(total['Requests/s']):.0f} requests/s, p50 {total['50%']} ms, "
           f"p95 {total['95%']} ms overall; the phones' pace needs {cores_needed:.1f} cores "
           f"of server CPU alone, the machine has {os.cpu_count()}")
    result("load test: every event stored once", "no loss, no double",
           f"{rows} rows for {len(every_id)} events sent", once, "",
           f"{unanswered} sends without an answer, sent again")


if __name__ == "__main__":
    main()
