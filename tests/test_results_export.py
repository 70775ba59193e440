"""The ward's results for national systems: CSV and JSON per ward and period, for its officials
and the city admin only (docs/results-export.md)."""
from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from hue_literacy.accounts.models import User
from hue_literacy.certificates import export
from hue_literacy.certificates.models import Certificate
from hue_literacy.clock import local_date
from hue_literacy.extensions import db
from tests.factories import LearnerFactory, ward
from tests.test_certificates import TODAY, english, issue, make_people, make_ready

PERIOD = "from=2026-01-01&to=2026-12-31"


@pytest.fixture
def people(app):
    made = make_people(app)
    with app.test_request_context():
        official = db.session.get(User, made["official_a"].id)
        made["hoa_cert"] = issue(db.session.get(User, made["hoa"].id), official, TODAY)
        # Another learner, certified last year and revoked this year: both show in 2026.
        old = LearnerFactory(ward=ward("PHUXUAN"), full_name="Võ Văn Cũ", group="trader")
        make_ready(old, db.session.get(User, made["ambassador_a"].id))
        made["old_cert"] = issue(old, official, date(2025, 6, 2))
        from hue_literacy.certificates.services import revoke_certificate

        revoke_certificate(made["old_cert"], official, "Sai ngày sinh",
                           now=datetime(2026, 2, 3, 3, 0, tzinfo=UTC))
        # A third, issued and kept in 2025: outside the period.
        kept = LearnerFactory(ward=ward("PHUXUAN"), full_name="Lý Thị Xưa")
        make_ready(kept, official)
        made["kept_cert"] = issue(kept, official, date(2025, 3, 1))
        db.session.commit()
    return made


def rows_of(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Vietnamese right
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_lists_the_certificates_of_the_period_with_stable_columns(client, auth,
                                                                          people):
    auth.as_user(people["official_a"])
    response = client.get(f"/certificates/export/PHUXUAN.csv?{PERIOD}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="results-phuxuan-2026-01-01-2026-12-31.csv"' in (
        response.headers["Content-Disposition"])
    rows = rows_of(response.data)
    assert rows[0] == list(export.COLUMNS)
    by_serial = {row[8]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_serial) == {people["hoa_cert"].serial, people["old_cert"].serial}
    hoa = by_serial[people["hoa_cert"].serial]
    assert hoa["learner_id"] == str(people["hoa"].id)
    assert hoa["group"] == "elderly"
    assert hoa["profile_id"] == "elderly"
    assert (hoa["framework_id"], hoa["framework_version"]) == ("hue-dl", "2")
    assert hoa["competencies"].split("|")[:2] == ["QR-1", "PAY-1"]
    assert hoa["assessed_on"] == "2026-03-14"
    assert hoa["assessor_roles"] == "ambassador"
    assert (hoa["status"], hoa["issued_on"], hoa["revoked_on"]) == ("valid", "2026-03-14", "")
    assert hoa["ward_code"] == "PHUXUAN"
    old = by_serial[people["old_cert"].serial]
    assert (old["status"], old["issued_on"], old["revoked_on"]) == (
        "revoked", "2025-06-02", "2026-02-03")
    assert old["group"] == "trader"
    text = response.data.decode("utf-8")
    assert "Nguyễn Thị Hoa" not in text and "0912345678" not in text  # no names, no phones


def test_the_json_carries_its_format_version_and_the_same_results(client, auth, people):
    auth.as_user(people["official_a"])
    response = client.get(f"/certificates/export/PHUXUAN.json?{PERIOD}")
    assert response.status_code == 200
    document = json.loads(response.data)
    assert (document["format"], document["version"]) == ("hue-literacy-results", 1)
    assert document["ward"] == {"code": "PHUXUAN", "name": "Phú Xuân"}
    assert document["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert document["count"] == 2 == len(document["results"])
    first = document["results"][0]
    assert list(first) == list(export.COLUMNS)
    assert isinstance(first["competencies"], list) and "QR-1" in first["competencies"]
    assert isinstance(first["learner_id"], int)
    only_2025 = json.loads(client.get(
        "/certificates/export/PHUXUAN.json?from=2025-01-01&to=2025-12-31").data)
    assert {row["certificate_serial"] for row in only_2025["results"]} == {
        people["old_cert"].serial, people["kept_cert"].serial}


def test_a_cell_that_would_be_a_formula_is_written_as_text(app, client, auth, people):
    with app.app_context():
        db.session.execute(update(User).where(User.id == people["hoa"].id)
                           .values(group='=HYPERLINK("http://x")'))
        db.session.commit()
    auth.as_user(people["official_a"])
    rows = rows_of(client.get(f"/certificates/export/PHUXUAN.csv?{PERIOD}").data)
    assert "'=HYPERLINK(\"http://x\")" in [row[1] for row in rows]


@pytest.mark.parametrize("raw, field", [
    ("from=2026-13-01", "The start date (from)"),
    ("from=01/12/2026", "The start date (from)"),
    ("to=yesterday", "The end date (to)"),
])
def test_a_period_that_cannot_be_read_is_refused_with_the_field_named(client, auth, people,
                                                                      raw, field):
    auth.as_user(people["official_a"])
    english(client)
    page = client.get(f"/certificates/export/PHUXUAN.csv?{raw}")
    assert page.status_code == 400
    assert f"{field} must be a date written as YYYY-MM-DD" in page.get_data(as_text=True)
    answer = client.get(f"/certificates/export/PHUXUAN.json?{raw}")
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "bad_period"
    assert field in answer.get_json()["message"]


def test_a_period_ending_before_it_starts_is_refused_in_vietnamese(client, auth, people):
    auth.as_user(people["official_a"])
    page = client.get("/certificates/export/PHUXUAN.csv?from=2026-05-01&to=2026-04-01",
                      headers={"Accept-Language": "vi"})
    assert page.status_code == 400
    assert "Ngày kết thúc (đến ngày) đang trước ngày bắt đầu (từ ngày)." in page.get_data(
        as_text=True)


@pytest.mark.parametrize("who", ["official_b", "ambassador_a", "hoa"])
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_only_officials_of_the_ward_and_the_city_admin_export(client, auth, people, who, kind):
    auth.as_user(people[who])
    assert client.get(f"/certificates/export/PHUXUAN.{kind}?{PERIOD}").status_code == 403
    assert client.get("/certificates/export/PHUXUAN").status_code == 403


def test_the_city_admin_exports_any_ward_and_strangers_must_sign_in(client, auth, people):
    assert client.get(f"/certificates/export/PHUXUAN.csv?{PERIOD}").status_code == 302
    auth.as_user(people["admin"])
    assert client.get(f"/certificates/export/THUANHOA.csv?{PERIOD}").status_code == 200
    assert client.get(f"/certificates/export/NOWHERE.csv?{PERIOD}").status_code == 404
    form = client.get("/certificates/export/PHUXUAN").get_data(as_text=True)
    assert 'type="date"' in form and "/certificates/export/PHUXUAN.json" in form


def test_the_certificates_page_leads_to_the_export(client, auth, people):
    auth.as_user(people["official_a"])
    assert "/certificates/export/PHUXUAN" in client.get("/certificates/").get_data(as_text=True)


def test_the_revocation_day_is_the_day_in_hue(app, people):
    """03:00 UTC on 3 February is 10:00 in Hue; 20:00 UTC on 31 January is 1 February there."""
    with app.test_request_context():
        db.session.execute(update(Certificate).where(Certificate.id == people["old_cert"].id)
                           .values(revoked_at=datetime(2026, 1, 31, 20, 0, tzinfo=UTC))
                           .execution_options(synchronize_session=False))
        hue = ZoneInfo("Asia/Ho_Chi_Minh")
        rows = export.result_rows(ward("PHUXUAN"),
                                  export.Period(date(2026, 2, 1), date(2026, 2, 28)),
                                  lambda moment: local_date(moment, hue))
        assert [(row.status, row.revoked_on) for row in rows] == [
            ("revoked", date(2026, 2, 1))]
