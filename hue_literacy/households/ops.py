"""Household ops sent by ambassadors' phones: each checked alone, applied once, answered.

An op is `{"id": uuid, "type": ..., "occurred_at": iso time, "household": id, "payload": {}}`.
`household` is the server id, or the op id of the `household_created` op that made the
household on a phone (so ops queued offline can follow the registration they depend on).
Every op is checked before anything is written, so a malformed op never makes the valid ones
in the same batch fail; an op id already received is answered "duplicate" and not applied
again (INSERT ... ON CONFLICT DO NOTHING on the ledger, also for two copies at once).

The staff pages' forms build the same ops and go through `apply_op` too (households/views.py),
so a change made online and one queued offline take one path.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from hue_literacy.access import may_act_in_ward
from hue_literacy.accounts.models import User
from hue_literacy.accounts.services import DEFAULT_HASH_METHOD
from hue_literacy.content.release import ContentRelease
from hue_literacy.extensions import db
from hue_literacy.households import members, services
from hue_literacy.households.models import Household
from hue_literacy.households.services import REASONS, Refused
from hue_literacy.learners import services as learners
from hue_literacy.models_base import utcnow
from hue_literacy.sync import services as sync
from hue_literacy.sync.batch import BatchResult, unstorable

MAX_BATCH = 200
KINDS = ("household_created", "household_updated", "member_added", "member_updated",
         "visit_logged", "learner_registered")


@dataclass
class OpResult:
    id: Any
    status: str  # stored | duplicate | refused
    reason: str | None = None
    message: Any = None
    household_id: int | None = None
    learner_id: int | None = None
    not_applied: list[str] = field(default_factory=list)
    kept: dict | None = None  # the values kept instead of those not applied
    made: Any = field(default=None, repr=False)  # what was created or changed (for the pages)

    def as_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.reason:
            data["reason"] = self.reason
            data["message"] = str(self.message or REASONS[self.reason])
        if self.household_id is not None:
            data["household_id"] = self.household_id
        if self.learner_id is not None:
            data["learner_id"] = self.learner_id
        if self.not_applied:
            data["not_applied"] = self.not_applied
        if self.kept is not None:
            data["kept"] = self.kept
        return data


def apply_ops(
    by: User, ops: list, release: ContentRelease, today: date, now: datetime | None = None,
    pin_hash: str = DEFAULT_HASH_METHOD,
) -> BatchResult:
    """Apply a batch of ops in order (a member may follow its household); answer each."""
    now = now or utcnow()
    batch = BatchResult()
    for raw in ops:
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            batch.results.append(apply_op(raw, by, now, release, today, pin_hash))
        except Refused as refused:
            batch.results.append(OpResult(raw_id, "refused", refused.reason, refused.message))
    return batch


def apply_op(
    raw: Any, by: User, now: datetime, release: ContentRelease, today: date,
    pin_hash: str = DEFAULT_HASH_METHOD,
) -> OpResult:
    """Check one op and apply it once; raise Refused with the reason.

    `today` is the date in Hue (a visit may not be dated later than tomorrow); `pin_hash` the
    hash method for the PIN of a learner registered on the phone."""
    if not isinstance(raw, dict):
        raise Refused("not_an_object")
    problem = unstorable(raw)
    if problem:
        raise Refused(problem)
    try:
        op_id = str(uuid.UUID(str(raw.get("id"))))
    except (ValueError, TypeError, AttributeError):
        raise Refused("bad_id") from None
    kind = raw.get("type")
    if kind not in KINDS:
        raise Refused("unknown_type")
    try:
        occurred_at = sync.parse_time(raw.get("occurred_at"), now)
    except sync.Refused:
        raise Refused("bad_time") from None
    payload = raw.get("payload")
    if not isinstance(payload, dict):
        raise Refused("bad_payload")
    author = services.op_author(op_id)
    if author is not None:
        if author != by.id:
            raise Refused("id_conflict")
        return OpResult(op_id, "duplicate")

    if kind == "household_created":
        ward_id = payload.get("ward_id")
        ward = services.ward_for_new_household(by, ward_id)
        checked = services.check_new_household(
            ward, payload.get("address"), payload.get("name"), payload.get("consent"),
            payload.get("members", []),
        )
        if not services.claim_op(op_id, kind, by, occurred_at, now):
            return OpResult(op_id, "duplicate")
        household = services.register_household(checked, by, release, op_id=op_id, now=now)
        return OpResult(op_id, "stored", household_id=household.id, made=household)

    if kind == "learner_registered":
        ward = services.ward_for_new_household(by, payload.get("ward_id"))
        checked = learners.check_new_learner(payload, release.framework, today)
        if not services.claim_op(op_id, kind, by, occurred_at, now):
            return OpResult(op_id, "duplicate")
        learner = learners.register(checked, ward, by, now, pin_hash)
        return OpResult(op_id, "stored", learner_id=learner.id, made=learner)

    household = find_household(raw.get("household"), by)
    if kind == "member_added":
        fields = services.check_member(
            household.ward_id, payload.get("full_name"), payload.get("role"),
            payload.get("phone"), payload.get("learner_id"),
        )
        if not services.claim_op(op_id, kind, by, occurred_at, now):
            return OpResult(op_id, "duplicate")
        member = services.add_member(household, fields, by, release, op_id=op_id, now=now)
        return OpResult(op_id, "stored", household_id=household.id, made=member)
    if kind == "member_updated":
        member = members.find_member(household, payload.get("member"))
        checked = members.check_member_edit(payload.get("fields"), payload.get("was"))
        if not services.claim_op(op_id, kind, by, occurred_at, now):
            return OpResult(op_id, "duplicate")
        made = members.edit_member(member, checked, by, occurred_at, release, op_id=op_id,
                                   now=now)
        lost = [change.field for change in made if not change.applied]
        return OpResult(op_id, "stored", household_id=household.id, made=made, not_applied=lost,
                        kept=members.kept_values(member, lost) if lost else None)
    if kind == "visit_logged":
        fields = services.check_visit(
            payload.get("visited_on"), payload.get("competencies", []), payload.get("notes"),
            today, release.framework,
        )
        if not services.claim_op(op_id, kind, by, occurred_at, now):
            return OpResult(op_id, "duplicate")
        visit = services.log_visit(household, fields, by, occurred_at, release, op_id=op_id,
                                   now=now)
        return OpResult(op_id, "stored", household_id=household.id, made=visit)
    # household_updated
    changes = services.check_fields(household, payload.get("fields"))
    if not services.claim_op(op_id, kind, by, occurred_at, now):
        return OpResult(op_id, "duplicate")
    made = services.edit_household(household, changes, by, occurred_at, release, op_id=op_id,
                                   now=now)
    return OpResult(op_id, "stored", household_id=household.id, made=made,
                    not_applied=[change.field for change in made if not change.applied])


def find_household(ref: Any, by: User) -> Household:
    """The household an op is about, by server id or by the op id that created it."""
    household = None
    if isinstance(ref, str) and ref.isdigit() and len(ref) < 12:
        ref = int(ref)
    if services.is_id(ref):
        household = db.session.get(Household, ref)
    elif isinstance(ref, str):
        try:
            client_id = str(uuid.UUID(ref))
        except ValueError:
            raise Refused("unknown_household") from None
        household = db.session.scalar(select(Household).where(Household.client_id == client_id))
    if household is None:
        raise Refused("unknown_household")
    if not may_act_in_ward(by, household.ward_id):
        raise Refused("other_ward")
    return household
