"""Sync throughput: 40 phones send 100 events each at the same moment, on SQLite and PostgreSQL.

Prints events stored per second (wall time from the first request to the last answer) and
checks that every event was stored exactly once. Run: .venv/bin/python bench/sync_throughput.py
"""
from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime

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


def batch_body(step_id: str) -> bytes:
    now = datetime.now(UTC).isoformat()
    events = [
        {"id": str(uuid.uuid4()), "type": "step_answered", "lesson_id": "qr-ward-notice",
         "lesson_version": 1, "step_id": step_id, "correct": index % 3 != 0,
         "hint_used": False, "answer": {"choice": "a"}, "occurred_at": now}
        for index in range(EVENTS_PER_PHONE)
    ]
    return json.dumps({"events": events}).encode()


def run(name: str, url: str) -> tuple[float, bool]:
    """One run on a fresh database: events stored a second, and whether each was stored once."""
    from sqlalchemy import func, select

    from hue_literacy.extensions import db
    from hue_literacy.sync.models import ProgressEvent

    app = reset_database(url)
    numbers = make_learners(app)
    with gunicorn(url) as base:
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
        start_line.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        # the same batches again: nothing new may be stored
        duplicates = sum(json.loads(p.post_json("/api/v1/events", b))["duplicates"]
                         for p, b in zip(phones, bodies, strict=True))
    stored = sum(answer["stored"] for answer in answers)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(ProgressEvent))
        db.engine.dispose()
    total = PHONES * EVENTS_PER_PHONE
    print(f"{name:<11} {PHONES} phones x {EVENTS_PER_PHONE} events: {seconds:6.2f} s, "
          f"{stored / seconds:7.0f} events/s; stored {stored}/{total}, rows {rows}, "
          f"resent duplicates {duplicates}/{total}")
    return stored / seconds, stored == total == rows and duplicates == total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per database (median)")
    parser.add_argument("database", nargs="?", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    for database, url in database_urls(PG_DATABASE, args.database).items():
        runs = [run(database, url) for _ in range(args.runs)]
        rate = statistics.median(rate for rate, _exact in runs)
        exact = all(exact for _rate, exact in runs)
        result(f"sync, {PHONES} phones x {EVENTS_PER_PHONE} events ({database})",
               ">= 4,000 events/s, each stored once",
               f"{rate:,.0f} events/s" + ("" if exact else ", events lost or doubled"),
               rate >= GOAL and exact, note=f"median of {len(runs)} runs")


if __name__ == "__main__":
    main()
