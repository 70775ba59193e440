"""Staff account rules: create with a one-time set-up code, edit, reset, deactivate, audit.

Plain functions with explicit arguments. Who may do what is decided in access.py (views and
commands check it first); every change here writes an audit entry in the same transaction.
`actor` None means the command line (a person with the server's shell).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hue_literacy.access import Role, ward_filter
from hue_literacy.accounts.models import User
from hue_literacy.accounts.phone import InputRefused, check_new_password, normalise_phone
from hue_literacy.accounts.services import DEFAULT_HASH_METHOD, find_by_phone, hash_secret
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.staff.models import SetupCode, StaffAuditEntry
from hue_literacy.wards.models import Ward

# Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
SETUP_CODE_DAYS = 7
MANAGED_ROLES = (Role.OFFICIAL, Role.AMBASSADOR)

ACTION_LABELS = {
    "created": _l("account created"),
    "updated": _l("details changed"),
    "password_chosen": _l("password chosen with a set-up code"),
    "password_reset": _l("password reset"),
    "deactivated": _l("deactivated"),
    "reactivated": _l("activated again"),
    "narration_allowed": _l("allowed to record narration"),
    "narration_withdrawn": _l("no longer records narration"),
}


@dataclass
class IssuedCode:
    """A set-up code as shown once to the person who made it (only its hash is stored)."""

    user: User
    code: str
    expires_at: datetime


def format_code(code: str) -> str:
    """Show a code in groups of four, the way it is read out and typed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _normalise_code(raw: str | None) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def audit(actor: User | None, subject: User, action: str, details: str = "",
          now: datetime | None = None) -> StaffAuditEntry:
    """Write who did `action` to `subject`, in the subject's ward's part of the log."""
    entry = StaffAuditEntry(actor=actor, subject=subject, ward_id=subject.ward_id,
                            action=action, details=details, at=now or utcnow())
    db.session.add(entry)
    return entry


def issue_setup_code(user: User, by: User | None, now: datetime | None = None,
                     days: int = SETUP_CODE_DAYS) -> IssuedCode:
    """Give `user` a new one-time set-up code; their older unused codes stop working."""
    now = now or utcnow()
    for old in db.session.scalars(select(SetupCode).where(
            SetupCode.user_id == user.id, SetupCode.used_at.is_(None))):
        old.used_at = now
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = now + timedelta(days=days)
    db.session.add(SetupCode(user=user, code_hash=_hash_code(code), created_by=by,
                             created_at=now, expires_at=expires_at))
    return IssuedCode(user=user, code=format_code(code), expires_at=expires_at)


def create_staff_member(*, actor: User | None, role: str, full_name: str, raw_phone: str,
                        ward: Ward | None, now: datetime | None = None) -> IssuedCode:
    """Create an official or ambassador without a password, and their set-up code."""
    if role not in MANAGED_ROLES:
        raise InputRefused(_l("Choose official or ambassador."))
    if ward is None:
        raise InputRefused(_l("Please choose the ward this person works in."))
    name = " ".join((full_name or "").split())
    if len(name) < 2:
        raise InputRefused(_l("Please write the full name."))
    phone = normalise_phone(raw_phone)
    if find_by_phone(phone) is not None:
        raise InputRefused(_l("This phone number is already registered."))
    now = now or utcnow()
    user = User(role=role, full_name=name, phone=phone, ward=ward, secret_hash=None,
                consent_at=now, created_at=now, registered_by=actor)
    db.session.add(user)
    db.session.flush()
    user.consent_by_id = user.id
    audit(actor, user, "created", f"{role} {ward.code}", now)
    return issue_setup_code(user, actor, now)


def update_staff_member(actor: User | None, user: User, *, full_name: str,
                        raw_phone: str) -> None:
    """Change a staff member's name or phone number (the audit says which)."""
    name = " ".join((full_name or "").split())
    if len(name) < 2:
        raise InputRefused(_l("Please write the full name."))
    phone = normalise_phone(raw_phone)
    holder = find_by_phone(phone)
    if holder is not None and holder is not user:
        raise InputRefused(_l("This phone number is already registered."))
    changed = [field for field, old, new in (("full_name", user.full_name, name),
                                             ("phone", user.phone, phone)) if old != new]
    if changed:
        user.full_name, user.phone = name, phone
        audit(actor, user, "updated", " ".join(changed))


def reset_password(actor: User | None, user: User, now: datetime | None = None) -> IssuedCode:
    """Forgotten password: the old one stops working (and every session ends) and the person
    chooses a new one with a fresh set-up code."""
    _require_active(user)
    user.secret_hash = None
    audit(actor, user, "password_reset", now=now)
    return issue_setup_code(user, actor, now)


def deactivate(actor: User | None, user: User, now: datetime | None = None) -> None:
    """End a staff member's work: sessions end at once and they can no longer sign in."""
    if actor is not None and actor.id == user.id:
        raise InputRefused(_l("You cannot deactivate your own account."))
    _require_active(user)
    now = now or utcnow()
    user.deactivated_at = now
    for code in db.session.scalars(select(SetupCode).where(
            SetupCode.user_id == user.id, SetupCode.used_at.is_(None))):
        code.used_at = now
    audit(actor, user, "deactivated", now=now)


def reactivate(actor: User | None, user: User, now: datetime | None = None) -> IssuedCode:
    """Let a deactivated staff member work again; they choose a new password with a code."""
    if user.deactivated_at is None:
        raise InputRefused(_l("This account is active."))
    user.deactivated_at = None
    user.secret_hash = None
    audit(actor, user, "reactivated", now=now)
    return issue_setup_code(user, actor, now)


def _require_active(user: User) -> None:
    if not user.is_active:
        raise InputRefused(_l("This account is deactivated."))


def complete_setup(raw_code: str, password: str, password_again: str,
                   now: datetime | None = None,
                   hash_method: str = DEFAULT_HASH_METHOD) -> User:
    """The new staff member chooses their password with their one-time code."""
    code = _normalise_code(raw_code)
    record = db.session.scalar(select(SetupCode).where(SetupCode.code_hash == _hash_code(code)))
    now = now or utcnow()
    if record is None or record.used_at is not None or not record.user.is_active:
        raise InputRefused(_l("This set-up code is not valid. Please ask for a new one."))
    if _aware(record.expires_at) < now:
        raise InputRefused(_l("This set-up code has expired. Please ask for a new one."))
    password = check_new_password(password)
    if password != password_again:
        raise InputRefused(_l("The two passwords are not the same."))
    record.used_at = now
    record.user.secret_hash = hash_secret(password, hash_method)
    audit(record.user, record.user, "password_chosen", now=now)
    return record.user


def code_is_usable(raw_code: str, now: datetime | None = None) -> bool:
    """Whether a set-up link still works (to say so before the person types a password)."""
    record = db.session.scalar(select(SetupCode).where(
        SetupCode.code_hash == _hash_code(_normalise_code(raw_code))))
    return bool(record and record.used_at is None and record.user.is_active
                and _aware(record.expires_at) >= (now or utcnow()))


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- reading --------------------------------------------------------------------------------

def staff_visible_to(viewer: User, ward_id: int | None = None,
                     include_inactive: bool = True) -> list[User]:
    """The staff `viewer` manages (officials and ambassadors of their scope), by ward and name."""
    from hue_literacy.access import staff_roles_managed_by

    roles = [str(role) for role in staff_roles_managed_by(viewer)]
    if not roles:
        return []
    query = (select(User).join(Ward, User.ward_id == Ward.id)
             .where(User.role.in_(roles), User.deleted_at.is_(None),
                    ward_filter(viewer, User.ward_id))
             .order_by(Ward.name, User.role, User.full_name))
    if ward_id is not None:
        query = query.where(User.ward_id == ward_id)
    if not include_inactive:
        query = query.where(User.deactivated_at.is_(None))
    return list(db.session.scalars(query))


def audit_entries_for(viewer: User, limit: int = 200) -> list[StaffAuditEntry]:
    """The newest audit entries of `viewer`'s scope (every ward for the admin)."""
    query = (select(StaffAuditEntry).where(ward_filter(viewer, StaffAuditEntry.ward_id))
             .order_by(StaffAuditEntry.at.desc(), StaffAuditEntry.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def find_staff(phone_or_id: str) -> User | None:
    """A manageable staff account by phone number (for the command line)."""
    try:
        phone = normalise_phone(phone_or_id)
    except InputRefused:
        return None
    user = find_by_phone(phone)
    return user if user is not None and user.role in MANAGED_ROLES else None



@dataclass
class WardRow:
    ward: Ward
    staff: int
    learners: int
    last_activity: datetime | None


def ward_overview() -> list[WardRow]:
    """Every ward with its active staff, its learners and the newest practice synced from it
    (three grouped queries, whatever the number of wards)."""
    from sqlalchemy import func

    from hue_literacy.sync.models import ProgressEvent

    def per_ward(roles: list[str]) -> dict[int, int]:
        return dict(db.session.execute(
            select(User.ward_id, func.count()).where(
                User.role.in_(roles), User.deleted_at.is_(None),
                User.deactivated_at.is_(None)).group_by(User.ward_id)).all())

    staff = per_ward([str(role) for role in MANAGED_ROLES])
    learners = per_ward([str(Role.LEARNER)])
    last = dict(db.session.execute(
        select(User.ward_id, func.max(ProgressEvent.occurred_at))
        .join(User, ProgressEvent.learner_id == User.id).group_by(User.ward_id)).all())
    return [WardRow(ward, staff.get(ward.id, 0), learners.get(ward.id, 0),
                    _aware(last[ward.id]) if last.get(ward.id) else None)
            for ward in db.session.scalars(select(Ward).order_by(Ward.name))]
