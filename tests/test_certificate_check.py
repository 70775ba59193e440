"""The offline check's server side: the staff page (not for learners) and the revocation list."""
from __future__ import annotations

import pytest

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.extensions import db
from tests.test_certificates import issue, make_people


@pytest.fixture
def people(app):
    return make_people(app)


def test_staff_open_the_check_page_and_learners_do_not(client, auth, people):
    assert client.get("/certificates/check").status_code == 302  # signed out: sign in first
    auth.as_user(people["hoa"])
    assert client.get("/certificates/check").status_code == 403
    home = client.get("/").get_data(as_text=True)
    assert "/certificates/check" not in home and "staff/staff.js" not in home
    for who in ("ambassador_a", "official_a", "admin"):
        auth.as_user(people[who])
        page = client.get("/certificates/check")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "certcheck.js" in text and 'id="check-profiles"' in text
        assert "/certificates/check" in client.get("/").get_data(as_text=True)


def test_the_revocation_list_holds_revoked_serials_only_and_when_it_was_made(app, client,
                                                                             people):
    with app.test_request_context():
        official = db.session.get(User, people["official_a"].id)
        certificate = issue(db.session.get(User, people["hoa"].id), official)
        serial = certificate.serial
    before = client.get("/certificates/revocations.json")
    assert before.headers["Cache-Control"] == "no-cache"
    assert before.get_json()["revoked"] == []
    with app.test_request_context():
        services.revoke_certificate(db.session.get(type(certificate), certificate.id),
                                    db.session.get(User, people["official_a"].id),
                                    "Wrong birth date")
        db.session.commit()
    listed = client.get("/certificates/revocations.json").get_json()
    assert listed["revoked"] == [serial]
    assert listed["generated_at"].endswith("Z")
    assert "Wrong birth date" not in str(listed) and "Hoa" not in str(listed)
