"""Every value written through the ORM is checked against the domain's field limits before any SQL runs.

So both engines refuse the same values with the same Chinese sentence (domain ValidationError), instead of SQLite
storing an over-long name that PostgreSQL would refuse with a driver error quoting the statement. Columns without
a domain limit still get their schema length and the 32-bit integer range."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, event, inspect
from sqlalchemy.orm import Session

from zwgk_tui.domain import validation as v


def _limit_for(table: str, column: Any) -> v.FieldLimit | None:
    key = f"{table}.{column.key}"
    known = v.FIELD_LIMITS.get(key)
    if known is not None:
        return known
    if isinstance(column.type, String) and column.type.length:
        return v.FieldLimit(key, column.type.length)
    if isinstance(column.type, Integer):
        return v.FieldLimit(key)
    return None


_cache: dict[tuple[type, str], list[tuple[str, v.FieldLimit]]] = {}


def _limits(obj: Any) -> list[tuple[str, v.FieldLimit]]:
    cls = type(obj)
    mapper = inspect(cls)
    table = mapper.local_table.name
    key = (cls, table)
    found = _cache.get(key)
    if found is None:
        found = []
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            limit = _limit_for(table, column)
            if limit is not None:
                found.append((attr.key, limit))
        _cache[key] = found
    return found


@event.listens_for(Session, "before_flush")
def _check_limits(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj, changed_only in [(o, False) for o in session.new] + [(o, True) for o in session.dirty]:
        state = inspect(obj)
        table = state.mapper.local_table.name
        loaded = state.dict  # only values in memory: never a lazy load from here
        # A changed row: only the attributes changed since it was loaded (a calendar change touches many cases).
        changed = state.committed_state if changed_only else loaded
        for attr, limit in _limits(obj):
            if attr in changed and attr in loaded:
                v.check_field(f"{table}.{attr}", loaded[attr], limit)
