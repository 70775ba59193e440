"""In real Chromium at 360 px: an ambassador logs a visit offline; it is stored once online."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from hue_literacy.extensions import db
from hue_literacy.households.models import Visit
from tests.browser.conftest import (
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.factories import TEST_PASSWORD, AmbassadorFactory, LearnerFactory, ward
from tests.test_households import make_household


@pytest.fixture
def ambassador_home(app):
    """An ambassador of Phú Xuân with a few households, one with a learner."""
    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward("PHUXUAN"), phone="0701234567")
        LearnerFactory(ward=ward("PHUXUAN"), full_name="Nguyễn Thị Hạnh", phone="0912345678")
        db.session.flush()
        household = make_household(ambassador, "12 kiệt 34 Phan Đình Phùng", "Nhà bác Hạnh", [
            {"full_name": "Nguyễn Thị Hạnh", "role": "head", "phone": "0912345678"},
            {"full_name": "Trần Văn Minh", "role": "child", "phone": "0977111222"},
        ])
        make_household(ambassador, "5 Lê Lợi", None, [],
                       last_visit_on=date.today() - timedelta(days=3))
        make_household(ambassador, "7 kiệt 2 Nguyễn Trãi", "Nhà ông Tư")
        db.session.commit()
        return household


def sign_in(page, live_server):
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0701 234 567")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")


def visits(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Visit))


def test_visit_logged_offline_is_stored_once_when_back_online(
    app, ambassador_home, live_server, phone_page
):
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server}/households/{ambassador_home.id}")
    page.context.set_offline(True)
    page.locator("#log-visit summary").click()
    page.locator("#competencies-0").check()
    page.locator("#notes").fill("Bác tự quét mã QR ở chợ.")
    page.locator("#log-visit button[type=submit]").click()
    status = page.locator("#household-outbox")
    status.wait_for(state="visible")
    assert status.inner_text() == status.get_attribute("data-queued")
    assert page.url.endswith(f"/households/{ambassador_home.id}")  # no page load offline
    screenshot(page, "households-visit-saved-offline-360")
    assert visits(app) == 0

    page.context.set_offline(False)
    page.wait_for_function(
        "() => { const s = document.getElementById('household-outbox');"
        " return s.textContent === s.dataset.sent; }"
    )
    assert visits(app) == 1
    page.reload()  # the page load sends the queue again: nothing is left to send
    page.wait_for_load_state("networkidle")
    assert visits(app) == 1
    assert "Bác tự quét mã QR ở chợ." in page.locator("main").inner_text()
    with app.app_context():
        visit = db.session.scalar(select(Visit))
        assert visit.competency_ids == ["QR-1"] and visit.household_id == ambassador_home.id
    assert page.problems.messages == []


def test_ambassador_home_and_household_page_fit_a_small_phone(
    app, ambassador_home, live_server, phone_page
):
    page = phone_page
    sign_in(page, live_server)
    page.goto(live_server + "/households/")
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    screenshot(page, "households-home-360")
    page.locator("#register-household summary").click()
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    page.locator("#q").fill("0912 345 678")
    page.locator(".search-row button").click()
    page.wait_for_url("**q=0912*")
    expect(page.locator(".card")).to_have_count(1)
    page.locator(".card-link").click()
    page.locator("#log-visit summary").click()
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "households-household-360")
    assert page.problems.messages == []
