"""Issuing documents: a document goes out only when the step that authorises it is on record, dated that step's
day, and once issued it is frozen (bytes + SHA-256) and reprinted identically.

- A reply is issued only once the decision now in force is signed (stage 待送达 or later); its 成文日期 is the
  sign-off date (`--on` may give a later day, never an earlier one, never after today). Replies that end a case
  by a step of its own (withdrawal, lapses) rest on that step.
- A procedural notice rests on its step (补正告知 on request-correction, 延期 on extend …) and carries its date.
- The receipt rests on the registration and carries the receipt date, with no 文号 from the reply sequence.
- Internal forms (registration form, review sheet) are produced fresh each time and never recorded as issued.
- `--draft` works at any stage: the file is marked 草稿, has no 文号, is not frozen and is not recorded.
When the decision behind a reply changes (return, reopen) the reply is marked void; the next sign-off allows a
new one. See steps.void_current_decision_documents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.documents.kinds import KINDS, IssueFacts, issue_problems, resolve_kind
from zwgk_tui.documents.model import AgencyInfo, ApplicantInfo, DocumentInput, ReviewOpinion
from zwgk_tui.documents.render import (
    DocumentError,
    check_template,
    default_template_dir,
    render_document,
    render_draft,
    write_atomically,
)
from zwgk_tui.domain.codes import DELIVERY_TO_SERVICE, OUTCOME_SHORT_LABELS, STAGE_LABELS
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Agency, Case, DocCounter, Event, IssuedDocument
from zwgk_tui.services.cases import find_case
from zwgk_tui.services.clockbridge import deadline_for, effective_dates, served_on
from zwgk_tui.services.context import ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput
from zwgk_tui.services.outputs import output_path
from zwgk_tui.services.steps import (
    CONSULTATION_DAYS,
    FEE_PAYMENT_DAYS,
    current_sign_event,
    last_event,
    round_events,
)

REQUESTABLE = tuple(dict.fromkeys(("reply", *sorted(k for k in KINDS if not k.startswith("reply_")))))

# The agency name of a database nobody has set up yet: never put on a letter.
PLACEHOLDER_AGENCY_NAME = "本机关"

# Kinds that go out without a 文号 (the receipt is identified by the case number).
UNNUMBERED_KINDS = frozenset({"receipt", "service_receipt"})

# Kinds produced fresh each time and never recorded as issued.
INTERNAL_KINDS = frozenset(code for code, k in KINDS.items() if k.internal)

CLOSING_REPLY_STEPS = ("withdraw", "correction-lapsed", "fee-lapsed")


@dataclass(frozen=True)
class Authority:
    """The recorded step a document rests on, and the date it carries."""

    event: Event | None
    on: date | None


def _step(action: str, label: str, **data: Any) -> Callable[[Sequence[Event], dict[int, date]], Event | None]:
    def find(events: Sequence[Event], dates: dict[int, date]) -> Event | None:
        return last_event(round_events(events), action, **data) or last_event(events, action, **data)

    find.label = label  # type: ignore[attr-defined]
    find.action = action  # type: ignore[attr-defined]
    return find


# Procedural notices → the step that authorises them (and whose date they carry).
NOTICE_STEPS: dict[str, Callable[[Sequence[Event], dict[int, date]], Event | None]] = {
    "correction_notice": _step("request-correction", "告知补正"),
    "explanation_request": _step("explanation-request", "要求说明理由"),
    "extension_notice": _step("extend", "延期答复"),
    "delay_notice": _step("delay", "延迟答复（第三十五条）"),
    "third_party_consultation": _step("consult", "征求第三方意见", party="third_party"),
    "agency_consultation": _step("consult", "征求其他机关意见", party="agency"),
    "fee_notice": _step("fee-notice", "发出收费通知"),
}


def _last(events: Sequence[Event], action: str) -> Event | None:
    return next((e for e in reversed(events) if e.action == action), None)


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _authority(case: Case, kind: str, events: list[Event], dates: dict[int, date], today: date) -> Authority:
    """The step `kind` rests on; InvalidInput (with what to do) when it is not on record."""
    if kind in ("receipt", "registration_form"):
        return Authority(events[0], dates[events[0].id])
    if kind == "review_sheet":
        sign = current_sign_event(events)
        reviews = [e for e in round_events(events) if e.action in ("approve", "return", "sign", "submit")]
        last = sign or (reviews[-1] if reviews else None)
        return Authority(last, dates[last.id] if last else today)
    if kind in NOTICE_STEPS:
        finder = NOTICE_STEPS[kind]
        event = finder(events, dates)
        if event is None:
            raise InvalidInput(
                f"尚未记录“{finder.label}”（{finder.action}）步骤，不能出具{KINDS[kind].title}"  # type: ignore[attr-defined]
                f"：请先执行 zwgk-tui case act {case.number} {finder.action} …（或用 --draft 生成草稿）"  # type: ignore[attr-defined]
            )
        return Authority(event, dates[event.id])
    # A reply, or the third party's decision letter that goes with a disclosure: the signed decision.
    if kind == "reply" and case.outcome in ("other_other", "other_no_correction", "other_fee_unpaid"):
        closing = next((e for e in reversed(round_events(events)) if e.action in CLOSING_REPLY_STEPS), None)
        if closing is not None:
            return Authority(closing, dates[closing.id])
    sign = current_sign_event(events)
    if sign is None or case.stage not in ("delivering", "closed"):
        raise InvalidInput(
            f"案件 {case.number} 当前处于“{STAGE_LABELS.get(case.stage, case.stage)}”，本次办理结果尚未签发，"
            f"不能正式出具{KINDS.get(kind, KINDS['reply']).title}（答复书须在负责人签发后出具，成文日期为签发日期）。"
            f"如需审核用稿，请加 --draft 生成草稿"
        )
    return Authority(sign, dates[sign.id])


def _issue_facts(case: Case, events: Sequence[Event]) -> IssueFacts:
    decide = _last(round_events(events), "decide") or _last(events, "decide")
    answer = _last(events, "consult-answered")
    return IssueFacts(
        outcome=case.outcome or case.proposed_outcome or "",
        withheld_grounds=tuple((decide.data or {}).get("grounds") or ()) if decide else (),
        third_party_consulted=last_event(events, "consult", party="third_party") is not None,
        third_party_view=str((answer.data or {}).get("view") or "") if answer else "",
        fee_payment_route=case.agency.fee_payment_route or "",
    )


def document_problems(case: Case, kind: str, events: Sequence[Event]) -> list[str]:
    """What the record lacks for `kind` to go out (documents/kinds.py ISSUE_RULES); [] when nothing."""
    if kind not in KINDS:
        return []
    outcome = case.outcome or case.proposed_outcome or ""
    return issue_problems(kind, _issue_facts(case, events), outcome_label=OUTCOME_SHORT_LABELS.get(outcome, outcome),
                          agency=case.agency.code)


def agency_info(agency: Agency) -> AgencyInfo:
    full_info: Callable[[Agency], AgencyInfo] | None
    try:
        from zwgk_tui.services.doc_agency import agency_info as full_info  # the agency's document settings
    except ImportError:
        full_info = None
    if full_info is not None:
        return full_info(agency)
    return AgencyInfo(code=agency.code, name=agency.name, address=agency.address, phone=agency.phone,
                      contact=agency.contact, postcode=agency.postcode,
                      reconsideration_body=agency.reconsideration_body, court=agency.court, email=agency.email)


def document_input(ctx: ServiceContext, s: Session, case: Case, kind: str, doc_number: str,
                   issued_on: date | None, *, draft: bool = False) -> DocumentInput:
    events = repo.events_of(s, case.id)
    dates = effective_dates(events)
    agency = case.agency
    cal = ctx.calendar(s)
    dl = deadline_for(case, events, cal, issued_on or ctx.today(), fee_pauses_clock=agency.fee_pauses_clock,
                      due_soon_days=agency.due_soon_days, explain=False)
    decide = _last(round_events(events), "decide") or _last(events, "decide")
    decide_data: dict[str, Any] = dict(decide.data) if decide else {}
    corr_req, corr_rec = _last(events, "request-correction"), _last(events, "correction-received")
    extend, delay = _last(events, "extend"), _last(events, "delay")
    consult_party = "agency" if kind == "agency_consultation" else "third_party"
    consult = last_event(events, "consult", party=consult_party) or _last(events, "consult")
    consult_answer = _last(events, "consult-answered")
    fees = repo.fee_notices_of(s, case.id)
    fee = fees[-1] if fees else None
    fee_event = _last(events, "fee-notice")
    reviews = []
    for e in round_events(events):
        if e.action in ("approve", "return") and e.data.get("review"):
            opinion = e.data.get("opinion") or e.comment or ("同意" if e.action == "approve" else "退回")
            reviews.append(ReviewOpinion(step=e.data["review"], by=e.actor, on=dates[e.id], opinion=opinion))
        elif e.action == "sign":
            reviews.append(ReviewOpinion(step="sign_off", by=e.actor, on=dates[e.id], opinion=e.comment or "同意签发"))
    outcome = case.outcome or case.proposed_outcome
    base_due = None
    if dl.due is not None and dl.extension_days:
        base_due = cal.nth_working_day_after(dl.clock_start, dl.rules.reply_days)  # before extension
    # The other side's periods run from its receipt: a last day only when the date of service is known.
    correct_by = _d(corr_req.data.get("correct_by")) if corr_req else None
    correction_served = served_on(events, dates, "correction", corr_req)
    if corr_req and correct_by is None and correction_served and corr_req.data.get("correct_days"):
        correct_by = cal.nth_working_day_after(correction_served, int(corr_req.data["correct_days"]))
    consult_served = served_on(events, dates, "consult", consult)
    fee_served = served_on(events, dates, "fee-notice", fee_event)
    values: dict[str, Any] = dict(
        kind=kind,
        doc_number=doc_number,
        issued_on=issued_on,
        agency=agency_info(agency),
        applicant=ApplicantInfo(name=case.applicant_name, type=case.applicant_type,
                                id_number=case.applicant_id_number, phone=case.applicant_phone,
                                email=case.applicant_email, address=case.applicant_address,
                                postcode=case.applicant_postcode),
        case_number=case.number,
        received_on=dl.received,
        channel=case.channel,
        content=case.content,
        form_requested=case.form_requested,
        delivery=case.delivery,
        corrected_on=dates[corr_rec.id] if corr_rec else None,
        outcome=outcome,
        reason=decide_data.get("public_interest", "") if kind == "third_party_decision" and
        decide_data.get("public_interest") else case.decision_reason,
        provided_part=decide_data.get("provided_part", ""),
        withheld_part="；".join(decide_data.get("withheld_parts") or []) or decide_data.get("withheld_part", ""),
        responsible_agency=decide_data.get("responsible_agency", ""),
        responsible_contact=decide_data.get("responsible_contact", ""),
        provision_method=decide_data.get("provision_method", ""),
        correction_items=corr_req.data.get("items", "") if corr_req else "",
        correct_by=correct_by,
        due_date=base_due or dl.due,
        extended_due=dl.due if extend else None,
        extension_days=int(extend.data.get("days", 0)) if extend else 0,
        extension_reason=extend.data.get("reason", "") if extend else "",
        delay_until=_d(delay.data.get("until")) if delay else None,
        delay_reason=delay.data.get("reason", "") if delay else "",
        consult_to=consult.data.get("to", "") if consult else "",
        consult_to_type=consult.data.get("to_type", "") if consult else "",
        consult_sent_on=dates[consult.id] if consult else None,
        consult_due=cal.nth_working_day_after(consult_served, CONSULTATION_DAYS) if consult_served else None,
        fee_method=fee.method if fee else "",
        fee_quantity=fee.quantity if fee else 0,
        fee_amount=fee.amount if fee else 0,
        fee_breakdown=tuple(fee_event.data.get("breakdown", [])) if fee_event else (),
        fee_payment_due=cal.nth_working_day_after(fee_served, FEE_PAYMENT_DAYS) if fee_served else None,
        fee_payment_route=agency.fee_payment_route,
        reviews=tuple(reviews),
        drafter=case.submitted_by or (events[0].actor if events else ""),
        not_this_agency=outcome == "unavailable_not_held" and bool(
            decide_data.get("responsible_agency") or decide_data.get("responsible_unknown")),
        already_published=bool(decide_data.get("published_where")),
    )
    # Fields of the evidence-bearing letters (spec 09), filled where this version of the templates knows them.
    extra: dict[str, Any] = {
        "draft": draft,
        "clarified_content": case.clarified_content,
        "published_where": decide_data.get("published_where", ""),
        "published_on": _d(decide_data.get("published_on")),
        "responsible_unknown_reason": decide_data.get("responsible_unknown", ""),
        "public_interest": decide_data.get("public_interest", ""),
        "third_party_view": (consult_answer.data.get("view") or "") if consult_answer else "",
        "third_party_opinion": (consult_answer.data.get("opinion") or "") if consult_answer else "",
        "earlier_reply_number": decide_data.get("earlier_reply_number", ""),
        "earlier_reply_date": _d(decide_data.get("earlier_reply_date")),
        "earlier_case_number": decide_data.get("earlier_case", ""),
        "service_method": DELIVERY_TO_SERVICE.get(case.delivery, ""),
        "consult_days": CONSULTATION_DAYS,
        "fee_payment_days": FEE_PAYMENT_DAYS,
        "correction_days": int(corr_req.data.get("correct_days") or 0) if corr_req else 0,
        "correction_missing": tuple(corr_req.data.get("missing") or ()) if corr_req else (),
    }
    if kind == "service_receipt":
        from zwgk_tui.services.steps import current_reply

        reply = current_reply(s, case, events)
        if reply is None:
            raise InvalidInput(f"尚未出具本次决定的答复书，请先出具：zwgk-tui doc {case.number} reply")
        # As it was served: the delivery's recorded method and whoever recorded it; before delivery, the way the
        # applicant chose and the user making the form. A person is named only as registered (never an OS login).
        deliver = _last(round_events(events), "deliver")
        method = str(deliver.data.get("method") or "") if deliver else ""
        server = deliver.actor if deliver else ctx.actor(s).name
        user = repo.user_by_name(s, server) if server else None
        extra.update(served_document_title=f"{agency.name}{resolve_kind('reply', outcome).title}",
                     served_document_number=reply.doc_number, served_document_date=reply.issued_on,
                     service_method=method or DELIVERY_TO_SERVICE.get(case.delivery, ""),
                     served_by=(user.display_name or user.name) if user else "")
    explanation = _last(events, "explanation-request")
    if explanation is not None:
        answer = next((e for e in events if e.action == "explanation-answered" and e.id > explanation.id), None)
        extra.update(
            explanation_requested_on=dates[explanation.id],
            explanation_days=int(explanation.data.get("answer_days") or 0),
            explanation_answer=(answer.data.get("answer") or "") if answer else "",
            explanation_lapsed=bool(answer and answer.data.get("lapsed")),
        )
    extra.update(_evidence_fields(decide_data))
    known = set(DocumentInput.__dataclass_fields__)
    values.update({k: val for k, val in extra.items() if k in known})
    return DocumentInput(**values)


def _evidence_fields(decide_data: dict[str, Any]) -> dict[str, Any]:
    """Withheld parts with their grounds and the searches, in the document model's own types when it has them."""
    from zwgk_tui.documents import model
    from zwgk_tui.domain.evidence import GROUNDS

    out: dict[str, Any] = {}
    part_type = getattr(model, "WithheldPart", None)
    grounds = list(decide_data.get("grounds") or [])
    parts = list(decide_data.get("withheld_parts") or [])
    if part_type is not None and grounds:
        # The clerk's reasons (--reason) are printed once as the reasons of the decision; only evidence that is
        # specific to a ground goes with the part it covers.
        detail_of = {
            "state_secret": decide_data.get("secret_marking", ""),
            "internal_affairs": decide_data.get("kind_of_info", ""),
            "process_info": decide_data.get("kind_of_info", ""),
            "enforcement_file": decide_data.get("kind_of_info", ""),
            "not_this_agency": decide_data.get("responsible_agency", ""),
        }
        entries = []
        for i, code in enumerate(grounds):
            g = GROUNDS[code]
            part = parts[i] if i < len(parts) else ""
            entries.append(part_type(part=part, ground=code, citation=g.citation, statement=g.statement,
                                     detail=detail_of.get(code, "")))
        out["withheld"] = tuple(entries)
    search_type = getattr(model, "SearchRecord", None)
    if search_type is not None and decide_data.get("searches"):
        out["searches"] = tuple(
            search_type(scope=x["scope"], terms=x["terms"], by=x["by"], on=_d(x.get("on")))
            for x in decide_data["searches"]
        )
    return out


def reply_problems(ctx: ServiceContext, s: Session, case: Case) -> list[str]:
    """Why the reply of the decision on record could not be made, as the letter-making itself would say — checked
    at submit so that nothing found only when the signed reply is made can stop it after both reviews and the
    head's signature. Once the agency is set up (it has its full name), that includes every setting of the
    agency the reply needs: the reconsideration body and court, and the internet channel for a reply served
    electronically (复议法 Art. 22(2)). An agency not set up at all cannot issue anything yet (issuing refuses
    and names the settings); its cases are checked with stand-in settings and `agency_not_set_up` warns."""
    from dataclasses import replace

    from zwgk_tui.documents.render import completeness_problems

    outcome = case.proposed_outcome
    if not outcome:
        return []
    entry = resolve_kind("reply", outcome)
    data = document_input(ctx, s, case, entry.code, "", ctx.today())
    if agency_not_set_up(case.agency):
        stand_in = replace(data.agency, name=data.agency.name or PLACEHOLDER_AGENCY_NAME,
                           reconsideration_body="某县人民政府", court="某县人民法院",
                           reconsideration_online="（网上申请渠道）")
        data = replace(data, agency=stand_in)
    return completeness_problems(data)


def agency_not_set_up(agency: Agency) -> bool:
    return agency.name.strip() in ("", PLACEHOLDER_AGENCY_NAME)


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")


def _refuse_placeholder_agency(agency: Agency) -> None:
    if agency_not_set_up(agency):
        raise InvalidInput(
            f"本机关（{agency.code}）尚未设置机关全称，文书不能以“{PLACEHOLDER_AGENCY_NAME}”的名义出具。请先设置："
            f"zwgk-tui agency set {agency.code} --name 机关全称 --short-name 简称 --reconsideration-body 复议机关 "
            "--court 人民法院（终端界面：Ctrl+P → 机关设置）"
        )


def issue(ctx: ServiceContext, number: str, kind: str, output: str | None = None, agency_code: str | None = None,
          *, new: bool = False, on: date | str | None = None, draft: bool = False,
          force: bool = False) -> dict[str, Any]:
    if kind not in REQUESTABLE:
        raise InvalidInput(f"未知的文书种类“{kind}”，可选："
                           + "、".join(f"{k}（{KINDS[k].title}）" if k in KINDS else k for k in REQUESTABLE))
    today = ctx.today()
    if isinstance(on, str):
        from zwgk_tui.domain.validation import ValidationError, parse_date

        try:
            on = parse_date(on, "--on 成文日期")
        except ValidationError as exc:
            raise InvalidInput(exc.message if hasattr(exc, "message") else str(exc)) from exc
    if on is not None and on > today:
        raise InvalidInput(f"成文日期 {on.isoformat()} 晚于今天 {today.isoformat()}：文书不能预先出具")
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        case = find_case(ctx, s, number, agency_code)
        ctx.require_case_access(actor, case)
        outcome = case.outcome or case.proposed_outcome
        if kind in ("reply", "third_party_decision") and not outcome:
            raise InvalidInput(f"案件 {case.number} 尚未拟定办理结果，不能生成答复书"
                               f"（先执行 case act {case.number} decide --outcome …）")
        entry = resolve_kind(kind, outcome)
        events = repo.events_of(s, case.id)
        dates = effective_dates(events)
        warnings: list[str] = []
        if draft:
            # A draft is for review: what would keep the document from going out is reported, not refused.
            warnings.extend(document_problems(case, entry.code, events))
            data = document_input(ctx, s, case, entry.code, "", None, draft=True)
            content, problems = _render_draft(case, data)
            warnings.extend(problems)
            name = f"{_safe_name(case.number)}-{entry.title}-草稿.docx"
            path = _write(ctx, output, name, content, force)
            return {"path": str(path), "kind": entry.code, "title": entry.title, "doc_number": "", "sha256": "",
                    "reprint": False, "draft": True, "issued_on": None, "status": "draft", "warnings": warnings}
        authority = _authority(case, kind, events, dates, today)
        issued_on = authority.on or today
        if on is not None:
            if entry.internal or kind not in ("reply", "third_party_decision"):
                if on != issued_on:
                    raise InvalidInput(f"{entry.title}的日期为其步骤的日期 {issued_on.isoformat()}，不能另行指定 --on")
            elif on < issued_on:
                raise InvalidInput(
                    f"成文日期 {on.isoformat()} 早于签发日期 {issued_on.isoformat()}：答复书不能早于签发")
            issued_on = on
        if entry.internal:
            data = document_input(ctx, s, case, entry.code, "", issued_on)
            content = _render(case, data)
            path = _write(ctx, output, f"{_safe_name(case.number)}-{entry.title}.docx", content, force)
            return {"path": str(path), "kind": entry.code, "title": entry.title, "doc_number": "",
                    "sha256": hashlib.sha256(content).hexdigest(), "reprint": False, "draft": False,
                    "issued_on": issued_on.isoformat(), "status": "internal", "warnings": warnings}
        event_id = authority.event.id if authority.event else None
        valid = [d for d in repo.documents_of(s, case.id)
                 if d.kind == entry.code and d.status == "issued" and d.event_id == event_id]
        if valid:
            doc = valid[-1]
            if doc.origin == "external":
                raise InvalidInput("本次决定的答复书已在本系统外制作"
                                   f"（{doc.doc_number}，{doc.issued_on.isoformat()}），本系统没有其文件，不能重印")
            if on is not None and on != doc.issued_on:
                raise InvalidInput(f"{entry.title}已于 {doc.issued_on.isoformat()} 出具（{doc.doc_number}），"
                                   "重印不能改变成文日期")
            if new:
                raise InvalidInput(
                    f"{entry.title}（{doc.doc_number or '无文号'}）已出具且仍然有效，不能重新出具。"
                    "办理结果需要改变的，请先退回（return）重新拟定并签发，原答复书将作废"
                )
            path = _write(ctx, output, doc.file_name, doc.content, force)
            return _info(path, entry.title, doc, reprint=True, warnings=warnings)
        problems = document_problems(case, entry.code, events)
        if problems:
            raise InvalidInput("；".join(problems) + "。如需审核用稿，请加 --draft 生成草稿")
        _refuse_placeholder_agency(case.agency)
        if case.due_provisional and kind in ("receipt", "extension_notice", "reply"):
            warnings.append("答复期限为暂定日期（该年度国务院节假日安排尚未导入），请核对后再发出")
        doc_number = ""
        if kind not in UNNUMBERED_KINDS:
            doc_number = _free_doc_number(s, case.agency, issued_on.year)
        data = document_input(ctx, s, case, entry.code, doc_number, issued_on)
        content = _render(case, data)
        file_name = (f"{_safe_name(case.number)}-{entry.title}"
                     + (f"-{_safe_name(doc_number)}" if doc_number else "") + ".docx")
        doc = IssuedDocument(case_id=case.id, kind=entry.code, doc_number=doc_number, issued_on=issued_on,
                             at=now_in_china(), actor=actor.name, file_name=file_name,
                             sha256=hashlib.sha256(content).hexdigest(), content=content, event_id=event_id,
                             status="issued", origin="tool")
        s.add(doc)
        s.flush()
        path = _write(ctx, output, doc.file_name, content, force)
        return _info(path, entry.title, doc, reprint=False, warnings=warnings)


def _free_doc_number(s: Session, agency: Agency, year: int) -> str:
    """The agency's next 文号 in its own format. A number already taken — by a reply made outside the tool and
    recorded at delivery, or by a ledger import, both written by hand in the same format — is skipped: a 文号
    names one document of the agency."""
    short = agency.short_name or agency.name
    for _ in range(10_000):
        seq = repo.next_seq(s, DocCounter, agency.id, year)
        number = agency.doc_number_format.format(short=short, year=year, seq=seq, code=agency.code)
        if not repo.doc_numbers_used(s, agency.id, [number]):
            return number
    raise InvalidInput(f"{year} 年的文号已无可用编号（文号格式：{agency.doc_number_format}）")


def render_internal(ctx: ServiceContext, s: Session, case: Case, kind: str) -> bytes:
    """An internal form (registration form, review sheet) as it reads now, dated by its rule."""
    events = repo.events_of(s, case.id)
    authority = _authority(case, kind, events, effective_dates(events), ctx.today())
    return _render(case, document_input(ctx, s, case, kind, "", authority.on or ctx.today()))


def _info(path: Path, title: str, doc: IssuedDocument, *, reprint: bool, warnings: list[str]) -> dict[str, Any]:
    return {"path": str(path), "kind": doc.kind, "title": title, "doc_number": doc.doc_number, "sha256": doc.sha256,
            "reprint": reprint, "draft": False, "issued_on": doc.issued_on.isoformat(), "status": doc.status,
            "warnings": warnings}


def _render(case: Case, data: DocumentInput) -> bytes:
    override = Path(case.agency.template_dir).expanduser() if case.agency.template_dir else None
    try:
        return render_document(data, override)
    except DocumentError as exc:
        raise InvalidInput(str(exc)) from exc


def _render_draft(case: Case, data: DocumentInput) -> tuple[bytes, list[str]]:
    override = Path(case.agency.template_dir).expanduser() if case.agency.template_dir else None
    try:
        return render_draft(data, override)
    except DocumentError as exc:
        raise InvalidInput(str(exc)) from exc


def _write(ctx: ServiceContext, output: str | None, default_name: str, content: bytes, force: bool) -> Path:
    # Refused paths raise inside the caller's transaction: no document number is used, nothing is stored.
    path = output_path(ctx, output, default_name, force=force, content=content)
    try:
        write_atomically(path, content)
    except DocumentError as exc:
        raise InvalidInput(str(exc)) from exc
    return path


def check(ctx: ServiceContext, path: str | None, agency_code: str | None = None) -> dict[str, list[str]]:
    """Problems per template file: the packaged defaults, an agency's folder, or one file."""
    if path:
        p = Path(path).expanduser()
        if not p.exists():
            raise InvalidInput(f"找不到模板“{path}”")
        files = sorted(p.glob("*.docx")) if p.is_dir() else [p]
    else:
        files = sorted(default_template_dir().glob("*.docx"))
    return {str(f): check_template(f) for f in files}
