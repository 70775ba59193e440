"""In Chromium at 360 px: a teacher opens a class, a learner joins by its QR, the list shows it.

The QR code is read from a screenshot with zbarimg (Debian zbar-tools), as a phone would read it.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    PageProblems,
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.factories import TEST_PASSWORD, TEST_PIN, AmbassadorFactory, LearnerFactory, ward
from tests.progress_helpers import master_lesson, wrong_answers


@pytest.fixture
def people(app):
    with app.app_context():
        made = {
            "teacher": AmbassadorFactory(full_name="Lê Thị Hoa", phone="0701234567",
                                         ward=ward("PHUXUAN")),
            "learner": LearnerFactory(full_name="Nguyễn Thị Hạnh", phone="0912345678",
                                      ward=ward("PHUXUAN")),
        }
        db.session.commit()
        return made


def decode_qr(locator, name: str) -> str:
    """Screenshot the QR element and read it with zbarimg, as a phone's camera would."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    locator.screenshot(path=str(path))
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg not found: apt-get install zbar-tools")
    found = subprocess.run([zbarimg, "--raw", "-q", str(path)], capture_output=True,  # noqa: S603
                           text=True, timeout=30, check=True)
    return found.stdout.strip()


def faster_refresh(route) -> None:
    """Serve the class page with a 1 s list refresh instead of 20 s, to keep the test fast."""
    response = route.fetch()
    body = response.text().replace('data-refresh-seconds="20"', 'data-refresh-seconds="1"')
    route.fulfill(response=response, body=body)


def test_a_learner_joins_a_class_by_scanning_its_qr_code(app, browser, live_server, people):
    # Service workers would hide the class page from page.route (used to refresh faster).
    teacher = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    page = teacher.new_page()
    problems = PageProblems(page)
    page.route(re.compile(r"/classes/\d+$"), faster_refresh)
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0701234567")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url(live_server + "/")
    page.goto(live_server + "/classes/new")
    page.locator("#venue").fill("Nhà văn hóa tổ 5")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    page.goto(page.url)  # routes do not see redirect follow-ups: load it again, refreshing fast

    qr = page.locator(".class-qr__code")
    join_url = qr.get_attribute("data-join-url")
    scanned = decode_qr(qr, "classes-qr-code")
    assert scanned == join_url and "/classes/join/" in scanned
    assert page.locator(".attendee").count() == 0

    learner = browser.new_context(viewport=PHONE, locale="vi-VN")
    phone = learner.new_page()
    phone.goto(scanned)  # signed out: sign in first, then back to the class
    phone.get_by_label("Số điện thoại").fill("0912345678")
    phone.get_by_label("Mã PIN").fill(TEST_PIN)
    phone.locator("main button[type=submit]").last.click()
    phone.wait_for_url(scanned)
    assert serious_accessibility_violations(phone) == []
    for other in ("/classes/join", "/classes/join/XXXXXX"):  # typing a code; a wrong code
        phone.goto(live_server + other)
        assert serious_accessibility_violations(phone) == [], other
        assert small_touch_targets(phone) == [], other
    phone.goto(scanned)
    phone.locator("main form button.button--primary").click()
    phone.wait_for_url(scanned)  # already there: the notice tells the answer has come
    expect(phone.locator(".notice--success")).to_be_visible()
    screenshot(phone, "classes-joined-360")
    phone.locator("main nav a.button").last.click()  # My progress
    phone.wait_for_url(live_server + "/progress/")
    assert horizontal_overflow(phone) == 0 and small_touch_targets(phone) == []
    assert serious_accessibility_violations(phone) == []
    screenshot(phone, "progress-learner-360")

    # The teacher's list reloads itself (every second here, every 20 s in class).
    page.locator(".attendee").filter(has_text="Nguyễn Thị Hạnh").wait_for(timeout=5000)
    assert horizontal_overflow(page) == 0
    screenshot(page, "classes-teacher-after-join-360")
    assert problems.messages == []
    learner.close()
    teacher.close()


def test_class_view_and_assessment_page_fit_a_small_phone(app, live_server, phone_page, people):
    from hue_literacy.classes import services

    with app.app_context():
        session = services.open_class(ward("PHUXUAN").id, "Nhà văn hóa tổ 5",
                                      datetime.now(UTC).date(), people["teacher"])
        for lesson in release().competency_lessons("vi", "QR-1"):  # mastery needs them all
            master_lesson(people["learner"], lesson)
        stuck = LearnerFactory(full_name="Trần Văn Lộc", ward=ward("THUANHOA"))
        wrong_answers(stuck, "qr-zalo-scan", "find-qr", 3, datetime.now(UTC) - timedelta(hours=1))
        for learner in (people["learner"], stuck):
            services.join_class(session, learner)
        db.session.commit()
    page = phone_page
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0701234567")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url(live_server + "/")

    for path in ("/classes/", "/classes/new"):
        page.goto(live_server + path)
        assert serious_accessibility_violations(page) == [], path
        assert small_touch_targets(page) == [] and horizontal_overflow(page) == 0, path
    page.goto(f"{live_server}/classes/{session.id}")
    assert page.locator(".attendee--help").count() == 1
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "classes-view-360")

    page.locator(".attendee .card-link").first.click()
    page.locator("main a[href^='/progress/learner/']").click()  # their whole progress
    page.wait_for_url("**/progress/learner/**")
    expect(page.locator(".skill--mastered")).to_have_count(1)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "progress-staff-view-360")
    page.go_back()
    page.locator(".assess-skill").first.locator("button.button--primary").click()
    expect(page.locator(".notice--success")).to_be_visible()
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "classes-assess-learner-360")
    assert page.problems.messages == []
