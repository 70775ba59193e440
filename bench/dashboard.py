"""Officials' dashboard for a ward of 5,000 households and 20,000 learners, on SQLite.

Prints the server time (Flask test client, in process) of the ward dashboard, its CSV export
and the city overview (every ward side by side): median and p95 over 20 requests each.

The ward is bench/_ward.py's: households with 10% Digital Families, 20,000 learners with 10
answers each in the last two weeks (`seed_households`), classes, attendances, assessments, 30
learners with completed lessons (`seed_class`) and 12 months of history (`seed_history`):
learners registered across the year, 40,000 completed lessons spread over the year, 2,000
certificates (5% revoked) and 5,000 learners assessed.

PostgreSQL (optional) uses its own database `hue_bench_dashboard` on the server that
`scripts/test-postgres.sh start` prints (the tests' `hue_test` database is never touched).
Run: .venv/bin/python bench/dashboard.py [sqlite|postgresql]   (default: sqlite)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _ward  # noqa: E402
from _server import database_urls, print_timings, report_pages  # noqa: E402

PG_DATABASE = "hue_bench_dashboard"
GOAL_MS = 100
PAGES = {
    "ward dashboard": "/dashboard/ward/PHUXUAN",
    "certificates page": "/certificates/?ward={ward_id}",
    "ward CSV": "/dashboard/ward/PHUXUAN/export.csv",
    "city overview": "/dashboard/city",
    "city sorted": "/dashboard/city?sort=active",
    "city CSV": "/dashboard/city/export.csv",
}


def admin(app, made: dict) -> dict:
    """The city's admin, who sees every ward (the city overview)."""
    return {"admin_id": _ward.make_staff(app, "admin")}


def dashboard(name: str, url: str) -> dict[str, tuple[float, float]]:
    """Seed the ward, time every dashboard page; return {page: (median ms, p95 ms)}."""
    app, made = _ward.seeded(name, url, _ward.seed_households, _ward.seed_class, admin,
                             _ward.seed_history)
    print(f"{name}: {_ward.rebuild_totals(app)}")
    return _ward.time_pages(name, app, made["admin_id"],
                            {label: path.format(**made) for label, path in PAGES.items()})


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    results = {name: dashboard(name, url)
               for name, url in database_urls(PG_DATABASE, only).items()}
    print_timings(f"Officials' dashboard, ward of {_ward.HOUSEHOLDS:,} households and "
                  f"{_ward.LEARNERS:,} learners ({_ward.REQUESTS} requests each, "
                  f"server time in ms)", results)
    report_pages("officials", results, GOAL_MS, _ward.CPU_BY_PAGE,
                 ["ward dashboard", "certificates page"])


if __name__ == "__main__":
    main()
