"""What next and progress on every device, at 360 px: home, the lesson's end screen and "My
progress" name the same next lesson (progress/next.py, merged with the phone's queue by
next.js); a learner on a new phone sees what the server has; offline, "My progress" opens from
the phone's copy and says so."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.accounts.models import User
from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import PHONE, PageProblems, horizontal_overflow, screenshot
from tests.browser.test_offline_browser import area_card, complete, wait_until_lessons_cached
from tests.browser.test_player_browser import (
    answer_wrong_then_right,
    open_lesson,
    sign_in,
    wait_for,
)
from tests.factories import LearnerFactory
from tests.progress_helpers import master_lesson


@pytest.fixture
def elderly(app):
    with app.app_context():
        person = LearnerFactory(full_name="Võ Thị Cúc", phone="0912000555", group="elderly")
        db.session.commit()
        path = list(release().framework.path("elderly"))
        return {"id": person.id, "phone": person.phone, "path": path,
                "lessons": {lesson_id: release().lesson("vi", lesson_id) for lesson_id in path}}


def completions(app, learner_id: int) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(ProgressEvent.lesson_id).where(
            ProgressEvent.learner_id == learner_id, ProgressEvent.kind == "lesson_completed")))


def expect_next(page, box: str, text: str, lesson_id: str) -> None:
    link = page.locator(f"{box} [data-next-link]")
    expect(link).to_have_text(text)
    expect(link).to_have_attribute("href", f"/learn/vi/{lesson_id}")


def test_home_end_screen_and_progress_page_name_the_same_next_lesson(app, elderly, live_server,
                                                                     phone_page):
    page = phone_page
    path, lessons = elderly["path"], elderly["lessons"]
    sign_in(page, live_server, elderly)
    # A new learner: the first lesson of the elderly path (safety first), above all else.
    expect_next(page, ".home-next", f"Bắt đầu: {lessons[path[0]].title}", path[0])
    first = page.locator("main > *:not([hidden]):not(.notice)").first
    expect(first).to_have_class("home-next")
    assert horizontal_overflow(page) == 0
    screenshot(page, "home-next-start-360")

    complete(page, live_server, lessons[path[0]])
    end = '[data-step="_end"]'
    expect_next(page, end, f"Bắt đầu: {lessons[path[1]].title}", path[1])
    expect(page.locator(f"{end} [data-next-fallback]")).to_be_hidden()
    assert horizontal_overflow(page) == 0
    screenshot(page, "end-screen-next-360")
    assert wait_for(lambda: path[0] in completions(app, elderly["id"]), 20)

    page.goto(live_server + "/")
    expect_next(page, ".home-next", f"Bắt đầu: {lessons[path[1]].title}", path[1])
    page.goto(live_server + "/progress/")
    expect_next(page, ".progress-next", f"Bắt đầu: {lessons[path[1]].title}", path[1])

    # Half-done: one step answered, then the learner leaves; everything says "continue".
    open_lesson(page, live_server, path[2])
    for step in lessons[path[2]].steps:
        if step.type != "info":
            answer_wrong_then_right(page, step)
            break
        page.locator("[data-next]").click()
    page.goto(live_server + "/")
    expect_next(page, ".home-next", f"Tiếp tục: {lessons[path[2]].title}", path[2])
    screenshot(page, "home-next-continue-360")
    page.goto(live_server + "/progress/")
    expect_next(page, ".progress-next", f"Tiếp tục: {lessons[path[2]].title}", path[2])
    page.goto(live_server + "/learn/vi/")
    expect(area_card(page, path[0]).locator("[data-done]")).to_be_visible()
    expect(area_card(page, path[2]).locator("[data-started]")).to_be_visible()
    assert page.problems.messages == []


def test_a_new_phone_shows_the_servers_progress_and_offline_the_saved_copy(app, browser, elderly,
                                                                           live_server):
    path, lessons = elderly["path"], elderly["lessons"]
    with app.app_context():  # done on another phone: the server has it, this phone does not
        learner = db.session.get(User, elderly["id"])
        for lesson_id in path[:2]:
            master_lesson(learner, release().lesson("vi", lesson_id))
        db.session.commit()
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="allow")
    page = context.new_page()
    page.problems = PageProblems(page)
    try:
        sign_in(page, live_server, elderly)
        expect_next(page, ".home-next", f"Bắt đầu: {lessons[path[2]].title}", path[2])
        page.goto(live_server + "/learn/vi/")
        for lesson_id in path[:2]:
            expect(area_card(page, lesson_id).locator("[data-done]")).to_be_visible()
        expect(area_card(page, path[2]).locator("[data-done]")).to_be_hidden()
        wait_until_lessons_cached(page)
        page.goto(live_server + "/progress/")  # keeps its copy on the phone
        expect_next(page, ".progress-next", f"Bắt đầu: {lessons[path[2]].title}", path[2])

        context.set_offline(True)
        complete(page, live_server, lessons[path[2]])  # offline: waits in the queue
        expect_next(page, '[data-step="_end"]', f"Bắt đầu: {lessons[path[3]].title}", path[3])
        page.goto(live_server + "/progress/")
        saved = page.locator("[data-saved-progress]")
        expect(saved).to_have_attribute("data-state", "ready")
        expect(saved.locator("[data-saved-note]")).to_contain_text("Hiện không có mạng")
        expect(saved.locator("[data-saved-note]")).to_contain_text(
            re.compile(r"vừa xong|\d+ phút trước"))
        total = len(release_lessons(app))
        expect(saved.locator("[data-done-count]")).to_have_text(f"3 trên {total} bài")
        expect_next(page, "[data-saved-progress]", f"Bắt đầu: {lessons[path[3]].title}",
                    path[3])
        assert horizontal_overflow(page) == 0
        screenshot(page, "progress-saved-offline-360")
        assert page.problems.messages == []
    finally:
        context.close()


def release_lessons(app):
    with app.app_context():
        return list(release().in_lang("vi"))
