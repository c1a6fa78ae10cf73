"""Engines and transactions for SQLite (default) and PostgreSQL, with the same code.

SQLite: foreign keys on, a busy timeout, WAL on a local disk, and writers take the lock up front with
BEGIN IMMEDIATE so two clerks never both read, then both try to upgrade to a write lock (which would deadlock into
"database is locked"). PostgreSQL: psycopg 3, READ COMMITTED; counters use INSERT … ON CONFLICT row locks.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SAWarning
from sqlalchemy.orm import Session, sessionmaker

from zwgk_tui.domain.validation import ValidationError
from zwgk_tui.persistence import chain, limits, security  # noqa: F401 - chain and limits register ORM hooks
from zwgk_tui.resources import data_dir

BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"
# Personal data lives in these files: owner only.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class DatabaseUrlError(ValueError):
    """A database that cannot be used as given; the message is for people (exit 2)."""


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("zwgk-tui", appauthor=False)) / "zwgk.db"


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def make_private(path: Path) -> None:
    """Owner-only permissions on a file of ours (a file someone else owns is left alone)."""
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(st.st_mode) & 0o700)
    except (OSError, AttributeError):  # AttributeError: os.getuid on Windows
        pass


def sqlite_companions(path: Path) -> list[Path]:
    """The live database's side files: write-ahead log, shared memory, rollback journal."""
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _prepare_sqlite_path(value: str) -> Path:
    path = Path(value).expanduser()
    if path.is_dir():
        raise DatabaseUrlError(f"数据库路径“{value}”是一个目录，请给出文件路径")
    default_parent = default_db_path().parent
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        if path.parent.resolve() == default_parent.resolve():
            make_private_dir(path.parent)
    except OSError as exc:
        raise DatabaseUrlError(f"无法建立数据库目录“{path.parent}”：{exc.strerror or exc}") from None
    if path.exists():
        if path.stat().st_size > 0 and not is_sqlite_file(path):
            raise DatabaseUrlError(
                f"“{value}”不是 zwgk-tui 的数据库（不是 SQLite 数据库文件）。请检查 --db 或 ZWGK_DB 指向的文件"
            )
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise DatabaseUrlError(
                f"数据库所在目录“{path.parent}”不可写：SQLite 需要在同一目录写日志文件。请换一个有写权限的目录"
            )
        for p in (path, *sqlite_companions(path)):
            make_private(p)
    else:
        try:
            # Created here, owner-only: SQLite gives its -wal and -shm files the database file's permissions.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        except FileExistsError:
            pass
        except OSError as exc:
            raise DatabaseUrlError(f"无法在“{path.parent}”建立数据库文件：{exc.strerror or exc}") from None
    return path


def make_private_dir(path: Path) -> None:
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) != PRIVATE_DIR:
            os.chmod(path, PRIVATE_DIR)
    except (OSError, AttributeError):
        pass


def resolve_url(value: str | None) -> str:
    """A SQLAlchemy URL, or a plain path meaning an SQLite file (created owner-only when new)."""
    if not value:
        value = str(default_db_path())
    if "://" in value:
        try:
            url = make_url(value)
        except ArgumentError:
            raise DatabaseUrlError("数据库地址无效：应为文件路径，或 postgresql+psycopg://用户@主机/库名") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise DatabaseUrlError(f"不支持的数据库类型“{url.get_backend_name()}”：只支持 sqlite 和 postgresql")
        if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            _prepare_sqlite_path(url.database)
        return url.render_as_string(hide_password=False)
    path = _prepare_sqlite_path(value)
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
class ErrorMap:
    """How refusals found below the services become the services' errors (set by the service context), so the
    CLI and the TUI show them like any other: a value over its limit, a step the server refuses to this login."""

    invalid: Callable[[str], Exception]
    not_permitted: Callable[[str], Exception]


@dataclass
class Database:
    url: str
    engine: Engine
    _reader: sessionmaker[Session]
    _writer: sessionmaker[Session]
    errors: ErrorMap | None = field(default=None, repr=False)
    # Who really acts (stamped on events as recorded_by); set by the service context.
    recorded_by: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        return Path(database) if self.is_sqlite and database not in (None, "", ":memory:") else None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, self._translated():
            session.info[chain.RECORDED_BY] = self.recorded_by
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One whole transaction: committed on success, rolled back on any exception."""
        with self._translated(), self._writer() as session, session.begin():
            session.info[chain.RECORDED_BY] = self.recorded_by
            yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as exc:
            if self.errors is None:
                raise
            raise self.errors.invalid(exc.message) from None
        except DBAPIError as exc:
            refusal = server_refusal(exc)
            if refusal is None or self.errors is None:
                raise
            raise self.errors.not_permitted(refusal) from None

    def dispose(self) -> None:
        self.engine.dispose()


_migrated: set[str] = set()
_migrate_lock = threading.Lock()

# The newest migration in db/versions (tests/test_layers.py checks it against alembic's own head). A database at
# this revision is opened without importing alembic (~0.15 s); any other revision goes through alembic.
SCHEMA_HEAD = "0010"


def open_database(url_or_path: str | None, *, migrate: bool = True) -> Database:
    url = resolve_url(url_or_path)
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    # Never echo a statement's parameters (ID numbers, phones) in an error message.
    engine = create_engine(url, hide_parameters=True, json_serializer=chain.JSON_DUMPS, **kwargs)
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
        current = _checked_revision(db)
        if current == head:
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
                    try:
                        with warnings.catch_warnings():
                            # SQLite's batch migrations copy tables by reflection, which cannot read the
                            # expression index ix_cases_span; the migration that made it re-creates it.
                            warnings.filterwarnings("ignore", message="Skipped unsupported reflection",
                                                    category=SAWarning)
                            command.upgrade(cfg, "head")
                    except DBAPIError as exc:
                        if getattr(exc.orig, "sqlstate", None) == "42501" or "must be owner" in str(exc.orig):
                            raise DatabaseUrlError(
                                f"数据库需要升级到版本 {head}，但当前登录没有权限修改表结构："
                                "请由数据库所有者（管理员）执行 zwgk-tui init"
                            ) from None
                        raise
                    if not db.is_sqlite:
                        security.install(conn)  # new tables get their grants
                    applied = True
        _migrated.add(db.url)
        return applied


def _checked_revision(db: Database) -> str | None:
    """The database's schema revision; a database from a newer program, or not ours, is refused in words."""
    from alembic.script import ScriptDirectory

    try:
        current = current_revision(db)
    except DBAPIError as exc:
        if isinstance(exc.orig, sqlite3.DatabaseError) and "not a database" in str(exc.orig):
            raise DatabaseUrlError(
                f"“{db.sqlite_path}”不是 zwgk-tui 的数据库（文件已损坏或不是 SQLite 数据库）") from None
        raise
    if current is not None:
        try:
            known = ScriptDirectory.from_config(_alembic_config(db)).get_revision(current)
        except Exception:  # alembic raises several kinds for an unknown id
            known = None
        if known is None:
            raise DatabaseUrlError(
                f"此数据库由更新版本的 zwgk-tui 建立（数据库版本 {current}），本程序不认识该版本："
                "请升级 zwgk-tui 后再打开（数据未作任何改动）"
            )
    return current


def server_refusal(exc: DBAPIError) -> str | None:
    """A PostgreSQL refusal of this login (insufficient privilege), as a sentence; None for other errors."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) != "42501":
        return None
    diag = getattr(orig, "diag", None)
    primary = str(getattr(diag, "message_primary", "") or "")
    if primary.startswith("zwgk: login"):
        return f"数据库拒绝记录：当前登录没有执行该步骤所需的角色（{primary.removeprefix('zwgk: ')}）"
    return f"数据库拒绝：当前登录没有此操作的权限（{primary or 'permission denied'}）"


def describe_db_error(exc: BaseException) -> str:
    """The database's own message, first line only: never the statement or its parameters."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = str(primary or orig).strip().splitlines()[0] if str(primary or orig).strip() else type(orig).__name__
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "数据库登录失败：用户名或密码不正确"
    if "connection refused" in lowered or "could not connect" in lowered or "connection failed" in lowered:
        return f"连接不上数据库服务器（{text}）"
    if "permission denied" in lowered:
        return f"当前数据库登录没有此操作的权限（{text}）"
    if "append-only" in lowered:
        return "办理记录不可修改或删除（数据库拒绝）"
    return text


def table_names(db: Database) -> list[str]:
    return sorted(inspect(db.engine).get_table_names())


def is_local_file(url: str) -> bool:
    return url.startswith("sqlite:///") and os.path.exists(url.removeprefix("sqlite:///"))


class BackupError(RuntimeError):
    """A backup that could not be made; the message is for people."""


def backup_to(db: Database, out: Path) -> str:
    """Copy the database to `out` (owner-only); returns the method used.

    SQLite: the online backup API copies a consistent snapshot page by page while others write; the copy goes to
    a temporary name first, so a failed backup never leaves a half file under the requested name.
    PostgreSQL: pg_dump (custom format), when installed; its password goes through a private passfile, never the
    command line (which every user of the machine can read in `ps`)."""
    tmp = out.with_name(out.name + ".partial")
    if db.is_sqlite:
        src_path = db.url.removeprefix("sqlite:///")
        if out.resolve() == Path(src_path).resolve():
            raise BackupError("备份文件不能与数据库文件相同")
        try:
            tmp.unlink(missing_ok=True)
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
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
    env, cleanup = pg_client_env(db.engine.url)
    try:
        tmp.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        result = subprocess.run([pg_dump, "--format=custom", "--file", str(tmp)], check=False, capture_output=True,
                                text=True, env=env)
        if result.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"备份失败：{exc.strerror or exc}") from exc
    finally:
        cleanup()
    return "pg_dump"


def pg_client_env(url: Any) -> tuple[dict[str, str], Callable[[], None]]:
    """Environment for libpq tools (pg_dump, pg_restore, psql): host, port, user and database as variables, the
    password in a passfile readable by the owner only, removed by the returned cleanup."""
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD",)}
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    passfile: str | None = None
    if url.password:
        fd, passfile = tempfile.mkstemp(prefix="zwgk-pgpass-")  # mode 0600
        secret = str(url.password).replace("\\", "\\\\").replace(":", "\\:")
        with os.fdopen(fd, "w") as fh:
            # This file serves one run of one tool: any host, port, database and user.
            fh.write(f"*:*:*:*:{secret}\n")
        env["PGPASSFILE"] = passfile

    def cleanup() -> None:
        if passfile:
            Path(passfile).unlink(missing_ok=True)

    return env, cleanup
