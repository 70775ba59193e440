"""Roles and the one permission check: role_required() plus ward scoping.

Every view that touches a learner, household or class goes through these helpers, so
that the rule "staff see only their own ward" lives in one place.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, jsonify, redirect, request, url_for
from flask_login import current_user


class Role(enum.StrEnum):
    """What a person may do; staff roles are bound to one ward, the admin to the city."""

    LEARNER = "learner"
    AMBASSADOR = "ambassador"
    OFFICIAL = "official"
    ADMIN = "admin"


STAFF_ROLES = (Role.AMBASSADOR, Role.OFFICIAL, Role.ADMIN)


def wants_json() -> bool:
    """Tell API calls (answered in JSON) from page requests (answered with pages)."""
    return request.path.startswith("/api/") or request.is_json


def deny(status: int = 403):
    """Refuse the request: JSON for API calls, the sign-in page or an error page otherwise."""
    if status == 401:
        if wants_json():
            abort(_json_error(401, "authentication_required"))
        abort(redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?"))))
    if wants_json():
        abort(_json_error(status, "forbidden"))
    abort(status)


def _json_error(status: int, code: str):
    response = jsonify({"error": code})
    response.status_code = status
    return response


def role_required(*roles: Role) -> Callable:
    """Let through signed-in users holding one of `roles` (any role if none given)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                deny(401)
            if roles and current_user.role not in roles:
                deny(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(view: Callable) -> Callable:
    """Shortcut for pages of ambassadors, officials and the city admin."""
    return role_required(*STAFF_ROLES)(view)


def may_act_in_ward(user, ward_id: int | None) -> bool:
    """True when `user` may see or change things that belong to `ward_id`."""
    if user.role == Role.ADMIN:
        return True
    if user.role in (Role.AMBASSADOR, Role.OFFICIAL):
        return ward_id is not None and user.ward_id == ward_id
    return False


def may_assign_households(user, ward_id: int | None) -> bool:
    """Officials of the ward (and the city admin) say which ambassador looks after a household."""
    return user.role in (Role.OFFICIAL, Role.ADMIN) and may_act_in_ward(user, ward_id)


def may_export_results(user, ward_id: int | None) -> bool:
    """The ward's results (for national systems) go to its officials and the city admin."""
    return user.role in (Role.OFFICIAL, Role.ADMIN) and may_act_in_ward(user, ward_id)


def may_change_ward_settings(user, ward_id: int | None) -> bool:
    """A ward's settings (such as the signer's title) are its officials' and the admin's."""
    return user.role in (Role.OFFICIAL, Role.ADMIN) and may_act_in_ward(user, ward_id)


def require_ward(ward_id: int | None) -> None:
    """Abort with 403 unless the current user works in `ward_id` (or is the city admin)."""
    if not may_act_in_ward(current_user, ward_id):
        deny(403)


def may_manage_learner(user, learner) -> bool:
    """A learner manages themself; staff manage the learners of their own ward."""
    if user.id == learner.id:
        return True
    return learner.role == Role.LEARNER and may_act_in_ward(user, learner.ward_id)


def require_learner_access(learner) -> None:
    """Abort with 403 unless the current user may see and edit `learner`."""
    if not may_manage_learner(current_user, learner):
        deny(403)


def staff_roles_managed_by(user) -> tuple[Role, ...]:
    """The staff roles `user` may create and change: the admin manages officials and
    ambassadors of every ward, an official the ambassadors of their own ward, others no one."""
    if user.role == Role.ADMIN:
        return (Role.OFFICIAL, Role.AMBASSADOR)
    if user.role == Role.OFFICIAL:
        return (Role.AMBASSADOR,)
    return ()


def may_manage_staff(user, role: str, ward_id: int | None) -> bool:
    """True when `user` may create, change, reset or deactivate a `role` of `ward_id`."""
    if role not in staff_roles_managed_by(user) or ward_id is None:
        return False
    return may_act_in_ward(user, ward_id)


def require_staff_management(role: str, ward_id: int | None) -> None:
    """Abort with 403 unless the current user is the one above this staff member."""
    if not may_manage_staff(current_user, role, ward_id):
        deny(403)


def may_read_staff_audit(user) -> bool:
    """The admin reads the whole staff audit log, an official their ward's part of it."""
    return user.role in (Role.ADMIN, Role.OFFICIAL)


def ward_filter(user, ward_column):
    """A WHERE clause limiting a query to the user's ward (true for the city admin)."""
    from sqlalchemy import true

    if user.role == Role.ADMIN:
        return true()
    return ward_column == user.ward_id


def may_edit_content(user) -> bool:
    """Content editors: the city admin and ward officials review and record narration."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.OFFICIAL)


def may_record_narration(user) -> bool:
    """Editors record; an ambassador records once an official of their ward allowed it."""
    if may_edit_content(user):
        return True
    return (user.is_authenticated and user.role == Role.AMBASSADOR
            and bool(getattr(user, "may_record_narration", False)))


def may_allow_narration(user, ambassador) -> bool:
    """Who may let an ambassador record (or stop them): the one above them."""
    return may_manage_staff(user, ambassador.role, ambassador.ward_id) \
        and ambassador.role == Role.AMBASSADOR


def may_review_recording(user, recording) -> bool:
    """The admin reviews every recording, an official those made in their own ward."""
    if not may_edit_content(user):
        return False
    return user.role == Role.ADMIN or may_act_in_ward(user, recording.ward_id)
