"""The ward on an ambassador's phone: the copy the phone keeps (scoped to the ward through
access.py), the offline app shell and the staff-only precache (not in the learners' one)."""
from datetime import date, timedelta

from hue_literacy.extensions import db
from tests.factories import LearnerFactory
from tests.test_households import make_household, people  # noqa: F401 (a fixture)


def test_the_ward_copy_holds_the_ambassadors_own_ward_only_with_the_last_visits(
    app, people, client, auth  # noqa: F811
):
    with app.app_context():
        mine = make_household(
            people["ambassador_a"], "12 kiệt 34 Phan Đình Phùng", "Nhà bác Hạnh",
            [{"full_name": "Nguyễn Thị Hạnh", "role": "head", "phone": "0912345678"}])
        make_household(people["ambassador_b"], "3 Lê Lợi", None, [])
        from hue_literacy.content.access import release
        from hue_literacy.households import services
        for days in range(7):
            services.log_visit(mine, {"visited_on": date.today() - timedelta(days=days),
                                      "competency_ids": ["QR-1"], "notes": f"lần {days}"},
                               people["ambassador_a"], services.utcnow(), release())
        LearnerFactory(ward=people["ambassador_b"].ward, full_name="Người phường khác")
        db.session.commit()
        mine_id = mine.id
    auth.as_user(people["ambassador_a"])
    answer = client.get("/api/v1/ward-households")
    assert answer.status_code == 200
    assert "no-store" in answer.headers["Cache-Control"]
    copy = answer.get_json()
    assert copy["account"] == people["ambassador_a"].id
    (household,) = copy["households"]
    assert household["id"] == mine_id and household["address"] == "12 kiệt 34 Phan Đình Phùng"
    assert household["members"][0]["phone"] == "0912345678"
    assert household["members"][0]["learner_id"] == people["learner_a"].id
    assert [visit["notes"] for visit in household["visits"]] == [f"lần {n}" for n in range(5)]
    assert household["overdue"] is False and "nguyen thi hanh" in household["search"]
    assert [learner["full_name"] for learner in copy["learners"]] == ["Nguyễn Thị Hạnh"]


def test_the_ward_copy_is_for_staff_only_and_the_admin_gets_one_ward_at_a_time(
    app, people, client, auth  # noqa: F811
):
    assert client.get("/api/v1/ward-households").status_code == 401
    auth.as_user(people["learner_a"])
    assert client.get("/api/v1/ward-households").status_code == 403
    with app.app_context():
        make_household(people["ambassador_a"], "12 kiệt 34 Phan Đình Phùng")
        make_household(people["ambassador_b"], "3 Lê Lợi")
        db.session.commit()
        ward_b = people["ambassador_b"].ward_id
    auth.as_user(people["admin"])
    assert client.get("/api/v1/ward-households").get_json()["households"] == []
    picked = client.get(f"/api/v1/ward-households?ward={ward_b}").get_json()
    assert [h["address"] for h in picked["households"]] == ["3 Lê Lợi"]


def test_the_offline_shell_holds_every_form_and_the_staff_scripts_stay_out_of_learners_precache(
    people, client, auth  # noqa: F811
):
    assert client.get("/households/offline").status_code == 302  # to the sign-in page
    learners_list = client.get("/offline/vi/precache.json").get_json()["urls"]
    assert not any("/static/js/staff/" in url for url in learners_list)
    assert any("/static/js/households-queue.js" in url for url in learners_list)  # sw.js's
    assert client.get("/offline/staff/precache.json").status_code == 302
    auth.as_user(people["ambassador_a"])
    shell = client.get("/households/offline").get_data(as_text=True)
    for form in ("household_created", "visit_logged", "member_added", "household_updated",
                 "member_updated", "learner_registered"):
        assert f'data-household-op="{form}"' in shell
    assert 'id="staff-waiting"' in shell and "js/staff/staff.js" in shell
    staff = client.get("/offline/staff/precache.json").get_json()
    assert staff["account"] == people["ambassador_a"].id
    assert staff["urls"][0] == "/households/offline"
    assert any(url.startswith("/static/js/staff/staff.js?v=") for url in staff["urls"])


def test_the_offline_shell_draws_each_view_once_under_a_plain_title(people, client, auth):  # noqa: F811
    auth.as_user(people["ambassador_a"])
    shell = client.get("/households/offline").get_data(as_text=True)
    assert "<title>Hộ gia đình · " in shell and "<template" not in shell.split("</title>")[0]
    for once in ('id="shell-changes"', 'id="shell-household"', 'id="log-visit"',
                 'id="household-outbox"', 'id="ward-freshness"', 'data-slot="members-none"'):
        assert shell.count(once) == 1, once
    # the household template carries the hooks shell.js fills, but names no household
    household = shell.split('id="shell-household"')[1].split("</template>")[0]
    for hook in ("address", "name", "badges", "consent", "members", "visits", "history"):
        assert f'data-slot="{hook}"' in household, hook
    assert "data-household-page" not in household


# --- a learner registered on the phone (the learner_registered op) -----------------------------

from werkzeug.security import check_password_hash  # noqa: E402

from hue_literacy.accounts.models import User  # noqa: E402
from tests.test_households_ops import an_op, send, setup, statuses  # noqa: E402, F401


def a_learner(**fields):
    payload = {"full_name": "Võ Thị Tám", "phone": "0905 111 222", "pin": "2580",
               "group": "elderly", "birth_date": "1950-03-04", "consent": True}
    payload.update(fields)
    return an_op("learner_registered", **payload)


def test_a_learner_registered_on_the_phone_is_stored_once_with_the_pin_hashed(
    app, setup, client, auth  # noqa: F811
):
    auth.as_user(setup["amb_a"])
    op = a_learner()
    answer = send(client, [op, op])
    results = answer.get_json()["results"]
    assert statuses(answer) == ["stored", "duplicate"]
    with app.app_context():
        learner = db.session.get(User, results[0]["learner_id"])
        assert learner.full_name == "Võ Thị Tám" and learner.phone == "0905111222"
        assert learner.ward_id == setup["amb_a"].ward_id
        assert learner.consent_by_id == setup["amb_a"].id and learner.consent_at is not None
        assert learner.secret_hash != "2580" and check_password_hash(learner.secret_hash, "2580")
    card = client.get(f"/learners/{results[0]['learner_id']}/card")
    assert card.status_code == 200


def test_a_learner_registration_with_bad_details_is_refused_with_the_reason(
    app, setup, client, auth  # noqa: F811
):
    auth.as_user(setup["amb_a"])
    client.post("/language", data={"lang": "en"})
    answer = send(client, [
        a_learner(phone="0905 11"), a_learner(pin="1111"), a_learner(consent=False),
        a_learner(group="astronaut"), a_learner(phone=setup["learner_a"].phone),
        a_learner(birth_date="1850-01-01"), a_learner(full_name=7),
    ])
    results = answer.get_json()["results"]
    assert [r["reason"] for r in results] == [
        "bad_phone", "bad_pin", "learner_consent_required", "bad_group", "phone_taken",
        "bad_birth_date", "bad_payload"]
    assert results[0]["message"].startswith("A mobile number has 10 digits")
    assert results[1]["message"].startswith("This PIN is too easy to guess")
    with app.app_context():
        assert db.session.query(User).filter(User.full_name == "Võ Thị Tám").count() == 0
