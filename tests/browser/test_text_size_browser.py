"""Text size at 360 px: the learner's choice applies before the first paint, to lessons and
their mock phone screens without sideways scrolling, follows them to another phone (kept on
the account) and, chosen offline, is kept on the phone and sent later."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.browser.conftest import PHONE, PageProblems, horizontal_overflow, screenshot
from tests.browser.test_player_browser import lessons_by_type, open_lesson, sign_in, wait_for
from tests.factories import LearnerFactory

# Records the text size <html> has when <body> first appears: before anything is painted.
SIZE_AT_BODY = """
new MutationObserver((_changes, observer) => {
  if (!document.body) return;
  window.__sizeAtBody = document.documentElement.dataset.textSize || 'normal';
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


@pytest.fixture
def reader(app):
    with app.app_context():
        person = LearnerFactory(full_name="Lý Thị Hoa", phone="0912000666")
        db.session.commit()
        return {"id": person.id, "phone": person.phone}


def new_phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    context.add_init_script(SIZE_AT_BODY)
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def text_size_on_account(app, learner_id: int) -> str | None:
    with app.app_context():
        return db.session.get(User, learner_id).text_size


def body_px(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")


def test_the_text_size_applies_before_paint_follows_the_learner_and_waits_offline(
        app, browser, reader, live_server):
    tap_lesson = lessons_by_type(app)["tap"]
    first, page = new_phone(browser)
    second = None
    try:
        sign_in(page, live_server, reader)
        assert body_px(page) == 20
        page.locator(".menu-button").click()  # the chooser lives in the header menu
        page.locator("[data-text-size-chooser] [data-size=larger]").first.click()
        expect(page.locator("html")).to_have_attribute("data-text-size", "larger")
        assert body_px(page) == 27.5
        expect(page.locator("[data-text-size-chooser] [data-size=larger]").first).to_have_attribute(
            "aria-pressed", "true")
        assert wait_for(lambda: text_size_on_account(app, reader["id"]) == "larger", 20)
        assert horizontal_overflow(page) == 0
        screenshot(page, "text-size-larger-home-360")

        # A lesson (a page kept for everyone): the phone's copy, there before the first paint.
        open_lesson(page, live_server, tap_lesson.id)
        assert page.evaluate("() => window.__sizeAtBody") == "larger"
        tap_index = next(i for i, step in enumerate(tap_lesson.steps) if step.type == "tap")
        for _ in range(tap_index):
            page.locator("[data-next]").click()
        screen = page.locator(f"#step-{tap_lesson.steps[tap_index].id} .phone")
        expect(screen).to_be_visible()
        assert page.evaluate(
            "(el) => parseFloat(getComputedStyle(el).fontSize)", screen.element_handle()) > 20
        assert horizontal_overflow(page) == 0
        screenshot(page, "text-size-larger-tap-step-360")

        # Another phone: the account's size from the first page on.
        second, other = new_phone(browser)
        sign_in(other, live_server, reader)
        assert other.evaluate("() => window.__sizeAtBody") == "larger"
        open_lesson(other, live_server, tap_lesson.id)
        assert other.evaluate("() => window.__sizeAtBody") == "larger"

        # Chosen offline: applied and kept on the phone, sent when a page opens online.
        second.set_offline(True)
        other.locator(".menu-button").click()
        other.locator("[data-text-size-chooser] [data-size=large]").first.click()
        expect(other.locator("html")).to_have_attribute("data-text-size", "large")
        assert text_size_on_account(app, reader["id"]) == "larger"
        second.set_offline(False)
        other.goto(live_server + "/")
        assert other.evaluate("() => window.__sizeAtBody") == "large"  # not the account's old
        assert wait_for(lambda: text_size_on_account(app, reader["id"]) == "large", 20)
        assert page.problems.messages == [] and other.problems.messages == []
    finally:
        first.close()
        if second:
            second.close()
