"""The register's page and count (the TUI home screen, `case list`): the most frequent query of the program.

The statements are built once per filter shape (which conditions are present) with bound parameters and compiled
once per dialect; each call then runs the SQL text on a pooled DBAPI connection. For the small filters a clerk
uses all day (overdue, due within N days, one stage) the query itself takes about 0.1 ms, and building, caching
and wrapping an SQLAlchemy statement would cost twice that again (bench/bench_register.py).

"Not closed" is written as a literal so SQLite can use the partial index ix_cases_open_due (a bound parameter
cannot prove the index's WHERE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnClause, Date, Integer, String, and_, bindparam, func, literal_column, or_, select

from zwgk_tui.persistence.database import Database
from zwgk_tui.persistence.models import Agency, Case
from zwgk_tui.persistence.repo import CaseFilter

_NOT_CLOSED: ColumnClause[str] = literal_column("'closed'")

# One register line: number, agency code, agency's due_soon_days, applicant name, applicant_type, received_on,
# stage, due_date, due_provisional, outcome, concluded_on, content (dates as date, the flag as bool).
RegisterRow = tuple[str, str, int, str, str, date, str, "date | None", bool, "str | None", "date | None", str]

Shape = tuple[Any, ...]


def _shape(f: CaseFilter) -> Shape:
    return (f.open_only, f.closed_only, f.overdue_before is not None, f.due_by is not None, f.paused_only,
            bool(f.stage), None if f.agency_ids is None else len(f.agency_ids), bool(f.agency_code),
            bool(f.applicant_type), bool(f.year), bool(f.search))


def _params(f: CaseFilter) -> dict[str, Any]:
    p: dict[str, Any] = {}
    if f.overdue_before is not None:
        p["overdue_before"] = f.overdue_before
    if f.due_by is not None:
        p["due_by"] = f.due_by
    if f.stage:
        p["stage"] = f.stage
    for i, agency_id in enumerate(f.agency_ids or ()):
        p[f"agency_id_{i}"] = agency_id
    if f.agency_code:
        p["agency_code"] = f.agency_code
    if f.applicant_type:
        p["applicant_type"] = f.applicant_type
    if f.year:
        p["year_first"], p["year_last"] = date(f.year, 1, 1), date(f.year, 12, 31)
    if f.search:
        p["like"] = f"%{f.search.strip()}%"
    return p


def _conditions(shape: Shape) -> list[Any]:
    """The same conditions as repo._apply_filter, with bound parameters named as in _params."""
    (open_only, closed_only, overdue, due_by, paused, stage, n_agency_ids, agency_code, applicant_type, year,
     search) = shape
    c = Case.__table__.c
    conds: list[Any] = []
    if open_only:
        conds.append(c.stage != _NOT_CLOSED)
    if closed_only:
        conds.append(c.stage == _NOT_CLOSED)
    if overdue:
        conds += [c.stage != _NOT_CLOSED, c.due_date < bindparam("overdue_before", type_=Date)]
    if due_by:
        conds += [c.stage != _NOT_CLOSED, c.due_date <= bindparam("due_by", type_=Date)]
    if paused:
        conds += [c.stage != _NOT_CLOSED, c.paused.is_(True)]
    if stage:
        conds.append(c.stage == bindparam("stage", type_=String))
    if n_agency_ids is not None:
        conds.append(c.agency_id.in_([bindparam(f"agency_id_{i}", type_=Integer) for i in range(n_agency_ids)]))
    if agency_code:
        a = Agency.__table__.c
        conds.append(c.agency_id == select(a.id).where(a.code == bindparam("agency_code", type_=String))
                     .scalar_subquery())
    if applicant_type:
        conds.append(c.applicant_type == bindparam("applicant_type", type_=String))
    if year:
        conds.append(and_(c.received_on >= bindparam("year_first", type_=Date),
                          c.received_on <= bindparam("year_last", type_=Date)))
    if search:
        like = bindparam("like", type_=String)
        conds.append(or_(c.number.like(like), c.content.like(like), c.applicant_name.like(like)))
    return conds


def _order() -> list[Any]:
    """Open cases by urgency (nearest due first, paused ones after), closed ones newest first."""
    c = Case.__table__.c
    return [c.stage == _NOT_CLOSED, c.due_date.is_(None), c.due_date, c.id.desc()]


def page_statement(shape: Shape, limited: bool) -> Any:
    """The page: its ids are chosen on `cases` alone (narrow rows, indexes), and only those rows are joined to
    their agency (the applicant's name as given in the application is on the case row)."""
    c, a = Case.__table__.c, Agency.__table__.c
    ids = select(c.id).where(*_conditions(shape)).order_by(*_order())
    if limited:
        ids = ids.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    return (
        select(c.number, a.code, a.due_soon_days, c.applicant_name, c.applicant_type, c.received_on, c.stage,
               c.due_date, c.due_provisional, c.outcome, c.concluded_on, c.content)
        .join_from(Case.__table__, Agency.__table__, a.id == c.agency_id)
        .where(c.id.in_(ids.scalar_subquery()))
        .order_by(*_order())
    )


def count_statement(shape: Shape) -> Any:
    return select(func.count(Case.__table__.c.id)).where(*_conditions(shape))


@dataclass(frozen=True)
class _Sql:
    text: str
    names: tuple[str, ...] | None  # parameter names in order (positional paramstyles), None for named ones


@lru_cache(maxsize=512)
def _compiled(dialect: Any, shape: Shape, kind: str) -> _Sql:
    stmt = count_statement(shape) if kind == "count" else page_statement(shape, kind == "limited")
    compiled = stmt.compile(dialect=dialect)
    return _Sql(compiled.string, tuple(compiled.positiontup or ()) if compiled.positional else None)


def _execute(cursor: Any, sql: _Sql, params: dict[str, Any], sqlite: bool) -> Any:
    if sqlite:  # SQLite keeps dates as ISO text and booleans as 0/1
        params = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
    if sql.names is None:
        return cursor.execute(sql.text, params)
    return cursor.execute(sql.text, tuple(params[n] for n in sql.names))


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _day(value: Any) -> date:
    """A NOT NULL date column: a date (PostgreSQL) or its ISO text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def register_page(db: Database, f: CaseFilter, *, limit: int | None = None, offset: int = 0,
                  count: bool = False) -> tuple[list[RegisterRow], int | None]:
    """The rows of one register page and, with count=True, the number of cases matching `f` (None otherwise).

    Both queries run in one read transaction, so the count belongs to the same state as the rows; the count query
    is skipped when the page itself shows where the result ends."""
    dialect = db.engine.dialect
    sqlite = db.is_sqlite
    shape = _shape(f)
    params = _params(f)
    kind = "all"
    if limit is not None:
        kind = "limited"
        params["limit"], params["offset"] = limit, offset
    raw = db.engine.raw_connection()  # a pooled connection; returned (and rolled back) by close()
    try:
        cursor = raw.cursor()
        try:
            if sqlite and count:
                cursor.execute("BEGIN")  # PostgreSQL's driver opens the transaction itself
            rows: list[RegisterRow] = [
                (number, agency, due_soon_days, applicant, applicant_type, _day(received_on), stage, _date(due),
                 bool(provisional), outcome, _date(concluded), content)
                for (number, agency, due_soon_days, applicant, applicant_type, received_on, stage, due, provisional,
                     outcome, concluded, content) in _execute(cursor, _compiled(dialect, shape, kind), params,
                                                               sqlite).fetchall()
            ]
            total: int | None = None
            if count:
                if limit is None or (len(rows) < limit and (rows or offset == 0)):
                    total = offset + len(rows)  # the page ends inside the result: its length is the count
                else:
                    total = int(_execute(cursor, _compiled(dialect, shape, "count"), params, sqlite).fetchone()[0])
        finally:
            cursor.close()
    finally:
        raw.close()
    return rows, total

