"""In real Chromium: what the player sends for each step type is judged right by the server."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.qr import qr_png
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import screenshot
from tests.browser.test_player_browser import (
    _vietqr_lesson,
    answer_wrong_then_right,
    learner,  # noqa: F401 - the fixture
    lessons_by_type,
    open_lesson,
    read_store,
    sign_in,
    wait_for,
)


def answers_of(app, learner_id: int) -> list[ProgressEvent]:
    with app.app_context():
        return list(db.session.scalars(select(ProgressEvent).where(
            ProgressEvent.learner_id == learner_id, ProgressEvent.kind == "step_answered")))


def test_the_server_agrees_with_the_player_on_every_step_type(app, learner, live_server,  # noqa: F811
                                                             phone_page):
    page = phone_page
    sign_in(page, live_server, learner)
    lessons = list(dict.fromkeys(lessons_by_type(app).values()))
    steps = {(lesson.id, step.id): step for lesson in lessons for step in lesson.steps
             if step.practice}
    for lesson in lessons:
        open_lesson(page, live_server, lesson.id)
        for step in lesson.steps:
            answer_wrong_then_right(page, step)
            page.locator("[data-next]").click()
        expect(page.locator('[data-step="_end"]')).to_be_visible()

    def all_sent() -> bool:
        return not read_store(page, "outbox") and len(answers_of(app, learner["id"])) >= 2 * len(
            steps)

    assert wait_for(all_sent, 30), "the answers were not all sent"
    answers = answers_of(app, learner["id"])
    # Every answer the phone judged was judged the same way by the server...
    assert [(a.step_id, a.phone_correct) for a in answers if a.correct != a.phone_correct] == []
    assert all(a.judged == ("phone" if steps[(a.lesson_id, a.step_id)].type == "form"
                            else "server") for a in answers)
    # ...and every step got one right answer, with no typed form value sent.
    assert {(a.lesson_id, a.step_id) for a in answers if a.correct} == set(steps)
    assert all(set(a.answer) == {"wrong_fields"} for a in answers
               if steps[(a.lesson_id, a.step_id)].type == "form")
    assert page.problems.messages == []


def test_a_photo_of_the_practice_vietqr_is_judged_right_by_the_server(app, learner,  # noqa: F811
                                                                      live_server, phone_page,
                                                                      tmp_path):
    page = phone_page
    sign_in(page, live_server, learner)
    lesson = _vietqr_lesson(app)
    step = next(s for s in lesson.steps if s.type == "scan" and s.qr.kind == "vietqr")
    open_lesson(page, live_server, lesson.id)
    for earlier in lesson.steps[:lesson.steps.index(step)]:
        answer_wrong_then_right(page, earlier)
        page.locator("[data-next]").click()
    section = page.locator(f"#step-{step.id}")
    other = tmp_path / "other.png"
    other.write_bytes(qr_png("https://example.invalid/someone-elses-code"))
    section.locator("[data-photo]").set_input_files(str(other))
    expect(section.locator("[data-status]")).not_to_be_empty()
    photo = tmp_path / "practice-qr.png"
    photo.write_bytes(qr_png(section.locator("[data-scan]").get_attribute("data-payload")))
    section.locator("[data-photo]").set_input_files(str(photo))
    expect(section.locator(".feedback .bank-confirm")).to_be_visible(timeout=15000)
    screenshot(page, "judging-photo-scan")

    def scanned():
        found = [a for a in answers_of(app, learner["id"]) if a.step_id == step.id]
        return found if len(found) == 2 and not read_store(page, "outbox") else None

    found = wait_for(scanned, 30)
    assert found, "the scan answers were not sent"
    wrong, right = sorted(found, key=lambda a: a.correct)
    assert wrong.answer == {"method": "photo"}  # what another code held is not sent
    assert (wrong.correct, wrong.judged) == (False, "server")
    assert right.answer["method"] == "photo" and "TAP DUOT" in right.answer["text"]
    assert (right.correct, right.phone_correct, right.judged) == (True, True, "server")
