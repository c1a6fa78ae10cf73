"""Bulk writes for generated data (`demo`): positional executemany on SQLite, COPY on PostgreSQL.

The ORM's per-row work costs more than building the rows when a million cases go in; these functions bypass it
and write exactly the columns listed here (checked against the models, so a schema change fails loudly)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, column, insert, table, text
from sqlalchemy.orm import Session

from zwgk_tui.persistence.chain import CHAIN_COLS, chain_bulk_rows
from zwgk_tui.persistence.models import Applicant, Case, Event, FeeNotice, Pause, RemedyProceeding

CASE_COLS = (
    "id", "agency_id", "year", "seq", "number", "applicant_id", "applicant_name", "applicant_id_number",
    "applicant_phone", "applicant_email", "applicant_address", "applicant_postcode", "applicant_type", "channel",
    "received_on",
    "confirmed_on", "content", "form_requested", "delivery", "item_count", "missing_elements", "rules_code", "stage",
    "proposed_outcome", "decision_reason", "outcome", "concluded_on", "delivered_by", "submitted_by", "clock_start",
    "due_date", "due_provisional", "paused", "extension_days", "delay_until", "correction_requested_on",
    "working_days_to_reply", "replied_late", "office_review_days", "legal_review_days", "stage_since", "version",
    "created_at", "updated_at", "first_outcome", "first_concluded_on",
)
APPLICANT_COLS = ("id", "name", "type", "id_number", "phone", "email", "address", "postcode")
EVENT_COLS = ("case_id", "action", "on_date", "at", "actor", "comment", "data", "before", "after")
PAUSE_COLS = ("case_id", "kind", "party", "started_on", "ended_on", "lapsed")
FEE_COLS = ("case_id", "agency_id", "method", "quantity", "amount", "noticed_on", "payment_due", "paid_on",
            "paid_amount", "lapsed")
REMEDY_COLS = ("case_id", "agency_id", "kind", "filed_on", "result", "decided_on", "note", "copy_received_on",
               "answered_on")
_TABLES = {"cases": (Case, CASE_COLS), "applicants": (Applicant, APPLICANT_COLS),
           "events": (Event, EVENT_COLS + CHAIN_COLS),
           "pauses": (Pause, PAUSE_COLS), "fee_notices": (FeeNotice, FEE_COLS),
           "remedies": (RemedyProceeding, REMEDY_COLS)}


def insert_sql(s: Session, name: str) -> str:
    """Core's INSERT for the table with positional parameters, for DB-API executemany with tuples (the
    per-row parameter processing of a Core executemany costs more than building the row)."""
    model, cols = _TABLES[name]
    t = cast(Table, model.__table__)
    missing = [c for c in cols if c not in t.c]
    if missing:
        raise RuntimeError(f"demo: columns {missing} not in table {name}")
    dialect = s.get_bind().dialect
    if not dialect.positional:
        dialect = cast(Any, type(dialect))(paramstyle="format")
    lite = table(t.name, *[column(c) for c in cols])
    return str(insert(lite).compile(dialect=dialect, column_keys=list(cols)))


def bulk_insert(s: Session, name: str, rows: list[tuple[Any, ...]], chunk: int = 50_000) -> None:
    if not rows:
        return
    conn = s.connection()
    if name == "events":
        # Bypassing the ORM bypasses its hook: chain the (new) cases' histories here, as the hook would.
        rows = list(chain_bulk_rows(conn, rows))
    if s.get_bind().dialect.name == "sqlite":
        sql = insert_sql(s, name)
        # One prepared statement, stepped per row: the fastest path in SQLite.
        for lo in range(0, len(rows), chunk):
            conn.exec_driver_sql(sql, rows[lo:lo + chunk])
        return
    # PostgreSQL: COPY … FROM STDIN through psycopg (the only PostgreSQL driver the application uses), which
    # streams the rows instead of one INSERT round trip each.
    model, cols = _TABLES[name]
    table_name = cast(Table, model.__table__).name
    quoted = ", ".join(f'"{c}"' for c in cols)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table_name} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)



def reserve_ids(s: Session, tbl: str, n: int, sqlite: bool) -> list[int]:
    if sqlite:
        # Writers hold the database lock (BEGIN IMMEDIATE): max(id) cannot move under us.
        start = int(s.execute(text(f"SELECT coalesce(max(id), 0) FROM {tbl}")).scalar_one()) + 1
        return list(range(start, start + n))
    rows = s.execute(text(f"SELECT nextval(pg_get_serial_sequence('{tbl}', 'id')) FROM generate_series(1, :n)"),
                     {"n": n})
    return [int(r[0]) for r in rows]
