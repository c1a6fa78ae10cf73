"""The hash chain over each case's history: every event stores the hash of its content and of the event before it.

Applied to every inserted `Event` by a mapper hook (no service can forget it) and by the bulk writer of `demo`.
The hash covers what is stored, in a canonical text form that reads back identically from the database: JSON
columns as their stored text (the engine writes them with `JSON_DUMPS`), dates ISO, timestamps as Beijing
wall-clock time with microseconds. `verify` recomputes the same from the rows.

What the chain proves: an event changed after it was written, or an event removed or inserted inside a case's
history, breaks the chain. What it cannot prove alone: a case whose newest events (or whole self) were deleted —
`verify` catches those from the case row and the gapless case numbers — or a rewrite by someone who can also
recompute every later hash (the file's holder on SQLite, the owner role on PostgreSQL). See README.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, object_session

from zwgk_tui.persistence.models import Event

CHAIN_VERSION = "zwgk-event-v1"
GENESIS = ""
JSON_DUMPS = json.dumps  # the engine's JSON serializer (database.open_database passes it): stored text = this
CHINA_TZ = timezone(timedelta(hours=8))
# Session.info keys: the identity that really acts (set by the service context), and hashes pending in a flush.
RECORDED_BY = "zwgk_recorded_by"
_PENDING = "zwgk_chain_pending"
# Connection.info key: (session_user, privileged) of a PostgreSQL connection.
PG_IDENTITY = "zwgk_pg_identity"

# Columns the chain adds to an event row (the bulk writer appends them in this order).
CHAIN_COLS = ("recorded_by", "prev_hash", "hash")


def canonical_day(value: date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


@lru_cache(maxsize=65536)  # bulk writes repeat the same few timestamps
def canonical_moment(value: datetime | str, dialect: str) -> str:
    """Beijing wall-clock time, as each engine gives it back: SQLite stores an aware value's own wall clock
    without its zone; PostgreSQL stores the instant and returns it in UTC."""
    if isinstance(value, str):
        if dialect == "sqlite" and len(value) == 26 and value[10] == " ":
            return value  # SQLAlchemy's own storage form, already canonical
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(CHINA_TZ) if dialect != "sqlite" else value
        value = value.replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def event_hash(prev: str, case_id: int, action: str, on_date: str, at: str, actor: str, recorded_by: str,
               comment: str, data: str, before: str, after: str) -> str:
    """SHA-256 over the canonical fields, each prefixed by its length, so no field can spill into the next."""
    fields = (CHAIN_VERSION, prev, str(case_id), action, on_date, at, actor, recorded_by, comment, data, before, after)
    lengths = ",".join(map(str, map(len, fields)))
    return hashlib.sha256(f"{lengths}|{''.join(fields)}".encode()).hexdigest()


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else JSON_DUMPS(value)


def pg_identity(connection: Connection) -> tuple[str, bool]:
    """(session_user, privileged) of a PostgreSQL connection; privileged = superuser or owner of the history
    (such a session could rewrite it anyway, so the server keeps the actor it sends)."""
    cached = connection.info.get(PG_IDENTITY)
    if cached is None:
        row = connection.execute(text("SELECT session_user::text, zwgk_privileged()")).one()
        cached = connection.info[PG_IDENTITY] = (str(row[0]), bool(row[1]))
    return cached


def last_hash(connection: Connection, case_id: int) -> str:
    stmt = select(Event.hash).where(Event.case_id == case_id).order_by(Event.id.desc()).limit(1)
    return connection.execute(stmt).scalar() or GENESIS


@event.listens_for(Session, "before_flush")
def _reset_pending(session: Session, _ctx: Any, _instances: Any) -> None:
    session.info[_PENDING] = {}


@event.listens_for(Event, "before_insert")
def _chain_event(_mapper: Mapper[Event], connection: Connection, target: Event) -> None:
    session = object_session(target)
    pending: dict[int, str] = session.info.setdefault(_PENDING, {}) if session is not None else {}
    dialect = connection.dialect.name
    # Column defaults apply only at INSERT time: set them now so the hash covers the stored values.
    target.comment = target.comment or ""
    target.data = {} if target.data is None else target.data
    target.before = {} if target.before is None else target.before
    target.after = {} if target.after is None else target.after
    if not target.recorded_by:
        target.recorded_by = str((session.info.get(RECORDED_BY) if session is not None else None) or target.actor)
    if dialect == "postgresql":
        # The server stamps these (trigger zwgk_stamp_actor); do the same so the hash matches the stored row.
        user, privileged = pg_identity(connection)
        target.recorded_by = user
        if not privileged:
            target.actor = user
    prev = pending.get(target.case_id)
    if prev is None:
        if dialect == "postgresql":
            # Serialise writers of one case's history, so two transactions never chain to the same event.
            connection.execute(text("SELECT 1 FROM cases WHERE id = :id FOR UPDATE"), {"id": target.case_id})
        prev = last_hash(connection, target.case_id)
    target.prev_hash = prev
    target.hash = event_hash(
        prev, target.case_id, target.action, canonical_day(target.on_date), canonical_moment(target.at, dialect),
        target.actor, target.recorded_by, target.comment, _json_text(target.data), _json_text(target.before),
        _json_text(target.after),
    )
    pending[target.case_id] = target.hash


def chain_bulk_rows(connection: Connection, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Rows of (case_id, action, on_date, at, actor, comment, data, before, after) — JSON as text — in the order
    they will be inserted, extended with CHAIN_COLS. Used by the bulk writer, which bypasses the mapper hook.
    Events of cases that already have a history continue it (one range query finds their last hashes)."""
    rows = list(rows)
    dialect = connection.dialect.name
    user, privileged = pg_identity(connection) if dialect == "postgresql" else ("demo", True)
    prev_of: dict[int, str] = {}
    if rows:
        ids = [r[0] for r in rows]
        existing = connection.execute(
            select(Event.case_id, Event.hash).where(Event.case_id.between(min(ids), max(ids)))
            .order_by(Event.case_id, Event.id)
        )
        prev_of.update((case_id, h) for case_id, h in existing)  # the last event of each case wins
    for row in rows:
        case_id, action, on_date, at, actor, comment, data, before, after = row
        if not privileged:
            actor = user
            row = (case_id, action, on_date, at, actor, comment, data, before, after)
        recorded_by = user
        prev = prev_of.get(case_id, GENESIS)
        h = event_hash(prev, case_id, action, canonical_day(on_date), canonical_moment(at, dialect), actor,
                       recorded_by, comment or "", data, before, after)
        prev_of[case_id] = h
        yield (*row, recorded_by, prev, h)


# ---------------------------------------------------------------------------------------------------------------
# Reading for `verify`: streamed, in the order the chains are recomputed.


def stream_events(session: Session, batch: int = 5000) -> Iterator[Any]:
    """Every event as stored (JSON columns as their text), ordered by case and id."""
    from sqlalchemy import Text, cast

    # SQLite keeps dates and times as text already in canonical form: read them as stored, unparsed.
    raw = session.get_bind().dialect.name == "sqlite"
    on_date = cast(Event.on_date, Text).label("on_date") if raw else Event.on_date
    at = cast(Event.at, Text).label("at") if raw else Event.at
    stmt = select(
        Event.id, Event.case_id, Event.action, on_date, at, Event.actor, Event.recorded_by, Event.comment,
        cast(Event.data, Text).label("data"), cast(Event.before, Text).label("before"),
        cast(Event.after, Text).label("after"), Event.prev_hash, Event.hash,
    ).order_by(Event.case_id, Event.id)
    # Core rows, unpacked by position (EVENT_FIELDS): millions of events go through here.
    yield from session.connection().execute(stmt.execution_options(yield_per=batch))


EVENT_FIELDS = ("id", "case_id", "action", "on_date", "at", "actor", "recorded_by", "comment", "data", "before",
                "after", "prev_hash", "hash")


def recompute(row: Any, dialect: str) -> str:
    """The hash a stored event row (positional, EVENT_FIELDS) should carry, from its own prev_hash and content."""
    _id, case_id, action, on_date, at, actor, recorded_by, comment, data, before, after, prev_hash, _h = row
    return event_hash(prev_hash, case_id, action, on_date if isinstance(on_date, str) else on_date.isoformat(),
                      canonical_moment(at, dialect), actor, recorded_by, comment or "", data, before, after)


def stream_cases(session: Session, batch: int = 5000) -> Iterator[Any]:
    """Every case row with its agency's code and number format, ordered by id."""
    from zwgk_tui.persistence.models import Agency, Case

    stmt = (select(Case.__table__, Agency.code.label("agency_code"))
            .join(Agency, Agency.id == Case.agency_id).order_by(Case.id))
    yield from session.connection().execute(stmt.execution_options(yield_per=batch))


def numbering_gaps(session: Session) -> list[tuple[str, str, int, list[int], int]]:
    """(agency code, number format, year, missing seqs, last issued seq) where the gapless numbering shows cases
    missing: fewer cases than the counter handed out, or a case above the counter."""
    from sqlalchemy import func

    from zwgk_tui.persistence.models import Agency, Case, CaseCounter

    present = {(a, y): (n, hi) for a, y, n, hi in session.execute(
        select(Case.agency_id, Case.year, func.count(), func.max(Case.seq)).group_by(Case.agency_id, Case.year))}
    counters = {(a, y): last for a, y, last in session.execute(
        select(CaseCounter.agency_id, CaseCounter.year, CaseCounter.last_seq))}
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    out = []
    for key in sorted(set(present) | set(counters)):
        count, highest = present.get(key, (0, 0))
        last = counters.get(key, 0)
        if count == last and highest == last:
            continue
        agency_id, year = key
        seqs = set(session.scalars(select(Case.seq).where(Case.agency_id == agency_id, Case.year == year)))
        missing = [n for n in range(1, max(last, highest or 0) + 1) if n not in seqs]
        agency = agencies.get(agency_id)
        out.append((agency.code if agency else str(agency_id), agency.number_format if agency else "{year}-{seq:04d}",
                    year, missing, last))
    return out
