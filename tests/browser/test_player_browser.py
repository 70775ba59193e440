"""In real Chromium at 360 px: a learner completes one shipped lesson of each step type."""
from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.content.access import release
from hue_literacy.content.model import ScanStep
from hue_literacy.extensions import db
from hue_literacy.lessons.services import practice_payload
from hue_literacy.qr import qr_png
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import (
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.factories import TEST_PIN, LearnerFactory

STEP_TYPES = ("info", "choice", "tap", "order", "form", "scan", "scam")
PRACTICE_TYPES = STEP_TYPES[1:]


def lessons_by_type(app, lang: str = "vi") -> dict:
    """For each step type, the first shipped lesson (in catalogue order) that has one."""
    with app.app_context():
        found = {}
        for _area, lessons in release().catalogue(lang):
            for lesson in lessons:
                for step in lesson.steps:
                    found.setdefault(step.type, lesson)
        return found


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Trần Thị Lan", phone="0912000111")
        db.session.commit()
        return {"id": person.id, "phone": person.phone}


def sign_in(page, live_server, learner) -> None:
    page.goto(live_server + "/sign-in")
    page.get_by_label("Số điện thoại").fill(learner["phone"])
    page.get_by_label("Mã PIN").fill(TEST_PIN)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url(live_server + "/")


def open_lesson(page, live_server, lesson_id: str, lang: str = "vi") -> None:
    page.goto(f"{live_server}/learn/{lang}/{lesson_id}")
    expect(page.locator("#player.is-ready")).to_be_attached()


def valid_value(field) -> str:
    if field.expected:
        return field.expected
    if field.kind == "select":
        return field.options[0]
    if field.kind == "digits":
        return "1" * (field.length or 6)
    if field.kind == "tel":
        return "0912345678"
    if field.kind == "date":
        return "1985-05-12"
    return "Kiệt 12 Phan Đình Phùng, đèn không sáng ba đêm nay"


def answer_wrong_then_right(page, step, shots: dict | None = None) -> list[str]:
    """Drive one step: ask for the hint, answer wrong once, then right. Returns notes."""
    section = page.locator(f"#step-{step.id}")
    feedback = section.locator(".feedback")
    if step.type == "info":
        return []
    section.locator("[data-hint]").click()
    expect(section.locator(".hint")).to_be_visible()
    expect(section.locator("[data-hint]")).to_have_attribute("aria-expanded", "true")

    if step.type == "choice":
        wrong = next(option for option in step.options if not option.correct)
        section.get_by_role("button", name=wrong.text, exact=True).click()
        expect(feedback).to_contain_text(wrong.feedback)
        expect(page.locator("[data-next]")).to_be_hidden()
        shoot(page, shots, "choice-wrong")
        section.get_by_role("button", name=step.correct_option.text, exact=True).click()
        expect(feedback).to_contain_text(step.correct_option.feedback)

    elif step.type == "tap":
        wrong = next(el for el in step.screen.elements if el.id != step.target)
        section.locator(f'[data-element="{wrong.id}"]').click()
        expect(feedback).to_contain_text(wrong.feedback or step.feedback)  # its own, if any
        section.locator(f'[data-element="{step.target}"]').click()
        expect(feedback).to_contain_text(step.success)

    elif step.type == "order":
        served = section.locator("[data-item]")
        ids = [served.nth(i).get_attribute("data-item") for i in range(served.count())]
        assert ids != [item.id for item in step.items], "served in the right order"
        for item_id in ids:  # the served order is never right
            section.locator(f'[data-item="{item_id}"]').click()
        expect(feedback).to_contain_text(step.feedback)
        shoot(page, shots, "order-wrong")
        section.locator("[data-reset]").click()
        expect(section.locator("[data-answer] li")).to_have_count(0)
        section.locator(f'[data-item="{step.items[0].id}"]').click()
        section.locator(f'[data-item="{step.items[1].id}"]').click()
        section.locator("[data-undo]").click()
        expect(section.locator("[data-answer] li")).to_have_count(1)
        for item in step.items[1:]:
            section.locator(f'[data-item="{item.id}"]').click()
        expect(feedback).to_contain_text(step.success)

    elif step.type == "form":
        section.get_by_role("button", name=step.submit).click()
        required = [f for f in step.fields if f.required or f.expected]
        for field in required:
            error = section.locator(f"#f-{step.id}-{field.id}-error")
            expect(error).to_be_visible()
            expect(error).to_have_text(field.error)
        first = section.locator(f"#f-{step.id}-{required[0].id}")
        expect(first).to_be_focused()
        expect(first).to_have_attribute("aria-invalid", "true")
        shoot(page, shots, "form-errors")
        for field in step.fields:
            control = section.locator(f"#f-{step.id}-{field.id}")
            if field.kind == "select":
                control.select_option(valid_value(field))
            else:
                control.fill(valid_value(field))
        section.get_by_role("button", name=step.submit).click()
        expect(feedback).to_contain_text(step.success)
        for field in step.fields:  # typed values are kept
            if field.kind not in ("select",):
                expect(section.locator(f"#f-{step.id}-{field.id}")).to_have_value(
                    valid_value(field))

    elif step.type == "scan":
        section.locator("[data-type-code]").click()
        code_box = section.locator(f"#c-{step.id}")
        code_box.fill("HUE-XX9")
        section.locator("[data-code-form] [type=submit]").click()
        expect(section.locator(f"#c-{step.id}-error")).to_be_visible()
        code_box.fill(step.code.lower().replace("-", " "))  # case and dashes do not matter
        section.locator("[data-code-form] [type=submit]").click()
        expect(feedback).to_contain_text(" ".join(step.result.split()))
        if step.qr.kind == "vietqr":
            bank = feedback.locator(".bank-confirm")
            expect(bank).to_contain_text(step.qr.name)
            expect(bank).to_contain_text(step.qr.account)

    elif step.type == "scam":
        safe = next(line for line in step.lines if not line.flag)
        section.locator(f'[data-line="{safe.id}"]').click()
        expect(feedback).to_contain_text(step.safe_feedback)
        flags = [line for line in step.lines if line.flag][: step.find]
        for line in flags:
            section.locator(f'[data-line="{line.id}"]').click()
            expect(section.locator(f'[data-why="{line.id}"]')).to_be_visible()
            expect(section.locator(f'[data-line="{line.id}"]')).to_have_attribute(
                "aria-pressed", "true")
        expect(feedback).to_contain_text(step.success)
    return [step.type]


def shoot(page, shots: dict | None, name: str) -> None:
    if shots is not None and name not in shots:
        shots[name] = screenshot(page, f"player-{name}")


def read_store(page, store: str, database: str = "hue-literacy") -> list[dict]:
    """Everything in one IndexedDB store of a queue database (the outbox by default)."""
    return page.evaluate(
        """([store, database]) => new Promise((resolve, reject) => {
            const open = indexedDB.open(database);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains(store)) { db.close(); resolve([]); return; }
              const all = db.transaction(store).objectStore(store).getAll();
              all.onsuccess = () => { db.close(); resolve(all.result); };
              all.onerror = () => reject(all.error);
            };
            open.onerror = () => reject(open.error);
        })""",
        [store, database],
    )


def recorded_events(app, page, learner_id: int) -> list[dict]:
    """Events still queued on the phone plus those the server stored already."""
    queued = [dict(event, kind=event["type"]) for event in read_store(page, "outbox")]
    with app.app_context():
        rows = db.session.scalars(
            select(ProgressEvent).where(ProgressEvent.learner_id == learner_id)
        ).all()
        stored = [
            {"id": row.event_id, "kind": row.kind, "lesson_id": row.lesson_id,
             "step_id": row.step_id, "correct": row.correct, "hint_used": row.hint_used,
             "lesson_version": row.lesson_version}
            for row in rows
        ]
    unique = {event["id"]: event for event in queued + stored}
    return list(unique.values())


def wait_for(condition, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.2)


def test_learner_completes_one_lesson_of_each_step_type(app, learner, live_server, phone_page):
    page = phone_page
    sign_in(page, live_server, learner)
    chosen = lessons_by_type(app)
    assert set(chosen) == set(STEP_TYPES)
    shots: dict = {}
    found = {}
    done_lessons = []
    for lesson in dict.fromkeys(chosen.values()):
        open_lesson(page, live_server, lesson.id)
        total = len(lesson.steps)
        for index, step in enumerate(lesson.steps):
            section = page.locator(f"#step-{step.id}")
            expect(section).to_be_visible()
            expect(section.get_by_role("heading", level=2)).to_have_text(
                f"Bước {index + 1} / {total}")
            if index:
                expect(section.get_by_role("heading", level=2)).to_be_focused()
            if step.type not in found:
                found[step.type] = serious_accessibility_violations(page)
                assert small_touch_targets(page) == [], step.type
                assert horizontal_overflow(page) == 0, step.type
            answer_wrong_then_right(page, step, shots)
            shoot(page, shots, step.type)
            page.locator("[data-next]").click()
        end = page.locator('[data-step="_end"]')
        expect(end).to_be_visible()
        expect(end.get_by_role("heading", level=2)).to_be_focused()
        # The learner's next lesson from their plan (progress/next.py), not the lesson's own.
        next_link = end.locator("[data-next-link]")
        expect(next_link).to_be_visible()
        expect(next_link).to_have_attribute("href", re.compile(r"^/learn/vi/[a-z0-9-]+$"))
        expect(end.locator("[data-next-fallback]")).to_be_hidden()
        shoot(page, shots, "complete")
        done_lessons.append(lesson)

    assert {kind: issues for kind, issues in found.items() if issues} == {}

    def all_answers_recorded():
        events = recorded_events(app, page, learner["id"])
        answered = {(e["lesson_id"], e["step_id"], e["correct"]) for e in events
                    if e["kind"] == "step_answered"}
        completed = {e["lesson_id"] for e in events if e["kind"] == "lesson_completed"}
        needed = {(lesson.id, step.id, correct) for lesson in done_lessons
                  for step in lesson.steps if step.type != "info" for correct in (False, True)}
        return needed <= answered and completed >= {lesson.id for lesson in done_lessons}

    assert wait_for(all_answers_recorded), "step_answered events were not all queued"
    events = recorded_events(app, page, learner["id"])
    answered = [e for e in events if e["kind"] == "step_answered"]
    assert all(e["hint_used"] for e in answered)  # the hint was asked first every time
    versions = {lesson.id: lesson.version for lesson in done_lessons}
    assert all(e["lesson_version"] == versions[e["lesson_id"]] for e in answered)
    hints = {(e["lesson_id"], e["step_id"]) for e in events if e["kind"] == "hint_used"}
    assert len(hints) == sum(1 for lesson in done_lessons for s in lesson.steps
                             if s.type != "info")
    assert {e["lesson_id"] for e in events if e["kind"] == "lesson_started"} >= {
        lesson.id for lesson in done_lessons}

    # Back in the catalogue the finished lessons are ticked.
    page.goto(live_server + "/learn/vi/")
    for lesson in done_lessons:
        # Its card in its area (the learner's path above may show it once more).
        card = page.locator(f'.catalogue section:not([data-path]) [data-lesson="{lesson.id}"]')
        expect(card.locator("[data-done]")).to_be_visible()
    screenshot(page, "player-catalogue-ticks")
    assert page.problems.messages == []


def test_resume_after_reload_goes_back_to_the_same_step(app, learner, live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/learn/vi/")  # first seen as a guest: the phone remembers that
    expect(page.locator("[data-guest-note]")).to_be_visible()
    sign_in(page, live_server, learner)
    lesson = lessons_by_type(app)["choice"]
    open_lesson(page, live_server, lesson.id)
    for step in lesson.steps[:2]:
        answer_wrong_then_right(page, step)
        page.locator("[data-next]").click()
    third = lesson.steps[2]
    expect(page.locator(f"#step-{third.id}")).to_be_visible()

    def saved_step():
        progress = read_store(page, "progress")
        return any(p["lesson_id"] == lesson.id and p["step_index"] == 2 for p in progress)

    assert wait_for(saved_step)
    page.reload()
    expect(page.locator("#player.is-ready")).to_be_attached()
    expect(page.locator(f"#step-{third.id}")).to_be_visible()
    expect(page.locator(f"#step-{lesson.steps[0].id}")).to_be_hidden()
    expect(page.locator(f"#step-{third.id} h2")).to_have_text(f"Bước 3 / {len(lesson.steps)}")
    # Going back shows a finished step with its Next button.
    page.locator("[data-back]").click()
    expect(page.locator(f"#step-{lesson.steps[1].id}")).to_be_visible()
    expect(page.locator("[data-next]")).to_be_visible()
    assert page.problems.messages == []


def test_scan_step_reads_a_photo_of_the_practice_code(app, live_server, phone_page, tmp_path):
    page = phone_page
    lesson = _vietqr_lesson(app)
    step = next(s for s in lesson.steps if isinstance(s, ScanStep) and s.qr.kind == "vietqr")
    open_lesson(page, live_server, lesson.id)
    index = lesson.steps.index(step)
    for earlier in lesson.steps[:index]:
        answer_wrong_then_right(page, earlier)
        page.locator("[data-next]").click()
    section = page.locator(f"#step-{step.id}")
    expect(section).to_be_visible()
    assert page.evaluate("typeof window.jsQR") == "undefined"  # loaded only when needed

    payload = section.locator("[data-scan]").get_attribute("data-payload")
    photo = tmp_path / "practice-qr.png"
    photo.write_bytes(qr_png(payload))
    section.locator("[data-photo]").set_input_files(str(photo))
    bank = section.locator(".feedback .bank-confirm")
    expect(bank).to_be_visible(timeout=15000)
    expect(bank).to_contain_text("Ngân hàng Tập Sự")
    expect(bank).to_contain_text(step.qr.name)
    expect(bank).to_contain_text(step.qr.account)
    if step.qr.amount:
        expect(bank).to_contain_text(f"{step.qr.amount:,}".replace(",", "."))
    expect(bank).to_contain_text("TAP DUOT")
    assert page.evaluate("typeof window.jsQR") == "function"
    expect(page.locator("[data-next]")).to_be_visible()
    screenshot(page, "player-scan-photo")

    # A photo of some other code is refused with a clear message.
    other = tmp_path / "other.png"
    other.write_bytes(qr_png("https://example.invalid/not-this-one"))
    section.locator("[data-photo]").set_input_files(str(other))
    expect(section.locator("[data-status]")).not_to_be_empty()
    assert page.problems.messages == []


def _vietqr_lesson(app):
    with app.app_context():
        for _area, lessons in release().catalogue("vi"):
            for lesson in lessons:
                if any(isinstance(s, ScanStep) and s.qr.kind == "vietqr" for s in lesson.steps):
                    return lesson
    raise AssertionError("no shipped lesson has a VietQR scan step")


def test_guest_can_practise_without_saving_and_is_told_so(app, live_server, phone_page):
    page = phone_page
    lesson = lessons_by_type(app)["tap"]
    open_lesson(page, live_server, lesson.id)
    note = page.locator("[data-guest-note]")
    expect(note).to_be_visible()
    expect(note.get_by_role("link")).to_have_attribute(
        "href", f"/sign-in?next=/learn/vi/{lesson.id}")
    for step in lesson.steps:
        answer_wrong_then_right(page, step)
        page.locator("[data-next]").click()
    expect(page.locator('[data-step="_end"]')).to_be_visible()
    assert read_store(page, "outbox") == []
    assert read_store(page, "progress") == []
    assert page.problems.messages == []


def test_listen_shows_a_note_when_the_phone_has_no_voice(app, live_server, phone_page):
    page = phone_page
    # Headless Chromium has no voices: the note must say so instead of failing silently.
    page.add_init_script("speechSynthesis.getVoices = () => [];")
    open_lesson(page, live_server, lessons_by_type(app)["info"].id)
    section = page.locator("#player .step:visible").first
    section.locator("[data-listen]").click()
    expect(section.locator("[data-voice-note]")).to_be_visible(timeout=5000)
    assert page.problems.messages == []


def test_listen_speaks_the_step_in_vietnamese_when_a_voice_exists(app, live_server, phone_page):
    page = phone_page
    page.add_init_script(
        """
        window.__spoken = [];
        speechSynthesis.getVoices = () => [{ lang: 'vi-VN', name: 'Tiếng Việt' }];
        speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
        window.SpeechSynthesisUtterance = function (text) { this.text = text; };
        """
    )
    lesson = lessons_by_type(app)["info"]
    open_lesson(page, live_server, lesson.id)
    page.locator("#player .step:visible [data-listen]").click()
    spoken = page.wait_for_function("window.__spoken.length && window.__spoken").json_value()
    assert spoken[0]["lang"] == "vi-VN"
    assert " ".join(lesson.steps[0].text.split())[:40] in spoken[0]["text"]
    expect(page.locator("#player .step:visible [data-listen]")).to_have_text("Nghe lại")
    expect(page.locator("#player .step:visible [data-voice-note]")).to_be_hidden()


def test_catalogue_and_player_have_no_serious_accessibility_violations(app, live_server,
                                                                        phone_page):
    page = phone_page
    page.goto(live_server + "/learn/vi/")
    found = {"catalogue": serious_accessibility_violations(page)}
    assert small_touch_targets(page) == []
    assert horizontal_overflow(page) == 0
    screenshot(page, "player-catalogue")
    page.goto(live_server + "/learn/en/")
    found["catalogue en"] = serious_accessibility_violations(page)
    lesson = lessons_by_type(app)["scam"]
    open_lesson(page, live_server, lesson.id, lang="en")
    found["player en"] = serious_accessibility_violations(page)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("#player .step:visible h2")).to_have_text(
        f"Step 1 of {len(lesson.steps)}")
    screenshot(page, "player-en")
    assert {where: issues for where, issues in found.items() if issues} == {}
    assert page.problems.messages == []


def test_player_works_at_200_percent_zoom(app, browser, live_server):
    context = browser.new_context(viewport={"width": 180, "height": 380},
                                  device_scale_factor=2, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server + "/learn/vi/")
    assert horizontal_overflow(page) <= 2
    for step_type in ("tap", "scan", "scam", "order", "form"):
        lesson = lessons_by_type(app)[step_type]
        page.goto(f"{live_server}/learn/vi/{lesson.id}")
        expect(page.locator("#player.is-ready")).to_be_attached()
        for step in lesson.steps:
            if step.type == step_type:
                break
            answer_wrong_then_right(page, step)
            page.locator("[data-next]").click()
        assert horizontal_overflow(page) <= 2, step_type
        screenshot(page, f"player-zoom-200-{step_type}")
    context.close()


def test_strings_for_the_script_come_from_the_page(app, live_server, phone_page):
    page = phone_page
    open_lesson(page, live_server, lessons_by_type(app)["info"].id, lang="en")
    strings = json.loads(page.locator("#player-strings").text_content())
    assert strings["next"] == "Next"
    expect(page.locator("[data-next]")).to_have_text("Next")


def y4m_of(png: bytes, path) -> None:
    """A one-frame YUV4MPEG2 video of a picture, for Chromium's fake camera."""
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(png)).convert("RGB")
    frame = Image.new("RGB", (640, 480), "white")
    picture.thumbnail((400, 400))
    frame.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    y, u, v = frame.convert("YCbCr").split()
    half = (320, 240)
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n" + y.tobytes()
                     + u.resize(half).tobytes() + v.resize(half).tobytes())


def test_scan_step_reads_the_code_through_the_camera(app, browser, live_server, tmp_path):
    """Chromium's fake camera films the practice code; the player reads it (jsQR here)."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

    lesson = _vietqr_lesson(app)
    step = next(s for s in lesson.steps if isinstance(s, ScanStep) and s.qr.kind == "vietqr")
    payload = practice_payload(step, lambda code: "")  # a VietQR: no address inside
    video = tmp_path / "camera.y4m"
    y4m_of(qr_png(payload), video)
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera_browser.new_context(viewport=PHONE, locale="vi-VN",
                                             permissions=["camera"])
        page = context.new_page()
        open_lesson(page, live_server, lesson.id)
        for earlier in lesson.steps[: lesson.steps.index(step)]:
            answer_wrong_then_right(page, earlier)
            page.locator("[data-next]").click()
        section = page.locator(f"#step-{step.id}")
        section.locator("[data-camera]").click()
        expect(section.locator("[data-camera-box]")).to_be_visible()
        bank = section.locator(".feedback .bank-confirm")
        expect(bank).to_be_visible(timeout=15000)
        expect(bank).to_contain_text(step.qr.name)
        # The camera is switched off once the code is read.
        expect(section.locator("[data-camera-box]")).to_be_hidden()
        assert page.evaluate("document.querySelector('video').srcObject") is None
        screenshot(page, "player-scan-camera")
    finally:
        camera_browser.close()
