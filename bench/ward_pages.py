"""Ward pages for a ward of 5,000 households and 20,000 learners, on SQLite and PostgreSQL.

Prints the server time (Flask test client, in process) of the class view and, on the same
data, of the ambassador home: median and p95 over 20 requests each, goal under 100 ms.

The ward is bench/_ward.py's `seed_households()` (households, members, visits, 20,000
learners who practised lately, 1% stuck) and `seed_class()`: a class of 30 attendees with a
real history (lessons completed, several tries, some stuck, assessments), and 30 more
classes of the ward with attendees, so the class tables are not empty around it.

PostgreSQL uses its own database `hue_bench_classes` on the server that
`scripts/test-postgres.sh start` prints (the tests' `hue_test` database is never touched).
Run: .venv/bin/python bench/ward_pages.py [sqlite|postgresql]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _ward  # noqa: E402
import ward_pages_households as households  # noqa: E402
from _server import database_urls, print_timings, report_pages  # noqa: E402

PG_DATABASE = "hue_bench_classes"


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
    return {f"home: {label}": path for label, path in households.pages(made).items()}


def ward_pages(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed a ward, time every ward page; return {page: (median ms, p95 ms)}."""
    app, made = _ward.seeded(name, url, _ward.seed_households, _ward.seed_class)
    print(f"{name}: {made['events']:,} events for the class's attendees")
    return _ward.time_pages(name, app, made["ambassador_id"],
                            {**class_view_pages(made), **ambassador_home_pages(made)})


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else None
    results = {name: ward_pages(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Ward pages, ward of {_ward.HOUSEHOLDS:,} households and "
                  f"{_ward.LEARNERS:,} learners, class of {_ward.ATTENDEES} "
                  f"({_ward.REQUESTS} requests each, server time in ms, goal < "
                  f"{_ward.GOAL_MS} ms)", results, _ward.GOAL_MS)
    report_pages("ward pages", results, _ward.GOAL_MS, _ward.CPU_BY_PAGE)


if __name__ == "__main__":
    main()
