"""Offline-first in real Chromium: lessons open and complete with the network off, progress
survives a reload, and every queued event reaches the database exactly once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from hue_literacy.content.access import EXTENSION_KEY
from hue_literacy.content.release import load_release
from hue_literacy.extensions import db
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_player_browser import (
    answer_wrong_then_right,
    open_lesson,
    read_store,
    sign_in,
    wait_for,
)
from tests.factories import LearnerFactory

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Phan Thị Sen", phone="0912000222")
        db.session.commit()
        return {"id": person.id, "phone": person.phone}


@pytest.fixture
def phone(browser):
    """A phone with a fresh profile (service worker and caches start empty)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="allow")
    page = context.new_page()
    yield context, page
    context.close()


def content_caches(page) -> list[str]:
    return page.evaluate(
        "async () => (await caches.keys()).filter((name) => name.startsWith('hue-content-vi-'))"
    )


def wait_until_lessons_cached(page) -> list[str]:
    """Poll from Python: evaluate() awaits the promise, wait_for_function() would not."""
    has_pointer = """async () => {
        const meta = await caches.open('hue-meta');
        return Boolean(await meta.match('/__pointer/vi'));
    }"""
    assert wait_for(lambda: page.evaluate(has_pointer), 60), "lessons were never cached"
    return content_caches(page)


def stored_events(app, learner_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(ProgressEvent.event_id).where(ProgressEvent.learner_id == learner_id)
        ))


def area_card(page, lesson_id: str):
    """A lesson's card in its area (the learner's path above may show it once more)."""
    return page.locator(f'.catalogue section:not([data-path]) [data-lesson="{lesson_id}"]')


def flush_after_the_page_did(page) -> dict:
    """What one more flush of the outbox does, once the one the page started is done
    (flushes run one at a time): a condition to wait on instead of a pause."""
    return page.evaluate("async () => (await import('/static/js/outbox.js')).flush()")


def complete(page, live_server, lesson) -> None:
    open_lesson(page, live_server, lesson.id)
    for step in lesson.steps:
        answer_wrong_then_right(page, step)
        page.locator("[data-next]").click()
    expect(page.locator('[data-step="_end"]')).to_be_visible()


def test_two_lessons_completed_offline_are_synced_once(app, learner, live_server, phone):
    from hue_literacy.content.access import release

    context, page = phone
    sign_in(page, live_server, learner)
    page.goto(live_server + "/learn/vi/")
    assert len(wait_until_lessons_cached(page)) == 1
    with app.app_context():
        lessons = release().catalogue("vi")[1][1][:2]  # two payment lessons

    context.set_offline(True)
    page.goto(live_server + "/learn/vi/")  # the catalogue opens with no network
    expect(area_card(page, lessons[0].id)).to_be_visible()
    for lesson in lessons:
        complete(page, live_server, lesson)
    assert stored_events(app, learner["id"]) == []  # nothing could be sent

    page.reload()  # still offline: progress is kept on the phone
    page.goto(live_server + "/learn/vi/")
    for lesson in lessons:
        expect(area_card(page, lesson.id).locator("[data-done]")).to_be_visible()
    status = page.locator("#sync-status")
    expect(status).to_have_attribute("data-state", "offline")
    screenshot(page, "offline-catalogue-waiting")
    queued = read_store(page, "outbox")
    assert len(queued) >= 2 * 4 and all(e["learner_id"] == learner["id"] for e in queued)
    assert {e["lesson_id"] for e in queued if e["type"] == "lesson_completed"} == {
        lesson.id for lesson in lessons}

    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    assert wait_for(lambda: len(stored_events(app, learner["id"])) == len(queued), 20)
    expect(status).to_have_attribute("data-state", "sent")
    assert read_store(page, "outbox") == []
    stored = stored_events(app, learner["id"])
    assert sorted(stored) == sorted(e["id"] for e in queued)  # each exactly once
    page.reload()  # flushing again sends nothing twice
    assert flush_after_the_page_did(page)["sent"] == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgressEvent)) == len(queued)


def test_events_queued_while_signed_out_wait_for_sign_in(app, learner, live_server, phone):
    """A session that expired offline: queued events are kept and sent after signing in."""
    from hue_literacy.content.access import release

    context, page = phone
    sign_in(page, live_server, learner)
    page.goto(live_server + "/learn/vi/")
    wait_until_lessons_cached(page)
    context.set_offline(True)
    with app.app_context():
        lesson = release().catalogue("vi")[0][1][0]
    complete(page, live_server, lesson)
    queued = read_store(page, "outbox")
    context.clear_cookies()  # the session expired while the phone was offline
    context.set_offline(False)
    page.goto(live_server + "/learn/vi/")
    assert flush_after_the_page_did(page)["reason"] == "signed_out"
    assert stored_events(app, learner["id"]) == []
    assert len(read_store(page, "outbox")) == len(queued)  # nothing dropped
    sign_in(page, live_server, learner)
    assert wait_for(lambda: len(stored_events(app, learner["id"])) == len(queued), 20)


def test_a_new_content_release_replaces_the_cache(app, learner, live_server, phone, tmp_path):
    context, page = phone
    page.goto(live_server + "/learn/vi/")
    (old_cache,) = wait_until_lessons_cached(page)

    # The ward installs a new content release with a changed lesson title.
    shutil.copytree(CONTENT, tmp_path / "content")
    lesson_file = tmp_path / "content" / "vi" / "qr-ward-notice.yaml"
    text = lesson_file.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    lesson_file.write_text(
        text.replace(title_line, "title: Quét mã QR - bản mới", 1), encoding="utf-8")
    app.extensions[EXTENSION_KEY] = load_release(tmp_path / "content")

    page.goto(live_server + "/learn/vi/")  # online visit: the update starts in the background
    def replaced() -> bool:
        names = content_caches(page)
        return len(names) == 1 and names != [old_cache]  # the old one is gone, never mixed

    assert wait_for(replaced, 60)
    context.set_offline(True)
    page.goto(live_server + "/learn/vi/qr-ward-notice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quét mã QR - bản mới")
