"""Publications of annual reports, opening balances, installation settings, and the per-case facts a
publication stores (the cases behind each cell) and a re-count compares with."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import and_, literal_column, or_, select
from sqlalchemy.orm import Session

from zwgk_tui.domain.publication import CaseFact, FeeFact, HistoryEvent, ProceedingFact
from zwgk_tui.persistence.models import (
    Agency,
    AppSetting,
    Case,
    Event,
    FeeNotice,
    OpeningBalance,
    Publication,
    RemedyProceeding,
)

ALL_SCOPE = "*"


def _scoped(stmt: Any, col: Any, agency_id: int | None) -> Any:
    return stmt if agency_id is None else stmt.where(col == agency_id)


def case_facts(session: Session, start: date, end: date, agency_id: int | None, *,
               carried_in_only: bool = False) -> list[CaseFact]:
    """Every case counted in year [start, end] (received by its end and not first concluded before its start);
    `carried_in_only`: just those received before it (the 二 of the year)."""
    first = Case.first_concluded_on
    counted = and_(Case.received_on <= end, or_(first.is_(None), first >= start))
    if carried_in_only:
        counted = and_(Case.received_on < start, or_(first.is_(None), first >= start))
    q = (
        select(Case.number, Agency.code, Case.applicant_type, Case.received_on, first, Case.first_outcome)
        .join(Agency, Agency.id == Case.agency_id)
        .where(counted)
    )
    return [CaseFact(*row) for row in session.execute(_scoped(q, Case.agency_id, agency_id))]


def proceeding_facts(session: Session, start: date, end: date, agency_id: int | None) -> list[ProceedingFact]:
    R = RemedyProceeding
    q = (
        select(Case.number, Agency.code, R.id, R.kind, R.filed_on, R.result, R.decided_on)
        .join(Case, Case.id == R.case_id)
        .join(Agency, Agency.id == R.agency_id)
        .where(R.filed_on.between(start, end))
    )
    return [ProceedingFact(*row) for row in session.execute(_scoped(q, R.agency_id, agency_id))]


def fee_facts(session: Session, start: date, end: date, agency_id: int | None) -> list[FeeFact]:
    F = FeeNotice
    q = (
        select(Case.number, Agency.code, F.noticed_on, F.paid_on)
        .join(Case, Case.id == F.case_id)
        .join(Agency, Agency.id == F.agency_id)
        .where(or_(F.noticed_on.between(start, end), F.paid_on.between(start, end)))
    )
    return [FeeFact(*row) for row in session.execute(_scoped(q, F.agency_id, agency_id))]


def reopened_histories(session: Session, agency_id: int | None) -> Iterator[tuple[str, str, list[HistoryEvent]]]:
    """(number, agency code, events) of every reopened case (the partial index ix_events_reopen finds them)."""
    reopened = select(Event.case_id).where(literal_column("events.action = 'reopen'")).distinct()
    q = (
        select(Case.id, Case.number, Agency.code)
        .join(Agency, Agency.id == Case.agency_id)
        .where(Case.id.in_(reopened))
        .order_by(Agency.code, Case.number)
    )
    cases = list(session.execute(_scoped(q, Case.agency_id, agency_id)))
    if not cases:
        return
    ids = [c.id for c in cases]
    events: dict[int, list[HistoryEvent]] = {}
    q2 = (select(Event.case_id, Event.id, Event.action, Event.on_date, Event.data)
          .where(Event.case_id.in_(ids)).order_by(Event.case_id, Event.id))
    for case_id, eid, action, on, data in session.execute(q2):
        events.setdefault(case_id, []).append(HistoryEvent(eid, action, on, data or {}))
    for c in cases:
        yield c.number, c.code, events.get(c.id, [])


# ---------------------------------------------------------------------------------------------------------------
# Publications, opening balances, settings


def scope_key(agency_code: str | None) -> str:
    return agency_code or ALL_SCOPE


def current_publication(session: Session, year: int, scope: str) -> Publication | None:
    return session.scalars(
        select(Publication).where(Publication.year == year, Publication.scope == scope,
                                  Publication.status == "current").order_by(Publication.id.desc()).limit(1)
    ).first()


def publications_of(session: Session, year: int, scope: str) -> list[Publication]:
    return list(session.scalars(select(Publication).where(Publication.year == year, Publication.scope == scope)
                                .order_by(Publication.id)))


def opening_balance(session: Session, year: int, scope: str) -> OpeningBalance | None:
    return session.scalars(
        select(OpeningBalance).where(OpeningBalance.year == year, OpeningBalance.scope == scope)
    ).first()


def get_setting(session: Session, key: str) -> str:
    row = session.get(AppSetting, key)
    return row.value if row is not None else ""


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=value))
    else:
        row.value = value
