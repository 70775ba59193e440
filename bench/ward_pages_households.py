"""Ambassador home for a ward of 5,000 households and 20,000 learners, on SQLite and PostgreSQL.

Prints the server time (Flask test client, in process) of /households/ and its searches and
filters: median and p95 over 20 requests each, goal under 100 ms. Every learner of the ward
is a member of a household, has practised lately (10 answers), 1% are stuck on a step; each
household has 3 visits. A second ward holds 1,000 households that must never show. After
seeding, the "member stuck" marks are refreshed as the every-few-minutes command does (its
time is printed too: one stuck_steps query over the ward's 20,000 learners).
bench/ward_pages.py imports `seed()` and `PAGES` from here for the class view bench.

PostgreSQL uses its own database `hue_bench_households` on the server that
`scripts/test-postgres.sh start` prints (the tests' `hue_test` database is never touched).
Run: .venv/bin/python bench/ward_pages_households.py [sqlite|postgresql]
"""
from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _server import (  # noqa: E402
    database_urls,
    print_timings,
    report_pages,
    reset_database,
    signed_in_client,
)

HOUSEHOLDS = 5_000
LEARNERS = 20_000
OTHER_WARD_HOUSEHOLDS = 1_000
ANSWERS_PER_LEARNER = 10
STUCK_SHARE = 0.01
VISITS_PER_HOUSEHOLD = 3
REQUESTS = 20
GOAL_MS = 100
PG_DATABASE = "hue_bench_households"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Thị", "Văn", "Đình", "Ngọc", "Minh", "Hữu", "Thanh", "Quang"]
GIVEN = ["Hạnh", "Lan", "Tư", "Minh", "Mai", "Hoa", "Bình", "Nam", "Dũng", "Thảo", "Phúc", "An"]
STREETS = ["Phan Đình Phùng", "Lê Lợi", "Trần Hưng Đạo", "Chi Lăng", "Nguyễn Trãi",
           "Huỳnh Thúc Kháng", "Đinh Tiên Hoàng", "Mai Thúc Loan", "Bạch Đằng", "Hùng Vương"]
ROLES = ["head", "spouse", "grandparent", "child"]

PAGES = {
    "home": "/households/",
    "page 120": "/households/?page=120",
    "search name": "/households/?q=nguyen+thi+hanh",
    "search phone": "/households/?q=%2B84+900+001+234",
    "search address": "/households/?q=kiet+12+le+loi",
    "needs a visit": "/households/?needs_visit=1",
    "digital family": "/households/?family=yes&learners=yes",
    "household page": None,  # filled in after seeding
}


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def seed(app) -> dict:
    """Fill the database; return the ambassador and one household id."""
    from sqlalchemy import insert, select

    from hue_literacy.accounts.models import User
    from hue_literacy.content.access import release
    from hue_literacy.extensions import db
    from hue_literacy.households.models import Household, HouseholdMember, Visit
    from hue_literacy.households.text import address_key, fold
    from hue_literacy.sync.models import ProgressEvent
    from hue_literacy.wards.services import ward_by_code

    rng = random.Random(5)
    now = datetime.now(UTC)
    today = now.date()
    with app.app_context():
        ward, other = ward_by_code("PHUXUAN"), ward_by_code("THUANHOA")
        secret = "pbkdf2:sha256:1000$bench$" + "0" * 64
        staff = []
        for number, (role, where) in enumerate([("ambassador", ward), ("ambassador", other)]):
            staff.append(User(role=role, full_name=f"Đại sứ {number}", phone=f"07{number:08d}",
                              secret_hash=secret, ward=where, consent_at=now))
        db.session.add_all(staff)
        db.session.flush()
        ambassador, other_ambassador = staff

        learners = [
            {"role": "learner", "full_name": person_name(rng), "phone": f"09{n:08d}",
             "secret_hash": secret, "ward_id": ward.id, "group": "elderly", "consent_at": now,
             "created_at": now, "card_version": 1}
            for n in range(LEARNERS)
        ]
        db.session.execute(insert(User), learners)
        learner_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner").order_by(User.id)))

        households, members, visits = [], [], []
        per_household = LEARNERS // HOUSEHOLDS
        for number in range(HOUSEHOLDS + OTHER_WARD_HOUSEHOLDS):
            in_ward = number < HOUSEHOLDS
            address = (f"{number % 97 + 1} kiệt {number // 97 + 1} "
                       f"{STREETS[number % len(STREETS)]}")
            people = []
            if in_ward:
                for index in range(per_household):
                    learner = number * per_household + index
                    people.append({"full_name": learners[learner]["full_name"],
                                   "role": ROLES[index % len(ROLES)],
                                   "phone": learners[learner]["phone"],
                                   "learner_id": learner_ids[learner]})
            else:
                people.append({"full_name": person_name(rng), "role": "head",
                               "phone": None, "learner_id": None})
            days = sorted(rng.randint(0, 120) for _ in range(VISITS_PER_HOUSEHOLD))
            name = f"Nhà {people[0]['full_name']}"
            texts = [name, address] + [p["full_name"] for p in people] + [
                p["phone"] for p in people if p["phone"]]
            households.append({
                "id": number + 1, "ward_id": ward.id if in_ward else other.id,
                "address": address, "address_key": address_key(address), "name": name,
                "consent_at": now, "consent_by_id": ambassador.id,
                "created_by_id": ambassador.id if in_ward else other_ambassador.id,
                "created_at": now, "updated_at": now,
                "last_visit_on": today - timedelta(days=days[0]),
                "digital_family": rng.random() < 0.1,
                "search_text": " | ".join(fold(t) for t in texts),
            })
            for person in people:
                members.append({**person, "household_id": number + 1,
                                "created_by_id": ambassador.id, "created_at": now})
            for day in days:
                visits.append({"household_id": number + 1,
                               "visited_on": today - timedelta(days=day),
                               "competency_ids": ["QR-1"], "notes": "",
                               "ambassador_id": ambassador.id, "occurred_at": now,
                               "created_at": now})
        db.session.execute(insert(Household), households)
        db.session.execute(insert(HouseholdMember), members)
        db.session.execute(insert(Visit), visits)

        lessons = [(lesson.id, next(s.id for s in lesson.steps if s.practice))
                   for lesson in release().in_lang("vi").values()
                   if any(s.practice for s in lesson.steps)]
        events = []
        for learner_id in learner_ids:
            stuck = rng.random() < STUCK_SHARE
            for index in range(ANSWERS_PER_LEARNER):
                lesson_id, step_id = lessons[(learner_id + index // 3) % len(lessons)]
                events.append({
                    "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "learner_id": learner_id, "kind": "step_answered", "lesson_id": lesson_id,
                    "lesson_version": 1, "step_id": step_id,
                    "correct": not stuck and index % 4 != 1, "hint_used": False,
                    "occurred_at": now - timedelta(days=rng.randint(0, 13),
                                                   minutes=ANSWERS_PER_LEARNER - index),
                    "received_at": now,
                })
            if len(events) >= 50_000:
                db.session.execute(insert(ProgressEvent), events)
                events = []
        if events:
            db.session.execute(insert(ProgressEvent), events)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        # What `flask households refresh --stuck-only` does every few minutes.
        from hue_literacy.households.services import refresh_stuck_marks

        began = time.perf_counter()
        stuck = refresh_stuck_marks(ward.id)
        db.session.commit()
        refresh_ms = (time.perf_counter() - began) * 1000
        db.engine.dispose()
        return {"ambassador_id": ambassador.id, "household_id": 17,
                "stuck_refresh_ms": refresh_ms, "stuck_households": stuck}


CPU_MS: dict[str, float] = {}  # path -> median CPU ms a request (the machine is shared)
CPU_BY_PAGE: dict[str, float] = {}  # "database: page" -> median CPU ms, for report_pages()


def timings(client, path: str, count: int = REQUESTS) -> list[float]:
    """Wall ms of `count` requests (the median CPU ms is kept in CPU_MS[path])."""
    client.get(path)  # warm up caches and templates
    times, cpu = [], []
    for _ in range(count):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    CPU_MS[path] = statistics.median(cpu)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def ambassador_home(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed a ward and time the ambassador home; return {page: (median ms, p95 ms)}."""
    app = reset_database(url)
    began = time.perf_counter()
    made = seed(app)
    print(f"{name}: seeded in {time.perf_counter() - began:.0f} s")
    print(f"{name}: stuck marks of the ward refreshed in {made['stuck_refresh_ms']:.0f} ms "
          f"({made['stuck_households']} households with a stuck learner)")
    pages = dict(PAGES, **{"household page": f"/households/{made['household_id']}"})
    client = signed_in_client(app, made["ambassador_id"])
    figures = {}
    for label, path in pages.items():
        times = timings(client, path)
        figures[label] = (statistics.median(times), p95(times))
        CPU_BY_PAGE[f"{name}: {label}"] = CPU_MS[path]
    with app.app_context():
        from hue_literacy.extensions import db

        db.engine.dispose()
    return figures


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else None
    results = {name: ambassador_home(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Ambassador home, ward of {HOUSEHOLDS:,} households and {LEARNERS:,} "
                  f"learners ({REQUESTS} requests each, server time in ms, goal < {GOAL_MS} ms)",
                  results, GOAL_MS)
    report_pages("ambassador home", results, GOAL_MS, CPU_BY_PAGE)


if __name__ == "__main__":
    main()
