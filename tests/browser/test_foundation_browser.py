"""In real Chromium at 360 px: a learner signs in with phone + PIN and sees the Vietnamese home."""
import pytest
from playwright.sync_api import expect

from hue_literacy.extensions import db
from tests.browser.conftest import (
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.factories import TEST_PIN, AmbassadorFactory, LearnerFactory


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Nguyễn Thị Hạnh", phone="0912345678")
        db.session.commit()
        return person


def test_learner_signs_in_on_a_small_phone_and_sees_vietnamese_home(
    learner, live_server, phone_page
):
    page = phone_page
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Đăng nhập bằng số điện thoại").click()
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Mã PIN").fill(TEST_PIN)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url(live_server + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Chào Nguyễn Thị Hạnh!"
    assert horizontal_overflow(page) == 0
    screenshot(page, "foundation-learner-home-360")
    assert page.problems.messages == []


def test_wrong_pin_shows_a_clear_message_and_keeps_the_phone(learner, live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/sign-in")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Mã PIN").fill("9999")
    page.get_by_role("button", name="Đăng nhập").last.click()
    assert page.get_by_role("alert").inner_text().startswith("Số điện thoại và mã PIN không khớp")
    assert page.get_by_label("Số điện thoại").input_value() == "0912 345 678"
    screenshot(page, "foundation-sign-in-error-360")


def test_language_switch_turns_the_page_english(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/sign-in")
    page.locator(".menu-button").click()  # language and sign-out live in the header menu
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_body_text_is_large_and_touch_targets_are_big(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/register")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18
    assert small_touch_targets(page) == []


def test_pages_work_at_200_percent_zoom(learner, browser, live_server):
    # 200% zoom of a 360 px phone = a 180 CSS px viewport at device scale 2.
    context = browser.new_context(viewport={"width": 180, "height": 380},
                                  device_scale_factor=2, locale="vi-VN")
    page = context.new_page()
    for path in ("/", "/sign-in", "/register"):
        page.goto(live_server + path)
        assert horizontal_overflow(page) <= 2, path
    screenshot(page, "foundation-register-zoom-200")
    context.close()


def test_foundation_pages_have_no_serious_accessibility_violations(
    app, learner, live_server, phone_page
):
    with app.app_context():
        ambassador = AmbassadorFactory(phone="0701234567")
        db.session.commit()
    page = phone_page
    found = {}
    for path in ("/", "/sign-in", "/staff/sign-in", "/register", "/privacy", "/no-such-page"):
        page.goto(live_server + path)
        found[path] = serious_accessibility_violations(page)
    page.problems.messages.clear()  # the 404 page's own status is logged as an error
    page.goto(live_server + "/sign-in")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Mã PIN").fill(TEST_PIN)
    page.get_by_role("button", name="Đăng nhập").last.click()
    for path in ("/", "/me/data", "/me/delete"):
        page.goto(live_server + path)
        found[path] = serious_accessibility_violations(page)
    page.context.clear_cookies()
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill(ambassador.phone)
    page.get_by_label("Mật khẩu").fill("correct horse battery")
    page.get_by_role("button", name="Đăng nhập").last.click()
    for path in ("/", "/learners/", "/learners/new", f"/learners/{learner.id}",
                 f"/learners/{learner.id}/card"):
        page.goto(live_server + path)
        found["staff " + path] = serious_accessibility_violations(page)
    screenshot(page, "foundation-sign-in-card-360")
    assert {path: issues for path, issues in found.items() if issues} == {}
    assert page.problems.messages == []
