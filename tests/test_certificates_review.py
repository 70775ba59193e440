"""The official's workflow: who is ready to assess, the review before issuing, pages and search,
the signer's title per ward, what the paper and the check page print."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import func, select, update

from hue_literacy.accounts.models import User
from hue_literacy.certificates.models import Certificate, CertificateEdited
from hue_literacy.classes.models import ClassAttendance, ClassSession
from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.wards.models import Ward
from tests.factories import LearnerFactory, ward
from tests.progress_helpers import master_lesson
from tests.test_certificates import approve, english, issue, make_people, make_ready, words


@pytest.fixture
def people(app):
    return make_people(app)


def section(page: str, start: str, end: str | None = None) -> str:
    """The words of the page between two ids (the lists have one each)."""
    begin = page.index(f'id="{start}"')
    return words(page[begin:page.index(f'id="{end}"') if end else None])


def practise_everything(learner: User) -> None:
    """Master every lesson of the learner's profile in practice (no assessment)."""
    content = release()
    profile = content.framework.profile_for_group(learner.group)
    lessons = {lesson.id: lesson for comp in profile.competency_ids
               for lesson in content.competency_lessons("vi", comp)}
    for lesson in lessons.values():
        master_lesson(learner, lesson)


def test_a_learner_who_mastered_everything_but_was_never_assessed_is_ready_to_assess(
        app, client, auth, people):
    with app.app_context():
        learner = LearnerFactory(ward=ward("PHUXUAN"), full_name="Hồ Thị Tám")
        practise_everything(learner)
        db.session.commit()
    auth.as_user(people["official_a"])
    vi = section(client.get("/certificates/", headers={"Accept-Language": "vi"}).get_data(
        as_text=True), "assess", "issued")
    assert "Sẵn sàng để đánh giá (1)" in vi
    assert "Đã thành thạo khi thực hành: 10 / 10 kỹ năng" in vi
    english(client)
    page = client.get("/certificates/").get_data(as_text=True)
    assess = section(page, "assess", "issued")
    assert "Ready to assess (1)" in assess
    assert "Hồ Thị Tám" in assess
    assert "Mastered in practice: 10 of 10 skills" in assess
    assert "Hồ Thị Tám" not in section(page, "ready", "assess")


def test_the_lists_follow_new_practice_at_once(app, client, auth, people):
    """The page keeps judgements of mastery: one more lesson mastered shows on the next view."""
    with app.app_context():
        content = release()
        learner = LearnerFactory(ward=ward("PHUXUAN"), full_name="Hồ Văn Chín")
        profile = content.framework.profile_for_group(learner.group)
        lessons = list({lesson.id: lesson for comp in profile.competency_ids
                        for lesson in content.competency_lessons("vi", comp)}.values())
        for lesson in lessons:
            master_lesson(learner, lesson, tries=1)  # completed, but one try is not mastery
        db.session.commit()
        learner_id = learner.id
    auth.as_user(people["official_a"])
    english(client)
    before = section(client.get("/certificates/").get_data(as_text=True), "assess", "issued")
    assert "Hồ Văn Chín" in before
    assert "Mastered in practice: 10 of 10 skills" not in before
    with app.app_context():
        learner = db.session.get(User, learner_id)
        for lesson in lessons:
            master_lesson(learner, lesson, tries=2)
        db.session.commit()
    after = section(client.get("/certificates/").get_data(as_text=True), "assess", "issued")
    assert "Mastered in practice: 10 of 10 skills" in after


def test_approving_opens_a_review_and_issues_only_once_confirmed(app, client, auth, people):
    auth.as_user(people["official_a"])
    english(client)
    page = client.get("/certificates/").get_data(as_text=True)
    review_url = f"/certificates/review/{people['hoa'].id}"
    assert f'href="{review_url}"' in page  # "Approve and issue" is a link to the review
    review = client.get(review_url).get_data(as_text=True)
    text = words(review)
    assert "Nguyễn Thị Hoa" in text
    assert "7 February 1951" in text
    assert "Basic digital skills for elderly residents" in text
    assert text.count("Done alone") == 10
    assert "assessed by Lê Thị Thu (Digital ambassador)" in text
    assert 'name="csrf_token"' in review
    assert "Confirm and issue the certificate" in text
    # A POST without the confirmation only leads back to the review.
    response = client.post("/certificates/issue", data={"learner_id": people["hoa"].id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(review_url)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert approve(client, people["hoa"]).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    again = words(client.get(review_url).get_data(as_text=True))
    assert "already holds this certificate" in again
    assert "Confirm and issue" not in again


def test_a_review_of_a_learner_who_is_not_ready_offers_no_issuing(client, auth, people):
    auth.as_user(people["official_a"])
    english(client)
    text = words(client.get(f"/certificates/review/{people['loc'].id}").get_data(as_text=True))
    assert "Not mastered in practice yet" in text
    assert "Done with help" in text
    assert "has not yet shown every skill" in text
    assert "Confirm and issue" not in text


@pytest.mark.parametrize("who", ["official_b", "ambassador_a", "hoa"])
def test_only_officials_of_the_ward_open_a_review(client, auth, people, who):
    auth.as_user(people[who])
    assert client.get(f"/certificates/review/{people['hoa'].id}").status_code == 403


def test_long_lists_are_paged_and_searched_by_name_without_accents(app, client, auth, people):
    with app.app_context():
        for number in range(23):
            learner = LearnerFactory(ward=ward("PHUXUAN"), full_name=f"Lê Văn Học {number:02d}")
            practise_everything(learner)
        learner = LearnerFactory(ward=ward("PHUXUAN"), full_name="Đặng Thị Ngọc Ánh")
        practise_everything(learner)
        db.session.commit()
    auth.as_user(people["official_a"])
    english(client)
    first = section(client.get("/certificates/").get_data(as_text=True), "assess", "issued")
    assert "Ready to assess (24)" in first
    assert "Page 1 of 3" in first
    assert first.count("Mastered in practice:") == 10
    last = section(client.get("/certificates/?assess_page=3").get_data(as_text=True),
                   "assess", "issued")
    assert "Page 3 of 3" in last
    assert last.count("Mastered in practice:") == 4
    assert "Lê Văn Học 22" in last
    found = client.get("/certificates/?q=dang+thi+ngoc").get_data(as_text=True)
    assert "Ready to assess (1)" in section(found, "assess", "issued")
    assert "Đặng Thị Ngọc Ánh" in found
    assert "Lê Văn Học" not in found
    assert "Nguyễn Thị Hoa" not in section(found, "ready", "close")


def test_the_issued_list_is_paged(app, client, auth, people):
    with app.app_context():
        official = db.session.get(User, people["official_a"].id)
        for number in range(22):
            learner = LearnerFactory(ward=ward("PHUXUAN"), full_name=f"Phan Thị Cấp {number:02d}")
            make_ready(learner, official)
            issue(learner, official)
    auth.as_user(people["official_a"])
    english(client)
    first = section(client.get("/certificates/").get_data(as_text=True), "issued", "print")
    assert "Issued certificates (22)" in first
    assert "Page 1 of 2" in first
    assert "Phan Thị Cấp 21" in first and "Phan Thị Cấp 01" not in first
    second = section(client.get("/certificates/?issued_page=2").get_data(as_text=True),
                     "issued", "print")
    assert "Phan Thị Cấp 01" in second and "Phan Thị Cấp 00" in second


# --- the signer's title, the paper and the check page --------------------------------------


def test_an_official_sets_the_signer_title_of_the_ward(app, client, auth, people):
    auth.as_user(people["official_a"])
    english(client)
    assert "TM. ỦY BAN NHÂN DÂN" in client.get("/wards/PHUXUAN/settings").get_data(
        as_text=True)  # the example
    response = client.post("/wards/PHUXUAN/settings",
                           data={"signer_title": "  TM. ỦY BAN NHÂN DÂN \r\n\r\nCHỦ TỊCH  "})
    assert response.status_code == 302
    with app.app_context():
        assert ward("PHUXUAN").signer_title == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    refused = client.post("/wards/PHUXUAN/settings", data={"signer_title": "A" * 61})
    assert refused.status_code == 400
    assert "Line 1 of the signer&#39;s title is too long: at most 60 characters" in words(
        refused.get_data(as_text=True))
    four = client.post("/wards/PHUXUAN/settings", data={"signer_title": "a\nb\nc\nd"})
    assert four.status_code == 400
    assert "at most 3 lines" in words(four.get_data(as_text=True))


@pytest.mark.parametrize("who", ["official_b", "ambassador_a", "hoa"])
def test_only_officials_of_the_ward_change_its_settings(app, client, auth, people, who):
    auth.as_user(people[who])
    assert client.get("/wards/PHUXUAN/settings").status_code == 403
    assert client.post("/wards/PHUXUAN/settings", data={"signer_title": "X"}).status_code == 403
    with app.app_context():
        assert ward("PHUXUAN").signer_title is None


def test_the_city_admin_changes_any_ward_settings(app, client, auth, people):
    auth.as_user(people["admin"])
    assert client.post("/wards/THUANHOA/settings",
                       data={"signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"}).status_code == 302


def pdf_text(path, *options: str) -> str:
    """The text of a PDF as poppler's pdftotext reads it (what a reader's tools see)."""
    return subprocess.run([shutil.which("pdftotext"), *options, str(path), "-"],  # noqa: S603
                          check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_paper_carries_the_signer_title_and_no_internal_ids(app, client, auth, people,
                                                                tmp_path):
    with app.test_request_context():
        ward("PHUXUAN").signer_title = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id), date(2026, 12, 1))
    auth.as_user(people["official_a"])
    for lang in ("vi", "en"):
        pdf = tmp_path / f"certificate-{lang}.pdf"
        pdf.write_bytes(client.get(f"/certificates/{certificate.id}.pdf?lang={lang}").data)
        text = pdf_text(pdf, "-layout")
        assert "TM. ỦY BAN NHÂN DÂN" in text
        assert "CHỦ TỊCH" in text
        assert "Trần Văn Bình" in text
        for internal in ("QR-1", "PAY-1", "SAFE-2", "hue-dl"):
            assert internal not in text, (lang, internal)
    vi_text = pdf_text(tmp_path / "certificate-vi.pdf")
    assert "Huế, ngày 01 tháng 12 năm 2026" in " ".join(vi_text.split())


def test_a_reprint_after_a_change_of_chairman_shows_who_signed(app, people):
    from hue_literacy.certificates.services import printed

    def signer_on_paper(certificate_id: int) -> tuple[str, ...]:
        certificate = db.session.get(Certificate, certificate_id)
        framework = release().framework_version(certificate.framework_version)
        return printed(certificate, framework, "vi", "https://x/v", "x/c").signer_title

    with app.test_request_context():
        official = db.session.get(User, people["official_a"].id)
        first = issue(db.session.get(User, people["hoa"].id), official, date(2026, 3, 1))
        ward("PHUXUAN").signer_title = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        db.session.commit()
        lan = LearnerFactory(ward=ward("PHUXUAN"), full_name="Hồ Thị Lan")
        make_ready(lan, db.session.get(User, people["ambassador_a"].id))
        second = issue(lan, official, date(2026, 6, 1))
        # A new chairman: the ward's title changes; each paper keeps the one it was signed under.
        ward("PHUXUAN").signer_title = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        db.session.commit()
        assert signer_on_paper(first.id) == ()  # issued under the default line
        assert signer_on_paper(second.id) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
        # Issued before titles were kept on certificates: the ward's current title.
        db.session.execute(update(Certificate).where(Certificate.id == first.id)
                           .values(signer_title=None))
        db.session.expire_all()
        assert signer_on_paper(first.id) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        with pytest.raises(CertificateEdited):  # kept as issued
            db.session.get(Certificate, second.id).signer_title = "X"
            db.session.flush()
        db.session.rollback()


def test_the_check_page_writes_the_date_as_the_paper_does(app, client, people):
    with app.test_request_context():
        certificate = issue(db.session.get(User, people["hoa"].id),
                            db.session.get(User, people["official_a"].id), date(2026, 12, 1))
    from hue_literacy.certificates.signing import format_code

    code = format_code(certificate.code)
    vi = words(client.get(f"/verify/{code}", headers={"Accept-Language": "vi"}).get_data(
        as_text=True))
    assert "ngày 01 tháng 12 năm 2026" in vi
    english(client)
    assert "1 December 2026" in words(client.get(f"/verify/{code}").get_data(as_text=True))


def test_the_class_page_prints_its_certificates_for_officials(app, client, auth, people):
    with app.test_request_context():
        issue(db.session.get(User, people["hoa"].id),
              db.session.get(User, people["official_a"].id))
        session = ClassSession(ward_id=ward("PHUXUAN").id, venue="Nhà văn hóa tổ 5",
                               starts_on=date(2026, 3, 14), join_code="C12345",
                               opened_by_id=people["official_a"].id)
        db.session.add(session)
        db.session.flush()
        db.session.add(ClassAttendance(class_session_id=session.id,
                                       learner_id=people["hoa"].id))
        db.session.commit()
        class_id = session.id
    auth.as_user(people["official_a"])
    page = client.get(f"/classes/{class_id}").get_data(as_text=True)
    link = f"/certificates/batch.pdf?class={class_id}"
    assert link in page
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    auth.as_user(people["ambassador_a"])
    assert link not in client.get(f"/classes/{class_id}").get_data(as_text=True)


def test_wards_start_without_a_signer_title(app):
    with app.app_context():
        assert all(item.signer_title is None for item in db.session.scalars(select(Ward)))
