"""Households an official gives an ambassador to look after: the ambassador's own list (a
filter online and in the ward copy on the phone), not a wall; only the ward's officials (and
the city admin) choose, and only an ambassador of the household's ward."""
import pytest
from sqlalchemy import select

from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdChange
from tests.factories import AdminFactory, AmbassadorFactory, OfficialFactory, ward
from tests.test_households import make_household


@pytest.fixture
def ward_a(app):
    with app.app_context():
        made = {"hoa": AmbassadorFactory(ward=ward("PHUXUAN"), full_name="Lê Thị Hoa"),
                "nam": AmbassadorFactory(ward=ward("PHUXUAN"), full_name="Phan Văn Nam"),
                "official": OfficialFactory(ward=ward("PHUXUAN")),
                "other_official": OfficialFactory(ward=ward("THUANHOA")),
                "other_ambassador": AmbassadorFactory(ward=ward("THUANHOA")),
                "admin": AdminFactory()}
        db.session.flush()
        made["given"] = make_household(made["hoa"], "3 kiệt 8 Chi Lăng").id
        made["other"] = make_household(made["hoa"], "5 Lê Lợi").id
        db.session.commit()
        return made


def assigned(app, household_id):
    with app.app_context():
        return db.session.get(Household, household_id).assigned_to_id


def test_an_official_gives_a_household_to_an_ambassador_who_finds_it_in_their_own_list(
    app, ward_a, client, auth
):
    auth.as_user(ward_a["official"])
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/households/{ward_a['given']}").get_data(as_text=True)
    assert 'id="assign-household"' in page and "Phan Văn Nam" in page
    answer = client.post(f"/households/{ward_a['given']}/assign",
                         data={"ambassador": str(ward_a["nam"].id)}, follow_redirects=True)
    assert "Looked after by Phan Văn Nam." in answer.get_data(as_text=True)
    assert assigned(app, ward_a["given"]) == ward_a["nam"].id
    with app.app_context():
        change = db.session.scalar(select(HouseholdChange))
        assert (change.field, change.new_value, change.by_id) == (
            "assigned_to", "Phan Văn Nam", ward_a["official"].id)

    auth.as_user(ward_a["nam"])
    client.post("/language", data={"lang": "en"})
    mine = client.get("/households/?mine=1").get_data(as_text=True)
    assert "3 kiệt 8 Chi Lăng" in mine and "5 Lê Lợi" not in mine
    assert 'id="mine" name="mine" value="1" checked' in mine
    everything = client.get("/households/").get_data(as_text=True)
    assert "5 Lê Lợi" in everything and "I look after it" in everything  # not a wall
    copy = client.get("/api/v1/ward-households").get_json()
    assert {h["address"]: h["mine"] for h in copy["households"]} == {
        "3 kiệt 8 Chi Lăng": True, "5 Lê Lợi": False}
    # Another ambassador of the ward still sees and opens it, without the mark.
    auth.as_user(ward_a["hoa"])
    assert client.get(f"/households/{ward_a['given']}").status_code == 200
    assert [h["mine"] for h in client.get("/api/v1/ward-households").get_json()[
        "households"]] == [False, False]
    assert "3 kiệt 8 Chi Lăng" not in client.get("/households/?mine=1").get_data(as_text=True)

    auth.as_user(ward_a["official"])  # given back to nobody
    client.post(f"/households/{ward_a['given']}/assign", data={"ambassador": ""})
    assert assigned(app, ward_a["given"]) is None


def test_only_the_wards_officials_assign_and_only_to_an_ambassador_of_the_ward(
    app, ward_a, client, auth
):
    url = f"/households/{ward_a['given']}/assign"
    auth.as_user(ward_a["hoa"])  # an ambassador does not assign, not even to themself
    assert 'id="assign-household"' not in client.get(
        f"/households/{ward_a['given']}").get_data(as_text=True)
    assert client.post(url, data={"ambassador": str(ward_a["hoa"].id)}).status_code == 403
    auth.as_user(ward_a["other_official"])  # another ward's official
    assert client.post(url, data={"ambassador": str(ward_a["nam"].id)}).status_code == 403
    assert assigned(app, ward_a["given"]) is None

    auth.as_user(ward_a["official"])
    client.post("/language", data={"lang": "en"})
    for wrong in (ward_a["other_ambassador"].id, ward_a["official"].id, "99999", "x"):
        page = client.post(url, data={"ambassador": str(wrong)}, follow_redirects=True)
        assert "Please choose an ambassador of this household&#39;s ward." in page.get_data(
            as_text=True)
    assert assigned(app, ward_a["given"]) is None
    auth.as_user(ward_a["admin"])
    client.post(url, data={"ambassador": str(ward_a["hoa"].id)})
    assert assigned(app, ward_a["given"]) == ward_a["hoa"].id
