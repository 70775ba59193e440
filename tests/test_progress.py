"""The "My progress" page, the progress API, staff access and stuck learners."""
from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hue_literacy.accounts.models import User
from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.progress import services
from tests.factories import AmbassadorFactory, LearnerFactory, OfficialFactory, ward
from tests.progress_helpers import event, master_lesson, right_answer, wrong_answers


def qr1_lessons() -> list[str]:
    """Every lesson training QR-1 (mastery needs them all); call inside an app context."""
    return [lesson.id for lesson in release().competency_lessons("vi", "QR-1")]


def english(client) -> None:
    client.post("/language", data={"lang": "en"})


def lessons_total(app) -> int:
    """How many lessons a language has: the content grows, the tests follow it."""
    with app.app_context():
        return len(release().in_lang("vi"))


def qr1_count(app) -> int:
    with app.app_context():
        return len(qr1_lessons())


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Nguyễn Thị Hạnh", group="elderly")
        db.session.commit()
        return person


def first_path_lesson_not_in(app, done: list[str], group: str = "elderly") -> str:
    with app.app_context():
        return next(lesson_id for lesson_id in release().framework.path(group)
                    if lesson_id not in done)


def master_qr1(app, learner) -> None:
    with app.app_context():
        for lesson_id in qr1_lessons():
            master_lesson(learner, release().lesson("vi", lesson_id))
        db.session.commit()


# --- the page ------------------------------------------------------------------------------


def test_progress_page_shows_lessons_skills_next_lesson_and_weekly_goal(app, client, auth,
                                                                         learner):
    master_qr1(app, learner)
    auth.as_user(learner)
    english(client)
    page = client.get("/progress/").get_data(as_text=True)
    assert "My progress" in page
    assert f"{qr1_count(app)} of {lessons_total(app)} lessons" in page
    assert "1 of 2 mastered" in page  # QR codes: QR-1 of QR-1, QR-2
    assert f"{qr1_count(app)} lessons done this week" in page
    assert "The goal of 2 lessons a week is reached" in page
    # The elderly path, safety first: its first lesson not done yet comes next.
    with app.app_context():
        upcoming = first_path_lesson_not_in(app, qr1_lessons())
        title = release().lesson("en", upcoming).title
    assert f'href="/learn/en/{upcoming}"' in page
    assert f"Start: {title}" in page
    assert "sprite.svg" in page and "#shield" in page


def test_a_new_learner_is_sent_to_the_first_lesson_of_their_group(app, client, auth, learner):
    auth.as_user(learner)
    english(client)
    page = client.get("/progress/").get_data(as_text=True)
    assert f"0 of {lessons_total(app)} lessons" in page
    with app.app_context():
        assert f'href="/learn/en/{release().framework.path("elderly")[0]}"' in page
    assert "A gentle goal: 2 lessons a week" in page


def test_progress_page_speaks_vietnamese(app, client, auth, learner):
    """Checks translated text: passes once the lead merges translations/pending."""
    master_qr1(app, learner)
    auth.as_user(learner)
    page = client.get("/progress/").get_data(as_text=True)
    assert "Tiến độ của tôi" in page
    assert f"{qr1_count(app)} trên {lessons_total(app)} bài" in page
    with app.app_context():
        assert f'href="/learn/vi/{first_path_lesson_not_in(app, qr1_lessons())}"' in page


def test_learner_home_links_to_my_progress(client, auth, learner):
    auth.as_user(learner)
    assert 'href="/progress/"' in client.get("/").get_data(as_text=True)


def test_progress_page_is_for_learners(client, auth, app):
    with app.app_context():
        ambassador = AmbassadorFactory()
        db.session.commit()
    assert client.get("/progress/").status_code == 302  # signed out: to the sign-in page
    auth.as_user(ambassador)
    assert client.get("/progress/").status_code == 403


def test_staff_see_the_progress_of_learners_of_their_own_ward_only(app, client, auth, learner):
    with app.app_context():
        own = AmbassadorFactory(ward=ward("PHUXUAN"))
        other = OfficialFactory(ward=ward("THUANHOA"))
        neighbour = LearnerFactory(ward=ward("PHUXUAN"))
        db.session.commit()
    master_qr1(app, learner)
    english(client)
    auth.as_user(own)
    page = client.get(f"/progress/learner/{learner.id}")
    assert page.status_code == 200
    assert "Progress of Nguyễn Thị Hạnh" in page.get_data(as_text=True)
    auth.as_user(other)
    assert client.get(f"/progress/learner/{learner.id}").status_code == 403
    auth.as_user(neighbour)
    assert client.get(f"/progress/learner/{learner.id}").status_code == 403
    assert client.get(f"/progress/learner/{own.id}").status_code == 404  # not a learner


# --- the API -------------------------------------------------------------------------------


def test_api_answers_lessons_and_competencies(app, client, auth, learner):
    master_qr1(app, learner)
    with app.app_context():
        event(learner, "lesson_started", "pay-read-vietqr", datetime.now(UTC))
        db.session.commit()
    auth.as_user(learner)
    data = client.get("/api/v1/progress").get_json()
    with app.app_context():
        version = release().lesson("vi", "qr-ward-notice").version
    assert data["lessons"]["qr-ward-notice"] == {
        "completed": True, "version": version, "current_version": version, "passed": True,
        "needs_refresh": False, "half_done": False,
    }
    assert data["lessons"]["pay-read-vietqr"]["completed"] is False
    assert "safe-after-scam" not in data["lessons"]  # only lessons with progress
    assert data["competencies"]["QR-1"] == {"status": "mastered", "mastered": True}
    assert data["competencies"]["QR-2"]["status"] == "learning"
    assert data["competencies"]["GOV-1"]["status"] == "not_started"
    assert data["lessons_done"] == qr1_count(app)
    assert data["lessons_total"] == lessons_total(app)
    # Only opened (no step answered): not half-done, so the elderly path's next lesson leads.
    with app.app_context():
        upcoming = first_path_lesson_not_in(app, qr1_lessons())
    assert data["next_lesson"] == upcoming
    assert data["plan"][0] == {"lesson_id": upcoming, "reason": "new", "on_path": True}
    assert data["lessons"]["pay-read-vietqr"]["half_done"] is False
    assert data["titles"][upcoming] and data["lang"] == "vi"


def test_a_half_done_lesson_comes_first_in_the_api_and_on_the_home_page(app, client, auth,
                                                                      learner):
    with app.app_context():
        lesson = release().lesson("vi", "pay-read-vietqr")
        step = next(step for step in lesson.steps if step.practice)
        event(learner, "lesson_started", lesson.id, datetime.now(UTC) - timedelta(minutes=5))
        event(learner, "step_answered", lesson.id, datetime.now(UTC) - timedelta(minutes=4),
              step.id, correct=False)
        db.session.commit()
        title = lesson.title
    auth.as_user(learner)
    data = client.get("/api/v1/progress?lang=vi").get_json()
    assert data["plan"][0] == {"lesson_id": lesson.id, "reason": "continue", "on_path": True}
    assert data["lessons"][lesson.id]["half_done"] is True
    home = client.get("/").get_data(as_text=True)
    assert f"Tiếp tục: {title}" in home
    assert home.index("data-next-box") < home.index("<h1")  # above everything else
    assert f'href="/learn/vi/{lesson.id}"' in home


def test_api_answer_matches_the_openapi_description(app, client, auth, learner):
    from tests.test_openapi import validate

    master_qr1(app, learner)
    auth.as_user(learner)
    validate(client.get("/api/v1/progress").get_json(), "Progress")


def test_progress_is_in_the_learners_data_download(app, client, auth, learner):
    master_qr1(app, learner)
    auth.as_user(learner)
    data = client.get("/me/data.json").get_json(force=True)
    assert data["progress"]["lessons_done"] == qr1_count(app)
    assert data["progress"]["competencies"]["QR-1"]["mastered"]


def test_api_needs_a_signed_in_learner(app, client, auth):
    assert client.get("/api/v1/progress").status_code == 401
    with app.app_context():
        ambassador = AmbassadorFactory()
        db.session.commit()
    auth.as_user(ambassador)
    answer = client.get("/api/v1/progress")
    assert answer.status_code == 403 and answer.get_json() == {"error": "forbidden"}


def test_events_synced_from_a_phone_earn_mastery(app, client, auth, learner):
    auth.as_user(learner)
    now = datetime.now(UTC) - timedelta(minutes=30)
    batch = []
    with app.app_context():
        lessons = [release().lesson("vi", lesson_id) for lesson_id in qr1_lessons()]
    for lesson in lessons:
        for attempt in range(2):
            for index, step in enumerate(s for s in lesson.steps if s.practice):
                batch.append({
                    "id": str(uuid.uuid4()), "type": "step_answered", "lesson_id": lesson.id,
                    "lesson_version": lesson.version, "step_id": step.id, "correct": True,
                    "hint_used": False, "answer": right_answer(step),
                    "occurred_at": (now + timedelta(minutes=attempt * 5 + index)).isoformat(),
                })
        batch.append({"id": str(uuid.uuid4()), "type": "lesson_completed",
                      "lesson_id": lesson.id, "lesson_version": lesson.version,
                      "occurred_at": (now + timedelta(minutes=20)).isoformat()})
    assert client.post("/api/v1/events", json={"events": batch}).get_json()["refused"] == 0
    assert client.get("/api/v1/progress").get_json()["competencies"]["QR-1"]["mastered"]


def test_answers_only_flagged_correct_by_a_script_earn_no_mastery(app, client, auth, learner):
    """The phone's `correct` flag alone is not trusted: the server judges the answer."""
    auth.as_user(learner)
    now = datetime.now(UTC) - timedelta(minutes=30)
    batch = []
    with app.app_context():
        lessons = [release().lesson("vi", lesson_id) for lesson_id in qr1_lessons()]
    for lesson in lessons:
        for attempt in range(2):
            for index, step in enumerate(s for s in lesson.steps if s.practice):
                batch.append({
                    "id": str(uuid.uuid4()), "type": "step_answered", "lesson_id": lesson.id,
                    "lesson_version": lesson.version, "step_id": step.id, "correct": True,
                    "answer": {"option": "x", "element": "x", "order": [], "found": [],
                               "method": "typed", "code": "NOPE"},
                    "occurred_at": (now + timedelta(minutes=attempt * 5 + index)).isoformat(),
                })
        batch.append({"id": str(uuid.uuid4()), "type": "lesson_completed",
                      "lesson_id": lesson.id, "lesson_version": lesson.version,
                      "occurred_at": (now + timedelta(minutes=20)).isoformat()})
    assert client.post("/api/v1/events", json={"events": batch}).get_json()["refused"] == 0
    progress = client.get("/api/v1/progress").get_json()
    assert progress["competencies"]["QR-1"]["status"] == "learning"
    assert progress["lessons_done"] == len(lessons)  # completed, but not passed


def test_progress_of_many_learners_reads_events_once(app, learner):
    with app.test_request_context():
        other = LearnerFactory(group="trader")
        master_lesson(learner, release().lesson("vi", "qr-ward-notice"))
        db.session.commit()
        found = services.progress_of_many([learner, other], release(), datetime.now(UTC).date(),
                                          UTC)
        assert found[learner.id].lessons_done == 1 and found[other.id].lessons_done == 0
        assert found[other.id].profile_ids == release().framework.profile("trader").competency_ids


# --- stuck learners ------------------------------------------------------------------------


def test_three_wrong_answers_in_a_week_mean_stuck(app, learner):
    now = datetime.now(UTC)
    with app.app_context():
        wrong_answers(learner, "qr-zalo-scan", "find-qr", 3, now - timedelta(hours=2))
        wrong_answers(learner, "qr-zalo-scan", "zalo-steps", 2, now - timedelta(hours=2))
        db.session.commit()
        stuck = services.stuck_steps([learner.id], now=now)
    assert [(s.lesson_id, s.step_id, s.failures) for s in stuck[learner.id]] == [
        ("qr-zalo-scan", "find-qr", 3)
    ]


def test_a_right_answer_after_the_mistakes_ends_being_stuck(app, learner):
    now = datetime.now(UTC)
    with app.app_context():
        wrong_answers(learner, "qr-zalo-scan", "find-qr", 4, now - timedelta(hours=3))
        event(learner, "step_answered", "qr-zalo-scan", now - timedelta(hours=1), "find-qr",
              correct=True, hint=True)
        db.session.commit()
        assert services.stuck_steps([learner.id], now=now) == {}
        wrong_answers(learner, "qr-zalo-scan", "find-qr", 3, now - timedelta(minutes=30))
        db.session.commit()
        stuck = services.stuck_steps([learner.id], now=now)
    assert stuck[learner.id][0].failures == 3  # only the mistakes after the right answer


def test_mistakes_older_than_a_week_do_not_count(app, learner):
    now = datetime.now(UTC)
    with app.app_context():
        wrong_answers(learner, "qr-zalo-scan", "find-qr", 2, now - timedelta(days=8))
        wrong_answers(learner, "qr-zalo-scan", "find-qr", 2, now - timedelta(days=1))
        db.session.commit()
        assert services.stuck_steps([learner.id], now=now) == {}


def test_stuck_steps_of_many_learners_in_one_query(app, learner):
    now = datetime.now(UTC)
    with app.app_context():
        others = [LearnerFactory(), LearnerFactory(ward=ward("THUANHOA"))]
        wrong_answers(learner, "safe-after-scam", "spot", 5, now - timedelta(days=2))
        wrong_answers(others[1], "pay-check-name", "wrong-name", 3, now - timedelta(hours=5))
        db.session.commit()
        by_list = services.stuck_steps([learner.id, *(o.id for o in others)], now=now)
        in_ward = select(User.id).where(User.ward_id == ward("THUANHOA").id)
        by_query = services.stuck_steps(in_ward, now=now)
    assert set(by_list) == {learner.id, others[1].id}
    assert list(by_query) == [others[1].id]
    assert services.stuck_steps([], now=now) == {}


def test_stuck_steps_agree_with_each_learners_answers_read_in_order(app):
    """Many learners, steps and mixes of right and wrong answers (some older than the week):
    the one query finds exactly the steps whose recent mistakes since the last right answer
    reach three, with their count and the time of the last mistake."""
    rng = random.Random(16)
    now = datetime.now(UTC).replace(microsecond=0)
    steps = [("qr-zalo-scan", "find-qr"), ("qr-zalo-scan", "zalo-steps"),
             ("pay-check-name", "wrong-name")]
    expected = {}
    with app.app_context():
        learners = [LearnerFactory() for _ in range(12)]
        db.session.flush()
        for person in learners:
            for lesson_id, step_id in steps:
                answers = [(now - timedelta(days=rng.choice([0, 1, 3, 6, 9]),
                                            minutes=rng.randrange(600)), rng.random() < 0.3)
                           for _ in range(rng.randrange(7))]
                for at, correct in answers:
                    event(person, "step_answered", lesson_id, at, step_id, correct=correct)
                recent = sorted(a for a in answers if a[0] >= now - services.STUCK_WINDOW)
                last_right = max((at for at, correct in recent if correct), default=None)
                mistakes = [at for at, correct in recent
                            if not correct and (last_right is None or at > last_right)]
                if len(mistakes) >= services.STUCK_FAILURES:
                    expected.setdefault(person.id, set()).add(
                        (lesson_id, step_id, len(mistakes), max(mistakes)))
        db.session.commit()
        found = services.stuck_steps([person.id for person in learners], now=now)
    assert expected, "the mix has stuck learners"
    assert {learner_id: {(s.lesson_id, s.step_id, s.failures, s.last_at) for s in stuck}
            for learner_id, stuck in found.items()} == expected


def test_the_end_screen_has_the_plans_box_and_the_lessons_own_next_for_guests(app, client):
    with app.app_context():
        lesson = next(item for item in release().in_lang("vi").values() if item.next)
        following = release().lesson("vi", lesson.next)
    page = client.get(f"/learn/vi/{lesson.id}").get_data(as_text=True)
    end = page[page.index('data-step="_end"'):]
    # The learner's plan fills the box (next.js); a guest keeps the lesson's own next lesson.
    assert 'data-next-box' in end and 'data-state="waiting"' in end
    assert f'data-next-fallback href="/learn/vi/{following.id}"' in end
    assert following.title in end
