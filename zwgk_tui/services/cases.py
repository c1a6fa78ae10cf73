"""Use cases on the case register: register, show, list, and every step of `case act`. Each is one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from zwgk_tui.documents.kinds import KINDS
from zwgk_tui.domain import validation as v
from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    CHANNELS_NEEDING_CONFIRMATION,
    DELIVERY_METHOD_ALIASES,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    STAGE_LABELS,
)
from zwgk_tui.domain.event_text import event_label
from zwgk_tui.domain.workflow import (
    STEPS,
    ReviewSettings,
    StepNotAllowed,
    allowed_actions,
    required_roles,
    target_stage,
)
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Agency, Case, CaseCounter, Event
from zwgk_tui.persistence.rehearsal import rehearse
from zwgk_tui.services.applicants import applicant_for, art29_missing, match_applicant
from zwgk_tui.services.clockbridge import CONCLUDING_ACTIONS, deadline_for, effective_dates, store_deadline
from zwgk_tui.services.context import Actor, ServiceContext, china_time, ensure_default_agency, now_in_china
from zwgk_tui.services.errors import Conflict, InvalidInput, NotPermitted
from zwgk_tui.services.proceedings import proceeding_views

if TYPE_CHECKING:
    from zwgk_tui.services.steps import StepCall


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
    today: date | None = None

    @property
    def correction_hints(self) -> list[str]:
        """One line per missing Art. 29 element: until when a correction may be asked for (Art. 30: once, within
        7 working days of receipt), or that this time has passed when the case is registered late."""
        due = self.case["correction_notice_due"]
        if not self.missing_elements:
            return []
        if self.today is not None and due < self.today.isoformat():
            tail = (f"补正告知期限（收到后第7个工作日）{due} 已过："
                    "此时告知补正属逾期告知（《条例》第三十条），宜按现有内容办理")
        else:
            tail = f"最迟于 {due}（收到后第7个工作日）一次性告知补正"
        return [f"缺少{m}，{tail}" for m in self.missing_elements]


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
        delivery = (v.check_choice(inp.delivery, DELIVERY_METHOD_LABELS, "获取信息方式",
                                   aliases=DELIVERY_METHOD_ALIASES) if inp.delivery else "")
        postcode = v.check_postcode(inp.postcode)
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
    missing = art29_missing(id_number=id_number, phone=phone, email=email, address=inp.address, delivery=delivery,
                            form_requested=inp.form_requested)
    fields = dict(
        name=name, type=atype, channel=channel, content=content, received=received, id_number=id_number,
        phone=phone, email=email, address=inp.address.strip(), postcode=postcode, delivery=delivery,
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
        agency: Agency | None
        if inp.agency or actor.agency_id is not None:
            agency = _agency_for_new_case(s, actor, inp.agency)
        else:
            agency = next(iter(repo.agencies(s)), None)  # the default agency is created by the write below
        if agency is not None:
            rehearse(ctx.db, _registration_steps(fields, missing, agency, actor.name, cal, today))
    with ctx.db.write() as s:
        case_id, number = _write_registration(ctx, s, inp.agency, fields, missing, cal, today)
    # Hints and the full view only read: after the commit, outside the lock.
    with ctx.db.read() as s:
        return _registered(ctx, s, case_id, number, missing)


def register_in(ctx: ServiceContext, s: Session, inp: NewCase, fields: dict[str, Any], missing: list[str], *,
                event_data: dict[str, Any] | None = None) -> Registered:
    """Registration inside the caller's write transaction (confirming an online application registers the case
    and marks the inbox item in one); `fields`, `missing` from validate_new_case, `event_data` added to the
    registration event's data."""
    case_id, number = _write_registration(ctx, s, inp.agency, fields, missing, ctx.calendar(s), ctx.today(),
                                          event_data)
    return _registered(ctx, s, case_id, number, missing)


def _registered(ctx: ServiceContext, s: Session, case_id: int, number: str, missing: list[str]) -> Registered:
    case = s.get(Case, case_id)
    assert case is not None
    return Registered(number=number, case=case_view(ctx, s, case), missing_elements=missing,
                      hints=_repeat_hints(s, case), today=ctx.today())


def _write_registration(ctx: ServiceContext, s: Session, agency_code: str | None, fields: dict[str, Any],
                        missing: list[str], cal: WorkCalendar, today: date,
                        event_data: dict[str, Any] | None = None) -> tuple[int, str]:
    actor = ctx.actor(s)
    ctx.require_role(actor, {"clerk"}, "登记申请")
    agency = _agency_for_new_case(s, actor, agency_code)
    applicant = _applicant(s, fields)
    received: date = fields["received"]
    seq = repo.next_seq(s, CaseCounter, agency.id, received.year)
    case, event = _new_case_rows(fields, missing, agency, applicant.id, seq, actor.name, cal, today, event_data)
    s.add(case)
    s.flush()
    event.case_id = case.id
    s.add(event)
    s.flush()
    return case.id, case.number


def _applicant(s: Session, fields: dict[str, Any]) -> Any:
    return applicant_for(
        s, name=fields["name"], type_=fields["type"], id_number=fields["id_number"], phone=fields["phone"],
        email=fields["email"], address=fields["address"], postcode=fields["postcode"],
    )


def _new_case_rows(fields: dict[str, Any], missing: list[str], agency: Agency, applicant_id: int, seq: int,
                   actor_name: str, cal: WorkCalendar, today: date,
                   event_data: dict[str, Any] | None = None) -> tuple[Case, Event]:
    """The case row and its register event, complete: the register event is the case's only event, so its
    deadline is known before the row is written (no read-back, no second UPDATE under the lock)."""
    received: date = fields["received"]
    number = agency.number_format.format(year=received.year, seq=seq, code=agency.code)
    now = now_in_china()
    case = Case(
        agency_id=agency.id, year=received.year, seq=seq, number=number, applicant_id=applicant_id,
        applicant_name=fields["name"], applicant_id_number=fields["id_number"], applicant_phone=fields["phone"],
        applicant_email=fields["email"], applicant_address=fields["address"],
        applicant_postcode=fields["postcode"],
        applicant_type=fields["type"], channel=fields["channel"], received_on=received,
        confirmed_on=received if fields["channel"] in CHANNELS_NEEDING_CONFIRMATION else None,
        content=fields["content"], form_requested=fields["form_requested"], delivery=fields["delivery"],
        item_count=fields["item_count"], missing_elements="；".join(missing), stage="registered",
        clock_start=received, stage_since=received, created_at=now, updated_at=now,
    )
    data = {"channel": fields["channel"], "missing_elements": missing, **(event_data or {})}
    if fields["arrived"]:
        data["arrived"] = fields["arrived"].isoformat()
    event = Event(action="register", on_date=received, at=now, actor=actor_name, comment="", data=data, before={},
                  after={"stage": "registered", "number": number})
    store_deadline(case, deadline_for(case, [event], cal, today, fee_pauses_clock=agency.fee_pauses_clock,
                                      due_soon_days=agency.due_soon_days, explain=False))
    return case, event


def _registration_steps(fields: dict[str, Any], missing: list[str], agency: Agency, actor_name: str,
                        cal: WorkCalendar, today: date) -> list[Callable[[Session], object]]:
    """register()'s writes, for persistence.rehearsal: the same statements with placeholder keys."""
    year = fields["received"].year

    def applicant(s: Session) -> None:
        _applicant(s, fields)

    def case(s: Session) -> None:
        known = match_applicant(s, fields["name"], fields["id_number"], fields["phone"])
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
        agency = s.get_one(Agency, actor.agency_id)  # users.agency_id references agencies.id
    else:
        agency = ensure_default_agency(s)
    if not actor.sees_all() and agency.id != actor.agency_id:
        raise NotPermitted(f"用户“{actor.name}”只能为本机关登记申请，不能登记到“{agency.name}”")
    return agency


def _repeat_hints(s: Session, case: Case) -> list[str]:
    same, others = repo.similar_cases(s, applicant_id=case.applicant_id, content=case.content, exclude_case_id=case.id,
                                      received_by=case.received_on)
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
    person = case.applicant
    if person is not None and case.applicant_id_number and person.name != case.applicant_name:
        hints.append(f"证件号码与此前登记的申请人“{person.name}”相同，而本案姓名为“{case.applicant_name}”："
                     "请核对证件号码或姓名（有误的用 zwgk-tui case amend 更正）")
    return hints


# ---------------------------------------------------------------------------------------------------------------
# Reading


def find_case(ctx: ServiceContext, s: Session, number: str, agency_code: str | None = None) -> Case:
    found = repo.cases_by_number(s, number.strip(), agency_code)
    if not found:
        raise InvalidInput(f"找不到案件“{number}”" + (f"（机关 {agency_code}）" if agency_code else "")
                           + "，请用 zwgk-tui case list 查看编号")
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
        "first_outcome": case.first_outcome,
        "first_concluded_on": case.first_concluded_on.isoformat() if case.first_concluded_on else None,
        "channel": case.channel,
        "content": case.content,
        "clarified_content": case.clarified_content,
        "form_requested": case.form_requested,
        "delivery": case.delivery,
        "item_count": case.item_count,
        "missing_elements": [m for m in case.missing_elements.split("；") if m],
        "applicant": {
            "name": case.applicant_name,
            "type": case.applicant_type,
            "id_number": _personal("id_number", case.applicant_id_number, reveal),
            "phone": _personal("phone", case.applicant_phone, reveal),
            "email": case.applicant_email,
            "address": _personal("address", case.applicant_address, reveal),
            "postcode": case.applicant_postcode,
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
                "label": event_label(e.action),
                "on": dates[e.id].isoformat(),
                "recorded_on": e.on_date.isoformat(),
                "by": e.actor,
                "recorded_by": e.recorded_by,
                "at": china_time(e.at).isoformat() if e.at else None,
                "comment": e.comment,
                "data": _event_data(e, reveal),
                "before": e.before,
                "after": e.after,
            }
            for e in events
        ],
        "pauses": [
            {"kind": p.kind, "party": p.party, "started_on": p.started_on.isoformat(),
             "ended_on": p.ended_on.isoformat() if p.ended_on else None, "lapsed": p.lapsed,
             "served_on": p.served_on.isoformat() if p.served_on else None}
            for p in repo.pauses_of(s, case.id)
        ],
        "fees": [
            {"method": f.method, "served_on": f.served_on.isoformat() if f.served_on else None,
             "quantity": f.quantity, "amount": f.amount, "noticed_on": f.noticed_on.isoformat(),
             "payment_due": f.payment_due.isoformat() if f.payment_due else None,
             "paid_on": f.paid_on.isoformat() if f.paid_on else None, "paid_amount": f.paid_amount, "lapsed": f.lapsed}
            for f in repo.fee_notices_of(s, case.id)
        ],
        "remedies": [  # the 0.1 shape; the full records with their deadlines are in "proceedings"
            {"kind": r.kind, "filed_on": r.filed_on.isoformat(), "result": r.result,
             "decided_on": r.decided_on.isoformat() if r.decided_on else None}
            for r in repo.remedies_of(s, case.id)
        ],
        "proceedings": proceeding_views(ctx, s, case),
        "documents": [
            {"id": d.id, "kind": d.kind, "title": KINDS[d.kind].title if d.kind in KINDS else d.kind,
             "number": d.doc_number, "doc_number": d.doc_number,
             "issued_on": d.issued_on.isoformat(), "status": d.status, "void_reason": d.void_reason or None,
             "voided_on": d.voided_on.isoformat() if d.voided_on else None, "origin": d.origin,
             "file_name": d.file_name, "sha256": d.sha256, "event_id": d.event_id}
            for d in repo.documents_of(s, case.id)
        ],
        "working_days_to_reply": case.working_days_to_reply,
        "replied_late": case.replied_late,
        "office_review_days": case.office_review_days,
        "legal_review_days": case.legal_review_days,
    }
    roles = actor.roles if actor else None
    view["allowed_actions"] = [a for a in allowed_actions(case.stage, roles) if _relevant(a, events)]
    return view


def _relevant(action: str, events: list[Event]) -> bool:
    """Steps the stage allows but the record makes pointless are not offered (they would only be refused):
    recording the service of a letter never sent, or an answer to an explanation never asked for."""
    if action == "served":
        return any(e.action in ("consult", "fee-notice", "request-correction", "explanation-request") for e in events)
    if action == "explanation-answered":
        asked = [e for e in events if e.action == "explanation-request"]
        return bool(asked) and not any(e.action == "explanation-answered" and e.id > asked[-1].id for e in events)
    return True


def _personal(kind: str, value: str, reveal: bool) -> str:
    """ID numbers, phones and addresses are shown masked unless asked for (spec 03)."""
    if not value or reveal:
        return value
    if kind == "id_number":
        return v.mask_id(value)
    if kind == "phone":
        return v.mask_phone(value)
    return "（已隐藏）"


def _event_data(e: Event, reveal: bool) -> dict[str, Any]:
    data = e.data or {}
    if reveal or e.action != "amend" or not data.get("changes"):
        return data
    from zwgk_tui.services.steps import PERSONAL_FIELDS
    changes = {
        key: ({k: _personal(key, str(val), False) for k, val in change.items()} if key in PERSONAL_FIELDS else change)
        for key, change in data["changes"].items()
    }
    return {**data, "changes": changes}


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
        raise InvalidInput(f"阶段“{stage}”无效，可选："
                           + "、".join(f"{k}（{label}）" for k, label in STAGE_LABELS.items()))
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
        status = "overdue" if due_date < today else "due_soon" if left <= due_soon_days else "normal"
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
    on: str | date | None
    comment: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    expect_version: int | None = None


def act(ctx: ServiceContext, number: str, step: StepInput, agency_code: str | None = None) -> dict[str, Any]:
    """One step on a case, as one transaction: stage and role checks, the step's own guard and effect (the step
    table in services/steps.py), the clock, and the event with the case before and after.

    The returned case view carries `warnings`: lines the clerk should read (a rest day, a late notice …)."""
    # The step table is loaded by the commands that take a step only (every other command starts faster).
    from zwgk_tui.domain.step_options import COMMENT_REQUIRED, ORDER_EXEMPT_STEPS, parse_options
    from zwgk_tui.services.steps import STEP_TABLE, StepCall

    if step.action not in STEP_TABLE:
        raise InvalidInput(f"未知的办理步骤“{step.action}”。可用步骤：{'、'.join(STEP_TABLE)}")
    entry = STEP_TABLE[step.action]
    raw = {k: val for k, val in step.options.items() if k != "comment"}
    try:
        opts = parse_options(step.action, raw)
    except v.ValidationError as exc:
        raise _invalid(exc) from exc
    if step.on not in (None, ""):
        on = _as_date(step.on, "--on 日期")
    elif entry.default_on is not None:
        on = entry.default_on(opts, ctx.today())
    else:
        raise InvalidInput(f"缺少 --on：步骤 {step.action} 的法定日期，如 --on {ctx.today().isoformat()}")
    comment = (step.comment or str(step.options.get("comment") or "")).strip()
    if step.action in COMMENT_REQUIRED and not comment:
        raise InvalidInput(COMMENT_REQUIRED[step.action])
    today = ctx.today()
    try:
        with ctx.db.write() as s:
            actor = ctx.actor(s)
            case = find_case(ctx, s, number, agency_code)
            # The row lock makes a second clerk's step on PostgreSQL wait for the first one's commit and then see
            # its version (a conflict), instead of reading the old row while its guard already sees the new events.
            case = repo.case_for_update(s, case.id)
            ctx.require_case_access(actor, case)
            if step.expect_version is not None and case.version != step.expect_version:
                raise Conflict(
                    f"案件 {case.number} 已被他人修改"
                    f"（您看到的是第 {step.expect_version} 版，现为第 {case.version} 版，"
                    f"当前阶段：{STAGE_LABELS[case.stage]}）。请刷新后再操作。",
                    detail={"case": case_view(ctx, s, case, actor=actor)},
                )
            agency = case.agency
            settings = ReviewSettings(office_review=agency.office_review, legal_review=agency.legal_review)
            try:
                new_stage = target_stage(case.stage, step.action, settings)
            except StepNotAllowed as exc:
                raise InvalidInput(str(exc)) from exc
            ctx.require_role(actor, required_roles(step.action, case.stage), f"执行“{STEPS[step.action].label}”")
            events = repo.events_of(s, case.id)
            call = StepCall(ctx=ctx, s=s, case=case, actor=actor, on=on, opts=opts, events=events, comment=comment)
            if step.action != "correct-date":
                received = call.dates[events[0].id] if events else case.received_on
                try:
                    v.check_event_date(on, received, today, STEPS[step.action].label)
                except v.ValidationError as exc:
                    raise _invalid(exc) from exc
            if step.action not in ORDER_EXEMPT_STEPS:
                _check_order(call, step.action)
            entry.guard(call)
            before = _snapshot(case)
            data = entry.effect(call)
            if not call.cal.is_working_day(on) and step.action not in ("correct-date", "amend"):
                call.warnings.insert(0, f"注意：{on.isoformat()}为休息日（非工作日），请核对日期")
            _move_stage(ctx, s, case, new_stage, on)
            now = now_in_china()
            case.updated_at = now
            # Events are append-only (the database refuses UPDATE), so the state after the step is computed with
            # the new event in hand before it is inserted.
            event = Event(case_id=case.id, action=step.action, on_date=on, at=now, actor=actor.name,
                          comment=comment, data=_jsonable(data), before=before, after={})
            _recompute(ctx, s, case, agency, pending=event)
            # Reply-time figures describe the counted (first) conclusion; a re-reply's time is measured from its
            # reopen date where re-replies are listed (services/stats.py).
            if case.stage == "closed" and step.action in CONCLUDING_ACTIONS and not any(
                    e.action == "reopen" for e in events):
                _record_reply_time(ctx, s, case, pending=event)
            event.after = _snapshot(case)
            s.add(event)
            s.flush()
            view = case_view(ctx, s, case, actor=actor)
            view["warnings"] = call.warnings
            view["recorded"] = {"event_id": event.id, **event.data}  # e.g. the number of a new proceeding
            return view
    except StaleDataError as exc:
        raise Conflict(f"案件 {number} 刚被他人修改，本次操作未保存。请刷新查看最新状态后再操作。") from exc


def _check_order(call: StepCall[Any], action: str) -> None:
    """A step may not be dated before the latest step of the case's current round (registration or the last
    reopen starts a round): dates that run backwards feed the reply-time figures and cannot be defended."""
    from zwgk_tui.domain.step_options import ORDER_EXEMPT_STEPS

    latest: Event | None = None
    for e in call.round:
        if e.action in ORDER_EXEMPT_STEPS:
            continue
        if latest is None or call.date_of(e) >= call.date_of(latest):
            latest = e
    if latest is not None and call.on < call.date_of(latest):
        label = "登记（收到申请）" if latest.action == "register" else STEPS.get(latest.action, None)
        name = label if isinstance(label, str) else (label.label if label else latest.action)
        raise InvalidInput(
            f"{STEPS[action].label}的日期 {call.on.isoformat()} 早于本案上一步骤“{name}”的日期 "
            f"{call.date_of(latest).isoformat()}：步骤须按时间顺序记录。日期录错的，请用 correct-date 更正该步骤"
        )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    def conv(x: Any) -> Any:
        if isinstance(x, date):
            return x.isoformat()
        if isinstance(x, dict):
            return {k: conv(val) for k, val in x.items()}
        if isinstance(x, (list, tuple)):
            return [conv(val) for val in x]
        return x

    return {k: conv(x) for k, x in data.items()}


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
