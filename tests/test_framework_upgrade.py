"""Framework version 2 upgrade: what was earned under version 1 stays valid, shown as earned."""
from __future__ import annotations

import pytest

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.certificates.eligibility import (
    decide,
    eligibility_for,
    latest_results_of_many,
    mastered_of_many,
)
from hue_literacy.certificates.models import Certificate
from hue_literacy.certificates.signing import format_code, sign
from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.households import learning
from tests.test_certificates import TODAY, english, issue, make_people

V1_BASIC = ["QR-1", "PAY-1", "GOV-1", "SAFE-1", "SAFE-2"]


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def v1_certificate(app, people) -> Certificate:
    """Hoa's certificate issued under version 1 (kept in content/archive/): profile "basic"."""
    with app.test_request_context():
        hoa = db.session.get(User, people["hoa"].id)
        v1 = release().framework_version(1)
        assert v1.version == 1 and v1.profile("basic").competency_ids == tuple(V1_BASIC)
        eligibility = decide("basic", V1_BASIC, mastered_of_many([hoa], release())[hoa.id],
                             latest_results_of_many([hoa.id])[hoa.id])
        certificate = services.issue_certificate(
            hoa, db.session.get(User, people["official_a"].id), v1, eligibility, TODAY)
        db.session.commit()
        assert (certificate.framework_version, certificate.profile_id) == (1, "basic")
        return certificate


def test_a_v1_certificate_still_verifies_and_shows_version_1(app, client, v1_certificate):
    english(client)
    with app.app_context():
        signature = sign(v1_certificate.serial, v1_certificate.code, app.config["SECRET_KEY"])
    page = client.get(f"/verify/{format_code(v1_certificate.code)}?s={signature}").get_data(
        as_text=True)
    assert "This certificate is valid." in page and "Genuine" in page
    assert "hue-dl, version 1" in page
    assert "Basic digital skills" in page  # the v1 profile's name; version 2 has no "basic"
    # Version 1's own wording of GOV-1, not version 2's.
    assert "Use VNeID at level 2 - sign in, open integrated documents" in page
    assert "receive social benefits" not in page


def test_a_v1_certificate_is_listed_and_printed_under_its_version(app, client, auth, people,
                                                                  v1_certificate):
    auth.as_user(people["hoa"])
    english(client)
    mine = client.get("/certificates/").get_data(as_text=True)
    assert "Basic digital skills" in mine
    auth.as_user(people["official_a"])
    shown = client.get(f"/certificates/{v1_certificate.id}").get_data(as_text=True)
    assert "Basic digital skills" in shown and "Use VNeID at level 2 - sign in" in shown


def test_a_v1_certificate_still_counts_for_the_competencies_it_confirms(app, people,
                                                                        v1_certificate,
                                                                        monkeypatch):
    hoa = people["hoa"].id
    with app.app_context():
        assert services.holds_valid_certificate(hoa)
        assert services.certified_competencies([hoa])[hoa] == set(V1_BASIC)
        rule = release().framework.digital_family
        # Practice covers every basic-skill competency except those the v1 certificate confirms.
        rest = set(rule.competency_ids) - set(V1_BASIC)
        monkeypatch.setattr(learning, "mastered_competencies",
                            lambda ids, wanted, current: {i: set(rest) for i in ids})
        assert learning.digital_learners([hoa], release()) == {hoa}
        # Revoked, it no longer counts.
        services.revoke_certificate(db.session.get(Certificate, v1_certificate.id),
                                    db.session.get(User, people["official_a"].id),
                                    "Issued to the wrong person.")
        db.session.commit()
        assert services.certified_competencies([hoa])[hoa] == set()
        assert learning.digital_learners([hoa], release()) == set()


def test_a_v1_certificate_does_not_block_the_v2_certificate_of_the_group(app, people,
                                                                        v1_certificate):
    with app.test_request_context():
        hoa = db.session.get(User, people["hoa"].id)
        eligibility = eligibility_for(hoa, release())
        assert eligibility.profile_id == "elderly" and eligibility.eligible
        new = issue(hoa, db.session.get(User, people["official_a"].id))
        assert (new.framework_version, new.profile_id) == (2, "elderly")
        old = db.session.get(Certificate, v1_certificate.id)
        assert old.revoked_at is None  # both stay valid, each under its own version
