"""Proceedings (复议、诉讼) on cases: their view with deadlines for `case show`, and every open deadline for the
clerk's agenda. The rules are domain/proceedings.py; the records are the `remedies` table."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.domain import proceedings as pr
from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.persistence import proceeding_queries, repo
from zwgk_tui.persistence.models import Case, RemedyProceeding
from zwgk_tui.services.context import ServiceContext

_COLUMNS = ("kind", "filed_on", "result", "copy_received_on", "simplified", "accepted_on", "extended",
            "answered_on", "decided_on", "disclose_order", "complied_on", "opinion_received_on", "reported_on")


# What the clerk records when the deadline is met (the command; the TUI form has the same fields).
NEXT_STEPS: dict[str, str] = {
    "answer": "提交书面答复和证据后记录：zwgk-tui case act {number} remedy --proceeding {id} --answered 日期",
    "defence": "提交答辩状和证据后记录：zwgk-tui case act {number} remedy --proceeding {id} --answered 日期",
    "decision": "复议机关的期限，供督促；收到决定后记录：zwgk-tui case act {number} remedy --proceeding {id} "
                "--result 结果 --decided 日期",
    "compliance": "公开后记录：zwgk-tui case act {number} remedy --proceeding {id} --complied 日期",
    "opinion_report": "报送后记录：zwgk-tui case act {number} remedy --proceeding {id} --reported 日期",
}
assert set(NEXT_STEPS) == set(pr.DEADLINE_LABELS)


def facts_of(proc: Any) -> pr.ProceedingFacts:
    return pr.facts_from({c: getattr(proc, c) for c in _COLUMNS})


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def proceeding_view(proc: RemedyProceeding, cal: WorkCalendar, today: date) -> dict[str, Any]:
    facts = facts_of(proc)
    deadlines = []
    for dl in pr.deadlines(facts, cal):
        deadlines.append({
            "code": dl.code, "what": dl.what, "due": dl.due.isoformat(), "basis": dl.basis, "own": dl.own,
            "from": dl.start.isoformat(), "done_on": _iso(dl.done_on), "status": dl.status(today),
            "working_days_left": (cal.working_days_between(today, dl.due) if dl.open and dl.due >= today
                                  else -cal.working_days_between(dl.due, today) if dl.open else None),
            "explanation": list(dl.explanation),
        })
    return {
        "id": proc.id, "kind": proc.kind, "kind_label": pr.kind_label(proc.kind),
        "filed_on": proc.filed_on.isoformat(), "result": proc.result, "result_label": pr.result_label(proc.result),
        "decided_on": _iso(proc.decided_on), "copy_received_on": _iso(proc.copy_received_on),
        "simplified": proc.simplified, "accepted_on": _iso(proc.accepted_on), "extended": proc.extended,
        "answered_on": _iso(proc.answered_on), "disclose_order": proc.disclose_order,
        "complied_on": _iso(proc.complied_on), "opinion_received_on": _iso(proc.opinion_received_on),
        "reported_on": _iso(proc.reported_on), "note": proc.note, "warning": proc.warning,
        "deadlines": deadlines, "missing": pr.missing_dates(facts),
    }


def proceeding_views(ctx: ServiceContext, s: Session, case: Case) -> list[dict[str, Any]]:
    procs = repo.remedies_of(s, case.id)
    if not procs:
        return []
    cal, today = ctx.calendar(s), ctx.today()
    return [proceeding_view(p, cal, today) for p in procs]


def open_deadlines(ctx: ServiceContext, session: Session, agency_ids: tuple[int, ...] | None,
                   until: date) -> list[dict[str, Any]]:
    """Every deadline of a proceeding that is not yet met and falls due on or before `until` (overdue ones
    included), sorted by due date. For the agenda (issue 15).

    Each item: {"case_number", "agency_code", "proceeding_id", "kind", "what" (Chinese label), "due" (date),
    "basis" (citation)}, plus "code" (answer, defence, decision, compliance, opinion_report), "kind_label",
    "own" (False for the reviewing body's decision period, shown for information) and "next_step" (what to
    record when it is done). `agency_ids` None = all agencies; the caller applies the user's scope."""
    cal = ctx.calendar(session)
    out: list[dict[str, Any]] = []
    for row in proceeding_queries.with_open_duties(session, agency_ids):
        for dl in pr.deadlines(facts_of(row), cal):
            if not dl.open or dl.due > until:
                continue
            out.append({
                "case_number": row.number, "agency_code": row.agency_code, "proceeding_id": row.id,
                "kind": row.kind, "kind_label": pr.kind_label(row.kind), "code": dl.code, "what": dl.what,
                "due": dl.due, "basis": dl.basis, "own": dl.own,
                "next_step": NEXT_STEPS[dl.code].format(number=row.number, id=row.id),
                "applicant_name": row.applicant_name, "applicant_type": row.applicant_type,
                "content": row.content, "stage": row.stage,
            })
    out.sort(key=lambda item: (item["due"], item["agency_code"], item["case_number"], item["proceeding_id"]))
    return out
