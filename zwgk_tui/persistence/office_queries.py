"""SQL of the government office's views: the per-agency board, the weekly summary, much-requested information
(Art. 44) and proactive-disclosure records. Counts are GROUP BYs with conditional sums, one query per table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, distinct, func, literal_column, select
from sqlalchemy.orm import Session

from zwgk_tui.persistence.models import Agency, Case, Event, RemedyProceeding

PROACTIVE_ACTION = "proactive"


def _one_if(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def visible_agencies(session: Session, agency_ids: Sequence[int] | None) -> list[Agency]:
    stmt = select(Agency).order_by(Agency.id)
    if agency_ids is not None:
        stmt = stmt.where(Agency.id.in_(agency_ids))
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class BoardCounts:
    received: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    office_review: int = 0
    legal_review: int = 0


def board_counts(session: Session, agency_ids: Sequence[int] | None, week: tuple[date, date], today: date,
                 soon_until: date) -> dict[int, BoardCounts]:
    """Per agency: received in the week; and, as of today, open, overdue, due from today to `soon_until`,
    waiting for office review and for legal review."""
    is_open = Case.stage != "closed"
    stmt = select(
        Case.agency_id,
        _one_if(Case.received_on.between(week[0], week[1])),
        _one_if(is_open),
        _one_if(is_open & (Case.due_date < today)),
        _one_if(is_open & (Case.due_date >= today) & (Case.due_date <= soon_until)),
        _one_if(Case.stage == "office_review"),
        _one_if(Case.stage == "legal_review"),
    ).group_by(Case.agency_id)
    if agency_ids is not None:
        stmt = stmt.where(Case.agency_id.in_(agency_ids))
    return {row[0]: BoardCounts(*(int(x) for x in row[1:])) for row in session.execute(stmt)}


def proceeding_counts(session: Session, agency_ids: Sequence[int] | None, start: date,
                      end: date) -> dict[int, tuple[int, int, int]]:
    """Per agency: (proceedings filed in [start, end], of them decided, of them corrected), by the result column
    as it stands."""
    decided = RemedyProceeding.result != "pending"
    stmt = select(
        RemedyProceeding.agency_id, func.count(RemedyProceeding.id), _one_if(decided),
        _one_if(RemedyProceeding.result == "corrected"),
    ).where(RemedyProceeding.filed_on.between(start, end)).group_by(RemedyProceeding.agency_id)
    if agency_ids is not None:
        stmt = stmt.where(RemedyProceeding.agency_id.in_(agency_ids))
    return {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in session.execute(stmt)}


def received_between(session: Session, agency_ids: Sequence[int] | None, start: date, end: date) -> list[Any]:
    """The requests received in [start, end], per agency in order of receipt."""
    stmt = (
        select(Case.agency_id, Agency.code.label("agency"), Case.number, Case.received_on, Case.applicant_type,
               Case.applicant_name, Case.content, Case.stage, Case.due_date, Case.due_provisional, Case.paused,
               Case.outcome, Case.concluded_on)
        .join(Agency, Agency.id == Case.agency_id)
        .where(Case.received_on.between(start, end))
        .order_by(Agency.id, Case.received_on, Case.seq, Case.id)
    )
    if agency_ids is not None:
        stmt = stmt.where(Case.agency_id.in_(agency_ids))
    return list(session.execute(stmt))


# ---------------------------------------------------------------------------------------------------------------
# Much-requested information (Art. 44)


def repeated_contents(session: Session, agency_ids: Sequence[int] | None, start: date, end: date,
                      min_applicants: int, limit: int) -> list[Any]:
    """Contents asked for by at least `min_applicants` different applicants among the requests received in
    [start, end]. "The same information" is the Art. 44 hint's match (repo.similar_cases): equal content."""
    applicants = func.count(distinct(Case.applicant_id))
    stmt = (
        select(Case.content, func.count(Case.id).label("requests"), applicants.label("applicants"),
               func.min(Case.received_on).label("first"), func.max(Case.received_on).label("last"))
        .where(Case.received_on.between(start, end))
        .group_by(Case.content)
        .having(applicants >= min_applicants)
        .order_by(applicants.desc(), func.count(Case.id).desc(), func.min(Case.received_on))
        .limit(limit)
    )
    if agency_ids is not None:
        stmt = stmt.where(Case.agency_id.in_(agency_ids))
    return list(session.execute(stmt))


def cases_with_contents(session: Session, agency_ids: Sequence[int] | None, start: date, end: date,
                        contents: Sequence[str]) -> list[Any]:
    out: list[Any] = []
    for lo in range(0, len(contents), 200):
        stmt = (
            select(Case.id, Case.content, Case.number, Agency.code.label("agency"), Case.received_on,
                   Case.applicant_id, Case.stage, Case.outcome)
            .join(Agency, Agency.id == Case.agency_id)
            .where(Case.received_on.between(start, end), Case.content.in_(contents[lo:lo + 200]))
            .order_by(Case.received_on, Case.id)
        )
        if agency_ids is not None:
            stmt = stmt.where(Case.agency_id.in_(agency_ids))
        out += session.execute(stmt)
    return out


def proactive_events(session: Session, case_ids: Sequence[int]) -> dict[int, list[Event]]:
    out: dict[int, list[Event]] = defaultdict(list)
    for lo in range(0, len(case_ids), 500):
        stmt = select(Event).where(Event.case_id.in_(case_ids[lo:lo + 500]), Event.action == PROACTIVE_ACTION)
        for e in session.scalars(stmt.order_by(Event.id)):
            out[e.case_id].append(e)
    return out


def proactive_counts(session: Session, start: date, end: date, agency_id: int | None) -> tuple[int, int]:
    """(pieces of information published proactively in [start, end] — distinct places of publication —, cases
    whose requested information they are). For the annual report's narrative."""
    # The condition is written as the partial index ix_events_proactive states it: SQLite uses a partial index
    # only when the query's WHERE repeats its condition literally (a bound parameter would not do).
    stmt = select(Event.case_id, Event.data).where(
        literal_column(f"events.action = '{PROACTIVE_ACTION}'"), Event.on_date.between(start, end))
    if agency_id is not None:
        stmt = stmt.join(Case, Case.id == Event.case_id).where(Case.agency_id == agency_id)
    places: set[str] = set()
    cases: set[int] = set()
    for case_id, data in session.execute(stmt):
        places.add(str((data or {}).get("where", "")).strip())
        cases.add(case_id)
    return len(places), len(cases)
