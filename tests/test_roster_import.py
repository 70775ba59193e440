"""Roster import: a ward official uploads the ward's own household list (CSV or .xlsx), sees
what would be created, updated or refused (row and column), and only a confirmation writes;
importing the same file again creates nothing new."""
from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdMember
from hue_literacy.spreadsheets import csv_bytes
from tests.conftest import AuthActions
from tests.factories import TEST_PASSWORD, AmbassadorFactory, OfficialFactory, ward

HEADERS = ["Chủ hộ", "Địa chỉ", "Tổ dân phố", "Họ tên thành viên", "Năm sinh", "Điện thoại",
           "Nhóm"]


@pytest.fixture
def official(app):
    with app.app_context():
        OfficialFactory(phone="0812345678", ward=ward("PHUXUAN"))
        AmbassadorFactory(phone="0712345678", ward=ward("PHUXUAN"))
        db.session.commit()
    client = app.test_client()
    AuthActions(client).staff_sign_in("0812345678", TEST_PASSWORD)
    return client


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str):
    return client.post("/households/import/preview",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def count(page: str, what: str) -> int:
    return int(re.search(rf'data-count="{what}">[^<]*?(\d+)</li>', page).group(1))


def households_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Household))


EXCEL_ROWS = [
    HEADERS,
    ["Nguyễn Văn Ánh", "12 kiệt 34 Phan Đình Phùng", "Tổ 5", "Nguyễn Văn Ánh", 1952,
     912345001, "Người cao tuổi"],
    ["Nguyễn Văn Ánh", "12 kiệt 34 Phan Đình Phùng", "Tổ 5", "Trần Thị Bưởi",
     datetime(1956, 3, 8), None, "elderly"],
    [None, None, None, None, None, None, None],  # a blank line
    ["Lê Thị Hường", "7 Đặng Thái Thân", None, "Lê Thị Hường", "1948", "0912 345 002",
     "Tiểu thương, hộ kinh doanh"],
    ["Phạm Đức", "9", None, "Phạm Đức", "19x8", "12345", "Phi hành gia"],
]


def test_excel_file_with_dates_numeric_phones_and_blank_lines_previews_then_imports(
        app, official):
    response = upload(official, xlsx(EXCEL_ROWS), "danh sách hộ.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert households_count(app) == 0  # the preview writes nothing
    assert count(page, "households") == 2 and count(page, "create") == 3
    assert count(page, "refused") == 1
    assert "Dòng 6" in page  # the header is row 1, the blank line 5 is skipped
    assert "Cột “Địa chỉ”" in page and "Cột “Năm sinh”" in page
    assert "Cột “Điện thoại”" in page and "Cột “Nhóm”" in page
    done = official.post("/households/import/confirm", data={"token": token_of(page)},
                         follow_redirects=True)
    assert "2 hộ mới" in done.get_data(as_text=True)
    with app.app_context():
        household = db.session.scalar(select(Household).where(
            Household.name == "Nguyễn Văn Ánh"))
        assert household.address == "12 kiệt 34 Phan Đình Phùng, Tổ 5"
        assert household.consent_status == "to_confirm"
        members = {m.full_name: m for m in household.members}
        assert members["Nguyễn Văn Ánh"].phone == "0912345001"
        assert members["Nguyễn Văn Ánh"].role == "head"
        assert members["Trần Thị Bưởi"].birth_year == 1956
        assert members["Trần Thị Bưởi"].group == "elderly"
        assert all(m.learner_id is None for m in household.members)  # not learners yet


def test_importing_the_same_file_again_creates_no_duplicates(app, official):
    data = xlsx(EXCEL_ROWS)
    first = upload(official, data, "a.xlsx").get_data(as_text=True)
    official.post("/households/import/confirm", data={"token": token_of(first)})
    again = upload(official, data, "a.xlsx").get_data(as_text=True)
    assert count(again, "households") == 0 and count(again, "create") == 0
    assert count(again, "unchanged") == 3
    official.post("/households/import/confirm", data={"token": token_of(again)})
    assert households_count(app) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HouseholdMember)) == 3


def test_a_household_found_by_phone_is_updated_not_duplicated(app, official):
    rows = [HEADERS, ["Lê Thị Hường", "7 Đặng Thái Thân", "", "Lê Thị Hường", "1948",
                      "0912345002", ""]]
    page = upload(official, csv_bytes(rows), "a.csv").get_data(as_text=True)
    official.post("/households/import/confirm", data={"token": token_of(page)})
    moved = [HEADERS, ["Lê Thị Hường", "7 Đặng Thái Thân (kiệt mới)", "", "Lê Thị Hường",
                       "1948", "0912345002", "Tiểu thương, hộ kinh doanh"],
             ["Lê Thị Hường", "7 Đặng Thái Thân (kiệt mới)", "", "Hồ Văn Mới", "2010", "", ""]]
    page = upload(official, csv_bytes(moved), "b.csv").get_data(as_text=True)
    assert count(page, "update") == 2 and count(page, "households") == 0
    official.post("/households/import/confirm", data={"token": token_of(page)})
    assert households_count(app) == 1


def test_csv_with_commas_and_diacritics_is_read(app, official):
    text = ("Chu ho,Dia chi,Ho ten thanh vien,Nam sinh,Dien thoai\r\n"
            "Võ Thị Ếch,\"3 Nguyễn Huệ, tổ 2\",Võ Thị Ếch,1950,0912345003\r\n\r\n")
    page = upload(official, text.encode("utf-8"), "list.csv").get_data(as_text=True)
    assert count(page, "create") == 1 and count(page, "refused") == 0


@pytest.mark.parametrize("data, name, message", [
    (b"not a zip", "a.xlsx", "Không mở được tệp .xlsx này"),
    (b"\xff\xfe\x00bad", "a.csv", "UTF-8"),
    (b"Ten;Tuoi\r\nA;1\r\n", "a.csv", "Địa chỉ"),
    (b"x", "a.pdf", ".csv hoặc .xlsx"),
])
def test_a_malformed_upload_gets_a_clear_message(app, official, data, name, message):
    response = upload(official, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert households_count(app) == 0


def test_the_template_downloads_and_imports_as_is(app, official):
    response = official.get("/households/import/template.csv")
    assert response.status_code == 200
    assert "Họ tên thành viên" in response.get_data(as_text=True)
    page = upload(official, response.get_data(), "mau.csv").get_data(as_text=True)
    assert count(page, "create") == 2 and count(page, "refused") == 0


def test_only_officials_import_and_the_ambassador_sees_the_households(app, official):
    ambassador = app.test_client()
    AuthActions(ambassador).staff_sign_in("0712345678", TEST_PASSWORD)
    assert ambassador.get("/households/import/").status_code == 403
    assert upload(ambassador, xlsx(EXCEL_ROWS), "a.xlsx").status_code == 403
    assert ambassador.post("/households/import/confirm", data={"token": "x"}).status_code == 403
    page = upload(official, xlsx(EXCEL_ROWS), "a.xlsx").get_data(as_text=True)
    official.post("/households/import/confirm", data={"token": token_of(page)})
    listing = ambassador.get("/households/?q=Hường").get_data(as_text=True)
    assert "7 Đặng Thái Thân" in listing


def test_a_forged_token_is_refused(app, official):
    assert official.post("/households/import/confirm",
                         data={"token": "../../secret_key"}).status_code == 400


def test_an_imported_household_page_asks_for_consent_at_the_first_visit(app, official):
    page = upload(official, xlsx(EXCEL_ROWS), "a.xlsx").get_data(as_text=True)
    official.post("/households/import/confirm", data={"token": token_of(page)})
    with app.app_context():
        household_id = db.session.scalar(select(Household.id).where(
            Household.name == "Lê Thị Hường"))
    shown = official.get(f"/households/{household_id}").get_data(as_text=True)
    assert "hỏi sự đồng ý của gia đình ở lần thăm đầu tiên" in shown
    assert "Gia đình đồng ý lưu thông tin" not in shown
