"""Ambassador home for a ward of 5,000 households and 20,000 learners, on SQLite and PostgreSQL.

Prints the server time (Flask test client, in process) of /households/ and its searches and
filters: median and p95 over 20 requests each, goal under 100 ms. The ward is bench/_ward.py's
`seed_households()`: every learner of the ward is a member of a household, has practised
lately (10 answers), 1% are stuck on a step; each household has 3 visits. A second ward holds
1,000 households that must never show. After seeding, the "member stuck" marks are refreshed
as the every-few-minutes command does (`flask households refresh --stuck-only`, one stuck_steps
query over the ward's 20,000 learners), timed against its goal of a second: it runs on the
ward's own PC while classes use it (55-70 s on SQLite until December 2026, a join SQLite ran as
a scan per row; a window function since).

PostgreSQL uses its own database `hue_bench_households` on the server that
`scripts/test-postgres.sh start` prints (the tests' `hue_test` database is never touched).
Run: .venv/bin/python bench/ward_pages_households.py [sqlite|postgresql]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _ward  # noqa: E402
from _server import database_urls, print_timings, report_pages, result  # noqa: E402

PG_DATABASE = "hue_bench_households"
REFRESH_GOAL_MS = 1000
PAGES = {
    "home": "/households/",
    "page 120": "/households/?page=120",
    "search name": "/households/?q=nguyen+thi+hanh",
    "search phone": "/households/?q=%2B84+900+001+234",
    "search address": "/households/?q=kiet+12+le+loi",
    "needs a visit": "/households/?needs_visit=1",
    "digital family": "/households/?family=yes&learners=yes",
    "household page": "/households/{household_id}",
}


def pages(made: dict) -> dict[str, str]:
    """The ambassador home and its searches (bench/ward_pages.py times them too)."""
    return {label: path.format(**made) for label, path in PAGES.items()}


def ambassador_home(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed a ward and time the ambassador home; return {page: (median ms, p95 ms)}."""
    app, made = _ward.seeded(name, url, _ward.seed_households)
    print(f"{name}: stuck marks of the ward refreshed in {made['stuck_refresh_ms']:.0f} ms "
          f"({made['stuck_households']} households with a stuck learner)")
    result(f"households refresh --stuck-only, ward of {_ward.LEARNERS:,} learners ({name})",
           f"<= {REFRESH_GOAL_MS / 1000:.0f} s", f"{made['stuck_refresh_ms'] / 1000:.2f} s",
           made["stuck_refresh_ms"] <= REFRESH_GOAL_MS, note="every few minutes on the ward PC")
    return _ward.time_pages(name, app, made["ambassador_id"], pages(made))


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else None
    results = {name: ambassador_home(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Ambassador home, ward of {_ward.HOUSEHOLDS:,} households and "
                  f"{_ward.LEARNERS:,} learners ({_ward.REQUESTS} requests each, server time "
                  f"in ms, goal < {_ward.GOAL_MS} ms)", results, _ward.GOAL_MS)
    report_pages("ambassador home", results, _ward.GOAL_MS, _ward.CPU_BY_PAGE)


if __name__ == "__main__":
    main()
