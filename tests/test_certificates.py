"""Certificates: who is ready, issuing with serials, revoking, the audit log, access, checks."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.certificates.eligibility import eligibility_for
from hue_literacy.certificates.models import (
    AuditEntry,
    Certificate,
    CertificateEdited,
)
from hue_literacy.certificates.signing import format_code
from hue_literacy.classes.models import Assessment
from hue_literacy.content.access import framework, release
from hue_literacy.extensions import db
from tests.factories import (
    AdminFactory,
    AmbassadorFactory,
    LearnerFactory,
    OfficialFactory,
    ward,
)
from tests.progress_helpers import master_lesson

TODAY = date(2026, 3, 14)


def english(client) -> None:
    client.post("/language", data={"lang": "en"})


def make_ready(learner: User, assessor: User, competency_ids=None, mastered=None,
               result: str = "alone") -> None:
    """Master the lessons of `mastered` (default: the profile) and assess `competency_ids`."""
    content = release()
    profile = content.framework.profile_for_group(learner.group)
    assessed = profile.competency_ids if competency_ids is None else competency_ids
    mastered = profile.competency_ids if mastered is None else mastered
    lessons = {lesson.id: lesson for comp in mastered
               for lesson in content.competency_lessons("vi", comp)}
    for lesson in lessons.values():
        master_lesson(learner, lesson)
    for comp in assessed:
        db.session.add(Assessment(
            learner_id=learner.id, competency_id=comp, result=result, assessor_id=assessor.id,
            assessed_on=TODAY, framework_id="hue-dl", framework_version=1,
        ))
    db.session.flush()


def issue(learner: User, official: User, today: date = TODAY) -> Certificate:
    certificate = services.issue_certificate(
        learner, official, framework(), eligibility_for(learner, release()), today
    )
    db.session.commit()
    return certificate


def approve(client, learner: User, **options):
    """Confirm on the review page: the POST that issues the certificate."""
    return client.post("/certificates/issue", data={"learner_id": learner.id, "confirmed": "yes"},
                       **options)


def make_people(app) -> dict[str, User]:
    """Staff and learners of Phú Xuân (a) and Thuận Hóa (b); Hoa is ready for her certificate."""
    with app.app_context():
        made = {
            "official_a": OfficialFactory(ward=ward("PHUXUAN"), full_name="Trần Văn Bình"),
            "ambassador_a": AmbassadorFactory(ward=ward("PHUXUAN"), full_name="Lê Thị Thu"),
            "official_b": OfficialFactory(ward=ward("THUANHOA")),
            "admin": AdminFactory(),
            "hoa": LearnerFactory(ward=ward("PHUXUAN"), full_name="Nguyễn Thị Hoa",
                                  phone="0912345678", birth_date=date(1951, 2, 7)),
            "loc": LearnerFactory(ward=ward("PHUXUAN"), full_name="Trần Văn Lộc",
                                  phone="0912000111", birth_date=date(1948, 11, 30)),
            "mai": LearnerFactory(ward=ward("THUANHOA"), full_name="Phạm Thị Mai"),
        }
        make_ready(made["hoa"], made["ambassador_a"])
        # Lộc: PAY-1 not mastered, SAFE-2 only done with help.
        profile = framework().profile_for_group(made["loc"].group).competency_ids
        make_ready(made["loc"], made["ambassador_a"],
                   competency_ids=[comp for comp in profile if comp != "SAFE-2"],
                   mastered=[comp for comp in profile if comp != "PAY-1"])
        db.session.add(Assessment(
            learner_id=made["loc"].id, competency_id="SAFE-2", result="with_help",
            assessor_id=made["ambassador_a"].id, assessed_on=TODAY, framework_id="hue-dl",
            framework_version=1,
        ))
        make_ready(made["mai"], made["official_b"])
        db.session.commit()
        return made


@pytest.fixture
def people(app):
    return make_people(app)


def words(html: str) -> str:
    """The page's text, without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(" ,", ",").split())


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- the official's page ------------------------------------------------------------------


def test_official_sees_who_is_ready_and_what_the_close_ones_lack(client, auth, people):
    auth.as_user(people["official_a"])
    english(client)
    page = client.get("/certificates/").get_data(as_text=True)
    ready = words(page[page.index('id="ready"'):page.index('id="close"')])
    close = words(page[page.index('id="close"'):page.index('id="issued"')])
    assert "Nguyễn Thị Hoa" in ready
    assert "Approve and issue the certificate" in ready
    assert "Assessed by Lê Thị Thu" in ready
    assert "Trần Văn Lộc" in close
    assert "Not mastered in practice: PAY-1" in close
    assert "Not yet assessed alone: SAFE-2" in close
    assert "Phạm Thị Mai" not in page  # another ward


def test_official_page_speaks_vietnamese(client, auth, people):
    """Needs the merged Vietnamese catalogue (pending/certificates.yaml)."""
    auth.as_user(people["official_a"])
    page = words(client.get("/certificates/", headers={"Accept-Language": "vi"}).get_data(
        as_text=True))
    assert "Chưa thành thạo khi thực hành: PAY-1" in page
    assert "Chưa tự làm được khi đánh giá: SAFE-2" in page


def test_approving_issues_the_certificate_with_serial_code_and_snapshot(app, client, auth,
                                                                        people):
    auth.as_user(people["official_a"])
    english(client)
    response = approve(client, people["hoa"])
    assert response.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.serial == f"HUE-PHUXUAN-{certificate.year}-000001"
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", certificate.code)
        assert certificate.learner_name == "Nguyễn Thị Hoa"
        assert certificate.learner_birth_date == date(1951, 2, 7)
        assert certificate.ward_name == "Phú Xuân"
        assert (certificate.framework_id, certificate.framework_version) == ("hue-dl", 2)
        assert certificate.profile_id == "elderly"
        assert certificate.competency_ids == list(framework().profile("elderly").competency_ids)
        assert certificate.assessor_ids == [people["ambassador_a"].id]
        assert certificate.assessor_names == ["Lê Thị Thu"]
        assert certificate.issued_by_id == people["official_a"].id
        assert certificate.issued_by_name == "Trần Văn Bình"
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.action, entry.actor_id, entry.certificate_id) == (
            "issued", people["official_a"].id, certificate.id)
        assert services.holds_valid_certificate(people["hoa"].id)
        assert not services.holds_valid_certificate(people["loc"].id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"HUE-PHUXUAN-{certificate.year}-000001" in page
    assert format_code(certificate.code) in page
    # Once certified, Hoa is no longer in the list of learners ready for one.
    overview = client.get("/certificates/").get_data(as_text=True)
    ready = overview[overview.index('id="ready"'):overview.index('id="close"')]
    assert "Nguyễn Thị Hoa" not in ready


def test_a_learner_who_is_not_ready_gets_no_certificate(app, client, auth, people):
    auth.as_user(people["official_a"])
    english(client)
    page = approve(client, people["loc"], follow_redirects=True).get_data(as_text=True)
    assert "has not yet shown every skill" in page
    with app.app_context():
        assert count(Certificate) == 0
        assert count(AuditEntry) == 0


def test_a_learner_holds_one_valid_certificate_per_profile(app, client, auth, people):
    auth.as_user(people["official_a"])
    english(client)
    approve(client, people["hoa"])
    page = approve(client, people["hoa"], follow_redirects=True).get_data(as_text=True)
    assert "already holds this certificate" in page
    with app.app_context():
        assert count(Certificate) == 1


def test_serials_count_per_ward_and_per_year(app, people):
    with app.test_request_context():
        extra = LearnerFactory(ward=ward("PHUXUAN"))
        make_ready(extra, people["ambassador_a"])
        first = issue(db.session.get(User, people["hoa"].id),
                      db.session.get(User, people["official_a"].id), date(2026, 12, 31))
        other_ward = issue(db.session.get(User, people["mai"].id),
                           db.session.get(User, people["official_b"].id), date(2026, 12, 31))
        next_year = issue(extra, db.session.get(User, people["official_a"].id), date(2027, 1, 1))
        assert first.serial == "HUE-PHUXUAN-2026-000001"
        assert other_ward.serial == "HUE-THUANHOA-2026-000001"
        assert next_year.serial == "HUE-PHUXUAN-2027-000001"
        assert len({first.code, other_ward.code, next_year.code}) == 3


def test_the_city_admin_issues_in_any_ward(app, client, auth, people):
    auth.as_user(people["admin"])
    english(client)
    page = client.get(f"/certificates/?ward={ward_id(app, 'THUANHOA')}").get_data(as_text=True)
    assert "Phạm Thị Mai" in page
    approve(client, people["mai"])
    with app.app_context():
        assert db.session.scalar(select(Certificate.serial)).startswith("HUE-THUANHOA-")


def ward_id(app, code: str) -> int:
    with app.app_context():
        return ward(code).id


# --- who may not ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ambassador_a", "hoa", "official_b"])
def test_only_officials_of_the_ward_issue(app, client, auth, people, who):
    auth.as_user(people[who])
    response = approve(client, people["hoa"])
    assert response.status_code == 403
    with app.app_context():
        assert count(Certificate) == 0


@pytest.mark.parametrize("who", ["ambassador_a", "hoa", "loc", "official_b"])
def test_only_officials_of_the_ward_revoke(app, client, auth, people, who):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id))
    auth.as_user(people[who])
    response = client.post(f"/certificates/{certificate.id}/revoke",
                           data={"reason": "Wrong date of birth"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_ambassadors_have_no_certificate_pages(client, auth, people):
    auth.as_user(people["ambassador_a"])
    assert client.get("/certificates/").status_code == 403
    assert client.get("/certificates/batch.pdf").status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, people):
    assert client.get("/certificates/").status_code == 302
    assert client.post("/certificates/issue",
                       data={"learner_id": people["hoa"].id}).status_code == 302


def test_staff_of_another_ward_cannot_see_or_download_a_certificate(app, client, auth, people):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id))
    for who in ("official_b", "ambassador_a", "loc"):
        auth.as_user(people[who])
        assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 403
        assert client.get(f"/certificates/{certificate.id}").status_code == 403


def test_services_refuse_too_when_called_directly(app, people):
    with app.test_request_context():
        hoa = db.session.get(User, people["hoa"].id)
        for who in ("ambassador_a", "official_b", "loc"):
            with pytest.raises(services.CertificateRefused):
                services.issue_certificate(hoa, db.session.get(User, people[who].id),
                                           framework(), eligibility_for(hoa, release()), TODAY)
        assert count(Certificate) == 0


# --- revoking and reissuing ---------------------------------------------------------------


def test_revoking_needs_a_reason_and_is_written_in_the_audit_log(app, client, auth, people):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id))
    auth.as_user(people["official_a"])
    english(client)
    refused = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "  "})
    assert refused.status_code == 400
    assert "Please write why" in refused.get_data(as_text=True)
    done = client.post(f"/certificates/{certificate.id}/revoke",
                       data={"reason": "Date of birth misspelt"})
    assert done.status_code == 302
    again = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "Twice?"})
    assert again.status_code == 400
    with app.app_context():
        revoked = db.session.get(Certificate, certificate.id)
        assert revoked.revoked_at is not None
        assert revoked.revoked_by_id == people["official_a"].id
        assert revoked.revocation_reason == "Date of birth misspelt"
        actions = [(entry.action, entry.reason) for entry in services.audit_log(certificate.id)]
        assert actions == [("issued", None), ("revoked", "Date of birth misspelt")]
        assert not services.holds_valid_certificate(people["hoa"].id)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Date of birth misspelt" in page  # officials see the reason


def test_a_revoked_certificate_is_reissued_with_a_new_serial_and_code(app, people):
    with app.test_request_context():
        hoa = db.session.get(User, people["hoa"].id)
        official = db.session.get(User, people["official_a"].id)
        first = issue(hoa, official)
        services.revoke_certificate(first, official, "Name misspelt")
        db.session.commit()
        hoa.full_name = "Nguyễn Thị Hòa"
        second = issue(hoa, official)
        assert second.serial.endswith("-000002")
        assert second.code != first.code
        assert second.learner_name == "Nguyễn Thị Hòa"
        assert db.session.get(Certificate, first.id).learner_name == "Nguyễn Thị Hoa"


def test_issued_certificates_cannot_be_edited(app, people):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id))
        for field, value in (("learner_name", "Someone Else"), ("competency_ids", ["QR-1"]),
                             ("serial", "HUE-X"), ("issued_on", date(2020, 1, 1))):
            setattr(certificate, field, value)
            with pytest.raises(CertificateEdited):
                db.session.flush()
            db.session.rollback()
        certificate = db.session.get(Certificate, certificate.id)
        assert certificate.learner_name == "Nguyễn Thị Hoa"


# --- learners ------------------------------------------------------------------------------


def test_a_learner_sees_and_downloads_their_own_certificate(app, client, auth, people):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id))
    auth.as_user(people["hoa"])
    english(client)
    page = client.get("/certificates/").get_data(as_text=True)
    assert "Download my certificate" in page
    assert certificate.serial in page
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    auth.as_user(people["loc"])
    assert "You do not have a certificate yet" in client.get("/certificates/").get_data(
        as_text=True)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 403


def test_a_learner_cannot_issue_or_revoke_their_own(app, client, auth, people):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id))
    auth.as_user(people["hoa"])
    assert client.post("/certificates/issue",
                       data={"learner_id": people["hoa"].id}).status_code == 403
    assert client.post(f"/certificates/{certificate.id}/revoke",
                       data={"reason": "I want another"}).status_code == 403


def test_home_pages_lead_officials_and_learners_to_certificates(client, auth, people):
    auth.as_user(people["official_a"])
    assert 'href="/certificates/"' in client.get("/").get_data(as_text=True)
    auth.as_user(people["ambassador_a"])
    assert 'href="/certificates/"' not in client.get("/").get_data(as_text=True)
    auth.as_user(people["hoa"])
    assert 'href="/certificates/"' in client.get("/").get_data(as_text=True)
