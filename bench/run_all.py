"""Every bench, one after the other, then one table: figure, goal, measured, CPU, verdict.

Each bench is its own script (run it alone for its full print-out); it says what it measured
in `BENCH-RESULT {...}` lines (bench/_server.py `result()`), which this collects. PostgreSQL
benches use their own databases on the benches' own server (port HUE_BENCH_PG_PORT, default
54340), started here and stopped afterwards; the tests' server and `hue_test` are never used.

Run: make bench   or   .venv/bin/python bench/run_all.py [--only NAME ...] [--quick]
(--quick skips the benches that seed a ward of 20,000 learners).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _server import RESULT_MARK, bench_pg_env, bench_postgres_url  # noqa: E402

# name, script and arguments, seeds a big ward (slow), needs PostgreSQL
BENCHES = [
    ("lesson bytes", ["lesson_bytes.py"], False, False),
    ("precache bytes", ["precache_bytes.py"], False, False),
    ("narration bytes", ["narration_bytes.py"], False, False),
    ("memory", ["memory.py"], False, False),
    ("class day", ["class_day.py"], False, False),
    ("sync", ["sync_throughput.py", "--runs", "3"], False, True),
    ("certificates", ["certificate_pdf.py"], False, False),
    ("officials' pages", ["dashboard.py", "sqlite"], True, False),
    ("certificates page", ["certificates_page.py", "sqlite"], True, False),
    ("ward pages", ["ward_pages.py", "sqlite"], True, False),
    ("ambassador home", ["ward_pages_households.py", "sqlite"], True, False),
    ("load test", ["load_test.py"], True, True),  # 200 phones for 60 s through gunicorn
    # Last: when its kept 10M-event database is stale it is generated again (40 min loaded).
    ("city", ["city.py"], True, True),
]


def run(name: str, argv: list[str], env: dict[str, str]) -> tuple[list[dict], float, str]:
    """Run one bench, echo its output; return its results, wall seconds and any failure."""
    print(f"\n=== {name}: bench/{' '.join(argv)}", flush=True)
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(HERE / argv[0]), *argv[1:]], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    results = []
    for line in process.stdout:
        if line.startswith(RESULT_MARK):
            results.append(json.loads(line[len(RESULT_MARK):]))
        else:
            print(line, end="", flush=True)
    status = process.wait()
    failure = "" if status == 0 else f"exit status {status}"
    return results, time.perf_counter() - began, failure


def verdict(ok: bool | None) -> str:
    return {True: "OK", False: "MISSED", None: "-"}[ok]


def table(rows: list[dict]) -> str:
    header = {"figure": "figure", "goal": "goal", "measured": "measured (median)",
              "cpu": "CPU", "ok": "verdict"}
    cells = [header] + [dict(row, ok=verdict(row["ok"])) for row in rows]
    widths = {key: max(len(str(cell[key])) for cell in cells) for key in header}
    lines = []
    for index, cell in enumerate(cells):
        lines.append("  ".join(f"{cell[key]!s:<{widths[key]}}" for key in header).rstrip())
        if index == 0:
            lines.append("  ".join("-" * widths[key] for key in header))
    notes = [f"  {row['figure']}: {row['note']}" for row in rows if row.get("note")]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="a bench's name (repeatable)")
    parser.add_argument("--quick", action="store_true", help="skip the big-ward benches")
    args = parser.parse_args()
    chosen = [bench for bench in BENCHES
              if (not args.only or bench[0] in args.only) and not (args.quick and bench[2])]
    env = dict(os.environ)
    started_pg = False
    if any(bench[3] for bench in chosen) and not env.get("BENCH_POSTGRES_URL"):
        status = subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres.sh"), "status"],
                                env=bench_pg_env(), check=False)
        started_pg = status.returncode != 0
        env["BENCH_POSTGRES_URL"] = bench_postgres_url()
    rows: list[dict] = []
    try:
        for name, argv, _big, _pg in chosen:
            results, seconds, failure = run(name, argv, env)
            rows += results
            if failure or not results:
                rows.append({"figure": f"bench {name}", "goal": "runs", "cpu": "",
                             "measured": failure or "printed no figure", "ok": False,
                             "note": ""})
            print(f"=== {name}: {seconds:.0f} s", flush=True)
    finally:
        if started_pg:
            subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres.sh"), "stop"],
                           env=bench_pg_env(), check=False)
    print("\n" + table(rows))
    missed = sum(1 for row in rows if row["ok"] is False)
    print(f"\n{len(rows)} figures, {missed} missed their goal")


if __name__ == "__main__":
    main()
