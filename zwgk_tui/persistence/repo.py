"""Queries. The only module (with models and stats queries) that speaks to the database directly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from zwgk_tui.persistence.models import (
    Agency,
    Applicant,
    CalendarOverrideRow,
    CalendarYear,
    Case,
    CaseCounter,
    DocCounter,
    Event,
    FeeNotice,
    IssuedDocument,
    Pause,
    RemedyProceeding,
    User,
)


def take_seqs(session: Session, counter: type[CaseCounter] | type[DocCounter], agency_id: int, year: int,
              count: int) -> int:
    """Take `count` consecutive numbers for (agency, year) inside the caller's transaction; returns the first.

    The upsert takes a row lock (PostgreSQL) or runs under the BEGIN IMMEDIATE write lock (SQLite), so concurrent
    registrations queue here; a rollback returns the numbers, so there are neither gaps nor duplicates."""
    # Only the engine's own dialect module is imported: the other costs ~30 ms at every start.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        # Both dialects' insert() offer the same on_conflict_* API; their Insert classes are unrelated to mypy.
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    # A declarative class's __table__ is typed as a FromClause (it may map a join); the counter maps a Table.
    table = cast(Table, counter.__table__)
    stmt = insert(table).values(agency_id=agency_id, year=year, last_seq=count).on_conflict_do_update(
        index_elements=[table.c.agency_id, table.c.year], set_={"last_seq": table.c.last_seq + count}
    ).returning(table.c.last_seq)
    return int(session.execute(stmt).scalar_one()) - count + 1


def next_seq(session: Session, counter: type[CaseCounter] | type[DocCounter], agency_id: int, year: int) -> int:
    """The next number for (agency, year); see take_seqs."""
    return take_seqs(session, counter, agency_id, year, 1)


def agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.code == code))


def agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.id)))


def user_by_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def user_by_login(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(User.login == login))


def any_user_logins(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(User).where(User.login.is_not(None))) or 0) > 0


def registering_actors(session: Session, limit: int = 100) -> list[str]:
    """Distinct names that registered cases (the demo guard tells synthetic registers from real ones)."""
    stmt = select(Event.actor).where(Event.action == "register").distinct().limit(limit)
    return list(session.scalars(stmt))


def case_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def any_users(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(User)) or 0) > 0


def cases_by_number(session: Session, number: str, agency_code: str | None = None) -> list[Case]:
    stmt = select(Case).where(Case.number == number)
    if agency_code:
        stmt = stmt.join(Agency, Agency.id == Case.agency_id).where(Agency.code == agency_code)
    return list(session.scalars(stmt))


def case_for_update(session: Session, case_id: int) -> Case:
    """The case re-read from the database, its row locked until the transaction ends (PostgreSQL; SQLite's write
    transaction already holds the whole file). `OF cases`: the agency and applicant are joined eagerly and an outer
    join's nullable side cannot be locked."""
    stmt = select(Case).where(Case.id == case_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Case.__table__)
    return session.scalars(stmt).one()


def events_of(session: Session, case_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)))


def pauses_of(session: Session, case_id: int) -> list[Pause]:
    return list(session.scalars(select(Pause).where(Pause.case_id == case_id).order_by(Pause.id)))


def open_pause(session: Session, case_id: int) -> Pause | None:
    return session.scalar(
        select(Pause).where(Pause.case_id == case_id, Pause.ended_on.is_(None)).order_by(Pause.id.desc())
    )


def fee_notices_of(session: Session, case_id: int) -> list[FeeNotice]:
    return list(session.scalars(select(FeeNotice).where(FeeNotice.case_id == case_id).order_by(FeeNotice.id)))


def remedies_of(session: Session, case_id: int) -> list[RemedyProceeding]:
    return list(
        session.scalars(
            select(RemedyProceeding).where(RemedyProceeding.case_id == case_id).order_by(RemedyProceeding.id))
    )


def doc_numbers_used(session: Session, agency_id: int, numbers: Sequence[str]) -> dict[str, tuple[str, date | None]]:
    """Which of `numbers` the agency has already used, each with the case using it and, for a document, the date
    issued: a document's 文号 (issued or void, the tool's own or an outside reply recorded at delivery, as
    `deliver --reply-number`) or a number an earlier import recorded (答复文号, a re-reply's 文号). A number once used
    stays used, also when its document was voided."""
    out: dict[str, tuple[str, date | None]] = {}
    unique = sorted({n for n in numbers if n})
    imported = Event.data["doc_number"].as_string()
    for lo in range(0, len(unique), 500):
        chunk = unique[lo:lo + 500]
        # By the index ix_issued_documents_doc_number: a document's row holds its file, so reading the table
        # would read every letter the agency ever issued.
        docs = (select(IssuedDocument.id, IssuedDocument.doc_number, Case.number, IssuedDocument.issued_on)
                .join(Case, Case.id == IssuedDocument.case_id)
                .where(IssuedDocument.doc_number.in_(chunk), Case.agency_id == agency_id))
        for _, number, case_number, issued_on in sorted(session.execute(docs).all()):
            out.setdefault(number, (case_number, issued_on))
        # Only the import events are read (the partial index ix_events_import; its condition written literally,
        # as SQLite uses a partial index only then), not the agency's whole history: joined to the cases in the
        # same statement, SQLite would walk every event of the agency's cases instead.
        # (No ORDER BY: SQLite would then read the table in id order rather than the index; sorted here.)
        events = select(Event.id, Event.case_id, imported).where(literal_column("events.action = 'import'"),
                                                                 imported.in_(chunk))
        found = [(case_id, number) for _, case_id, number in sorted(session.execute(events).all())]
        if not found:
            continue
        numbers_of_case = dict(session.execute(
            select(Case.id, Case.number).where(Case.agency_id == agency_id,
                                               Case.id.in_({case_id for case_id, _ in found}))).all())
        for case_id, number in found:
            if case_id in numbers_of_case:
                out.setdefault(number, (numbers_of_case[case_id], None))
    return out


def documents_of(session: Session, case_id: int) -> list[IssuedDocument]:
    return list(
        session.scalars(select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id))
    )


def calendar_overrides(session: Session) -> list[CalendarOverrideRow]:
    return list(session.scalars(select(CalendarOverrideRow).order_by(CalendarOverrideRow.day)))


def calendar_override_on(session: Session, day: date) -> CalendarOverrideRow | None:
    return session.scalar(select(CalendarOverrideRow).where(CalendarOverrideRow.day == day))


def calendar_years(session: Session) -> list[CalendarYear]:
    return list(session.scalars(select(CalendarYear).order_by(CalendarYear.year)))


def requests_in_month(session: Session, agency_id: int, applicant_id: int, month_start: date, month_end: date,
                      exclude_case_id: int | None = None) -> int:
    """The applicant's requests (counted by item, "一事一申请") received by this agency in a calendar month."""
    stmt = select(func.coalesce(func.sum(Case.item_count), 0)).where(
        Case.agency_id == agency_id,
        Case.applicant_id == applicant_id,
        Case.received_on >= month_start,
        Case.received_on <= month_end,
    )
    if exclude_case_id is not None:
        stmt = stmt.where(Case.id != exclude_case_id)
    return int(session.scalar(stmt) or 0)


def applicant_by_id_number(session: Session, id_number: str) -> Applicant | None:
    stmt = select(Applicant).where(Applicant.id_number == id_number).order_by(Applicant.id)
    return session.scalars(stmt).first()


def applicant_by_name_and_phone(session: Session, name: str, phone: str) -> Applicant | None:
    stmt = select(Applicant).where(Applicant.name == name, Applicant.phone == phone).order_by(Applicant.id)
    return session.scalars(stmt).first()


def similar_cases(session: Session, *, applicant_id: int | None, content: str, exclude_case_id: int | None,
                  received_by: date | None = None, limit: int = 5) -> tuple[list[Case], list[Case]]:
    """(earlier cases of the same applicant asking for the same information, other applicants' cases asking for it).

    "The same information" is an exact match of the normalised content: cheap, explainable, and what a clerk
    would call a repeat; looser matching would flood the hint."""
    key = content.strip()
    base = select(Case).where(Case.content == key)
    if exclude_case_id is not None:
        base = base.where(Case.id != exclude_case_id)
    if received_by is not None:  # only what came before (or on the same day): a later request is no "earlier" one
        base = base.where(Case.received_on <= received_by)
    same = []
    if applicant_id is not None:
        same = list(session.scalars(base.where(Case.applicant_id == applicant_id).order_by(Case.id).limit(limit)))
    others_stmt = base if applicant_id is None else base.where(Case.applicant_id != applicant_id)
    others = list(session.scalars(others_stmt.order_by(Case.id).limit(limit)))
    return same, others


@dataclass(frozen=True)
class CaseFilter:
    open_only: bool = False
    closed_only: bool = False
    overdue_before: date | None = None  # due_date < this (i.e. today) and open
    due_by: date | None = None  # due_date <= this and open
    stage: str | None = None
    agency_ids: tuple[int, ...] | None = None  # None = all agencies visible
    agency_code: str | None = None
    applicant_type: str | None = None
    year: int | None = None
    search: str | None = None
    paused_only: bool = False


def _apply_filter(stmt: Any, f: CaseFilter) -> Any:
    conds = []
    if f.open_only:
        conds.append(Case.stage != "closed")
    if f.closed_only:
        conds.append(Case.stage == "closed")
    if f.overdue_before is not None:
        conds += [Case.stage != "closed", Case.due_date < f.overdue_before]
    if f.due_by is not None:
        conds += [Case.stage != "closed", Case.due_date <= f.due_by]
        if f.overdue_before is None and f.due_by is not None:
            pass
    if f.paused_only:
        conds += [Case.stage != "closed", Case.paused.is_(True)]
    if f.stage:
        conds.append(Case.stage == f.stage)
    if f.agency_ids is not None:
        conds.append(Case.agency_id.in_(f.agency_ids))
    if f.agency_code:
        conds.append(Case.agency_id == select(Agency.id).where(Agency.code == f.agency_code).scalar_subquery())
    if f.applicant_type:
        conds.append(Case.applicant_type == f.applicant_type)
    if f.year:
        conds.append(and_(Case.received_on >= date(f.year, 1, 1), Case.received_on <= date(f.year, 12, 31)))
    if f.search:
        like = f"%{f.search.strip()}%"
        conds.append(
            or_(
                Case.number.like(like),
                Case.content.like(like),
                Case.applicant_name.like(like),
            )
        )
    return stmt.where(*conds) if conds else stmt


# Open cases by urgency (nearest due first, paused ones after), closed ones newest first.
def _register_order(stmt: Any) -> Any:
    return stmt.order_by(Case.stage == "closed", Case.due_date.is_(None), Case.due_date, Case.id.desc())


def list_cases(session: Session, f: CaseFilter, *, limit: int | None = None, offset: int = 0) -> list[Case]:
    stmt = _register_order(_apply_filter(select(Case), f))
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return list(session.scalars(stmt))


def list_case_rows(session: Session, f: CaseFilter, *, limit: int | None = None, offset: int = 0) -> list[Any]:
    """The register page as plain rows: the page of ids is chosen on `cases` alone (narrow rows, indexes),
    and only those rows are joined to their agency and applicant."""
    ids = _register_order(_apply_filter(select(Case.id), f))
    if limit is not None:
        ids = ids.limit(limit).offset(offset)
    stmt = (
        select(
            Case.number, Agency.code.label("agency"), Agency.due_soon_days, Case.applicant_name.label("applicant"),
            Case.applicant_type, Case.received_on, Case.stage, Case.due_date, Case.due_provisional, Case.outcome,
            Case.concluded_on, Case.content,
        )
        .join(Agency, Agency.id == Case.agency_id)
        .where(Case.id.in_(ids.scalar_subquery()))
    )
    return list(session.execute(_register_order(stmt)))


def count_cases(session: Session, f: CaseFilter) -> int:
    return int(session.scalar(_apply_filter(select(func.count(Case.id)), f)) or 0)


def open_cases(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.stage != "closed").order_by(Case.id)))
