"""Roster import of a 10,000-row household list (about 3,300 households), on SQLite.

Prints the time to read the file (CSV and .xlsx), to preview it (the plan: checks and the
matching against the database) and to import it, then the preview and import of the same
file again (nothing to create: the idempotent re-import). Goal: a ward's whole list in under
a minute on this 2-core machine.
Run: .venv/bin/python bench/roster_import.py
"""
from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 10_000
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Hữu", "Thu"]
LAST = ["Ánh", "Bưởi", "Cúc", "Dũng", "Hường", "Lệ", "Minh", "Nga", "Phúc", "Thảo", "Yến"]
STREETS = ["Phan Đình Phùng", "Lê Lợi", "Nguyễn Huệ", "Đặng Thái Thân", "Chi Lăng",
           "Huỳnh Thúc Kháng", "Mai Thúc Loan", "Đinh Tiên Hoàng"]
GROUPS = ["Người cao tuổi", "elderly", "Tiểu thương, hộ kinh doanh", ""]


def rows(rng: random.Random) -> list[list[object]]:
    from hue_literacy.roster.reading import TEMPLATE_HEADERS

    table: list[list[object]] = [list(TEMPLATE_HEADERS)]
    number = 0
    while len(table) <= ROWS:
        number += 1
        address = f"{number} kiệt {rng.randint(1, 99)} {rng.choice(STREETS)}"
        size = rng.randint(2, 4)
        names = [f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)} {number}-{n}"
                 for n in range(size)]
        for n, name in enumerate(names):
            phone = 912_000_000 + number * 10 + n if rng.random() < 0.6 else None
            table.append([names[0], address, f"Tổ {number % 30 + 1}", name,
                          rng.randint(1930, 2015), phone, rng.choice(GROUPS)])
    return table[:ROWS + 1]


def xlsx_bytes(table) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    from hue_literacy import create_app
    from hue_literacy.content.access import framework, release
    from hue_literacy.extensions import db
    from hue_literacy.roster import services
    from hue_literacy.roster.reading import read_rows
    from hue_literacy.spreadsheets import csv_bytes
    from hue_literacy.wards.services import seed_wards, ward_by_code
    from tests.factories import OfficialFactory

    table = rows(random.Random(14))
    csv_data, xlsx_data = csv_bytes(table), xlsx_bytes(table)
    folder = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}"})
    with app.test_request_context():
        db.create_all()
        seed_wards()
        official = OfficialFactory(phone="0812345678", ward=ward_by_code("PHUXUAN"))
        db.session.commit()
        ward = official.ward
        print(f"{ROWS} rows; CSV {len(csv_data) // 1024} KiB, .xlsx {len(xlsx_data) // 1024} KiB")
        started = time.perf_counter()
        read_rows(csv_data, "list.csv")
        print(f"read CSV            {time.perf_counter() - started:6.2f} s")
        started = time.perf_counter()
        parsed = read_rows(xlsx_data, "list.xlsx")
        print(f"read .xlsx          {time.perf_counter() - started:6.2f} s")
        for attempt in ("first import", "same file again"):
            started = time.perf_counter()
            plan = services.plan_import(parsed, ward, framework())
            preview = time.perf_counter() - started
            started = time.perf_counter()
            services.apply_import(parsed, ward, release(), official)
            db.session.commit()
            applied = time.perf_counter() - started
            print(f"{attempt:16s}    preview {preview:6.2f} s, import {applied:6.2f} s "
                  f"({plan.households_to_create} households to create, "
                  f"{plan.count('create')} create, {plan.count('unchanged')} unchanged, "
                  f"{len(plan.refused)} refused)")
        db.engine.dispose()


if __name__ == "__main__":
    main()
