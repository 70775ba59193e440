"""User accounts and the record of failed sign-ins."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hue_literacy.access import Role
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.wards.models import Ward


class User(UserMixin, db.Model):
    """A learner, ambassador, ward official or the city admin.

    Learners hold a 4-6 digit PIN, staff a password; both are stored only as hashes.
    Deleting an account blanks every personal field but keeps the row (role, ward, group,
    dates) so that the ward's anonymous statistics stay right.
    """

    __tablename__ = "users"
    __table_args__ = (
        # the dashboards count a ward's learners by group and by month registered from these
        Index("ix_users_ward_role_group", "ward_id", "role", "group"),
        Index("ix_users_ward_role_created", "ward_id", "role", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER, index=True)
    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(15), unique=True)
    secret_hash: Mapped[str | None] = mapped_column(String(255))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)
    group: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[date | None] = mapped_column(Date)
    locale: Mapped[str | None] = mapped_column(String(5))
    # normal | large | larger: the learner's own choice, the same on every phone they use
    text_size: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    card_version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A deactivated staff member keeps their name in the records but can no longer sign in.
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of the id kept in the session and the remember cookie; a new one ends them all.
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: new_session_token())
    # Set by a ward official: this ambassador may record lesson narration (access.py).
    may_record_narration: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())

    ward: Mapped[Ward | None] = relationship()
    registered_by: Mapped[User | None] = relationship(
        foreign_keys=[registered_by_id], remote_side=[id]
    )
    consent_by: Mapped[User | None] = relationship(foreign_keys=[consent_by_id], remote_side=[id])

    @property
    def is_active(self) -> bool:  # Flask-Login: deleted or deactivated accounts cannot sign in
        return self.deleted_at is None and self.deactivated_at is None

    def get_id(self) -> str:
        """What the session and the remember cookie hold: the id and the session token."""
        return f"{self.id}:{self.session_token}"

    def rehash_secret(self, secret_hash: str) -> None:
        """Store the same PIN or password hashed another way: not a new credential, so every
        session stays open (unlike a new secret, see _credentials_changed)."""
        token = self.session_token
        self.secret_hash = secret_hash
        self.session_token = token

    def end_sessions(self) -> None:
        """Sign this person out everywhere: every session and remember cookie stops working."""
        self.session_token = new_session_token()

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.AMBASSADOR, Role.OFFICIAL, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


def new_session_token() -> str:
    return secrets.token_hex(16)


@event.listens_for(User.secret_hash, "set")
@event.listens_for(User.card_version, "set")
@event.listens_for(User.deleted_at, "set")
@event.listens_for(User.deactivated_at, "set")
def _credentials_changed(user: User, value, old, _initiator) -> None:
    """A new PIN or password, a renewed card, a deletion or a deactivation ends every session
    at once, whichever code makes the change (a rule of the model, so no path can forget it)."""
    if old != value:
        user.end_sessions()


class SignInFailure(db.Model):
    """One refused sign-in, counted per phone number and per address to slow down guessing.

    Each row also names the phone number tried (`phone`), so that the phone's owner signing
    in at last takes back their own mistakes from the address's count too: a class behind
    one Wi-Fi is one address, and its learners' typing slips must not lock out the class.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(15), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<SignInFailure {self.key}>"
