"""Make and restore backups: SQLite's online backup API, pg_dump / pg_restore for PostgreSQL.

A backup's name carries the schema revision (the newest migration applied) and the content
release hash, so a file of another revision is refused before anything is overwritten.
Plain functions of a database URL and paths; the commands in commands.py call them.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from hue_literacy.config import PROJECT_ROOT

NAME_PATTERN = re.compile(
    r"^hue-literacy-(?P<stamp>\d{8}T\d{6}Z)-rev(?P<revision>[0-9a-f]+)"
    r"-content(?P<content>[0-9a-f]{12})\.(?P<kind>sqlite|pgdump)$")


class BackupRefused(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupName:
    revision: str
    content: str
    kind: str


def schema_head(migrations: Path = PROJECT_ROOT / "migrations") -> str:
    """The newest migration of this version of the app."""
    from alembic.config import Config as AlembicConfig  # only for backups: not in the server
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(migrations))
    return ScriptDirectory.from_config(config).get_current_head()


def database_revision(engine: Engine) -> str:
    """The schema revision of the database (its Alembic version; a database made with
    create_all, as the tests do, has the models' schema, i.e. the newest migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or schema_head()


def backup_name(revision: str, content_hash: str, kind: str, now: datetime) -> str:
    return (f"hue-literacy-{now:%Y%m%dT%H%M%SZ}-rev{revision}-content{content_hash[:12]}"
            f".{kind}")


def parse_name(path: Path) -> BackupName:
    match = NAME_PATTERN.match(path.name)
    if not match:
        raise BackupRefused(
            f"{path.name} is not named like a backup of this app "
            "(hue-literacy-<date>-rev<revision>-content<hash>.sqlite or .pgdump).")
    return BackupName(match["revision"], match["content"], match["kind"])


def create_backup(engine: Engine, folder: Path, content_hash: str, now: datetime) -> Path:
    """Write one consistent copy of the database into `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    revision = database_revision(engine)
    if engine.dialect.name == "sqlite":
        target = folder / backup_name(revision, content_hash, "sqlite", now)
        _sqlite_copy(_sqlite_path(engine), target)
    elif engine.dialect.name == "postgresql":
        target = folder / backup_name(revision, content_hash, "pgdump", now)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target),
              _libpq_url(engine)])
    else:
        raise BackupRefused(f"Backups of {engine.dialect.name} databases are not supported.")
    return target


def restore_backup(engine: Engine, backup: Path) -> BackupName:
    """Replace the database's content by the backup's; refuse a backup of another revision."""
    if not backup.is_file():
        raise BackupRefused(f"No file {backup}.")
    name = parse_name(backup)
    head = schema_head()
    if name.revision != head:
        raise BackupRefused(
            f"This backup has schema revision {name.revision}, this version of the app needs "
            f"{head}. Restore it with the version of the app that made it (then run "
            "`flask db upgrade`), or choose a backup made by this version.")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        if name.kind != "sqlite":
            raise BackupRefused("This is a PostgreSQL backup; the database here is SQLite.")
        _sqlite_copy(backup, _sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        if name.kind != "pgdump":
            raise BackupRefused("This is a SQLite backup; the database here is PostgreSQL.")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _libpq_url(engine), str(backup)])
    else:
        raise BackupRefused(f"Restoring {engine.dialect.name} databases is not supported.")
    return name


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupRefused("An in-memory database cannot be backed up.")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the app is writing."""
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _libpq_url(engine: Engine) -> str:
    """The URL as pg_dump understands it (no SQLAlchemy driver name), password included."""
    url = make_url(engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupRefused(f"{command[0]} is not installed (Debian: apt install "
                            "postgresql-client, the same major version as the server).")
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupRefused(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
