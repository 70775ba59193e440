"""Account rules: registration with consent, sign-in, sign-in cards, data export and deletion.

Plain functions with explicit arguments; views parse the request and call these, and the
request commits once (database.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from hue_literacy.access import Role
from hue_literacy.accounts import throttle
from hue_literacy.accounts.models import User
from hue_literacy.accounts.personal_data import DataContext, erase_sections, export_sections
from hue_literacy.accounts.phone import (
    check_new_password,
    check_new_pin,
    normalise_phone,
)
from hue_literacy.dashboard import tallies
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.models import Ward

DEFAULT_HASH_METHOD = "scrypt"


@cache
def dummy_hash(method: str) -> str:
    """A hash to check when the phone is unknown, made with the method (and cost) real ones
    use, so the answer takes as long and timing does not reveal which numbers exist."""
    return generate_password_hash("0000-not-a-real-pin", method=method)


def hash_secret(secret: str, method: str = DEFAULT_HASH_METHOD) -> str:
    return generate_password_hash(secret, method=method)


def _hashed_with(stored: str, method: str) -> bool:
    """Whether a stored hash used `method` with its cost ("scrypt" means scrypt:32768:8:1)."""
    return stored.split("$", 1)[0] == dummy_hash(method).split("$", 1)[0]


def find_by_phone(phone: str) -> User | None:
    return db.session.scalar(select(User).where(User.phone == phone))


def deleted_learner(user_id: object) -> int | None:
    """The id of a learner account deleted since a phone knew it (its row is kept anonymous),
    else None: the phone then takes that learner's name tile and waiting results off."""
    if not isinstance(user_id, int) and not (isinstance(user_id, str) and user_id.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.deleted_at is None or user.role != Role.LEARNER:
        return None
    return user.id


@dataclass
class SignInResult:
    user: User | None = None
    error: Any = None
    wait_seconds: int = 0


def sign_in(
    raw_phone: str,
    secret: str,
    address: str | None,
    policy: throttle.ThrottlePolicy,
    staff: bool = False,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> SignInResult:
    """Check a phone number and PIN (or staff password), counting failures against guessing.

    The attempt is counted (and committed, see throttle) before the PIN is checked; a right
    PIN uncounts it and the phone's earlier failures.
    """
    try:
        phone = normalise_phone(raw_phone)
    except InputRefused as refused:
        return SignInResult(error=refused.message)
    attempt = throttle.begin_attempt(policy, phone, address)
    if not attempt.allowed:
        return SignInResult(error=_l("Too many wrong tries."), wait_seconds=attempt.wait_seconds)
    user = find_by_phone(phone)
    stored = user.secret_hash if user and user.secret_hash else dummy_hash(hash_method)
    ok = check_password_hash(stored, secret)
    if not user or not ok or not user.is_active:
        if staff:
            return SignInResult(error=_l("This phone number and password do not match."))
        return SignInResult(error=_l("This phone number and PIN do not match. Please try again."))
    if staff != user.is_staff:
        throttle.forget_attempt(attempt)
        if staff:
            return SignInResult(error=_l("This account is a learner: please use the PIN sign-in."))
        return SignInResult(error=_l("Staff accounts sign in with a password on the staff page."))
    throttle.forget_attempt(attempt, phone)
    if not _hashed_with(stored, hash_method):  # made before the method changed (config.py)
        user.rehash_secret(hash_secret(secret, hash_method))
    return SignInResult(user=user)


def _claim_phone(raw_phone: str, current: User | None = None) -> str:
    phone = normalise_phone(raw_phone)
    holder = find_by_phone(phone)
    if holder is not None and holder is not current:
        raise InputRefused(_l("This phone number is already registered."))
    return phone


def register_learner(
    *,
    full_name: str,
    raw_phone: str,
    pin: str,
    ward: Ward,
    group: str,
    consent: bool,
    registered_by: User | None,
    birth_date: date | None = None,
    locale: str | None = None,
    now: datetime | None = None,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> User:
    """Create a learner account; refuse without the learner's consent to store their data.

    `registered_by` is the ambassador who registered them (None when they signed up alone);
    the consent is recorded with its date and who took it.
    """
    name = " ".join((full_name or "").split())
    if len(name) < 2:
        raise InputRefused(_l("Please write the learner's full name."))
    if not consent:
        raise InputRefused(
            _l("We can only save the account when the learner agrees that we store their data.")
        )
    phone = _claim_phone(raw_phone)
    pin = check_new_pin(pin)
    now = now or utcnow()
    learner = User(
        role=Role.LEARNER,
        full_name=name,
        phone=phone,
        secret_hash=hash_secret(pin, hash_method),
        ward=ward,
        group=group,
        birth_date=birth_date,
        locale=locale,
        registered_by=registered_by,
        consent_at=now,
        created_at=now,
    )
    learner.consent_by = registered_by
    db.session.add(learner)
    db.session.flush()
    if registered_by is None:
        learner.consent_by_id = learner.id
    return learner


def update_learner(
    learner: User,
    *,
    full_name: str,
    raw_phone: str,
    group: str,
    birth_date: date | None,
    new_pin: str | None = None,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> User:
    """Change a learner's details; a new PIN is optional."""
    name = " ".join((full_name or "").split())
    if len(name) < 2:
        raise InputRefused(_l("Please write the learner's full name."))
    learner.phone = _claim_phone(raw_phone, current=learner)
    learner.full_name = name
    old_group, learner.group = learner.group, group
    db.session.flush()  # the change first: the totals move under the database's write lock
    tallies.move_group(learner.id, learner.ward_id, old_group, group)
    learner.birth_date = birth_date
    if new_pin:
        learner.secret_hash = hash_secret(check_new_pin(new_pin), hash_method)
    return learner


def create_staff(
    *,
    role: Role,
    full_name: str,
    raw_phone: str,
    password: str,
    ward: Ward | None,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> User:
    """Create an ambassador or official (bound to a ward) or a city admin (no ward)."""
    if role == Role.LEARNER:
        raise ValueError("learners are created with register_learner()")
    if role != Role.ADMIN and ward is None:
        raise InputRefused(_l("Ambassadors and officials belong to one ward."))
    phone = _claim_phone(raw_phone)
    staff = User(
        role=role,
        full_name=" ".join(full_name.split()),
        phone=phone,
        secret_hash=hash_secret(check_new_password(password), hash_method),
        ward=None if role == Role.ADMIN else ward,
        consent_at=utcnow(),
    )
    db.session.add(staff)
    db.session.flush()
    staff.consent_by_id = staff.id
    return staff


def set_password(user: User, password: str, hash_method: str = DEFAULT_HASH_METHOD) -> None:
    """Give a staff member a new password (which also signs them out everywhere)."""
    user.secret_hash = hash_secret(check_new_password(password), hash_method)


# --- sign-in cards -------------------------------------------------------------------------

CARD_SALT = "sign-in-card"


def card_token(user: User, secret_key: str) -> str:
    """A token for the QR on a learner's printed card; reprinting the card revokes old ones."""
    return URLSafeSerializer(secret_key, salt=CARD_SALT).dumps([user.id, user.card_version])


def user_from_card_token(token: str, secret_key: str) -> User | None:
    """The learner a card belongs to, or None for a forged, revoked or deleted card."""
    try:
        user_id, version = URLSafeSerializer(secret_key, salt=CARD_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.card_version != version:
        return None
    if user.role != Role.LEARNER:
        return None
    return user


def renew_card(user: User) -> None:
    """Invalidate every printed card of this learner (lost card)."""
    user.card_version += 1


# --- personal data: export and deletion (the sections are listed in personal_data.py) ---


def export_personal_data(user: User, context: DataContext) -> dict[str, Any]:
    """Everything stored about a person, as JSON-ready data."""
    data: dict[str, Any] = {
        "account": {
            "id": user.id,
            "role": str(user.role),
            "full_name": user.full_name,
            "phone": user.phone,
            "ward": user.ward.name if user.ward else None,
            "group": user.group,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "language": user.locale,
            "text_size": user.text_size,
            "created_at": _iso(user.created_at),
            "registered_by": user.registered_by.full_name if user.registered_by else None,
            "consent": {
                "given_at": _iso(user.consent_at),
                "taken_by": user.consent_by.full_name if user.consent_by else None,
            },
        }
    }
    data.update(export_sections(user, context))
    return data


def delete_account(user: User, context: DataContext, now: datetime | None = None) -> None:
    """Remove a person's personal data; keep an anonymous row for the ward's counts."""
    erase_sections(user, context)
    user.full_name = None
    user.phone = None
    user.secret_hash = None
    user.birth_date = None
    user.locale = None
    user.text_size = None
    user.card_version += 1
    user.deleted_at = now or utcnow()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


TEXT_SIZES = ("normal", "large", "larger")


def choose_text_size(user: User, size: object) -> str:
    """Keep the learner's text size on their account (every phone they use shows it)."""
    if size not in TEXT_SIZES:
        raise InputRefused(_l("Choose normal, large or larger text."))
    user.text_size = str(size)
    return user.text_size
