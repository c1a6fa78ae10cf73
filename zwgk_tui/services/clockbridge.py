"""Turns a case's recorded events into the clock's input, and stores the clock's result on the case row."""

from __future__ import annotations

import dataclasses
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
    dl = compute_deadline(
        received,
        clock_events(events),
        calendar,
        today=today,
        rules=rules_for(received),
        fee_pauses_clock=fee_pauses_clock,
        due_soon_days=due_soon_days,
        explain=explain,
    )
    if dl.consultation_due is None and dl.fee_payment_due is None:
        return dl
    return _other_side_periods(dl, events, calendar)


def served_on(events: Sequence[Event], dates: dict[int, date], what: str, step: Event | None) -> date | None:
    """The day the other side received the letter of `step`: `--served` on the step, or a later `served` event
    (the postal receipt came back)."""
    if step is None:
        return None
    found: date | None = None
    if (step.data or {}).get("served"):
        found = date.fromisoformat(step.data["served"])
    after = False
    for e in events:
        if e.id == step.id:
            after = True
            continue
        if after and e.action == "served" and (e.data or {}).get("what") == what:
            found = dates.get(e.id, e.on_date)
    return found


def _last(events: Sequence[Event], action: str) -> Event | None:
    return next((e for e in reversed(events) if e.action == action), None)


def _other_side_periods(dl: Deadline, events: Sequence[Event], calendar: WorkCalendar) -> Deadline:
    """The third party's (Art. 32) and the applicant's fee period run from **their** receipt of the letter
    (spec 09), not from its sending as the clock alone would count: the last day is known only once the date of
    service is recorded."""
    dates = effective_dates(events)
    changes: dict[str, object] = {}
    lines = list(dl.explanation)
    if dl.consultation_due is not None:
        served = served_on(events, dates, "consult", _last(events, "consult"))
        days = dl.rules.consultation_days
        due = calendar.nth_working_day_after(served, days) if served else None
        changes["consultation_due"] = due
        text = (f"被征求意见方的答复期限：{due.isoformat()}（{served.isoformat()} 送达，自次日起第{days}个工作日）。"
                if due and served else
                f"被征求意见方的答复期限：自其收到征求意见书之日起{days}个工作日（尚未记录送达日期）。")
        lines = [text if line.startswith("被征求意见方的答复期限") else line for line in lines]
    if dl.fee_payment_due is not None:
        served = served_on(events, dates, "fee-notice", _last(events, "fee-notice"))
        days = dl.rules.fee_payment_days
        due = calendar.nth_working_day_after(served, days) if served else None
        changes["fee_payment_due"] = due
        text = (f"缴费期限：{due.isoformat()}（{served.isoformat()} 申请人收到收费通知，自次日起第{days}个工作日）。"
                if due and served else
                f"缴费期限：自申请人收到收费通知之日起{days}个工作日（尚未记录送达日期）。")
        lines = [text if line.startswith("缴费期限") else line for line in lines]
    changes["explanation"] = lines
    return dataclasses.replace(dl, **changes)  # type: ignore[arg-type]


def store_deadline(case: Case, dl: Deadline) -> None:
    case.clock_start = dl.clock_start
    case.due_date = dl.due
    case.due_provisional = dl.provisional
    case.paused = dl.paused or dl.correction_pending
    case.extension_days = dl.extension_days
    case.rules_code = dl.rules.code
