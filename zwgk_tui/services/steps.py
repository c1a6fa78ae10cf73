"""The case steps as one typed table: per step its options (a dataclass from domain/step_options.py), its guard
and its effect. `cases.act` runs the common part (stage, roles, dates in order, the event); the table says what
each step checks and changes. Guards raise before anything is changed; effects return the event's data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from zwgk_tui.domain import proceedings as pr
from zwgk_tui.domain import validation as v
from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.codes import (
    CONSULT_PARTIES,
    DELIVERY_TO_SERVICE,
    OUTCOME_SHORT_LABELS,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    SERVED_WHAT,
    SERVICE_METHODS,
    outcome_family,
)
from zwgk_tui.domain.decision import DecisionFacts, check_decision
from zwgk_tui.domain.doc_numbers import DOC_NUMBER_RULE, used_by
from zwgk_tui.domain.evidence import OUTCOME_GROUND, SearchRecord, parse_search
from zwgk_tui.domain.fees import FeeError, per_page_quote, per_request_quote
from zwgk_tui.domain.step_options import (
    AmendOptions,
    ConsultAnsweredOptions,
    ConsultOptions,
    CorrectDateOptions,
    CorrectionReceivedOptions,
    DecideOptions,
    DelayOptions,
    DeliverOptions,
    ExplanationAnsweredOptions,
    ExplanationRequestOptions,
    ExtendOptions,
    FeeNoticeOptions,
    FeePaidOptions,
    NoOptions,
    RemedyOptions,
    ReopenOptions,
    RequestCorrectionOptions,
    ServedOptions,
    StepOptions,
)
from zwgk_tui.domain.workflow import STEPS
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Case, Event, FeeNotice, IssuedDocument, Pause, RemedyProceeding
from zwgk_tui.services.applicants import link_applicant, missing_elements
from zwgk_tui.services.clockbridge import CONCLUDING_ACTIONS, deadline_for, effective_dates, served_on
from zwgk_tui.services.context import Actor, ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput, NotPermitted

OptsT = TypeVar("OptsT", bound=StepOptions)

# How many working days the other side has, from its receipt of the letter.
CONSULTATION_DAYS = 15  # Art. 32 (third party), Art. 34 (other agency)
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 as restated by the provinces



def invalid(exc: Exception) -> InvalidInput:
    return InvalidInput(getattr(exc, "message", None) or str(exc))


@dataclass
class StepCall(Generic[OptsT]):
    """Everything a guard or an effect needs for one step."""

    ctx: ServiceContext
    s: Session
    case: Case
    actor: Actor
    on: date
    opts: OptsT
    events: list[Event]
    comment: str = ""
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def cal(self) -> WorkCalendar:
        return self.ctx.calendar(self.s)

    @cached_property
    def dates(self) -> dict[int, date]:
        return effective_dates(self.events)

    def date_of(self, event: Event) -> date:
        return self.dates.get(event.id, event.on_date)

    @cached_property
    def round(self) -> list[Event]:
        return round_events(self.events)


def round_events(events: Sequence[Event]) -> list[Event]:
    """The events of the case's current round: from registration, or from the last reopen."""
    start = 0
    for i, e in enumerate(events):
        if e.action == "reopen":
            start = i
    return list(events[start:])


def last_event(events: Sequence[Event], action: str, **data: Any) -> Event | None:
    for e in reversed(events):
        if e.action == action and all((e.data or {}).get(k) == val for k, val in data.items()):
            return e
    return None


def current_sign_event(events: Sequence[Event]) -> Event | None:
    """The sign-off of the decision now in force: the last `sign` of the round, unless returned or re-decided."""
    for e in reversed(round_events(events)):
        if e.action in ("return", "decide"):
            return None
        if e.action == "sign":
            return e
    return None


# ---------------------------------------------------------------------------------------------------------------
# Guards shared by several steps


def _no_guard(call: StepCall[Any]) -> None:
    return None


def _check_served(call: StepCall[Any], served: date | None, sent: date, what: str) -> None:
    if served is None:
        return
    if served < sent:
        raise InvalidInput(f"送达日期 {served.isoformat()} 早于{what}发出日期 {sent.isoformat()}")
    if served > call.ctx.today():
        raise InvalidInput(f"送达日期 {served.isoformat()} 晚于今天 {call.ctx.today().isoformat()}")


def _period_has_run(call: StepCall[Any], *, what: str, served: date | None, days: int | None, end: date | None,
                    served_hint: str) -> date:
    """The last day of the other side's period; InvalidInput unless `call.on` is after it.

    The period runs from the other side's receipt (Art. 32; fee rules; Art. 30), so without a recorded date of
    service nobody can say it has run."""
    if end is None:
        if served is None:
            raise InvalidInput(
                f"尚未记录{what}的送达日期（对方收到之日），期限自对方收到之日起计算，无法认定已经届满。"
                f"请先记录送达：zwgk-tui case act {call.case.number} served --on 日期 --what {served_hint}"
            )
        assert days is not None
        end = call.cal.nth_working_day_after(served, days)
    if call.on <= end:
        start = f"自 {served.isoformat()} 送达起{days}个工作日，" if served and days else ""
        raise InvalidInput(f"{what}的期限{start}至 {end.isoformat()} 届满；{call.on.isoformat()} 尚未逾期")
    return end


# ---------------------------------------------------------------------------------------------------------------
# Correction (Art. 30)


def _g_request_correction(call: StepCall[RequestCorrectionOptions]) -> None:
    o = call.opts
    if any(e.action == "request-correction" for e in call.events):
        raise InvalidInput("补正告知只能一次性发出（《条例》第三十条），本案已发出过补正告知")
    if o.correct_by is None and o.correct_days is None:
        raise InvalidInput("缺少补正期限：--correct-days N（自收到告知书之日起N个工作日，推荐）或者 --correct-by 日期")
    if o.correct_by is not None and o.correct_days is not None:
        raise InvalidInput("--correct-days 与 --correct-by 只能给出一个")
    if o.correct_days is not None and not 1 <= o.correct_days <= 60:
        raise InvalidInput(f"补正期限 {o.correct_days} 个工作日无效：应为 1 至 60")
    if o.correct_by is not None and o.correct_by <= call.on:
        raise InvalidInput(f"补正期限 {o.correct_by.isoformat()} 应晚于告知日期 {call.on.isoformat()}")
    _check_served(call, o.served, call.on, "补正告知书")


def _e_request_correction(call: StepCall[RequestCorrectionOptions]) -> dict[str, Any]:
    o = call.opts
    due = call.cal.nth_working_day_after(call.case.received_on, 7)
    call.case.correction_requested_on = call.on
    data: dict[str, Any] = {"items": o.items, "notice_due": due}
    if o.missing:
        data["missing"] = list(o.missing)
    if o.correct_by is not None:
        data["correct_by"] = o.correct_by
    if o.correct_days is not None:
        data["correct_days"] = o.correct_days
    if o.served is not None:
        data["served"] = o.served
    if call.on > due:
        data["late"] = True
        call.warnings.append("注意：补正告知晚于收到申请后第7个工作日（《条例》第三十条）")
    return data


def _g_correction_received(call: StepCall[CorrectionReceivedOptions]) -> None:
    req = last_event(call.events, "request-correction")
    if req and call.on < call.date_of(req):
        raise InvalidInput(f"收到补正日期 {call.on.isoformat()} 早于补正告知日期 {call.date_of(req).isoformat()}")
    if call.opts.content:
        try:
            v.check_text(call.opts.content, "补正后的申请内容", v.CONTENT_MAX_CHARS, required=True)
        except v.ValidationError as exc:
            raise invalid(exc) from exc


def _e_correction_received(call: StepCall[CorrectionReceivedOptions]) -> dict[str, Any]:
    if call.opts.content:
        before = call.case.clarified_content
        call.case.clarified_content = call.opts.content
        return {"content": call.opts.content, "content_before": before}
    return {}


def correction_period_end(call: StepCall[Any]) -> tuple[Event | None, date | None, date | None]:
    """(request event, date of service, last day of the applicant's period or None while unknown)."""
    req = last_event(call.events, "request-correction")
    if req is None:
        return None, None, None
    served = served_on(call.events, call.dates, "correction", req)
    if req.data.get("correct_by"):
        return req, served, date.fromisoformat(req.data["correct_by"])
    days = req.data.get("correct_days")
    if served is None or days is None:
        return req, served, None
    return req, served, call.cal.nth_working_day_after(served, int(days))


def _g_correction_lapsed(call: StepCall[NoOptions]) -> None:
    req, served, end = correction_period_end(call)
    if req is None:
        raise InvalidInput("本案没有补正告知，不能认定逾期不补正")
    if served is None:
        _period_has_run(call, what="补正告知书", served=None, days=None, end=None, served_hint="correction")
    days = req.data.get("correct_days")
    _period_has_run(call, what="补正告知书", served=served, days=int(days) if days else None, end=end,
                    served_hint="correction")


def _e_close(outcome: str) -> Callable[[StepCall[Any]], dict[str, Any]]:
    def effect(call: StepCall[Any]) -> dict[str, Any]:
        close_case(call.case, outcome, call.on)
        return {}

    return effect


def close_case(case: Case, outcome: str, on: date) -> None:
    """Conclude the case's current round. The first conclusion is also kept apart (first_outcome,
    first_concluded_on): it is what table 三 counts, and a later reopen and re-reply never change it."""
    case.outcome = outcome
    case.concluded_on = on
    if case.first_concluded_on is None:
        case.first_outcome = outcome
        case.first_concluded_on = on


# ---------------------------------------------------------------------------------------------------------------
# Explanation of an excessive request (Art. 35)


def _g_explanation_request(call: StepCall[ExplanationRequestOptions]) -> None:
    days = call.opts.answer_days or 0
    if not 1 <= days <= 60:
        raise InvalidInput(f"说明期限 {days} 个工作日无效：应为 1 至 60")
    _check_served(call, call.opts.served, call.on, "说明理由告知书")


def _e_explanation_request(call: StepCall[ExplanationRequestOptions]) -> dict[str, Any]:
    data: dict[str, Any] = {"items": call.opts.items, "answer_days": call.opts.answer_days}
    if call.opts.served is not None:
        data["served"] = call.opts.served
    return data


def _g_explanation_answered(call: StepCall[ExplanationAnsweredOptions]) -> None:
    req = last_event(call.events, "explanation-request")
    if req is None:
        raise InvalidInput("本案没有要求申请人说明理由（explanation-request），不能记录说明")
    if call.opts.lapsed == bool(call.opts.answer):
        raise InvalidInput("请给出申请人的说明（--answer 内容），或者认定期满未说明（--lapsed），二者选一")
    if call.on < call.date_of(req):
        raise InvalidInput(f"日期 {call.on.isoformat()} 早于要求说明理由的日期 {call.date_of(req).isoformat()}")
    if call.opts.lapsed:
        served = served_on(call.events, call.dates, "explanation", req)
        _period_has_run(call, what="说明理由告知书", served=served, days=int(req.data.get("answer_days") or 15),
                        end=None, served_hint="explanation")


def _e_explanation_answered(call: StepCall[ExplanationAnsweredOptions]) -> dict[str, Any]:
    return {"answer": call.opts.answer, "lapsed": call.opts.lapsed}


# ---------------------------------------------------------------------------------------------------------------
# Consultation (Arts. 32, 34)


def _g_consult(call: StepCall[ConsultOptions]) -> None:
    _check_served(call, call.opts.served, call.on, "征求意见书")


def _e_consult(call: StepCall[ConsultOptions]) -> dict[str, Any]:
    party = call.opts.party or "third_party"
    call.s.add(Pause(case_id=call.case.id, kind=party, party=call.opts.to, started_on=call.on,
                     served_on=call.opts.served))
    data: dict[str, Any] = {"party": party, "to": call.opts.to}
    if call.opts.to_type:
        data["to_type"] = call.opts.to_type
    if call.opts.served is not None:
        data["served"] = call.opts.served
        data["answer_due"] = call.cal.nth_working_day_after(call.opts.served, CONSULTATION_DAYS)
    return data


def _open_consultation(call: StepCall[Any]) -> Pause:
    pause = repo.open_pause(call.s, call.case.id)
    if pause is None or pause.kind not in CONSULT_PARTIES:
        raise InvalidInput("本案没有尚未结束的征求意见，不能记录收到意见")
    return pause


def _g_consult_answered(call: StepCall[ConsultAnsweredOptions]) -> None:
    pause = _open_consultation(call)
    o = call.opts
    if call.on < pause.started_on:
        raise InvalidInput(f"收到意见日期 {call.on.isoformat()} 早于发出征求意见日期 {pause.started_on.isoformat()}")
    if o.lapsed:
        if o.view and o.view != "none":
            raise InvalidInput("期满未提出意见（--lapsed）时不能同时记录意见 --view agree/disagree")
        step = last_event(call.events, "consult")
        served = served_on(call.events, call.dates, "consult", step) or pause.served_on
        _period_has_run(call, what="征求意见书", served=served, days=CONSULTATION_DAYS, end=None,
                        served_hint="consult")
    elif not o.view:
        raise InvalidInput("请记录对方的意见：--view agree（同意公开）、disagree（不同意公开）或 none（未提出意见）；"
                           "期满未答复请用 --lapsed")


def _e_consult_answered(call: StepCall[ConsultAnsweredOptions]) -> dict[str, Any]:
    pause = _open_consultation(call)
    pause.ended_on = call.on
    pause.lapsed = call.opts.lapsed
    view = "none" if call.opts.lapsed else call.opts.view
    return {"party": pause.kind, "to": pause.party, "lapsed": call.opts.lapsed, "view": view,
            "opinion": call.opts.opinion}


# ---------------------------------------------------------------------------------------------------------------
# Service of a letter on the other side


_SERVED_STEP = {"consult": "consult", "fee-notice": "fee-notice", "correction": "request-correction",
                "explanation": "explanation-request"}


def _g_served(call: StepCall[ServedOptions]) -> None:
    step = last_event(call.events, _SERVED_STEP[call.opts.what])
    if step is None:
        raise InvalidInput(f"本案没有发出过{SERVED_WHAT[call.opts.what]}，无法记录其送达")
    _check_served(call, call.on, call.date_of(step), SERVED_WHAT[call.opts.what])


def _e_served(call: StepCall[ServedOptions]) -> dict[str, Any]:
    what = call.opts.what
    data: dict[str, Any] = {"what": what}
    if what == "consult":
        pauses = [p for p in repo.pauses_of(call.s, call.case.id) if p.kind in CONSULT_PARTIES]
        if pauses:
            pauses[-1].served_on = call.on
        data["answer_due"] = call.cal.nth_working_day_after(call.on, CONSULTATION_DAYS)
    elif what == "fee-notice":
        fees = repo.fee_notices_of(call.s, call.case.id)
        if fees:
            fees[-1].served_on = call.on
            fees[-1].payment_due = call.cal.nth_working_day_after(call.on, FEE_PAYMENT_DAYS)
            data["payment_due"] = fees[-1].payment_due
    elif what == "correction":
        req = last_event(call.events, "request-correction")
        if req is not None and req.data.get("correct_days"):
            data["correct_by"] = call.cal.nth_working_day_after(call.on, int(req.data["correct_days"]))
    return data


# ---------------------------------------------------------------------------------------------------------------
# Fees (Art. 42; 国办函〔2020〕109号)


def _fee_quote(call: StepCall[FeeNoticeOptions]) -> Any:
    o, case = call.opts, call.case
    method = o.method or "per_request"
    try:
        if method == "per_request":
            first = case.received_on.replace(day=1)
            earlier = repo.requests_in_month(call.s, case.agency_id, case.applicant_id, first, case.received_on,
                                             exclude_case_id=case.id)
            return per_request_quote(earlier, case.item_count)
        if o.pages is None:
            raise InvalidInput("按量收费需要 --pages（页数）")
        return per_page_quote(o.pages)
    except FeeError as exc:
        raise invalid(exc) from exc


def _g_fee_notice(call: StepCall[FeeNoticeOptions]) -> None:
    from zwgk_tui.documents.kinds import IssueFacts, issue_problems
    from zwgk_tui.services.documents import agency_not_set_up

    # The notice must say how to pay (documents/kinds.py ISSUE_RULES): refused here, not when it is printed. An
    # agency not set up at all (no full name) cannot issue any letter yet; it is warned, as at submit.
    agency = call.case.agency
    problems = issue_problems("fee_notice", IssueFacts(fee_payment_route=agency.fee_payment_route or ""),
                              agency=agency.code)
    if problems and not agency_not_set_up(agency):
        raise InvalidInput("不能发出收费通知：" + "；".join(problems))
    call.warnings.extend("注意：" + p for p in problems)
    quote = _fee_quote(call)
    amount = quote.total if call.opts.amount is None else call.opts.amount
    if amount <= 0:
        raise InvalidInput(f"{quote.summary()}，无需发出收费通知" if amount == 0 else f"金额 {amount} 元无效")
    try:
        v.check_field("fee_notices.amount", amount)
    except v.ValidationError as exc:
        raise invalid(exc) from exc
    _check_served(call, call.opts.served, call.on, "收费通知书")


def _e_fee_notice(call: StepCall[FeeNoticeOptions]) -> dict[str, Any]:
    method = call.opts.method or "per_request"
    quote = _fee_quote(call)
    amount = quote.total if call.opts.amount is None else call.opts.amount
    served = call.opts.served
    due = call.cal.nth_working_day_after(served, FEE_PAYMENT_DAYS) if served else None
    call.s.add(FeeNotice(case_id=call.case.id, agency_id=call.case.agency_id, method=method,
                         quantity=quote.quantity, amount=amount, noticed_on=call.on, payment_due=due,
                         served_on=served))
    call.s.add(Pause(case_id=call.case.id, kind="fee", party=call.case.applicant_name, started_on=call.on,
                     served_on=served))
    call.warnings.append("收费计算：" + "；".join(quote.breakdown()))
    data: dict[str, Any] = {"method": method, "quantity": quote.quantity, "amount": amount, "proposed": quote.total,
                            "breakdown": quote.breakdown()}
    if served is not None:
        data["served"] = served
        data["payment_due"] = due
    return data


def _open_fee(call: StepCall[Any]) -> FeeNotice:
    fees = [f for f in repo.fee_notices_of(call.s, call.case.id) if f.paid_on is None and not f.lapsed]
    if not fees:
        raise InvalidInput("本案没有待缴的收费通知")
    return fees[-1]


def _g_fee_paid(call: StepCall[FeePaidOptions]) -> None:
    fee = _open_fee(call)
    if call.on < fee.noticed_on:
        raise InvalidInput(f"缴费日期 {call.on.isoformat()} 早于收费通知日期 {fee.noticed_on.isoformat()}")
    if call.opts.amount is not None:
        try:
            v.check_field("fee_notices.paid_amount", call.opts.amount)
        except v.ValidationError as exc:
            raise invalid(exc) from exc


def _end_fee_pause(call: StepCall[Any]) -> None:
    pause = repo.open_pause(call.s, call.case.id)
    if pause is not None and pause.kind == "fee":
        pause.ended_on = call.on


def _e_fee_paid(call: StepCall[FeePaidOptions]) -> dict[str, Any]:
    fee = _open_fee(call)
    fee.paid_on = call.on
    fee.paid_amount = call.opts.amount or fee.amount
    _end_fee_pause(call)
    return {"amount": fee.paid_amount}


def _g_fee_lapsed(call: StepCall[NoOptions]) -> None:
    fee = _open_fee(call)
    step = last_event(call.events, "fee-notice")
    served = served_on(call.events, call.dates, "fee-notice", step) or fee.served_on
    _period_has_run(call, what="收费通知书", served=served, days=FEE_PAYMENT_DAYS, end=None, served_hint="fee-notice")


def _e_fee_lapsed(call: StepCall[NoOptions]) -> dict[str, Any]:
    fee = _open_fee(call)
    fee.lapsed = True
    _end_fee_pause(call)
    close_case(call.case, "other_fee_unpaid", call.on)
    return {}


# ---------------------------------------------------------------------------------------------------------------
# Extension (Art. 33) and delay (Art. 35)


def _g_extend(call: StepCall[ExtendOptions]) -> None:
    o, case = call.opts, call.case
    if any(e.action == "extend" for e in call.round):
        raise InvalidInput("答复期限只能延长一次（《条例》第三十三条），本案已延长过")
    days = o.days or 0
    dl = deadline_for(case, call.events, call.cal, call.on, fee_pauses_clock=case.agency.fee_pauses_clock,
                      due_soon_days=case.agency.due_soon_days, explain=False)
    if not 1 <= days <= dl.rules.max_extension_days:
        raise InvalidInput(f"延长 {days} 个工作日无效："
                           f"最长不得超过 {dl.rules.max_extension_days} 个工作日（《条例》第三十三条）")
    if dl.due is not None and call.on > dl.due:
        raise InvalidInput(
            f"延期须在答复期限届满前经负责人同意并告知申请人：原答复期限为 {dl.due.isoformat()}，"
            f"{call.on.isoformat()} 已过期限"
        )
    if repo.any_users(call.s):
        user = repo.user_by_name(call.s, o.approved_by)
        if user is None or "head" not in {r.role for r in user.roles}:
            raise NotPermitted(f"批准人“{o.approved_by}”不是登记的负责人（head 角色）："
                               "延期须经政府信息公开工作机构负责人同意")


def _e_extend(call: StepCall[ExtendOptions]) -> dict[str, Any]:
    case = call.case
    dl = deadline_for(case, call.events, call.cal, call.on, fee_pauses_clock=case.agency.fee_pauses_clock,
                      due_soon_days=case.agency.due_soon_days, explain=False)
    case.extension_days = call.opts.days or 0
    return {"days": call.opts.days, "approved_by": call.opts.approved_by, "reason": call.opts.reason,
            "previous_due": dl.due}


def _g_delay(call: StepCall[DelayOptions]) -> None:
    assert call.opts.until is not None
    if call.opts.until <= call.on:
        raise InvalidInput(f"延迟答复日期 {call.opts.until.isoformat()} 应晚于告知日期 {call.on.isoformat()}")
    if last_event(call.events, "explanation-request") is None:
        raise InvalidInput("依第三十五条确定延迟答复期限，须先要求申请人说明理由并认为理由合理"
                           f"（先执行 zwgk-tui case act {call.case.number} explanation-request …）")


def _e_delay(call: StepCall[DelayOptions]) -> dict[str, Any]:
    call.case.delay_until = call.opts.until
    return {"until": call.opts.until, "reason": call.opts.reason}


# ---------------------------------------------------------------------------------------------------------------
# Decision, review, sign-off


def decision_data(call: StepCall[DecideOptions]) -> dict[str, Any]:
    """The decision as recorded in the `decide` event: every piece of evidence the outcome needs."""
    o = call.opts
    try:
        searches = [parse_search(text) for text in o.searched]
    except v.ValidationError as exc:
        raise invalid(exc) from exc
    data: dict[str, Any] = {"outcome": o.outcome, "reason": o.reason}
    grounds = list(o.ground)
    if not grounds and o.outcome in OUTCOME_GROUND:
        grounds = [OUTCOME_GROUND[o.outcome]]
    optional = {
        "provision_method": o.provision, "published_where": o.already_published,
        "published_on": o.published_on.isoformat() if o.published_on else "", "provided_part": o.provided,
        "secret_marking": o.secret_marking, "kind_of_info": o.kind_of_info,
        "responsible_agency": o.responsible_agency, "responsible_contact": o.responsible_contact,
        "responsible_unknown": o.responsible_unknown, "public_interest": o.public_interest,
    }
    data.update({k: val for k, val in optional.items() if val})
    if o.withheld:
        data["withheld_parts"] = list(o.withheld)
        data["withheld_part"] = "；".join(o.withheld)  # 0.1 readers
    if grounds:
        data["grounds"] = grounds
    if searches:
        data["searches"] = [s.__dict__ for s in searches]
    if o.earlier:
        earlier = _earlier_reply(call, o.earlier)
        data["earlier_case"] = o.earlier
        if earlier is not None:
            data["earlier_reply_number"] = earlier.doc_number
            data["earlier_reply_date"] = earlier.issued_on.isoformat()
    return data


def _earlier_reply(call: StepCall[Any], number: str) -> IssuedDocument | None:
    found = [c for c in repo.cases_by_number(call.s, number.strip()) if c.agency_id == call.case.agency_id]
    if not found:
        raise InvalidInput(f"--earlier：本机关没有案件“{number}”")
    earlier = found[0]
    if earlier.id == call.case.id:
        raise InvalidInput("--earlier 不能是本案自己")
    if earlier.applicant_id != call.case.applicant_id:
        raise InvalidInput(f"--earlier：案件 {number} 的申请人（{earlier.applicant_name}）与本案申请人不是同一人，"
                           "不属于重复申请（《条例》第三十六条第（六）项）")
    replies = [d for d in repo.documents_of(call.s, earlier.id) if d.kind.startswith("reply_") and d.status == "issued"]
    return replies[-1] if replies else None


def decision_facts(call: StepCall[Any], data: dict[str, Any]) -> DecisionFacts:
    """The decision (from a decide event's data) with the case's record that bears on it."""
    events = call.events
    consults = [e for e in events if e.action == "consult-answered"]
    explanation_req = last_event(events, "explanation-request")
    settled = explanation_req is not None and any(
        e.action == "explanation-answered" and e.id > explanation_req.id for e in events
    )
    return DecisionFacts(
        outcome=data.get("outcome", ""),
        reason=data.get("reason", ""),
        provision=data.get("provision_method", ""),
        delivery=call.case.delivery,
        provided_part=data.get("provided_part", ""),
        withheld_parts=tuple(data.get("withheld_parts") or ()),
        grounds=tuple(data.get("grounds") or ()),
        secret_marking=data.get("secret_marking", ""),
        kind_of_info=data.get("kind_of_info", ""),
        published_where=data.get("published_where", ""),
        searches=tuple(SearchRecord(**s) for s in data.get("searches") or ()),
        responsible_agency=data.get("responsible_agency", ""),
        responsible_contact=data.get("responsible_contact", ""),
        responsible_unknown=data.get("responsible_unknown", ""),
        public_interest=data.get("public_interest", ""),
        earlier_case=data.get("earlier_case", ""),
        earlier_reply_found=_earlier_reply_in_force(call, data),
        third_party_objected=any((e.data or {}).get("view") == "disagree" for e in consults),
        correction_received=any(e.action == "correction-received" for e in events),
        explanation_requested=explanation_req is not None,
        explanation_settled=settled,
    )


def _earlier_reply_in_force(call: StepCall[Any], data: dict[str, Any]) -> bool:
    """Whether the earlier case a repeat request points to still has a reply in force (checked again at submit:
    a reply voided since the decision no longer supports 36(六))."""
    if not data.get("earlier_case"):
        return False
    return _earlier_reply(call, str(data["earlier_case"])) is not None


def _check_complete(call: StepCall[Any], data: dict[str, Any], when: str) -> None:
    result = check_decision(decision_facts(call, data))
    if result.problems:
        label = OUTCOME_SHORT_LABELS.get(data.get("outcome", ""), data.get("outcome", ""))
        raise InvalidInput(f"办理结果“{label}”尚不完整，不能{when}：{result.message()}")
    call.warnings.extend(result.warnings)


def _g_decide(call: StepCall[DecideOptions]) -> None:
    if call.opts.outcome in ("other_no_correction", "other_fee_unpaid"):
        step = "correction-lapsed" if call.opts.outcome == "other_no_correction" else "fee-lapsed"
        raise InvalidInput(f"办理结果“{OUTCOME_SHORT_LABELS[call.opts.outcome]}”由步骤 {step} 认定，不用 decide")
    _check_complete(call, decision_data(call), "拟定")


def _e_decide(call: StepCall[DecideOptions]) -> dict[str, Any]:
    data = decision_data(call)
    call.case.proposed_outcome = call.opts.outcome
    call.case.decision_reason = call.opts.reason
    if call.opts.outcome != "not_processed_duplicate":
        same, _ = repo.similar_cases(call.s, applicant_id=call.case.applicant_id, content=call.case.content,
                                     exclude_case_id=call.case.id, received_by=call.case.received_on)
        if same:
            data["hint"] = "同一申请人此前就相同内容提出过申请：" + "、".join(c.number for c in same)
            call.warnings.append("提示：" + data["hint"])
    return data


def _g_submit(call: StepCall[NoOptions]) -> None:
    if not call.case.proposed_outcome:
        raise InvalidInput("尚未拟定办理结果，请先执行 decide --outcome CODE")
    decided = last_event(call.round, "decide") or last_event(call.events, "decide")
    _check_complete(call, dict(decided.data) if decided else {"outcome": call.case.proposed_outcome}, "提交审核")
    from zwgk_tui.services.documents import agency_not_set_up, reply_problems  # the documents stack: submit only

    problems = reply_problems(call.ctx, call.s, call.case)
    if problems:
        raise InvalidInput("答复书尚不完整，不能提交审核：" + "；".join(problems))
    if agency_not_set_up(call.case.agency):
        call.warnings.append(
            f"注意：本机关（{call.case.agency.code}）尚未设置机关全称、行政复议机关和人民法院，签发后也不能出具答复书。"
            f"请先设置：zwgk-tui agency set {call.case.agency.code} --name 机关全称 "
            "--reconsideration-body 复议机关全称 --court 人民法院全称"
        )


def _e_submit(call: StepCall[NoOptions]) -> dict[str, Any]:
    call.case.submitted_by = call.actor.name
    return {"outcome": call.case.proposed_outcome}


def _g_approve(call: StepCall[NoOptions]) -> None:
    case, actor = call.case, call.actor
    if case.agency.separate_reviewers and actor.registered and actor.name == case.submitted_by:
        raise NotPermitted(f"用户“{actor.name}”提交了本案，不能审核自己提交的答复（本机关要求审核人与承办人不同）")


def _e_approve(call: StepCall[NoOptions]) -> dict[str, Any]:
    return {"review": call.case.stage, "opinion": call.comment}


def _e_return(call: StepCall[NoOptions]) -> dict[str, Any]:
    voided = void_current_decision_documents(call, f"退回修改：{call.comment}")
    data: dict[str, Any] = {"review": call.case.stage, "opinion": call.comment}
    if voided:
        data["voided"] = voided
    return data


def _e_sign(call: StepCall[NoOptions]) -> dict[str, Any]:
    return {"outcome": call.case.proposed_outcome}


def void_current_decision_documents(call: StepCall[Any], reason: str) -> list[str]:
    """Mark every issued document that rests on a decision now superseded as void (作废); returns their numbers."""
    keep_event = None  # after return / reopen nothing of the old decision stays in force
    voided = []
    for doc in repo.documents_of(call.s, call.case.id):
        if doc.status != "issued" or doc.event_id is None or doc.event_id == keep_event:
            continue
        if not (doc.kind.startswith("reply_") or doc.kind in ("third_party_decision", "service_receipt")):
            continue
        doc.status = "void"
        doc.void_reason = reason
        doc.voided_on = call.on
        voided.append(doc.doc_number or doc.kind)
    return voided


# ---------------------------------------------------------------------------------------------------------------
# Delivery (service of the reply, 国办公开办函〔2016〕235号)


def current_reply(s: Session, case: Case, events: Sequence[Event]) -> IssuedDocument | None:
    sign = current_sign_event(events)
    if sign is None:
        return None
    for doc in reversed(repo.documents_of(s, case.id)):
        if doc.kind.startswith("reply_") and doc.status == "issued" and doc.event_id == sign.id:
            return doc
    return None


def _service_method(call: StepCall[DeliverOptions]) -> str:
    return call.opts.method or DELIVERY_TO_SERVICE.get(call.case.delivery, "")


def _g_deliver(call: StepCall[DeliverOptions]) -> None:
    o, case = call.opts, call.case
    if not case.proposed_outcome:
        raise InvalidInput("尚未拟定办理结果，不能送达")
    sign = current_sign_event(call.events)
    if sign is None:
        raise InvalidInput("答复尚未签发，不能送达")
    reply = current_reply(call.s, case, call.events)
    if reply is None:
        if bool(o.reply_number) != bool(o.reply_date):
            missing = "--reply-date 成文日期" if o.reply_number else "--reply-number 文号"
            raise InvalidInput(f"系统外制作的答复书须同时写明文号和成文日期：缺少 {missing}")
        if not (o.reply_number and o.reply_date):
            raise InvalidInput(
                f"尚未出具本次决定的答复书，不能送达。请先出具：zwgk-tui doc {case.number} reply；"
                "如答复书在本系统外制作，送达时写明 --reply-number 文号 --reply-date 成文日期"
            )
        number = o.reply_number.strip()
        taken = repo.doc_numbers_used(call.s, case.agency_id, [number]).get(number)
        if taken is not None:
            raise InvalidInput(f"文号“{o.reply_number}”已用于{used_by(*taken)}，{DOC_NUMBER_RULE}")
        if o.reply_date < call.date_of(sign):
            raise InvalidInput(
                f"答复书成文日期 {o.reply_date.isoformat()} 早于签发日期 {call.date_of(sign).isoformat()}")
        if o.reply_date > call.on:
            raise InvalidInput(f"答复书成文日期 {o.reply_date.isoformat()} 晚于送达日期 {call.on.isoformat()}")
    elif o.reply_number or o.reply_date:
        raise InvalidInput(f"本次决定的答复书已由本系统出具（{reply.doc_number}），不能再记录系统外的答复书")
    elif call.on < reply.issued_on:
        raise InvalidInput(f"送达日期 {call.on.isoformat()} 早于答复书成文日期 {reply.issued_on.isoformat()}")
    method = _service_method(call)
    if not method:
        raise InvalidInput("请写明送达方式：--method "
                           + "、".join(f"{k}（{label}）" for k, label in SERVICE_METHODS.items()))
    if method == "post" and not o.tracking:
        raise InvalidInput("邮寄送达须记录邮件号码（--tracking），"
                           "以交邮之日和邮寄凭证证明按期答复（国办公开办函〔2016〕235号）；--on 为交邮之日")


def _e_deliver(call: StepCall[DeliverOptions]) -> dict[str, Any]:
    o, case = call.opts, call.case
    method = _service_method(call)
    sign = current_sign_event(call.events)
    reply = current_reply(call.s, case, call.events)
    if reply is None and o.reply_number and o.reply_date:
        reply = IssuedDocument(
            case_id=case.id, kind=f"reply_{outcome_family(case.proposed_outcome or '')}", doc_number=o.reply_number,
            issued_on=o.reply_date, at=now_in_china(), actor=call.actor.name, file_name="", sha256="", content=b"",
            event_id=sign.id if sign else None, origin="external",
        )
        call.s.add(reply)
    if method == "courier":
        call.warnings.append("注意：非邮政企业的快递不能以交邮之日证明按期答复（国办公开办函〔2016〕235号），"
                             "宜改用EMS等邮政企业寄送")
    case.delivered_by = method
    close_case(case, case.proposed_outcome or "", call.on)
    data: dict[str, Any] = {"method": method, "outcome": case.outcome}
    if o.tracking:
        data["tracking"] = o.tracking
    if reply is not None:
        data["reply_number"] = reply.doc_number
        data["reply_date"] = reply.issued_on
        if reply.origin == "external":
            data["external_reply"] = True
    return data


def _e_withdraw(call: StepCall[NoOptions]) -> dict[str, Any]:
    pause = repo.open_pause(call.s, call.case.id)
    if pause is not None:
        pause.ended_on = call.on
    close_case(call.case, "other_other", call.on)
    return {"reason": "申请人撤回"}


# ---------------------------------------------------------------------------------------------------------------
# Proceedings, reopening, corrections of the record


# Option field -> record column, for the dates and flags a proceeding carries.
_PROCEEDING_FIELDS: dict[str, str] = {
    "filed": "filed_on", "copy_received": "copy_received_on", "simplified": "simplified",
    "accepted": "accepted_on", "extended": "extended", "answered": "answered_on", "result": "result",
    "decided": "decided_on", "disclose_order": "disclose_order", "complied": "complied_on",
    "opinion_received": "opinion_received_on", "reported": "reported_on",
}
_DATE_FIELDS = ("filed", "copy_received", "accepted", "answered", "decided", "complied", "opinion_received",
                "reported")
_RECONSIDERATION_ONLY = {"simplified": "--simplified", "accepted": "--accepted", "extended": "--extended",
                         "opinion_received": "--opinion-received", "reported": "--reported"}


@dataclass
class RemedyPlan:
    """What a `remedy` step will do: create a proceeding or update one, with the new column values."""

    proceeding: RemedyProceeding | None  # None: a new proceeding
    kind: str
    values: dict[str, Any]  # column -> value (only what changes, for an update)
    merged: dict[str, Any]  # the proceeding's columns after the step
    legacy: str = ""  # "create" / "update" when read from the 0.1 spelling (--kind … --result … --on)
    warnings: list[str] = field(default_factory=list)


def _proceeding_list(procs: Sequence[RemedyProceeding]) -> str:
    return "；".join(f"#{p.id} {REMEDY_KINDS.get(p.kind, p.kind)}（{p.filed_on.isoformat()} 提起，"
                    f"{REMEDY_RESULTS.get(p.result, p.result)}）" for p in procs) or "无"


def _given(opts: RemedyOptions) -> dict[str, Any]:
    """The proceeding's fields given on this step (bool flags only when set)."""
    out: dict[str, Any] = {}
    for name in _PROCEEDING_FIELDS:
        value = getattr(opts, name)
        if value not in (None, "", False):
            out[name] = value
    return out


def remedy_on(opts: RemedyOptions, today: date) -> date:
    """The date of a `remedy` step written without --on: the filing of a new proceeding, else the latest date
    the update records (the decision, the answer …), else today."""
    if opts.filed is not None and opts.proceeding is None:
        return opts.filed
    dates = [getattr(opts, name) for name in _DATE_FIELDS if getattr(opts, name) is not None]
    return max(dates) if dates else today


def remedy_plan(call: StepCall[RemedyOptions]) -> RemedyPlan:
    o = call.opts
    procs = repo.remedies_of(call.s, call.case.id)
    given = _given(o)
    kinds = "、".join(f"{k}（{label}）" for k, label in REMEDY_KINDS.items())
    if o.proceeding is not None:
        proc = next((p for p in procs if p.id == o.proceeding), None)
        if proc is None:
            raise InvalidInput(f"本案没有编号为 {o.proceeding} 的复议/诉讼。本案已登记：{_proceeding_list(procs)}")
        if o.kind and o.kind != proc.kind:
            raise InvalidInput(f"复议/诉讼 #{proc.id} 是{REMEDY_KINDS.get(proc.kind, proc.kind)}，不能改为"
                               f"{REMEDY_KINDS[o.kind]}；另行提起的请新登记：--kind {o.kind} --filed 日期")
        if not given:
            raise InvalidInput(f"没有要更新的内容：请写明 --result 结果 --decided 日期、--copy-received 日期、"
                               f"--answered 日期等（复议/诉讼 #{proc.id}）")
        plan = RemedyPlan(proc, proc.kind, {}, {})
    elif o.kind:
        same = [p for p in procs if p.kind == o.kind]
        if o.filed is None:
            pending = [p for p in same if p.result == "pending"]
            decides = bool(o.result) and o.result != "pending"
            if not same:
                given["filed"] = call.on
                plan = RemedyPlan(None, o.kind, {}, {}, legacy="create")
                plan.warnings.append(f"未写 --filed：已以 {call.on.isoformat()} 为申请/起诉日期"
                                     f"（今后请写 --kind {o.kind} --filed 日期）")
            elif decides and len(pending) == 1 and set(given) <= {"result", "decided"}:
                proc = pending[0]
                given.setdefault("decided", call.on)
                plan = RemedyPlan(proc, proc.kind, {}, {}, legacy="update")
                plan.warnings.append(f"已更新复议/诉讼 #{proc.id} 的结果（今后请写 --proceeding {proc.id} "
                                     f"--result {o.result} --decided 日期）")
            else:
                listed = _proceeding_list(same)
                raise InvalidInput(
                    f"本案已登记{REMEDY_KINDS[o.kind]}：{listed}。新提起的{REMEDY_KINDS[o.kind]}请写 --kind {o.kind} "
                    "--filed 申请/起诉日期；更新已登记的请写 --proceeding 编号 --result 结果 --decided 审结日期"
                )
        else:
            plan = RemedyPlan(None, o.kind, {}, {})
    else:
        raise InvalidInput(f"请写明 --kind 类型 --filed 日期（新登记复议/诉讼；类型：{kinds}），"
                           f"或 --proceeding 编号（更新已登记的：{_proceeding_list(procs)}）")
    if plan.proceeding is None:
        given.setdefault("result", "pending")
        if plan.legacy and given["result"] != "pending":
            given.setdefault("decided", call.on)
    current: dict[str, Any] = {}
    if plan.proceeding is not None:
        current = {col: getattr(plan.proceeding, col) for col in _PROCEEDING_FIELDS.values()}
    else:
        current = {col: (False if name in ("simplified", "extended", "disclose_order") else None)
                   for name, col in _PROCEEDING_FIELDS.items()}
        current["result"] = "pending"
    plan.values = {_PROCEEDING_FIELDS[name]: value for name, value in given.items()
                   if current.get(_PROCEEDING_FIELDS[name]) != value}
    if plan.proceeding is not None and o.result == "pending" and current["decided_on"] is not None:
        plan.values["decided_on"] = None  # back to 尚未审结 (a result recorded in error)
    if (plan.proceeding is not None and current["disclose_order"] and o.result not in ("", "corrected")
            and "disclose_order" not in given):
        # A result corrected in error (or changed on appeal): the order to disclose goes with it.
        plan.values["disclose_order"] = False
        plan.values["complied_on"] = None
        plan.warnings.append(f"复议/诉讼 #{plan.proceeding.id} 的结果不再是纠正：已同时取消记录的责令公开及其履行期限")
    if plan.proceeding is not None and not plan.values:
        raise InvalidInput(f"复议/诉讼 #{plan.proceeding.id} 已是所写的状态，没有要更新的内容")
    plan.merged = {**current, **plan.values}
    _check_proceeding(call, plan, given)
    return plan


def _check_proceeding(call: StepCall[RemedyOptions], plan: RemedyPlan, given: dict[str, Any]) -> None:
    m = plan.merged
    kind_label = REMEDY_KINDS.get(plan.kind, plan.kind)
    received = call.dates[call.events[0].id] if call.events else call.case.received_on
    today = call.ctx.today()
    for name in _DATE_FIELDS:
        value = given.get(name)
        if value is None:
            continue
        flag = f"--{name.replace('_', '-')}"
        if value > today:
            raise InvalidInput(f"{flag} {value.isoformat()} 晚于今天 {today.isoformat()}：只能记录已经发生的日期")
        if value < received:
            raise InvalidInput(f"{flag} {value.isoformat()} 早于本案收到申请日期 {received.isoformat()}")
    filed = m["filed_on"]
    for column, flag, label in (("copy_received_on", "--copy-received", "收到副本"),
                                ("accepted_on", "--accepted", "受理"),
                                ("answered_on", "--answered", "提交答复（答辩）"), ("decided_on", "--decided", "审结"),
                                ("opinion_received_on", "--opinion-received", "收到行政复议意见书")):
        if m[column] is not None and m[column] < filed:
            raise InvalidInput(f"{label}日期 {m[column].isoformat()}（{flag}）早于申请/起诉日期 {filed.isoformat()}")
    if m["answered_on"] and m["copy_received_on"] and m["answered_on"] < m["copy_received_on"]:
        raise InvalidInput(f"提交答复（答辩）日期 {m['answered_on'].isoformat()} 早于收到副本日期 "
                           f"{m['copy_received_on'].isoformat()}")
    if m["result"] == "pending" and m["decided_on"] is not None:
        raise InvalidInput("记录审结日期（--decided）时请写明结果：--result " + "、".join(
            f"{k}（{label}）" for k, label in REMEDY_RESULTS.items() if k != "pending"))
    if m["result"] != "pending" and m["decided_on"] is None:
        raise InvalidInput(f"结果“{REMEDY_RESULTS[m['result']]}”须写明审结日期："
                           "--decided 日期（收到决定书、判决书之日）")
    if m["disclose_order"] and m["result"] != "corrected":
        raise InvalidInput("责令公开（--disclose-order）只适用于结果纠正：请同时写明 --result corrected")
    if m["complied_on"] is not None:
        if not m["disclose_order"]:
            raise InvalidInput("--complied 记录按决定/判决公开的日期，须先记录责令公开（--disclose-order）")
        if m["decided_on"] and m["complied_on"] < m["decided_on"]:
            raise InvalidInput(f"公开日期 {m['complied_on'].isoformat()} 早于审结日期 {m['decided_on'].isoformat()}")
    if m["reported_on"] is not None:
        if m["opinion_received_on"] is None:
            raise InvalidInput("--reported 记录报送纠正情况的日期，须先记录收到行政复议意见书（--opinion-received）")
        if m["reported_on"] < m["opinion_received_on"]:
            raise InvalidInput(f"报送日期 {m['reported_on'].isoformat()} 早于收到行政复议意见书日期 "
                               f"{m['opinion_received_on'].isoformat()}")
    if plan.kind != "reconsideration":
        wrong = [flag for name, flag in _RECONSIDERATION_ONLY.items() if name in given]
        if wrong:
            raise InvalidInput(f"{'、'.join(wrong)} 只适用于行政复议，不适用于{kind_label}")


def _remedy_warnings(call: StepCall[RemedyOptions], plan: RemedyPlan, proc: RemedyProceeding) -> list[str]:
    """Warnings about the proceeding as recorded (also kept on the record when they concern the law)."""
    out = list(plan.warnings)
    case = call.case
    if plan.proceeding is None:
        if case.first_concluded_on is None:
            out.append("提示：本案尚未答复，登记为针对逾期不答复（不履行法定职责）的复议/诉讼")
        if plan.kind == "litigation_after_reconsideration" and not any(
                p.kind == "reconsideration" for p in repo.remedies_of(call.s, case.id) if p.id != proc.id):
            out.append("提示：本案尚未登记行政复议；复议后起诉的，宜先登记所经过的行政复议")
    facts = pr.facts_from({col: getattr(proc, col) for col in ("kind", "filed_on", *_PROCEEDING_FIELDS.values())})
    for dl in pr.deadlines(facts, call.cal):
        if dl.own and dl.done_on is not None and dl.done_on > dl.due and (
                (dl.code in ("answer", "defence") and "answered_on" in plan.values)
                or (dl.code == "compliance" and "complied_on" in plan.values)
                or (dl.code == "opinion_report" and "reported_on" in plan.values)):
            out.append(f"注意：{dl.what}的期限为 {dl.due.isoformat()}，{dl.done_on.isoformat()} 已逾期（{dl.basis}）")
    return out


def _decision_in_force(call: StepCall[Any], on: date) -> tuple[str | None, list[str]]:
    """The outcome and withheld grounds of the reply a proceeding filed on `on` is about: the last decision
    delivered by then (None for a case never replied to: the proceeding is about inaction)."""
    outcome: str | None = None
    grounds: list[str] = []
    decided: dict[str, Any] = {}
    for e in call.events:
        if call.date_of(e) > on:
            continue
        if e.action == "decide":
            decided = dict(e.data or {})
        elif e.action == "deliver":
            outcome = (e.data or {}).get("outcome") or decided.get("outcome")
            grounds = list(decided.get("grounds") or [])
        elif e.action == "import":
            outcome = (e.data or {}).get("outcome")
            grounds = []
    return outcome, grounds


def _g_remedy(call: StepCall[RemedyOptions]) -> None:
    remedy_plan(call)


def _e_remedy(call: StepCall[RemedyOptions]) -> dict[str, Any]:
    plan = remedy_plan(call)
    case = call.case
    changes: dict[str, dict[str, Any]] = {}
    if plan.proceeding is None:
        m = plan.merged
        proc = RemedyProceeding(case_id=case.id, agency_id=case.agency_id, kind=plan.kind,
                                **{col: m[col] for col in _PROCEEDING_FIELDS.values()})
        if plan.kind == "litigation_direct":
            outcome, grounds = _decision_in_force(call, m["filed_on"])
            if pr.reconsideration_first(outcome, grounds):
                proc.warning = pr.DIRECT_SUIT_WARNING
        call.s.add(proc)
        call.s.flush()  # the proceeding's number, printed for the clerk and kept in the event
    else:
        proc = plan.proceeding
        for column, value in plan.values.items():
            changes[column] = {"from": getattr(proc, column), "to": value}
            setattr(proc, column, value)
    warnings = _remedy_warnings(call, plan, proc)
    if proc.warning and plan.proceeding is None:
        warnings.insert(0, proc.warning)
    call.warnings.extend(warnings)
    data: dict[str, Any] = {"proceeding": proc.id, "kind": proc.kind, "result": proc.result,
                            "filed_on": proc.filed_on, "result_label": REMEDY_RESULTS.get(proc.result, proc.result)}
    if plan.proceeding is None:
        data["created"] = True
        data["facts"] = {col: plan.merged[col] for col in _PROCEEDING_FIELDS.values()
                         if plan.merged[col] not in (None, False) and col not in ("filed_on", "result")}
    else:
        data["updated"] = True
        data["changes"] = changes
    if proc.decided_on is not None:
        data["decided_on"] = proc.decided_on
    if plan.legacy:
        data["legacy"] = plan.legacy
    if proc.warning and plan.proceeding is None:
        data["warning"] = proc.warning
    return data


def _e_reopen(call: StepCall[ReopenOptions]) -> dict[str, Any]:
    """A new round (a re-reply after 复议/诉讼 correction): the current conclusion is set aside, the first one
    stays (first_outcome / first_concluded_on, and its reply-time figures) so no year already counted moves."""
    case = call.case
    previous = {"outcome": case.outcome, "concluded_on": case.concluded_on}
    voided = void_current_decision_documents(call, f"案件重新打开：{call.opts.reason}")
    case.outcome = None
    case.concluded_on = None
    data: dict[str, Any] = {"reason": call.opts.reason, **previous}
    if voided:
        data["voided"] = voided
    return data


def _g_correct_date(call: StepCall[CorrectDateOptions]) -> None:
    target_id = call.opts.event
    target = next((e for e in call.events if e.id == target_id), None)
    if target is None or target.action in ("correct-date", "amend"):
        raise InvalidInput(f"本案没有编号为 {target_id} 的可更正事件（见 zwgk-tui case show 的历史记录）")
    today = call.ctx.today()
    received = call.dates[call.events[0].id]
    try:
        if target.action == "register":
            v.check_received_date(call.on, today)
            later = [call.dates[e.id] for e in call.events[1:] if e.action not in ("correct-date", "amend")]
            if later and call.on > min(later):
                raise v.ValidationError(
                    f"更正后的收到日期 {call.on.isoformat()} 晚于本案后续步骤的日期 {min(later).isoformat()}")
        else:
            v.check_event_date(call.on, received, today, "更正后的日期")
    except v.ValidationError as exc:
        raise invalid(exc) from exc
    if target.action == "served":
        # A letter cannot have been received before it was sent: the same rule as when service is recorded.
        what = (target.data or {}).get("what", "")
        earlier = [e for e in call.events if e.id < target.id and e.action == _SERVED_STEP.get(what)]
        if earlier:
            _check_served(call, call.on, call.date_of(earlier[-1]), SERVED_WHAT.get(what, "文书"))


def _e_correct_date(call: StepCall[CorrectDateOptions]) -> dict[str, Any]:
    target = next(e for e in call.events if e.id == call.opts.event)
    case = call.case
    # The event that concludes the current round moves the current conclusion; the event that first concluded
    # the case moves the counted one (a correction of the record, shown against a published year). A delivery of
    # a superseded round that was not the first moves neither.
    concluding = [e for e in call.round if e.action in CONCLUDING_ACTIONS]
    if case.concluded_on and concluding and concluding[-1].id == target.id:
        case.concluded_on = call.on
    first = next((e for e in call.events if e.action in CONCLUDING_ACTIONS), None)
    if case.first_concluded_on and first is not None and first.id == target.id:
        case.first_concluded_on = call.on
    _sync_side_tables(call, case, target, call.on)
    return {"event_id": target.id, "action": target.action, "from": call.dates[target.id], "to": call.on,
            "reason": call.opts.reason}


def _sync_side_tables(call: StepCall[CorrectDateOptions], case: Case, target: Event, on: date) -> None:
    """Pause, fee and remedy rows mirror events; keep them in step with a corrected date (and what was computed
    from it: the applicant's last day to pay runs from the day the fee notice was served)."""
    s = call.s
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
    if target.action == "remedy":
        _sync_proceeding(s, case, target, prev, on)
    if target.action == "served":
        for p in repo.pauses_of(s, case.id):
            if p.served_on == prev:
                p.served_on = on
        for f in repo.fee_notices_of(s, case.id):
            if f.served_on == prev:
                f.served_on = on
                f.payment_due = call.cal.nth_working_day_after(on, FEE_PAYMENT_DAYS)


def _sync_proceeding(s: Session, case: Case, target: Event, prev: date, on: date) -> None:
    """A corrected `remedy` step moves the dates of its proceeding that were recorded as that step's date."""
    pid = (target.data or {}).get("proceeding")
    for proc in repo.remedies_of(s, case.id):
        if pid is not None and proc.id != pid:
            continue
        if pid is None and proc.kind != (target.data or {}).get("kind"):
            continue
        for column in ("filed_on", "decided_on"):
            if getattr(proc, column) == prev:
                setattr(proc, column, on)


# ---------------------------------------------------------------------------------------------------------------
# Amendments of what was registered


AMENDABLE: dict[str, tuple[str, str]] = {
    # option -> (case column, label)
    "applicant": ("applicant_name", "申请人姓名或名称"),
    "id_number": ("applicant_id_number", "身份证明号码"),
    "phone": ("applicant_phone", "联系电话"),
    "email": ("applicant_email", "电子邮箱"),
    "address": ("applicant_address", "通信地址"),
    "postcode": ("applicant_postcode", "邮政编码"),
    "content": ("content", "申请内容"),
    "items": ("item_count", "申请事项数"),
}
PERSONAL_FIELDS = frozenset({"id_number", "phone", "address"})


def amended_values(call: StepCall[AmendOptions]) -> dict[str, Any]:
    """The checked new values, keyed by option; InvalidInput for a bad one."""
    o, today = call.opts, call.ctx.today()
    out: dict[str, Any] = {}
    try:
        if o.applicant:
            out["applicant"] = v.check_text(o.applicant, "申请人姓名或名称", v.NAME_MAX_CHARS, required=True)
        if o.id_number:
            out["id_number"] = v.check_identity_document(call.case.applicant_type, o.id_number, today=today)
        if o.phone:
            out["phone"] = v.check_phone(o.phone)
        if o.email:
            out["email"] = v.check_email(o.email)
        if o.address:
            out["address"] = v.check_text(o.address, "通信地址", v.ADDRESS_MAX_CHARS, required=True)
        if o.postcode:
            out["postcode"] = v.check_postcode(o.postcode)
        if o.content:
            out["content"] = v.check_text(o.content, "申请内容", v.CONTENT_MAX_CHARS, required=True,
                                          rule="《条例》第二十九条")
        if o.items is not None:
            if not 1 <= o.items <= 1000:
                raise v.ValidationError(f"申请事项数 {o.items} 无效：应为 1 至 1000", "items")
            out["items"] = o.items
    except v.ValidationError as exc:
        raise invalid(exc) from exc
    return out


def _g_amend(call: StepCall[AmendOptions]) -> None:
    values = amended_values(call)
    changed = {k: val for k, val in values.items() if getattr(call.case, AMENDABLE[k][0]) != val}
    if not changed:
        raise InvalidInput("没有要更正的内容：请给出与现登记不同的新值，如 --applicant 正确姓名")


def _e_amend(call: StepCall[AmendOptions]) -> dict[str, Any]:
    case = call.case
    changes: dict[str, dict[str, Any]] = {}
    for key, new in amended_values(call).items():
        column = AMENDABLE[key][0]
        old = getattr(case, column)
        if old != new:
            changes[key] = {"from": old, "to": new}
            setattr(case, column, new)
    if changes.keys() & {"applicant", "id_number", "phone"}:
        link_applicant(call.s, case)
    case.missing_elements = "；".join(missing_elements(case))
    issued = [d for d in repo.documents_of(call.s, case.id) if d.status == "issued" and d.origin == "tool"]
    if changes and issued:
        # Issued documents are frozen evidence of what was sent: an amendment never rewrites them.
        numbers = "、".join(d.doc_number or d.issued_on.isoformat() for d in issued)
        call.warnings.append(f"注意：已出具的文书（{numbers}）仍载明更正前的内容，不会随之改变；答复书尚未送达而须更正的，"
                             "请退回（return）后重新签发、重新出具")
    return {"reason": call.opts.reason, "changes": changes}


# ---------------------------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Step(Generic[OptsT]):
    action: str
    options: type[OptsT]
    effect: Callable[[StepCall[OptsT]], dict[str, Any]]
    guard: Callable[[StepCall[OptsT]], None] = _no_guard
    # The step's date when --on is not given (None: --on is required).
    default_on: Callable[[OptsT, date], date] | None = None

    @property
    def label(self) -> str:
        return STEPS[self.action].label


def _steps(*steps: Step[Any]) -> dict[str, Step[Any]]:
    return {s.action: s for s in steps}


STEP_TABLE: dict[str, Step[Any]] = _steps(
    Step("request-correction", RequestCorrectionOptions, _e_request_correction, _g_request_correction),
    Step("correction-received", CorrectionReceivedOptions, _e_correction_received, _g_correction_received),
    Step("correction-lapsed", NoOptions, _e_close("other_no_correction"), _g_correction_lapsed),
    Step("explanation-request", ExplanationRequestOptions, _e_explanation_request, _g_explanation_request),
    Step("explanation-answered", ExplanationAnsweredOptions, _e_explanation_answered, _g_explanation_answered),
    Step("consult", ConsultOptions, _e_consult, _g_consult),
    Step("consult-answered", ConsultAnsweredOptions, _e_consult_answered, _g_consult_answered),
    Step("served", ServedOptions, _e_served, _g_served),
    Step("fee-notice", FeeNoticeOptions, _e_fee_notice, _g_fee_notice),
    Step("fee-paid", FeePaidOptions, _e_fee_paid, _g_fee_paid),
    Step("fee-lapsed", NoOptions, _e_fee_lapsed, _g_fee_lapsed),
    Step("extend", ExtendOptions, _e_extend, _g_extend),
    Step("delay", DelayOptions, _e_delay, _g_delay),
    Step("decide", DecideOptions, _e_decide, _g_decide),
    Step("submit", NoOptions, _e_submit, _g_submit),
    Step("approve", NoOptions, _e_approve, _g_approve),
    Step("return", NoOptions, _e_return),
    Step("sign", NoOptions, _e_sign),
    Step("deliver", DeliverOptions, _e_deliver, _g_deliver),
    Step("withdraw", NoOptions, _e_withdraw),
    Step("remedy", RemedyOptions, _e_remedy, _g_remedy, remedy_on),
    Step("reopen", ReopenOptions, _e_reopen),
    Step("correct-date", CorrectDateOptions, _e_correct_date, _g_correct_date),
    Step("amend", AmendOptions, _e_amend, _g_amend),
)
assert set(STEP_TABLE) == set(STEPS), set(STEPS) ^ set(STEP_TABLE)
assert all(STEP_TABLE[a].options is not None for a in STEP_TABLE)
