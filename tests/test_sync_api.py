"""The sync API stores each valid event exactly once and refuses bad ones one by one."""
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hue_literacy.extensions import db
from hue_literacy.sync.models import ProgressEvent
from tests.factories import AmbassadorFactory, LearnerFactory

LESSON = "qr-ward-notice"
# The lesson's current version: events of older versions are accepted without a step check.
LESSON_VERSION = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "content" / "vi" / f"{LESSON}.yaml").read_text("utf-8")
)["version"]


def an_event(**fields):
    event = {
        "id": str(uuid.uuid4()),
        "type": "step_answered",
        "lesson_id": LESSON,
        "lesson_version": LESSON_VERSION,
        "step_id": "open-camera",
        "correct": True,
        "hint_used": False,
        "answer": {"choice": "b"},
        "occurred_at": datetime.now(UTC).isoformat(),
    }
    event.update(fields)
    return event


@pytest.fixture
def learner(app, auth):
    with app.app_context():
        person = LearnerFactory()
        db.session.commit()
    auth.as_user(person)
    return person


@pytest.fixture
def step_id(app):
    from hue_literacy.content.access import release

    with app.app_context():
        lesson = release().lesson("vi", LESSON)
        return next(step.id for step in lesson.steps if step.type != "info")


def post(client, events):
    return client.post("/api/v1/events", json={"events": events})


def stored_count(app, **where):
    with app.app_context():
        query = select(func.count()).select_from(ProgressEvent)
        for column, value in where.items():
            query = query.where(getattr(ProgressEvent, column) == value)
        return db.session.scalar(query)


def test_valid_events_are_stored(app, client, learner, step_id):
    events = [an_event(step_id=step_id), an_event(type="lesson_completed", step_id=None)]
    answer = post(client, events).get_json()
    assert [r["status"] for r in answer["results"]] == ["stored", "stored"]
    assert stored_count(app, learner_id=learner.id) == 2


def test_the_same_batch_sent_twice_stores_nothing_new(app, client, learner, step_id):
    events = [an_event(step_id=step_id) for _ in range(3)]
    post(client, events)
    again = post(client, events).get_json()
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 3
    assert again["stored"] == 0 and again["duplicates"] == 3
    assert stored_count(app) == 3


def test_a_malformed_event_does_not_stop_the_valid_ones(app, client, learner, step_id):
    good = [an_event(step_id=step_id), an_event(step_id=step_id)]
    bad = [
        "not an object",
        an_event(id="not-a-uuid"),
        an_event(lesson_id="no-such-lesson"),
        an_event(step_id="no-such-step"),
        an_event(lesson_version=99),
        an_event(occurred_at="yesterday"),
        an_event(correct="yes"),
        an_event(type="hacked"),
        an_event(answer={"text": "x" * 2000}),
    ]
    answer = post(client, [good[0], *bad, good[1]]).get_json()
    statuses = [r["status"] for r in answer["results"]]
    assert statuses[0] == "stored" and statuses[-1] == "stored"
    assert statuses[1:-1] == ["refused"] * len(bad)
    reasons = [r["reason"] for r in answer["results"][1:-1]]
    assert reasons == ["not_an_object", "bad_id", "unknown_lesson", "unknown_step",
                       "bad_version", "bad_time", "bad_correct", "unknown_type",
                       "answer_too_large"]
    assert stored_count(app) == 2


def test_refusals_are_explained_in_the_learners_language(app, client, learner):
    answer = post(client, [an_event(lesson_id="nope")]).get_json()
    assert "Không có bài học" in answer["results"][0]["message"]


def test_events_for_another_learner_are_refused(app, client, learner, step_id):
    answer = post(client, [an_event(step_id=step_id, learner_id=learner.id + 1000)]).get_json()
    assert answer["results"][0]["reason"] == "other_learner"
    assert stored_count(app) == 0


def test_an_id_already_used_by_another_learner_is_refused(app, client, auth, learner, step_id):
    event = an_event(step_id=step_id)
    post(client, [event])
    with app.app_context():
        other = LearnerFactory()
        db.session.commit()
    auth.as_user(other)
    answer = post(client, [event]).get_json()
    assert answer["results"][0]["reason"] == "id_conflict"
    assert stored_count(app, learner_id=other.id) == 0


def test_progress_keeps_the_lesson_version_it_was_made_on(app, client, learner, step_id):
    post(client, [an_event(step_id=step_id, lesson_version=1)])
    with app.app_context():
        assert db.session.scalar(select(ProgressEvent.lesson_version)) == 1


def test_event_row_accepts_old_step_ids_and_refuses_unknown_current_ones(app):
    from dataclasses import replace

    from hue_literacy.content.access import release
    from hue_literacy.sync.services import Refused, event_row

    with app.app_context():
        current = release()
        lesson = current.lesson("vi", LESSON)

        class NewerRelease:

            def lesson(self, lang, lesson_id):
                return replace(lesson, version=2) if lesson_id == LESSON else None

        now = datetime.now(UTC)
        old = an_event(step_id="a-step-that-was-removed", lesson_version=1)
        assert event_row(old, 1, NewerRelease(), now)["lesson_version"] == 1
        with pytest.raises(Refused):
            event_row(an_event(step_id="a-step-that-was-removed", lesson_version=2), 1,
                      NewerRelease(), now)


def test_unauthenticated_requests_get_401_and_nothing_is_stored(app, client):
    response = post(client, [an_event()])
    assert response.status_code == 401 and response.is_json
    assert stored_count(app) == 0


def test_staff_cannot_post_learner_events(app, client, auth):
    with app.app_context():
        ambassador = AmbassadorFactory()
        db.session.commit()
    auth.as_user(ambassador)
    assert post(client, [an_event()]).status_code == 403


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "malformed_json"),
        ('{"events": "x"}', "application/json", 400, "events_missing"),
        ("[]", "application/json", 400, "events_missing"),
        ("events=1", "application/x-www-form-urlencoded", 415, "json_required"),
    ],
)
def test_malformed_batches_get_a_clear_error(client, learner, body, content_type, status, code):
    response = client.post("/api/v1/events", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]


def test_too_many_events_in_one_batch(client, learner):
    response = post(client, [an_event() for _ in range(501)])
    assert response.status_code == 413


def test_cross_site_requests_are_refused(app, client, learner, step_id):
    response = client.post("/api/v1/events", json={"events": [an_event(step_id=step_id)]},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert stored_count(app) == 0


def test_events_from_the_future_are_refused(client, learner, step_id):
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    answer = post(client, [an_event(step_id=step_id, occurred_at=later)]).get_json()
    assert answer["results"][0]["reason"] == "bad_time"


# --- property-based: random batches, duplicates and garbage never lose or duplicate ---------

garbage = st.one_of(
    st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=8), st.integers()),
                    max_size=4),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_batches_store_every_valid_event_exactly_once(app, client, learner, step_id,
                                                             data):
    with app.app_context():
        db.session.execute(ProgressEvent.__table__.delete())
        db.session.commit()
    valid = [an_event(step_id=step_id, correct=data.draw(st.booleans()))
             for _ in range(data.draw(st.integers(0, 8)))]
    seen: set[str] = set()
    for _ in range(data.draw(st.integers(1, 4))):  # several sends, with repeats and garbage
        batch = data.draw(st.lists(st.sampled_from(valid), max_size=10)) if valid else []
        batch += data.draw(st.lists(garbage, max_size=4))
        batch = data.draw(st.permutations(batch))
        answer = post(client, batch).get_json()
        for event, result in zip(batch, answer["results"], strict=True):
            if isinstance(event, dict) and event in valid:
                assert result["status"] in ("stored", "duplicate")
                assert (result["status"] == "stored") == (event["id"] not in seen)
                seen.add(event["id"])
            else:
                assert result["status"] == "refused"
    assert stored_count(app) == len(seen)


def test_times_with_an_offset_are_stored_in_utc(app, client, learner, step_id):
    post(client, [an_event(step_id=step_id, occurred_at="2026-11-20T09:00:00+07:00")])
    with app.app_context():
        stored = db.session.scalar(select(ProgressEvent.occurred_at))
    assert (stored.hour, stored.minute) == (2, 0)


def test_events_are_in_the_learners_data_download(app, client, learner, step_id):
    event = an_event(step_id=step_id)
    post(client, [event])
    data = client.get("/me/data.json").get_json()
    assert [e["id"] for e in data["progress_events"]] == [event["id"]]
