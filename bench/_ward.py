"""The ward the ward-page benches share, seeded and timed the same way by each of them.

A ward of 5,000 households and 20,000 learners who practised lately, 1% stuck
(`seed_households`, bench/ward_pages_households.py); a class of 30 attendees with real
histories and 30 more classes (`seed_class`, bench/ward_pages.py); a year of completions,
2,000 certificates and 5,000 learners assessed, 200 nearly in every skill of their profile
(`seed_history`, bench/dashboard.py and bench/certificates_page.py). `seeded()` builds a ward
from such steps on an empty database; `time_pages()` times pages as one signed-in person
opens them (wall and CPU time, in process: the Flask test client).
"""
from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from _server import as_served, reset_database, signed_in_client

HOUSEHOLDS = 5_000
LEARNERS = 20_000
OTHER_WARD_HOUSEHOLDS = 1_000
ANSWERS_PER_LEARNER = 10
STUCK_SHARE = 0.01
VISITS_PER_HOUSEHOLD = 3
REQUESTS = 20
GOAL_MS = 100
ATTENDEES = 30
OTHER_CLASSES = 30
COMPLETIONS = 40_000
CERTIFICATES = 2_000
ASSESSED = 5_000  # learners with practical assessments; NEAR of them did nearly all alone
NEAR = 200

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Thị", "Văn", "Đình", "Ngọc", "Minh", "Hữu", "Thanh", "Quang"]
GIVEN = ["Hạnh", "Lan", "Tư", "Minh", "Mai", "Hoa", "Bình", "Nam", "Dũng", "Thảo", "Phúc", "An"]
STREETS = ["Phan Đình Phùng", "Lê Lợi", "Trần Hưng Đạo", "Chi Lăng", "Nguyễn Trãi",
           "Huỳnh Thúc Kháng", "Đinh Tiên Hoàng", "Mai Thúc Loan", "Bạch Đằng", "Hùng Vương"]
ROLES = ["head", "spouse", "grandparent", "child"]


def analyze(db) -> None:
    """What autovacuum does after a bulk load on PostgreSQL (its plans depend on it)."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        db.session.execute(text("ANALYZE"))
        db.session.commit()


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def seed_households(app, made: dict) -> dict:
    """The ward's households and learners; returns the ambassador and one household id."""
    from sqlalchemy import insert, select

    from hue_literacy.accounts.models import User
    from hue_literacy.content.access import release
    from hue_literacy.extensions import db
    from hue_literacy.households.models import Household, HouseholdMember, Visit
    from hue_literacy.households.text import address_key, fold
    from hue_literacy.sync.models import ProgressEvent
    from hue_literacy.wards.services import ward_by_code

    rng = random.Random(5)
    now = datetime.now(UTC)
    today = now.date()
    with app.app_context():
        ward, other = ward_by_code("PHUXUAN"), ward_by_code("THUANHOA")
        secret = "pbkdf2:sha256:1000$bench$" + "0" * 64
        staff = []
        for number, (role, where) in enumerate([("ambassador", ward), ("ambassador", other)]):
            staff.append(User(role=role, full_name=f"Đại sứ {number}", phone=f"07{number:08d}",
                              secret_hash=secret, ward=where, consent_at=now))
        db.session.add_all(staff)
        db.session.flush()
        ambassador, other_ambassador = staff

        learners = [
            {"role": "learner", "full_name": person_name(rng), "phone": f"09{n:08d}",
             "secret_hash": secret, "ward_id": ward.id, "group": "elderly", "consent_at": now,
             "created_at": now, "card_version": 1}
            for n in range(LEARNERS)
        ]
        db.session.execute(insert(User), learners)
        learner_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner").order_by(User.id)))

        households, members, visits = [], [], []
        per_household = LEARNERS // HOUSEHOLDS
        for number in range(HOUSEHOLDS + OTHER_WARD_HOUSEHOLDS):
            in_ward = number < HOUSEHOLDS
            address = (f"{number % 97 + 1} kiệt {number // 97 + 1} "
                       f"{STREETS[number % len(STREETS)]}")
            people = []
            if in_ward:
                for index in range(per_household):
                    learner = number * per_household + index
                    people.append({"full_name": learners[learner]["full_name"],
                                   "role": ROLES[index % len(ROLES)],
                                   "phone": learners[learner]["phone"],
                                   "learner_id": learner_ids[learner]})
            else:
                people.append({"full_name": person_name(rng), "role": "head",
                               "phone": None, "learner_id": None})
            days = sorted(rng.randint(0, 120) for _ in range(VISITS_PER_HOUSEHOLD))
            name = f"Nhà {people[0]['full_name']}"
            texts = [name, address] + [p["full_name"] for p in people] + [
                p["phone"] for p in people if p["phone"]]
            households.append({
                "id": number + 1, "ward_id": ward.id if in_ward else other.id,
                "address": address, "address_key": address_key(address), "name": name,
                "consent_at": now, "consent_by_id": ambassador.id,
                "created_by_id": ambassador.id if in_ward else other_ambassador.id,
                "created_at": now, "updated_at": now,
                "last_visit_on": today - timedelta(days=days[0]),
                "digital_family": rng.random() < 0.1,
                "search_text": " | ".join(fold(t) for t in texts),
            })
            for person in people:
                members.append({**person, "household_id": number + 1,
                                "created_by_id": ambassador.id, "created_at": now})
            for day in days:
                visits.append({"household_id": number + 1,
                               "visited_on": today - timedelta(days=day),
                               "competency_ids": ["QR-1"], "notes": "",
                               "ambassador_id": ambassador.id, "occurred_at": now,
                               "created_at": now})
        db.session.execute(insert(Household), households)
        db.session.execute(insert(HouseholdMember), members)
        db.session.execute(insert(Visit), visits)

        lessons = [(lesson.id, next(s.id for s in lesson.steps if s.practice))
                   for lesson in release().in_lang("vi").values()
                   if any(s.practice for s in lesson.steps)]
        events = []
        for learner_id in learner_ids:
            stuck = rng.random() < STUCK_SHARE
            for index in range(ANSWERS_PER_LEARNER):
                lesson_id, step_id = lessons[(learner_id + index // 3) % len(lessons)]
                events.append({
                    "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "learner_id": learner_id, "kind": "step_answered", "lesson_id": lesson_id,
                    "lesson_version": 1, "step_id": step_id,
                    "correct": not stuck and index % 4 != 1, "hint_used": False,
                    "occurred_at": now - timedelta(days=rng.randint(0, 13),
                                                   minutes=ANSWERS_PER_LEARNER - index),
                    "received_at": now,
                })
            if len(events) >= 50_000:
                db.session.execute(insert(ProgressEvent), events)
                events = []
        if events:
            db.session.execute(insert(ProgressEvent), events)
        db.session.commit()
        analyze(db)
        # What `flask households refresh --stuck-only` does every few minutes.
        from hue_literacy.households.services import refresh_stuck_marks

        began = time.perf_counter()
        stuck = refresh_stuck_marks(ward.id)
        db.session.commit()
        refresh_ms = (time.perf_counter() - began) * 1000
        db.engine.dispose()
        return {"ambassador_id": ambassador.id, "household_id": 17,
                "stuck_refresh_ms": refresh_ms, "stuck_households": stuck}


def practise(rng: random.Random, learner_id: int, lesson, start: datetime, tries: int,
             stuck_step: str | None = None) -> list[dict]:
    """Events of one learner doing one lesson `tries` times, mostly right."""
    rows = []
    moment = start

    def add(kind: str, step_id: str | None = None, correct: bool | None = None) -> None:
        nonlocal moment
        moment += timedelta(seconds=40)
        rows.append({
            "event_id": str(uuid.UUID(int=rng.getrandbits(128))), "learner_id": learner_id,
            "kind": kind, "lesson_id": lesson.id, "lesson_version": lesson.version,
            "step_id": step_id, "correct": correct, "hint_used": rng.random() < 0.1,
            "occurred_at": moment, "received_at": moment,
        })

    for _ in range(tries):
        add("lesson_started")
        for step in lesson.steps:
            add("step_viewed", step.id)
            if not step.practice:
                continue
            if step.id == stuck_step:
                for _ in range(4):
                    add("step_answered", step.id, False)
                return rows  # gave up on the step: stuck
            if rng.random() < 0.2:
                add("step_answered", step.id, False)
            add("step_answered", step.id, True)
        add("lesson_completed")
    return rows


def seed_class(app, made: dict) -> dict:
    """A class of 30 attendees with real histories, plus other classes of the ward, opened by
    the ambassador of seed_households()."""
    from sqlalchemy import insert, select

    from hue_literacy.accounts.models import User
    from hue_literacy.classes.models import Assessment, ClassAttendance, ClassSession
    from hue_literacy.content.access import framework, release
    from hue_literacy.extensions import db

    rng = random.Random(30)
    now = datetime.now(UTC)
    teacher_id = made["ambassador_id"]
    with app.app_context():
        teacher = db.session.get(User, teacher_id)
        learner_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner", User.ward_id == teacher.ward_id)
            .order_by(User.id)))
        lessons = list(release().in_lang("vi").values())
        chosen = rng.sample(learner_ids, ATTENDEES)
        events = []
        for number, learner_id in enumerate(chosen):
            for index, lesson in enumerate(rng.sample(lessons, rng.randint(3, 12))):
                start = now - timedelta(days=rng.randint(1, 60), hours=index)
                events += practise(rng, learner_id, lesson, start, tries=rng.randint(1, 3))
            if number % 6 == 0:  # five of the thirty need help today
                lesson = lessons[number % len(lessons)]
                step = next(step for step in lesson.steps if step.practice)
                events += practise(rng, learner_id, lesson, now - timedelta(hours=2), 1,
                                   stuck_step=step.id)
        db.session.execute(insert(db.metadata.tables["progress_events"]), events)

        sessions = [
            {"ward_id": teacher.ward_id, "venue": f"Nhà văn hóa tổ {number + 1}",
             "starts_on": (now - timedelta(days=7 * number)).date(), "opened_by_id": teacher_id,
             "join_code": f"B{number:05d}", "created_at": now,
             "closed_at": None if number == 0 else now}
            for number in range(OTHER_CLASSES + 1)
        ]
        db.session.execute(insert(ClassSession), sessions)
        ids = list(db.session.scalars(select(ClassSession.id).order_by(ClassSession.id)))
        class_id = ids[0]
        attendances = [{"class_session_id": class_id, "learner_id": learner_id,
                        "joined_at": now} for learner_id in chosen]
        for other_id in ids[1:]:
            attendances += [{"class_session_id": other_id, "learner_id": learner_id,
                             "joined_at": now} for learner_id in rng.sample(learner_ids, 30)]
        db.session.execute(insert(ClassAttendance), attendances)
        competencies = list(framework().competencies)
        assessments = [
            {"learner_id": rng.choice(learner_ids), "competency_id": rng.choice(competencies),
             "result": rng.choice(["alone", "with_help", "not_yet"]),
             "assessor_id": teacher_id, "assessed_on": now.date(),
             "class_session_id": rng.choice(ids), "framework_id": framework().id,
             "framework_version": framework().version, "created_at": now}
            for _ in range(2_000)
        ] + [
            {"learner_id": learner_id, "competency_id": competency, "result": "alone",
             "assessor_id": teacher_id, "assessed_on": now.date(), "class_session_id": class_id,
             "framework_id": framework().id, "framework_version": framework().version,
             "created_at": now}
            for learner_id in chosen[:10] for competency in competencies[:3]
        ]
        db.session.execute(insert(Assessment), assessments)
        db.session.commit()
        analyze(db)
        db.engine.dispose()
        return {"class_id": class_id, "learner_id": chosen[0], "events": len(events)}


def make_staff(app, role: str) -> int:
    from hue_literacy.accounts.models import User
    from hue_literacy.extensions import db
    from hue_literacy.wards.services import ward_by_code

    with app.app_context():
        person = User(role=role, full_name=f"Bench {role}", phone=f"06{len(role):08d}",
                      secret_hash="x", ward=ward_by_code("PHUXUAN") if role == "official"
                      else None, consent_at=datetime.now(UTC))
        db.session.add(person)
        db.session.commit()
        return person.id


def seed_history(app, made: dict) -> dict:
    """A year of registrations, completed lessons, certificates and assessments in the ward,
    by its official (made here); returns the official's id and the ward's id."""
    from sqlalchemy import insert, select, update

    from hue_literacy.accounts.models import User
    from hue_literacy.certificates.models import Certificate
    from hue_literacy.classes.models import Assessment
    from hue_literacy.content.access import release
    from hue_literacy.extensions import db
    from hue_literacy.sync.models import ProgressEvent

    rng = random.Random(12)
    now = datetime.now(UTC)
    official_id = make_staff(app, "official")
    with app.app_context():
        official = db.session.get(User, official_id)
        ward_id = official.ward_id
        learner_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner", User.ward_id == ward_id)))
        for learner_id in learner_ids[::50]:  # registrations spread over the year
            db.session.execute(update(User).where(User.id == learner_id)
                               .values(created_at=now - timedelta(days=rng.randint(0, 360))))
        lessons = list(release().in_lang("vi"))
        events = [
            {"event_id": str(uuid.UUID(int=rng.getrandbits(128))),
             "learner_id": rng.choice(learner_ids), "kind": "lesson_completed",
             "lesson_id": rng.choice(lessons), "lesson_version": 1, "step_id": None,
             "correct": None, "hint_used": False,
             "occurred_at": now - timedelta(days=rng.randint(0, 360)), "received_at": now}
            for _ in range(COMPLETIONS)
        ]
        db.session.execute(insert(ProgressEvent), events)
        certified = rng.sample(learner_ids, CERTIFICATES)
        certificates = []
        for number, learner_id in enumerate(certified, start=1):
            issued = (now - timedelta(days=rng.randint(0, 360))).date()
            revoked = number % 20 == 0
            certificates.append({
                "serial": f"HUE-PHUXUAN-{issued.year}-{number:06d}", "code": f"B{number:07d}",
                "ward_id": ward_id, "year": issued.year, "number": number,
                "learner_id": learner_id, "learner_name": "x", "ward_name": "Phú Xuân",
                "framework_id": "hue-dl", "framework_version": 1, "profile_id": "basic",
                "competency_ids": ["QR-1"], "assessor_ids": [official_id],
                "assessor_names": ["x"], "issued_by_id": official_id,
                "issued_by_name": "x", "issued_on": issued, "issued_at": now,
                "revoked_at": now if revoked else None,
                "revoked_by_id": official_id if revoked else None,
                "revocation_reason": "bench" if revoked else None,
            })
        db.session.execute(insert(Certificate), certificates)
        db.session.execute(insert(Assessment), assessments(rng, learner_ids, official_id, now))
        db.session.commit()
        analyze(db)
        db.engine.dispose()
    return {"official_id": official_id, "ward_id": ward_id}


def assessments(rng: random.Random, learner_ids: list[int], official_id: int,
                now: datetime) -> list[dict]:
    """ASSESSED learners assessed in class: most in two competencies, NEAR in all of their
    profile's but one or two (the ones the certificates page lists as ready or close)."""
    from hue_literacy.content.access import framework

    content = framework()
    competencies = list(content.competencies)
    basic = list(content.profile_for_group("elderly").competency_ids)
    rows = []
    for number, learner_id in enumerate(rng.sample(learner_ids, ASSESSED)):
        chosen = basic[:len(basic) - number % 3] if number < NEAR else rng.sample(
            competencies, 2)
        rows += [{"learner_id": learner_id, "competency_id": competency,
                  "result": "alone" if number < NEAR else rng.choice(
                      ["alone", "with_help", "not_yet"]),
                  "assessor_id": official_id, "assessed_on": now.date(),
                  "class_session_id": None, "framework_id": content.id,
                  "framework_version": content.version, "created_at": now}
                 for competency in chosen]
    return rows


CPU_MS: dict[str, float] = {}  # path -> median CPU ms a request (the machine is shared)
CPU_BY_PAGE: dict[str, float] = {}  # "database: page" -> median CPU ms, for report_pages()


def timings(client, path: str, count: int = REQUESTS) -> list[float]:
    """Wall ms of `count` requests (the median CPU ms is kept in CPU_MS[path])."""
    client.get(path)  # warm up caches and templates
    times, cpu = [], []
    for _ in range(count):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    CPU_MS[path] = statistics.median(cpu)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]



Step = Callable[[object, dict], dict]


def rebuild_totals(app) -> str:
    """What `flask dashboard rebuild` does after an upgrade (the seed wrote the events
    directly, not through the sync that keeps the totals); say how long it took."""
    from hue_literacy import request_inputs
    from hue_literacy.dashboard import tallies
    from hue_literacy.extensions import db

    with app.app_context():
        began, began_cpu = time.perf_counter(), time.process_time()
        counts = tallies.rebuild(request_inputs.release(), request_inputs.timezone())
        db.session.commit()
        db.engine.dispose()
    return (f"dashboard totals rebuilt in {time.perf_counter() - began:.1f} s "
            f"(CPU {time.process_time() - began_cpu:.1f} s): {counts}")


def seeded(name: str, url: str, *steps: Step):
    """An empty database at `url` filled by `steps` (each gets what the earlier ones made
    and returns what it adds); returns the app and everything made."""
    app = reset_database(url)
    began = time.perf_counter()
    made: dict = {}
    for step in steps:
        made.update(step(app, made))
    print(f"{name}: seeded in {time.perf_counter() - began:.0f} s")
    return app, made


def time_pages(name: str, app, user_id: int,
               pages: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Each page REQUESTS times as `user_id` opens it: {label: (median ms, p95 ms)}; the
    median CPU ms is kept in CPU_BY_PAGE["name: label"] for report_pages()."""
    as_served(app)
    client = signed_in_client(app, user_id)
    figures = {}
    for label, path in pages.items():
        times = timings(client, path)
        figures[label] = (statistics.median(times), p95(times))
        CPU_BY_PAGE[f"{name}: {label}"] = CPU_MS[path]
    with app.app_context():
        from hue_literacy.extensions import db

        db.engine.dispose()
    return figures
