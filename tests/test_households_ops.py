"""The household ops API: each op applied once, bad ops refused alone, wards kept apart,
conflicting offline edits resolved by time with the other edit kept in the history."""
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdChange, HouseholdMember, Visit
from tests.factories import AdminFactory, AmbassadorFactory, LearnerFactory, ward
from tests.test_households import count, make_household

URL = "/api/v1/household-ops"


def an_op(type_, household=None, minutes_ago=5, **payload):
    op = {"id": str(uuid.uuid4()), "type": type_,
          "occurred_at": (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(),
          "payload": payload}
    if household is not None:
        op["household"] = household
    return op


def a_visit(household, **fields):
    payload = {"visited_on": date.today().isoformat(), "competencies": ["QR-1"], "notes": ""}
    payload.update(fields)
    return an_op("visit_logged", household, **payload)


def a_household(address="5 kiệt 12 Chi Lăng", **fields):
    payload = {"address": address, "name": None, "consent": True,
               "members": [{"full_name": "Hồ Thị Lan", "role": "head", "phone": "0905 222 333"}]}
    payload.update(fields)
    return an_op("household_created", **payload)


def send(client, ops, **kwargs):
    return client.post(URL, json={"ops": ops}, **kwargs)


def statuses(answer) -> list[str]:
    return [result["status"] for result in answer.get_json()["results"]]


@pytest.fixture
def setup(app):
    with app.app_context():
        made = {
            "amb_a": AmbassadorFactory(ward=ward("PHUXUAN")),
            "amb_a2": AmbassadorFactory(ward=ward("PHUXUAN")),
            "amb_b": AmbassadorFactory(ward=ward("THUANHOA")),
            "admin": AdminFactory(),
            "learner_a": LearnerFactory(ward=ward("PHUXUAN")),
        }
        db.session.flush()
        made["home_a"] = make_household(made["amb_a"], "1 Lê Lợi")
        made["home_b"] = make_household(made["amb_b"], "2 Phan Bội Châu", members=[
            {"full_name": "Phan Văn Khải", "role": "head", "phone": None}])
        db.session.commit()
        return made


@pytest.fixture
def as_a(setup, client, auth):
    auth.as_user(setup["amb_a"])
    client.post("/language", data={"lang": "en"})
    return client


def test_each_kind_of_op_is_stored(app, setup, as_a):
    created = a_household()
    ops = [
        created,
        an_op("member_added", created["id"], full_name="Hồ Văn Nam", role="child",
              phone="+84 905 444 555"),
        a_visit(created["id"], competencies=["QR-1", "SAFE-1"], notes="Tập quét mã"),
        an_op("household_updated", setup["home_a"].id, fields={"name": "Nhà bác Lan"}),
    ]
    answer = send(as_a, ops).get_json()
    assert [r["status"] for r in answer["results"]] == ["stored"] * 4
    assert answer["stored"] == 4 and answer["refused"] == 0
    with app.app_context():
        new = db.session.scalar(select(Household).where(Household.client_id == created["id"]))
        assert answer["results"][0]["household_id"] == new.id
        assert new.consent_by_id == setup["amb_a"].id and new.ward.code == "PHUXUAN"
        assert sorted(m.phone for m in new.members) == ["0905222333", "0905444555"]
        visit = db.session.scalar(select(Visit))
        assert visit.household_id == new.id and visit.competency_ids == ["QR-1", "SAFE-1"]
        assert new.last_visit_on == date.today()
        assert db.session.get(Household, setup["home_a"].id).name == "Nhà bác Lan"


def test_the_same_ops_sent_twice_are_stored_once(app, setup, as_a):
    ops = [a_household(), a_visit(setup["home_a"].id),
           an_op("member_added", setup["home_a"].id, full_name="Lê Văn Ba", role="other")]
    assert statuses(send(as_a, ops)) == ["stored"] * 3
    again = send(as_a, ops).get_json()
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 3
    assert again["stored"] == 0 and again["duplicates"] == 3
    # Also inside one batch.
    visit = a_visit(setup["home_a"].id)
    assert statuses(send(as_a, [visit, visit])) == ["stored", "duplicate"]
    with app.app_context():
        assert count(Household) == 3 and count(Visit) == 2
        assert count(HouseholdMember, HouseholdMember.household_id == setup["home_a"].id) == 1


def test_malformed_ops_are_refused_one_by_one_and_valid_ones_stored(app, setup, as_a):
    home = setup["home_a"].id
    good = [a_visit(home), a_visit(home)]
    bad = [
        ("not an op", "not_an_object"),
        ({**a_visit(home), "id": "not-a-uuid"}, "bad_id"),
        ({**a_visit(home), "type": "household_deleted"}, "unknown_type"),
        ({**a_visit(home), "occurred_at": "yesterday"}, "bad_time"),
        ({**a_visit(home), "payload": "visit"}, "bad_payload"),
        (a_visit(987654), "unknown_household"),
        (a_visit(home, competencies=["FLY-1"]), "unknown_competency"),
        (a_visit(home, visited_on="2019-12-31"), "bad_date"),
        (a_visit(home, notes="x" * 2001), "notes_too_long"),
        (an_op("member_added", home, full_name="Lê Văn Ba", role="child", phone="12345"),
         "bad_phone"),
        (an_op("member_added", home, full_name="Lê Văn Ba", role="boss"), "bad_role"),
        (an_op("member_added", home, full_name=" ", role="child"), "bad_name"),
        (a_household(consent=False), "consent_required"),
        (a_household(address="12"), "bad_address"),
        (a_household(address="1 lê  lợi"), "duplicate_household"),
        (an_op("household_updated", home, fields={"colour": "red"}), "bad_payload"),
        (an_op("household_updated", home, fields={}), "no_fields"),
    ]
    answer = send(as_a, [good[0], *(op for op, _ in bad), good[1]]).get_json()
    results = answer["results"]
    assert results[0]["status"] == "stored" and results[-1]["status"] == "stored"
    assert [r["reason"] for r in results[1:-1]] == [reason for _, reason in bad]
    assert all(r["status"] == "refused" and r["message"] for r in results[1:-1])
    phone = next(r for r in results if r.get("reason") == "bad_phone")
    assert phone["message"].startswith("A mobile number has 10 digits")
    with app.app_context():
        assert count(Visit) == 2 and count(Household) == 2


def test_ops_on_another_wards_household_are_refused(app, setup, as_a):
    other = setup["home_b"].id
    with app.app_context():
        other_ward = ward("THUANHOA").id
    ops = [a_visit(other),
           an_op("member_added", other, full_name="Kẻ Lạ", role="other"),
           an_op("household_updated", other, fields={"address": "9 Lê Lợi"}),
           a_household(ward_id=other_ward)]
    answer = send(as_a, ops).get_json()
    assert [r["reason"] for r in answer["results"]] == ["other_ward"] * 4
    with app.app_context():
        assert count(Visit) == 0
        assert db.session.get(Household, other).address == "2 Phan Bội Châu"
        assert count(Household, Household.ward_id == other_ward) == 1


def test_unknown_ward_is_refused_and_the_admin_names_the_ward(app, setup, client, auth):
    auth.as_user(setup["admin"])
    client.post("/language", data={"lang": "en"})
    answer = send(client, [a_household(), a_household(ward_id=99999),
                           a_household(ward_id="PHUXUAN")]).get_json()
    assert [r["reason"] for r in answer["results"]] == ["unknown_ward"] * 3
    assert answer["results"][0]["message"] == "There is no such ward."
    with app.app_context():
        kimlong = ward("KIMLONG").id
    assert statuses(send(client, [a_household(ward_id=kimlong)])) == ["stored"]


def test_a_member_linked_to_another_wards_learner_is_refused(app, setup, as_a):
    with app.app_context():
        stranger = LearnerFactory(ward=ward("THUANHOA"))
        db.session.commit()
    ops = [an_op("member_added", setup["home_a"].id, full_name="Lê Văn Ba", role="child",
                 learner_id=stranger.id),
           an_op("member_added", setup["home_a"].id, full_name="Lê Văn Ba", role="child",
                 learner_id=setup["learner_a"].id)]
    answer = send(as_a, ops).get_json()
    assert answer["results"][0]["reason"] == "other_ward"
    assert answer["results"][1]["status"] == "stored"


def test_an_op_id_used_by_another_ambassador_is_refused(app, setup, client, auth, as_a):
    visit = a_visit(setup["home_a"].id)
    send(as_a, [visit])
    auth.as_user(setup["amb_a2"])
    assert send(client, [visit]).get_json()["results"][0]["reason"] == "id_conflict"


def test_two_ambassadors_offline_both_visits_are_kept(app, setup, client, auth):
    home = setup["home_a"].id
    auth.as_user(setup["amb_a"])
    send(client, [a_visit(home, notes="Buổi sáng")])
    auth.as_user(setup["amb_a2"])
    send(client, [a_visit(home, notes="Buổi chiều")])
    with app.app_context():
        visits = db.session.scalars(select(Visit).order_by(Visit.id)).all()
        assert [v.notes for v in visits] == ["Buổi sáng", "Buổi chiều"]
        assert {v.ambassador_id for v in visits} == {setup["amb_a"].id, setup["amb_a2"].id}


def edit(client, household, minutes_ago, **fields):
    return send(client, [an_op("household_updated", household, minutes_ago, fields=fields)])


def history(app, household_id):
    with app.app_context():
        return [(c.new_value, c.applied, c.by_id) for c in db.session.scalars(
            select(HouseholdChange).where(HouseholdChange.household_id == household_id)
            .order_by(HouseholdChange.id))]


def test_a_newer_edit_arriving_last_wins_and_the_older_stays_in_history(app, setup, client,
                                                                        auth):
    home, a, a2 = setup["home_a"].id, setup["amb_a"], setup["amb_a2"]
    auth.as_user(a)
    edit(client, home, 30, address="1A Lê Lợi")
    auth.as_user(a2)
    answer = edit(client, home, 10, address="1B Lê Lợi").get_json()
    assert answer["results"][0]["status"] == "stored"
    assert "not_applied" not in answer["results"][0]
    with app.app_context():
        assert db.session.get(Household, home).address == "1B Lê Lợi"
    assert history(app, home) == [("1A Lê Lợi", True, a.id), ("1B Lê Lợi", True, a2.id)]


def test_an_older_edit_arriving_after_a_newer_one_is_recorded_as_not_applied(app, setup, client,
                                                                             auth):
    home, a, a2 = setup["home_a"].id, setup["amb_a"], setup["amb_a2"]
    auth.as_user(a2)
    edit(client, home, 10, address="1B Lê Lợi", name="Nhà họ Lê")
    auth.as_user(a)
    answer = edit(client, home, 30, address="1A Lê Lợi").get_json()
    assert answer["results"][0]["status"] == "stored"
    assert answer["results"][0]["not_applied"] == ["address"]
    with app.app_context():
        household = db.session.get(Household, home)
        assert household.address == "1B Lê Lợi" and household.name == "Nhà họ Lê"
    assert history(app, home) == [("1B Lê Lợi", True, a2.id), ("Nhà họ Lê", True, a2.id),
                                  ("1A Lê Lợi", False, a.id)]
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/households/{home}").get_data(as_text=True)
    assert "not applied: a later change was kept" in page


def test_only_the_conflicting_field_loses(app, setup, client, auth):
    home = setup["home_a"].id
    auth.as_user(setup["amb_a2"])
    edit(client, home, 10, name="Nhà họ Lê")
    auth.as_user(setup["amb_a"])
    answer = edit(client, home, 30, address="1A Lê Lợi", name="Nhà bà Tư").get_json()
    assert answer["results"][0]["not_applied"] == ["name"]
    with app.app_context():
        household = db.session.get(Household, home)
        assert (household.address, household.name) == ("1A Lê Lợi", "Nhà họ Lê")


def test_an_offline_edit_older_than_an_online_one_does_not_undo_it(app, setup, client, auth):
    home = setup["home_a"].id
    auth.as_user(setup["amb_a2"])
    client.post(f"/households/{home}/edit", data={
        "address": "1C Lê Lợi", "name": "", "was_address": "1 Lê Lợi", "was_name": ""})
    auth.as_user(setup["amb_a"])
    edit(client, home, 60, address="1A Lê Lợi")
    with app.app_context():
        assert db.session.get(Household, home).address == "1C Lê Lợi"


def test_the_api_is_for_signed_in_staff_with_json_from_this_site(app, setup, client, auth):
    assert send(client, [a_visit(setup["home_a"].id)]).status_code == 401
    auth.as_user(setup["learner_a"])
    assert send(client, [a_visit(setup["home_a"].id)]).status_code == 403
    auth.as_user(setup["amb_a"])
    assert client.post(URL, data="ops=1").status_code == 415
    assert client.post(URL, data="{", content_type="application/json").status_code == 400
    assert client.post(URL, json={"events": []}).get_json()["error"] == "ops_missing"
    assert send(client, [], headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post(URL, json={"ops": [{}] * 201}).status_code == 413
    with app.app_context():
        assert count(Visit) == 0


def test_refusals_are_explained_in_vietnamese(app, setup, client, auth):
    auth.as_user(setup["amb_a"])
    answer = send(client, [an_op("member_added", setup["home_a"].id, full_name="Lê Văn Ba",
                                 role="child", phone="12345")]).get_json()
    assert answer["results"][0]["message"].startswith("Số di động có 10 chữ số")


values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
PAYLOAD_KEYS = ["address", "name", "consent", "members", "ward_id", "full_name", "role",
                "phone", "learner_id", "visited_on", "competencies", "notes", "fields"]
garbage = st.one_of(
    values,
    st.dictionaries(st.sampled_from(["id", "type", "payload", "household", "occurred_at"]),
                    values, max_size=5),
    st.builds(
        lambda kind, household, payload: {**an_op(kind, household), "payload": payload},
        st.sampled_from(["household_created", "household_updated", "member_added",
                         "visit_logged"]),
        st.one_of(values, st.just(1)),
        st.dictionaries(st.sampled_from(PAYLOAD_KEYS), values, max_size=5),
    ),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_batches_never_lose_or_duplicate_a_visit(app, setup, client, auth, data):
    auth.as_user(setup["amb_a"])
    home = setup["home_a"].id
    with app.app_context():
        before = count(Visit)
    visits = [a_visit(home) for _ in range(data.draw(st.integers(1, 4)))]
    ops = data.draw(st.lists(st.one_of(st.sampled_from(visits), garbage), max_size=12))
    ops += visits  # every visit at least once
    answer = send(client, data.draw(st.permutations(ops))).get_json()
    assert len(answer["results"]) == len(ops)
    with app.app_context():
        assert count(Visit) == before + len(visits)


def test_answers_match_the_openapi_document(setup, as_a):
    from pathlib import Path

    import jsonschema
    import yaml

    from hue_literacy.households.services import REASONS

    spec = yaml.safe_load((Path(__file__).parent.parent / "docs" / "openapi.yaml").read_text())

    def validate(instance, name):
        jsonschema.validate(instance, {"$ref": f"#/components/schemas/{name}",
                                       "components": spec["components"]})

    home = setup["home_a"].id
    ops = [a_visit(home), an_op("household_updated", home, 600, fields={"name": "Nhà A"}),
           a_household(consent=False)]
    validate({"ops": ops}, "HouseholdOpsBatch")
    validate(send(as_a, ops).get_json(), "HouseholdOpsResult")
    validate(send(as_a, ["x", {"id": 1}]).get_json(), "HouseholdOpsResult")
    result_schema = spec["components"]["schemas"]["HouseholdOpsResult"]
    reasons = result_schema["properties"]["results"]["items"]["properties"]["reason"]["enum"]
    assert set(reasons) == set(REASONS)


def test_a_form_and_the_ops_api_take_one_path_so_one_op_id_is_saved_once(app, setup, as_a):
    """The page's form is turned into the op the phone would queue; the same id sent again by
    the API (the offline queue replaying it) is a duplicate, and nothing is stored twice."""
    op_id = str(uuid.uuid4())
    page = as_a.post(f"/households/{setup['home_a'].id}/visits/new", data={
        "op_id": op_id, "visited_on": date.today().isoformat(), "competencies": ["QR-1"],
        "notes": "Đã tập quét mã",
    }, follow_redirects=True)
    assert "The visit is saved." in page.get_data(as_text=True)
    replay = a_visit(setup["home_a"].id, notes="Đã tập quét mã")
    replay["id"] = op_id
    assert statuses(send(as_a, [replay])) == ["duplicate"]
    with app.app_context():
        assert count(Visit, Visit.household_id == setup["home_a"].id) == 1


def test_a_form_refused_by_the_ops_rules_shows_the_reason_beside_the_field(app, setup, as_a):
    page = as_a.post(f"/households/{setup['home_a'].id}/visits/new", data={
        "op_id": str(uuid.uuid4()), "visited_on": "2024-12-31", "competencies": ["QR-1"],
        "notes": "",
    }).get_data(as_text=True)
    assert "The date of the visit is not valid." in page
    with app.app_context():
        assert count(Visit, Visit.household_id == setup["home_a"].id) == 0
