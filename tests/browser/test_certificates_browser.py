"""In Chromium at 360 px: an official issues a certificate; anyone checks it by its typed code."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from hue_literacy.extensions import db
from tests.browser.conftest import (
    ARTIFACTS,
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.factories import TEST_PASSWORD, LearnerFactory, OfficialFactory, ward
from tests.test_certificates import make_people
from tests.test_certificates_review import practise_everything


@pytest.fixture
def official(app):
    make_people(app)
    with app.app_context():
        person = OfficialFactory(ward=ward("PHUXUAN"), full_name="Đoàn Văn Quang",
                                 phone="0801234567")
        ward("PHUXUAN").signer_title = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        # Practised every lesson of her profile, never assessed: "ready to assess".
        practise_everything(LearnerFactory(ward=ward("PHUXUAN"), full_name="Hồ Thị Tám"))
        db.session.commit()
        return person


def test_an_official_issues_and_anyone_checks_the_code_on_a_phone(official, live_server,
                                                                  phone_page, browser):
    page = phone_page
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0801234567")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.wait_for_url(live_server + "/")
    page.locator(".menu-button").click()  # language and sign-out live in the header menu
    page.get_by_role("button", name="English").click()
    page.goto(live_server + "/certificates/")
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "certificates-official-360")
    expect(page.locator("#assess")).to_contain_text("Ready to assess (1)")
    expect(page.locator(".cert-card", has_text="Hồ Thị Tám")).to_contain_text(
        "Mastered in practice: 10 of 10 skills")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#assess ~ ul.cards").first.screenshot(
        path=str(ARTIFACTS / "certificates-ready-to-assess-360.png"))
    page.get_by_role("link", name="Approve and issue the certificate").click()
    page.wait_for_url(re.compile(r".*/certificates/review/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before issuing")
    expect(page.locator(".facts")).to_contain_text("7 February 1951")  # as printed in English
    assert page.locator(".cert-evidence .card").count() == 10
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "certificates-review-360")
    page.get_by_role("button", name="Confirm and issue the certificate").click()
    page.wait_for_url(re.compile(r".*/certificates/\d+$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Certificate HUE-PHUXUAN-")
    code = page.locator(".cert-code").inner_text()
    assert horizontal_overflow(page) == 0
    assert serious_accessibility_violations(page) == []
    screenshot(page, "certificates-detail-360")
    # The paper, as a person would look at it (pdftoppm at 72 dpi, like a screen preview).
    pdf = page.request.get(page.url + ".pdf")
    assert pdf.ok
    (ARTIFACTS / "certificate-printed.pdf").write_bytes(pdf.body())
    if shutil.which("pdftoppm"):
        subprocess.run([shutil.which("pdftoppm"), "-r", "72", "-png", "-singlefile",  # noqa: S603
                        str(ARTIFACTS / "certificate-printed.pdf"),
                        str(ARTIFACTS / "certificate-printed-72dpi")], check=True)
    assert page.problems.messages == []

    # Someone with the paper in hand, not signed in, types the code in lower case.
    # They chose English on this phone before (the phone's own language does not count).
    context = browser.new_context(viewport={"width": 360, "height": 760}, locale="en-GB")
    context.add_cookies([{"name": "hue_lang", "value": "en", "url": live_server}])
    visitor = context.new_page()
    visitor.goto(live_server + "/verify")
    visitor.get_by_label("Code on the certificate").fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Check").click()
    visitor.wait_for_url(f"**/verify/{code}")
    assert "This certificate is valid." in visitor.content()
    assert visitor.locator(".facts dd").first.inner_text() == "N. T. H."
    assert horizontal_overflow(visitor) == 0
    assert small_touch_targets(visitor) == []
    assert serious_accessibility_violations(visitor) == []
    screenshot(visitor, "certificates-verify-360")
    context.close()
