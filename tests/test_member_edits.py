"""Editing a household member (the member_updated op and the member's "Edit" form): stored
once with its history, two phones editing the same person answered with both values, bad
details refused with the reason, other wards kept apart."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.households.models import HouseholdChange, HouseholdMember
from tests.factories import AmbassadorFactory, LearnerFactory, OfficialFactory, ward
from tests.test_households import make_household

URL = "/api/v1/household-ops"


@pytest.fixture
def home(app):
    """A household of Phú Xuân with one member (Hồ Thị Lan), its staff and a neighbour ward's."""
    with app.app_context():
        made = {"amb": AmbassadorFactory(ward=ward("PHUXUAN")),
                "amb2": AmbassadorFactory(ward=ward("PHUXUAN")),
                "official": OfficialFactory(ward=ward("PHUXUAN")),
                "other_ward": AmbassadorFactory(ward=ward("THUANHOA")),
                "learner": LearnerFactory(ward=ward("PHUXUAN"), phone="0905111222")}
        db.session.flush()
        household = make_household(made["amb"], "5 kiệt 12 Chi Lăng", None, [
            {"full_name": "Hồ Thị Lan", "role": "head", "phone": "0905 222 333"}])
        db.session.commit()
        made["household"], made["member"] = household.id, household.members[0].id
        return made


def an_edit(home, fields, was=None, minutes_ago=5, member=None):
    base = {"full_name": "Hồ Thị Lan", "role": "head", "phone": "0905222333"}
    return {"id": str(uuid.uuid4()), "type": "member_updated", "household": home["household"],
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(),
            "payload": {"member": member or home["member"], "fields": fields,
                        "was": was if was is not None else {name: base[name] for name in fields}}}


def send(client, *ops):
    return client.post(URL, json={"ops": list(ops)}).get_json()["results"]


def the_member(app, home):
    with app.app_context():
        member = db.session.get(HouseholdMember, home["member"])
        return member.full_name, member.role, member.phone, member.learner_id


def history(app, home):
    with app.app_context():
        return [(c.field, c.old_value, c.new_value, c.applied) for c in db.session.scalars(
            select(HouseholdChange).where(HouseholdChange.member_id == home["member"])
            .order_by(HouseholdChange.id))]


def test_an_edited_member_is_stored_once_with_history_and_no_phone_numbers_kept(
    app, home, client, auth
):
    auth.as_user(home["amb"])
    op = an_edit(home, {"full_name": "Hồ Thị Lan Anh", "role": "grandparent",
                        "phone": "0905 111 222"})
    (first,) = send(client, op)
    assert first["status"] == "stored" and "not_applied" not in first
    assert send(client, op)[0]["status"] == "duplicate"
    # the new number is a learner's of the ward: the member is linked to their account
    assert the_member(app, home) == ("Hồ Thị Lan Anh", "grandparent", "0905111222",
                                     home["learner"].id)
    assert history(app, home) == [("full_name", "Hồ Thị Lan", "Hồ Thị Lan Anh", True),
                                  ("role", "head", "grandparent", True),
                                  ("phone", None, None, True)]
    page = client.get(f"/households/{home['household']}").get_data(as_text=True)
    assert "Hồ Thị Lan → Hồ Thị Lan Anh" in page
    assert "0905 222 333" not in page  # the old number is gone, also from the history
    found = client.get("/households/?q=lan+anh").get_data(as_text=True)
    assert "5 kiệt 12 Chi Lăng" in found  # the search knows the new name


def test_two_phones_editing_the_same_member_the_second_is_not_applied_with_both_values(
    app, home, client, auth
):
    auth.as_user(home["amb"])
    assert send(client, an_edit(home, {"full_name": "Hồ Thị Lan Chi"}, minutes_ago=30))[0][
        "status"] == "stored"
    auth.as_user(home["amb2"])  # edited later, offline, from the same old name
    (second,) = send(client, an_edit(home, {"full_name": "Hồ Thị Lành"}, minutes_ago=1))
    assert second["status"] == "stored"
    assert second["not_applied"] == ["full_name"]
    assert second["kept"] == {"full_name": "Hồ Thị Lan Chi"}
    assert the_member(app, home)[0] == "Hồ Thị Lan Chi"
    assert history(app, home) == [("full_name", "Hồ Thị Lan", "Hồ Thị Lan Chi", True),
                                  ("full_name", "Hồ Thị Lan Chi", "Hồ Thị Lành", False)]
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/households/{home['household']}").get_data(as_text=True)
    assert "not applied: another phone changed it first" in page
    # "use my change": sent again with the kept value as the base, it is applied
    (again,) = send(client, an_edit(home, {"full_name": "Hồ Thị Lành"},
                                    was={"full_name": "Hồ Thị Lan Chi"}, minutes_ago=0))
    assert "not_applied" not in again and the_member(app, home)[0] == "Hồ Thị Lành"


def test_a_member_edit_with_bad_details_is_refused_with_the_reason_and_changes_nothing(
    app, home, client, auth
):
    auth.as_user(home["amb"])
    client.post("/language", data={"lang": "en"})
    results = send(
        client,
        an_edit(home, {"phone": "0905 22"}),
        an_edit(home, {"full_name": "   "}),
        an_edit(home, {"role": "boss"}),
        an_edit(home, {"full_name": "Hồ Lan"}, was={}),
        an_edit(home, {}),
        an_edit(home, {"full_name": "Hồ Lan"}, member=999999),
    )
    assert [(r["status"], r["reason"]) for r in results] == [
        ("refused", "bad_phone"), ("refused", "bad_name"), ("refused", "bad_role"),
        ("refused", "bad_payload"), ("refused", "no_fields"), ("refused", "unknown_member")]
    assert "phone" in results[0]["message"].lower() or "number" in results[0]["message"].lower()
    assert the_member(app, home)[:3] == ("Hồ Thị Lan", "head", "0905222333")
    assert history(app, home) == []


def test_staff_of_another_ward_cannot_edit_a_member(app, home, client, auth):
    auth.as_user(home["other_ward"])
    (result,) = send(client, an_edit(home, {"full_name": "Người lạ"}))
    assert (result["status"], result["reason"]) == ("refused", "other_ward")
    url = f"/households/{home['household']}/members/{home['member']}/edit"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"full_name": "Người lạ"}).status_code == 403
    assert the_member(app, home)[0] == "Hồ Thị Lan"


def test_the_members_edit_form_works_without_javascript(app, home, client, auth):
    auth.as_user(home["official"])
    page = client.get(f"/households/{home['household']}").get_data(as_text=True)
    assert 'data-household-op="member_updated"' in page
    assert f'id="member-{home["member"]}-full_name"' in page
    url = f"/households/{home['household']}/members/{home['member']}/edit"
    form = {"op_id": str(uuid.uuid4()), "member": str(home["member"]),
            "was_full_name": "Hồ Thị Lan", "was_role": "head", "was_phone": "0905222333",
            "full_name": "Hồ Thị Lan", "role": "head", "phone": "0912 34"}
    refused = client.post(url, data=form)
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    answer = client.post(url, data={**form, "phone": "0912 999 888"})
    assert answer.status_code == 302
    assert the_member(app, home)[2] == "0912999888"
    assert history(app, home) == [("phone", None, None, True)]
