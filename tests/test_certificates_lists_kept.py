"""The certificates page's lists once the dashboards' running totals are built (`flask dashboard
rebuild`, run by `make run` and after an upgrade): who completed every lesson of a profile is
counted from the kept lessons done, and must be who counting the events finds."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from hue_literacy.certificates.overview import sorted_ids
from hue_literacy.content.access import release
from hue_literacy.dashboard import tallies
from hue_literacy.dashboard.models import TallyBuild
from hue_literacy.extensions import db
from tests.factories import LearnerFactory, ward
from tests.progress_helpers import master_lesson
from tests.test_certificates import english, make_people
from tests.test_certificates_review import section
from tests.test_dashboard_totals import HUE, completions, phone_of, sync


@pytest.fixture
def people(app):
    return make_people(app)


def profile_lessons_of(learner) -> list:
    content = release()
    profile = content.framework.profile_for_group(learner.group)
    return list({lesson.id: lesson for comp in profile.competency_ids
                 for lesson in content.competency_lessons("vi", comp)}.values())


def lists_both_ways(ward_id: int) -> tuple[dict, dict]:
    """The lists from the kept lessons done, then counted from the events."""
    kept = sorted_ids(ward_id, release())
    db.session.execute(delete(TallyBuild))
    live = sorted_ids(ward_id, release())
    db.session.rollback()
    return kept, live


def test_a_lesson_completed_through_the_sync_after_a_rebuild_moves_the_learner(
        app, client, auth, people):
    with app.app_context():
        learner = LearnerFactory(ward=ward("PHUXUAN"), full_name="Hồ Thị Mười")
        other = LearnerFactory(ward=ward("PHUXUAN"), full_name="Lê Văn Một")
        lessons = profile_lessons_of(learner)
        for lesson in lessons[:-1]:
            master_lesson(learner, lesson)
        for lesson in lessons[:2]:
            master_lesson(other, lesson)
        db.session.commit()
        tallies.rebuild(release(), HUE)
        db.session.commit()
        learner_id, ward_id = learner.id, learner.ward_id
        kept, live = lists_both_ways(ward_id)
        assert kept == live
        assert learner_id not in [item[0] for item in kept["assess"]]  # one lesson to go
    auth.as_user(people["official_a"])
    english(client)
    assert "Hồ Thị Mười" not in section(client.get("/certificates/").get_data(as_text=True),
                                        "assess", "issued")
    with app.app_context():
        last = completions([lessons[-1].id], datetime.now(UTC))
    sync(phone_of(app, learner_id), last)
    page = client.get("/certificates/").get_data(as_text=True)
    assert "Hồ Thị Mười" in section(page, "assess", "issued")
    assert "Lê Văn Một" not in page
    with app.app_context():
        kept, live = lists_both_ways(ward_id)
        assert kept == live
        assert learner_id in [item[0] for item in kept["assess"]]
