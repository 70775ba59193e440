"""Open Badges 3.0: the downloaded credential validates against the official schema, its
EdDSA signature verifies with an independent JOSE library (PyJWT), and a revocation shows in
the ward's BitstringStatusList."""
from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import jwt
import pytest
from jsonschema import Draft201909Validator

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.extensions import db
from tests.test_certificates import issue, make_people

SCHEMA = json.loads((Path(__file__).parent / "schemas"
                     / "ob_v3p0_achievementcredential_schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def certificate(app, people):
    with app.test_request_context():
        return issue(db.session.get(User, people["hoa"].id),
                     db.session.get(User, people["official_a"].id))


def verified(client, token: str) -> dict:
    """Decode with PyJWT and the key the JWKS publishes for the header's kid."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwks = client.get("/.well-known/jwks.json").get_json()
    key = jwt.PyJWK(next(entry for entry in jwks["keys"] if entry["kid"] == kid))
    return jwt.decode(token, key=key, algorithms=["EdDSA"])


def revoked_bit(client, entry: dict) -> int:
    path = entry["statusListCredential"].split("localhost", 1)[1]
    listed = verified(client, client.get(path).get_data(as_text=True))
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_the_learner_downloads_an_open_badge_that_meets_the_schema_and_verifies(
        client, auth, people, certificate):
    auth.as_user(people["hoa"])
    response = client.get(f"/certificates/{certificate.id}/open-badge.jwt")
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    assert f'filename="{certificate.serial}-open-badge.jwt"' in \
        response.headers["Content-Disposition"]
    token = response.get_data(as_text=True)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"]
    badge = verified(client, token)

    errors = sorted(Draft201909Validator(SCHEMA).iter_errors(badge), key=str)
    assert errors == []
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["iss"] == badge["issuer"]["id"] and badge["jti"] == badge["id"]
    assert badge["issuer"]["name"] == "Ủy ban nhân dân phường Phú Xuân"
    achievement = badge["credentialSubject"]["achievement"]
    assert [a["targetCode"] for a in achievement["alignment"]] == certificate.competency_ids
    assert achievement["humanCode"] == (
        f"{certificate.framework_id} v{certificate.framework_version}")
    assert all(certificate.framework_id in a["targetFramework"]
               for a in achievement["alignment"])
    assert badge["credentialSubject"]["identifier"][0]["identityHash"] == "Nguyễn Thị Hoa"
    assert badge["credentialStatus"]["type"] == "BitstringStatusListEntry"
    # The achievement and the issuer it names are served at their addresses.
    for url in (achievement["id"], badge["issuer"]["id"]):
        assert client.get(url.split("localhost", 1)[1]).status_code == 200


def test_a_changed_badge_fails_the_independent_check(client, auth, people, certificate):
    auth.as_user(people["hoa"])
    token = client.get(f"/certificates/{certificate.id}/open-badge.jwt").get_data(as_text=True)
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        verified(client, f"{head}.{forged}.{signature}")


def test_a_revocation_shows_in_the_wards_status_list(app, client, auth, people, certificate):
    auth.as_user(people["hoa"])
    token = client.get(f"/certificates/{certificate.id}/open-badge.jwt").get_data(as_text=True)
    entry = verified(client, token)["credentialStatus"]
    assert entry["statusPurpose"] == "revocation"
    assert revoked_bit(client, entry) == 0
    with app.test_request_context():
        services.revoke_certificate(db.session.get(type(certificate), certificate.id),
                                    db.session.get(User, people["official_a"].id),
                                    "Issued to the wrong person")
        db.session.commit()
    assert revoked_bit(client, entry) == 1


def test_only_the_holder_and_their_wards_officials_download_the_badge(client, auth, people,
                                                                     certificate):
    url = f"/certificates/{certificate.id}/open-badge.jwt"
    for who, status in (("official_a", 200), ("admin", 200), ("official_b", 403),
                        ("ambassador_a", 403), ("loc", 403)):
        auth.as_user(people[who])
        assert client.get(url).status_code == status, who
