"""Serial numbers under concurrent issuing: each official in their own session and thread.

Runs on SQLite (writers queue on the busy timeout) and, with TEST_DATABASE_URL, on PostgreSQL
(the counter row is locked by INSERT ... ON CONFLICT DO UPDATE until commit).
"""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.certificates.eligibility import eligibility_for
from hue_literacy.certificates.models import AuditEntry, Certificate
from hue_literacy.content.access import framework, release
from hue_literacy.extensions import db
from tests.factories import LearnerFactory, OfficialFactory, ward
from tests.test_certificates import TODAY, make_ready

THREADS = 8


def issue_at_once(app, pairs: list[tuple[int, int]]) -> tuple[list[str], list[Exception]]:
    """Each (learner id, official id) issued in its own thread, all released together."""
    serials: list[str] = []
    errors: list[Exception] = []
    start = threading.Barrier(len(pairs))

    def work(learner_id: int, official_id: int) -> None:
        with app.test_request_context():  # a request of its own, as when officials click
            try:
                learner = db.session.get(User, learner_id)
                official = db.session.get(User, official_id)
                ready = eligibility_for(learner, release())
                start.wait(timeout=30)
                certificate = services.issue_certificate(learner, official, framework(), ready,
                                                         TODAY)
                db.session.commit()
                serials.append(certificate.serial)
            except Exception as error:  # noqa: BLE001 - reported by the test
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return serials, errors


def test_serials_stay_unique_and_contiguous_when_officials_issue_at_once(app):
    with app.app_context():
        officials = [OfficialFactory(ward=ward("PHUXUAN")) for _ in range(2)]
        learners = [LearnerFactory(ward=ward("PHUXUAN")) for _ in range(THREADS)]
        for learner in learners:
            make_ready(learner, officials[0])
        db.session.commit()
        pairs = [(learner.id, officials[index % 2].id) for index, learner in enumerate(learners)]
    serials, errors = issue_at_once(app, pairs)
    assert errors == []
    assert sorted(serials) == [f"HUE-PHUXUAN-2026-{n:06d}" for n in range(1, THREADS + 1)]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == THREADS
        assert db.session.scalar(select(func.count(func.distinct(Certificate.code)))) == THREADS
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == THREADS


def test_one_learner_approved_twice_at_once_gets_one_certificate_and_no_gap(app):
    with app.app_context():
        officials = [OfficialFactory(ward=ward("PHUXUAN")) for _ in range(2)]
        learner = LearnerFactory(ward=ward("PHUXUAN"))
        later = LearnerFactory(ward=ward("PHUXUAN"))
        make_ready(learner, officials[0])
        make_ready(later, officials[0])
        db.session.commit()
        pairs = [(learner.id, official.id) for official in officials]
        later_pair = (later.id, officials[0].id)
    serials, errors = issue_at_once(app, pairs)
    assert serials == ["HUE-PHUXUAN-2026-000001"]
    assert len(errors) == 1
    assert isinstance(errors[0], services.CertificateRefused)
    serials, errors = issue_at_once(app, [later_pair])
    assert (serials, errors) == (["HUE-PHUXUAN-2026-000002"], [])
