"""The public check page: masked name, nothing else personal, signatures, revocations, limits."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.certificates.models import Certificate
from hue_literacy.certificates.signing import format_code, sign
from hue_literacy.downloads import personal_data_context
from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdMember
from tests.factories import ward
from tests.test_certificates import english, issue, make_people


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def hoas_certificate(app, people) -> Certificate:
    with app.test_request_context():
        household = Household(ward_id=ward("PHUXUAN").id, address="27 Đặng Thái Thân",
                              address_key="27 dang thai than", consent_at=datetime.now(UTC))
        db.session.add(household)
        db.session.flush()
        db.session.add(HouseholdMember(household_id=household.id, full_name="Nguyễn Thị Hoa",
                                       role="grandmother", phone="0912345678",
                                       learner_id=people["hoa"].id))
        return issue(db.session.get(User, people["hoa"].id),
                     db.session.get(User, people["official_a"].id))


def test_the_check_page_shows_a_masked_name_and_nothing_else_personal(client, hoas_certificate):
    english(client)
    response = client.get(f"/verify/{format_code(hoas_certificate.code)}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "This certificate is valid." in page
    assert "N. T. H." in page
    assert "Nguyễn" not in page
    assert "Phú Xuân" in page
    assert hoas_certificate.serial in page
    assert "Open the phone&#39;s QR scanner" in page or "Open the phone's QR scanner" in page
    assert 'name="robots" content="noindex"' in page
    for secret in ("0912345678", "0912 345 678", "912345678", "1951", "07/02", "02/07",
                   "Đặng Thái Thân", "Trần Văn Bình", "Lê Thị Thu", "Genuine"):
        assert secret not in page, secret


def test_the_check_page_speaks_vietnamese(client, hoas_certificate):
    """Needs the merged Vietnamese catalogue (pending/certificates.yaml)."""
    page = client.get(f"/verify/{hoas_certificate.code}",
                      headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Giấy chứng nhận này còn hiệu lực." in page
    assert "Mở máy quét QR của điện thoại" in page


def test_revocation_shows_on_the_check_page_with_its_date_not_its_reason(app, client, people,
                                                                         hoas_certificate):
    with app.test_request_context():
        services.revoke_certificate(db.session.get(Certificate, hoas_certificate.id),
                                    db.session.get(User, people["official_a"].id),
                                    "Born 07/02/1951 not 1950, phone 0912345678",
                                    now=datetime(2026, 4, 2, 3, 0, tzinfo=UTC))
        db.session.commit()
    english(client)
    page = client.get(f"/verify/{hoas_certificate.code}").get_data(as_text=True)
    assert "This certificate was revoked on 2 April 2026" in page
    assert "This certificate is valid." not in page
    assert "Born" not in page
    assert "0912345678" not in page


def test_a_typed_code_is_read_in_any_case_and_with_any_spaces(client, hoas_certificate):
    typed = f" {hoas_certificate.code[:4].lower()} {hoas_certificate.code[4:].lower()} "
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{format_code(hoas_certificate.code)}")
    assert client.get(f"/verify/{hoas_certificate.code.lower()}").status_code == 200


def test_unknown_and_malformed_codes(client, hoas_certificate):
    english(client)
    assert "Check a certificate" in client.get("/verify").get_data(as_text=True)
    unknown = client.get("/verify/2222-2222")
    assert unknown.status_code == 404
    assert "No certificate has the code 2222-2222" in unknown.get_data(as_text=True)
    malformed = client.get("/verify", query_string={"code": "hello"})
    assert malformed.status_code == 400
    assert "8 letters and digits" in malformed.get_data(as_text=True)
    script = client.get("/verify/<script>alert(1)</script>")
    assert script.status_code == 404
    assert "<script>alert" not in script.get_data(as_text=True)


def test_only_the_apps_signature_makes_a_certificate_genuine(app, client, hoas_certificate):
    english(client)
    code = format_code(hoas_certificate.code)
    good = sign(hoas_certificate.serial, hoas_certificate.code, app.config["SECRET_KEY"])
    genuine = client.get(f"/verify/{code}?s={good}").get_data(as_text=True)
    assert "Genuine: this QR code was made by the Hue Digital Literacy app" in genuine
    tampered = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
    for signature in (tampered, "x", sign(hoas_certificate.serial, hoas_certificate.code, "k")):
        page = client.get(f"/verify/{code}?s={signature}").get_data(as_text=True)
        assert "Genuine" not in page
        assert "this QR code was not made by the app" in page
    typed = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Genuine" not in typed and "not made by the app" not in typed


def test_a_tampered_signature_never_shows_as_valid(app, client, hoas_certificate):
    english(client)
    code = format_code(hoas_certificate.code)
    good = sign(hoas_certificate.serial, hoas_certificate.code, app.config["SECRET_KEY"])
    tampered = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
    for signature in (tampered, "x", ""):
        page = client.get(f"/verify/{code}?s={signature}").get_data(as_text=True)
        headline = page.split("<h1>")[1].split("<dl")[0]
        assert "This certificate is valid." not in page
        assert "notice--success" not in headline
        assert "Do not trust this paper" in headline
    genuine = client.get(f"/verify/{code}?s={good}").get_data(as_text=True)
    assert "This certificate is valid." in genuine


def test_a_one_word_name_is_masked_on_the_check_page(app, client, people):
    with app.test_request_context():
        hoa = db.session.get(User, people["hoa"].id)
        hoa.full_name = "Hoa"
        certificate = issue(hoa, db.session.get(User, people["official_a"].id))
    english(client)
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Hoa" not in page.split('class="facts"')[1].split("</dl>")[0]
    assert "<dd>H.</dd>" in page


def test_too_many_checks_from_one_address_must_wait(app, client, hoas_certificate):
    english(client)
    for number in range(30):
        code = hoas_certificate.code if number % 2 else "2222-2222"
        assert client.get(f"/verify/{code}").status_code in (200, 404)
    refused = client.get(f"/verify/{hoas_certificate.code}")
    assert refused.status_code == 429
    assert "Please wait 10 minutes" in refused.get_data(as_text=True)
    other = client.get(f"/verify/{hoas_certificate.code}",
                       environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
    # Sign-in throttling of the same address is not affected.
    with app.app_context():
        from hue_literacy.accounts.throttle import ThrottlePolicy, seconds_to_wait

        policy = ThrottlePolicy(app.config["SIGNIN_WINDOW"], 5, 30)
        assert seconds_to_wait(policy, None, "127.0.0.1") == 0


# --- personal data -------------------------------------------------------------------------


def test_certificates_are_in_the_data_export_and_revoked_on_deletion(app, client, people,
                                                                     hoas_certificate):
    with app.test_request_context():
        hoa = db.session.get(User, people["hoa"].id)
        exported = accounts.export_personal_data(hoa, personal_data_context())["certificates"]
        assert exported[0]["serial"] == hoas_certificate.serial
        assert exported[0]["name_as_printed"] == "Nguyễn Thị Hoa"
        accounts.delete_account(hoa, personal_data_context())
        db.session.commit()
        certificate = db.session.get(Certificate, hoas_certificate.id)
        assert certificate.revoked_at is not None
        assert certificate.learner_name is None
        assert certificate.learner_birth_date is None
        assert not services.holds_valid_certificate(hoa.id)
    english(client)
    page = client.get(f"/verify/{hoas_certificate.code}").get_data(as_text=True)
    assert "was revoked" in page
    assert "Nguyễn" not in page


