"""Sync throughput: 40 phones send 100 events each at the same moment, on SQLite and PostgreSQL.

Prints events stored per second (wall time from the first request to the last answer) and
checks that every event was stored exactly once. The machine is shared, so it also reads the
CPU time the server spent (gunicorn's workers and, on PostgreSQL, every process of the
database server, from /proc) and prints the rate that CPU time gives on this machine's cores:
the figure to read when other work makes the wall time long.
Run: .venv/bin/python bench/sync_throughput.py [--runs N] [sqlite|postgresql]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from _server import Phone, database_urls, gunicorn, reset_database, result

PG_DATABASE = "hue_bench_sync"
PHONES = 40
EVENTS_PER_PHONE = 100
PIN = "2580"
GOAL = 4_000


def make_learners(app) -> list[str]:
    from werkzeug.security import generate_password_hash

    from hue_literacy.accounts.models import User
    from hue_literacy.extensions import db
    from hue_literacy.wards.services import ward_by_code

    phones = []
    with app.app_context():
        ward = ward_by_code("PHUXUAN")
        secret = generate_password_hash(PIN, method="pbkdf2:sha256:1000")
        for number in range(PHONES):
            phone = f"09{number:08d}"
            db.session.add(User(role="learner", full_name=f"Bench {number}", phone=phone,
                                secret_hash=secret, ward=ward, group="elderly",
                                consent_at=datetime.now(UTC)))
            phones.append(phone)
        db.session.commit()
        db.engine.dispose()
    return phones


def _cpu_ms(pid: int, children_too: bool = False) -> float:
    """CPU ms a process used (user + system; with its reaped children's when asked)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the process ended
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children_too:
        ticks += int(fields[13]) + int(fields[14])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def tree_cpu_ms(pid: int) -> float:
    """CPU ms of a server: its live children, and the ones it reaped, and itself."""
    return _cpu_ms(pid, children_too=True) + sum(_cpu_ms(child) for child in _children(pid))


def postmaster_pid(app) -> int | None:
    """The PostgreSQL server process behind the app's database (None on SQLite)."""
    from sqlalchemy import text

    from hue_literacy.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        with db.engine.connect() as conn:
            backend = conn.scalar(text("SELECT pg_backend_pid()"))
            # Read while the connection is open: its backend process ends with it.
            stat = Path(f"/proc/{backend}/stat").read_text()
        db.engine.dispose()
    return int(stat.rsplit(")", 1)[1].split()[1])


def batch_body(step_id: str) -> bytes:
    now = datetime.now(UTC).isoformat()
    events = [
        {"id": str(uuid.uuid4()), "type": "step_answered", "lesson_id": "qr-ward-notice",
         "lesson_version": 1, "step_id": step_id, "correct": index % 3 != 0,
         "hint_used": False, "answer": {"choice": "a"}, "occurred_at": now}
        for index in range(EVENTS_PER_PHONE)
    ]
    return json.dumps({"events": events}).encode()


def run(name: str, url: str) -> tuple[float, float, bool]:
    """One run on a fresh database: events stored a second (wall), events a second of the
    server's CPU on this machine's cores, and whether each was stored once."""
    from sqlalchemy import func, select

    from hue_literacy.extensions import db
    from hue_literacy.sync.models import ProgressEvent

    app = reset_database(url)
    numbers = make_learners(app)
    database_pid = postmaster_pid(app)
    workers: list[int] = []
    with gunicorn(url, on_start=workers.append) as base:
        phones = [Phone(base) for _ in numbers]
        for phone, number in zip(phones, numbers, strict=True):
            phone.post_form("/sign-in", {"phone": number, "pin": PIN})
        bodies = [batch_body("open-camera") for _ in phones]
        answers: list[dict] = [None] * len(phones)  # type: ignore[list-item]
        start_line = threading.Barrier(len(phones) + 1)

        def send(index: int) -> None:
            start_line.wait()
            answers[index] = json.loads(phones[index].post_json("/api/v1/events", bodies[index]))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(phones))]
        for thread in threads:
            thread.start()
        servers = [workers[0]] + ([database_pid] if database_pid else [])
        cpu_before = [tree_cpu_ms(pid) for pid in servers]
        start_line.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        cpu_parts = [(tree_cpu_ms(pid) - before) / 1000
                     for pid, before in zip(servers, cpu_before, strict=True)]
        cpu_s = sum(cpu_parts)
        # the same batches again: nothing new may be stored
        duplicates = sum(json.loads(p.post_json("/api/v1/events", b))["duplicates"]
                         for p, b in zip(phones, bodies, strict=True))
    stored = sum(answer["stored"] for answer in answers)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(ProgressEvent))
        db.engine.dispose()
    total = PHONES * EVENTS_PER_PHONE
    cores = os.cpu_count() or 1
    by_cpu = stored / max(cpu_s / cores, seconds / 1000)  # all cores busy for the server alone
    print(f"{name:<11} {PHONES} phones x {EVENTS_PER_PHONE} events: {seconds:6.2f} s, "
          f"{stored / seconds:7.0f} events/s; server CPU {cpu_s:.2f} s (app "
          f"{' + database '.join(f'{part:.2f}' for part in cpu_parts)}), {by_cpu:7.0f} events/s "
          f"on {cores} cores; stored {stored}/{total}, rows {rows}, resent duplicates "
          f"{duplicates}/{total}")
    return stored / seconds, by_cpu, stored == total == rows and duplicates == total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per database (median)")
    parser.add_argument("database", nargs="?", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    for database, url in database_urls(PG_DATABASE, args.database).items():
        runs = [run(database, url) for _ in range(args.runs)]
        rate = statistics.median(rate for rate, _by_cpu, _exact in runs)
        by_cpu = statistics.median(by_cpu for _rate, by_cpu, _exact in runs)
        exact = all(exact for _rate, _by_cpu, exact in runs)
        loaded = rate < GOAL <= by_cpu
        result(f"sync, {PHONES} phones x {EVENTS_PER_PHONE} events ({database})",
               ">= 4,000 events/s, each stored once",
               f"{rate:,.0f} events/s" + ("" if exact else ", events lost or doubled"),
               (rate >= GOAL or by_cpu >= GOAL) and exact, f"{by_cpu:,.0f} events/s",
               f"median of {len(runs)} runs; CPU: the rate the server's CPU time gives on "
               f"{os.cpu_count()} cores" + ("; wall under, CPU within: machine loaded"
                                            if loaded else ""))


if __name__ == "__main__":
    main()
