"""Class day on a ward PC: 30 learners sign in and join a class at the same moment.

The server runs with `make run` settings (gunicorn.conf.py: 2 workers x 4 threads, preloaded)
on SQLite; the learners' PINs are hashed as the app hashes new PINs (PIN_HASH_METHOD). Each
learner opens the sign-in page, signs in and joins the class; meanwhile the teacher's live
list (/classes/ID/attendees) is polled. Prints sign-in p95 and max (goal p95 <= 1 s, no
errors), the live list's median and max while it happens (goal <= 300 ms) and the server's
peak memory (PSS summed over master and workers).
Run: .venv/bin/python bench/class_day.py
"""
from __future__ import annotations

import re
import statistics
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime

from _server import Phone, gunicorn, reset_database, result
from memory import memory_mb, server_cpu_seconds

LEARNERS = 30
PIN = "2580"
PASSWORD = "bench-password-long"  # noqa: S105 - a throw-away bench account


def seed(app) -> tuple[list[str], str, str]:
    """The learners' phones, the ambassador's phone and the class's join code."""
    from hue_literacy.accounts.models import User
    from hue_literacy.accounts.services import hash_secret
    from hue_literacy.classes.services import open_class
    from hue_literacy.config import Config
    from hue_literacy.extensions import db
    from hue_literacy.wards.services import ward_by_code

    with app.app_context():
        ward = ward_by_code("PHUXUAN")
        secret = hash_secret(PIN, Config.PIN_HASH_METHOD)
        phones = [f"09{number:08d}" for number in range(LEARNERS)]
        for number, phone in enumerate(phones):
            db.session.add(User(role="learner", full_name=f"Học viên {number}", phone=phone,
                                secret_hash=secret, ward=ward, group="elderly",
                                consent_at=datetime.now(UTC)))
        teacher = User(role="ambassador", full_name="Đại sứ", phone="0800000009",
                       secret_hash=hash_secret(PASSWORD), ward=ward,
                       consent_at=datetime.now(UTC))
        db.session.add(teacher)
        db.session.flush()
        session = open_class(ward.id, "Nhà văn hóa", datetime.now(UTC).date(), teacher)
        db.session.commit()
        code = session.join_code
        db.engine.dispose()
    return phones, "0800000009", code


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    url = "sqlite:///" + tempfile.mkdtemp(prefix="hue-bench-class-") + "/bench.sqlite"
    app = reset_database(url)
    phones, teacher_phone, code = seed(app)
    pids: list[int] = []
    with gunicorn(url, workers=2, threads=4, on_start=pids.append) as base:
        teacher = Phone(base)
        teacher.post_form("/staff/sign-in", {"phone": teacher_phone, "password": PASSWORD})
        class_page = teacher.get(f"/classes/join/{code}")  # staff: redirected to the class
        class_id = re.search(rb"/classes/(\d+)/attendees", class_page).group(1).decode()
        learners = [Phone(base) for _ in phones]
        sign_in_ms: list[float] = []
        errors: list[str] = []
        start = threading.Barrier(LEARNERS + 1)
        done = threading.Event()
        peak = [memory_mb(pids[0])[0]]

        def learner(index: int) -> None:
            start.wait()
            try:
                began = time.perf_counter()
                learners[index].post_form("/sign-in", {"phone": phones[index], "pin": PIN})
                sign_in_ms.append((time.perf_counter() - began) * 1000)
                page = learners[index].get(f"/classes/join/{code}")
                token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
                learners[index].opener.open(
                    f"{base}/classes/join/{code}",
                    data=urllib.parse.urlencode({"csrf_token": token.group(1).decode()}).encode(),
                    timeout=60)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                errors.append(repr(error))

        threads = [threading.Thread(target=learner, args=(i,)) for i in range(LEARNERS)]
        for thread in threads:
            thread.start()
        cpu_before = server_cpu_seconds(pids[0])
        start.wait()
        live_ms: list[float] = []

        def poll() -> None:
            while not done.is_set():
                began = time.perf_counter()
                teacher.get(f"/classes/{class_id}/attendees")
                live_ms.append((time.perf_counter() - began) * 1000)
                peak[0] = max(peak[0], memory_mb(pids[0])[0])

        poller = threading.Thread(target=poll)
        poller.start()
        for thread in threads:
            thread.join()
        done.set()
        poller.join()
        server_cpu = server_cpu_seconds(pids[0]) - cpu_before
        listed = teacher.get(f"/classes/{class_id}/attendees").decode()
    joined = sum(1 for number in range(LEARNERS) if f"Học viên {number}<" in listed)
    print(f"{LEARNERS} learners at once: sign-in median {statistics.median(sign_in_ms):.0f} ms, "
          f"p95 {p95(sign_in_ms):.0f} ms, max {max(sign_in_ms):.0f} ms; errors {len(errors)}; "
          f"on the live list {joined}/{LEARNERS}; live list median "
          f"{statistics.median(live_ms):.0f} ms, max {max(live_ms):.0f} ms "
          f"({len(live_ms)} polls); peak memory {peak[0]:.0f} MB PSS; server CPU "
          f"{server_cpu:.1f} s in all ({server_cpu / LEARNERS * 1000:.0f} ms a learner: sign-in "
          f"page, sign-in, class page, join; the polls)")
    for error in errors[:3]:
        print("  error:", error)
    result("class day: 30 sign in at once, sign-in p95", "<= 1 s, 0 errors",
           f"{p95(sign_in_ms) / 1000:.2f} s, {len(errors)} errors",
           p95(sign_in_ms) <= 1000 and not errors, f"{server_cpu:.1f} s server",
           f"max {max(sign_in_ms) / 1000:.2f} s; {joined}/{LEARNERS} on the live list")
    result("class day: live list meanwhile", "<= 300 ms",
           f"{statistics.median(live_ms):.0f} ms (max {max(live_ms):.0f})",
           statistics.median(live_ms) <= 300, "", f"peak memory {peak[0]:.0f} MB PSS")


if __name__ == "__main__":
    main()
