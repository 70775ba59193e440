"""Certificate rules: issue with a serial per ward and year, revoke, find, print, verify.

Who may do what (views check it with access.py, these functions check it again):
- Officials issue and revoke certificates of learners of their own ward; the city admin in
  every ward. Ambassadors and learners cannot (403).
- A learner sees and downloads their own certificates.
- Anyone may verify a certificate by its code, and sees only the masked name, the ward, the
  date, the competencies and whether it is valid or revoked (with the date, not the reason:
  a reason is free text written by staff and may hold personal data).

Issued certificates are never edited (models.py refuses it): a mistake is fixed by revoking
with a reason and issuing a new certificate, which gets a new serial and code.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hue_literacy.access import Role, may_act_in_ward
from hue_literacy.accounts.models import User
from hue_literacy.certificates.eligibility import (
    Eligibility,
)
from hue_literacy.certificates.models import AuditEntry, Certificate, MasteryCache, SerialCounter
from hue_literacy.certificates.signing import (
    format_code,
    new_code,
    normalise_code,
)
from hue_literacy.content.framework import Framework, localised
from hue_literacy.dashboard import tallies
from hue_literacy.database import insert_on_conflict
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.services import signer_lines

if TYPE_CHECKING:
    from hue_literacy.certificates.pdf import PrintedCertificate

ISSUED = "issued"
REVOKED = "revoked"
MIN_REASON = 5
MAX_REASON = 500


class CertificateRefused(InputRefused):
    """Issuing or revoking was refused; `message` says why in the user's language."""


# --- who may -------------------------------------------------------------------------------


def may_certify(user: User, ward_id: int | None) -> bool:
    """Officials of the ward and the city admin issue, revoke and print certificates."""
    return user.role in (Role.OFFICIAL, Role.ADMIN) and may_act_in_ward(user, ward_id)


def may_download(user: User, certificate: Certificate) -> bool:
    """The learner themself, officials of the issuing ward and the city admin."""
    return user.id == certificate.learner_id or may_certify(user, certificate.ward_id)


# --- serials and codes ----------------------------------------------------------------------


def format_serial(ward_code: str, year: int, number: int) -> str:
    return f"HUE-{ward_code}-{year}-{number:06d}"


def next_number(ward_id: int, year: int) -> int:
    """Take the next serial number of a ward and year, in one atomic statement.

    The counter row is created or bumped by INSERT ... ON CONFLICT DO UPDATE ... RETURNING:
    PostgreSQL locks the row until the transaction ends, SQLite the whole database, so two
    officials issuing at the same moment get different numbers; a rolled-back issue gives
    its number back. The unique serial is the second line of defence.
    """
    table = SerialCounter.__table__
    statement = (
        insert_on_conflict(table)
        .values(ward_id=ward_id, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[table.c.ward_id, table.c.year],
            set_={"last_number": table.c.last_number + 1},
        )
        .returning(table.c.last_number)
    )
    return db.session.execute(statement).scalar_one()


def unused_code() -> str:
    """A typeable code no other certificate has (the unique column is the backstop)."""
    while True:
        code = new_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


# --- issuing and revoking -------------------------------------------------------------------


def valid_certificate(learner_id: int, profile_id: str | None = None) -> Certificate | None:
    """The learner's valid certificate (of `profile_id` when given), newest first."""
    query = select(Certificate).where(
        Certificate.learner_id == learner_id, Certificate.revoked_at.is_(None)
    )
    if profile_id:
        query = query.where(Certificate.profile_id == profile_id)
    return db.session.scalar(query.order_by(Certificate.issued_at.desc()).limit(1))


def certified_competencies(learner_ids: Iterable[int]) -> dict[int, set[str]]:
    """The competencies each learner's valid certificates confirm, whatever their version."""
    ids = sorted(set(learner_ids))
    found: dict[int, set[str]] = {learner_id: set() for learner_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(Certificate.learner_id, Certificate.competency_ids).where(
            Certificate.learner_id.in_(ids), Certificate.revoked_at.is_(None))
    )
    for learner_id, competency_ids in rows:
        found[learner_id].update(competency_ids or ())
    return found


def holds_valid_certificate(user_id: int) -> bool:
    """True when the person holds a certificate that is not revoked (for Digital Families)."""
    return valid_certificate(user_id) is not None


def issue_certificate(
    learner: User,
    official: User,
    framework: Framework,
    eligibility: Eligibility,
    today: date,
    now: datetime | None = None,
) -> Certificate:
    """Issue the certificate of the learner's profile; the caller commits (rolls back if refused).

    `eligibility` must be computed just before (eligibility_for), so what is printed is what
    the learner has shown; the assessors come from the assessments it was computed from.
    """
    if not may_certify(official, learner.ward_id):
        raise CertificateRefused(_l("Only officials of the learner's ward can issue certificates."))
    if learner.role != Role.LEARNER or not learner.is_active:
        raise CertificateRefused(_l("Certificates are issued to learners only."))
    if not eligibility.eligible:
        raise CertificateRefused(_l("This learner has not yet shown every skill of the profile."))
    if valid_certificate(learner.id, eligibility.profile_id) is not None:
        raise CertificateRefused(_l("This learner already holds this certificate."))
    ward = learner.ward
    number = next_number(ward.id, today.year)
    certificate = Certificate(
        serial=format_serial(ward.code, today.year, number),
        code=unused_code(),
        ward_id=ward.id,
        year=today.year,
        number=number,
        learner_id=learner.id,
        learner_name=unicodedata.normalize("NFC", learner.full_name or ""),
        learner_birth_date=learner.birth_date,
        ward_name=ward.name,
        framework_id=framework.id,
        framework_version=framework.version,
        profile_id=eligibility.profile_id,
        competency_ids=list(eligibility.competency_ids),
        assessor_ids=list(eligibility.assessor_ids),
        assessor_names=list(eligibility.assessor_names),
        issued_by_id=official.id,
        issued_by_name=official.full_name or "",
        signer_title=ward.signer_title or "",
        issued_on=today,
        issued_at=now or utcnow(),
    )
    db.session.add(certificate)
    try:
        db.session.flush()
    except IntegrityError as error:  # approved twice at the same moment: the caller rolls back
        raise CertificateRefused(_l("This learner already holds this certificate.")) from error
    db.session.add(AuditEntry(action=ISSUED, actor_id=official.id, certificate_id=certificate.id,
                              at=certificate.issued_at))
    tallies.certificate_changed(learner.id)
    return certificate


def revoke_certificate(
    certificate: Certificate, actor: User | None, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke with a reason (kept for officials and the audit log, never shown publicly).

    `actor` None is the system (an account deleted at the learner's request).
    """
    if actor is not None and not may_certify(actor, certificate.ward_id):
        raise CertificateRefused(_l("Only officials of the certificate's ward can revoke it."))
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise CertificateRefused(_l("Please write why the certificate is revoked."))
    if len(reason) > MAX_REASON:
        raise CertificateRefused(_l("Please write the reason in at most 500 characters."))
    now = now or utcnow()
    changed = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor.id if actor else None,
                revocation_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise CertificateRefused(_l("This certificate was already revoked."))
    db.session.refresh(certificate)
    db.session.add(AuditEntry(action=REVOKED, actor_id=actor.id if actor else None,
                              certificate_id=certificate.id, reason=reason, at=now))
    tallies.certificate_changed(certificate.learner_id)
    return certificate


# --- finding -------------------------------------------------------------------------------


def certificate_by_code(raw_code: str | None) -> Certificate | None:
    code = normalise_code(raw_code)
    if code is None:
        return None
    return db.session.scalar(
        select(Certificate).options(joinedload(Certificate.ward)).where(Certificate.code == code)
    )


def certificates_of_learner(learner_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.learner_id == learner_id)
        .order_by(Certificate.issued_at.desc())
    ))


def certificates_of_ward(
    ward_id: int, year: int | None = None, valid_only: bool = False, limit: int | None = None
) -> list[Certificate]:
    """Certificates issued in a ward, by serial (the order of a printed batch)."""
    query = select(Certificate).where(Certificate.ward_id == ward_id)
    if year:
        query = query.where(Certificate.year == year)
    if valid_only:
        query = query.where(Certificate.revoked_at.is_(None))
    query = query.order_by(Certificate.year.desc(), Certificate.number.desc())
    if limit:
        query = query.limit(limit)
    found = list(db.session.scalars(query))
    return found if limit else sorted(found, key=lambda cert: (cert.year, cert.number))


def certificates_of_learners(learner_ids: Iterable[int]) -> list[Certificate]:
    """Valid certificates of the given learners (a class), by serial."""
    ids = list(learner_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(Certificate)
        .where(Certificate.learner_id.in_(ids), Certificate.revoked_at.is_(None))
        .order_by(Certificate.ward_id, Certificate.year, Certificate.number)
    ))


def audit_log(certificate_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.certificate_id == certificate_id).order_by(AuditEntry.at, AuditEntry.id)
    ))


def issued_years(ward_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Certificate.year).where(Certificate.ward_id == ward_id).distinct()
        .order_by(Certificate.year.desc())
    ))


# --- printing and public checks -------------------------------------------------------------


def printed(
    certificate: Certificate,
    framework: Framework,
    locale: str,
    verify_url: str,
    lookup_url: str,
) -> PrintedCertificate:
    """What the paper shows, in `locale`; competency texts from the framework (ids if gone)."""
    from hue_literacy.certificates.pdf import PrintedCertificate  # the renderer loads late

    profile = framework.profile(certificate.profile_id)
    return PrintedCertificate(
        serial=certificate.serial,
        code=format_code(certificate.code),
        learner_name=certificate.learner_name or "",
        birth_date=certificate.learner_birth_date,
        ward_name=certificate.ward_name,
        framework_title=localised(framework.title, locale),
        framework_id=certificate.framework_id,
        framework_version=certificate.framework_version,
        profile_name=localised(profile.name, locale) if profile else certificate.profile_id,
        competencies=competency_texts(certificate.competency_ids, framework, locale),
        issued_on=certificate.issued_on,
        official_name=certificate.issued_by_name,
        verify_url=verify_url,
        lookup_url=lookup_url,
        revoked=certificate.revoked_at is not None,
        signer_title=signer_lines(certificate.ward.signer_title if certificate.signer_title is None
                                  else certificate.signer_title),
    )


def competency_texts(
    competency_ids: Sequence[str], framework: Framework, locale: str
) -> tuple[tuple[str, str], ...]:
    texts = []
    for competency_id in competency_ids:
        competency = framework.competencies.get(competency_id)
        texts.append((competency_id, localised(competency.text, locale) if competency else ""))
    return tuple(texts)


def mask_name(full_name: str | None) -> str:
    """`Nguyễn Thị Hoa` -> `N. T. H.`: only initials, so no word of the name is shown whole
    (a one-word name or a rare family name would otherwise name the holder)."""
    words = unicodedata.normalize("NFC", full_name or "").split()
    return " ".join(f"{word[0].upper()}." for word in words)


@dataclass(frozen=True)
class PublicView:
    """All the verification page may show of a certificate: nothing else personal."""

    status: str  # valid | revoked
    masked_name: str
    ward_name: str
    issued_on: date
    revoked_on: date | None
    serial: str
    code: str
    profile_name: str
    framework_id: str
    framework_version: int
    competencies: tuple[tuple[str, str], ...]


def public_view(certificate: Certificate, framework: Framework, locale: str,
                local_date: Callable[[datetime], date]) -> PublicView:
    profile = framework.profile(certificate.profile_id)
    return PublicView(
        status="revoked" if certificate.revoked_at else "valid",
        masked_name=mask_name(certificate.learner_name),
        ward_name=certificate.ward_name,
        issued_on=certificate.issued_on,
        revoked_on=local_date(certificate.revoked_at) if certificate.revoked_at else None,
        serial=certificate.serial,
        code=format_code(certificate.code),
        profile_name=localised(profile.name, locale) if profile else certificate.profile_id,
        framework_id=certificate.framework_id,
        framework_version=certificate.framework_version,
        competencies=competency_texts(certificate.competency_ids, framework, locale),
    )


# --- personal data -------------------------------------------------------------------------

ERASED_REASON = "The learner's account was deleted."


def export_certificates(user: User) -> tuple[str, list]:
    """A learner's certificates, as issued."""
    return "certificates", [
        {
            "serial": cert.serial,
            "code": format_code(cert.code),
            "name_as_printed": cert.learner_name,
            "birth_date_as_printed": cert.learner_birth_date.isoformat()
            if cert.learner_birth_date else None,
            "ward": cert.ward_name,
            "framework": f"{cert.framework_id} v{cert.framework_version}",
            "profile": cert.profile_id,
            "competencies": list(cert.competency_ids),
            "issued_on": cert.issued_on.isoformat(),
            "issued_by": cert.issued_by_name,
            "revoked_at": cert.revoked_at.isoformat() if cert.revoked_at else None,
        }
        for cert in certificates_of_learner(user.id)
    ]


def erase_certificates(user: User) -> None:
    """Revoke a deleted learner's certificates and blank the name and birth date printed.

    The serials stay in the register (numbers are never reused); the verification page then
    says "revoked" and shows no name.
    """
    db.session.execute(delete(MasteryCache).where(MasteryCache.learner_id == user.id))
    for cert in certificates_of_learner(user.id):
        if cert.revoked_at is None:
            revoke_certificate(cert, None, ERASED_REASON)
        cert.learner_name = None
        cert.learner_birth_date = None
