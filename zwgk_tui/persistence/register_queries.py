"""SQL of the register's export and import and of the online-applications inbox.

The export reads cases a batch at a time (keyset on receipt date and id), and the few side rows of a batch
(registration events, import events, replies' document numbers, proceedings, fee notices) with one query each, so
100,000 cases never sit in memory as objects. The import writes with Core INSERTs of plain dicts: column
defaults of the models still apply, and the ORM's per-object work is skipped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from zwgk_tui.domain.publication import CONCLUDING_ACTIONS, HistoryEvent
from zwgk_tui.persistence.bulk import reserve_ids
from zwgk_tui.persistence.models import (
    Agency,
    Applicant,
    Base,
    Case,
    CaseCounter,
    Event,
    FeeNotice,
    IntakeItem,
    IssuedDocument,
    RemedyProceeding,
)
from zwgk_tui.persistence.repo import CaseFilter, _apply_filter

# ---------------------------------------------------------------------------------------------------------------
# Export


def export_batches(session: Session, f: CaseFilter, batch: int = 1000) -> Iterator[list[Any]]:
    """The filtered cases in order of receipt (then id), `batch` rows at a time, as plain rows."""
    cols = (
        Case.id, Case.number, Case.agency_id, Agency.name.label("agency_name"), Agency.code.label("agency_code"),
        Case.applicant_name.label("applicant"), Case.applicant_type, Case.applicant_id_number.label("id_number"),
        Case.applicant_phone.label("phone"), Case.applicant_email.label("email"),
        Case.applicant_address.label("address"), Case.applicant_postcode.label("postcode"), Case.channel,
        Case.received_on, Case.content,
        Case.stage, Case.due_date, Case.paused, Case.concluded_on, Case.outcome, Case.working_days_to_reply,
        Case.replied_late, Case.office_review_days, Case.legal_review_days, Case.submitted_by, Case.form_requested,
        Case.delivery, Case.item_count, Case.first_outcome, Case.first_concluded_on,
    )
    last: tuple[date, int] | None = None
    while True:
        stmt = _apply_filter(
            select(*cols).join(Agency, Agency.id == Case.agency_id),
            f,
        )
        if last is not None:
            stmt = stmt.where(or_(Case.received_on > last[0], and_(Case.received_on == last[0], Case.id > last[1])))
        rows = list(session.execute(stmt.order_by(Case.received_on, Case.id).limit(batch)))
        if not rows:
            return
        yield rows
        if len(rows) < batch:
            return
        last = (rows[-1].received_on, rows[-1].id)


def registered_by(session: Session, case_ids: Sequence[int]) -> dict[int, str]:
    """Who recorded each case's registration."""
    if not case_ids:
        return {}
    first = (
        select(func.min(Event.id)).where(Event.case_id.in_(case_ids), Event.action == "register")
        .group_by(Event.case_id)
    )
    return {case_id: actor for case_id, actor in session.execute(
        select(Event.case_id, Event.actor).where(Event.id.in_(first)))}


def reply_doc_numbers(session: Session, case_ids: Sequence[int]) -> dict[int, str]:
    """The number of the latest reply issued (not voided) for each case (reprints keep the number). Replies
    are stored under their template's kind (reply_disclosed, reply_withheld …)."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(IssuedDocument.case_id, IssuedDocument.doc_number)
        .where(IssuedDocument.case_id.in_(case_ids), IssuedDocument.kind.like("reply%"),
               IssuedDocument.status == "issued", IssuedDocument.doc_number != "")
        .order_by(IssuedDocument.id)
    )
    return {case_id: number for case_id, number in rows}


# The events that make a case's conclusions and rounds (domain.publication.later_rounds reads them).
ROUND_ACTIONS = tuple(sorted(CONCLUDING_ACTIONS | {"reopen", "decide", "correct-date"}))


def round_events(session: Session, case_ids: Sequence[int]) -> dict[int, list[HistoryEvent]]:
    """Each case's conclusions, reopens, decisions and date corrections, in recorded order."""
    out: dict[int, list[HistoryEvent]] = defaultdict(list)
    if case_ids:
        stmt = (select(Event.case_id, Event.id, Event.action, Event.on_date, Event.data)
                .where(Event.case_id.in_(case_ids), Event.action.in_(ROUND_ACTIONS))
                .order_by(Event.case_id, Event.id))
        for case_id, eid, action, on, data in session.execute(stmt):
            out[case_id].append(HistoryEvent(eid, action, on, data or {}))
    return out


def remedies_of_cases(session: Session, case_ids: Sequence[int]) -> dict[int, list[RemedyProceeding]]:
    out: dict[int, list[RemedyProceeding]] = defaultdict(list)
    if case_ids:
        stmt = select(RemedyProceeding).where(RemedyProceeding.case_id.in_(case_ids)).order_by(RemedyProceeding.id)
        for r in session.scalars(stmt):
            out[r.case_id].append(r)
    return out


def fees_of_cases(session: Session, case_ids: Sequence[int]) -> dict[int, list[FeeNotice]]:
    out: dict[int, list[FeeNotice]] = defaultdict(list)
    if case_ids:
        for fee in session.scalars(select(FeeNotice).where(FeeNotice.case_id.in_(case_ids)).order_by(FeeNotice.id)):
            out[fee.case_id].append(fee)
    return out


def agency_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Agency.id))) or 0)


# ---------------------------------------------------------------------------------------------------------------
# Import


def case_keys(session: Session, agency_id: int, start: date, end: date) -> set[tuple[date, str, str]]:
    """(receipt date, applicant name, content) of the agency's cases received in [start, end]: an import that
    finds its row here would register the same application twice."""
    stmt = (
        select(Case.received_on, Case.applicant_name, Case.content)
        .where(Case.agency_id == agency_id, Case.received_on.between(start, end))
    )
    return {(r[0], r[1], r[2]) for r in session.execute(stmt)}


def used_seqs(session: Session, agency_id: int, year: int) -> set[int]:
    stmt = select(Case.seq).where(Case.agency_id == agency_id, Case.year == year)
    return set(session.scalars(stmt))


def counter_value(session: Session, agency_id: int, year: int) -> int:
    stmt = select(CaseCounter.last_seq).where(CaseCounter.agency_id == agency_id, CaseCounter.year == year)
    return int(session.scalar(stmt) or 0)


def raise_counter(session: Session, agency_id: int, year: int, at_least: int) -> None:
    """Case numbers handed out after an import continue after the highest one it used."""
    dialect = session.get_bind().dialect.name
    ins = pg_insert if dialect == "postgresql" else sqlite_insert
    table = cast(Table, CaseCounter.__table__)
    stmt = ins(table).values(agency_id=agency_id, year=year, last_seq=at_least)
    greatest = func.greatest if dialect == "postgresql" else func.max
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.agency_id, table.c.year],
        set_={"last_seq": greatest(table.c.last_seq, stmt.excluded.last_seq)},
    )
    session.execute(stmt)


def applicants_with_ids(session: Session, id_numbers: Sequence[str]) -> list[Applicant]:
    out: list[Applicant] = []
    unique = sorted({n for n in id_numbers if n})
    for lo in range(0, len(unique), 500):
        out += session.scalars(select(Applicant).where(Applicant.id_number.in_(unique[lo:lo + 500]))
                               .order_by(Applicant.id))
    return out


def applicants_named(session: Session, names: Sequence[str]) -> list[Applicant]:
    out: list[Applicant] = []
    unique = sorted(set(names))
    for lo in range(0, len(unique), 500):
        out += session.scalars(select(Applicant).where(Applicant.name.in_(unique[lo:lo + 500])).order_by(Applicant.id))
    return out


def new_ids(session: Session, model: type[Base], n: int) -> list[int]:
    """`n` primary keys for rows the caller inserts itself (inside its write transaction)."""
    if n == 0:
        return []
    table = cast(Table, model.__table__).name
    return reserve_ids(session, table, n, session.get_bind().dialect.name == "sqlite")


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]], chunk: int = 5000) -> None:
    """Core executemany of plain dicts (the model's Python-side defaults fill the columns not given)."""
    table = cast(Table, model.__table__)
    for lo in range(0, len(rows), chunk):
        session.execute(insert(table), rows[lo:lo + chunk])


def agency_named(session: Session, text: str) -> Agency | None:
    """An agency by code, full name or short name."""
    value = text.strip()
    stmt = select(Agency).where(or_(Agency.code == value, Agency.name == value, Agency.short_name == value))
    return session.scalars(stmt.order_by(Agency.id)).first()


# ---------------------------------------------------------------------------------------------------------------
# Online applications inbox


def intake_external_ids(session: Session, source: str, external_ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    unique = sorted(set(external_ids))
    for lo in range(0, len(unique), 500):
        stmt = select(IntakeItem.external_id).where(
            IntakeItem.source == source, IntakeItem.external_id.in_(unique[lo:lo + 500]))
        out |= set(session.scalars(stmt))
    return out


def intake_items(session: Session, *, statuses: Sequence[str] | None, agency_ids: Sequence[int] | None,
                 limit: int | None = None) -> list[IntakeItem]:
    stmt = select(IntakeItem)
    if statuses:
        stmt = stmt.where(IntakeItem.status.in_(statuses))
    if agency_ids is not None:
        stmt = stmt.where(or_(IntakeItem.agency_id.is_(None), IntakeItem.agency_id.in_(agency_ids)))
    stmt = stmt.order_by(IntakeItem.status != "new", IntakeItem.arrived_on, IntakeItem.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def count_intake(session: Session, status: str, agency_ids: Sequence[int] | None) -> int:
    stmt = select(func.count(IntakeItem.id)).where(IntakeItem.status == status)
    if agency_ids is not None:
        stmt = stmt.where(or_(IntakeItem.agency_id.is_(None), IntakeItem.agency_id.in_(agency_ids)))
    return int(session.scalar(stmt) or 0)


def intake_item_for_update(session: Session, item_id: int) -> IntakeItem | None:
    stmt = select(IntakeItem).where(IntakeItem.id == item_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def set_intake_decided(session: Session, item_id: int, values: dict[str, Any]) -> bool:
    """Decide a waiting item; False if someone else decided it first (the status is checked in the UPDATE)."""
    result = session.execute(
        update(IntakeItem).where(IntakeItem.id == item_id, IntakeItem.status == "new").values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def case_numbers(session: Session, case_ids: Sequence[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    return {i: n for i, n in session.execute(select(Case.id, Case.number).where(Case.id.in_(case_ids)))}
