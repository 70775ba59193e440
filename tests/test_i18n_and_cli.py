"""Languages, locale formatting, migrations and the command-line tools."""
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from babel.messages.pofile import read_po
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.conftest import make_app

TRANSLATIONS = Path(__file__).parent.parent / "hue_literacy" / "translations"


def test_browser_asking_for_english_still_gets_vietnamese(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="vi"' in page.get_data(as_text=True)


def test_language_switch_is_labelled_in_each_languages_own_name(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="vi"' in page and ">Tiếng Việt<" in page and ">English<" in page


def test_switching_to_english_changes_the_page(client):
    client.post("/language", data={"lang": "en", "next": "/sign-in"})
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page


def test_every_vietnamese_message_is_translated():
    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    def untranslated(message) -> bool:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        return not all(forms) or message.fuzzy

    missing = [m.id for m in catalogue if m.id and untranslated(m)]
    assert missing == []


def test_dates_are_formatted_for_the_locale(app):
    from datetime import date

    from flask_babel import force_locale, format_date

    with app.test_request_context():
        with force_locale("vi"):
            assert "tháng 3" in format_date(date(2026, 3, 14), "long")
        with force_locale("en"):
            assert "March" in format_date(date(2026, 3, 14), "long")


def test_demo_seed_prints_accounts_and_is_idempotent(app, runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "0912 345 678" in first.output and "PIN" in first.output
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        assert len(list(db.session.scalars(select(User)))) == 7


def test_admin_create_command(app, runner):
    result = runner.invoke(
        args=["admin", "create", "--name", "Admin Huế", "--phone", "0905123456",
              "--password", "a-long-password"]
    )
    assert result.exit_code == 0, result.output
    weak = runner.invoke(
        args=["admin", "create", "--name", "X", "--phone", "0905123457", "--password", "short"]
    )
    assert weak.exit_code != 0


def test_migrations_build_exactly_the_models_schema(database_url, tmp_path):
    """Run every Alembic migration on an empty database and compare with the models."""
    if database_url.startswith("sqlite"):
        url = "sqlite:///" + str(tmp_path / "migrated.sqlite")
    else:
        url = database_url.rsplit("/", 1)[0] + "/hue_migrations"
        admin = create_engine(database_url.rsplit("/", 1)[0] + "/postgres",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS hue_migrations"))
            conn.execute(text("CREATE DATABASE hue_migrations"))
        admin.dispose()
    app = make_app(url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        db.engine.dispose()
    assert diff == []
