"""The player's format v2 features in Chromium at 360 px: value checks with their own
explanation, per-element tap feedback, missed warning signs revealed, new apps and icons."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import horizontal_overflow, screenshot, serious_accessibility_violations
from tests.content_fixtures import ContentTree

SHOP_SCREEN = {
    "app": "shop", "title": "Chợ Tập Sự",
    "elements": [
        {"id": "alert", "kind": "notification",
         "text": "Đơn hàng của bác đang được giao: 1 nón lá, 60.000 đồng",
         "feedback": "Đây là thông báo đơn hàng, không phải giỏ hàng."},
        {"id": "price", "kind": "text", "text": "Nón lá Huế: 60.000 đồng",
         "feedback": "Đây chỉ là giá tiền. Bác tìm nút có hình giỏ hàng nhé."},
        {"id": "cart", "kind": "tile", "text": "Giỏ hàng", "icon": "cart"},
        {"id": "ship", "kind": "tile", "text": "Giao hàng", "icon": "truck"},
        {"id": "stars", "kind": "tile", "text": "Đánh giá", "icon": "star"},
        {"id": "gift", "kind": "tile", "text": "Quà tặng", "icon": "gift"},
        {"id": "store", "kind": "tile", "text": "Cửa hàng", "icon": "store"},
        {"id": "video", "kind": "tile", "text": "Gọi video", "icon": "video"},
        {"id": "print", "kind": "tile", "text": "In mã", "icon": "print"},
        {"id": "bag", "kind": "tile", "text": "Đơn của tôi", "icon": "bag"},
    ],
}


def _v2_features(data: dict) -> None:
    data["steps"][1].update(screen=SHOP_SCREEN, target="cart", prompt="Chạm vào giỏ hàng.")


def _price_field(data: dict) -> None:
    fields = data["steps"][1]["fields"]
    fields[2] = {"id": "amount", "label": "Số tiền (đồng)", "kind": "digits",
                 "expected": "60000", "error": "Bác gõ số tiền bằng chữ số.",
                 "expected_error": "Cô Hương nói 60.000 đồng. Bác gõ 60000 nhé."}


@pytest.fixture
def app_config(tmp_path) -> dict:
    """The app (tests/conftest.py) on a small content tree whose lessons use the version 2
    features."""
    tree = ContentTree(tmp_path)
    tree.edit("qr-scan", _v2_features)
    tree.edit("gov-report", _price_field)
    tree.edit("safe-spot", lambda data: data["steps"][1].update(find=1))
    return {"CONTENT_DIR": str(tree.root)}


def open_step(page, live_server, lesson_id: str, step_id: str):
    page.goto(f"{live_server}/learn/vi/{lesson_id}")
    expect(page.locator("#player.is-ready")).to_be_attached()
    page.locator("[data-next]").click()  # past the intro
    section = page.locator(f"#step-{step_id}")
    expect(section).to_be_visible()
    return section


def test_tap_elements_say_what_they_are_and_the_shop_screen_fits(live_server, phone_page):
    page = phone_page
    section = open_step(page, live_server, "qr-scan", "find-scan")
    feedback = section.locator(".feedback")
    section.locator('[data-element="price"]').click()
    expect(feedback).to_have_text("Đây chỉ là giá tiền. Bác tìm nút có hình giỏ hàng nhé.")
    section.locator('[data-element="alert"]').click()
    expect(feedback).to_have_text("Đây là thông báo đơn hàng, không phải giỏ hàng.")
    section.locator('[data-element="ship"]').click()  # no feedback of its own: the step's
    expect(feedback).to_have_text("Not there.")
    screenshot(page, "player-v2-shop-tap-360")
    section.locator('[data-element="cart"]').click()
    expect(feedback).to_have_text("Yes.")
    expect(page.locator("[data-next]")).to_be_visible()
    # Every icon is drawn (a symbol of the sprite), none is a real logo or picture.
    for name in ("cart", "truck", "star", "gift", "store", "video", "print", "bag", "bell"):
        assert section.locator(f'use[href$="#{name}"]').count() == 1, name
    assert horizontal_overflow(page) == 0
    assert serious_accessibility_violations(page) == []
    page.problems.messages.clear()


def test_shop_screen_reads_at_200_percent_zoom_without_broken_words(live_server, browser):
    # 200% zoom on a 360 px phone: the page lays out in 180 CSS px at twice the size.
    context = browser.new_context(viewport={"width": 180, "height": 760}, locale="vi-VN",
                                  device_scale_factor=2)
    page = context.new_page()
    try:
        section = open_step(page, live_server, "qr-scan", "find-scan")
        assert horizontal_overflow(page) == 0
        broken = page.evaluate(
            """(root) => [...root.querySelectorAll('.ph span')].filter((span) => {
                 // A word is broken when the text wraps inside it: compare each word's width
                 // with the line box it sits in.
                 const words = span.textContent.split(/\\s+/).filter(Boolean);
                 const probe = document.createElement('span');
                 probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
                 span.parentElement.append(probe);
                 const room = span.getBoundingClientRect().width + 1;
                 const tooWide = words.some((word) => {
                   probe.textContent = word;
                   return probe.getBoundingClientRect().width > room;
                 });
                 probe.remove();
                 return tooWide;
               }).map((span) => span.textContent)""",
            section.element_handle())
        screenshot(page, "player-v2-shop-tap-200pct")
        assert broken == []
    finally:
        context.close()


def test_a_value_other_than_the_task_gives_is_refused_with_its_own_explanation(live_server,
                                                                              phone_page):
    page = phone_page
    section = open_step(page, live_server, "gov-report", "fill")
    section.locator("#f-fill-place").fill("Kiệt 12 Phan Đình Phùng")
    section.locator("#f-fill-kind").select_option("Broken lamp")
    amount = section.locator("#f-fill-amount")
    amount.fill("6000")  # a zero short of 60.000 đồng
    section.get_by_role("button", name="Send").click()
    wrong = section.locator("#f-fill-amount-wrong")
    expect(wrong).to_be_visible()
    expect(wrong).to_have_text("Cô Hương nói 60.000 đồng. Bác gõ 60000 nhé.")
    expect(section.locator("#f-fill-amount-error")).to_be_hidden()
    expect(amount).to_have_attribute("aria-describedby", "f-fill-amount-wrong")
    expect(amount).to_be_focused()
    expect(page.locator("[data-next]")).to_be_hidden()
    screenshot(page, "player-v2-form-value-360")
    amount.fill("")
    section.get_by_role("button", name="Send").click()
    expect(section.locator("#f-fill-amount-error")).to_have_text("Bác gõ số tiền bằng chữ số.")
    expect(wrong).to_be_hidden()
    amount.fill("60.000")  # dots and spaces do not matter
    section.get_by_role("button", name="Send").click()
    expect(section.locator(".feedback")).to_have_text("Sent.")
    expect(page.locator("[data-next]")).to_be_visible()


def test_a_scam_step_reveals_the_warning_signs_the_learner_missed(live_server, phone_page):
    page = phone_page
    section = open_step(page, live_server, "safe-spot", "spot")  # find 1 of its 2 signs
    section.locator('[data-line="greet"]').click()
    expect(section.locator('[data-why="link"]')).to_be_hidden()  # not before the step is done
    section.locator('[data-line="locked"]').click()
    expect(section.locator(".feedback")).to_have_text("Well spotted.")
    missed = section.locator('[data-line="link"]')
    expect(missed).to_have_class("bubble say bubble--missed")
    expect(missed).to_have_attribute("aria-pressed", "false")
    expect(section.locator('[data-missed="link"]')).to_have_text(
        "Bác chưa chạm vào chỗ này. Đây cũng là dấu hiệu đáng ngờ:")
    expect(section.locator('[data-why="link"]')).to_have_text("A strange link.")
    expect(section.locator('[data-missed="locked"]')).to_be_hidden()  # found, not missed
    screenshot(page, "player-v2-scam-missed-360")
    assert horizontal_overflow(page) == 0
