"""Backup and restore of a ward-sized SQLite database: 3,300 households (10,000 people) from
the roster import bench plus 20,000 learners with 10 practice events each.

Prints the size of the database, the time of `flask backup create` (SQLite online backup API)
and of `flask backup restore` into an empty database, then checks that every household,
learner and event is back. Run: .venv/bin/python bench/backup.py
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LEARNERS = 20_000
EVENTS_EACH = 10


def counts(db):
    from sqlalchemy import func, select

    from hue_literacy.accounts.models import User
    from hue_literacy.households.models import Household
    from hue_literacy.sync.models import ProgressEvent

    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Household, User, ProgressEvent))


def main() -> None:
    import roster_import

    from hue_literacy import create_app
    from hue_literacy.accounts.models import User
    from hue_literacy.content.access import release
    from hue_literacy.extensions import db
    from hue_literacy.models_base import utcnow
    from hue_literacy.roster import services
    from hue_literacy.roster.reading import read_rows
    from hue_literacy.spreadsheets import csv_bytes
    from hue_literacy.sync.models import ProgressEvent
    from hue_literacy.wards.services import seed_wards, ward_by_code
    from tests.factories import OfficialFactory

    folder = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'ward.sqlite'}"})
    with app.test_request_context():
        db.create_all()
        seed_wards()
        ward = ward_by_code("PHUXUAN")
        official = OfficialFactory(phone="0812345678", ward=ward)
        rows = read_rows(csv_bytes(roster_import.rows(random.Random(14))), "list.csv")
        services.apply_import(rows, ward, release(), official)
        now = utcnow()
        users = [{"role": "learner", "full_name": f"Học viên {n}", "phone": f"03{n:08d}",
                  "ward_id": ward.id, "card_version": 1, "session_token": uuid.uuid4().hex,
                  "created_at": now} for n in range(LEARNERS)]
        db.session.execute(User.__table__.insert(), users)
        ids = db.session.scalars(db.select(User.id).where(User.role == "learner")).all()
        events = [{"event_id": str(uuid.uuid4()), "learner_id": learner_id,
                   "kind": "step_answered", "lesson_id": "qr-scan-basics", "lesson_version": 1,
                   "step_id": f"s{n}", "correct": True, "hint_used": False,
                   "occurred_at": now, "received_at": now}
                  for learner_id in ids for n in range(EVENTS_EACH)]
        db.session.execute(ProgressEvent.__table__.insert(), events)
        db.session.commit()
        before = counts(db)
        db.session.remove()
        db.engine.dispose()
    size = (folder / "ward.sqlite").stat().st_size
    print(f"database: {size / 1e6:.1f} MB ({before[0]} households, {before[1]} people "
          f"with accounts, {before[2]} events)")
    runner = app.test_cli_runner()
    started = time.perf_counter()
    result = runner.invoke(args=["backup", "create", "--folder", str(folder / "backups")])
    print(f"flask backup create   {time.perf_counter() - started:6.2f} s  {result.output.strip()}")
    (backup,) = (folder / "backups").iterdir()
    empty = create_app({"TESTING": True,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'empty.sqlite'}"})
    started = time.perf_counter()
    result = empty.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    print(f"flask backup restore  {time.perf_counter() - started:6.2f} s  {result.output.strip()}")
    with empty.app_context():
        after = counts(db)
        db.session.remove()
        db.engine.dispose()
    print("restored database holds everything:", after == before)


if __name__ == "__main__":
    main()
