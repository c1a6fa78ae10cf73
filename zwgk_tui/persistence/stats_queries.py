"""The annual report's SQL: a few GROUP BY queries over indexed date columns, the same on SQLite and PostgreSQL.

No case is loaded into Python. A case counts by its FIRST conclusion (first_outcome, first_concluded_on): a
reopen starts a new round that never moves a year already counted (issue 12). Table 三 for year Y (dates s = 1
January, e = 31 December) comes from three range scans whose results add up to every cell exactly as spec 04
defines it, whatever the data:

- R (received in Y, by applicant type): 一 = count; the part still open after e goes to 四;
- C (concluded in Y, by type, outcome and working days to reply): the 21 outcome rows; the part received
  before s goes to 二; reply-time figures;
- O (received before s and not concluded in Y): open now (concluded_on IS NULL) or concluded after e. These
  cases are in both 二 and 四. Those concluded after e span the whole year (concluded − received ≥ e − s + 2
  days), a predicate that is implied by the others and lets an index on the span find the few of them
  instead of scanning every later conclusion.

So 二 = C[received < s] + O and 四 = R[open after e] + O. The identity 一 + 二 = 三 + 四 then holds for every
consistent case; a case that breaks it (concluded without an outcome, concluded before it was received, an
outcome outside the 21) is named by `faulty_cases`. Two cheap checks over the few open cases also catch rows
that are contradictory without breaking the arithmetic (closed stage without a conclusion date, an outcome on
an open case, an open stage with a conclusion date, a current conclusion without a first one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from zwgk_tui.domain.codes import OPEN_STAGES
from zwgk_tui.persistence.models import Agency, Case, FeeNotice, RemedyProceeding

_c = Case.__table__.c
_f = FeeNotice.__table__.c
_r = RemedyProceeding.__table__.c
_OPEN = tuple(sorted(OPEN_STAGES))


def _one(cond: ColumnElement[bool]) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _agency(stmt: Any, col: Any, agency_id: int | None) -> Any:
    return stmt if agency_id is None else stmt.where(col == agency_id)


def span_days(dialect: str) -> ColumnElement[Any]:
    """first_concluded_on − received_on in days, written the way the span index (see `INDEX_DDL`) is defined."""
    if dialect == "sqlite":
        return literal_column("(julianday(cases.first_concluded_on) - julianday(cases.received_on))")
    return literal_column("(cases.first_concluded_on - cases.received_on)")


# Indexes the queries are written for; migration 0002 created them on concluded_on, migration 0009
# re-creates them on first_concluded_on (same names). bench/bench_stats.py uses this to compare with and
# without them:
INDEX_DDL: dict[str, dict[str, str]] = {
    "sqlite": {
        "ix_cases_received_stats": "CREATE INDEX ix_cases_received_stats ON cases "
                                   "(received_on, applicant_type, first_concluded_on, agency_id)",
        "ix_cases_span":
            "CREATE INDEX ix_cases_span ON cases ((julianday(first_concluded_on) - julianday(received_on)))",
    },
    "postgresql": {
        "ix_cases_received_stats": "CREATE INDEX ix_cases_received_stats ON cases "
                                   "(received_on, applicant_type, first_concluded_on, agency_id)",
        "ix_cases_span": "CREATE INDEX ix_cases_span ON cases ((first_concluded_on - received_on))",
    },
}
_first = _c.first_concluded_on


@dataclass
class Table3Counts:
    new: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    carried_in: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    concluded: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    carried_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Reply-time figures over replies (outcomes in `reply_outcomes`) concluded in the year.
    reply_days: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    replied_late: int = 0
    office_review_days: int = 0
    legal_review_days: int = 0
    replies: int = 0
    # Rows the tables cannot place (types or outcomes outside the codes) and contradictory open rows.
    unplaced: int = 0
    suspicious: int = 0


def table3_counts(session: Session, start: date, end: date, agency_id: int | None,
                  reply_outcomes: frozenset[str], applicant_types: frozenset[str],
                  outcomes: frozenset[str]) -> Table3Counts:
    dialect = session.get_bind().dialect.name
    out = Table3Counts()
    # For one agency, SQLite (no ANALYZE statistics) would walk the agency's whole history through
    # ix_cases_agency_received instead of the year's date range; a unary + keeps agency_id a plain filter.
    agency_col = literal_column("+cases.agency_id") if dialect == "sqlite" else _c.agency_id

    # R: received in the year.
    open_after = or_(_first.is_(None), _first > end)
    q = select(_c.applicant_type, func.count(), _one(open_after)).where(_c.received_on.between(start, end))
    for atype, n, still_open in session.execute(_agency(q, agency_col, agency_id).group_by(_c.applicant_type)):
        out.new[atype] += n
        out.carried_out[atype] += int(still_open or 0)

    # C: first concluded in the year.
    q = select(
        _c.applicant_type, _c.first_outcome, _c.working_days_to_reply, func.count(),
        _one(_c.received_on < start),
        _one(_c.replied_late.is_(True)),
        func.sum(_c.office_review_days), func.sum(_c.legal_review_days),
    ).where(_first.between(start, end))
    q = _agency(q, agency_col, agency_id).group_by(_c.applicant_type, _c.first_outcome, _c.working_days_to_reply)
    for atype, outcome, wdays, n, before, late, office, legal in session.execute(q):
        out.concluded[(atype, outcome)] += n
        out.carried_in[atype] += int(before or 0)
        if outcome in reply_outcomes:
            if wdays is not None:
                out.reply_days[int(wdays)] += n
            out.replied_late += int(late or 0)
            out.office_review_days += int(office or 0)
            out.legal_review_days += int(legal or 0)
            out.replies += n
        if outcome not in outcomes or atype not in applicant_types:
            out.unplaced += n

    # O, never concluded: received before the year; plus contradictory rows among them up to year end.
    contradictory = or_(_c.stage == "closed", _c.outcome.is_not(None), _c.concluded_on.is_not(None),
                        _c.first_outcome.is_not(None))
    q = select(_c.applicant_type, _one(_c.received_on < start), _one(contradictory)).where(
        _first.is_(None), _c.received_on <= end)
    for atype, before, bad in session.execute(_agency(q, agency_col, agency_id).group_by(_c.applicant_type)):
        before = int(before or 0)
        out.carried_in[atype] += before
        out.carried_out[atype] += before
        out.suspicious += int(bad or 0)

    # O, concluded after the year: the few cases open through the whole of it.
    whole_year = (end - start).days + 2
    spans = span_days(dialect) >= whole_year
    if dialect == "sqlite":
        # Without ANALYZE statistics SQLite would rather scan a date range; say how rare such spans are.
        spans = func.likelihood(spans, literal_column("0.001"))
    q = select(_c.applicant_type, func.count()).where(spans, _first > end, _c.received_on < start)
    for atype, n in session.execute(_agency(q, agency_col, agency_id).group_by(_c.applicant_type)):
        out.carried_in[atype] += n
        out.carried_out[atype] += n

    # Open stage with a conclusion date, counted somewhere in this year (few rows: the open stages).
    q = select(func.count()).where(
        _c.stage.in_(_OPEN), _c.concluded_on.is_not(None), _c.concluded_on >= start, _c.received_on <= end)
    out.suspicious += int(session.scalar(_agency(q, agency_col, agency_id)) or 0)

    for d in (out.new, out.carried_in, out.carried_out):
        out.unplaced += sum(n for t, n in d.items() if t not in applicant_types)
    return out


@dataclass(frozen=True)
class FaultyCase:
    case_id: int
    number: str
    agency: str
    stage: str
    outcome: str | None
    received_on: date | None
    concluded_on: date | None
    applicant_type: str
    first_outcome: str | None = None
    first_concluded_on: date | None = None


def faulty_cases(session: Session, start: date, end: date, agency_id: int | None,
                 applicant_types: frozenset[str], outcomes: frozenset[str], limit: int = 50) -> list[FaultyCase]:
    """Cases counted in year [start, end] whose row is contradictory (see domain.annual_report.case_faults)."""
    counted = or_(
        _c.received_on.between(start, end),
        _first.between(start, end),
        _c.concluded_on.between(start, end),
        and_(_c.received_on < start, or_(_first.is_(None), _first >= start)),
    )
    closed = _c.stage == "closed"
    bad = or_(
        and_(_first.is_not(None), _c.first_outcome.is_(None)),
        and_(_c.first_outcome.is_not(None), _c.first_outcome.not_in(sorted(outcomes))),
        and_(_c.first_outcome.is_not(None), _first.is_(None)),
        _first < _c.received_on,
        and_(_c.concluded_on.is_not(None), _c.outcome.is_(None)),
        and_(_c.outcome.is_not(None), _c.outcome.not_in(sorted(outcomes))),
        and_(_c.outcome.is_not(None), _c.concluded_on.is_(None)),
        _c.concluded_on < _c.received_on,
        and_(_c.concluded_on.is_not(None), _first.is_(None)),
        and_(closed, or_(_c.concluded_on.is_(None), _first.is_(None))),
        and_(_c.stage != "closed", _c.concluded_on.is_not(None)),
        _c.applicant_type.not_in(sorted(applicant_types)),
    )
    q = (
        select(_c.id, _c.number, Agency.code, _c.stage, _c.outcome, _c.received_on, _c.concluded_on,
               _c.applicant_type, _c.first_outcome, _first)
        .join(Agency, Agency.id == _c.agency_id)
        .where(counted, bad)
        .order_by(Agency.code, _c.number)
        .limit(limit)
    )
    return [FaultyCase(*row) for row in session.execute(_agency(q, _c.agency_id, agency_id))]


def result_at(end: date) -> ColumnElement[Any]:
    """A proceeding's result as it stood on `end` (domain.proceedings.result_as_of in SQL): decided later → pending."""
    decided = and_(_r.result != "pending", or_(_r.decided_on.is_(None), _r.decided_on <= end))
    return case((decided, _r.result), else_=literal_column("'pending'"))


def table4_counts(session: Session, start: date, end: date, agency_id: int | None) -> dict[tuple[str, str], int]:
    """Proceedings filed in the year by kind and by their result as of 31 December of that year, so that a past
    year's table 四 is the same whenever it is produced."""
    result = result_at(end).label("result_then")
    q = select(_r.kind, result, func.count()).where(_r.filed_on.between(start, end))
    q = _agency(q, _r.agency_id, agency_id).group_by(_r.kind, result)
    out: dict[tuple[str, str], int] = defaultdict(int)
    for kind, res, n in session.execute(q):
        out[(kind, res)] += n
    return dict(out)


def fee_counts(session: Session, start: date, end: date, agency_id: int | None) -> dict[str, int]:
    """Fee notices issued in the year (count, billed, by method, paid, lapsed) and money collected in it."""
    q = select(
        func.count(),
        func.coalesce(func.sum(_f.amount), 0),
        _one(_f.method == "per_request"),
        _one(_f.method == "per_page"),
        _one(_f.paid_on.is_not(None)),
        _one(_f.lapsed.is_(True)),
    ).where(_f.noticed_on.between(start, end))
    notices, billed, per_request, per_page, paid, lapsed = session.execute(_agency(q, _f.agency_id, agency_id)).one()
    q = select(func.count(), func.coalesce(func.sum(_f.paid_amount), 0)).where(_f.paid_on.between(start, end))
    payments, collected = session.execute(_agency(q, _f.agency_id, agency_id)).one()
    return {
        "notices": int(notices or 0),
        "billed": int(billed or 0),
        "collected": int(collected or 0),
        "notices_per_request": int(per_request or 0),
        "notices_per_page": int(per_page or 0),
        "notices_paid": int(paid or 0),
        "notices_lapsed": int(lapsed or 0),
        "payments": int(payments or 0),
    }
