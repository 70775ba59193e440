"""Finding the learners a staff member may see."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from hue_literacy.access import Role, ward_filter
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db


def learners_visible_to(staff: User, search: str = "", limit: int = 200) -> list[User]:
    """Learners of the staff member's ward (every ward for the admin), optionally searched."""
    query = (
        select(User)
        .where(User.role == Role.LEARNER, User.deleted_at.is_(None))
        .where(ward_filter(staff, User.ward_id))
        .order_by(User.full_name)
        .limit(limit)
    )
    words = search.strip()
    if words:
        digits = "".join(ch for ch in words if ch.isdigit())
        conditions = [func.lower(User.full_name).contains(words.lower())]
        if len(digits) >= 3:
            if digits.startswith("84"):
                digits = "0" + digits[2:]
            conditions.append(User.phone.contains(digits))
        query = query.where(or_(*conditions))
    return list(db.session.scalars(query))
