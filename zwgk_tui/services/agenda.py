"""The clerk's agenda: every open deadline of every case (and proceeding) the user may see, overdue first.

Read-only, one read transaction. The items come from what the steps store (see persistence/agenda_queries.py);
which deadlines exist and what they rest on is domain/agenda.py. Proceedings' deadlines come from
`zwgk_tui.services.proceedings.open_deadlines`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.domain import agenda as ag
from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.codes import STAGE_LABELS
from zwgk_tui.domain.register_table import mask_name
from zwgk_tui.persistence import agenda_queries as q
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Agency, Event
from zwgk_tui.services.clockbridge import effective_dates, served_on
from zwgk_tui.services.context import Actor, ServiceContext
from zwgk_tui.services.errors import InvalidInput, NotPermitted
from zwgk_tui.services.proceedings import open_deadlines

DEFAULT_DAYS = 5
MAX_DAYS = 200
SUBJECT_CHARS = 40
FORMATS: dict[str, str] = {"table": "终端表格", "json": "JSON", "xlsx": "Excel", "md": "Markdown 摘要"}


@dataclass
class AgendaResult:
    today: date
    until: date
    items: list[ag.AgendaItem]
    scope: str  # in words: "全部机关" / an agency's name, "（本人经办）"
    agencies: dict[str, str] = field(default_factory=dict)  # code -> name of the agencies in scope
    proceedings: bool = False  # proceedings' deadlines were included

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ag.STATUS_LABELS}
        for item in self.items:
            out[item.status] += 1
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "until": self.until.isoformat(),
            "scope": self.scope,
            "agencies": sorted(self.agencies),
            "proceedings_included": self.proceedings,
            "counts": self.counts(),
            "items": [item_json(i) for i in self.items],
        }


def item_json(i: ag.AgendaItem) -> dict[str, Any]:
    return {
        "number": i.number,
        "agency": i.agency,
        "kind": i.kind,
        "what": i.what,
        "due": i.due.isoformat() if i.due else None,
        "working_days_left": i.days_left,
        "status": i.status,
        "status_label": ag.STATUS_LABELS[i.status],
        "party": i.party,
        "basis": i.basis,
        "next_step": i.next_step,
        "command": i.command,
        "provisional": i.provisional,
        "applicant": i.applicant,
        "subject": i.subject,
        "stage": i.stage or None,
        "stage_label": STAGE_LABELS.get(i.stage) if i.stage else None,
        "letter_sent": i.since.isoformat() if i.since else None,
        "proceeding_id": i.proceeding_id,
    }


def check_days(days: Any) -> int:
    try:
        n = int(days)
    except (TypeError, ValueError):
        raise InvalidInput(f"--days “{days}”不是整数：应为 0 至 {MAX_DAYS} 个工作日") from None
    if not 0 <= n <= MAX_DAYS:
        raise InvalidInput(f"--days {n} 无效：应为 0 至 {MAX_DAYS} 个工作日")
    return n


def check_format(fmt: str | None) -> str:
    value = (fmt or "table").strip().lower()
    if value not in FORMATS:
        raise InvalidInput(f"输出格式“{fmt}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in FORMATS.items()))
    return value


def visible_scope(ctx: ServiceContext, s: Session, actor: Actor, agency_code: str | None,
                  what: str) -> tuple[tuple[int, ...] | None, Agency | None]:
    """The agencies a user may look at (None = all) narrowed to --agency; NotPermitted for another agency."""
    agency = None
    if agency_code:
        agency = repo.agency_by_code(s, agency_code.strip())
        if agency is None:
            known = "、".join(a.code for a in repo.agencies(s)) or "无"
            raise InvalidInput(f"机关代码“{agency_code}”不存在。已有：{known}")
    if actor.sees_all():
        return ((agency.id,) if agency else None), agency
    own = actor.agency_id if actor.agency_id is not None else -1
    if agency is not None and agency.id != own:
        raise NotPermitted(f"用户“{actor.name}”只能查看本机关的{what}，不能查看“{agency.name}”（全部机关由政府办查看）")
    return (own,), agency or s.get(Agency, own)


def agenda(ctx: ServiceContext, *, days: int | None = None, until: date | None = None, agency: str | None = None,
           mine: bool = False) -> AgendaResult:
    """Items due within `days` working days (or on or before `until`), every passed item and every item that
    waits for a date of service."""
    today = ctx.today()
    with ctx.db.read() as s:
        cal = ctx.calendar(s)
        if until is None:
            n = DEFAULT_DAYS if days is None else check_days(days)
            until = cal.nth_working_day_after(today, n) if n else today
        until = max(until, today)
        actor = ctx.actor(s)
        agency_ids, chosen = visible_scope(ctx, s, actor, agency, "待办事项")
        scope = q.Scope(agency_ids=agency_ids, mine=actor.name if mine else None)
        items = collect(s, cal, today, until, scope)
        extra, available = proceeding_items(ctx, s, agency_ids, until, scope)
        agencies = repo.agencies(s)
        soon = {a.code: a.due_soon_days for a in agencies}
        items += [ag.classify(i, cal, today, soon.get(i.agency, 5)) for i in extra]
        names = {a.code: a.name for a in agencies if agency_ids is None or a.id in agency_ids}
    words = chosen.name if chosen is not None else "全部机关"
    if mine:
        words += f"（{actor.name}经办）"
    return AgendaResult(today, until, ag.ordered(ag.within(items, until)), words, names, available)


# ---------------------------------------------------------------------------------------------------------------
# The items


def _subject(text: str) -> str:
    one = " ".join((text or "").split())
    return one if len(one) <= SUBJECT_CHARS else one[:SUBJECT_CHARS - 1] + "…"


def _base(row: Any, kind: str, due: date | None, what: str, next_step: str, cal: WorkCalendar,
          since: date | None = None, provisional: bool | None = None, command: str = "") -> ag.AgendaItem:
    rule = ag.DUE_RULES[kind]
    return ag.AgendaItem(
        kind=kind, number=row.number, agency=row.agency, due=due, what=what, basis=rule.basis,
        next_step=next_step, command=command, applicant=mask_name(row.applicant_name or "", row.applicant_type or ""),
        subject=_subject(row.content), stage=row.stage, since=since,
        provisional=(cal.is_provisional(due) if due else False) if provisional is None else provisional,
    )


def collect(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> list[ag.AgendaItem]:
    """Every case item of the scope, classified as of `today` (the caller keeps those within the horizon)."""
    items: list[tuple[ag.AgendaItem, int]] = []
    for collector in _COLLECTORS:
        items += collector(s, cal, today, until, scope)
    return [ag.classify(item, cal, today, soon) for item, soon in items]


Collected = list[tuple[ag.AgendaItem, int]]  # (item, the agency's due-soon threshold)


def _reply_items(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> Collected:
    out: Collected = []
    for r in q.reply_due_rows(s, scope, until):
        if r.delay_until is not None and r.due_date == r.delay_until:
            what = "答复期限（第三十五条确定的日期）"
        elif r.extension_days:
            what = f"答复期限（含延长{r.extension_days}个工作日）"
        else:
            what = "答复期限"
        step = "已逾期：尽快答复并送达" if r.due_date < today else ag.REPLY_NEXT_STEP.get(r.stage, "")
        out.append((_base(r, "reply_due", r.due_date, what, step, cal, provisional=r.due_provisional),
                    r.due_soon_days))
        if (r.stage in ag.EXTENSION_STAGES and not r.extension_days and r.delay_until is None
                and r.due_date >= today and ag.working_days_left(cal, today, r.due_date) <= r.due_soon_days):
            out.append((_base(
                r, "extension_decision", r.due_date, "延期决定（尚未延期）",
                "需要延期的，须在期限前经负责人同意并告知申请人", cal, provisional=r.due_provisional,
                command=f"zwgk-tui case act {r.number} extend --on 日期 --days N --approved-by 负责人 --reason 理由"),
                r.due_soon_days))
    return out


def _correction_notice_items(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> Collected:
    out: Collected = []
    for r in q.registered_rows(s, scope, ag.latest_receipt_for_notice_by(cal, until)):
        due = ag.correction_notice_due(cal, r.received_on)
        missing = [m for m in (r.missing_elements or "").split("；") if m]
        if not missing and due < today:
            # A complete application needs no notice; once the 7 days are over the reminder has nothing to say.
            continue
        what = f"补正告知期限（登记时缺少{len(missing)}项要素）" if missing else "补正告知期限（如需补正）"
        step = "一次性告知补正" if missing else "审查申请是否需要补正"
        command = f"zwgk-tui case act {r.number} request-correction --on 日期 --items 事项 --correct-days N"
        out.append((_base(r, "correction_notice", due, what, step, cal, command=command), r.due_soon_days))
    return out


def _round(events: Sequence[Event]) -> list[Event]:
    start = max((i for i, e in enumerate(events) if e.action == "reopen"), default=0)
    return list(events[start:])


def _last(events: Iterable[Event], action: str) -> Event | None:
    found = None
    for e in events:
        if e.action == action:
            found = e
    return found


SERVED_STEP = "记录送达日期（对方收到之日）"


def _served_command(number: str, what: str) -> str:
    return f"zwgk-tui case act {number} served --on 对方收到之日 --what {what}"


_LAPSE_COMMANDS = {
    "correction_period": "correction-lapsed", "consultation_period": "consult-answered --lapsed",
    "fee_payment": "fee-lapsed", "explanation_period": "explanation-answered --lapsed",
}


def _lapse_step(rule: ag.DueRule, due: date, today: date) -> str:
    """What to do about the other side's period: record its lapse only from the day after its last day."""
    if due < today:
        return rule.on_lapse
    return f"期限内等待（{due.isoformat()} 当日仍在期限内）；期满后——{rule.on_lapse}"


def _lapse_command(number: str, kind: str) -> str:
    return f"zwgk-tui case act {number} {_LAPSE_COMMANDS[kind]} --on 期满次日或之后"


def _correction_period_items(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> Collected:
    rows, events = q.correction_cases(s, scope)
    out: Collected = []
    rule = ag.DUE_RULES["correction_period"]
    for r in rows:
        evs = events.get(r.id, [])
        req = _last(_round(evs), "request-correction")
        if req is None:
            continue
        dates = effective_dates(evs)
        served = served_on(evs, dates, rule.served_from, req)
        data = req.data or {}
        sent = dates.get(req.id, req.on_date)
        if data.get("correct_by"):
            fixed = date.fromisoformat(data["correct_by"])
            due: date | None = fixed
            what = f"申请人补正期限（告知书写明 {fixed.isoformat()} 前）"
        else:
            days = int(data.get("correct_days") or 0)
            due = ag.period_end(cal, served, days)
            what = (f"申请人补正期限（{served.isoformat()} 送达，{days}个工作日）" if due and served else
                    f"补正告知书（{sent.isoformat()} 发出，{days}个工作日）尚未记录送达日期")
        step = _lapse_step(rule, due, today) if due else SERVED_STEP
        command = _lapse_command(r.number, rule.kind) if due else _served_command(r.number, rule.served_from)
        out.append((_base(r, "correction_period", due, what, step, cal, since=sent, command=command),
                    r.due_soon_days))
    return out


def _consultation_items(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> Collected:
    out: Collected = []
    rule = ag.DUE_RULES["consultation_period"]
    for r in q.open_consultations(s, scope):
        who = ag.CONSULTED_PARTY_LABELS.get(r.pause_kind, "被征求意见方")
        due = ag.period_end(cal, r.served_on, ag.CONSULTATION_DAYS)
        if due is not None:
            what = f"{who}答复期限（{r.party}，{r.served_on.isoformat()} 送达）"
            step, command = _lapse_step(rule, due, today), _lapse_command(r.number, rule.kind)
        else:
            what = f"征求意见书（致{r.party}，{r.started_on.isoformat()} 发出）尚未记录送达日期"
            step, command = SERVED_STEP, _served_command(r.number, rule.served_from)
        out.append((_base(r, "consultation_period", due, what, step, cal, since=r.started_on, command=command),
                    r.due_soon_days))
    return out


def _fee_items(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> Collected:
    out: Collected = []
    rule = ag.DUE_RULES["fee_payment"]
    for r in q.open_fee_notices(s, scope):
        due = ag.period_end(cal, r.fee_served_on, ag.FEE_PAYMENT_DAYS)
        if due is not None:
            what = f"申请人缴费期限（{r.amount}元，{r.fee_served_on.isoformat()} 送达）"
            step, command = _lapse_step(rule, due, today), _lapse_command(r.number, rule.kind)
        else:
            what = f"收费通知书（{r.amount}元，{r.noticed_on.isoformat()} 发出）尚未记录送达日期"
            step, command = SERVED_STEP, _served_command(r.number, rule.served_from)
        out.append((_base(r, "fee_payment", due, what, step, cal, since=r.noticed_on, command=command),
                    r.due_soon_days))
    return out


def _explanation_items(s: Session, cal: WorkCalendar, today: date, until: date, scope: q.Scope) -> Collected:
    rows, events = q.explanation_cases(s, scope)
    out: Collected = []
    rule = ag.DUE_RULES["explanation_period"]
    for r in rows:
        evs = events.get(r.id, [])
        current = _round(evs)
        req = _last(current, "explanation-request")
        if req is None or any(e.action == "explanation-answered" and e.id > req.id for e in current):
            continue
        dates = effective_dates(evs)
        served = served_on(evs, dates, rule.served_from, req)
        days = int((req.data or {}).get("answer_days") or 0)
        due = ag.period_end(cal, served, days)
        sent = dates.get(req.id, req.on_date)
        if due is not None and served is not None:
            what = f"申请人说明理由期限（{served.isoformat()} 送达，{days}个工作日）"
            step, command = _lapse_step(rule, due, today), _lapse_command(r.number, rule.kind)
        else:
            what = f"说明理由告知书（{sent.isoformat()} 发出）尚未记录送达日期"
            step, command = SERVED_STEP, _served_command(r.number, rule.served_from)
        out.append((_base(r, "explanation_period", due, what, step, cal, since=sent, command=command),
                    r.due_soon_days))
    return out


_COLLECTORS: tuple[Callable[[Session, WorkCalendar, date, date, q.Scope], Collected], ...] = (
    _reply_items, _correction_notice_items, _correction_period_items, _consultation_items, _fee_items,
    _explanation_items,
)


# ---------------------------------------------------------------------------------------------------------------
# Proceedings (reconsideration answers, defences, compliance): their own service, when it is there


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def proceeding_items(ctx: ServiceContext, s: Session, agency_ids: tuple[int, ...] | None, until: date,
                     scope: q.Scope) -> tuple[list[ag.AgendaItem], bool]:
    """Open deadlines of proceedings as agenda items (unclassified), with their case's applicant and subject."""
    items = []
    for d in open_deadlines(ctx, s, agency_ids, until):
        items.append(ag.AgendaItem(
            kind="proceeding", number=d["case_number"], agency=d["agency_code"], due=_as_date(d["due"]),
            what=d["what"], basis=d["basis"], next_step=d["next_step"], proceeding_id=int(d["proceeding_id"]),
            applicant=mask_name(d["applicant_name"] or "", d["applicant_type"] or ""),
            subject=_subject(d["content"]), stage=d["stage"], extra={"proceeding_kind": d["kind"]},
        ))
    if scope.mine is not None and items:
        mine = q.handled_case_keys(s, scope.mine, [(i.agency, i.number) for i in items])
        items = [i for i in items if (i.agency, i.number) in mine]
    return items, True
