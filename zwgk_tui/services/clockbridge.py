"""Turns a case's recorded events into the clock's input, and stores the clock's result on the case row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.clock import ClockEvent, Deadline, compute_deadline, rules_for
from zwgk_tui.persistence.models import Case, Event

# "import": a case imported from an agency's register as concluded (services/register_io.py).
CONCLUDING_ACTIONS = frozenset({"deliver", "withdraw", "correction-lapsed", "fee-lapsed", "import"})


def effective_dates(events: Sequence[Event]) -> dict[int, date]:
    """Legal date of every event after explicit correction events (history itself is never edited)."""
    dates = {e.id: e.on_date for e in events}
    for e in events:
        if e.action == "correct-date":
            target = int(e.data["event_id"])
            if target in dates:
                dates[target] = date.fromisoformat(e.data["to"])
    return dates


def clock_events(events: Sequence[Event]) -> list[ClockEvent]:
    dates = effective_dates(events)
    out: list[ClockEvent] = []
    for e in events:
        on = dates[e.id]
        a, d = e.action, e.data or {}
        if a == "request-correction":
            out.append(ClockEvent("correction_requested", on))
        elif a == "correction-received":
            out.append(ClockEvent("correction_received", on))
        elif a == "consult":
            out.append(ClockEvent("pause_start", on, pause_kind=d.get("party", "third_party"), note=d.get("to")))
        elif a == "consult-answered":
            out.append(ClockEvent("pause_end", on, pause_kind=d.get("party", "third_party")))
        elif a == "fee-notice":
            out.append(ClockEvent("pause_start", on, pause_kind="fee"))
        elif a == "fee-paid":
            out.append(ClockEvent("pause_end", on, pause_kind="fee"))
        elif a == "extend":
            out.append(ClockEvent("extension", on, days=int(d["days"])))
        elif a == "delay":
            out.append(ClockEvent("delay", on, until=date.fromisoformat(d["until"])))
        elif a in CONCLUDING_ACTIONS:
            out.append(ClockEvent("concluded", on))
        elif a == "reopen":
            # A reopened case is open again: forget the conclusion before it.
            for i in range(len(out) - 1, -1, -1):
                if out[i].kind == "concluded":
                    del out[i]
                    break
    out.sort(key=lambda c: c.on)  # stable: same-day events keep their recorded order
    return out


def received_date(case: Case, events: Sequence[Event]) -> date:
    dates = effective_dates(events)
    for e in events:
        if e.action == "register":
            return dates[e.id]
    return case.received_on


def deadline_for(case: Case, events: Sequence[Event], calendar: WorkCalendar, today: date, *,
                 fee_pauses_clock: bool, due_soon_days: int, explain: bool = True) -> Deadline:
    received = received_date(case, events)
    return compute_deadline(
        received,
        clock_events(events),
        calendar,
        today=today,
        rules=rules_for(received),
        fee_pauses_clock=fee_pauses_clock,
        due_soon_days=due_soon_days,
        explain=explain,
    )


def store_deadline(case: Case, dl: Deadline) -> None:
    case.clock_start = dl.clock_start
    case.due_date = dl.due
    case.due_provisional = dl.provisional
    case.paused = dl.paused or dl.correction_pending
    case.extension_days = dl.extension_days
    case.rules_code = dl.rules.code
