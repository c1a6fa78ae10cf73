"""Engines and transactions for SQLite (default) and PostgreSQL, with the same code.

SQLite: foreign keys on, a busy timeout, WAL on a local disk, and writers take the lock up front with
BEGIN IMMEDIATE so two clerks never both read, then both try to upgrade to a write lock (which would deadlock into
"database is locked"). PostgreSQL: psycopg 3, READ COMMITTED; counters use INSERT … ON CONFLICT row locks.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from zwgk_tui.resources import data_dir

BUSY_TIMEOUT_MS = 30_000


class DatabaseUrlError(ValueError):
    pass


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("zwgk-tui", appauthor=False)) / "zwgk.db"


def resolve_url(value: str | None) -> str:
    """A SQLAlchemy URL, or a plain path meaning an SQLite file."""
    if not value:
        value = str(default_db_path())
    if "://" in value:
        url = make_url(value)
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise DatabaseUrlError(f"不支持的数据库类型“{url.get_backend_name()}”：只支持 sqlite 和 postgresql")
        if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    path = Path(value).expanduser()
    if path.is_dir():
        raise DatabaseUrlError(f"数据库路径“{value}”是一个目录，请给出文件路径")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy (not pysqlite) emit BEGIN, so we choose DEFERRED or IMMEDIATE per transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("zwgk_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@dataclass
class Database:
    url: str
    engine: Engine
    _reader: sessionmaker[Session]
    _writer: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One whole transaction: committed on success, rolled back on any exception."""
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


_migrated: set[str] = set()
_migrate_lock = threading.Lock()

# The newest migration in db/versions (tests/test_layers.py checks it against alembic's own head). A database at
# this revision is opened without importing alembic (~0.15 s); any other revision goes through alembic.
SCHEMA_HEAD = "perf_calendar_tables"


def open_database(url_or_path: str | None, *, migrate: bool = True) -> Database:
    url = resolve_url(url_or_path)
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    reader = sessionmaker(bind=engine, expire_on_commit=False)
    writer = sessionmaker(bind=engine.execution_options(zwgk_write=True), expire_on_commit=False)
    db = Database(url=url, engine=engine, _reader=reader, _writer=writer)
    if migrate:
        upgrade(db)
    return db


def _alembic_config(db: Database):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(data_dir("db")))
    cfg.attributes["engine"] = db.engine
    return cfg


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(db: Database) -> str | None:
    """The revision alembic recorded, read directly (None: no schema yet, or more than one head recorded)."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
        else:
            exists = conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
        if not exists:
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return str(rows[0][0]) if len(rows) == 1 else None


def head_revision(db: Database) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(db)).get_current_head()
    assert head is not None
    return head


_PG_MIGRATION_LOCK = 7_283_401  # any constant: the advisory lock id for schema migrations


def upgrade(db: Database) -> bool:
    """Create or upgrade the schema; returns True when something was applied. Cheap when already current.

    Several processes may open a fresh database at once: the migration runs inside one write transaction that
    holds the database's write lock (SQLite BEGIN IMMEDIATE; a PostgreSQL advisory lock), and the revision is
    checked again under that lock, so exactly one process migrates and the others see the result."""
    with _migrate_lock:
        if db.url in _migrated:
            return False
        if stored_revision(db) == SCHEMA_HEAD:
            _migrated.add(db.url)
            return False
        head = head_revision(db)
        if current_revision(db) == head:
            _migrated.add(db.url)
            return False
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        cfg = _alembic_config(db)
        applied = False
        with db.engine.connect() as conn:
            conn = conn.execution_options(zwgk_write=True)
            with conn.begin():
                if not db.is_sqlite:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
                if MigrationContext.configure(conn).get_current_revision() != head:
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    applied = True
        _migrated.add(db.url)
        return applied


def table_names(db: Database) -> list[str]:
    return sorted(inspect(db.engine).get_table_names())


def is_local_file(url: str) -> bool:
    return url.startswith("sqlite:///") and os.path.exists(url.removeprefix("sqlite:///"))


class BackupError(RuntimeError):
    """A backup that could not be made; the message is for people."""


def backup_to(db: Database, out: Path) -> str:
    """Copy the database to `out`; returns the method used.

    SQLite: the online backup API copies a consistent snapshot page by page while others write; the copy goes to
    a temporary name first, so a failed backup never leaves a half file under the requested name.
    PostgreSQL: pg_dump (custom format), when installed."""
    if db.is_sqlite:
        src_path = db.url.removeprefix("sqlite:///")
        if out.resolve() == Path(src_path).resolve():
            raise BackupError("备份文件不能与数据库文件相同")
        tmp = out.with_name(out.name + ".partial")
        try:
            src = sqlite3.connect(src_path, timeout=30)
            dst = sqlite3.connect(tmp)
            with dst:
                src.backup(dst)
            dst.close()
            src.close()
            tmp.replace(out)
        except (sqlite3.Error, OSError) as exc:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"备份失败：{exc}") from exc
        return "sqlite-online-backup"
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("PostgreSQL 备份需要 pg_dump（安装 postgresql-client），或按 README 用 pg_dump 备份")
    url = db.engine.url.set(drivername="postgresql")
    result = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(out), url.render_as_string(hide_password=False)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
    return "pg_dump"
