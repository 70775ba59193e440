"""hue_literacy: offline-first digital-literacy practice for Hue City."""
from __future__ import annotations

from flask import Flask

from hue_literacy.config import PROJECT_ROOT, load_config, production_warnings


class HueLiteracy(Flask):
    """Flask, with each request's view run as one database transaction (database.py)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.extensions = _Extensions(self)

    def dispatch_request(self):
        from hue_literacy.database import run_in_transaction

        return run_in_transaction(super().dispatch_request)


class _Extensions(dict):
    """`app.extensions`, where Flask-Migrate is set up when a `flask db` command first asks.

    The server never migrates: it so never imports Flask-Migrate and Alembic (11 MB).
    """

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self._app = app

    def __missing__(self, key: str):
        if key != "migrate":
            raise KeyError(key)
        from flask_migrate import Migrate

        from hue_literacy.extensions import db

        Migrate(self._app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
        return self["migrate"]


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, features, error pages, commands."""
    app = HueLiteracy(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        static_folder=None,
    )
    load_config(app, config)
    for warning in production_warnings(app.config):
        app.logger.warning("WARNING: %s", warning)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from hue_literacy import database, i18n, security
    from hue_literacy.content import access as content
    from hue_literacy.extensions import compress, csrf, db, login_manager

    db.init_app(app)
    database.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    content.init_app(app)


def register_blueprints(app: Flask) -> None:
    from hue_literacy import page_cache, static_files
    from hue_literacy.accounts import views as accounts
    from hue_literacy.certificates import check_views as certificate_checks
    from hue_literacy.certificates import views as certificates
    from hue_literacy.classes import views as classes
    from hue_literacy.dashboard import views as dashboard
    from hue_literacy.households import api as households_api
    from hue_literacy.households import views as households
    from hue_literacy.learners import views as learners
    from hue_literacy.lessons import views as lessons
    from hue_literacy.main import views as main
    from hue_literacy.narration import views as narration
    from hue_literacy.offline import views as offline
    from hue_literacy.progress import views as progress
    from hue_literacy.roster import views as roster
    from hue_literacy.staff import views as staff
    from hue_literacy.sync import views as sync
    from hue_literacy.wards import views as wards

    static_files.init_app(app)
    page_cache.init_app(app)
    accounts.init_app(app)
    households.init_app(app)
    households_api.init_app(app)
    learners.init_app(app)
    lessons.init_app(app)
    main.init_app(app)
    sync.init_app(app)
    offline.init_app(app)
    progress.init_app(app)
    classes.init_app(app)
    certificates.init_app(app)
    certificate_checks.init_app(app)
    dashboard.init_app(app)
    staff.init_app(app)
    roster.init_app(app)
    narration.init_app(app)
    wards.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from hue_literacy.main import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from hue_literacy import commands

    commands.init_app(app)
