"""The server judges synced answers itself, against the lesson version each was given for."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hue_literacy.content.access import EXTENSION_KEY
from hue_literacy.extensions import db
from hue_literacy.lessons.services import practice_payload
from hue_literacy.sync import judging, verdicts
from hue_literacy.sync.models import AnswerKey, ProgressEvent
from tests.content_fixtures import ContentTree
from tests.factories import AmbassadorFactory, LearnerFactory, OfficialFactory, ward
from tests.progress_helpers import right_answer


@pytest.fixture
def tree(tmp_path) -> ContentTree:
    return ContentTree(tmp_path)


@pytest.fixture
def content(app, tree):
    """The app runs the small content tree (version 1 of every lesson)."""
    app.extensions[EXTENSION_KEY] = tree.load()
    return tree


@pytest.fixture
def learner(app, auth):
    with app.app_context():
        person = LearnerFactory(ward=ward("PHUXUAN"), full_name="Trần Thị Lan")
        db.session.commit()
    auth.as_user(person)
    return person


def answer(step_id, lesson_id="qr-scan", version=1, correct=True, **given):
    return {"id": str(uuid.uuid4()), "type": "step_answered", "lesson_id": lesson_id,
            "lesson_version": version, "step_id": step_id, "correct": correct,
            "answer": given,
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat()}


def send(client, *events):
    return client.post("/api/v1/events", json={"events": list(events)}).get_json()


def stored(app, event):
    with app.app_context():
        row = db.session.scalar(select(ProgressEvent).where(
            ProgressEvent.event_id == event["id"]))
        return (row.correct, row.phone_correct, row.judged) if row else None


def change_right_option(tree, to="other", version=2):
    """Version 2 of qr-scan: the right option of "pick" is now `to`."""
    def change(data):
        data["version"] = version
        for option in data["steps"][-1]["options"]:
            option.pop("correct", None)
            if option["id"] == to:
                option["correct"] = True
    tree.edit("qr-scan", change)


# --- the rules ------------------------------------------------------------------------------


def steps_of(tree):
    release = tree.load()
    return {step.id: step for lesson in release.in_lang("vi").values() for step in lesson.steps}


def verdict(step, given, phone=True):
    payload = None
    if step.type == "scan" and step.qr.kind != "link":
        payload = practice_payload(step, lambda code: "")
    return judging.judge(step.type, judging.answer_key(step, payload), given, phone)


@pytest.mark.parametrize("step_id, right, wrongs", [
    ("pick", {"option": "right"}, [{"option": "wrong"}, {"option": ["right"]}, {}]),
    ("find-scan", {"element": "camera"}, [{"element": "phone"}, {"element": None}]),
    ("steps", {"order": ["open", "scan", "check"]},
     [{"order": ["scan", "open", "check"]}, {"order": ["open", "scan"]}, {"order": "open"}]),
    ("spot", {"found": ["locked", "link"]},
     [{"found": ["locked"]}, {"found": ["locked", "locked"]}, {"found": ["greet", "link"]},
      {"line": "greet"}]),
    ("scan-notice", {"method": "typed", "code": "test qr1"},
     [{"method": "typed", "code": "TEST-QR2"}, {"method": "typed"}, {"method": "camera"}]),
    ("scan-notice", {"method": "camera", "text": "https://ward.example/p/TEST-QR1"},
     [{"method": "camera", "text": "https://ward.example/p/TEST-QR2"}]),
    ("scan-card", {"method": "photo", "text": "http://free-gift.example/get"},
     [{"method": "photo", "text": "http://free-gift.example/other"}]),
])
def test_each_step_type_is_judged_from_the_answer_the_player_sends(tree, step_id, right,
                                                                     wrongs):
    step = steps_of(tree)[step_id]
    assert verdict(step, right) == judging.Verdict(True, judging.SERVER)
    for wrong in wrongs:  # the phone's flag says right every time: it is not trusted
        assert verdict(step, wrong) == judging.Verdict(False, judging.SERVER), wrong


def test_a_vietqr_scan_is_right_only_with_the_practice_payload(tree):
    step = steps_of(tree)["scan-pay"]
    payload = practice_payload(step, lambda code: "")
    assert verdict(step, {"method": "camera", "text": payload}).correct is True
    assert verdict(step, {"method": "camera", "text": payload.replace("50000", "90000")}
                   ).correct is False
    assert verdict(step, {"method": "typed", "code": "TEST-PAY1"}).correct is True


def test_form_steps_keep_the_phones_verdict_when_it_is_consistent(tree):
    step = steps_of(tree)["fill"]
    assert verdict(step, {"wrong_fields": []}) == judging.Verdict(True, judging.PHONE)
    assert verdict(step, {"wrong_fields": []}, phone=False).correct is False
    assert verdict(step, {"wrong_fields": ["kind"]}).correct is False  # said right: not so
    assert verdict(step, {}).correct is False


def test_the_answers_helper_matches_the_rules_for_every_shipped_step(app):
    from hue_literacy.content.access import release

    with app.app_context():
        keys = verdicts.release_keys(release())
        for lesson in release().in_lang("vi").values():
            for step in lesson.steps:
                if step.practice:
                    step_type, key = keys[(lesson.id, lesson.version, step.id)]
                    found = judging.judge(step_type, key, right_answer(step), True)
                    assert found.correct is True, (lesson.id, step.id)


# --- the sync API ---------------------------------------------------------------------------


def test_a_script_flagging_wrong_answers_correct_is_stored_as_wrong(app, client, content,
                                                                     learner):
    wrong, right = answer("pick", option="wrong"), answer("pick", option="right")
    result = send(client, wrong, right)
    assert result["stored"] == 2
    assert stored(app, wrong) == (False, True, "server")  # disagreement kept
    assert stored(app, right) == (True, True, "server")


def test_an_answer_made_offline_on_yesterdays_version_is_judged_by_yesterdays_key(
    app, client, content, learner
):
    # Yesterday the phone opened version 1 of the lesson: its keys were kept then.
    assert client.get("/learn/vi/qr-scan").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerKey).where(
            AnswerKey.lesson_id == "qr-scan", AnswerKey.lesson_version == 1)) == 4
    # Overnight the ward installs version 2, where another option is right.
    change_right_option(content)
    app.extensions[EXTENSION_KEY] = content.load()
    offline = answer("pick", version=1, option="right")
    today_old = answer("pick", version=2, option="right")
    today_new = answer("pick", version=2, option="other")
    assert send(client, offline, today_old, today_new)["stored"] == 3
    assert stored(app, offline) == (True, True, "server")
    assert stored(app, today_old) == (False, True, "server")
    assert stored(app, today_new) == (True, True, "server")


def test_a_step_that_yesterdays_version_did_not_have_is_refused(app, client, content, learner):
    client.get("/learn/vi/qr-scan")
    change_right_option(content)
    app.extensions[EXTENSION_KEY] = content.load()
    result = send(client, answer("no-such-step", version=1, option="right"))
    assert result["results"][0]["reason"] == "unknown_step"


def test_an_answer_to_a_version_never_seen_is_kept_unjudged_and_does_not_count(
    app, client, content, learner
):
    change_right_option(content, version=3)
    app.extensions[EXTENSION_KEY] = content.load()
    unseen = answer("pick", version=2, option="right")
    assert send(client, unseen)["stored"] == 1
    assert stored(app, unseen) == (None, True, None)


def test_a_lesson_passed_only_by_script_flags_earns_no_mastery(app, client, content, learner):
    events = []
    lesson = content.load().lesson("vi", "qr-scan")
    for _attempt in range(3):
        events += [answer(step.id, option="nope") for step in lesson.steps if step.practice]
    events.append({"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": "qr-scan",
                   "lesson_version": 1, "occurred_at": datetime.now(UTC).isoformat()})
    assert send(client, *events)["refused"] == 0
    progress = client.get("/api/v1/progress").get_json()
    assert progress["lessons"]["qr-scan"]["completed"] is True
    assert progress["lessons"]["qr-scan"]["passed"] is False
    # Real answers pass it.
    events = [answer(step.id, **right_answer(step)) for _ in range(2) for step in lesson.steps
              if step.practice]
    send(client, *events)
    assert client.get("/api/v1/progress").get_json()["lessons"]["qr-scan"]["passed"] is True


# --- staff see disagreements; stored answers judged later --------------------------------------


def test_staff_see_where_the_phone_and_the_server_disagree(app, client, auth, content, learner):
    send(client, answer("pick", option="wrong"), answer("find-scan", element="camera"))
    own = client.get("/progress/").get_data(as_text=True)
    assert "data-disputed" not in own  # the learner just sees an answer that was not right
    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward("PHUXUAN"))
        official = OfficialFactory(ward=ward("THUANHOA"))
        db.session.commit()
    client.post("/language", data={"lang": "en"})
    auth.as_user(ambassador)
    page = client.get(f"/progress/learner/{learner.id}").get_data(as_text=True)
    assert "Answers the server judged differently" in page
    assert "Lesson qr-scan" in page
    assert page.count("the phone said right, the answer was wrong") == 1
    auth.as_user(official)  # another ward's staff see nothing of this learner
    assert client.get(f"/progress/learner/{learner.id}").status_code == 403


def test_the_judge_command_judges_answers_stored_before_judging(app, runner, content, learner):
    with app.app_context():
        lesson = content.load().lesson("vi", "qr-scan")
        for step in lesson.steps:
            if step.practice:
                db.session.add(ProgressEvent(
                    event_id=str(uuid.uuid4()), learner_id=learner.id, kind="step_answered",
                    lesson_id="qr-scan", lesson_version=1, step_id=step.id, correct=None,
                    phone_correct=True, answer=right_answer(step),
                    occurred_at=datetime.now(UTC)))
        db.session.commit()
    output = runner.invoke(args=["sync", "judge"]).output
    assert "Answers judged: 3." in output
    with app.app_context():
        rows = db.session.execute(select(ProgressEvent.correct, ProgressEvent.judged)).all()
    assert sorted(rows) == [(True, "server"), (True, "server"), (True, "server")]


def test_the_class_view_shows_who_has_answers_judged_differently(app, client, auth, content,
                                                                 learner):
    from hue_literacy.classes import services as classes
    from hue_literacy.classes.models import ClassSession

    send(client, answer("pick", option="wrong"), answer("pick", option="other"),
         answer("pick", option="right"))
    with app.app_context():
        ambassador = AmbassadorFactory(ward=ward("PHUXUAN"))
        session = classes.open_class(ward("PHUXUAN").id, "Nhà văn hóa tổ 5",
                                     datetime.now(UTC).date(), ambassador)
        classes.join_class(db.session.get(ClassSession, session.id),
                           db.session.get(type(ambassador), learner.id))
        db.session.commit()
    auth.as_user(ambassador)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/classes/{session.id}").get_data(as_text=True)
    assert "Answers the server judged differently: 2" in page


def test_a_script_cannot_earn_a_certificate_without_doing_the_lessons(app, client, learner):
    """Assessed "alone" by an official, but the lessons were only flagged done by a script."""
    from hue_literacy.accounts.models import User
    from hue_literacy.certificates.eligibility import eligibility_for
    from hue_literacy.classes.models import Assessment
    from hue_literacy.content.access import release

    def lessons_events(answer_of, hours_ago):
        at = (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()
        events = []
        for lesson in lessons:
            for _attempt in range(2):
                events += [dict(answer(step.id, lesson_id=lesson.id, version=lesson.version,
                                       **answer_of(step)), occurred_at=at)
                           for step in lesson.steps if step.practice]
            events.append({"id": str(uuid.uuid4()), "type": "lesson_completed",
                           "lesson_id": lesson.id, "lesson_version": lesson.version,
                           "occurred_at": at})
        return events

    with app.app_context():
        content = release()
        person = db.session.get(User, learner.id)
        profile = content.framework.profile_for_group(person.group)
        lessons = list({lesson.id: lesson for comp in profile.competency_ids
                        for lesson in content.competency_lessons("vi", comp)}.values())
        official = OfficialFactory(ward=ward("PHUXUAN"))
        db.session.flush()
        for comp in profile.competency_ids:
            db.session.add(Assessment(learner_id=person.id, competency_id=comp, result="alone",
                                      assessor_id=official.id, assessed_on=datetime.now(UTC).date(),
                                      framework_id=content.framework.id,
                                      framework_version=content.framework.version))
        db.session.commit()

    def eligible() -> bool:
        with app.app_context():
            return eligibility_for(db.session.get(User, learner.id), release()).eligible

    def send_all(events):
        for start in range(0, len(events), 400):
            assert send(client, *events[start:start + 400])["refused"] == 0

    send_all(lessons_events(lambda step: {"option": "x", "order": [], "found": []}, 3))
    assert not eligible()
    send_all(lessons_events(right_answer, 1))
    assert eligible()
