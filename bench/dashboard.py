"""Officials' dashboard for a ward of 5,000 households and 20,000 learners, on SQLite.

Prints the server time (Flask test client, in process) of the ward dashboard, its CSV export
and the city overview (every ward side by side): median and p95 over 20 requests each.

The ward is seeded by bench/ward_pages_households.py (households with 10% Digital Families,
20,000 learners with 10 answers each in the last two weeks) and bench/ward_pages.py (classes,
attendances, assessments, 30 learners with completed lessons); this file adds 12 months of
history: learners registered across the year, 40,000 completed lessons spread over the year
and 2,000 certificates (5% revoked).

PostgreSQL (optional) uses its own database `hue_bench_dashboard` on the server that
`scripts/test-postgres.sh start` prints (the tests' `hue_test` database is never touched).
Run: .venv/bin/python bench/dashboard.py [sqlite|postgresql]   (default: sqlite)
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
sys.path.insert(0, str(ROOT / "bench"))

import ward_pages  # noqa: E402
import ward_pages_households as households  # noqa: E402
from _server import (  # noqa: E402
    database_urls,
    print_timings,
    report_pages,
    reset_database,
    signed_in_client,
)

PG_DATABASE = "hue_bench_dashboard"
COMPLETIONS = 40_000
CERTIFICATES = 2_000
ASSESSED = 5_000  # learners with practical assessments; NEAR of them did nearly all alone
NEAR = 200
GOAL_MS = 100
PAGES = {
    "ward dashboard": "/dashboard/ward/PHUXUAN",
    "certificates page": "/certificates/?ward={ward_id}",
    "ward CSV": "/dashboard/ward/PHUXUAN/export.csv",
    "city overview": "/dashboard/city",
    "city sorted": "/dashboard/city?sort=active",
    "city CSV": "/dashboard/city/export.csv",
}


def seed_history(app, official_id: int) -> None:
    """A year of registrations, completed lessons and certificates in the ward."""
    from sqlalchemy import insert, select, update

    from hue_literacy.accounts.models import User
    from hue_literacy.certificates.models import Certificate
    from hue_literacy.classes.models import Assessment
    from hue_literacy.content.access import release
    from hue_literacy.extensions import db
    from hue_literacy.sync.models import ProgressEvent

    rng = random.Random(12)
    now = datetime.now(UTC)
    with app.app_context():
        official = db.session.get(User, official_id)
        ward_id = official.ward_id
        learner_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner", User.ward_id == ward_id)))
        for learner_id in learner_ids[::50]:  # registrations spread over the year
            db.session.execute(update(User).where(User.id == learner_id)
                               .values(created_at=now - timedelta(days=rng.randint(0, 360))))
        lessons = list(release().in_lang("vi"))
        events = [
            {"event_id": str(uuid.UUID(int=rng.getrandbits(128))),
             "learner_id": rng.choice(learner_ids), "kind": "lesson_completed",
             "lesson_id": rng.choice(lessons), "lesson_version": 1, "step_id": None,
             "correct": None, "hint_used": False,
             "occurred_at": now - timedelta(days=rng.randint(0, 360)), "received_at": now}
            for _ in range(COMPLETIONS)
        ]
        db.session.execute(insert(ProgressEvent), events)
        certified = rng.sample(learner_ids, CERTIFICATES)
        certificates = []
        for number, learner_id in enumerate(certified, start=1):
            issued = (now - timedelta(days=rng.randint(0, 360))).date()
            revoked = number % 20 == 0
            certificates.append({
                "serial": f"HUE-PHUXUAN-{issued.year}-{number:06d}", "code": f"B{number:07d}",
                "ward_id": ward_id, "year": issued.year, "number": number,
                "learner_id": learner_id, "learner_name": "x", "ward_name": "Phú Xuân",
                "framework_id": "hue-dl", "framework_version": 1, "profile_id": "basic",
                "competency_ids": ["QR-1"], "assessor_ids": [official_id],
                "assessor_names": ["x"], "issued_by_id": official_id,
                "issued_by_name": "x", "issued_on": issued, "issued_at": now,
                "revoked_at": now if revoked else None,
                "revoked_by_id": official_id if revoked else None,
                "revocation_reason": "bench" if revoked else None,
            })
        db.session.execute(insert(Certificate), certificates)
        db.session.execute(insert(Assessment), assessments(rng, learner_ids, official_id, now))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()


def assessments(rng: random.Random, learner_ids: list[int], official_id: int,
                now: datetime) -> list[dict]:
    """ASSESSED learners assessed in class: most in two competencies, NEAR in all of their
    profile's but one or two (the ones the certificates page lists as ready or close)."""
    from hue_literacy.content.access import framework

    content = framework()
    competencies = list(content.competencies)
    basic = list(content.profile_for_group("elderly").competency_ids)
    rows = []
    for number, learner_id in enumerate(rng.sample(learner_ids, ASSESSED)):
        chosen = basic[:len(basic) - number % 3] if number < NEAR else rng.sample(
            competencies, 2)
        rows += [{"learner_id": learner_id, "competency_id": competency,
                  "result": "alone" if number < NEAR else rng.choice(
                      ["alone", "with_help", "not_yet"]),
                  "assessor_id": official_id, "assessed_on": now.date(),
                  "class_session_id": None, "framework_id": content.id,
                  "framework_version": content.version, "created_at": now}
                 for competency in chosen]
    return rows


def rebuild_totals(app) -> str:
    """What `flask dashboard rebuild` does after an upgrade (the seed wrote the events
    directly, not through the sync that keeps the totals); say how long it took."""
    from hue_literacy import request_inputs
    from hue_literacy.dashboard import tallies
    from hue_literacy.extensions import db

    with app.app_context():
        began, began_cpu = time.perf_counter(), time.process_time()
        counts = tallies.rebuild(request_inputs.release(), request_inputs.timezone())
        db.session.commit()
        db.engine.dispose()
    return (f"dashboard totals rebuilt in {time.perf_counter() - began:.1f} s "
            f"(CPU {time.process_time() - began_cpu:.1f} s): {counts}")


def make_staff(app, role: str) -> int:
    from hue_literacy.accounts.models import User
    from hue_literacy.extensions import db
    from hue_literacy.wards.services import ward_by_code

    with app.app_context():
        person = User(role=role, full_name=f"Bench {role}", phone=f"06{len(role):08d}",
                      secret_hash="x", ward=ward_by_code("PHUXUAN") if role == "official"
                      else None, consent_at=datetime.now(UTC))
        db.session.add(person)
        db.session.commit()
        return person.id


def dashboard(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed the ward, time every dashboard page; return {page: (median ms, p95 ms)}."""
    app = reset_database(url)
    began = time.perf_counter()
    made = households.seed(app)
    made.update(ward_pages.seed_class(app, made["ambassador_id"]))
    admin_id = make_staff(app, "admin")
    seed_history(app, make_staff(app, "official"))
    print(f"{name}: seeded in {time.perf_counter() - began:.0f} s")
    print(f"{name}: {rebuild_totals(app)}")
    client = signed_in_client(app, admin_id)
    with app.app_context():
        from hue_literacy.wards.services import ward_by_code

        ward_id = ward_by_code("PHUXUAN").id
    figures = {}
    for label, path in PAGES.items():
        path = path.format(ward_id=ward_id)
        times = households.timings(client, path)
        figures[label] = (statistics.median(times), households.p95(times))
        households.CPU_BY_PAGE[f"{name}: {label}"] = households.CPU_MS[path]
    with app.app_context():
        from hue_literacy.extensions import db

        db.engine.dispose()
    return figures


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    results = {name: dashboard(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Officials' dashboard, ward of {households.HOUSEHOLDS:,} households and "
                  f"{households.LEARNERS:,} learners ({households.REQUESTS} requests each, "
                  f"server time in ms)", results)
    report_pages("officials", results, GOAL_MS, households.CPU_BY_PAGE,
                 ["ward dashboard", "certificates page"])


if __name__ == "__main__":
    main()
