"""Community classes: open a class, join it by its code, see who needs help, assess in practice.

Who may do what (views check it with access.require_ward on the class's ward):
- Ambassadors and officials open classes in their own ward; the city admin in any ward.
- Staff of another ward cannot see or manage a class (403).
- Any signed-in learner may join, also one registered in another ward (a grandmother
  visiting her daughter's ward class). Joining is the learner's consent to show their
  progress to the teacher of that class; the class view shows such learners with their ward,
  and the teacher may assess them in this class. Their other pages stay with their own ward.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hue_literacy.access import ward_filter
from hue_literacy.accounts.models import User
from hue_literacy.classes.models import Assessment, ClassAttendance, ClassSession, Result
from hue_literacy.content.framework import Framework
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.progress import services as progress
from hue_literacy.progress.services import Progress, StuckStep
from hue_literacy.refusals import InputRefused
from hue_literacy.sync import verdicts

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, Q: easy to read aloud and to type from a projector.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CODE_LENGTH = 6
MAX_VENUE = 120


@dataclass(frozen=True)
class HelpNeeded:
    """A step a learner is stuck on, in words a teacher can act on."""

    lesson_title: str
    step_number: int | None
    step_prompt: str
    failures: int


@dataclass(frozen=True)
class Attendee:
    """One row of the class view."""

    learner: User
    joined_at: datetime
    other_ward: str | None
    progress: Progress
    confirmed: int  # profile competencies whose latest assessment is "did it alone"
    help: tuple[HelpNeeded, ...] = field(default_factory=tuple)
    disputed: int = 0  # answers the server judged otherwise than the phone (never trusted)

    @property
    def profile_total(self) -> int:
        return len(self.progress.profile_ids)


# --- opening, finding and closing classes ---------------------------------------------------


def new_join_code(taken: Callable[[str], bool]) -> str:
    """A random code of unambiguous characters that `taken` says is free."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code


def normalise_code(raw: str | None) -> str:
    """What a person typed or scanned, upper case, without spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def show_code(code: str) -> str:
    """The code in two groups of three, easy to read out: `K7M 4PX`."""
    return f"{code[:3]} {code[3:]}" if len(code) == CODE_LENGTH else code


def code_taken(code: str) -> bool:
    found = db.session.scalar(select(ClassSession.id).where(ClassSession.join_code == code))
    return found is not None


def open_class(ward_id: int | None, venue: str | None, starts_on: date | None,
               opened_by: User) -> ClassSession:
    """Open a class at a venue of the ward on a day; refuse missing or too long details."""
    if ward_id is None:
        raise InputRefused(_l("Please choose the ward."))
    venue = (venue or "").strip()
    if not venue:
        raise InputRefused(_l("Please write where the class takes place."))
    if len(venue) > MAX_VENUE:
        raise InputRefused(_l("Please write the place in at most 120 characters."))
    if starts_on is None:
        raise InputRefused(_l("Please choose the day of the class."))
    session = ClassSession(ward_id=ward_id, venue=venue, starts_on=starts_on,
                           opened_by_id=opened_by.id, join_code=new_join_code(code_taken))
    db.session.add(session)
    db.session.flush()
    return session


def close_class(session: ClassSession, now: datetime | None = None) -> None:
    """Stop new learners joining; the teacher can still see the class and assess."""
    if session.closed_at is None:
        session.closed_at = now or utcnow()


def class_by_code(raw_code: str | None) -> ClassSession | None:
    code = normalise_code(raw_code)
    if not code:
        return None
    return db.session.scalar(select(ClassSession).where(ClassSession.join_code == code))


def classes_for(staff: User, limit: int = 50) -> list[ClassSession]:
    """Classes of the staff member's ward (every ward for the admin), newest first."""
    return list(db.session.scalars(
        select(ClassSession)
        .options(joinedload(ClassSession.ward))
        .where(ward_filter(staff, ClassSession.ward_id))
        .order_by(ClassSession.starts_on.desc(), ClassSession.id.desc())
        .limit(limit)
    ))


# --- joining -------------------------------------------------------------------------------


def attendance(session: ClassSession, learner_id: int) -> ClassAttendance | None:
    return db.session.scalar(select(ClassAttendance).where(
        ClassAttendance.class_session_id == session.id,
        ClassAttendance.learner_id == learner_id,
    ))


def join_class(session: ClassSession, learner: User) -> tuple[ClassAttendance, bool]:
    """Put the learner on the class list once; answer (attendance, newly joined)."""
    found = attendance(session, learner.id)
    if found is not None:
        return found, False
    if not session.is_open:
        raise InputRefused(
            _l("This class has ended. Ask the teacher for the code of today's class.")
        )
    joined = ClassAttendance(class_session_id=session.id, learner_id=learner.id)
    try:
        with db.session.begin_nested():
            db.session.add(joined)
    except IntegrityError:  # the same learner scanned twice at the same moment
        return attendance(session, learner.id), False
    return joined, True


def attendances(session: ClassSession) -> list[ClassAttendance]:
    """Who joined, in the order they joined, with their accounts and wards."""
    return list(db.session.scalars(
        select(ClassAttendance)
        .join(ClassAttendance.learner)
        .options(joinedload(ClassAttendance.learner).joinedload(User.ward))
        .where(ClassAttendance.class_session_id == session.id, User.deleted_at.is_(None))
        .order_by(ClassAttendance.joined_at, ClassAttendance.id)
    ))


# --- assessments ---------------------------------------------------------------------------


RESULT_LABELS = {
    Result.ALONE: _l("Did it alone"),
    Result.WITH_HELP: _l("Did it with help"),
    Result.NOT_YET: _l("Not yet"),
}


def record_assessment(
    class_session: ClassSession | None,
    learner_id: int | None,
    competency_id: str | None,
    result: str | None,
    assessor: User,
    framework: Framework,
    today: date,
) -> Assessment:
    """Record what the assessor saw; refuse unknown competencies, results or learners."""
    if competency_id not in framework.competencies:
        raise InputRefused(
            _l("This skill is not in the framework. Please choose one from the list.")
        )
    if result not in set(Result):
        raise InputRefused(
            _l('Please choose "Did it alone", "Did it with help" or "Not yet".')
        )
    if learner_id is None or db.session.get(User, learner_id) is None:
        raise InputRefused(_l("Please choose a learner."))
    if class_session is not None and attendance(class_session, learner_id) is None:
        raise InputRefused(_l("This learner has not joined this class."))
    assessment = Assessment(
        learner_id=learner_id, competency_id=competency_id, result=str(result),
        assessor_id=assessor.id, assessed_on=today,
        class_session_id=class_session.id if class_session else None,
        framework_id=framework.id, framework_version=framework.version,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _latest_query(learner_ids: Sequence[int]):
    return (
        select(Assessment)
        .options(joinedload(Assessment.assessor))
        .where(Assessment.learner_id.in_(learner_ids))
        .order_by(Assessment.learner_id, Assessment.competency_id, Assessment.assessed_on,
                  Assessment.id)
    )


def latest_assessments_of(learner_ids: Iterable[int]) -> dict[int, dict[str, Assessment]]:
    """For each learner: competency id -> their latest assessment (the one that counts)."""
    ids = list(learner_ids)
    found: dict[int, dict[str, Assessment]] = {learner_id: {} for learner_id in ids}
    if ids:
        for assessment in db.session.scalars(_latest_query(ids)):
            found[assessment.learner_id][assessment.competency_id] = assessment
    return found


def latest_assessments(learner_id: int) -> dict[str, Assessment]:
    """Competency id -> the learner's latest assessment of it (certificates use this)."""
    return latest_assessments_of([learner_id])[learner_id]


def assessment_history(learner_id: int) -> list[Assessment]:
    """Every assessment of a learner, newest first."""
    return list(db.session.scalars(
        select(Assessment)
        .options(joinedload(Assessment.assessor))
        .where(Assessment.learner_id == learner_id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    ))


# --- the class view ------------------------------------------------------------------------


def help_needed(stuck: Sequence[StuckStep], release, lang: str) -> tuple[HelpNeeded, ...]:
    """Stuck steps described by lesson title, step number and what the step asks."""
    described = []
    for step in stuck:
        lesson = release.lesson(lang, step.lesson_id)
        if lesson is None:
            continue
        numbers = {item.id: number for number, item in enumerate(lesson.steps, start=1)}
        found = lesson.step(step.step_id)
        described.append(HelpNeeded(
            lesson_title=lesson.title,
            step_number=numbers.get(step.step_id),
            step_prompt=getattr(found, "prompt", "") if found else "",
            failures=step.failures,
        ))
    return tuple(described)


def class_attendees(
    session: ClassSession, release, lang: str, today: date, tz: tzinfo,
    now: datetime | None = None,
) -> list[Attendee]:
    """Who joined, with progress, help needed, confirmed skills and disputed answers: five
    queries in all."""
    joined = attendances(session)
    learners = [row.learner for row in joined]
    ids = [learner.id for learner in learners]
    progress_by_id = progress.progress_of_many(learners, release, today, tz)
    stuck = progress.stuck_steps(ids, now=now)
    latest = latest_assessments_of(ids)
    disputed = verdicts.disagreement_counts(ids)
    rows = []
    for row in joined:
        learner = row.learner
        learner_progress = progress_by_id[learner.id]
        confirmed = sum(
            1 for competency_id in learner_progress.profile_ids
            if (found := latest[learner.id].get(competency_id)) is not None and found.alone
        )
        rows.append(Attendee(
            learner=learner,
            joined_at=row.joined_at,
            other_ward=learner.ward.name if learner.ward_id != session.ward_id and learner.ward
            else None,
            progress=learner_progress,
            confirmed=confirmed,
            help=help_needed(stuck.get(learner.id, ()), release, lang),
            disputed=disputed.get(learner.id, 0),
        ))
    return rows


# --- personal data -------------------------------------------------------------------------


def export_classes(user: User) -> tuple[str, dict]:
    """The classes a person joined and the assessments made of them."""
    joined = db.session.scalars(
        select(ClassAttendance).options(joinedload(ClassAttendance.class_session))
        .where(ClassAttendance.learner_id == user.id).order_by(ClassAttendance.joined_at)
    )
    assessments = assessment_history(user.id)
    return "classes", {
        "joined": [
            {"venue": row.class_session.venue, "date": row.class_session.starts_on.isoformat(),
             "joined_at": row.joined_at.isoformat()}
            for row in joined
        ],
        "assessments": [
            {"competency": item.competency_id, "result": item.result,
             "assessed_on": item.assessed_on.isoformat(),
             "assessor": item.assessor.full_name if item.assessor else None,
             "framework": f"{item.framework_id} v{item.framework_version}"}
            for item in reversed(assessments)
        ],
    }


def erase_classes(user: User) -> None:
    """Forget which classes a deleted learner joined and how they were assessed."""
    db.session.execute(delete(ClassAttendance).where(ClassAttendance.learner_id == user.id))
    db.session.execute(delete(Assessment).where(Assessment.learner_id == user.id))

