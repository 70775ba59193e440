"""Narration end to end in Chromium with a fake microphone: an official records a step on the
recording page, approves it on the review page, and a learner's phone plays it offline from
the narration cache."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hue_literacy.extensions import db
from hue_literacy.narration.models import NarrationRecording
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    PageProblems,
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.browser.test_offline_browser import wait_until_lessons_cached
from tests.browser.test_player_browser import sign_in
from tests.factories import TEST_PASSWORD, LearnerFactory, OfficialFactory

LESSON = "pay-check-name"


@pytest.fixture(scope="module")
def microphone_browser(browser):
    """Chromium whose microphone is a fake device (a beep) that needs no permission prompt;
    a second browser of the session's Playwright, so the camera tests keep 'no camera'."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream"])
    yield chromium
    chromium.close()


@pytest.fixture
def official(app):
    with app.app_context():
        person = OfficialFactory(full_name="Hoàng Thị Giọng", phone="0905111222")
        LearnerFactory(full_name="Ngô Thị Nghe", phone="0912000333", group="elderly")
        db.session.commit()
        return {"id": person.id, "phone": person.phone}


def _page(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="allow")
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def test_a_recorded_step_is_approved_and_plays_offline(app, live_server, official,
                                                       microphone_browser):
    staff, page = _page(microphone_browser)
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill(official["phone"])
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.wait_for_url(live_server + "/")
    page.goto(f"{live_server}/narration/vi/{LESSON}")
    step = page.locator("[data-step]").first
    step_id = step.get_attribute("data-step")
    step.locator("[data-record]").click()
    status = step.locator("[data-status]")
    expect(status).to_contain_text("Còn 59 giây")  # a second of the fake microphone
    step.locator("[data-stop]").click()
    expect(step.locator("[data-take]")).to_be_visible()
    screenshot(page, "narration-record-360")
    assert serious_accessibility_violations(page) == []
    assert small_touch_targets(page) == [] and horizontal_overflow(page) == 0
    step.locator("[data-send]").click()
    expect(status).to_contain_text("Đã gửi")
    with app.app_context():
        recording = db.session.query(NarrationRecording).one()
        assert (recording.lesson_id, recording.step_id, recording.mime) == (
            LESSON, step_id, "audio/webm")
        assert recording.duration_ms >= 500 and recording.size > 0

    page.goto(live_server + "/narration/review")
    card = page.locator(f'[data-recording="{recording.id}"]')
    expect(card.locator("audio")).to_be_visible()
    screenshot(page, "narration-review-360")
    assert serious_accessibility_violations(page) == []
    card.get_by_role("button", name="Duyệt: học viên sẽ nghe").click()
    expect(page.get_by_text("Đã duyệt: học viên sẽ nghe bản thu này.")).to_be_visible()
    assert page.problems.messages == []
    staff.close()

    phone, learner = _page(microphone_browser)
    sign_in(learner, live_server, {"phone": "0912000333"})
    learner.goto(f"{live_server}/learn/vi/{LESSON}")
    player = learner.locator("#player")
    expect(player).to_have_attribute("data-narration-cached", "1")
    wait_until_lessons_cached(learner)
    phone.set_offline(True)
    learner.reload()
    expect(player).to_have_attribute("data-narration-cached", "1")  # the list, from the cache
    learner.evaluate("""() => {
        const audio = document.querySelector('[data-narration-player]');
        audio.addEventListener('playing', () => { audio.dataset.played = 'yes'; }, { once: true });
    }""")
    learner.locator(f'[data-step="{step_id}"] [data-listen]').click()
    learner.wait_for_function("""() => {
        const audio = document.querySelector('[data-narration-player]');
        return audio.dataset.played === 'yes' || audio.duration > 0;
    }""")
    source = learner.evaluate("() => document.querySelector('[data-narration-player]').currentSrc")
    assert source.endswith(f"/narration/audio/{recording.id}-{recording.sha256[:12]}.webm")
    cached = learner.evaluate("""async (url) => {
        const hit = await (await caches.open('hue-narration')).match(url);
        return hit ? (await hit.arrayBuffer()).byteLength : 0;
    }""", source)
    assert cached == recording.size
    expect(learner.locator(f'[data-step="{step_id}"] [data-voice-note]')).to_be_hidden()
    screenshot(learner, "narration-player-offline-360")

    # The next step has no recording; this Chromium has no Vietnamese voice: the note shows.
    has_vi_voice = learner.evaluate(
        "() => speechSynthesis.getVoices().some((voice) => voice.lang.startsWith('vi'))")
    learner.locator("[data-next]").click()
    second = learner.locator("section[data-step]:not([hidden])")
    second.locator("[data-listen]").click()
    if not has_vi_voice:
        expect(second.locator("[data-voice-note]")).to_be_visible()

    # Back online, "My progress" downloads the audio of the learner's path (the page asks
    # whether the phone is on Wi-Fi: this browser does not tell its connection type).
    phone.set_offline(False)
    learner.goto(live_server + "/progress/")
    box = learner.locator("#path-audio")
    box.get_by_role("button", name="Tải giọng đọc các bài của tôi").click()
    box.get_by_role("button", name="Có, tải ngay").click()
    expect(box.locator("[data-path-audio-status]")).to_contain_text("Xong: 1 bản thu")
    screenshot(learner, "narration-path-audio-360")
    assert learner.problems.messages == []
    phone.close()
