"""Ward pages for a ward of 5,000 households and 20,000 learners, on SQLite and PostgreSQL.

Prints the server time (Flask test client, in process) of the class view and, on the same
data, of the ambassador home: median and p95 over 20 requests each, goal under 100 ms.

The ward is seeded by bench/ward_pages_households.py (households, members, visits, 20,000
learners who practised lately, 1% stuck); `seed_class()` adds a class of 30 attendees with a
real history (lessons completed, several tries, some stuck, assessments), and 30 more
classes of the ward with attendees, so the class tables are not empty around it.

PostgreSQL uses its own database `hue_bench_classes` on the server that
`scripts/test-postgres.sh start` prints (the tests' `hue_test` database is never touched).
Run: .venv/bin/python bench/ward_pages.py [sqlite|postgresql]
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

import ward_pages_households as households  # noqa: E402
from _server import (  # noqa: E402
    database_urls,
    print_timings,
    report_pages,
    reset_database,
    signed_in_client,
)

PG_DATABASE = "hue_bench_classes"
ATTENDEES = 30
OTHER_CLASSES = 30
REQUESTS = households.REQUESTS
GOAL_MS = households.GOAL_MS


def practise(rng: random.Random, learner_id: int, lesson, start: datetime, tries: int,
             stuck_step: str | None = None) -> list[dict]:
    """Events of one learner doing one lesson `tries` times, mostly right."""
    rows = []
    moment = start

    def add(kind: str, step_id: str | None = None, correct: bool | None = None) -> None:
        nonlocal moment
        moment += timedelta(seconds=40)
        rows.append({
            "event_id": str(uuid.UUID(int=rng.getrandbits(128))), "learner_id": learner_id,
            "kind": kind, "lesson_id": lesson.id, "lesson_version": lesson.version,
            "step_id": step_id, "correct": correct, "hint_used": rng.random() < 0.1,
            "occurred_at": moment, "received_at": moment,
        })

    for _ in range(tries):
        add("lesson_started")
        for step in lesson.steps:
            add("step_viewed", step.id)
            if not step.practice:
                continue
            if step.id == stuck_step:
                for _ in range(4):
                    add("step_answered", step.id, False)
                return rows  # gave up on the step: stuck
            if rng.random() < 0.2:
                add("step_answered", step.id, False)
            add("step_answered", step.id, True)
        add("lesson_completed")
    return rows


def seed_class(app, teacher_id: int) -> dict:
    """A class of 30 attendees with real histories, plus other classes of the ward."""
    from sqlalchemy import insert, select

    from hue_literacy.accounts.models import User
    from hue_literacy.classes.models import Assessment, ClassAttendance, ClassSession
    from hue_literacy.content.access import framework, release
    from hue_literacy.extensions import db

    rng = random.Random(30)
    now = datetime.now(UTC)
    with app.app_context():
        teacher = db.session.get(User, teacher_id)
        learner_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner", User.ward_id == teacher.ward_id)
            .order_by(User.id)))
        lessons = list(release().in_lang("vi").values())
        chosen = rng.sample(learner_ids, ATTENDEES)
        events = []
        for number, learner_id in enumerate(chosen):
            for index, lesson in enumerate(rng.sample(lessons, rng.randint(3, 12))):
                start = now - timedelta(days=rng.randint(1, 60), hours=index)
                events += practise(rng, learner_id, lesson, start, tries=rng.randint(1, 3))
            if number % 6 == 0:  # five of the thirty need help today
                lesson = lessons[number % len(lessons)]
                step = next(step for step in lesson.steps if step.practice)
                events += practise(rng, learner_id, lesson, now - timedelta(hours=2), 1,
                                   stuck_step=step.id)
        db.session.execute(insert(db.metadata.tables["progress_events"]), events)

        sessions = [
            {"ward_id": teacher.ward_id, "venue": f"Nhà văn hóa tổ {number + 1}",
             "starts_on": (now - timedelta(days=7 * number)).date(), "opened_by_id": teacher_id,
             "join_code": f"B{number:05d}", "created_at": now,
             "closed_at": None if number == 0 else now}
            for number in range(OTHER_CLASSES + 1)
        ]
        db.session.execute(insert(ClassSession), sessions)
        ids = list(db.session.scalars(select(ClassSession.id).order_by(ClassSession.id)))
        class_id = ids[0]
        attendances = [{"class_session_id": class_id, "learner_id": learner_id,
                        "joined_at": now} for learner_id in chosen]
        for other_id in ids[1:]:
            attendances += [{"class_session_id": other_id, "learner_id": learner_id,
                             "joined_at": now} for learner_id in rng.sample(learner_ids, 30)]
        db.session.execute(insert(ClassAttendance), attendances)
        competencies = list(framework().competencies)
        assessments = [
            {"learner_id": rng.choice(learner_ids), "competency_id": rng.choice(competencies),
             "result": rng.choice(["alone", "with_help", "not_yet"]),
             "assessor_id": teacher_id, "assessed_on": now.date(),
             "class_session_id": rng.choice(ids), "framework_id": framework().id,
             "framework_version": framework().version, "created_at": now}
            for _ in range(2_000)
        ] + [
            {"learner_id": learner_id, "competency_id": competency, "result": "alone",
             "assessor_id": teacher_id, "assessed_on": now.date(), "class_session_id": class_id,
             "framework_id": framework().id, "framework_version": framework().version,
             "created_at": now}
            for learner_id in chosen[:10] for competency in competencies[:3]
        ]
        db.session.execute(insert(Assessment), assessments)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()
        return {"class_id": class_id, "learner_id": chosen[0], "events": len(events)}


def class_view_pages(made: dict) -> dict[str, str]:
    return {
        "class view": f"/classes/{made['class_id']}",
        "class list refresh": f"/classes/{made['class_id']}/attendees",
        "assess a learner": f"/classes/{made['class_id']}/learners/{made['learner_id']}",
        "learner progress": f"/progress/learner/{made['learner_id']}",
        "classes of ward": "/classes/",
    }


def ambassador_home_pages(made: dict) -> dict[str, str]:
    """The ambassador home and its searches (bench/ward_pages_households.py)."""
    return {f"home: {label}": path or f"/households/{made['household_id']}"
            for label, path in households.PAGES.items()}


def ward_pages(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed a ward, time every ward page; return {page: (median ms, p95 ms)}."""
    app = reset_database(url)
    began = time.perf_counter()
    made = households.seed(app)
    made.update(seed_class(app, made["ambassador_id"]))
    print(f"{name}: seeded in {time.perf_counter() - began:.0f} s "
          f"({made['events']:,} events for the class's attendees)")
    client = signed_in_client(app, made["ambassador_id"])
    figures = {}
    for label, path in {**class_view_pages(made), **ambassador_home_pages(made)}.items():
        times = households.timings(client, path)
        figures[label] = (statistics.median(times), households.p95(times))
        households.CPU_BY_PAGE[f"{name}: {label}"] = households.CPU_MS[path]
    with app.app_context():
        from hue_literacy.extensions import db

        db.engine.dispose()
    return figures


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else None
    results = {name: ward_pages(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Ward pages, ward of {households.HOUSEHOLDS:,} households and "
                  f"{households.LEARNERS:,} learners, class of {ATTENDEES} "
                  f"({REQUESTS} requests each, server time in ms, goal < {GOAL_MS} ms)",
                  results, GOAL_MS)
    report_pages("ward pages", results, GOAL_MS, households.CPU_BY_PAGE)


if __name__ == "__main__":
    main()
