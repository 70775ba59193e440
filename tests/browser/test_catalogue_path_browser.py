"""The catalogue at 360 px shows a signed-in learner their group's path first."""
from __future__ import annotations

from playwright.sync_api import expect

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from tests.browser.conftest import horizontal_overflow, screenshot
from tests.browser.test_player_browser import sign_in
from tests.factories import LearnerFactory


def test_a_trader_sees_the_traders_path_first_and_a_visitor_sees_none(app, live_server,
                                                                      phone_page):
    with app.app_context():
        person = LearnerFactory(full_name="Hồ Văn Tài", phone="0912000444", group="trader")
        db.session.commit()
        path = list(release().framework.path("trader"))
        titles = {lesson_id: release().lesson("vi", lesson_id).title for lesson_id in path}
    page = phone_page
    page.goto(live_server + "/learn/vi/")
    expect(page.locator("[data-guest-note]")).to_be_visible()
    expect(page.locator("[data-path]")).to_be_hidden()

    sign_in(page, live_server, {"phone": person.phone})
    page.goto(live_server + "/learn/vi/")
    section = page.locator("[data-path]")
    expect(section).to_be_visible()
    expect(section.locator("#path-title")).to_have_text(
        "Lộ trình của bác: Tiểu thương, hộ kinh doanh")
    cards = section.locator("[data-lesson]")
    expect(cards).to_have_count(len(path))
    assert [cards.nth(i).get_attribute("data-lesson") for i in range(len(path))] == path
    assert path[0].startswith("safe-")
    expect(cards.first).to_contain_text(titles[path[0]])
    # It comes before every area of the catalogue.
    first_section = page.locator(".catalogue section").first
    expect(first_section).to_have_attribute("data-path", "")
    assert horizontal_overflow(page) == 0
    screenshot(page, "catalogue-trader-path-360")
    assert page.problems.messages == []
