"""Roles and wards are enforced on the server: denials are tested as well as grants."""
import pytest

from hue_literacy.extensions import db
from tests.factories import (
    AdminFactory,
    AmbassadorFactory,
    LearnerFactory,
    OfficialFactory,
    ward,
)


@pytest.fixture
def people(app):
    """A learner in Phú Xuân and in Thuận Hóa, with an ambassador and an official of each."""
    with app.app_context():
        made = {
            "learner_a": LearnerFactory(ward=ward("PHUXUAN")),
            "learner_b": LearnerFactory(ward=ward("THUANHOA")),
            "ambassador_a": AmbassadorFactory(ward=ward("PHUXUAN")),
            "ambassador_b": AmbassadorFactory(ward=ward("THUANHOA")),
            "official_a": OfficialFactory(ward=ward("PHUXUAN")),
            "admin": AdminFactory(),
        }
        db.session.commit()
        return {name: person for name, person in made.items()}


STAFF_PAGES = ["/learners/{id}", "/learners/{id}/card", "/learners/{id}/data.json",
               "/learners/{id}/delete"]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_ambassador_cannot_open_a_learner_of_another_ward(people, client, auth, page):
    auth.as_user(people["ambassador_a"])
    assert client.get(page.format(id=people["learner_b"].id)).status_code == 403


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_ambassador_opens_learners_of_their_own_ward(people, client, auth, page):
    auth.as_user(people["ambassador_a"])
    assert client.get(page.format(id=people["learner_a"].id)).status_code == 200


def test_ambassador_cannot_edit_or_delete_another_wards_learner(people, client, auth):
    auth.as_user(people["ambassador_b"])
    target = people["learner_a"].id
    edit = client.post(f"/learners/{target}", data={"full_name": "Hacked", "phone": "0912000000",
                                                      "group": "elderly"})
    delete = client.post(f"/learners/{target}/delete", data={"confirm": "yes"})
    assert edit.status_code == 403 and delete.status_code == 403
    auth.as_user(people["ambassador_a"])
    assert people["learner_a"].full_name in client.get(f"/learners/{target}").get_data(True)


def test_learner_list_shows_only_the_own_ward(people, client, auth):
    auth.as_user(people["official_a"])
    page = client.get("/learners/").get_data(as_text=True)
    assert people["learner_a"].full_name in page
    assert people["learner_b"].full_name not in page


def test_city_admin_sees_every_ward(people, client, auth):
    auth.as_user(people["admin"])
    page = client.get("/learners/").get_data(as_text=True)
    assert people["learner_a"].full_name in page and people["learner_b"].full_name in page
    assert client.get(f"/learners/{people['learner_b'].id}").status_code == 200


def test_learners_cannot_open_staff_pages(people, client, auth):
    auth.as_user(people["learner_a"])
    assert client.get("/learners/").status_code == 403
    assert client.get(f"/learners/{people['learner_a'].id}").status_code == 403
    assert client.get("/learners/new").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(people, client):
    response = client.get("/learners/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_staff_cannot_open_other_staff_accounts_as_learners(people, client, auth):
    auth.as_user(people["ambassador_a"])
    assert client.get(f"/learners/{people['official_a'].id}").status_code == 404
