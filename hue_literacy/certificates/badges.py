"""Open Badges 3.0: a certificate as a W3C Verifiable Credential, and the revocation status list.

Data in, dicts out; the views sign them as JWTs (jose.py) with the key that signs the QR. An
employer's or another system's verifier finds in the credential the achievement (the profile,
aligned to each competency with the framework id and version), the issuer (the ward's
People's Committee) and a BitstringStatusList entry, so a revocation shows there too.
"""
from __future__ import annotations

import base64
import gzip
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hue_literacy.clock import as_utc

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
             "ob_v3p0_achievementcredential_schema.json")
# Herd privacy (W3C Bitstring Status List): at least 131,072 entries, so a list fetch does
# not tell which certificate is being checked.
MIN_STATUS_BITS = 131_072


@dataclass(frozen=True)
class BadgeAddresses:
    """The public addresses a credential points to (built by the view from the public base)."""

    issuer: str  # the ward's Profile
    achievement: str  # the profile of this framework version, as an Achievement
    status_list: str  # the ward's BitstringStatusListCredential
    verify: str  # the public check page of this certificate


def _when(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(ward_name: str, issuer_name: str, url: str) -> dict:
    """The ward's People's Committee as an Open Badges Profile."""
    return {"id": url, "type": ["Profile"], "name": issuer_name,
            "description": ward_name}


def achievement(url: str, name: str, description: str, criteria: str,
                framework_id: str, framework_version: int, framework_title: str,
                competencies: Iterable[tuple[str, str]], locale: str) -> dict:
    """A profile of the framework as an Achievement, aligned to each of its competencies."""
    return {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": name,
        "description": description,
        "criteria": {"narrative": criteria},
        "humanCode": f"{framework_id} v{framework_version}",
        "version": str(framework_version),
        "inLanguage": locale,
        "alignment": [
            {"type": ["Alignment"], "targetType": "ceasn:Competency", "targetCode": code,
             "targetName": text or code, "targetFramework": f"{framework_title} "
             f"({framework_id}, v{framework_version})", "targetUrl": f"{url}#{code}"}
            for code, text in competencies
        ],
    }


def credential(serial: str, learner_name: str, issued_at: datetime, issuer: dict,
               the_achievement: dict, name: str, status_index: int,
               addresses: BadgeAddresses) -> dict:
    """The OpenBadgeCredential of one certificate (the JWT payload, without its claims)."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, addresses.verify)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": issuer,
        "validFrom": _when(issued_at),
        "awardedDate": _when(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # The name as printed on the paper: the learner shares this file themself.
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": learner_name}],
            "achievement": the_achievement,
        },
        "evidence": [{"id": addresses.verify, "type": ["Evidence"], "name": serial}],
        "credentialStatus": {
            "id": f"{addresses.status_list}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": addresses.status_list,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def jwt_claims(the_credential: dict) -> dict:
    """The credential with the registered JWT claims that mirror it (VC-JWT)."""
    valid_from = datetime.strptime(the_credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
    return {**the_credential, "iss": the_credential["issuer"]["id"],
            "jti": the_credential["id"], "nbf": int(as_utc(valid_from).timestamp())}


def encoded_list(revoked_indexes: Iterable[int]) -> str:
    """The bitstring (index 0 is the first byte's highest bit), GZIP, multibase base64url."""
    indexes = list(revoked_indexes)
    size = max(MIN_STATUS_BITS, ((max(indexes, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def status_list_credential(url: str, issuer: dict, revoked_indexes: Iterable[int],
                           now: datetime) -> dict:
    """The ward's BitstringStatusListCredential: one bit per certificate, set when revoked."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": _when(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_indexes),
        },
    }
