"""In real Chromium at 360 px, the path a city takes: the admin creates an official of a
second ward, who chooses a password with the set-up code, creates an ambassador and imports
a 200-household file; the ambassador signs in and sees those households; a backup of it all
restored into an empty database holds every household. And a ward PC reached at a plain
http LAN address tells the learner that offline use is off."""
from __future__ import annotations

import io

from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import func, select

from hue_literacy.extensions import db
from hue_literacy.households.models import Household
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    horizontal_overflow,
    screenshot,
    serious_accessibility_violations,
    small_touch_targets,
)
from tests.conftest import make_app
from tests.factories import TEST_PASSWORD, AdminFactory

HEADERS = ["Chủ hộ", "Địa chỉ", "Tổ dân phố", "Họ tên thành viên", "Năm sinh", "Điện thoại",
           "Nhóm"]
PASSWORD = "Hương giang 2026"


def roster_file(path, households: int = 200):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n in range(1, households + 1):
        head = f"Nguyễn Văn Ánh {n}"
        address = f"{n} kiệt 7 Đặng Thái Thân"
        sheet.append([head, address, "Tổ 3", head, 1950, 912_300_000 + n, "Người cao tuổi"])
        sheet.append([head, address, "Tổ 3", f"Trần Thị Bưởi {n}", 1955, None, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def staff_sign_in(page, live_server, phone: str, password: str):
    page.goto(live_server + "/staff/sign-in")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")


def set_up(page, link: str, live_server: str):
    page.goto(live_server + "/staff/setup?" + link.split("?", 1)[1])
    assert horizontal_overflow(page) == 0
    assert serious_accessibility_violations(page) == []
    screenshot(page, "city-choose-password-360")
    page.get_by_label("Chọn mật khẩu (ít nhất 10 ký tự)").fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu đó").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")


def new_phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", device_scale_factor=1)
    return context, context.new_page()


def test_admin_official_ambassador_import_and_backup_at_360_px(
        app, live_server, browser, tmp_path, runner):
    with app.app_context():
        AdminFactory(phone="0301234567")
        db.session.commit()
    admin_context, admin = new_phone(browser)
    staff_sign_in(admin, live_server, "0301 234 567", TEST_PASSWORD)
    admin.get_by_role("link", name="Tài khoản cán bộ").click()
    admin.get_by_role("link", name="Thêm cán bộ").click()
    admin.get_by_label("Họ và tên").fill("Hồ Thị Cán Bộ")
    admin.get_by_label("Số điện thoại").fill("0812 000 111")
    admin.get_by_label("Vai trò").select_option("official")
    admin.get_by_label("Phường").select_option(label="Thuận Hóa")
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.locator("[data-setup-code]")).to_be_visible()
    assert horizontal_overflow(admin) == 0
    screenshot(admin, "city-setup-code-360")
    assert serious_accessibility_violations(admin) == []
    code_page = admin.locator("[data-setup-link]").get_attribute("href")
    admin_context.close()

    official_context, official = new_phone(browser)
    set_up(official, code_page, live_server)
    expect(official.locator("main")).to_contain_text("Phường Thuận Hóa")
    official.get_by_role("link", name="Tài khoản cán bộ").click()
    official.get_by_role("link", name="Thêm cán bộ").click()
    official.get_by_label("Họ và tên").fill("Trương Văn Đại Sứ")
    official.get_by_label("Số điện thoại").fill("0712 000 555")
    official.get_by_role("button", name="Tạo tài khoản").click()
    expect(official.locator("[data-setup-code]")).to_be_visible()
    ambassador_code_page = official.locator("[data-setup-link]").get_attribute("href")

    official.goto(live_server + "/")
    official.get_by_role("link", name="Nhập danh sách hộ của phường").click()
    official.get_by_label("Tệp (.csv hoặc .xlsx)").set_input_files(
        str(roster_file(tmp_path / "danh-sach-ho.xlsx")))
    official.get_by_role("button", name="Xem trước những gì sẽ được nhập").click()
    expect(official.locator('[data-count="households"]')).to_contain_text("Hộ mới: 200")
    assert horizontal_overflow(official) == 0
    screenshot(official, "city-import-preview-360")
    assert serious_accessibility_violations(official) == []
    assert small_touch_targets(official) == []
    official.get_by_role("button", name="Nhập các dòng không bị từ chối").click()
    expect(official.locator("main")).to_contain_text("200 hộ mới")
    official_context.close()

    ambassador_context, ambassador = new_phone(browser)
    set_up(ambassador, ambassador_code_page, live_server)
    ambassador.goto(live_server + "/households/?q=Ánh 17")
    expect(ambassador.locator("main")).to_contain_text("17 kiệt 7 Đặng Thái Thân")
    assert horizontal_overflow(ambassador) == 0
    screenshot(ambassador, "city-ambassador-households-360")
    ambassador_context.close()

    result = runner.invoke(args=["backup", "create", "--folder", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "backups").iterdir()
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        return  # the PostgreSQL restore is tested in tests/test_backups.py
    empty = make_app("sqlite:///" + str(tmp_path / "empty.sqlite"))
    restored = empty.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    with empty.app_context():
        assert db.session.scalar(select(func.count()).select_from(Household)) == 200
        db.session.remove()
        db.engine.dispose()


def test_a_ward_pc_reached_over_plain_http_on_the_lan_says_offline_use_is_off(
        app, live_server, browser):
    port = live_server.rsplit(":", 1)[1]
    lan = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP ward-hall.lan 127.0.0.1"])
    try:
        page = lan.new_context(viewport=PHONE, locale="vi-VN").new_page()
        page.goto(f"http://ward-hall.lan:{port}/")
        notice = page.locator("#offline-off")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("bác chỉ học được khi đang có mạng")
        assert page.evaluate("window.isSecureContext") is False
        screenshot(page, "city-lan-http-offline-off-360")
    finally:
        lan.close()
    # On https (or 127.0.0.1) the notice stays hidden.
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server + "/")
    expect(page.locator("main")).to_be_visible()
    page.wait_for_function("document.readyState === 'complete'")
    assert page.locator("#offline-off").is_hidden()
    context.close()
