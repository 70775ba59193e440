"""factory_boy factories for people and wards."""
from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from hue_literacy.access import Role
from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.wards.models import Ward

TEST_PIN = "2580"
TEST_PASSWORD = "correct horse battery"
FAST_HASH = "pbkdf2:sha256:1000"


def ward(code: str = "PHUXUAN") -> Ward:
    """One of the seeded wards."""
    return db.session.scalar(select(Ward).where(Ward.code == code))


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    role = Role.LEARNER
    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Học Viên {n}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    secret_hash = factory.LazyFunction(lambda: generate_password_hash(TEST_PIN, method=FAST_HASH))
    ward = factory.LazyFunction(ward)
    group = "elderly"
    consent_at = factory.LazyFunction(utcnow)
    created_at = factory.LazyFunction(utcnow)


class LearnerFactory(UserFactory):
    pass


class AmbassadorFactory(UserFactory):
    role = Role.AMBASSADOR
    full_name = factory.Sequence(lambda n: f"Lê Văn Đại Sứ {n}")
    phone = factory.Sequence(lambda n: f"07{n:08d}")
    secret_hash = factory.LazyFunction(
        lambda: generate_password_hash(TEST_PASSWORD, method=FAST_HASH)
    )
    group = None


class OfficialFactory(AmbassadorFactory):
    role = Role.OFFICIAL
    full_name = factory.Sequence(lambda n: f"Trần Văn Cán Bộ {n}")
    phone = factory.Sequence(lambda n: f"08{n:08d}")


class AdminFactory(AmbassadorFactory):
    role = Role.ADMIN
    full_name = factory.Sequence(lambda n: f"Admin {n}")
    phone = factory.Sequence(lambda n: f"03{n:08d}")
    ward = None
