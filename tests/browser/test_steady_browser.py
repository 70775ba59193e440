"""Nothing moves after it appears, and a compact header: measured in Chromium at 360 x 740.

Layout shift is what Lighthouse's CLS adds up: Chromium's `layout-shift` performance entries
not caused by the learner's own input. The pages are measured while /api/v1/session answers
at once and while it answers late (the notices that depend on it used to appear then).
"""
from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from hue_literacy.extensions import db
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_player_browser import lessons_by_type
from tests.factories import TEST_PIN, LearnerFactory

SCREEN = {"width": 360, "height": 740}
LIMIT = 0.05  # Lighthouse's "good" is 0.1; the issue asks for half of it
OBSERVE_SHIFTS = """
window.__shift = 0;
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shift += entry.value;
    const moved = entry.sources.map((s) => s.node && (s.node.id || s.node.nodeName));
    window.__shifts.push([entry.value, moved]);
  }
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Võ Thị Bình", phone="0912000777", group="elderly")
        db.session.commit()
        return {"id": person.id, "phone": person.phone}


def phone(browser):
    context = browser.new_context(viewport=SCREEN, locale="vi-VN")
    context.add_init_script(OBSERVE_SHIFTS)
    return context, context.new_page()


def slow_session(page, seconds: float) -> None:
    """Answer /api/v1/session late, as on a weak network (the delay is the network's)."""
    def late(route):
        time.sleep(seconds)
        route.continue_()
    page.route("**/api/v1/session", late)


def sign_in(page, live_server, learner) -> None:
    page.goto(live_server + "/sign-in")
    page.get_by_label("Số điện thoại").fill(learner["phone"])
    page.get_by_label("Mã PIN").fill(TEST_PIN)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")
    # The home page's scripts keep who uses this phone for the cached pages.
    page.wait_for_function("localStorage.getItem('hue-session') !== null")


def settled_shift(page) -> float:
    """The page's layout shift once the session has answered and the sync line is drawn."""
    page.wait_for_function("document.readyState === 'complete'")
    expect(page.locator("#sync-status[data-state]")).to_be_attached()
    return page.evaluate("[window.__shift, window.__shifts]")


def header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.mark.parametrize("delay", [0, 1.5])
def test_catalogue_and_lesson_do_not_move_for_a_signed_in_learner(app, browser, live_server,
                                                                   learner, delay):
    context, page = phone(browser)
    sign_in(page, live_server, learner)
    slow_session(page, delay)
    lesson = lessons_by_type(app)["choice"]
    measured = {}
    page.goto(live_server + "/learn/vi/")
    measured["catalogue"] = settled_shift(page)
    expect(page.locator("[data-path]")).to_be_visible()  # the elderly path, drawn at once
    expect(page.locator("[data-guest-note]")).to_be_hidden()
    screenshot(page, f"steady-catalogue-learner-{delay}s")
    page.goto(f"{live_server}/learn/vi/{lesson.id}")
    expect(page.locator("#player.is-ready")).to_be_attached()
    measured["lesson"] = settled_shift(page)
    expect(page.locator("#sync-status")).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("Mọi kết quả của bác đã được lưu.")
    expect(page.locator("[data-guest-note]")).to_be_hidden()
    # The header and the sync line leave the screen to the step.
    assert header_height(page) <= 120
    step = page.locator("#player .step:visible")
    assert step.bounding_box()["y"] < SCREEN["height"] / 2
    page.screenshot(path=str(ARTIFACTS / f"steady-lesson-learner-{delay}s-first-screen.png"))
    context.close()
    (ARTIFACTS / f"steady-shift-learner-{delay}s.json").write_text(json.dumps(measured))
    moved = {where: value for where, (value, _sources) in measured.items() if value >= LIMIT}
    assert moved == {}, measured


def test_a_visitor_sees_the_practice_notice_from_the_first_paint(app, browser, live_server):
    context, page = phone(browser)
    slow_session(page, 1.5)
    lesson = lessons_by_type(app)["choice"]
    page.goto(f"{live_server}/learn/vi/{lesson.id}")
    note = page.locator("[data-guest-note]")
    expect(note).to_be_visible()  # before /api/v1/session has answered
    expect(page.locator("#player.is-ready")).to_be_attached()
    value, sources = settled_shift(page)
    expect(note).to_be_visible()
    expect(page.locator("#sync-status")).to_be_hidden()  # nothing to say to a visitor online
    assert header_height(page) <= 120
    screenshot(page, "steady-lesson-visitor")
    page.goto(live_server + "/learn/vi/")
    catalogue, catalogue_sources = settled_shift(page)
    context.close()
    assert value < LIMIT, sources
    assert catalogue < LIMIT, catalogue_sources


def test_the_header_menu_holds_language_and_sign_out_and_works_by_keyboard(
        browser, live_server, learner):
    context, page = phone(browser)
    sign_in(page, live_server, learner)
    assert header_height(page) <= 120
    menu = page.locator("details.menu")
    sign_out = page.get_by_role("button", name="Đăng xuất")
    expect(sign_out).to_be_hidden()  # folded away until asked for
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # the menu
    expect(page.locator(".menu-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(sign_out).to_be_visible()
    for target in (sign_out, page.get_by_role("button", name="English")):
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    screenshot(page, "steady-header-menu-open-360")
    page.keyboard.press("Escape")  # closes, and the focus goes back to the menu button
    expect(menu).not_to_have_attribute("open", "")
    expect(page.locator(".menu-button")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("details.menu")).not_to_have_attribute("open", "")
    page.locator(".menu-button").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("main")).to_contain_text("You have signed out")
    context.close()
