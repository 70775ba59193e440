"""In real Chromium: what the player sends for each step type is judged right by the server."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.qr import qr_png
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import (
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
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


def test_staff_see_answers_judged_differently_on_a_small_phone(app, live_server, phone_page):
    from hue_literacy.classes import services as classes
    from tests.factories import TEST_PASSWORD, AmbassadorFactory, LearnerFactory, ward
    from tests.progress_helpers import event

    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward("PHUXUAN"), phone="0701234999")
        learner = LearnerFactory(ward=ward("PHUXUAN"), full_name="Nguyễn Văn Bình")
        lesson = next(iter(release().in_lang("vi").values()))
        step = next(s for s in lesson.steps if s.practice)
        for minutes in (30, 20):  # a script said right twice; the server found both wrong
            row = event(learner, "step_answered", lesson.id,
                        datetime.now(UTC) - timedelta(minutes=minutes), step.id, correct=False,
                        version=lesson.version)
            row.phone_correct, row.judged = True, "server"
        session = classes.open_class(ward("PHUXUAN").id, "Nhà văn hóa tổ 5",
                                     datetime.now(UTC).date(), ambassador)
        classes.join_class(session, learner)
        db.session.commit()
        session_id, learner_id = session.id, learner.id
    page = phone_page
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0701234999")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url(live_server + "/")

    page.goto(f"{live_server}/classes/{session_id}")
    expect(page.locator(".attendee [data-disputed]")).to_contain_text(
        "Câu trả lời máy chủ chấm khác với điện thoại: 2")
    assert horizontal_overflow(page) == 0 and small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "judging-class-view-360")

    page.goto(f"{live_server}/progress/learner/{learner_id}")
    disputed = page.locator("[data-disputed]")
    expect(disputed.locator("li")).to_have_count(2)
    expect(disputed).to_contain_text(lesson.title)
    expect(disputed).to_contain_text("điện thoại báo đúng, nhưng câu trả lời sai")
    assert horizontal_overflow(page) == 0 and small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    disputed.scroll_into_view_if_needed()
    screenshot(page, "judging-progress-staff-360")
    assert page.problems.messages == []
