"""In Chromium at 360 px with the network off: an ambassador checks printed certificates on the
phone (Ed25519 in WebCrypto, the kept keys and list of revoked serials): a valid paper, a
tampered QR and a revoked one, each read from a photo by the scanner's own decoder."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.certificates.keys import load_keyring
from hue_literacy.extensions import db
from hue_literacy.qr import qr_png
from tests.browser.conftest import (
    PHONE,
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.browser.test_player_browser import wait_for
from tests.factories import TEST_PASSWORD, AmbassadorFactory, LearnerFactory, ward
from tests.test_certificates import issue, make_people, make_ready

pytestmark = pytest.mark.skipif(not (shutil.which("pdftoppm")),
                                reason="needs poppler-utils (make system-deps)")


def verify_url(app, certificate_id: int) -> str:
    from hue_literacy.certificates import views

    with app.test_request_context():
        certificate = db.session.get(services.Certificate, certificate_id)
        keyring = load_keyring(Path(app.config["CERTIFICATE_KEYS_DIR"]))
        return views._verify_url(certificate, keyring)


@pytest.fixture
def papers(app, tmp_path) -> dict[str, Path]:
    """Photos of three papers: Hoa's (the printed PDF at 150 dpi), the same QR with one
    character of its signed statement changed, and Lan's certificate, revoked."""
    people = make_people(app)
    with app.test_request_context():
        AmbassadorFactory(ward=ward("PHUXUAN"), full_name="Võ Thị Kiều", phone="0701234567")
        lan = LearnerFactory(ward=ward("PHUXUAN"), full_name="Hồ Thị Lan", phone="0912000222")
        make_ready(lan, db.session.get(User, people["ambassador_a"].id))
        official = db.session.get(User, people["official_a"].id)
        hoas = issue(db.session.get(User, people["hoa"].id), official)
        lans = issue(lan, official)
        services.revoke_certificate(lans, official, "Issued twice by mistake")
        db.session.commit()
        hoas_id, lans_id = hoas.id, lans.id

    photos = {}
    # Hoa's paper as printed: the PDF rendered to PNG, as a phone photo of the page would be.
    official_client = app.test_client()
    with app.app_context(), official_client.session_transaction() as session:
        session["_user_id"] = db.session.get(User, people["official_a"].id).get_id()
        session["_fresh"] = True
    pdf = official_client.get(f"/certificates/{hoas_id}.pdf").data
    (tmp_path / "hoa.pdf").write_bytes(pdf)
    subprocess.run([shutil.which("pdftoppm"), "-r", "150", "-png", "-singlefile",  # noqa: S603
                    str(tmp_path / "hoa.pdf"), str(tmp_path / "hoa")], check=True)
    photos["valid"] = tmp_path / "hoa.png"

    good = verify_url(app, hoas_id)
    token = parse_qs(urlsplit(good).query)["t"][0]
    changed = token[:40] + ("B" if token[40] != "B" else "C") + token[41:]
    photos["tampered"] = tmp_path / "tampered.png"
    photos["tampered"].write_bytes(qr_png(good.replace(token, changed), box_size=6))
    photos["revoked"] = tmp_path / "revoked.png"
    photos["revoked"].write_bytes(qr_png(verify_url(app, lans_id), box_size=6))
    return photos


def kept_for_checking(page) -> bool:
    return page.evaluate("""async () => {
        const cache = await caches.open('hue-staff-check');
        const kept = await Promise.all(['/certificates/check', '/.well-known/jwks.json',
            '/certificates/revocations.json'].map((url) => cache.match(url)));
        const meta = await caches.open('hue-meta');
        return kept.every(Boolean) && Boolean(await meta.match('/__pointer/vi'));
    }""")


def test_an_ambassador_checks_valid_tampered_and_revoked_papers_with_no_network(
        app, papers, live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="allow")
    page = context.new_page()
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill("0701 234 567")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")
    expect(page.get_by_role("link", name="Tra cứu giấy chứng nhận")).to_be_visible()
    # Any staff page keeps the check page, the keys and the list of revoked serials.
    assert wait_for(lambda: kept_for_checking(page), 60), "the check page was never kept"

    context.set_offline(True)
    page.goto(live_server + "/certificates/check")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu giấy chứng nhận")
    expect(page.locator("#cert-check[data-ready=true]")).to_be_attached()
    expect(page.locator("[data-list-status]")).to_contain_text(
        "Danh sách giấy chứng nhận đã thu hồi cập nhật lúc")
    expect(page.locator("[data-list-status]")).to_contain_text("phút trước")

    photo = page.locator("input[data-photo]")
    verdict = page.locator("[data-verdict]")
    photo.set_input_files(str(papers["valid"]))
    expect(verdict).to_have_text("Hợp lệ: giấy chứng nhận này do ứng dụng Bình dân học vụ số "
                                 "Huế cấp và chưa bị thu hồi.")
    expect(verdict).to_have_class("notice notice--success")
    expect(page.locator('[data-fact="name"]')).to_have_text("N. T. H.")
    expect(page.locator('[data-fact="ward"]')).to_have_text("Phú Xuân")
    expect(page.locator('[data-fact="serial"]')).to_have_text("HUE-PHUXUAN-2026-000001")
    expect(page.locator('[data-fact="profile"]')).not_to_be_empty()
    assert horizontal_overflow(page) == 0
    assert small_touch_targets(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "certificate-check-offline-valid-360")

    photo.set_input_files(str(papers["tampered"]))
    expect(verdict).to_have_text("Không phải do chúng tôi cấp: đừng tin giấy này. Mã QR của giấy "
                                 "đã bị sửa hoặc do người khác làm ra.")
    expect(page.locator("[data-facts]")).to_be_hidden()
    screenshot(page, "certificate-check-offline-tampered-360")

    photo.set_input_files(str(papers["revoked"]))
    expect(verdict).to_have_text("Đã thu hồi: giấy chứng nhận này không còn giá trị.")
    expect(verdict).to_have_class("notice notice--error")
    expect(page.locator('[data-fact="name"]')).to_have_text("H. T. L.")
    screenshot(page, "certificate-check-offline-revoked-360")
    # The camera is the scanner's own (scanner.js setUpReader): with none to open, it says so.
    page.locator("[data-camera]").click()
    expect(page.locator("[data-status]")).to_have_text("Không mở được máy ảnh. Hãy chụp ảnh mã QR.")
    expect(page.locator("[data-camera-box]")).to_be_hidden()
    context.close()
