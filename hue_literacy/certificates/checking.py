"""Checking a certificate without this server's secret: the QR's signed statement, the list
of revoked serials, and the certificate as an Open Badges 3.0 credential with its status list.

Plain functions with explicit arguments, like services.py (which stays about issuing).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from hue_literacy.certificates import badges
from hue_literacy.certificates.models import Certificate
from hue_literacy.certificates.services import competency_texts, mask_name
from hue_literacy.certificates.signing import signature_matches
from hue_literacy.certificates.statement import Statement, StatementRefused, read_statement
from hue_literacy.content.framework import Framework, localised
from hue_literacy.extensions import db


def statement_of(certificate: Certificate) -> Statement:
    """What the printed QR states about the certificate (no more than the check page shows)."""
    return Statement(
        serial=certificate.serial,
        masked_name=mask_name(certificate.learner_name),
        ward_name=certificate.ward_name,
        profile_id=certificate.profile_id,
        framework_version=certificate.framework_version,
        issued_on=certificate.issued_on,
    )


def qr_is_genuine(certificate: Certificate, token: str | None, hmac_signature: str | None,
                  public_keys, secret_key: str) -> bool:
    """True when the QR's signed statement (or, on papers printed before, its HMAC) is ours
    and is about this very certificate: a genuine statement of another one is no proof."""
    if token:
        try:
            stated = read_statement(token, public_keys)
        except StatementRefused:
            return False
        expected = statement_of(certificate)
        return (stated.serial, stated.profile_id, stated.framework_version, stated.issued_on,
                stated.ward_name) == (expected.serial, expected.profile_id,
                                      expected.framework_version, expected.issued_on,
                                      expected.ward_name)
    return signature_matches(certificate.serial, certificate.code, hmac_signature, secret_key)


def revocation_list(now: datetime) -> dict:
    """Every revoked serial of the city, for phones that check papers with no network.

    Serials name no one (the check page shows them to anyone with the code); the time it was
    made tells the phone how old its copy is.
    """
    serials = db.session.scalars(
        select(Certificate.serial).where(Certificate.revoked_at.is_not(None))
        .order_by(Certificate.serial))
    return {"generated_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "revoked": list(serials)}


def issuer_name(ward_name: str, locale: str) -> str:
    """The issuing body as the paper names it: the ward's People's Committee."""
    with force_locale(locale):
        return _("People's Committee of %(ward)s Ward", ward=ward_name)


def achievement_of(framework: Framework, profile_id: str, url: str, locale: str,
                   competency_ids: Sequence[str] | None = None) -> dict:
    """A profile of a framework version as an Open Badges Achievement, aligned to its
    competencies (or to `competency_ids`, those a certificate confirms)."""
    profile = framework.profile(profile_id)
    name = localised(profile.name, locale) if profile else profile_id
    if competency_ids is None:
        competency_ids = profile.competency_ids if profile else ()
    competencies = competency_texts(competency_ids, framework, locale)
    with force_locale(locale):
        description = _("The competencies of the profile “%(profile)s” of the %(framework)s.",
                        profile=name, framework=localised(framework.title, locale))
        criteria = _("Mastered in practice in the app and done alone in a practical assessment "
                     "watched by a digital ambassador or a ward official.")
    return badges.achievement(url, name, description, criteria, framework.id, framework.version,
                              localised(framework.title, locale), competencies, locale)


def open_badge(certificate: Certificate, framework: Framework, locale: str,
               addresses: badges.BadgeAddresses) -> dict:
    """The certificate as an OpenBadgeCredential (JWT payload, claims included).

    The achievement lists the competencies the certificate confirms (its snapshot), in the
    framework version it was earned under.
    """
    the_achievement = achievement_of(framework, certificate.profile_id, addresses.achievement,
                                     locale, certificate.competency_ids)
    issuer = badges.issuer_profile(certificate.ward_name,
                                   issuer_name(certificate.ward_name, locale), addresses.issuer)
    the_credential = badges.credential(
        certificate.serial, certificate.learner_name or "", certificate.issued_at, issuer,
        the_achievement, the_achievement["name"], certificate.id, addresses)
    return badges.jwt_claims(the_credential)


def status_list_of(ward_id: int, ward_name: str, url: str, issuer_url: str, locale: str,
                   now: datetime) -> dict:
    """The ward's revocation status list: bit `certificate.id` set when it is revoked."""
    revoked = db.session.scalars(
        select(Certificate.id).where(Certificate.ward_id == ward_id,
                                     Certificate.revoked_at.is_not(None)))
    issuer = badges.issuer_profile(ward_name, issuer_name(ward_name, locale), issuer_url)
    return badges.status_list_credential(url, issuer, revoked, now)
