"""Backups: one file named by schema revision and content release; restored into an empty
database it holds every learner, event, household and certificate; a file of another schema
revision is refused with a clear message before anything is overwritten."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select

from hue_literacy.accounts.models import User
from hue_literacy.backups import services
from hue_literacy.certificates.models import Certificate
from hue_literacy.extensions import db
from hue_literacy.households.models import Household
from hue_literacy.models_base import utcnow
from hue_literacy.sync.models import ProgressEvent
from tests.conftest import make_app
from tests.factories import LearnerFactory, OfficialFactory, ward


def fill(app) -> dict[str, int]:
    with app.app_context():
        official = OfficialFactory(phone="0812345001")
        learners = [LearnerFactory(full_name=f"Nguyễn Thị Ảnh {n}") for n in range(3)]
        for n, learner in enumerate(learners):
            db.session.add(ProgressEvent(
                event_id=str(uuid.uuid4()), learner_id=learner.id, kind="step_answered",
                lesson_id="qr-scan-basics", lesson_version=1, step_id=f"s{n}",
                correct=True, occurred_at=utcnow()))
            db.session.add(Household(ward=ward(), address=f"{n} kiệt 12 Lê Lợi",
                                     address_key=f"{n} kiet 12 le loi", name=f"Hộ {n}",
                                     consent_at=utcnow()))
        db.session.add(Certificate(
            serial="PHUXUAN-2026-0001", code="ABCD1234", ward=ward(), year=2026, number=1,
            learner_id=learners[0].id, learner_name=learners[0].full_name, ward_name="Phú Xuân",
            framework_id="hue", framework_version=2, profile_id="basic", competency_ids=["QR-1"],
            assessor_ids=[official.id], assessor_names=[official.full_name],
            issued_by_id=official.id, issued_by_name=official.full_name,
            issued_on=date(2026, 12, 1)))
        db.session.commit()
        return counts()


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, ProgressEvent, Household, Certificate)}


def test_a_backup_restored_into_an_empty_database_holds_everything(app, tmp_path, runner):
    before = fill(app)
    result = runner.invoke(args=["backup", "create", "--folder", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (backup,) = tmp_path.iterdir()
    name = services.parse_name(backup)
    with app.app_context():
        assert name.revision == services.schema_head()
        assert app.extensions and name.content
    empty_url = _empty_database_url(app, tmp_path)
    empty = make_app(empty_url)
    restored = empty.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    with empty.app_context():
        assert counts() == before
        names = set(db.session.scalars(select(User.full_name)))
        assert {"Nguyễn Thị Ảnh 0", "Nguyễn Thị Ảnh 2"} <= names
        assert db.session.scalar(select(Certificate.serial)) == "PHUXUAN-2026-0001"
        assert "Hộ 1" in set(db.session.scalars(select(Household.name)))
        db.session.remove()
        db.engine.dispose()


def test_a_backup_of_another_schema_revision_is_refused(app, tmp_path, runner):
    fill(app)
    runner.invoke(args=["backup", "create", "--folder", str(tmp_path)])
    (backup,) = tmp_path.iterdir()
    head = services.schema_head()
    older = backup.with_name(backup.name.replace(f"rev{head}", "rev0123abcd"))
    backup.rename(older)
    result = runner.invoke(args=["backup", "restore", str(older), "--yes"])
    assert result.exit_code != 0
    assert "schema revision 0123abcd" in result.output and head in result.output
    with app.app_context():
        assert counts()["Household"] == 3  # nothing was overwritten


def test_a_file_not_named_like_a_backup_is_refused(runner, tmp_path):
    stray = tmp_path / "copy.sqlite"
    stray.write_bytes(b"")
    result = runner.invoke(args=["backup", "restore", str(stray), "--yes"])
    assert result.exit_code != 0 and "not named like a backup" in result.output


def _empty_database_url(app, tmp_path) -> str:
    """A second, empty database of the same kind as the test database."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return "sqlite:///" + str(tmp_path / "empty.sqlite")
    from sqlalchemy import create_engine, text

    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS hue_restore_test"))
        connection.execute(text("CREATE DATABASE hue_restore_test"))
    admin.dispose()
    return url.set(database="hue_restore_test").render_as_string(hide_password=False)
