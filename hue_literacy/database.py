"""The database around a request: one commit point, the upsert, and engine settings.

Views never commit. `run_in_transaction` wraps every view (see `HueLiteracy.dispatch_request`):
a view that returns normally has its writes committed once, a view that raises (an error, an
`abort()`) has them rolled back. GET and HEAD requests only read, so a link, a reload or a
prefetch never changes anything; a view that must count GET requests (the public certificate
check counts lookups against code guessing) says so with `@writes_on_get`. SQLite waits for
locks instead of failing.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from hue_literacy.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])


class WriteOnGet(RuntimeError):
    """A GET or HEAD request changed the database (raised when testing or debugging)."""


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if not event.contains(Session, "after_flush", _note_write):
        event.listen(Session, "after_flush", _note_write)
        event.listen(Session, "do_orm_execute", _note_statement)


def insert_on_conflict(target: Any) -> Any:
    """An INSERT that takes ON CONFLICT DO NOTHING / DO UPDATE ... RETURNING, on the engine in
    use (SQLite and PostgreSQL spell it the same; no other database is supported)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover
        raise RuntimeError(f"unsupported database {dialect}")
    return insert(target)


def writes_on_get(view: View) -> View:
    """Mark a view that records something on GET (and commits it like a POST)."""
    view.writes_on_get = True  # type: ignore[attr-defined]
    return view


def run_in_transaction(dispatch: Callable[[], Any]) -> Any:
    """Run the request's view; commit its writes once when it returns, roll back if it raises."""
    g.db_wrote = False
    try:
        result = dispatch()
    except BaseException:
        db.session.rollback()
        raise
    if request.method in SAFE_METHODS and not _view_writes_on_get():
        if g.db_wrote or _pending(db.session):
            db.session.rollback()
            message = f"{request.method} {request.path} changed the database"
            if current_app.testing or current_app.debug:
                raise WriteOnGet(message)
            log.error("%s; rolled back", message)
        return result
    db.session.commit()
    return result


def _view_writes_on_get() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


def _pending(session) -> bool:
    return bool(session.new or session.deleted
                or any(session.is_modified(obj) for obj in session.dirty))


def _note_write(_session, _flush_context) -> None:
    if has_request_context():
        g.db_wrote = True


def _note_statement(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and has_request_context():
        g.db_wrote = True


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets phones' syncs write while pages read; busy_timeout queues concurrent writers."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
