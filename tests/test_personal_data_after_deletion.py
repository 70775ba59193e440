"""After deletion no page shows the person, and pages with personal data are never cached."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdMember, Visit
from tests.factories import AmbassadorFactory, LearnerFactory, OfficialFactory, ward

NOTES = {
    "full name": "Dạy bác Nguyễn Thị Hạnh quét mã QR, bác làm được.",
    "name without accents": "nguyen thi hanh can hoc lai VNeID",
    "phone with spaces": "Gọi trước: 0913 579 246",
    "phone as +84": "Zalo +84 913.579.246",
    "given name in her household": "Bà Hạnh nhờ con cài Hue-S.",
}


@pytest.fixture
def ward_with_notes(app):
    """Hạnh's household and a neighbour's, with visit notes by their ambassador."""
    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward("PHUXUAN"))
        hanh = LearnerFactory(ward=ward("PHUXUAN"), full_name="Nguyễn Thị Hạnh",
                              phone="0913579246")
        homes = {}
        for key, address in (("hers", "27 Đặng Thái Thân"), ("neighbour", "29 Đặng Thái Thân")):
            home = Household(ward_id=ward("PHUXUAN").id, address=address,
                             address_key=address.lower(), consent_at=datetime.now(UTC))
            db.session.add(home)
            db.session.flush()
            homes[key] = home
        db.session.add(HouseholdMember(household_id=homes["hers"].id, full_name=hanh.full_name,
                                       role="grandmother", phone=hanh.phone, learner_id=hanh.id))
        visits = {}
        for label, text in NOTES.items():
            home = homes["hers"] if label == "given name in her household" else homes["neighbour"]
            visits[label] = Visit(household_id=home.id, visited_on=date(2026, 3, 2),
                                  notes=text, ambassador_id=ambassador.id)
        visits["about someone else"] = Visit(
            household_id=homes["neighbour"].id, visited_on=date(2026, 3, 3),
            notes="Ông Lộc (0905 111 222) học thanh toán.", ambassador_id=ambassador.id)
        visits["given name elsewhere"] = Visit(
            household_id=homes["neighbour"].id, visited_on=date(2026, 3, 4),
            notes="Chị Hạnh ở nhà bên cạnh bán hàng.", ambassador_id=ambassador.id)
        db.session.add_all(visits.values())
        db.session.commit()
        return {"ambassador": ambassador, "hanh": hanh, "homes": homes,
                "visits": {label: visit.id for label, visit in visits.items()}}


def test_visit_notes_naming_a_deleted_learner_are_blanked_and_flagged(
    app, client, auth, ward_with_notes
):
    auth.as_user(ward_with_notes["ambassador"])
    hanh = ward_with_notes["hanh"]
    assert client.post(f"/learners/{hanh.id}/delete", data={"confirm": "yes"}).status_code == 302
    with app.app_context():
        stored = {label: db.session.get(Visit, visit_id)
                  for label, visit_id in ward_with_notes["visits"].items()}
        for label in NOTES:
            assert stored[label].notes == "", label
            assert stored[label].notes_erased_at is not None, label
        assert stored["about someone else"].notes.startswith("Ông Lộc")
        assert stored["given name elsewhere"].notes.startswith("Chị Hạnh")
        assert stored["about someone else"].notes_erased_at is None
    client.post("/language", data={"lang": "en"})
    for home in ward_with_notes["homes"].values():
        page = client.get(f"/households/{home.id}").get_data(as_text=True)
        assert "579.246" not in page and "579 246" not in page
        assert "Nguyễn Thị Hạnh" not in page and "Bà Hạnh" not in page
    page = client.get(f"/households/{ward_with_notes['homes']['neighbour'].id}").get_data(
        as_text=True)
    assert "Notes removed: they named a person whose account was deleted." in page


# --- no caching of personal data ------------------------------------------------------------


@pytest.fixture
def staff_and_learner(app):
    with app.app_context():
        people = {
            "learner": LearnerFactory(ward=ward("PHUXUAN"), phone="0912345678"),
            "ambassador": AmbassadorFactory(ward=ward("PHUXUAN")),
            "official": OfficialFactory(ward=ward("PHUXUAN")),
        }
        db.session.commit()
        return people


PERSONAL_PAGES = {
    "learner": ["/", "/me/data", "/me/data.json", "/me/delete", "/progress/",
                "/certificates/", "/api/v1/session"],
    "ambassador": ["/", "/learners/", "/learners/{learner}", "/learners/{learner}/card",
                   "/learners/{learner}/data.json", "/households/", "/households/export.csv",
                   "/classes/"],
    "official": ["/", "/certificates/", "/dashboard/"],
}


@pytest.mark.parametrize(("role", "path"), [
    (role, path) for role, paths in PERSONAL_PAGES.items() for path in paths
])
def test_pages_with_personal_data_are_never_stored_by_a_browser_or_proxy(
    app, client, auth, staff_and_learner, role, path
):
    auth.as_user(staff_and_learner[role])
    response = client.get(path.format(learner=staff_and_learner["learner"].id))
    assert response.status_code == 200, path
    assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_a_refused_sign_in_showing_the_typed_phone_is_not_stored(client, staff_and_learner):
    response = client.post("/sign-in", data={"phone": "0912 345 678", "pin": "9999"})
    assert "0912 345 678" in response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]


def test_public_files_stay_cacheable(client, staff_and_learner, auth):
    auth.as_user(staff_and_learner["learner"])
    css = client.get("/static/css/app.css")
    assert "no-store" not in css.headers.get("Cache-Control", "")
    assert "max-age" in css.headers["Cache-Control"]
    # Lesson pages hold nothing of the visitor (test_page_cache.py): kept, asked again.
    for path in ("/learn/vi/", "/learn/vi/safe-otp-never-share", "/learn/en/my-progress"):
        assert client.get(path).headers["Cache-Control"] == "no-cache", path
