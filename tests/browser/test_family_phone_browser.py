"""A shared family phone at 360 px: two learners of one household on one phone. Each one's
results made offline stay theirs and are sent under their own account only; signing one out
keeps the other's waiting results; the server refuses one's results in the other's session;
"who is learning?" shows both as large tiles and a tile signs in with that learner's PIN."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import PHONE, PageProblems, horizontal_overflow, screenshot
from tests.browser.test_player_browser import (
    answer_wrong_then_right,
    open_lesson,
    read_store,
    sign_in,
    wait_for,
)
from tests.factories import TEST_PIN, LearnerFactory


@pytest.fixture
def household(app):
    with app.app_context():
        grandmother = LearnerFactory(full_name="Trương Thị Mến", phone="0912000771")
        grandfather = LearnerFactory(full_name="Trương Văn Lộc", phone="0912000772")
        db.session.commit()
        lessons = [lesson for _area, items in release().catalogue("vi") for lesson in items][:2]
        return ({"id": grandmother.id, "phone": grandmother.phone, "name": "Trương Thị Mến"},
                {"id": grandfather.id, "phone": grandfather.phone, "name": "Trương Văn Lộc"},
                lessons)


def stored(app, learner_id: int) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(
            select(ProgressEvent.event_id).where(ProgressEvent.learner_id == learner_id)))


def queued(page, learner_id: int) -> set[str]:
    return {event["id"] for event in read_store(page, "outbox")
            if event["learner_id"] == learner_id}


def do_lesson_offline(page, context, live_server, lesson) -> None:
    """Open the lesson online, then lose the network and do every step to the end."""
    open_lesson(page, live_server, lesson.id)
    context.set_offline(True)
    for step in lesson.steps:
        answer_wrong_then_right(page, step)
        page.locator("[data-next]").click()
    expect(page.locator('[data-step="_end"]')).to_be_visible()


def family_phone(browser):
    """A phone at 360 px with no service worker (the page sends by itself)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def someone_else(page, live_server) -> None:
    page.goto(live_server + "/")
    page.get_by_role("button", name="Người khác trong nhà học").click()
    page.wait_for_url(live_server + "/")
    expect(page.locator("[data-family]")).to_be_visible()


def test_two_learners_share_one_phone_and_each_ones_results_stay_theirs(app, browser, household,
                                                                        live_server):
    grandmother, grandfather, (first_lesson, second_lesson) = household
    context, page = family_phone(browser)
    try:
        # She learns first; her results wait on the phone (the network fails when she is done).
        sign_in(page, live_server, grandmother)
        do_lesson_offline(page, context, live_server, first_lesson)
        hers = queued(page, grandmother["id"])  # waiting; her "started" may have gone before
        all_hers = hers | stored(app, grandmother["id"])
        assert len(hers) >= 3
        page.route("**/api/v1/events", lambda route: route.abort("internetdisconnected"))
        context.set_offline(False)
        someone_else(page, live_server)  # signing her out keeps her results
        page.unroute("**/api/v1/events")
        tiles = page.locator("[data-family] .family-tile")
        expect(tiles).to_have_count(1)
        expect(tiles.first).to_contain_text(grandmother["name"])
        assert queued(page, grandmother["id"]) == hers
        assert stored(app, grandmother["id"]) <= all_hers

        # He signs in for the first time ("someone else": the phone number and his PIN).
        page.goto(live_server + "/sign-in")
        expect(page.locator("[data-family]")).to_be_visible()
        sign_in(page, live_server, grandfather)
        do_lesson_offline(page, context, live_server, second_lesson)
        his = queued(page, grandfather["id"]) | stored(app, grandfather["id"])
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        assert wait_for(lambda: stored(app, grandfather["id"]) == his, 30)
        # Only his went out, under his account; hers still wait.
        assert queued(page, grandmother["id"]) == hers
        assert not stored(app, grandmother["id"]) & hers
        one_of_hers = next(event for event in read_store(page, "outbox")
                           if event["learner_id"] == grandmother["id"])
        answer = page.evaluate(
            """async (event) => (await fetch('/api/v1/events', {method: 'POST',
                 headers: {'Content-Type': 'application/json'},
                 body: JSON.stringify({events: [event]})})).json()""", one_of_hers)
        assert answer["results"][0]["status"] == "refused"
        assert answer["results"][0]["reason"] == "other_learner"

        # Who is learning? Both, as large tiles; hers signs her in with her own PIN.
        someone_else(page, live_server)
        expect(tiles).to_have_count(2)
        expect(tiles.first).to_contain_text(grandfather["name"])  # the latest first
        boxes = [tiles.nth(i).bounding_box() for i in range(2)]
        assert all(box["height"] >= 48 and box["width"] >= 300 for box in boxes)
        assert horizontal_overflow(page) == 0
        screenshot(page, "family-who-is-learning-360")
        page.locator(f'[data-family] [data-who="{grandmother["id"]}"]').click()
        page.wait_for_url(f"{live_server}/sign-in")  # the tile's #who= is read, then dropped
        chosen = page.locator("[data-family-chosen]")
        expect(chosen).to_contain_text(grandmother["name"])
        expect(page.get_by_label("Số điện thoại")).to_be_hidden()
        expect(page.get_by_label("Mã PIN")).to_be_focused()
        screenshot(page, "family-pin-360")
        page.get_by_label("Mã PIN").fill(TEST_PIN)
        page.get_by_role("button", name="Đăng nhập").last.click()
        page.wait_for_url(live_server + "/")
        expect(page.locator("h1")).to_contain_text(grandmother["name"])
        assert wait_for(lambda: stored(app, grandmother["id"]) == all_hers, 30)
        assert stored(app, grandfather["id"]) == his  # nothing of hers under his account
        assert wait_for(lambda: read_store(page, "outbox") == [], 20)
        assert page.problems.messages == []
    finally:
        context.close()


def test_home_and_the_family_tiles_fit_at_200_percent_zoom(app, browser, household, live_server):
    grandmother, grandfather, _lessons = household
    context = browser.new_context(viewport={"width": 180, "height": 380},
                                  device_scale_factor=2, locale="vi-VN", service_workers="block")
    page = context.new_page()
    page.problems = PageProblems(page)
    try:
        sign_in(page, live_server, grandfather)
        expect(page.locator(".home-next [data-next-link]")).to_be_visible()
        screenshot(page, "home-next-zoom-200")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 2)
            .slice(0, 8).map((el) => `${el.tagName}.${el.className}`)""")
        assert horizontal_overflow(page) <= 2, wide
        someone_else(page, live_server)
        page.evaluate("""(people) => localStorage.setItem('hue-family', JSON.stringify(people))""",
                      [{"id": p["id"], "name": p["name"], "phone": p["phone"]}
                       for p in (grandfather, grandmother)])
        page.goto(live_server + "/sign-in")
        expect(page.locator("[data-family] .family-tile")).to_have_count(2)
        assert horizontal_overflow(page) <= 2
        screenshot(page, "family-tiles-zoom-200")
        assert page.problems.messages == []
    finally:
        context.close()


def delete_on_the_server(app, learner_id: int) -> None:
    from hue_literacy.accounts.models import User
    from hue_literacy.accounts.services import delete_account
    from hue_literacy.downloads import personal_data_context

    with app.test_request_context():
        delete_account(db.session.get(User, learner_id), personal_data_context())
        db.session.commit()


def test_a_learner_deleted_on_the_server_is_taken_off_the_family_phone(app, browser, household,
                                                                       live_server):
    grandmother, grandfather, (lesson, _second) = household
    context, page = family_phone(browser)
    try:
        sign_in(page, live_server, grandfather)
        someone_else(page, live_server)
        sign_in(page, live_server, grandmother)
        page.route("**/api/v1/events", lambda route: route.abort("internetdisconnected"))
        open_lesson(page, live_server, lesson.id)  # her "started" waits on the phone
        assert wait_for(lambda: queued(page, grandmother["id"]), 20)
        someone_else(page, live_server)
        page.unroute("**/api/v1/events")
        tiles = page.locator("[data-family] .family-tile")
        expect(tiles).to_have_count(2)

        # Deleted on the server: her tile signs in no more; the page says why, and her tile
        # and her waiting results leave the phone.
        delete_on_the_server(app, grandmother["id"])
        page.locator(f'[data-family] [data-who="{grandmother["id"]}"]').click()
        page.wait_for_url(f"{live_server}/sign-in")
        page.get_by_label("Mã PIN").fill(TEST_PIN)
        page.get_by_role("button", name="Đăng nhập").last.click()
        expect(page.locator("main")).to_contain_text("Tài khoản này đã bị xoá nên không đăng "
                                                     "nhập được nữa.")
        expect(tiles).to_have_count(1)
        expect(tiles.first).to_contain_text(grandfather["name"])
        assert wait_for(lambda: not queued(page, grandmother["id"]), 10)
        screenshot(page, "family-deleted-at-sign-in-360")

        # Deleted while signed in: the next page says so and takes him off too.
        sign_in(page, live_server, grandfather)
        delete_on_the_server(app, grandfather["id"])
        page.goto(live_server + "/")
        expect(page.locator("#account-deleted")).to_have_text(
            f"Tài khoản của {grandfather['name']} đã bị xoá. Tên và các kết quả chờ gửi của "
            "tài khoản này đã được bỏ khỏi điện thoại.")
        expect(page.locator("[data-family]")).to_be_hidden()  # no tile of his left
        assert page.evaluate("() => localStorage.getItem('hue-family')") == "[]"
        assert horizontal_overflow(page) == 0
        screenshot(page, "family-deleted-notice-360")
        assert page.problems.messages == []
    finally:
        context.close()
