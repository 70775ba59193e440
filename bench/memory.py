"""Server memory under `make run` settings (gunicorn.conf.py: 2 workers x 4 threads, preloaded).

Prints the memory of the master and its workers right after start and after every kind of
page has been opened once: the sum of their PSS (shared pages split among the processes that
share them, so the sum is what the server really takes) and, for comparison, the sum of RSS
(which counts shared pages once per process). Goal: <= 100 MB in all after start.
Run: .venv/bin/python bench/memory.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _server import Phone, deployed_settings, gunicorn, result  # noqa: E402

GOAL_MB = 100
PAGES = ["/", "/learn/vi/", "/learn/vi/pay-read-vietqr", "/offline/vi/precache.json",
         "/sign-in", "/api/v1/session"]


def tree(pid: int) -> list[int]:
    """The process and its children (gunicorn's workers; PostgreSQL's backends, which may
    end while they are listed: those are left out)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [pid for child in children for pid in tree(int(child))]


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server's master and workers."""
    ticks = 0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float]:
    """(sum of PSS, sum of RSS) of the process tree, in MB."""
    pss = rss = 0
    for member in tree(pid):
        for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("Pss", "Rss"):
                kib = int(value.split()[0])
                pss += kib if key == "Pss" else 0
                rss += kib if key == "Rss" else 0
    return pss / 1024, rss / 1024


def seed(url: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi")
    flask = str(Path(sys.executable).parent / "flask")
    for command in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)


def main() -> None:
    url = "sqlite:///" + tempfile.mkdtemp(prefix="hue-bench-memory-") + "/bench.sqlite"
    seed(url)
    pids: list[int] = []
    workers, threads = deployed_settings()  # as `make run`
    with gunicorn(url, workers=workers, threads=threads, on_start=pids.append) as base:
        started = memory_mb(pids[0])
        phone = Phone(base)
        for _ in range(3):  # every worker likely serves each page
            for page in PAGES:
                phone.get(page)
        used = memory_mb(pids[0])
    print(f"gunicorn 2 workers x 4 threads, preloaded: after start {started[0]:.0f} MB PSS "
          f"({started[1]:.0f} MB RSS summed); after use {used[0]:.0f} MB PSS "
          f"({used[1]:.0f} MB RSS summed)")
    result("server memory after start (make run)", f"<= {GOAL_MB} MB",
           f"{started[0]:.0f} MB PSS", started[0] <= GOAL_MB, "",
           f"RSS summed {started[1]:.0f} MB; after use {used[0]:.0f} MB PSS")


if __name__ == "__main__":
    main()
