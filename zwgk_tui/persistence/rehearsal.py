"""Rehearsing writes before the write lock: SQLAlchemy compiles each statement the first time a process runs it
(~3 ms for the 38-column INSERT into cases), and a command-line process runs every statement for the first time.
SQLite has one write lock for the whole database, so that compiling is done first, on a connection where SQLite
itself refuses every write before taking any lock (PRAGMA query_only); the real transaction then finds its
statements compiled. PostgreSQL locks rows, not the database: nothing is rehearsed there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from zwgk_tui.persistence.database import Database


def rehearse(db: Database, steps: Iterable[Callable[[Session], object]]) -> None:
    """Run each step (adds and flushes, upserts …) in a transaction where SQLite refuses to write; each step's
    statements are compiled and cached on the engine, and nothing is written or locked."""
    if not db.is_sqlite:
        return
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA query_only = 1")
        try:
            for step in steps:
                with Session(bind=conn) as s:
                    try:
                        step(s)
                        s.flush()
                    except DBAPIError:
                        pass  # "attempt to write a readonly database": the statement was compiled, as wanted
                    finally:
                        s.rollback()
                conn.rollback()
        finally:
            try:
                raw.execute("PRAGMA query_only = 0")
            except Exception:
                conn.invalidate()  # never hand a read-only connection back to the pool
                raise
