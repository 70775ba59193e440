"""Load the seed list of Hue's wards into the database."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.wards.models import Ward

SEED_FILE = Path(__file__).parent / "data" / "hue-wards.yaml"


def read_seed_list(path: Path = SEED_FILE) -> list[dict]:
    """Return the wards listed in the seed file as dicts with `code` and `name`."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["wards"]


def seed_wards(path: Path = SEED_FILE) -> int:
    """Insert wards missing from the database (matched by code); return how many were added."""
    existing = set(db.session.scalars(select(Ward.code)))
    added = 0
    for entry in read_seed_list(path):
        if entry["code"] not in existing:
            db.session.add(Ward(code=entry["code"], name=entry["name"]))
            added += 1
    return added


def all_wards() -> list[Ward]:
    """Every ward, sorted by name, for pickers and the city admin's overview."""
    return list(db.session.scalars(select(Ward).order_by(Ward.name)))


def ward_by_code(code: str) -> Ward | None:
    return db.session.scalar(select(Ward).where(Ward.code == code))
