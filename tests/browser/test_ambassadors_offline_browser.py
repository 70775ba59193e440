"""Ambassadors offline for real, in Chromium at 360 px: every household change goes to the
phone's queue before any request (a weak signal, where the phone believes it is online but
requests fail, loses nothing), the header says how many changes wait, and page start, the
network's return and Background Sync all send them."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.households.models import Visit
from tests.browser.conftest import PHONE, PageProblems, screenshot
from tests.browser.test_households_browser import (
    ambassador_home,  # noqa: F401 (a fixture)
    sign_in,
    visits,
)
from tests.browser.test_player_browser import read_store, wait_for

OPS = "**/api/v1/household-ops"


def new_phone(browser, service_workers: str = "block"):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers=service_workers)
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def queued_ops(page) -> list[dict]:
    return read_store(page, "ops", database="hue-households")


def weak_signal(route) -> None:
    route.abort("connectionfailed")


def test_a_visit_saved_on_a_weak_signal_is_kept_and_sent_when_the_signal_returns(
    app, browser, ambassador_home, live_server  # noqa: F811
):
    context, page = new_phone(browser)
    sign_in(page, live_server)
    household_page = f"{live_server}/households/{ambassador_home.id}"
    page.goto(household_page)
    page.route(OPS, weak_signal)  # the phone believes it is online; every send fails
    assert page.evaluate("navigator.onLine") is True

    page.locator("#log-visit summary").click()
    page.locator("#competencies-0").check()
    page.locator("#notes").fill("Trời mưa, sóng yếu.")
    page.locator("#log-visit button[type=submit]").click()
    status = page.locator("#household-outbox")
    # The page tried to send it at once and failed: the line says the change waits.
    expect(status).to_have_text(status.get_attribute("data-waiting").replace("{n}", "1"))
    badge = page.locator("#staff-waiting")
    expect(badge).to_have_text("1 thay đổi đang chờ gửi")
    assert page.url == household_page  # no browser error page, no page load
    (op,) = queued_ops(page)
    assert op["type"] == "visit_logged" and op["payload"]["notes"] == "Trời mưa, sóng yếu."
    assert visits(app) == 0
    screenshot(page, "ambassadors-weak-signal-360")

    page.reload()  # still a weak signal: the change is still there, and still counted
    expect(page.locator("#staff-waiting")).to_have_text("1 thay đổi đang chờ gửi")
    assert len(queued_ops(page)) == 1

    page.unroute(OPS)  # the signal is back: the page's next try sends it, once
    expect(page.locator("#staff-waiting")).to_be_hidden(timeout=40_000)
    assert wait_for(lambda: visits(app) == 1, 20)
    assert queued_ops(page) == []
    with app.app_context():
        visit = db.session.scalar(select(Visit))
        assert visit.notes == "Trời mưa, sóng yếu." and visit.household_id == ambassador_home.id
    assert [m for m in page.problems.messages if "ERR_CONNECTION_FAILED" not in m
            and "Failed to load resource" not in m] == []
    context.close()
