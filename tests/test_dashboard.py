"""Officials' dashboard: the ward's numbers, the month chart, ward scoping, the city, CSV."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hue_literacy.accounts.models import User
from hue_literacy.certificates.models import Certificate
from hue_literacy.classes.models import Assessment, ClassAttendance, ClassSession
from hue_literacy.content.access import framework, release
from hue_literacy.dashboard import services, tallies
from hue_literacy.dashboard.charts import bar_chart
from hue_literacy.extensions import db
from hue_literacy.households.models import Household
from hue_literacy.i18n import format_day, format_month
from hue_literacy.progress.services import competency_lesson_ids
from hue_literacy.sync.models import ProgressEvent
from hue_literacy.wards.services import all_wards
from tests.factories import (
    AdminFactory,
    AmbassadorFactory,
    LearnerFactory,
    OfficialFactory,
    ward,
)

HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def english(client) -> None:
    client.post("/language", data={"lang": "en"})


def local_today() -> date:
    return datetime.now(HUE).date()


def at(day: date, hour: int = 10) -> datetime:
    """A moment of `day` in Hue, as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=HUE).astimezone(UTC)


def event(learner: User, moment: datetime, kind: str = "step_answered",
          lesson_id: str = "qr-zalo-scan") -> None:
    db.session.add(ProgressEvent(
        event_id=str(uuid.uuid4()), learner_id=learner.id, kind=kind, lesson_id=lesson_id,
        lesson_version=1, step_id=None if kind == "lesson_completed" else "s1",
        correct=True, occurred_at=moment,
    ))


def complete(learner: User, lesson_ids, moment: datetime) -> None:
    for lesson_id in lesson_ids:
        event(learner, moment, "lesson_completed", lesson_id)


_numbers = iter(range(1, 10_000))


def certificate(learner: User, official: User, issued_on: date, revoked: bool = False,
                profile_id: str = "basic") -> Certificate:
    number = next(_numbers)
    cert = Certificate(
        serial=f"HUE-{learner.ward.code}-{issued_on.year}-{number:06d}",
        code=f"C{number:07d}", ward_id=learner.ward_id, year=issued_on.year, number=number,
        learner_id=learner.id, learner_name=learner.full_name, ward_name=learner.ward.name,
        framework_id="hue-dl", framework_version=1, profile_id=profile_id,
        competency_ids=["QR-1"], assessor_ids=[official.id], assessor_names=["x"],
        issued_by_id=official.id, issued_by_name=official.full_name, issued_on=issued_on,
        revoked_at=datetime.now(UTC) if revoked else None,
        revoked_by_id=official.id if revoked else None,
        revocation_reason="typo" if revoked else None,
    )
    db.session.add(cert)
    return cert


def household(ward_code: str, number: int, family: bool) -> Household:
    home = Household(ward=ward(ward_code), address=f"{number} Lê Lợi",
                     address_key=f"{number} le loi", consent_at=datetime.now(UTC),
                     digital_family=family)
    db.session.add(home)
    return home


def seed_ward(today: date) -> dict:
    """A small ward PHUXUAN (and a little of THUANHOA that must never count)."""
    this_month = services.month_start(today)
    last_month = services.month_start(today, 1) + timedelta(days=5)
    official = OfficialFactory(ward=ward("PHUXUAN"))
    ambassador = AmbassadorFactory(ward=ward("PHUXUAN"))
    active = LearnerFactory(group="elderly", created_at=at(this_month))
    lapsed = LearnerFactory(group="elderly", created_at=at(last_month))
    trader = LearnerFactory(group="trader", created_at=at(last_month))
    deleted = LearnerFactory(group="elderly", full_name=None, phone=None,
                             created_at=at(last_month), deleted_at=datetime.now(UTC))
    outsider = LearnerFactory(ward=ward("THUANHOA"), group="elderly", created_at=at(this_month))
    db.session.flush()

    event(active, at(this_month))
    event(lapsed, at(last_month))
    event(deleted, at(this_month))  # practised, then asked for the account to be deleted
    event(outsider, at(this_month))
    lessons = competency_lesson_ids(release())
    complete(active, set(lessons["QR-1"]) | set(lessons["QR-2"]), at(last_month))
    complete(trader, lessons["PAY-1"] + ("qr-ward-notice",), at(last_month))
    complete(outsider, lessons["QR-1"], at(this_month))

    certificate(active, official, this_month)
    certificate(lapsed, official, last_month, revoked=True)  # revoked: does not count
    certificate(outsider, OfficialFactory(ward=ward("THUANHOA")), this_month)

    for number, family in enumerate([True, False, False, True]):
        household("PHUXUAN", number, family)
    household("THUANHOA", 99, True)

    held = ClassSession(ward=ward("PHUXUAN"), venue="Nhà văn hóa", starts_on=this_month,
                        opened_by=ambassador, join_code="DASH01")
    earlier = ClassSession(ward=ward("PHUXUAN"), venue="Nhà văn hóa", starts_on=last_month,
                           opened_by=ambassador, join_code="DASH02")
    elsewhere = ClassSession(ward=ward("THUANHOA"), venue="Chùa", starts_on=this_month,
                             opened_by=ambassador, join_code="DASH03")
    db.session.add_all([held, earlier, elsewhere])
    db.session.flush()
    for session, learner in [(held, active), (held, trader), (earlier, lapsed),
                             (elsewhere, outsider)]:
        db.session.add(ClassAttendance(class_session_id=session.id, learner_id=learner.id))
    for learner in (active, trader, outsider):
        db.session.add(Assessment(
            learner_id=learner.id, competency_id="QR-1", result="alone",
            assessor_id=official.id, assessed_on=today, class_session_id=held.id,
            framework_id="hue-dl", framework_version=1,
        ))
    db.session.commit()
    return {"official": official, "ambassador": ambassador, "active": active}


def coverage(today: date, locale: str = "en") -> services.WardCoverage:
    return services.ward_coverage(ward("PHUXUAN"), today, HUE, framework(),
                                  competency_lesson_ids(release()), locale)


@pytest.fixture(params=["counted live", "running totals"])
def counted(request, ctx):
    """The ward's figures counted live from the events, or from the running totals that
    `flask dashboard rebuild` builds: the official must see the same numbers either way."""
    def figures(today: date, locale: str = "en") -> services.WardCoverage:
        if request.param == "running totals":
            tallies.rebuild(release(), HUE)
            db.session.commit()
        return coverage(today, locale)

    return figures


# --- numbers -------------------------------------------------------------------------------


def test_ward_numbers_count_deleted_learners_and_only_valid_certificates(counted):
    today = local_today()
    seed_ward(today)
    found = counted(today)
    assert found.learners == 4  # the deleted learner still counts; staff and others do not
    assert found.active == 2  # practised this month, the deleted one included
    assert found.certified == 1  # the revoked certificate does not count
    assert (found.households, found.digital_families) == (4, 2)
    assert found.digital_family_share == 0.5
    assert (found.classes, found.attendances, found.assessments) == (2, 3, 2)


def test_ward_numbers_by_group_use_the_frameworks_names(counted):
    today = local_today()
    seed_ward(today)
    groups = {group.group_id: group for group in counted(today).groups}
    assert (groups["elderly"].name, groups["elderly"].learners, groups["elderly"].active,
            groups["elderly"].certified) == ("Elderly residents", 3, 2, 1)
    assert (groups["trader"].learners, groups["trader"].active) == (1, 0)
    assert groups["farmer"].learners == 0
    assert counted(today, "vi").groups[0].name == "Người cao tuổi"


def test_areas_count_learners_who_completed_every_lesson_of_a_skill(counted):
    today = local_today()
    seed_ward(today)
    areas = {area.area_id: area for area in counted(today).areas}
    assert (areas["qr"].some, areas["qr"].every) == (1, 1)  # qr-ward-notice alone is not QR-1
    assert (areas["pay"].some, areas["pay"].every) == (1, 0)  # PAY-1 of three skills
    assert (areas["gov"].some, areas["gov"].every) == (0, 0)


def test_basic_skills_follow_the_family_rule_of_the_framework(counted):
    today = local_today()
    made = seed_ward(today)
    rule = framework().digital_family
    lessons = competency_lesson_ids(release())
    payment = {lesson for comp in rule.skills["payment"] for lesson in lessons[comp]}
    complete(made["active"], payment, at(today))
    db.session.commit()
    skills = {skill.skill_id: skill for skill in counted(today).skills}
    assert list(skills) == [*rule.skills, "all"]
    assert skills["payment"].competency_ids == rule.skills["payment"]
    assert (skills["payment"].taught, skills["payment"].learners) == (True, 1)
    assert skills["local-platform"].learners == 0
    assert skills["all"].learners == 0  # one skill of five is not a Digital Family
    taught_shopping = all(lessons.get(comp) for comp in rule.skills["shopping"])
    assert skills["shopping"].taught is taught_shopping


def test_month_series_counts_the_last_twelve_months(counted):
    today = local_today()
    seed_ward(today)
    months = counted(today).months
    assert len(months) == 12
    assert months[-1].month == services.month_start(today)
    assert months[0].month == services.month_start(today, 11)
    now, before = months[-1], months[-2]
    assert (now.new_learners, now.active_learners, now.certificates, now.classes) == (1, 2, 1, 1)
    assert (before.new_learners, before.active_learners, before.certificates,
            before.classes) == (3, 3, 0, 1)  # lapsed, trader and active practised
    assert sum(month.new_learners for month in months) == 4


def test_months_follow_hue_time_not_utc(ctx):
    learner = LearnerFactory(created_at=datetime(2026, 3, 31, 18, 0, tzinfo=UTC))  # 1 Apr, Hue
    event(learner, datetime(2026, 2, 28, 16, 59, tzinfo=UTC))  # 28 Feb 23:59 in Hue
    event(learner, datetime(2026, 2, 28, 17, 0, tzinfo=UTC))  # 1 Mar 00:00 in Hue
    db.session.commit()
    months = {m.month: m for m in services.month_series(ward("PHUXUAN").id, date(2026, 4, 2),
                                                         HUE)}
    assert months[date(2026, 4, 1)].new_learners == 1
    assert months[date(2026, 3, 1)].new_learners == 0
    assert months[date(2026, 2, 1)].active_learners == 1
    assert months[date(2026, 3, 1)].active_learners == 1
    assert services.month_starts(date(2026, 1, 15), 3) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]


def test_an_empty_ward_shows_zeros(ctx):
    found = services.ward_coverage(ward("VYDA"), local_today(), HUE, framework(),
                                   competency_lesson_ids(release()), "en")
    assert (found.learners, found.households, found.classes) == (0, 0, 0)
    assert found.digital_family_share is None
    assert all(month.active_learners == 0 for month in found.months)


# --- the chart -------------------------------------------------------------------------------


def test_the_chart_holds_months_values_title_and_description():
    chart = str(bar_chart([("01/2026", 12), ("02/2026", 1500), ("03/2026", 0)],
                          "Active learners", "Active learners per month", "Learners", "c1"))
    assert chart.startswith('<div class="chart"') and 'role="img"' in chart
    assert 'aria-labelledby="c1-title"' in chart and 'aria-describedby="c1-desc"' in chart
    assert 'id="c1-title">Active learners<' in chart
    assert 'id="c1-desc">Active learners per month<' in chart
    for text in ("01/2026", "02/2026", "03/2026", ">12<", ">1.500<", ">0<", "Learners"):
        assert text in chart
    assert "style=" not in chart
    assert chart.count("<rect") == 3
    assert '<rect width="100.0"' in chart and '<rect width="0.0"' in chart  # shares of the top


def test_the_chart_escapes_its_texts():
    svg = str(bar_chart([("<b>", 1)], "a & b", "<script>", "x", "c2"))
    assert "<script>" not in svg and "&lt;b&gt;" in svg and "a &amp; b" in svg


# --- pages and access ------------------------------------------------------------------------


def test_an_official_sees_the_ward_dashboard(app, client, auth):
    with app.app_context():
        made = seed_ward(local_today())
        auth.as_user(made["official"])
    english(client)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ward dashboard" in html and "Phú Xuân" in html
    assert "Elderly residents" in html and "<svg" in html and "style=" not in html
    assert format_month(services.month_start(local_today()), "en") in html  # "December 2026"
    assert format_day(local_today(), "en") in html  # "as of 1 December 2026"
    assert 'class="visually-hidden"' in html
    assert "/dashboard/ward/PHUXUAN/export.csv" in html
    assert "The five basic skills of a Digital Family" in html
    assert "when 1 of its members hold all five basic skills" in html


def test_the_ward_dashboard_is_in_vietnamese_by_default(app, client, auth):
    """Passes once the lead merges translations/pending/dashboard.yaml."""
    with app.app_context():
        made = seed_ward(local_today())
        auth.as_user(made["official"])
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Bảng số liệu của phường" in html
    assert "Người cao tuổi" in html


@pytest.mark.parametrize("factory", [LearnerFactory, AmbassadorFactory])
def test_learners_and_ambassadors_may_not_see_the_dashboard(app, client, auth, factory):
    with app.app_context():
        user = factory()
        db.session.commit()
        auth.as_user(user)
    for path in ("/dashboard/", "/dashboard/ward/PHUXUAN", "/dashboard/ward/PHUXUAN/export.csv",
                 "/dashboard/city", "/dashboard/city/export.csv"):
        assert client.get(path).status_code == 403, path


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_an_official_sees_only_their_own_ward(app, client, auth):
    with app.app_context():
        official = OfficialFactory(ward=ward("THUANHOA"))
        db.session.commit()
        auth.as_user(official)
    assert client.get("/dashboard/ward/THUANHOA").status_code == 200
    assert client.get("/dashboard/ward/PHUXUAN").status_code == 403
    assert client.get("/dashboard/ward/PHUXUAN/export.csv").status_code == 403
    assert client.get("/dashboard/city").status_code == 403
    assert client.get("/dashboard/city/export.csv").status_code == 403
    assert client.get("/dashboard/ward/NOWHERE").status_code == 404


def test_the_city_admin_sees_any_ward_and_the_city(app, client, auth):
    with app.app_context():
        seed_ward(local_today())
        admin = AdminFactory()
        db.session.commit()
        auth.as_user(admin)
    english(client)
    assert client.get("/dashboard/").headers["Location"].endswith("/dashboard/city")
    assert client.get("/dashboard/ward/PHUXUAN").status_code == 200
    html = client.get("/dashboard/city").get_data(as_text=True)
    assert 'href="/dashboard/ward/PHUXUAN"' in html and 'href="/dashboard/ward/THUANHOA"' in html
    assert "Coverage of every ward" in html


def test_the_city_overview_counts_each_ward_and_sorts(counted):
    seed_ward(local_today())
    counted(local_today())  # running totals: built here
    rows = services.city_overview(
        [ward("PHUXUAN"), ward("THUANHOA"), ward("VYDA")], local_today(), HUE,
        sort="learners", descending=True)
    assert [row.ward.code for row in rows] == ["PHUXUAN", "THUANHOA", "VYDA"]
    phuxuan, thuanhoa, vyda = rows
    assert (phuxuan.learners, phuxuan.active, phuxuan.certified, phuxuan.households,
            phuxuan.digital_families, phuxuan.classes) == (4, 2, 1, 4, 2, 2)
    assert (thuanhoa.learners, thuanhoa.active, thuanhoa.certified, thuanhoa.households,
            thuanhoa.classes) == (1, 1, 1, 1, 1)
    assert thuanhoa.digital_family_share == 1.0 and vyda.digital_family_share is None
    by_family = services.sort_rows(rows, "family", descending=True)
    assert [row.ward.code for row in by_family] == ["THUANHOA", "PHUXUAN", "VYDA"]
    by_name = services.sort_rows(rows, "ward", descending=False)
    assert [row.ward.name for row in by_name] == sorted(row.ward.name for row in rows)
    totals = services.city_totals(rows)
    assert (totals.learners, totals.households, totals.digital_families) == (5, 5, 3)


def test_the_city_page_sorts_by_a_column_and_turns_the_order_round(app, client, auth):
    with app.app_context():
        seed_ward(local_today())
        admin = AdminFactory()
        db.session.commit()
        auth.as_user(admin)
    english(client)
    html = client.get("/dashboard/city?sort=learners").get_data(as_text=True)
    assert html.index("Phú Xuân") < html.index("Thuận Hóa") < html.index("Vỹ Dạ")
    assert 'aria-sort="descending"' in html
    assert 'href="/dashboard/city?sort=learners&amp;dir=asc"' in html
    html = client.get("/dashboard/city?sort=learners&dir=asc").get_data(as_text=True)
    assert html.index("Thuận Hóa") < html.index("Phú Xuân")
    assert client.get("/dashboard/city?sort=nonsense").status_code == 200


# --- CSV -------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_ward_csv_holds_the_dashboards_numbers(app, client, auth):
    with app.app_context():
        made = seed_ward(local_today())
        auth.as_user(made["official"])
    english(client)
    response = client.get("/dashboard/ward/PHUXUAN/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="dashboard-phuxuan-')
    rows = read_csv(response)
    assert rows[0] == ["Ward", "Phú Xuân"]
    figures = {row[0]: row[1] for row in rows if len(row) == 2}
    assert figures["Learners"] == "4" and figures["Active this month"] == "2"
    assert figures["Certified"] == "1" and figures["Digital Family share (%)"] == "50"
    assert figures["Classes held"] == "2" and figures["Assessments recorded"] == "2"
    assert ["Group", "Learners", "Active this month", "Certified"] in rows
    assert ["Elderly residents", "3", "2", "1"] in rows
    header = ["Month", "New learners", "Active learners", "Certificates issued", "Classes held"]
    months = rows[rows.index(header) + 1:]
    assert len(months) == 12
    assert months[-1] == [services.month_start(local_today()).strftime("%m/%Y"), "1", "2", "1",
                          "1"]


def test_the_city_csv_lists_every_ward(app, client, auth):
    with app.app_context():
        seed_ward(local_today())
        admin = AdminFactory()
        db.session.commit()
        auth.as_user(admin)
        ward_count = len(all_wards())
    english(client)
    response = client.get("/dashboard/city/export.csv?sort=learners")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="dashboard-hue-')
    rows = read_csv(response)
    assert rows[0] == ["Ward", "Ward code", "Learners", "Active this month", "Certified",
                       "Households", "Digital Families", "Digital Family share (%)",
                       "Classes held"]
    assert rows[1] == ["Phú Xuân", "PHUXUAN", "4", "2", "1", "4", "2", "50", "2"]
    assert ["Thuận Hóa", "THUANHOA", "1", "1", "1", "1", "1", "100", "1"] in rows
    assert len(rows) == 1 + ward_count
