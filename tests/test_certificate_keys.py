"""Ed25519 signing keys: made by a command outside the database, rotated, published as JWKS;
the QR's signed statement verifies with them, and papers printed before (HMAC) still do."""
from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from qrcode.constants import ERROR_CORRECT_Q

from hue_literacy.accounts.models import User
from hue_literacy.certificates import checking
from hue_literacy.certificates.keys import load_keyring
from hue_literacy.certificates.signing import format_code, sign
from hue_literacy.certificates.statement import (
    Statement,
    StatementRefused,
    read_statement,
    sign_statement,
)
from hue_literacy.config import production_warnings
from hue_literacy.extensions import db
from tests.test_certificates import english, issue, make_people


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def certificate(app, people):
    with app.test_request_context():
        return issue(db.session.get(User, people["hoa"].id),
                     db.session.get(User, people["official_a"].id))


@pytest.fixture
def own_keys(app, tmp_path):
    """This test's own key folder (the session's shared one stays as it is)."""
    app.config["CERTIFICATE_KEYS_DIR"] = str(tmp_path / "keys")
    return tmp_path / "keys"


def printed_url(client, auth, people, certificate) -> str:
    """The URL the printed QR carries, as the PDF view builds it."""
    from hue_literacy.certificates import views

    auth.as_user(people["official_a"])
    with client.application.test_request_context():
        cert = db.session.get(type(certificate), certificate.id)
        return views._verify_url(cert, load_keyring(
            Path(client.application.config["CERTIFICATE_KEYS_DIR"])))


def test_generate_makes_a_key_only_its_owner_reads_and_refuses_a_second(app, own_keys):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["certificates", "keys", "generate"])
    assert made.exit_code == 0, made.output
    ring = load_keyring(own_keys)
    kid = ring.current_kid
    assert kid and kid in made.output
    assert stat.S_IMODE((own_keys / f"{kid}.key").stat().st_mode) == 0o600
    again = runner.invoke(args=["certificates", "keys", "generate"])
    assert again.exit_code != 0 and "rotate" in again.output
    quiet = runner.invoke(args=["certificates", "keys", "generate", "--if-missing"])
    assert quiet.exit_code == 0 and load_keyring(own_keys).current_kid == kid


def test_rotation_signs_new_papers_with_the_new_key_and_old_papers_still_verify(
        app, client, auth, people, certificate, own_keys):
    runner = app.test_cli_runner()
    runner.invoke(args=["certificates", "keys", "generate"])
    old_kid = load_keyring(own_keys).current_kid
    old_url = printed_url(client, auth, people, certificate)
    rotated = runner.invoke(args=["certificates", "keys", "rotate"])
    assert rotated.exit_code == 0, rotated.output
    ring = load_keyring(own_keys)
    assert ring.current_kid != old_kid
    assert not (own_keys / f"{old_kid}.key").exists()  # the old key signs nothing new
    listed = runner.invoke(args=["certificates", "keys", "list"]).output
    assert old_kid in listed and f"{ring.current_kid}  (signs now)" in listed

    keys = client.get("/.well-known/jwks.json")
    assert keys.headers["Cache-Control"].startswith("public")
    published = keys.get_json()["keys"]
    assert [key["kid"] for key in published] == [ring.current_kid, old_kid]
    assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
               for key in published)

    english(client)
    new_url = printed_url(client, auth, people, certificate)
    for url in (old_url, new_url):
        parts = urlsplit(url)
        page = client.get(f"{parts.path}?{parts.query}").get_data(as_text=True)
        assert "Genuine: this QR code was made by the Hue Digital Literacy app" in page
    stated = read_statement(parse_qs(urlsplit(new_url).query)["t"][0], ring.public_keys)
    assert stated.kid == ring.current_kid


def test_the_statement_holds_what_the_check_page_shows_and_no_more(app, client, auth, people,
                                                                  certificate):
    url = printed_url(client, auth, people, certificate)
    ring = load_keyring(Path(app.config["CERTIFICATE_KEYS_DIR"]))
    stated = read_statement(parse_qs(urlsplit(url).query)["t"][0], ring.public_keys)
    assert stated == Statement(serial=certificate.serial, masked_name="N. T. H.",
                               ward_name="Phú Xuân", profile_id=certificate.profile_id,
                               framework_version=certificate.framework_version,
                               issued_on=certificate.issued_on, kid=ring.current_kid)
    assert "Nguyễn" not in url and "1951" not in url


def test_the_qr_stays_a_low_version_with_a_long_address_and_ward_name():
    statement = Statement("HUE-PHUXUAN-2026-123456", "N. T. T. H.", "Phong Điền Thượng",
                          "elderly", 2, date(2026, 12, 31))
    token = sign_statement(statement, "AbCdEfGh", Ed25519PrivateKey.generate())
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q)
    code.add_data(f"https://hocso.hue.gov.vn/verify/7KQM-X4RT?t={token}")
    code.make(fit=True)
    assert code.version <= 13  # 69 modules: 50 mm at 0.7 mm, readable at 72 dpi


def test_tampered_foreign_and_misplaced_statements_are_not_genuine(app, client, auth, people,
                                                                  certificate):
    english(client)
    code = format_code(certificate.code)
    url = printed_url(client, auth, people, certificate)
    token = parse_qs(urlsplit(url).query)["t"][0]
    ring = load_keyring(Path(app.config["CERTIFICATE_KEYS_DIR"]))
    kid = ring.current_kid
    with app.test_request_context():
        cert = db.session.get(type(certificate), certificate.id)
        statement = checking.statement_of(cert)
    # A forger with their own key but our key id; a statement of another serial; a flipped bit.
    forged = sign_statement(statement, kid, Ed25519PrivateKey.generate())
    other = sign_statement(Statement(**{**statement.__dict__, "serial": "HUE-PHUXUAN-2026-999999"}),
                           kid, ring.private_key)
    flipped = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    for bad in (forged, other, flipped, "NOTATOKEN", "x" * 2000):
        page = client.get(f"/verify/{code}?t={bad}").get_data(as_text=True)
        assert "Do not trust this paper" in page and "Genuine" not in page
        assert "This certificate is valid." not in page
    with pytest.raises(StatementRefused) as refused:
        read_statement(forged, ring.public_keys)
    assert refused.value.reason == "bad_signature"
    with pytest.raises(StatementRefused) as unknown:
        read_statement(sign_statement(statement, "unknown1", ring.private_key), ring.public_keys)
    assert unknown.value.reason == "unknown_key"


def test_a_paper_printed_with_the_old_hmac_signature_still_verifies(app, client, certificate):
    english(client)
    code = format_code(certificate.code)
    old = sign(certificate.serial, certificate.code, app.config["SECRET_KEY"])  # the old path
    page = client.get(f"/verify/{code}?s={old}").get_data(as_text=True)
    assert "Genuine: this QR code was made by the Hue Digital Literacy app" in page


def test_without_a_signing_key_printing_says_what_to_do_and_a_start_warns(app, client, auth,
                                                                         people, certificate,
                                                                         own_keys):
    auth.as_user(people["official_a"])
    english(client)
    response = client.get(f"/certificates/{certificate.id}.pdf", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "this server has no signing key" in response.get_data(as_text=True)
    warnings = production_warnings({"SECRET_KEY": "k" * 32, "CERTIFICATE_BASE_URL": "https://x",
                                    "CERTIFICATE_KEYS_DIR": str(own_keys)})
    assert any("flask certificates keys generate" in warning for warning in warnings)
