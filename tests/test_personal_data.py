"""A learner or their ambassador can download all stored data and delete the account."""
import json

from sqlalchemy import func, select

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.conftest import AuthActions
from tests.factories import TEST_PIN, AmbassadorFactory, LearnerFactory


def test_learner_downloads_everything_stored_about_them(app, client, auth):
    with app.app_context():
        ambassador = AmbassadorFactory(full_name="Lê Thị Hoa")
        learner = LearnerFactory(full_name="Nguyễn Thị Hạnh", phone="0912345678",
                                 registered_by=ambassador, consent_by=ambassador)
        db.session.commit()
    auth.as_user(learner)
    response = client.get("/me/data.json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["full_name"] == "Nguyễn Thị Hạnh"
    assert data["account"]["phone"] == "0912345678"
    assert data["account"]["consent"]["taken_by"] == "Lê Thị Hoa"
    assert data["account"]["consent"]["given_at"]


def test_deletion_removes_personal_data_but_keeps_the_wards_count(app, client, auth):
    with app.app_context():
        learner = LearnerFactory(full_name="Nguyễn Thị Hạnh", phone="0912345678")
        db.session.commit()
    auth.as_user(learner)
    client.post("/me/delete", data={"confirm": "yes"})
    with app.app_context():
        stored = db.session.get(User, learner.id)
        assert stored.full_name is None and stored.phone is None and stored.secret_hash is None
        assert stored.deleted_at is not None and stored.ward_id is not None
        count = db.session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.LEARNER)
        )
        assert count == 1
    assert auth.sign_in("0912345678", TEST_PIN).status_code == 200  # cannot sign in again
    assert client.get("/me/data").status_code == 302


def test_deletion_needs_the_confirmation_box(app, client, auth):
    with app.app_context():
        learner = LearnerFactory()
        db.session.commit()
    auth.as_user(learner)
    page = client.post("/me/delete", data={})
    assert page.status_code == 200
    with app.app_context():
        assert db.session.get(User, learner.id).deleted_at is None


def test_ambassador_deletes_a_learner_of_their_ward(app, client, auth):
    with app.app_context():
        ambassador = AmbassadorFactory()
        learner = LearnerFactory(phone="0912345678")
        db.session.commit()
    auth.as_user(ambassador)
    client.post(f"/learners/{learner.id}/delete", data={"confirm": "yes"})
    with app.app_context():
        assert db.session.get(User, learner.id).phone is None
    assert client.get(f"/learners/{learner.id}").status_code == 404


def test_a_shared_phone_is_told_when_a_learner_it_knew_was_deleted(app, client, auth):
    with app.app_context():
        ambassador = AmbassadorFactory()
        hanh = LearnerFactory(full_name="Nguyễn Thị Hạnh", phone="0912345678")
        loc = LearnerFactory(full_name="Trương Văn Lộc", phone="0912000772")
        db.session.commit()
    auth.sign_in("0912345678", TEST_PIN)
    assert client.get("/api/v1/session").json["gone_account"] is None
    staff = app.test_client()
    with staff.session_transaction() as session:
        session["_user_id"], session["_fresh"] = ambassador.get_id(), True
    staff.post(f"/learners/{hanh.id}/delete", data={"confirm": "yes"})

    # Deleted while signed in on this phone: the next page's session says so.
    answer = client.get("/api/v1/session").json
    assert answer["signed_in"] is False and answer["gone_account"] == hanh.id
    # Her name tile signs in with her id: the page says plainly the account is gone.
    page = client.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN,
                                         "who": str(hanh.id)}).get_data(as_text=True)
    assert "Tài khoản này đã bị xoá nên không đăng nhập được nữa" in page
    assert f'data-gone-account="{hanh.id}"' in page
    # An account that exists is never named, whatever the tile says; nor to another phone.
    page = client.post("/sign-in", data={"phone": "0912000772", "pin": "9999",
                                         "who": str(loc.id)}).get_data(as_text=True)
    assert "data-gone-account" not in page and "không khớp" in page
    assert app.test_client().get("/api/v1/session").json["gone_account"] is None

    # A learner who deletes their own account on this phone is taken off it too.
    other_phone = app.test_client()
    AuthActions(other_phone).sign_in("0912000772", TEST_PIN)
    other_phone.post("/me/delete", data={"confirm": "yes"})
    assert other_phone.get("/api/v1/session").json["gone_account"] == loc.id


# --- the registry of what export and deletion cover --------------------------------------

PERSONAL_COLUMNS = {"full_name", "phone", "birth_date", "learner_name", "learner_birth_date",
                    "address", "notes"}


def holds_personal_data(mapper) -> bool:
    """A table about a person: it points at an account or has a column naming or reaching one."""
    table = mapper.local_table
    points_at_a_person = any(
        fk.column.table.name == User.__tablename__ for fk in table.foreign_keys
    )
    return points_at_a_person or bool(PERSONAL_COLUMNS & set(table.columns.keys()))


def test_every_table_holding_personal_data_is_in_the_registry():
    from hue_literacy.accounts.personal_data import KEPT_ELSEWHERE, SECTIONS

    covered = {model for section in SECTIONS for model in section.models} | set(KEPT_ELSEWHERE)
    personal = {mapper.class_ for mapper in db.Model.registry.mappers
                if holds_personal_data(mapper)}
    assert personal, "the check must see the models"
    assert personal - covered == set(), "add these models to a Section or to KEPT_ELSEWHERE"
    assert not {model for section in SECTIONS for model in section.models} & set(KEPT_ELSEWHERE)


def test_the_download_lists_the_sections_in_a_fixed_order(app, client, auth):
    with app.app_context():
        learner = LearnerFactory()
        db.session.commit()
    auth.as_user(learner)
    data = json.loads(client.get("/me/data.json").get_data(as_text=True))
    assert list(data) == ["account", "households", "progress_events", "progress", "classes",
                          "certificates"]
