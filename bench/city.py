"""The city overview on PostgreSQL: 40 wards, 200,000 learners, 10 million progress events.

Generates the city into its own database `hue_bench_city` on the benches' PostgreSQL server
(never the tests' `hue_test`) with COPY (psycopg), builds the indexes after the load, then
runs what `flask dashboard rebuild` runs after an upgrade. Generating takes minutes, so the
database is kept: a marker row names what was generated and the schema it was generated for,
and a later run with the same marker only times the page (`--regenerate` starts again).

Times the city admin's overview (/dashboard/city, Flask test client in process): median of
REQUESTS requests, wall time and CPU time (this process plus the PostgreSQL backend that
served it, read from /proc). Also prints, once, what counting live from the events costs.
Run: .venv/bin/python bench/city.py [--regenerate]
"""
from __future__ import annotations

import argparse
import hashlib
import io
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _server import (  # noqa: E402
    as_served,
    bench_postgres_url,
    create_pg_database,
    reset_schema,
    result,
    signed_in_client,
)

PG_DATABASE = "hue_bench_city"
WARDS = 40
LEARNERS = 200_000
EVENTS = 10_000_000
HOUSEHOLDS_PER_WARD = 1_250
CERTIFICATES = 20_000
CLASSES_PER_WARD = 10
DAYS = 400  # events spread over the last 13 months
REQUESTS = 15
GOAL_MS = 300
GROUPS = ["elderly", "elderly", "elderly", "trader", "farmer", "student", None]
KINDS = ["step_answered"] * 14 + ["step_viewed"] * 3 + ["lesson_started", "lesson_completed"]
CHUNK = 200_000  # rows per COPY write


def app_for(url: str, one_connection: bool = False):
    """The app on the city's database; with `one_connection` every request is served by the
    same PostgreSQL backend (whose CPU time is read)."""
    from hue_literacy import create_app

    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
              "SESSION_COOKIE_SECURE": False}
    if one_connection:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 1, "max_overflow": 0}
    return create_app(config)


def marker_text() -> str:
    """What was generated, and for which schema (another schema generates again)."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    from hue_literacy.extensions import db

    dialect = postgresql.dialect()
    ddl = [str(CreateTable(table).compile(dialect=dialect)) for table in db.metadata.sorted_tables]
    ddl += sorted(str(CreateIndex(index).compile(dialect=dialect))
                  for table in db.metadata.sorted_tables for index in table.indexes)
    schema = hashlib.sha256("\n".join(ddl).encode()).hexdigest()[:12]
    return (f"city v1: {WARDS} wards, {LEARNERS} learners, {EVENTS} events, "
            f"{CERTIFICATES} certificates, schema {schema}")


def generated(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT spec FROM bench_city_marker"))
    except Exception:  # noqa: BLE001 - no marker table: not generated
        return None
    finally:
        engine.dispose()


def copy_rows(conn, table: str, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, \\N for NULL) into `table`, CHUNK at a time."""
    count = 0
    with conn.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            count += 1
            if count % CHUNK == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def generate(url: str) -> None:
    """A fresh schema, the city's rows by COPY, the indexes, the running totals, the marker."""
    import psycopg
    from sqlalchemy import insert, select, text

    from hue_literacy import request_inputs
    from hue_literacy.accounts.models import User
    from hue_literacy.certificates.models import Certificate
    from hue_literacy.classes.models import ClassSession
    from hue_literacy.content.access import release
    from hue_literacy.dashboard import tallies
    from hue_literacy.extensions import db
    from hue_literacy.sync.models import ProgressEvent
    from hue_literacy.wards.models import Ward

    app = app_for(url)
    reset_schema(app)
    rng = random.Random(40)
    now = datetime.now(UTC)
    began = time.perf_counter()
    with app.app_context():
        have = db.session.scalar(select(db.func.count()).select_from(Ward))
        db.session.add_all(Ward(code=f"BENCH{n:02d}", name=f"Phường thử {n:02d}")
                           for n in range(have + 1, WARDS + 1))
        db.session.commit()
        ward_ids = list(db.session.scalars(select(Ward.id).order_by(Ward.id)))[:WARDS]
        lessons = [(lesson.id, lesson.version, [s.id for s in lesson.steps if s.practice]
                    or [lesson.steps[0].id]) for lesson in release().in_lang("vi").values()]
        indexes = list(ProgressEvent.__table__.indexes)
        with db.engine.begin() as conn:
            for index in indexes:
                conn.execute(text(f"DROP INDEX {index.name}"))
        db.engine.dispose()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        stamp = now.isoformat()
        learners = copy_rows(conn, "users", [
            "role", "full_name", "phone", "secret_hash", "ward_id", '"group"', "created_at",
            "consent_at", "card_version", "session_token"], (
            f"learner\tHọc viên {n}\t08{n:08d}\tx\t{ward_ids[n % WARDS]}\t"
            f"{GROUPS[n % len(GROUPS)] or chr(92) + 'N'}\t"
            f"{(now - timedelta(days=rng.randint(0, DAYS))).isoformat()}\t{stamp}\t1\t"
            f"t{n:031d}\n" for n in range(LEARNERS)))
        first_id = conn.execute("SELECT min(id) FROM users WHERE role = 'learner'").fetchone()[0]
        copy_rows(conn, "households", [
            "ward_id", "address", "address_key", "name", "consent_at", "consent_status",
            "created_at", "updated_at", "member_stuck", "digital_family", "search_text"], (
            f"{ward_id}\t{n} Lê Lợi\t{n} le loi\tNhà {n}\t{stamp}\tgiven\t{stamp}\t{stamp}\t"
            f"f\t{'t' if n % 9 == 0 else 'f'}\t{n} le loi\n"
            for ward_id in ward_ids for n in range(HOUSEHOLDS_PER_WARD)))
        per_learner = EVENTS // LEARNERS

        def events():
            number = 0
            for learner in range(LEARNERS):
                learner_id = first_id + learner
                start = now - timedelta(days=rng.randint(0, DAYS), seconds=rng.randint(0, 86399))
                for index in range(per_learner):
                    lesson_id, version, steps = lessons[(learner + index // 8) % len(lessons)]
                    kind = KINDS[rng.randrange(len(KINDS))]
                    step = steps[index % len(steps)] if kind in (
                        "step_answered", "step_viewed") else "\\N"
                    correct = ("t" if rng.random() < 0.7 else "f") if kind == (
                        "step_answered") else "\\N"
                    moment = min(now, start + timedelta(minutes=index * 37))
                    number += 1
                    yield (f"00000000-0000-4000-8000-{number:012x}\t{learner_id}\t{kind}\t"
                           f"{lesson_id}\t{version}\t{step}\t{correct}\t{correct}\tserver\tf\t"
                           f"{moment.isoformat()}\t{stamp}\n")

        loaded = copy_rows(conn, "progress_events", [
            "event_id", "learner_id", "kind", "lesson_id", "lesson_version", "step_id",
            "correct", "phone_correct", "judged", "hint_used", "occurred_at", "received_at"],
            events())
        print(f"copied {learners:,} learners and {loaded:,} events in "
              f"{time.perf_counter() - began:.0f} s", flush=True)
        conn.execute("SET maintenance_work_mem = '256MB'")
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("SET maintenance_work_mem = '256MB'"))
            for index in indexes:
                index.create(conn)
        print(f"indexes built at {time.perf_counter() - began:.0f} s", flush=True)
        seed_city_rows(db, ward_ids, first_id, rng, now, User, Certificate, ClassSession, insert)
    vacuum(url)
    with app.app_context():
        rebuild_began = time.perf_counter()
        counts = tallies.rebuild(request_inputs.release(), request_inputs.timezone())
        db.session.commit()
        rebuild_s = time.perf_counter() - rebuild_began
        db.session.execute(text("CREATE TABLE bench_city_marker (spec text, seconds float, "
                                "rebuild_seconds float, made_at timestamptz DEFAULT now())"))
        db.session.execute(text("INSERT INTO bench_city_marker (spec, seconds, rebuild_seconds) "
                                "VALUES (:spec, :seconds, :rebuild)"),
                           {"spec": marker_text(), "rebuild": rebuild_s,
                            "seconds": time.perf_counter() - began})
        db.session.commit()
        db.engine.dispose()
    vacuum(url)
    print(f"`flask dashboard rebuild` of the city: {rebuild_s:.0f} s ({counts})")
    print(f"generated in {time.perf_counter() - began:.0f} s (kept for the next run)", flush=True)


def seed_city_rows(db, ward_ids, first_id, rng, now, User, Certificate, ClassSession,
                   insert) -> None:
    """Staff, classes and certificates (few enough for an ordinary bulk insert)."""
    staff = [{"role": "official", "full_name": f"Cán bộ {n}", "phone": f"07{n:08d}",
              "secret_hash": "x", "ward_id": ward_id, "consent_at": now, "created_at": now,
              "card_version": 1, "session_token": f"s{n:031d}"}
             for n, ward_id in enumerate(ward_ids)]
    staff.append({"role": "admin", "full_name": "Quản trị", "phone": "0600000001",
                  "secret_hash": "x", "ward_id": None, "consent_at": now, "created_at": now,
                  "card_version": 1, "session_token": "a" * 32})
    db.session.execute(insert(User), staff)
    officials = dict(zip(ward_ids, db.session.scalars(
        db.select(User.id).where(User.role == "official").order_by(User.ward_id)), strict=True))
    db.session.execute(insert(ClassSession), [
        {"ward_id": ward_id, "venue": "Nhà văn hóa", "opened_by_id": officials[ward_id],
         "starts_on": (now - timedelta(days=30 * n)).date(), "join_code": f"C{ward_id}{n:04d}",
         "created_at": now} for ward_id in ward_ids for n in range(CLASSES_PER_WARD)])
    certified = rng.sample(range(LEARNERS), CERTIFICATES)
    rows = []
    for number, learner in enumerate(certified, start=1):
        ward_id = ward_ids[learner % WARDS]
        issued = (now - timedelta(days=rng.randint(0, 360))).date()
        revoked = number % 20 == 0
        rows.append({
            "serial": f"HUE-C{ward_id}-{issued.year}-{number:06d}", "code": f"B{number:07d}",
            "ward_id": ward_id, "year": issued.year, "number": number,
            "learner_id": first_id + learner, "learner_name": "x", "ward_name": "x",
            "framework_id": "hue-dl", "framework_version": 2, "profile_id": "basic",
            "competency_ids": ["QR-1"], "assessor_ids": [officials[ward_id]],
            "assessor_names": ["x"], "issued_by_id": officials[ward_id], "issued_by_name": "x",
            "issued_on": issued, "issued_at": now, "revoked_at": now if revoked else None,
            "revoked_by_id": officials[ward_id] if revoked else None,
            "revocation_reason": "bench" if revoked else None})
    db.session.execute(insert(Certificate), rows)
    db.session.commit()


def vacuum(url: str) -> None:
    """As autovacuum would after a bulk load: statistics and the visibility map (which lets
    counts read an index alone)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()


def backend_cpu_ms(pid: int) -> float:
    """CPU time (user + system) a PostgreSQL backend has used, from /proc."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def time_overview(url: str) -> tuple[list[float], list[float], float]:
    """Wall and CPU ms (this process + the backend) of REQUESTS city overview requests."""
    from sqlalchemy import select, text

    from hue_literacy.accounts.models import User
    from hue_literacy.extensions import db

    app = app_for(url, one_connection=True)
    as_served(app)  # before its one backend is read: the warm-up closes connections
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.role == "admin"))
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()
    client = signed_in_client(app, admin_id)
    client.get("/dashboard/city")  # warm up caches and templates
    walls, cpus = [], []
    for _ in range(REQUESTS):
        began, began_cpu, began_pg = time.perf_counter(), time.process_time(), backend_cpu_ms(pid)
        response = client.get("/dashboard/city")
        walls.append((time.perf_counter() - began) * 1000)
        cpus.append((time.process_time() - began_cpu) * 1000 + backend_cpu_ms(pid) - began_pg)
        assert response.status_code == 200, response.status_code
    with app.app_context():
        assert db.session.scalar(text("SELECT pg_backend_pid()")) == pid, "one backend served"
        live_ms = live_count_ms()
        db.engine.dispose()
    return walls, cpus, live_ms


def live_count_ms() -> float:
    """What the overview's active and certified columns cost counted from the events."""
    from hue_literacy import request_inputs
    from hue_literacy.dashboard import services
    from hue_literacy.wards.services import all_wards

    ids = [ward.id for ward in all_wards()]
    began = time.perf_counter()
    services._learner_counts(ids, services.month_start(request_inputs.today()),
                             request_inputs.timezone(), built=set())
    return (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true", help="generate the city again")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="a smaller city to try the bench (e.g. 0.01; kept apart)")
    args = parser.parse_args()
    global LEARNERS, EVENTS, CERTIFICATES, HOUSEHOLDS_PER_WARD, PG_DATABASE  # noqa: PLW0603
    if args.scale != 1.0:
        LEARNERS, EVENTS = int(LEARNERS * args.scale), int(EVENTS * args.scale)
        CERTIFICATES = int(CERTIFICATES * args.scale)
        HOUSEHOLDS_PER_WARD = max(1, int(HOUSEHOLDS_PER_WARD * args.scale))
        PG_DATABASE += "_small"
    base = bench_postgres_url().rpartition("/")[0]
    create_pg_database(f"{base}/postgres", PG_DATABASE)
    url = f"{base}/{PG_DATABASE}"
    app_for(url)  # the models, for the marker's schema
    wanted = marker_text()
    if args.regenerate or generated(url) != wanted:
        print(f"generating: {wanted}", flush=True)
        generate(url)
    else:
        print(f"using the city generated before: {wanted}")
    walls, cpus, live_ms = time_overview(url)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"city overview, {WARDS} wards, {LEARNERS:,} learners, {EVENTS:,} events: median "
          f"{wall:.0f} ms wall, {cpu:.0f} ms CPU (app + PostgreSQL backend), "
          f"max {max(walls):.0f} ms; counted live from the events it would take {live_ms:.0f} ms")
    ok = wall <= GOAL_MS or cpu <= GOAL_MS
    result(f"city overview, {WARDS} wards, {LEARNERS:,} learners, "
           f"{EVENTS:,} events (postgresql)", f"<= {GOAL_MS} ms",
           f"{wall:.0f} ms", ok, f"{cpu:.0f} ms",
           "" if wall <= GOAL_MS or not ok else "wall over, CPU within: machine loaded")


if __name__ == "__main__":
    main()
