"""Vietnamese unless chosen otherwise, every form message translated, one date style."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.i18n import LANGUAGE_COOKIE, format_clock, format_day, format_moment
from tests.factories import TEST_PIN, AmbassadorFactory, LearnerFactory

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
ENGLISH_PHONE = {"Accept-Language": "en-US,en;q=0.9"}


def html(response) -> str:
    return response.get_data(as_text=True)


def test_a_phone_set_to_english_gets_vietnamese(client):
    assert 'lang="vi"' in html(client.get("/", headers=ENGLISH_PHONE))
    assert client.get("/learn/", headers=ENGLISH_PHONE).headers["Location"] == "/learn/vi/"
    assert "Đăng nhập" in html(client.get("/sign-in", headers=ENGLISH_PHONE))


def test_choosing_english_is_remembered_in_a_cookie_that_outlives_the_session(app, client):
    answer = client.post("/language", data={"lang": "en", "next": "/sign-in"})
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    assert cookie is not None and cookie.value == "en"
    assert "Max-Age" in " ".join(answer.headers.getlist("Set-Cookie"))
    # A new session (the session cookie gone) with only the language cookie: still English.
    later = app.test_client()
    later.set_cookie(LANGUAGE_COOKIE, "en")
    assert 'lang="en"' in html(later.get("/sign-in", headers={"Accept-Language": "vi"}))
    assert later.get("/learn/").headers["Location"] == "/learn/en/"
    client.post("/language", data={"lang": "vi"})
    assert 'lang="vi"' in html(client.get("/sign-in", headers=ENGLISH_PHONE))


def test_an_unknown_language_choice_changes_nothing(client):
    client.post("/language", data={"lang": "fr"})
    assert client.get_cookie(LANGUAGE_COOKIE) is None
    assert 'lang="vi"' in html(client.get("/"))


def test_a_signed_in_learners_choice_follows_them_to_another_phone(app, client, auth):
    with app.app_context():
        LearnerFactory(phone="0912000555")
        db.session.commit()
    auth.sign_in("0912000555", TEST_PIN)
    client.post("/language", data={"lang": "en"})
    with app.app_context():
        assert db.session.scalar(db.select(User.locale).where(User.phone == "0912000555")) == "en"
    other_phone = app.test_client()
    other_phone.post("/sign-in", data={"phone": "0912000555", "pin": TEST_PIN})
    assert 'lang="en"' in html(other_phone.get("/me/data"))


def test_a_language_chosen_before_signing_in_is_kept_for_the_account(app, client, auth):
    with app.app_context():
        LearnerFactory(phone="0912000556", locale=None)
        db.session.commit()
    client.post("/language", data={"lang": "en"})
    auth.sign_in("0912000556", TEST_PIN)
    with app.app_context():
        assert db.session.scalar(db.select(User.locale).where(User.phone == "0912000556")) == "en"


def test_wtforms_own_messages_come_in_vietnamese(app, client, auth):
    with app.app_context():
        AmbassadorFactory(phone="0701000555")
        db.session.commit()
    auth.staff_sign_in("0701000555", "correct horse battery")
    page = html(client.post("/classes/new", data={"venue": "Nhà văn hóa",
                                                  "starts_on": "14/03/2026"}))
    assert "Ngày chưa đúng. Vui lòng chọn ngày, tháng, năm." in page
    assert "Not a valid date value." not in page
    client.post("/language", data={"lang": "en"})
    page = html(client.post("/classes/new", data={"venue": "Ward office",
                                                  "starts_on": "14/03/2026"}))
    assert "Not a valid date value." in page


def test_a_too_long_name_is_refused_in_vietnamese(client):
    page = html(client.post("/register", data={"full_name": "A" * 200, "phone": "0912000557",
                                               "pin": "2580", "consent": "y"}))
    assert "Mục này dài tối đa 120 ký tự." in page
    assert "Field cannot be longer" not in page


def test_one_date_style_for_people():
    day = date(2026, 12, 1)
    moment = datetime(2026, 12, 1, 6, 37, tzinfo=UTC)  # 13:37 in Hue
    assert format_day(day, "vi") == "ngày 1 tháng 12 năm 2026"
    assert format_day(day, "en") == "1 December 2026"
    assert format_clock(moment, "vi", HUE) == "13 giờ 37"
    assert format_clock(moment, "en", HUE) == "13:37"
    assert format_moment(moment, "vi", HUE) == "13 giờ 37, ngày 1 tháng 12 năm 2026"
    assert format_moment(moment, "en", HUE) == "13:37, 1 December 2026"
    # A stored naive time is UTC (SQLite); late evening UTC is already the next day in Hue.
    assert format_day(datetime(2026, 11, 30, 18, 0), "vi", HUE) == "ngày 1 tháng 12 năm 2026"
    assert format_clock(datetime(2026, 12, 1, 2, 5), "vi", HUE) == "9 giờ 05"


def test_pages_show_dates_in_the_one_style(app, client, auth):
    with app.app_context():
        LearnerFactory(phone="0912000558", consent_at=datetime(2026, 12, 1, 6, 37, tzinfo=UTC))
        db.session.commit()
    auth.sign_in("0912000558", TEST_PIN)
    assert "ngày 1 tháng 12 năm 2026" in html(client.get("/me/data"))
    client.post("/language", data={"lang": "en"})
    assert "1 December 2026" in html(client.get("/me/data"))


def test_no_template_formats_a_date_its_own_way():
    """Dates reach people only through the `date` and `datetime` filters (i18n.format_*)."""
    from pathlib import Path

    root = Path(__file__).parent.parent / "hue_literacy"
    offenders = [
        str(path.relative_to(root)) for path in root.rglob("*.html")
        if any(mark in path.read_text(encoding="utf-8")
               for mark in ("strftime", "format_date", "toLocale", '| date("', "|date(\""))
    ]
    assert offenders == []
