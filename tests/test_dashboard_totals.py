"""The dashboards' running totals stay equal to a recomputation from the events.

Syncs (repeated, and at the same moment from several threads), certificates issued and
revoked and a learner's group changed each move the totals in their own transaction; after
each, the totals must be what `flask dashboard rebuild` computes, and the ward dashboard
must show what counting live from the events shows. Runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL (where the threads really write at the same moment).
"""
from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.models import User
from hue_literacy.certificates import services as certificates
from hue_literacy.content.access import framework, release
from hue_literacy.dashboard import services, tallies
from hue_literacy.dashboard.models import TallyBuild, WardActivity, WardCertified, WardCompletion
from hue_literacy.extensions import db
from hue_literacy.progress.services import competency_lesson_ids
from tests.factories import LearnerFactory, OfficialFactory, ward
from tests.test_certificates import issue, make_ready

HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def totals() -> set[tuple]:
    """Every counter that is not zero (a rebuild keeps no zero rows)."""
    rows = {("activity", a.ward_id, a.month, a.group, a.learners)
            for a in db.session.scalars(select(WardActivity)) if a.learners}
    rows |= {("certified", c.ward_id, c.group, c.learners)
             for c in db.session.scalars(select(WardCertified)) if c.learners}
    rows |= {("completions", c.ward_id, c.basis, c.set_key, c.some, c.every)
             for c in db.session.scalars(select(WardCompletion)) if c.some or c.every}
    return rows


def rebuilt() -> set[tuple]:
    tallies.rebuild(release(), HUE)
    db.session.commit()
    return totals()


def both_ways(ward_code: str = "PHUXUAN") -> tuple[services.WardCoverage, ...]:
    """The ward dashboard's figures from the running totals, then counted live."""
    today = datetime.now(HUE).date()
    args = (ward(ward_code), today, HUE, framework(), competency_lesson_ids(release()), "en")
    from_totals = services.ward_coverage(*args)
    db.session.execute(delete(TallyBuild))
    live = services.ward_coverage(*args)
    db.session.rollback()
    return from_totals, live


@pytest.fixture
def built(app):
    """Totals built on the empty database, as `make run` does after `flask db upgrade`."""
    with app.app_context():
        tallies.rebuild(release(), HUE)
        db.session.commit()


def phone_of(app, learner_id: int):
    client = app.test_client()
    with app.app_context():
        session_id = db.session.get(User, learner_id).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def completions(lesson_ids, moment: datetime) -> list[dict]:
    return [{"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": lesson_id,
             "lesson_version": release().lesson("vi", lesson_id).version,
             "occurred_at": moment.isoformat()} for lesson_id in lesson_ids]


def sync(client, events: list[dict]) -> dict:
    response = client.post("/api/v1/events", json={"events": events})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def a_month_ago() -> datetime:
    day = services.month_start(datetime.now(HUE).date(), 1) + timedelta(days=3)
    return datetime(day.year, day.month, day.day, 9, tzinfo=HUE)


def test_synced_events_keep_the_totals_equal_to_a_rebuild(app, built):
    with app.app_context():
        lessons = competency_lesson_ids(release())
        people = [LearnerFactory(group="elderly"), LearnerFactory(group="trader"),
                  LearnerFactory(group=None), LearnerFactory(ward=ward("THUANHOA"))]
        db.session.commit()
        ids = [person.id for person in people]
        now, before = datetime.now(UTC), a_month_ago()
        qr1, pay1 = list(lessons["QR-1"]), list(lessons["PAY-1"])
        batches = {
            ids[0]: [completions(qr1[:1], before), completions(qr1[1:] + pay1, now)],
            ids[1]: [completions(pay1, before)],
            ids[2]: [completions(qr1, now)],
            ids[3]: [completions(qr1, now)],
        }
    for learner_id, sent in batches.items():
        phone = phone_of(app, learner_id)
        for events in sent:
            assert sync(phone, events)["stored"] == len(events)
            assert sync(phone, events)["duplicates"] == len(events)  # resent: counted once
    with app.app_context():
        from_totals, live = both_ways()
        assert from_totals == live
        assert (from_totals.active, from_totals.months[-1].active_learners,
                from_totals.months[-2].active_learners) == (2, 2, 2)
        areas = {area.area_id: (area.some, area.every) for area in from_totals.areas}
        assert areas["qr"] == (2, 0) and areas["pay"] == (2, 0)
        kept = totals()
        assert kept == rebuilt()
        assert ("activity", ward("PHUXUAN").id, services.month_start(
            datetime.now(HUE).date()), "", 1) in kept  # the learner without a group


def test_syncs_at_the_same_moment_count_each_month_and_lesson_once(app, built):
    """Four learners each send three batches at once (one of them twice): each new month and
    each completed skill is counted once, whatever order the transactions commit in."""
    with app.app_context():
        lessons = list(competency_lesson_ids(release())["QR-1"])
        learner_ids = [LearnerFactory(group="elderly").id for _ in range(4)]
        db.session.commit()
        now, before = datetime.now(UTC), a_month_ago()
        jobs = []
        for learner_id in learner_ids:
            first = completions(lessons[:1], before)
            jobs += [(learner_id, first), (learner_id, first),
                     (learner_id, completions(lessons[1:], now))]
    phones = {learner_id: [phone_of(app, learner_id) for _ in range(3)]
              for learner_id in learner_ids}
    start = threading.Barrier(len(jobs))
    answers: list[dict] = []
    errors: list[BaseException] = []

    def send(index: int, learner_id: int, events: list[dict]) -> None:
        try:
            start.wait(timeout=60)
            answers.append(sync(phones[learner_id][index % 3], events))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=send, args=(index, *job))
               for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(answer["stored"] for answer in answers) == 4 * len(lessons)
    assert sum(answer["duplicates"] for answer in answers) == 4
    with app.app_context():
        from_totals, live = both_ways()
        assert from_totals == live
        assert from_totals.months[-1].active_learners == 4
        assert from_totals.months[-2].active_learners == 4
        qr = next(area for area in from_totals.areas if area.area_id == "qr")
        assert qr.some == 4
        assert totals() == rebuilt()


def test_a_rebuild_while_phones_sync_counts_every_event_once(app, built):
    """`flask dashboard rebuild` run while learners sync: syncs wait for it or it waits for
    them, and the totals afterwards are what a rebuild after the syncs computes."""
    with app.app_context():
        lessons = list(competency_lesson_ids(release())["QR-1"])
        learner_ids = [LearnerFactory(group="trader").id for _ in range(4)]
        db.session.commit()
        batches = [completions(lessons, datetime.now(UTC)) for _ in learner_ids]
    phones = [phone_of(app, learner_id) for learner_id in learner_ids]
    start = threading.Barrier(len(phones) + 1)
    errors: list[BaseException] = []

    def send(index: int) -> None:
        try:
            start.wait(timeout=60)
            sync(phones[index], batches[index])
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    def rebuild() -> None:
        try:
            with app.app_context():
                start.wait(timeout=60)
                tallies.rebuild(release(), HUE)
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(phones))]
    threads.append(threading.Thread(target=rebuild))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with app.app_context():
        kept = totals()
        assert kept == rebuilt()
        qr = next(area for area in both_ways()[0].areas if area.area_id == "qr")
        assert qr.some == 4


def test_certificates_and_a_changed_group_move_the_totals(app):
    with app.app_context():
        official = OfficialFactory(ward=ward("PHUXUAN"))
        learner = LearnerFactory(group="elderly")
        make_ready(learner, official)  # events written directly: counted by the rebuild
        db.session.commit()
        rebuilt()
        learner_id = learner.id
        events = completions(["qr-ward-notice"], datetime.now(UTC))
    sync(phone_of(app, learner_id), events)
    with app.app_context():
        learner = db.session.get(User, learner_id)
        certificate = issue(learner, db.session.get(User, official.id))
        from_totals, live = both_ways()
        assert from_totals == live and from_totals.certified == 1
        groups = {group.group_id: group for group in from_totals.groups}
        assert (groups["elderly"].certified, groups["elderly"].active) == (1, 1)
        assert totals() == rebuilt()

        accounts.update_learner(db.session.get(User, learner_id), full_name="Bà Tư",
                                raw_phone=learner.phone, group="trader", birth_date=None)
        db.session.commit()
        from_totals, live = both_ways()
        assert from_totals == live
        groups = {group.group_id: group for group in from_totals.groups}
        assert (groups["trader"].certified, groups["trader"].active) == (1, 1)
        assert (groups["elderly"].certified, groups["elderly"].active) == (0, 0)
        assert totals() == rebuilt()

        certificates.revoke_certificate(db.session.get(type(certificate), certificate.id),
                                        db.session.get(User, official.id), "Printed wrongly")
        db.session.commit()
        from_totals, live = both_ways()
        assert from_totals == live and from_totals.certified == 0
        assert totals() == rebuilt()


def test_the_rebuild_command_builds_the_totals_the_pages_then_read(app, runner):
    with app.app_context():
        learner = LearnerFactory(group="elderly")
        db.session.commit()
        assert tallies.built_names() == set()
        events = completions(["qr-ward-notice"], datetime.now(UTC))
    sync(phone_of(app, learner.id), events)  # before any build
    result = runner.invoke(args=["dashboard", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Dashboard totals rebuilt" in result.output
    with app.app_context():
        assert {tallies.ACTIVITY, tallies.CERTIFIED} <= tallies.built_names()
        from_totals, live = both_ways()
        assert from_totals == live and from_totals.active == 1


def test_months_of_the_totals_follow_hue_time():
    assert tallies.month_of(datetime(2026, 2, 28, 16, 59, tzinfo=UTC), HUE) == date(2026, 2, 1)
    assert tallies.month_of(datetime(2026, 2, 28, 17, 0, tzinfo=UTC), HUE) == date(2026, 3, 1)
    assert tallies.month_begins(date(2026, 3, 1), HUE) == datetime(2026, 2, 28, 17, tzinfo=UTC)
    assert tallies.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
