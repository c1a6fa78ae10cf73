"""SQL of the clerk's agenda: the open deadlines of every case, read from what the steps store.

Nothing here recomputes a case's clock. The reply due date is the one stored on the case row by every step;
consultations and fee notices are the open `pauses` and `fee_notices` rows with their date of service; the few
cases waiting for a correction or an explanation bring their handful of events. Each query is bounded by the
agenda's horizon or by a stage, so 100,000 cases cost a few index range scans, not 100,000 clock runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from zwgk_tui.persistence.models import Agency, Case, Event, FeeNotice, Pause

CONSULT_KINDS = ("third_party", "agency")


@dataclass(frozen=True)
class Scope:
    """Whose cases: agencies visible to the user (None = all) and, for --mine, the user who handles them."""

    agency_ids: tuple[int, ...] | None = None
    mine: str | None = None


def _has_event(action: str, *conds: Any) -> Any:
    # Correlated EXISTS: one look-up in the events' case_id index per case the other conditions leave, instead of
    # a scan of every event (hundreds of thousands) for the few that match.
    return exists().where(Event.case_id == Case.id, Event.action == action, *conds)


def handled_by(name: str) -> Any:
    """Cases a user handles: registered by them, or submitted by them for review."""
    return or_(Case.submitted_by == name, _has_event("register", Event.actor == name))


def _scoped(stmt: Select[Any], scope: Scope) -> Select[Any]:
    if scope.agency_ids is not None:
        stmt = stmt.where(Case.agency_id.in_(scope.agency_ids))
    if scope.mine is not None:
        stmt = stmt.where(handled_by(scope.mine))
    return stmt


_CASE_COLUMNS = (
    Case.id, Case.number, Agency.code.label("agency"), Agency.due_soon_days, Case.applicant_name,
    Case.applicant_type, Case.content, Case.stage, Case.received_on,
)


def _cases(*extra: Any) -> Select[Any]:
    return select(*_CASE_COLUMNS, *extra).join(Agency, Agency.id == Case.agency_id).where(Case.stage != "closed")


def reply_due_rows(session: Session, scope: Scope, until: date) -> list[Any]:
    """Open cases whose stored reply due date is on or before `until` (a paused case has none)."""
    stmt = _cases(Case.due_date, Case.due_provisional, Case.extension_days, Case.delay_until).where(
        Case.due_date.is_not(None), Case.due_date <= until)
    return list(session.execute(_scoped(stmt, scope).order_by(Case.due_date, Case.id)))


def registered_rows(session: Session, scope: Scope, received_by: date) -> list[Any]:
    """Cases still at registration, not yet sent a correction notice, received on or before `received_by`."""
    stmt = _cases(Case.missing_elements).where(
        Case.stage == "registered", Case.correction_requested_on.is_(None), Case.received_on <= received_by)
    return list(session.execute(_scoped(stmt, scope).order_by(Case.received_on, Case.id)))


def open_consultations(session: Session, scope: Scope) -> list[Any]:
    stmt = _cases(Pause.kind.label("pause_kind"), Pause.party, Pause.started_on, Pause.served_on).join(
        Pause, Pause.case_id == Case.id).where(Pause.ended_on.is_(None), Pause.kind.in_(CONSULT_KINDS))
    return list(session.execute(_scoped(stmt, scope).order_by(Pause.started_on, Case.id)))


def open_fee_notices(session: Session, scope: Scope) -> list[Any]:
    stmt = _cases(FeeNotice.amount, FeeNotice.noticed_on, FeeNotice.served_on.label("fee_served_on")).join(
        FeeNotice, FeeNotice.case_id == Case.id).where(FeeNotice.paid_on.is_(None), FeeNotice.lapsed.is_(False))
    return list(session.execute(_scoped(stmt, scope).order_by(FeeNotice.noticed_on, Case.id)))


# The events that say when a letter was served and whether its period is still running.
LETTER_ACTIONS = ("request-correction", "explanation-request", "explanation-answered", "served", "correct-date",
                  "reopen")


def correction_cases(session: Session, scope: Scope) -> tuple[list[Any], dict[int, list[Event]]]:
    """Cases waiting for the applicant's correction, with the events that date its period."""
    rows = list(session.execute(_scoped(_cases().where(Case.stage == "correction_requested"), scope)
                                .order_by(Case.id)))
    return rows, _letter_events(session, [r.id for r in rows])


def explanation_cases(session: Session, scope: Scope) -> tuple[list[Any], dict[int, list[Event]]]:
    """Open cases that asked the applicant to explain (Art. 35), with the events that date its period."""
    stmt = _cases().where(_has_event("explanation-request"))
    rows = list(session.execute(_scoped(stmt, scope).order_by(Case.id)))
    return rows, _letter_events(session, [r.id for r in rows])


def _letter_events(session: Session, case_ids: Sequence[int]) -> dict[int, list[Event]]:
    out: dict[int, list[Event]] = defaultdict(list)
    for lo in range(0, len(case_ids), 500):
        stmt = select(Event).where(Event.case_id.in_(case_ids[lo:lo + 500]), Event.action.in_(LETTER_ACTIONS))
        for e in session.scalars(stmt.order_by(Event.id)):
            out[e.case_id].append(e)
    return out


def handled_case_keys(session: Session, name: str, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of (agency code, case number) pairs, those whose case the user handles (for --mine on proceedings)."""
    numbers = sorted({n for _, n in keys})
    out: set[tuple[str, str]] = set()
    for lo in range(0, len(numbers), 500):
        stmt = (select(Agency.code, Case.number).join(Agency, Agency.id == Case.agency_id)
                .where(Case.number.in_(numbers[lo:lo + 500]), handled_by(name)))
        out |= {(code, number) for code, number in session.execute(stmt)}
    return out & set(keys)
