"""Staff accounts: an admin gives an official of another ward an account, the official gives
an ambassador one, each chooses their own password with a one-time code; a forgotten password
is reset by the person above; deactivation signs out at once; everything is in the audit log."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.staff import services
from hue_literacy.staff.models import StaffAuditEntry
from tests.conftest import AuthActions
from tests.factories import TEST_PASSWORD, AdminFactory, OfficialFactory, ward

NEW_PASSWORD = "sông Hương 2026"


@pytest.fixture
def admin(app):
    with app.app_context():
        person = AdminFactory(phone="0301234567", full_name="Quản trị Thành phố")
        db.session.commit()
        return person.id


def signed_in_client(app, phone: str, password: str = TEST_PASSWORD):
    client = app.test_client()
    response = AuthActions(client).staff_sign_in(phone, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def code_from(page: str) -> str:
    match = re.search(r"data-setup-code>([A-Z0-9-]+)<", page)
    assert match, page
    return match.group(1)


def create_member(client, app, role: str, ward_code: str, phone: str, name: str):
    with app.app_context():
        ward_id = ward(ward_code).id
    response = client.post("/staff/new", data={
        "full_name": name, "phone": phone, "role": role, "ward": ward_id})
    assert response.status_code == 201, response.get_data(as_text=True)
    return code_from(response.get_data(as_text=True))


def choose_password(app, code: str, password: str = NEW_PASSWORD):
    client = app.test_client()
    response = client.post("/staff/setup", data={
        "code": code.lower().replace("-", " "), "password": password,
        "password_again": password})
    return client, response


def test_admin_creates_an_official_of_another_ward_who_chooses_a_password_and_signs_in(
        app, admin):
    client = signed_in_client(app, "0301234567")
    code = create_member(client, app, "official", "THUANHOA", "0812 000 111", "Hồ Thị Cán Bộ")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    # Before set-up nobody can sign in with any password.
    assert AuthActions(app.test_client()).staff_sign_in(
        "0812000111", "anything-at-all").status_code == 200
    official_client, response = choose_password(app, code)
    assert response.status_code == 302
    assert "Thuận Hóa" in official_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert signed_in_client(app, "0812000111", NEW_PASSWORD)
    with app.app_context():
        official = db.session.scalar(select(User).where(User.phone == "0812000111"))
        assert official.role == "official" and official.ward.code == "THUANHOA"


def test_a_set_up_code_works_once(app, admin):
    client = signed_in_client(app, "0301234567")
    code = create_member(client, app, "official", "VYDA", "0812000222", "Lê Văn Một")
    choose_password(app, code)
    _, again = choose_password(app, code, "another password 99")
    assert again.status_code == 200
    assert "Mã thiết lập này không còn dùng được" in again.get_data(as_text=True)
    assert app.test_client().get(f"/staff/setup?code={code}").get_data(
        as_text=True).count("Mã thiết lập này không còn dùng được") == 1


def test_an_expired_code_and_a_weak_password_are_refused_with_a_clear_message(app, admin):
    with app.test_request_context():
        issued = services.create_staff_member(
            actor=None, role="ambassador", full_name="Phan Văn Hai", raw_phone="0712000333",
            ward=ward("ANCUU"), now=utcnow() - timedelta(days=8))
        db.session.commit()
        code = issued.code
    _, expired = choose_password(app, code)
    assert "Mã thiết lập này đã hết hạn" in expired.get_data(as_text=True)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.phone == "0712000333"))
        code = services.issue_setup_code(user, None).code
        db.session.commit()
    _, weak = choose_password(app, code, "short")
    assert "Mật khẩu cần ít nhất 10 ký tự" in weak.get_data(as_text=True)
    client = app.test_client()
    different = client.post("/staff/setup", data={
        "code": code, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"})
    assert "Hai mật khẩu không giống nhau" in different.get_data(as_text=True)
    # The code still works after the refusals.
    assert choose_password(app, code)[1].status_code == 302


def test_official_creates_an_ambassador_of_their_ward_who_signs_in(app, admin):
    admin_client = signed_in_client(app, "0301234567")
    official_code = create_member(admin_client, app, "official", "THUANHOA", "0812000444",
                                  "Nguyễn Thị Hoa")
    official_client, _ = choose_password(app, official_code)
    with app.app_context():
        thuan_hoa = ward("THUANHOA").id
    response = official_client.post("/staff/new", data={
        "full_name": "Trương Văn Đại Sứ", "phone": "0712000555", "role": "ambassador",
        "ward": thuan_hoa})
    assert response.status_code == 201
    ambassador_client, _ = choose_password(app, code_from(response.get_data(as_text=True)))
    home = ambassador_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Trương Văn Đại Sứ" in home


def test_duplicate_phone_and_missing_ward_are_refused_and_the_form_keeps_what_was_typed(
        app, admin):
    client = signed_in_client(app, "0301234567")
    response = client.post("/staff/new", data={
        "full_name": "Đặng Thị Trùng", "phone": "0301234567", "role": "official",
        "ward": "9999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Phường này không có trong danh sách" in page
    assert "Đặng Thị Trùng" in page
    with app.app_context():
        ward_id = ward().id
    duplicate = client.post("/staff/new", data={
        "full_name": "Đặng Thị Trùng", "phone": "0301234567", "role": "official",
        "ward": ward_id}).get_data(as_text=True)
    assert "Số điện thoại này đã được đăng ký" in duplicate


def test_forgotten_password_is_reset_by_the_person_above_and_old_sessions_end(app, admin):
    with app.app_context():
        official = OfficialFactory(phone="0812000666", ward=ward("VYDA"))
        db.session.commit()
        official_id = official.id
    official_client = signed_in_client(app, "0812000666")
    assert official_client.get("/staff/").status_code == 200
    admin_client = signed_in_client(app, "0301234567")
    response = admin_client.post(f"/staff/{official_id}/reset")
    assert response.status_code == 200
    code = code_from(response.get_data(as_text=True))
    assert official_client.get("/staff/").status_code == 302  # signed out
    assert AuthActions(app.test_client()).staff_sign_in(
        "0812000666", TEST_PASSWORD).status_code == 200  # old password refused
    choose_password(app, code)
    assert signed_in_client(app, "0812000666", NEW_PASSWORD)


def test_deactivation_ends_sessions_at_once_and_blocks_sign_in(app, admin):
    with app.app_context():
        official = OfficialFactory(phone="0812000777", ward=ward("VYDA"))
        db.session.commit()
        official_id = official.id
    official_client = signed_in_client(app, "0812000777")
    admin_client = signed_in_client(app, "0301234567")
    response = admin_client.post(f"/staff/{official_id}/deactivate", follow_redirects=True)
    assert "đã bị vô hiệu hóa" in response.get_data(as_text=True)
    assert official_client.get("/staff/").status_code == 302
    assert AuthActions(app.test_client()).staff_sign_in(
        "0812000777", TEST_PASSWORD).status_code == 200
    # Let them work again: a new code, a new password.
    code = code_from(admin_client.post(f"/staff/{official_id}/reactivate").get_data(
        as_text=True))
    choose_password(app, code)
    assert signed_in_client(app, "0812000777", NEW_PASSWORD)


def test_every_change_is_in_the_audit_log_with_who_and_what(app, admin):
    admin_client = signed_in_client(app, "0301234567")
    code = create_member(admin_client, app, "official", "VYDA", "0812000888", "Lý Thị Ghi")
    choose_password(app, code)
    with app.app_context():
        official_id = db.session.scalar(select(User.id).where(User.phone == "0812000888"))
    admin_client.post(f"/staff/{official_id}", data={
        "full_name": "Lý Thị Ghi Chép", "phone": "0812000888"})
    admin_client.post(f"/staff/{official_id}/reset")
    admin_client.post(f"/staff/{official_id}/deactivate")
    with app.app_context():
        actions = [(entry.action, entry.actor.full_name if entry.actor else None)
                   for entry in db.session.scalars(
                       select(StaffAuditEntry).order_by(StaffAuditEntry.id))]
    assert actions == [
        ("created", "Quản trị Thành phố"), ("password_chosen", "Lý Thị Ghi Chép"),
        ("updated", "Quản trị Thành phố"), ("password_reset", "Quản trị Thành phố"),
        ("deactivated", "Quản trị Thành phố")]
    page = admin_client.get("/staff/audit").get_data(as_text=True)
    assert "Lý Thị Ghi Chép: đã vô hiệu hóa" in page
    assert "Bởi Quản trị Thành phố" in page


def test_an_official_reads_only_their_wards_part_of_the_audit_log(app, admin):
    admin_client = signed_in_client(app, "0301234567")
    create_member(admin_client, app, "official", "VYDA", "0812000901", "Người Vỹ Dạ")
    create_member(admin_client, app, "official", "ANCUU", "0812000902", "Người An Cựu")
    with app.app_context():
        OfficialFactory(phone="0812000903", ward=ward("VYDA"))
        db.session.commit()
    page = signed_in_client(app, "0812000903").get("/staff/audit").get_data(as_text=True)
    assert "Người Vỹ Dạ" in page
    assert "Người An Cựu" not in page


def test_staff_list_shows_the_scope_of_each_manager(app, admin):
    with app.app_context():
        OfficialFactory(phone="0812000911", full_name="Cán Bộ Vỹ Dạ", ward=ward("VYDA"))
        OfficialFactory(phone="0812000912", full_name="Cán Bộ An Cựu", ward=ward("ANCUU"))
        db.session.commit()
    admin_page = signed_in_client(app, "0301234567").get("/staff/").get_data(as_text=True)
    assert "Cán Bộ Vỹ Dạ" in admin_page and "Cán Bộ An Cựu" in admin_page
    official_page = signed_in_client(app, "0812000911").get("/staff/").get_data(as_text=True)
    assert "Cán Bộ An Cựu" not in official_page  # another ward, and not an ambassador


def test_flask_staff_create_list_deactivate(app, runner):
    result = runner.invoke(args=["staff", "create", "--role", "ambassador", "--ward",
                                 "vyda", "--name", "Võ Thị Dòng Lệnh", "--phone",
                                 "0712 000 999"])
    assert result.exit_code == 0, result.output
    code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", result.output).group(1)
    listed = runner.invoke(args=["staff", "list", "--ward", "VYDA"])
    assert "Võ Thị Dòng Lệnh" in listed.output and "waiting for set-up" in listed.output
    choose_password(app, code)
    client = signed_in_client(app, "0712000999", NEW_PASSWORD)
    result = runner.invoke(args=["staff", "deactivate", "--phone", "0712000999"])
    assert result.exit_code == 0, result.output
    assert client.get("/households/").status_code == 302
    assert "deactivated" in runner.invoke(args=["staff", "list"]).output
    unknown = runner.invoke(args=["staff", "create", "--role", "official", "--ward", "NOWHERE",
                                  "--name", "X Y", "--phone", "0812111222"])
    assert unknown.exit_code != 0 and "NOWHERE" in unknown.output
    with app.app_context():
        entries = db.session.scalars(select(StaffAuditEntry.action)).all()
    assert "deactivated" in entries


def test_the_admin_sees_every_ward_with_staff_learners_and_last_practice(app, admin):
    import uuid

    from hue_literacy.sync.models import ProgressEvent
    from tests.factories import AmbassadorFactory, LearnerFactory

    with app.app_context():
        OfficialFactory(phone="0812000921", ward=ward("VYDA"))
        AmbassadorFactory(phone="0712000921", ward=ward("VYDA"))
        learner = LearnerFactory(phone="0912000921", ward=ward("VYDA"))
        db.session.add(ProgressEvent(event_id=str(uuid.uuid4()), learner_id=learner.id,
                                     kind="lesson_completed", lesson_id="x", lesson_version=1,
                                     occurred_at=utcnow()))
        db.session.commit()
    page = signed_in_client(app, "0301234567").get("/staff/wards").get_data(as_text=True)
    vy_da = page.split('data-ward="VYDA"')[1].split("</li>")[0]
    assert "Cán bộ: 2" in vy_da and "Học viên: 1" in vy_da and "Luyện tập gần nhất" in vy_da
    an_cuu = page.split('data-ward="ANCUU"')[1].split("</li>")[0]
    assert "Cán bộ: 0" in an_cuu and "Chưa có luyện tập" in an_cuu
    with app.app_context():
        OfficialFactory(phone="0812000922", ward=ward("VYDA"))
        db.session.commit()
    assert signed_in_client(app, "0812000922").get("/staff/wards").status_code == 403
