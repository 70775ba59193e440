"""In Chromium at 360 px: the city admin reads the city overview and a ward's dashboard."""
from __future__ import annotations

from playwright.sync_api import expect

from hue_literacy.extensions import db
from tests.browser.conftest import (
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.factories import TEST_PASSWORD, AdminFactory
from tests.test_dashboard import local_today, seed_ward


def test_the_city_and_a_ward_dashboard_fit_a_phone(app, live_server, phone_page):
    with app.app_context():
        seed_ward(local_today())
        AdminFactory(full_name="Hồ Thị Thành Phố", phone="0301234567")
        db.session.commit()
    page = phone_page
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0301234567")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.wait_for_url(live_server + "/")
    page.locator(".menu-button").click()  # language and sign-out live in the header menu
    page.get_by_role("button", name="English").click()

    page.goto(live_server + "/dashboard/city?sort=learners")
    # On a phone each ward is a card with every column: nothing hides off the side.
    table = page.locator(".table-scroll")
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert horizontal_overflow(page) == 0
    first_ward = page.locator(".data-table tbody tr").first
    expect(first_ward.locator("td").last).to_be_visible()
    assert first_ward.locator("td").first.evaluate(
        "el => getComputedStyle(el, '::before').content") == '"Learners"'
    expect(page.get_by_role("link", name="Learners")).to_be_visible()  # sorting stays
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "dashboard-city-360")

    page.get_by_role("link", name="Phú Xuân").click()
    page.wait_for_url(live_server + "/dashboard/ward/PHUXUAN")
    assert page.get_by_role("heading", level=1).inner_text() == "Ward dashboard"
    assert page.locator(".chart").count() == 4
    assert page.get_by_role("img", name="Active learners").count() == 1
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "dashboard-ward-360")

    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")  # large text
    assert horizontal_overflow(page) == 0
    screenshot(page, "dashboard-ward-360-large-text")
    assert page.problems.messages == []
