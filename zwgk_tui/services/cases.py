"""Use cases on the case register: register, show, list, and every step of `case act`. Each is one transaction."""

from __future__ import annotations

import calendar as pycal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from zwgk_tui.domain import validation as v
from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    CHANNELS_NEEDING_CONFIRMATION,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    OUTCOMES,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    STAGE_LABELS,
)
from zwgk_tui.domain.fees import FeeError, per_page_quote, per_request_quote
from zwgk_tui.domain.workflow import (
    STEPS,
    ReviewSettings,
    StepNotAllowed,
    allowed_actions,
    required_roles,
    target_stage,
)
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.rehearsal import rehearse
from zwgk_tui.persistence.models import (
    Agency,
    Applicant,
    Case,
    CaseCounter,
    Event,
    FeeNotice,
    Pause,
    RemedyProceeding,
)
from zwgk_tui.services.clockbridge import deadline_for, effective_dates, store_deadline
from zwgk_tui.services.context import Actor, ServiceContext, china_time, ensure_default_agency, now_in_china
from zwgk_tui.services.errors import Conflict, InvalidInput, NotPermitted


def _invalid(exc: Exception) -> InvalidInput:
    return InvalidInput(getattr(exc, "message", None) or str(exc))


# ---------------------------------------------------------------------------------------------------------------
# Registration


@dataclass
class NewCase:
    applicant: str
    applicant_type: str
    channel: str
    received: str | date
    content: str
    agency: str | None = None
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    delivery: str = ""
    form_requested: str = ""
    item_count: int = 1
    arrived: str | date | None = None  # ordinary letter / online / fax: the day it arrived, before confirmation


@dataclass
class Registered:
    number: str
    case: dict[str, Any]
    missing_elements: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)


def _as_date(value: str | date, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return v.parse_date(value, label)
    except v.ValidationError as exc:
        raise _invalid(exc) from exc


def validate_new_case(ctx: ServiceContext, inp: NewCase) -> tuple[dict[str, Any], list[str]]:
    """All checks of a registration, before anything is written. Returns normalised fields and the Art. 29
    elements that are missing (those are reasons for a correction notice, not errors)."""
    today = ctx.today()
    try:
        name = v.check_required(inp.applicant, "申请人姓名或名称")
        atype = v.check_choice(inp.applicant_type, APPLICANT_TYPE_LABELS, "申请人类型")
        channel = v.check_choice(inp.channel, CHANNEL_LABELS, "申请渠道")
        content = v.check_text(inp.content, "申请内容", v.CONTENT_MAX_CHARS, required=True, rule="《条例》第二十九条")
        received = _as_date(inp.received, "收到申请日期")
        v.check_received_date(received, today)
        id_number = v.check_identity_document(atype, inp.id_number, today=today) if inp.id_number.strip() else ""
        phone = v.check_phone(inp.phone) if inp.phone.strip() else ""
        email = v.check_email(inp.email) if inp.email.strip() else ""
        delivery = v.check_choice(inp.delivery, DELIVERY_METHOD_LABELS, "获取信息方式") if inp.delivery else ""
        if inp.item_count < 1 or inp.item_count > 1000:
            raise v.ValidationError(f"申请事项数 {inp.item_count} 无效：应为 1 至 1000", "item_count")
        arrived = None
        if inp.arrived:
            arrived = _as_date(inp.arrived, "到达日期")
            if arrived > received:
                raise v.ValidationError(
                    f"到达日期 {arrived.isoformat()} 晚于收到申请日期 {received.isoformat()}：《条例》第三十一条，"
                    "收到日期是到达当日与申请人确认（或双方确认）之日，不会早于到达", "arrived"
                )
    except v.ValidationError as exc:
        raise _invalid(exc) from exc
    missing = []
    if not id_number:
        missing.append("身份证明（《条例》第二十九条第二款第一项）")
    if not (phone or email or inp.address.strip()):
        missing.append("联系方式（《条例》第二十九条第二款第一项）")
    if not (delivery or inp.form_requested.strip()):
        missing.append("信息的形式要求、获取方式（《条例》第二十九条第二款第三项）")
    fields = dict(
        name=name, type=atype, channel=channel, content=content, received=received, id_number=id_number,
        phone=phone, email=email, address=inp.address.strip(), postcode=inp.postcode.strip(), delivery=delivery,
        form_requested=inp.form_requested.strip(), item_count=inp.item_count, arrived=arrived,
    )
    return fields, missing


def register(ctx: ServiceContext, inp: NewCase) -> Registered:
    fields, missing = validate_new_case(ctx, inp)
    cal = ctx.calendar()
    today = ctx.today()
    with ctx.db.read() as s:
        # The questions of the write transaction below, asked once before it: bad input is refused without the
        # write lock, and the writes are rehearsed (compiled, not run), so the transaction holds SQLite's
        # single write lock only for the statements themselves (bench/bench_cli.py: <= 20 ms).
        actor = ctx.actor(s)
        ctx.require_role(actor, {"clerk"}, "登记申请")
        if inp.agency or actor.agency_id is not None:
            agency = _agency_for_new_case(s, actor, inp.agency)
        else:
            agency = next(iter(repo.agencies(s)), None)  # the default agency is created by the write below
        known = repo.find_applicant(s, fields["name"], fields["type"], fields["id_number"])
        if agency is not None:
            rehearse(ctx.db, _registration_steps(fields, missing, agency, known, actor.name, cal, today))
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"clerk"}, "登记申请")
        agency = _agency_for_new_case(s, actor, inp.agency)
        applicant = _applicant_for(s, fields, repo.find_applicant(s, fields["name"], fields["type"],
                                                                 fields["id_number"]))
        s.flush()
        received: date = fields["received"]
        seq = repo.next_seq(s, CaseCounter, agency.id, received.year)
        case, event = _new_case_rows(fields, missing, agency, applicant.id, seq, actor.name, cal, today)
        s.add(case)
        s.flush()
        event.case_id = case.id
        s.add(event)
        s.flush()
        case_id, number = case.id, case.number
    # Hints and the full view only read: after the commit, outside the lock.
    with ctx.db.read() as s:
        case = s.get(Case, case_id)  # type: ignore[assignment]
        hints = _repeat_hints(s, case)
        view = case_view(ctx, s, case)
    return Registered(number=number, case=view, missing_elements=missing, hints=hints)


def _applicant_for(s: Session, fields: dict[str, Any], found: Applicant | None) -> Applicant:
    """The applicant row of a registration: the one found (its contact details updated) or a new one."""
    applicant = found
    if applicant is None:
        applicant = Applicant(name=fields["name"], type=fields["type"], id_number=fields["id_number"])
        s.add(applicant)
    for key in ("phone", "email", "address", "postcode"):
        if fields[key]:
            setattr(applicant, key, fields[key])
    return applicant


def _new_case_rows(fields: dict[str, Any], missing: list[str], agency: Agency, applicant_id: int, seq: int,
                   actor_name: str, cal: WorkCalendar, today: date) -> tuple[Case, Event]:
    """The case row and its register event, complete: the register event is the case's only event, so its
    deadline is known before the row is written (no read-back, no second UPDATE under the lock)."""
    received: date = fields["received"]
    number = agency.number_format.format(year=received.year, seq=seq, code=agency.code)
    now = now_in_china()
    case = Case(
        agency_id=agency.id, year=received.year, seq=seq, number=number, applicant_id=applicant_id,
        applicant_type=fields["type"], channel=fields["channel"], received_on=received,
        confirmed_on=received if fields["channel"] in CHANNELS_NEEDING_CONFIRMATION else None,
        content=fields["content"], form_requested=fields["form_requested"], delivery=fields["delivery"],
        item_count=fields["item_count"], missing_elements="；".join(missing), stage="registered",
        clock_start=received, stage_since=received, created_at=now, updated_at=now,
    )
    data = {"channel": fields["channel"], "missing_elements": missing}
    if fields["arrived"]:
        data["arrived"] = fields["arrived"].isoformat()
    event = Event(action="register", on_date=received, at=now, actor=actor_name, comment="", data=data, before={},
                  after={"stage": "registered", "number": number})
    store_deadline(case, deadline_for(case, [event], cal, today, fee_pauses_clock=agency.fee_pauses_clock,
                                      due_soon_days=agency.due_soon_days, explain=False))
    return case, event


def _registration_steps(fields: dict[str, Any], missing: list[str], agency: Agency, known: Applicant | None,
                        actor_name: str, cal: WorkCalendar, today: date) -> list[Callable[[Session], object]]:
    """register()'s writes, for persistence.rehearsal: the same statements with placeholder keys."""
    year = fields["received"].year

    def applicant(s: Session) -> None:
        _applicant_for(s, fields, None if known is None else s.get(Applicant, known.id))

    def case(s: Session) -> None:
        s.add(_new_case_rows(fields, missing, agency, known.id if known else 0, 0, actor_name, cal, today)[0])

    def event(s: Session) -> None:
        row = _new_case_rows(fields, missing, agency, 0, 0, actor_name, cal, today)[1]
        row.case_id = 0
        s.add(row)

    return [applicant, lambda s: repo.next_seq(s, CaseCounter, agency.id, year), case, event]


def _agency_for_new_case(s: Session, actor: Actor, code: str | None) -> Agency:
    if code:
        agency = repo.agency_by_code(s, code)
        if agency is None:
            known = "、".join(a.code for a in repo.agencies(s)) or "无"
            raise InvalidInput(f"机关代码“{code}”不存在。已有：{known}（用 zwgk-tui agency add 添加）")
    elif actor.agency_id is not None:
        agency = s.get(Agency, actor.agency_id)  # type: ignore[assignment]
    else:
        agency = ensure_default_agency(s)
    if not actor.sees_all() and agency.id != actor.agency_id:
        raise NotPermitted(f"用户“{actor.name}”只能为本机关登记申请，不能登记到“{agency.name}”")
    return agency


def _repeat_hints(s: Session, case: Case) -> list[str]:
    same, others = repo.similar_cases(s, applicant_id=case.applicant_id, content=case.content, exclude_case_id=case.id)
    hints = []
    if same:
        nums = "、".join(c.number for c in same)
        hints.append(
            f"同一申请人此前已就相同内容提出申请（{nums}）：如已答复，可按重复申请不予处理"
            "（《条例》第三十六条第六项，结果 not_processed_duplicate）"
        )
    if others:
        nums = "、".join(c.number for c in others)
        hints.append(f"其他申请人也申请过相同信息（{nums}）：可考虑纳入主动公开范围（《条例》第四十四条）")
    return hints


# ---------------------------------------------------------------------------------------------------------------
# Reading


def find_case(ctx: ServiceContext, s: Session, number: str, agency_code: str | None = None) -> Case:
    found = repo.cases_by_number(s, number.strip(), agency_code)
    if not found:
        raise InvalidInput(f"找不到案件“{number}”" + (f"（机关 {agency_code}）" if agency_code else "") + "，请用 zwgk-tui case list 查看编号")
    if len(found) > 1:
        codes = "、".join(c.agency.code for c in found)
        raise InvalidInput(f"编号“{number}”在多个机关下都有（{codes}），请加 --agency CODE 指明")
    return found[0]


def show(ctx: ServiceContext, number: str, agency_code: str | None = None, *, reveal: bool = False) -> dict[str, Any]:
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        case = find_case(ctx, s, number, agency_code)
        ctx.require_case_access(actor, case)
        return case_view(ctx, s, case, reveal=reveal, actor=actor)


def case_view(ctx: ServiceContext, s: Session, case: Case, *, reveal: bool = False,
              actor: Actor | None = None) -> dict[str, Any]:
    events = repo.events_of(s, case.id)
    agency = case.agency
    dl = deadline_for(case, events, ctx.calendar(s), ctx.today(), fee_pauses_clock=agency.fee_pauses_clock,
                      due_soon_days=agency.due_soon_days)
    ap = case.applicant
    dates = effective_dates(events)
    view: dict[str, Any] = {
        "number": case.number,
        "agency": agency.code,
        "agency_name": agency.name,
        "stage": case.stage,
        "stage_label": STAGE_LABELS.get(case.stage, case.stage),
        "outcome": case.outcome,
        "outcome_label": OUTCOME_SHORT_LABELS.get(case.outcome or "", None),
        "proposed_outcome": case.proposed_outcome,
        "decision_reason": case.decision_reason,
        "received_on": dl.received.isoformat(),
        "concluded_on": case.concluded_on.isoformat() if case.concluded_on else None,
        "channel": case.channel,
        "content": case.content,
        "form_requested": case.form_requested,
        "delivery": case.delivery,
        "item_count": case.item_count,
        "missing_elements": [m for m in case.missing_elements.split("；") if m],
        "applicant": {
            "name": ap.name,
            "type": case.applicant_type,
            "id_number": ap.id_number if reveal else v.mask_id(ap.id_number) if ap.id_number else "",
            "phone": ap.phone if reveal else v.mask_phone(ap.phone) if ap.phone else "",
            "email": ap.email,
            "address": ap.address if reveal else ("（已隐藏）" if ap.address else ""),
        },
        "correction_notice_due": dl.correction_notice_due.isoformat(),
        "due_date": dl.due.isoformat() if dl.due else None,
        "deadline": {
            "due": dl.due.isoformat() if dl.due else None,
            "provisional": dl.provisional,
            "paused": dl.paused,
            "correction_pending": dl.correction_pending,
            "extension_days": dl.extension_days,
            "working_days_used": dl.working_days_used,
            "working_days_left": dl.working_days_left,
            "status": dl.status,
            "clock_start": dl.clock_start.isoformat(),
            "rules": dl.rules.code,
            "consultation_due": dl.consultation_due.isoformat() if dl.consultation_due else None,
            "fee_payment_due": dl.fee_payment_due.isoformat() if dl.fee_payment_due else None,
        },
        "explanation": list(dl.explanation),
        "version": case.version,
        "events": [
            {
                "id": e.id,
                "action": e.action,
                "on": dates[e.id].isoformat(),
                "recorded_on": e.on_date.isoformat(),
                "by": e.actor,
                "at": china_time(e.at).isoformat() if e.at else None,
                "comment": e.comment,
                "data": e.data,
                "before": e.before,
                "after": e.after,
            }
            for e in events
        ],
        "pauses": [
            {"kind": p.kind, "party": p.party, "started_on": p.started_on.isoformat(),
             "ended_on": p.ended_on.isoformat() if p.ended_on else None, "lapsed": p.lapsed}
            for p in repo.pauses_of(s, case.id)
        ],
        "fees": [
            {"method": f.method, "quantity": f.quantity, "amount": f.amount, "noticed_on": f.noticed_on.isoformat(),
             "payment_due": f.payment_due.isoformat() if f.payment_due else None,
             "paid_on": f.paid_on.isoformat() if f.paid_on else None, "paid_amount": f.paid_amount, "lapsed": f.lapsed}
            for f in repo.fee_notices_of(s, case.id)
        ],
        "remedies": [
            {"kind": r.kind, "filed_on": r.filed_on.isoformat(), "result": r.result,
             "decided_on": r.decided_on.isoformat() if r.decided_on else None}
            for r in repo.remedies_of(s, case.id)
        ],
        "documents": [
            {"kind": d.kind, "doc_number": d.doc_number, "issued_on": d.issued_on.isoformat(), "file_name": d.file_name,
             "sha256": d.sha256}
            for d in repo.documents_of(s, case.id)
        ],
        "working_days_to_reply": case.working_days_to_reply,
        "replied_late": case.replied_late,
        "office_review_days": case.office_review_days,
        "legal_review_days": case.legal_review_days,
    }
    roles = actor.roles if actor else None
    view["allowed_actions"] = allowed_actions(case.stage, roles)
    return view


@dataclass
class ListResult:
    rows: list[dict[str, Any]]
    total: int


def list_cases(ctx: ServiceContext, *, open_only: bool = False, closed_only: bool = False, overdue: bool = False,
               due_within: int | None = None, agency: str | None = None, stage: str | None = None,
               applicant_type: str | None = None, year: int | None = None, search: str | None = None,
               paused: bool = False, limit: int | None = None, offset: int = 0, count: bool = False) -> ListResult:
    if open_only and closed_only:
        raise InvalidInput("--open 与 --closed 不能同时使用")
    if due_within is not None and not 0 <= due_within <= 200:
        raise InvalidInput(f"--due-within {due_within} 无效：应为 0 至 200 个工作日")
    if stage and stage not in STAGE_LABELS:
        raise InvalidInput(f"阶段“{stage}”无效，可选：" + "、".join(f"{k}（{l}）" for k, l in STAGE_LABELS.items()))
    if applicant_type and applicant_type not in APPLICANT_TYPE_LABELS:
        raise InvalidInput(f"申请人类型“{applicant_type}”无效，可选：" + "、".join(APPLICANT_TYPE_LABELS))
    today = ctx.today()
    with ctx.db.read() as s:  # only opens a connection when the user, calendar or agency must be read
        actor = ctx.cached_actor(s)
        cal = ctx.calendar(s)
        if agency and repo.agency_by_code(s, agency) is None:
            raise InvalidInput(f"机关代码“{agency}”不存在")
    f = repo.CaseFilter(
        open_only=open_only, closed_only=closed_only,
        overdue_before=today if overdue else None,
        due_by=cal.nth_working_day_after(today, due_within) if due_within is not None else None,
        stage=stage, agency_ids=None if actor.sees_all() else (actor.agency_id or -1,), agency_code=agency,
        applicant_type=applicant_type, year=year, search=search or None, paused_only=paused,
    )
    from zwgk_tui.persistence.register_page import register_page

    page, counted = register_page(ctx.db, f, limit=limit, offset=offset, count=count)
    days_left = cal.days_from(today)
    rows = [list_row(r, today, days_left) for r in page]
    total = len(rows) if counted is None else counted
    return ListResult(rows=rows, total=total)


def list_row(r: Any, today: date, days_left: Any) -> dict[str, Any]:
    """One register line: what a clerk scans for (due date, days left, urgency). `days_left` is
    calendar.days_from(today) (a calendar itself is accepted too)."""
    (number, agency, due_soon_days, applicant, applicant_type, received_on, stage, due_date, provisional, outcome,
     concluded_on, content) = r
    if hasattr(days_left, "days_from"):
        days_left = days_left.days_from(today)
    if stage == "closed":
        status, left = "closed", None
    elif due_date is None:
        status, left = "paused", None
    else:
        left = days_left(due_date)
        if due_date < today:
            status = "overdue"
        else:
            status = "due_soon" if left <= due_soon_days else "normal"
    return {
        "number": number,
        "agency": agency,
        "applicant": applicant,
        "applicant_type": applicant_type,
        "received_on": received_on.isoformat(),
        "stage": stage,
        "stage_label": STAGE_LABELS.get(stage, stage),
        "due_date": due_date.isoformat() if due_date else None,
        "provisional": provisional,
        "working_days_left": left,
        "status": status,
        "outcome": outcome,
        "concluded_on": concluded_on.isoformat() if concluded_on else None,
        "content": content,
    }


# ---------------------------------------------------------------------------------------------------------------
# Steps


@dataclass
class StepInput:
    action: str
    on: str | date
    comment: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    expect_version: int | None = None


def act(ctx: ServiceContext, number: str, step: StepInput, agency_code: str | None = None) -> dict[str, Any]:
    if step.action not in STEPS:
        raise InvalidInput(f"未知的办理步骤“{step.action}”。可用步骤：{'、'.join(STEPS)}")
    on = _as_date(step.on, "--on 日期")
    today = ctx.today()
    try:
        with ctx.db.write() as s:
            actor = ctx.actor(s)
            case = find_case(ctx, s, number, agency_code)
            s.refresh(case)
            ctx.require_case_access(actor, case)
            if step.expect_version is not None and case.version != step.expect_version:
                raise Conflict(
                    f"案件 {case.number} 已被他人修改（您看到的是第 {step.expect_version} 版，现为第 {case.version} 版，"
                    f"当前阶段：{STAGE_LABELS[case.stage]}）。请刷新后再操作。",
                    detail={"case": case_view(ctx, s, case, actor=actor)},
                )
            agency = case.agency
            settings = ReviewSettings(office_review=agency.office_review, legal_review=agency.legal_review)
            try:
                new_stage = target_stage(case.stage, step.action, settings)
            except StepNotAllowed as exc:
                raise InvalidInput(str(exc)) from exc
            needed = required_roles(step.action, case.stage)
            ctx.require_role(actor, needed, f"执行“{STEPS[step.action].label}”")
            events = repo.events_of(s, case.id)
            received = effective_dates(events)[events[0].id] if events else case.received_on
            if step.action != "correct-date":
                try:
                    v.check_event_date(on, received, today, STEPS[step.action].label)
                except v.ValidationError as exc:
                    raise _invalid(exc) from exc
            before = _snapshot(case)
            handler = _HANDLERS[step.action]
            data = handler(ctx, s, case, actor, on, step.options, events) or {}
            _move_stage(ctx, s, case, new_stage, on)
            now = now_in_china()
            case.updated_at = now
            # Events are append-only (the database refuses UPDATE), so the state after the step is computed with
            # the new event in hand before it is inserted.
            event = Event(case_id=case.id, action=step.action, on_date=on, at=now, actor=actor.name,
                          comment=step.comment.strip(), data=_jsonable(data), before=before, after={})
            _recompute(ctx, s, case, agency, pending=event)
            if case.stage == "closed" and step.action in ("deliver", "withdraw", "correction-lapsed", "fee-lapsed"):
                _record_reply_time(ctx, s, case, pending=event)
            event.after = _snapshot(case)
            s.add(event)
            s.flush()
            return case_view(ctx, s, case, actor=actor)
    except StaleDataError as exc:
        raise Conflict(f"案件 {number} 刚被他人修改，本次操作未保存。请刷新查看最新状态后再操作。") from exc


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (x.isoformat() if isinstance(x, date) else x) for k, x in data.items()}


def _snapshot(case: Case) -> dict[str, Any]:
    return _jsonable({
        "stage": case.stage,
        "proposed_outcome": case.proposed_outcome,
        "outcome": case.outcome,
        "due_date": case.due_date,
        "extension_days": case.extension_days,
        "paused": case.paused,
        "concluded_on": case.concluded_on,
    })


def _move_stage(ctx: ServiceContext, s: Session, case: Case, new_stage: str, on: date) -> None:
    if new_stage == case.stage:
        return
    since = case.stage_since or case.received_on
    spent = ctx.calendar(s).working_days_between(since, on) if on > since else 0
    if case.stage == "office_review":
        case.office_review_days += spent
    elif case.stage == "legal_review":
        case.legal_review_days += spent
    case.stage = new_stage
    case.stage_since = on


def _recompute(ctx: ServiceContext, s: Session, case: Case, agency: Agency, pending: Event | None = None) -> None:
    events = repo.events_of(s, case.id) + ([pending] if pending is not None else [])
    dl = deadline_for(case, events, ctx.calendar(s), ctx.today(), fee_pauses_clock=agency.fee_pauses_clock,
                      due_soon_days=agency.due_soon_days, explain=False)
    store_deadline(case, dl)
    case.received_on = dl.received


def _record_reply_time(ctx: ServiceContext, s: Session, case: Case, pending: Event | None = None) -> None:
    events = repo.events_of(s, case.id) + ([pending] if pending is not None else [])
    agency = case.agency
    dl = deadline_for(case, events, ctx.calendar(s), ctx.today(), fee_pauses_clock=agency.fee_pauses_clock,
                      due_soon_days=agency.due_soon_days, explain=False)
    case.working_days_to_reply = dl.working_days_used
    case.replied_late = bool(dl.due and case.concluded_on and case.concluded_on > dl.due)


def _need(options: dict[str, Any], key: str, label: str) -> Any:
    value = options.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(f"缺少 {label}")
    return value.strip() if isinstance(value, str) else value


def _last_event(events: list[Event], action: str) -> Event | None:
    for e in reversed(events):
        if e.action == action:
            return e
    return None


def _h_request_correction(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    if any(e.action == "request-correction" for e in events):
        raise InvalidInput("补正告知只能一次性发出（《条例》第三十条），本案已发出过补正告知")
    items = _need(o, "items", "--items（需要补正的事项）")
    correct_by = _as_date(_need(o, "correct_by", "--correct-by（补正期限）"), "--correct-by 补正期限")
    if correct_by <= on:
        raise InvalidInput(f"补正期限 {correct_by.isoformat()} 应晚于告知日期 {on.isoformat()}")
    due = ctx.calendar(s).nth_working_day_after(case.received_on, 7)
    case.correction_requested_on = on
    data = {"items": items, "correct_by": correct_by, "notice_due": due}
    if on > due:
        data["late"] = True
    return data


def _h_correction_received(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    req = _last_event(events, "request-correction")
    if req and on < req.on_date:
        raise InvalidInput(f"收到补正日期 {on.isoformat()} 早于补正告知日期 {req.on_date.isoformat()}")
    return {}


def _h_correction_lapsed(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    req = _last_event(events, "request-correction")
    if req and req.data.get("correct_by") and on <= date.fromisoformat(req.data["correct_by"]):
        raise InvalidInput(
            f"补正期限 {req.data['correct_by']} 尚未届满，{on.isoformat()} 不能认定逾期不补正"
        )
    _close(case, "other_no_correction", on)
    return {}


def _close(case: Case, outcome: str, on: date) -> None:
    case.outcome = outcome
    case.concluded_on = on


def _h_consult(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    party = o.get("party") or "third_party"
    if party not in ("third_party", "agency"):
        raise InvalidInput(f"--party “{party}”无效，可选：third_party（第三方，第三十二条）、agency（其他机关，第三十四条）")
    to = _need(o, "to", "--to（征求意见对象名称）")
    s.add(Pause(case_id=case.id, kind=party, party=to, started_on=on))
    limit = ctx.calendar(s).nth_working_day_after(on, 15)
    return {"party": party, "to": to, "answer_due": limit}


def _h_consult_answered(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    pause = repo.open_pause(s, case.id)
    if pause is None or pause.kind not in ("third_party", "agency"):
        raise InvalidInput("本案没有尚未结束的征求意见，不能记录收到意见")
    if on < pause.started_on:
        raise InvalidInput(f"收到意见日期 {on.isoformat()} 早于发出征求意见日期 {pause.started_on.isoformat()}")
    lapsed = bool(o.get("lapsed"))
    if lapsed:
        limit = ctx.calendar(s).nth_working_day_after(pause.started_on, 15)
        if on < limit:
            raise InvalidInput(f"征求意见期限（15个工作日）至 {limit.isoformat()} 届满，{on.isoformat()} 尚未逾期")
    pause.ended_on = on
    pause.lapsed = lapsed
    return {"party": pause.kind, "to": pause.party, "lapsed": lapsed}


def _h_fee_notice(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    method = o.get("method") or "per_request"
    try:
        if method == "per_request":
            first = case.received_on.replace(day=1)
            last = case.received_on.replace(day=pycal.monthrange(case.received_on.year, case.received_on.month)[1])
            earlier = repo.requests_in_month(s, case.agency_id, case.applicant_id, first, case.received_on,
                                             exclude_case_id=case.id)
            quote = per_request_quote(earlier, case.item_count)
            del last
        elif method == "per_page":
            pages = o.get("pages")
            if pages is None:
                raise InvalidInput("按量收费需要 --pages（页数）")
            quote = per_page_quote(int(pages))
        else:
            raise InvalidInput(f"--method “{method}”无效，可选：per_request（按件）、per_page（按量）")
    except FeeError as exc:
        raise _invalid(exc) from exc
    amount = o.get("amount")
    amount = quote.total if amount is None else int(amount)
    if amount <= 0:
        raise InvalidInput(
            f"{quote.summary()}，无需发出收费通知" if amount == 0 else f"金额 {amount} 元无效"
        )
    due = ctx.calendar(s).nth_working_day_after(on, 20)
    s.add(FeeNotice(case_id=case.id, agency_id=case.agency_id, method=method, quantity=quote.quantity,
                    amount=amount, noticed_on=on, payment_due=due))
    s.add(Pause(case_id=case.id, kind="fee", party=case.applicant.name, started_on=on))
    return {"method": method, "quantity": quote.quantity, "amount": amount, "proposed": quote.total,
            "breakdown": quote.breakdown(), "payment_due": due}


def _open_fee(s: Session, case: Case) -> FeeNotice:
    fees = [f for f in repo.fee_notices_of(s, case.id) if f.paid_on is None and not f.lapsed]
    if not fees:
        raise InvalidInput("本案没有待缴的收费通知")
    return fees[-1]


def _h_fee_paid(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    fee = _open_fee(s, case)
    if on < fee.noticed_on:
        raise InvalidInput(f"缴费日期 {on.isoformat()} 早于收费通知日期 {fee.noticed_on.isoformat()}")
    fee.paid_on = on
    fee.paid_amount = int(o.get("amount") or fee.amount)
    pause = repo.open_pause(s, case.id)
    if pause is not None and pause.kind == "fee":
        pause.ended_on = on
    return {"amount": fee.paid_amount}


def _h_fee_lapsed(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    fee = _open_fee(s, case)
    if fee.payment_due and on <= fee.payment_due:
        raise InvalidInput(f"缴费期限至 {fee.payment_due.isoformat()}（第20个工作日）届满，{on.isoformat()} 尚未逾期")
    fee.lapsed = True
    pause = repo.open_pause(s, case.id)
    if pause is not None and pause.kind == "fee":
        pause.ended_on = on
    _close(case, "other_fee_unpaid", on)
    return {}


def _h_extend(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    if any(e.action == "extend" for e in events):
        raise InvalidInput("答复期限只能延长一次（《条例》第三十三条），本案已延长过")
    try:
        days = int(_need(o, "days", "--days（延长的工作日数）"))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"--days “{o.get('days')}”不是整数") from exc
    dl = deadline_for(case, events, ctx.calendar(s), on, fee_pauses_clock=case.agency.fee_pauses_clock,
                      due_soon_days=case.agency.due_soon_days, explain=False)
    if not 1 <= days <= dl.rules.max_extension_days:
        raise InvalidInput(f"延长 {days} 个工作日无效：最长不得超过 {dl.rules.max_extension_days} 个工作日（《条例》第三十三条）")
    if dl.due is not None and on > dl.due:
        raise InvalidInput(
            f"延期须在答复期限届满前经负责人同意并告知申请人：原答复期限为 {dl.due.isoformat()}，"
            f"{on.isoformat()} 已过期限"
        )
    approver = _need(o, "approved_by", "--approved-by（批准延期的政府信息公开工作机构负责人）")
    reason = _need(o, "reason", "--reason（延期理由）")
    if repo.any_users(s):
        user = repo.user_by_name(s, approver)
        if user is None or "head" not in {r.role for r in user.roles}:
            raise NotPermitted(f"批准人“{approver}”不是登记的负责人（head 角色）：延期须经政府信息公开工作机构负责人同意")
    case.extension_days = days
    return {"days": days, "approved_by": approver, "reason": reason, "previous_due": dl.due}


def _h_delay(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    until = _as_date(_need(o, "until", "--until（第三十五条确定的答复日期）"), "--until 答复日期")
    if until <= on:
        raise InvalidInput(f"延迟答复日期 {until.isoformat()} 应晚于告知日期 {on.isoformat()}")
    reason = _need(o, "reason", "--reason（延迟答复理由）")
    case.delay_until = until
    return {"until": until, "reason": reason}


def _h_decide(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    outcome = _need(o, "outcome", "--outcome（办理结果代码）")
    if outcome not in OUTCOMES:
        raise InvalidInput(f"办理结果“{outcome}”无效，可选：" + "、".join(f"{k}（{OUTCOME_SHORT_LABELS[k]}）" for k in OUTCOMES))
    case.proposed_outcome = outcome
    case.decision_reason = (o.get("reason") or "").strip()
    data = {"outcome": outcome, "reason": case.decision_reason}
    for key in ("responsible_agency", "responsible_contact", "provided_part", "withheld_part", "provision_method"):
        if o.get(key):
            data[key] = o[key]
    if outcome != "not_processed_duplicate":
        same, _ = repo.similar_cases(s, applicant_id=case.applicant_id, content=case.content, exclude_case_id=case.id)
        if same:
            data["hint"] = "同一申请人此前就相同内容提出过申请：" + "、".join(c.number for c in same)
    return data


def _h_submit(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    if not case.proposed_outcome:
        raise InvalidInput("尚未拟定办理结果，请先执行 decide --outcome CODE")
    case.submitted_by = actor.name
    return {"outcome": case.proposed_outcome}


def _h_approve(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    if case.agency.separate_reviewers and actor.registered and actor.name == case.submitted_by:
        raise NotPermitted(f"用户“{actor.name}”提交了本案，不能审核自己提交的答复（本机关要求审核人与承办人不同）")
    return {"review": case.stage, "opinion": (o.get("opinion") or "").strip()}


def _h_return(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    comment = (o.get("comment") or "").strip()
    if not comment:
        raise InvalidInput("退回须写明意见：--comment “退回理由”")
    return {"review": case.stage, "opinion": comment}


def _h_sign(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    return {}


def _h_deliver(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    if not case.proposed_outcome:
        raise InvalidInput("尚未拟定办理结果，不能送达")
    decided = _last_event(events, "decide")
    if decided and on < decided.on_date:
        raise InvalidInput(f"送达日期 {on.isoformat()} 早于拟定办理结果日期 {decided.on_date.isoformat()}")
    method = (o.get("method") or case.delivery or "").strip()
    if method and method not in DELIVERY_METHOD_LABELS:
        raise InvalidInput(f"送达方式“{method}”无效，可选：" + "、".join(f"{k}（{l}）" for k, l in DELIVERY_METHOD_LABELS.items()))
    case.delivered_by = method
    _close(case, case.proposed_outcome, on)
    return {"method": method, "outcome": case.outcome}


def _h_withdraw(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    pause = repo.open_pause(s, case.id)
    if pause is not None:
        pause.ended_on = on
    _close(case, "other_other", on)
    return {"reason": "申请人撤回"}


def _h_remedy(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    kind = _need(o, "kind", "--kind（复议或诉讼类型）")
    if kind not in REMEDY_KINDS:
        raise InvalidInput(f"--kind “{kind}”无效，可选：" + "、".join(f"{k}（{l}）" for k, l in REMEDY_KINDS.items()))
    result = o.get("result") or "pending"
    if result not in REMEDY_RESULTS:
        raise InvalidInput(f"--result “{result}”无效，可选：" + "、".join(f"{k}（{l}）" for k, l in REMEDY_RESULTS.items()))
    if case.concluded_on and on < case.concluded_on:
        raise InvalidInput(f"复议/诉讼日期 {on.isoformat()} 早于答复送达日期 {case.concluded_on.isoformat()}")
    existing = [r for r in repo.remedies_of(s, case.id) if r.kind == kind]
    if existing:
        proc = existing[-1]
        proc.result = result
        proc.decided_on = None if result == "pending" else on
        return {"kind": kind, "result": result, "updated": True, "filed_on": proc.filed_on}
    s.add(RemedyProceeding(case_id=case.id, agency_id=case.agency_id, kind=kind, filed_on=on, result=result,
                           decided_on=None if result == "pending" else on))
    return {"kind": kind, "result": result, "filed_on": on}


def _h_reopen(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    reason = _need(o, "reason", "--reason（重新打开的理由）")
    previous = {"outcome": case.outcome, "concluded_on": case.concluded_on}
    case.outcome = None
    case.concluded_on = None
    case.working_days_to_reply = None
    case.replied_late = None
    return {"reason": reason, **previous}


def _h_correct_date(ctx, s, case, actor, on, o, events):  # type: ignore[no-untyped-def]
    """An explicit correction of a wrongly entered legal date: `--on` is the right date, `--event` the event id."""
    try:
        target_id = int(_need(o, "event_id", "--event（要更正的事件编号，见 case show）"))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"--event “{o.get('event_id')}”不是事件编号") from exc
    target = next((e for e in events if e.id == target_id), None)
    if target is None or target.action == "correct-date":
        raise InvalidInput(f"本案没有编号为 {target_id} 的可更正事件（见 zwgk-tui case show 的历史记录）")
    _need(o, "reason", "--reason（更正理由）")
    today = ctx.today()
    dates = effective_dates(events)
    received = dates[events[0].id]
    try:
        if target.action == "register":
            v.check_received_date(on, today)
            later = [dates[e.id] for e in events[1:] if e.action != "correct-date"]
            if later and on > min(later):
                raise v.ValidationError(f"更正后的收到日期 {on.isoformat()} 晚于本案后续步骤的日期 {min(later).isoformat()}")
        else:
            v.check_event_date(on, received, today, "更正后的日期")
    except v.ValidationError as exc:
        raise _invalid(exc) from exc
    if target.action in ("deliver", "withdraw", "correction-lapsed", "fee-lapsed") and case.concluded_on:
        case.concluded_on = on
    _sync_side_tables(s, case, target, on)
    return {"event_id": target_id, "action": target.action, "from": dates[target_id], "to": on,
            "reason": o.get("reason")}


def _sync_side_tables(s: Session, case: Case, target: Event, on: date) -> None:
    """Pause, fee and remedy rows mirror events; keep them in step with a corrected date."""
    prev = target.on_date
    if target.action in ("consult", "fee-notice"):
        for p in repo.pauses_of(s, case.id):
            if p.started_on == prev:
                p.started_on = on
    if target.action in ("consult-answered", "fee-paid"):
        for p in repo.pauses_of(s, case.id):
            if p.ended_on == prev:
                p.ended_on = on
    if target.action == "fee-notice":
        for f in repo.fee_notices_of(s, case.id):
            if f.noticed_on == prev:
                f.noticed_on = on
    if target.action == "fee-paid":
        for f in repo.fee_notices_of(s, case.id):
            if f.paid_on == prev:
                f.paid_on = on


_HANDLERS = {
    "request-correction": _h_request_correction,
    "correction-received": _h_correction_received,
    "correction-lapsed": _h_correction_lapsed,
    "consult": _h_consult,
    "consult-answered": _h_consult_answered,
    "fee-notice": _h_fee_notice,
    "fee-paid": _h_fee_paid,
    "fee-lapsed": _h_fee_lapsed,
    "extend": _h_extend,
    "delay": _h_delay,
    "decide": _h_decide,
    "submit": _h_submit,
    "approve": _h_approve,
    "return": _h_return,
    "sign": _h_sign,
    "deliver": _h_deliver,
    "withdraw": _h_withdraw,
    "remedy": _h_remedy,
    "reopen": _h_reopen,
    "correct-date": _h_correct_date,
}
assert set(_HANDLERS) == set(STEPS)
