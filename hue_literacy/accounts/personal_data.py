"""The personal-data registry: what a person's data download holds and what deletion erases.

One explicit list, owned by accounts, in a fixed order: the account first, then each feature's
section. A download walks the sections in this order; deletion erases them in this order, then
blanks the account. `tests/test_personal_data.py` checks that every table holding data about a
person is named by a section here (or in KEPT_ELSEWHERE with the reason).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any

from hue_literacy.accounts.models import SignInFailure, User
from hue_literacy.certificates import services as certificates
from hue_literacy.certificates.models import AuditEntry, Certificate, MasteryCache
from hue_literacy.classes import services as classes
from hue_literacy.classes.models import Assessment, ClassAttendance, ClassSession
from hue_literacy.content.release import ContentRelease
from hue_literacy.dashboard.models import CertifiedLearner, LearnerMonth, LessonDone
from hue_literacy.households import personal_data as households
from hue_literacy.households.models import (
    Household,
    HouseholdChange,
    HouseholdMember,
    HouseholdOp,
    Visit,
)
from hue_literacy.narration.models import NarrationRecording
from hue_literacy.progress import summary as progress
from hue_literacy.staff.models import SetupCode, StaffAuditEntry
from hue_literacy.sync import services as sync
from hue_literacy.sync.models import ProgressEvent


@dataclass(frozen=True)
class DataContext:
    """What exporting or erasing needs besides the person (views pass the request's inputs)."""

    release: ContentRelease
    today: date
    timezone: tzinfo


Exporter = Callable[[User, DataContext], tuple[str, Any]]
Eraser = Callable[[User, DataContext], None]


@dataclass(frozen=True)
class Section:
    """One feature's part of a person's data."""

    export: Exporter
    erase: Eraser | None = None  # None: kept, anonymous once the account row is blanked
    models: tuple[type, ...] = field(default=())


def _person_only(function: Callable[[User], Any]) -> Callable[[User, DataContext], Any]:
    """Adapt a feature function that needs only the person."""

    def call(user: User, _context: DataContext) -> Any:
        return function(user)

    call.__name__ = function.__name__
    return call


SECTIONS: tuple[Section, ...] = (
    Section(households.export, households.erase,
            (Household, HouseholdMember, Visit, HouseholdChange)),
    Section(_person_only(sync.export_events), None, (ProgressEvent,)),
    Section(progress.export_progress),
    Section(_person_only(classes.export_classes), _person_only(classes.erase_classes),
            (ClassAttendance, Assessment)),
    Section(_person_only(certificates.export_certificates),
            _person_only(certificates.erase_certificates), (Certificate,)),
)

# Tables that point at a person but are not part of their download, and why.
KEPT_ELSEWHERE: dict[type, str] = {
    User: "the account itself: exported and blanked by accounts.services",
    SignInFailure: "wrong-PIN counts per phone and address, each naming the phone tried; "
                   "forgotten after the throttle window",
    ClassSession: "a class as the staff member who opened it (work records, not about a learner)",
    HouseholdOp: "the ledger of op ids sent by staff phones (ids, no personal fields)",
    AuditEntry: "the certificate register's audit log of staff actions",
    MasteryCache: "mastery judged from the progress events (in the download), deleted with "
                  "the certificates' personal data",
    SetupCode: "a staff member's one-time password set-up code (a hash, replaced when used)",
    StaffAuditEntry: "the audit log of changes to staff accounts, read by the ward's officials",
    NarrationRecording: "a staff volunteer's recorded narration of a lesson step (work for the "
                        "lessons, heard by every learner once approved; never a learner's)",
    LearnerMonth: "months with progress, derived from the progress events (in the download)",
    LessonDone: "lessons completed, derived from the progress events (in the download)",
    CertifiedLearner: "holds a valid certificate, derived from the certificates (downloaded)",
}


def export_sections(user: User, context: DataContext) -> dict[str, Any]:
    """Each section's part of the person's data, in the registry's order."""
    data: dict[str, Any] = {}
    for section in SECTIONS:
        key, value = section.export(user, context)
        data[key] = value
    return data


def erase_sections(user: User, context: DataContext) -> None:
    """Erase each section's personal data of the person, in the registry's order."""
    for section in SECTIONS:
        if section.erase is not None:
            section.erase(user, context)
