"""The ward's results for national systems: one stable row per certificate, CSV or JSON.

The national platform and VNeID record confirmations, so a row is a certificate issued or
revoked in the period, with what it confirms and how it stands today. The columns, their
order and their meaning are a contract (docs/results-export.md): add new ones at the end and
raise FORMAT_VERSION when a column changes meaning. No name, phone or birth date leaves the
ward this way: the learner is named by the app's id only.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from hue_literacy.accounts.models import User
from hue_literacy.certificates.models import Certificate
from hue_literacy.classes.models import Assessment, Result
from hue_literacy.extensions import db
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward

FORMAT_NAME = "hue-literacy-results"
FORMAT_VERSION = 1
COLUMNS = (
    "learner_id", "group", "profile_id", "framework_id", "framework_version", "competencies",
    "assessed_on", "assessor_roles", "certificate_serial", "status", "issued_on", "revoked_on",
    "ward_code",
)
LIST_SEPARATOR = "|"  # inside one CSV cell: competencies and assessor roles
MAX_DAYS = 366 * 5


class PeriodRefused(InputRefused):
    """The period asked for cannot be read; `message` names the field."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def parse_period(raw_from: str | None, raw_to: str | None, today: date) -> Period:
    """Read `from` and `to` (YYYY-MM-DD, both days included); by default this year to today."""
    start = _parse_day(raw_from, _l("The start date (from)")) or date(today.year, 1, 1)
    end = _parse_day(raw_to, _l("The end date (to)")) or today
    if end < start:
        raise PeriodRefused(_l("The end date (to) is before the start date (from)."))
    if (end - start).days > MAX_DAYS:
        raise PeriodRefused(_l("Please ask for at most five years at once."))
    return Period(start, end)


def _parse_day(raw: str | None, field) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise PeriodRefused(_l("%(field)s must be a date written as YYYY-MM-DD, like "
                               "2026-12-01; “%(value)s” is not.",
                               field=field, value=raw[:20])) from None


@dataclass(frozen=True)
class ResultRow:
    learner_id: int
    group: str | None
    profile_id: str
    framework_id: str
    framework_version: int
    competencies: tuple[str, ...]
    assessed_on: date | None
    assessor_roles: tuple[str, ...]
    certificate_serial: str
    status: str  # valid | revoked
    issued_on: date
    revoked_on: date | None
    ward_code: str


def result_rows(ward: Ward, period: Period, local_date) -> list[ResultRow]:
    """Certificates of the ward issued or revoked in the period, by serial.

    `local_date` turns a stored moment into the day in Hue (for the revocation day).
    """
    start_at, end_at = _bounds(period)
    certificates = [cert for cert in db.session.scalars(
        select(Certificate).where(
            Certificate.ward_id == ward.id,
            or_(and_(Certificate.issued_on >= period.start, Certificate.issued_on <= period.end),
                and_(Certificate.revoked_at.is_not(None), Certificate.revoked_at >= start_at,
                     Certificate.revoked_at < end_at)))
        .order_by(Certificate.year, Certificate.number))
        if _in_period(cert, period, local_date)]
    learner_ids = {cert.learner_id for cert in certificates}
    groups = _groups(learner_ids)
    roles = _roles({assessor for cert in certificates for assessor in cert.assessor_ids or ()})
    assessed = _assessment_days(certificates)
    return [
        ResultRow(
            learner_id=cert.learner_id,
            group=groups.get(cert.learner_id),
            profile_id=cert.profile_id,
            framework_id=cert.framework_id,
            framework_version=cert.framework_version,
            competencies=tuple(cert.competency_ids or ()),
            assessed_on=assessed.get(cert.id),
            assessor_roles=tuple(sorted({roles[a] for a in cert.assessor_ids or () if a in roles})),
            certificate_serial=cert.serial,
            status="revoked" if cert.revoked_at else "valid",
            issued_on=cert.issued_on,
            revoked_on=local_date(cert.revoked_at) if cert.revoked_at else None,
            ward_code=ward.code,
        )
        for cert in certificates
    ]


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """Moments a day wider than the period on each side: wide enough for any time zone, the
    revocation day in Hue is then compared exactly."""
    start = datetime.combine(period.start - timedelta(days=1), time.min, UTC)
    end = datetime.combine(period.end + timedelta(days=2), time.min, UTC)
    return start, end


def _in_period(certificate: Certificate, period: Period, local_date) -> bool:
    if period.start <= certificate.issued_on <= period.end:
        return True
    return certificate.revoked_at is not None and (
        period.start <= local_date(certificate.revoked_at) <= period.end)


def _groups(learner_ids: Iterable[int]) -> dict[int, str | None]:
    ids = sorted(set(learner_ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.group).where(User.id.in_(ids))).all())


def _roles(user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.role).where(User.id.in_(ids))).all())


def _assessment_days(certificates: list[Certificate]) -> dict[int, date]:
    """Per certificate, the day of the last "alone" assessment behind it (up to its issue)."""
    learner_ids = sorted({cert.learner_id for cert in certificates})
    if not learner_ids:
        return {}
    days: dict[tuple[int, str], list[date]] = defaultdict(list)
    for learner_id, competency_id, day in db.session.execute(
        select(Assessment.learner_id, Assessment.competency_id, Assessment.assessed_on)
        .where(Assessment.learner_id.in_(learner_ids), Assessment.result == Result.ALONE)
    ):
        days[(learner_id, competency_id)].append(day)
    found = {}
    for cert in certificates:
        latest = [max((day for day in days[(cert.learner_id, comp)] if day <= cert.issued_on),
                      default=None) for comp in cert.competency_ids or ()]
        latest = [day for day in latest if day is not None]
        if latest:
            found[cert.id] = max(latest)
    return found


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_rows(rows: Iterable[ResultRow]) -> list[list[object]]:
    """The header and one line per result, for spreadsheets.csv_bytes."""
    return [list(COLUMNS)] + [[_cell(getattr(row, column)) for column in COLUMNS]
                              for row in rows]


def json_document(ward: Ward, period: Period, rows: Iterable[ResultRow],
                  generated_at: datetime) -> dict:
    """The same results as a JSON document with its format name and version."""
    def value(row: ResultRow, column: str):
        item = getattr(row, column)
        if isinstance(item, tuple):
            return list(item)
        if isinstance(item, date):
            return item.isoformat()
        return item

    results = [{column: value(row, column) for column in COLUMNS} for row in rows]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "ward": {"code": ward.code, "name": ward.name},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "count": len(results),
        "results": results,
    }
