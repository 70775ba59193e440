"""The official's /certificates/ page for a ward of 20,000 learners, 5,000 of them assessed.

Prints the server time (Flask test client, in process) of the page as an official opens it,
its later pages, a search by name and the review page of one learner: median and p95 over
20 requests each, goal under 100 ms, and the page's cost must not grow with the learners.

The ward is seeded as bench/dashboard.py seeds it (bench/_ward.py: 20,000 learners who
practised lately, classes and assessments, a year of completions, 2,000 certificates and
5,000 learners assessed, 200 of them in nearly every skill of their profile). This file adds
MASTERED learners who practised every lesson of
their profile until mastered: the first NEAR_MASTERED of them are among the 200 nearly
assessed (ready for a certificate or close), the others were never assessed (ready to assess).

PostgreSQL uses its own database `hue_bench_certificates` on the benches' server.
Run: .venv/bin/python bench/certificates_page.py [sqlite|postgresql]   (default: sqlite)
"""
from __future__ import annotations

import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _ward  # noqa: E402
from _server import database_urls, print_timings, report_pages  # noqa: E402

PG_DATABASE = "hue_bench_certificates"
MASTERED = 400
NEAR_MASTERED = 100
GOAL_MS = 100


def mastered_events(rng: random.Random, learner_id: int, lessons, start: datetime) -> list[dict]:
    """Every lesson done twice, every practice step answered right without a hint."""
    rows = []
    moment = start
    for lesson in lessons:
        for _ in range(2):
            for kind, step_id, correct in (
                [("lesson_started", None, None)]
                + [("step_answered", step.id, True) for step in lesson.steps if step.practice]
                + [("lesson_completed", None, None)]
            ):
                moment += timedelta(seconds=30)
                rows.append({
                    "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "learner_id": learner_id, "kind": kind, "lesson_id": lesson.id,
                    "lesson_version": lesson.version, "step_id": step_id, "correct": correct,
                    "hint_used": False, "occurred_at": moment, "received_at": moment,
                })
    return rows


def seed_mastered(app, made: dict) -> dict:
    """MASTERED learners of the elderly profile with every lesson of it mastered."""
    from sqlalchemy import distinct, func, insert, select

    from hue_literacy.accounts.models import User
    from hue_literacy.classes.models import Assessment
    from hue_literacy.content.access import framework, release
    from hue_literacy.extensions import db
    from hue_literacy.progress.services import profile_lessons
    from hue_literacy.sync.models import ProgressEvent
    from hue_literacy.wards.services import ward_by_code

    rng = random.Random(19)
    now = datetime.now(UTC)
    with app.app_context():
        ward_id = ward_by_code("PHUXUAN").id
        content = release()
        lessons = content.in_lang("vi")
        wanted = profile_lessons(content, framework().profile_for_group("elderly").competency_ids)
        chosen_lessons = [lessons[lesson_id] for lesson_id in wanted]
        near = list(db.session.scalars(
            select(Assessment.learner_id).where(Assessment.result == "alone")
            .group_by(Assessment.learner_id)
            .having(func.count(distinct(Assessment.competency_id)) >= 8)
            .order_by(Assessment.learner_id)))[:NEAR_MASTERED]
        assessed = select(Assessment.learner_id)
        never = list(db.session.scalars(
            select(User.id).where(User.role == "learner", User.ward_id == ward_id,
                                  User.id.not_in(assessed)).order_by(User.id)
            .limit(MASTERED - len(near))))
        for learner_id in near + never:
            start = now - timedelta(days=rng.randint(3, 60))
            db.session.execute(insert(ProgressEvent),
                               mastered_events(rng, learner_id, chosen_lessons, start))
        db.session.commit()
        _ward.analyze(db)
        db.engine.dispose()
    return {}


def pages(app, ward_id: int) -> dict[str, str]:
    """The page's views as an official walks through them."""
    from hue_literacy.certificates.overview import sorted_ids
    from hue_literacy.content.access import release

    with app.test_request_context():
        lists = sorted_ids(ward_id, release())
    ready, assess = lists["ready"], lists["assess"]
    print(f"lists: {', '.join(f'{name} {len(items)}' for name, items in lists.items())}")
    found = {
        "certificates page": "/certificates/",
        "ready to assess, page 5": "/certificates/?assess_page=5",
        "issued, page 40": "/certificates/?issued_page=40",
        "search by name": "/certificates/?q=" + "+".join(assess[0][1].split()[:2]),
    }
    if ready:
        found["review before issuing"] = f"/certificates/review/{ready[0][0]}"
    return found


def certificates_page(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed the ward, time the certificates pages; return {page: (median ms, p95 ms)}."""
    app, made = _ward.seeded(name, url, _ward.seed_households, _ward.seed_class,
                             _ward.seed_history, seed_mastered)
    print(f"{name}: {_ward.rebuild_totals(app)}")  # as a server keeps them (make run)
    return _ward.time_pages(name, app, made["official_id"], pages(app, made["ward_id"]))


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    results = {name: certificates_page(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Official's certificates page, ward of {_ward.LEARNERS:,} learners, "
                  f"{_ward.ASSESSED:,} assessed, {MASTERED} mastered "
                  f"({_ward.REQUESTS} requests each, server time in ms)", results, GOAL_MS)
    report_pages("certificates page", results, GOAL_MS, _ward.CPU_BY_PAGE)


if __name__ == "__main__":
    main()
