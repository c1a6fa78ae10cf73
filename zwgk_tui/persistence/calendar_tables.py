"""The cached working-day tables (models.CalendarTable): read on every calendar load, written once per key.

A table is looked up by its key (domain.calendar.table_key), so a row can never answer for other overrides, other
official years or another `holidays` version. Writes are "insert if absent": two processes that build the same
table at once both succeed and store it once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from zwgk_tui.domain.calendar import PackageTable
from zwgk_tui.persistence.database import Database
from zwgk_tui.persistence.models import CalendarOverrideRow, CalendarTable, CalendarYear

# A process that only wants to share a table it built does not queue behind a long writer for the full busy
# timeout: it gives up after this long and simply keeps its table to itself.
SAVE_WAIT_MS = 1_000


@dataclass(frozen=True)
class StoredTable:
    package: PackageTable
    flags: bytes  # with the key's overrides applied


def overrides_and_years(session: Session) -> tuple[list[tuple[date, bool, str, str]], list[int]]:
    """The overrides as (day, working, note, source) by day, and the official years: plain rows, so a command that
    only needs the calendar never sets up the ORM's mappers."""
    o = CalendarOverrideRow.__table__.c
    y = CalendarYear.__table__.c
    overrides = [tuple(r) for r in session.execute(select(o.day, o.working, o.note, o.source).order_by(o.day))]
    years = [int(r[0]) for r in session.execute(select(y.year).order_by(y.year))]
    return overrides, years


def find(session: Session, key: str) -> StoredTable | None:
    c = CalendarTable.__table__.c
    row = session.execute(
        select(c.holidays_version, c.package_flags, c.flags, c.names, c.makeup).where(c.key == key)
    ).first()
    return None if row is None else _decode(row)


def package_of_version(session: Session, version: str) -> PackageTable | None:
    """The package part of any stored table of this `holidays` version (the same for every key)."""
    c = CalendarTable.__table__.c
    row = session.execute(
        select(c.holidays_version, c.package_flags, c.flags, c.names, c.makeup)
        .where(c.holidays_version == version).limit(1)
    ).first()
    return None if row is None else _decode(row).package


def _decode(row: Any) -> StoredTable:
    names = {date.fromisoformat(d).toordinal(): n for d, n in json.loads(row.names).items()}
    makeup = frozenset(date.fromisoformat(d).toordinal() for d in json.loads(row.makeup))
    package = PackageTable(row.holidays_version, bytes(row.package_flags), names, makeup)
    return StoredTable(package, bytes(row.flags))


def _values(key: str, package: PackageTable, flags: bytes, built_at: datetime) -> dict[str, Any]:
    fromordinal = date.fromordinal
    return {
        "key": key,
        "holidays_version": package.version,
        "package_flags": package.flags,
        "flags": flags,
        "names": json.dumps({fromordinal(o).isoformat(): n for o, n in sorted(package.names.items())},
                            ensure_ascii=False),
        "makeup": json.dumps([fromordinal(o).isoformat() for o in sorted(package.makeup)]),
        "built_at": built_at,
    }


def save(session: Session, key: str, package: PackageTable, flags: bytes, built_at: datetime, *,
         replace: bool = False) -> None:
    """Store the table under `key` inside the caller's transaction. replace=True (a calendar change) also drops
    the tables of this version under other keys: they describe overrides that no longer hold."""
    if replace:
        table = _table()
        c = table.c
        session.execute(delete(table).where(c.holidays_version == package.version, c.key != key))
    session.execute(_insert(session.get_bind().dialect.name, key, package, flags, built_at))


def _table() -> Table:
    # A declarative class's __table__ is typed as a FromClause (it may map a join); this one maps a Table.
    return cast(Table, CalendarTable.__table__)


def _insert(dialect: str, key: str, package: PackageTable, flags: bytes, built_at: datetime) -> Any:
    if dialect == "postgresql":  # only the engine's own dialect module is imported (see repo.take_seqs)
        from sqlalchemy.dialects.postgresql import insert
    else:
        # Both dialects' insert() offer the same on_conflict_* API; their Insert classes are unrelated to mypy.
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    table = _table()
    return insert(table).values(**_values(key, package, flags, built_at)).on_conflict_do_nothing(
        index_elements=[table.c.key]
    )


def save_quickly(db: Database, key: str, package: PackageTable, flags: bytes, built_at: datetime) -> bool:
    """Store the table in a short transaction of its own; False if the database is busy for more than
    SAVE_WAIT_MS or cannot be written (read-only file, no rights): the caller's table is right either way."""
    try:
        with db.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            usual = raw.execute("PRAGMA busy_timeout").fetchone()[0] if db.is_sqlite else None
            try:
                if db.is_sqlite:
                    raw.execute(f"PRAGMA busy_timeout = {SAVE_WAIT_MS}")
                wconn = conn.execution_options(zwgk_write=True)
                with wconn.begin():
                    if not db.is_sqlite:
                        wconn.exec_driver_sql(f"SET LOCAL lock_timeout = {SAVE_WAIT_MS}")
                    wconn.execute(_insert(db.engine.dialect.name, key, package, flags, built_at))
            finally:
                if usual is not None:
                    raw.execute(f"PRAGMA busy_timeout = {int(usual)}")
        return True
    except DBAPIError:
        return False
