"""Load the seed list of Hue's wards into the database."""
from __future__ import annotations

import copy
import unicodedata
from functools import cache
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward

SEED_FILE = Path(__file__).parent / "data" / "hue-wards.yaml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML has it


def read_seed_list(path: Path = SEED_FILE) -> list[dict]:
    """Return the wards listed in the seed file as dicts with `code` and `name`."""
    return copy.deepcopy(_parsed_seed_list(path, path.stat().st_mtime_ns))


@cache
def _parsed_seed_list(path: Path, _mtime_ns: int) -> list[dict]:
    """The file parsed once per version (every new app and test seeds the wards again)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=SAFE_LOADER)["wards"]  # noqa: S506 - a safe loader


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


SIGNER_LINES_MAX = 3
SIGNER_LINE_MAX = 60


def signer_lines(title: str | None) -> tuple[str, ...]:
    """The lines of a signer's title (a ward's, or as kept on a certificate) printed on the
    paper; none: the default line."""
    return tuple(line for line in (title or "").split("\n") if line)


def set_signer_title(ward: Ward, raw: str | None) -> None:
    """Keep the signer's title as typed (tidied); refuse what would not fit the paper."""
    text = unicodedata.normalize("NFC", raw or "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > SIGNER_LINES_MAX:
        raise InputRefused(_l("The signer's title has at most %(count)d lines.",
                              count=SIGNER_LINES_MAX))
    for number, line in enumerate(lines, start=1):
        if len(line) > SIGNER_LINE_MAX:
            raise InputRefused(_l("Line %(number)d of the signer's title is too long: at most "
                                  "%(count)d characters fit on the certificate.",
                                  number=number, count=SIGNER_LINE_MAX))
    ward.signer_title = "\n".join(lines) or None
