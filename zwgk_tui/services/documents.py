"""Issuing documents: fill the agency's template from the case, keep the exact file with the case.

A document once issued is stored (bytes + SHA-256); asking for the same kind again reprints those bytes, even if
the template changed since — the applicant holds that document. `--new` issues a fresh one (e.g. after a reopen).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.documents.kinds import KINDS, resolve_kind
from zwgk_tui.documents.model import AgencyInfo, ApplicantInfo, DocumentInput, ReviewOpinion
from zwgk_tui.documents.render import (
    DocumentError,
    check_template,
    default_template_dir,
    render_document,
    write_atomically,
)
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Case, DocCounter, Event, IssuedDocument
from zwgk_tui.services.cases import find_case
from zwgk_tui.services.clockbridge import deadline_for, effective_dates
from zwgk_tui.services.context import ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput
from zwgk_tui.services.outputs import output_path

REQUESTABLE = tuple(dict.fromkeys(("reply", *sorted(k for k in KINDS if not k.startswith("reply_")))))


def _last(events: list[Event], action: str) -> Event | None:
    return next((e for e in reversed(events) if e.action == action), None)


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def document_input(ctx: ServiceContext, s: Session, case: Case, kind: str, doc_number: str,
                   issued_on: date) -> DocumentInput:
    events = repo.events_of(s, case.id)
    dates = effective_dates(events)
    agency, ap = case.agency, case.applicant
    dl = deadline_for(case, events, ctx.calendar(s), issued_on, fee_pauses_clock=agency.fee_pauses_clock,
                      due_soon_days=agency.due_soon_days, explain=False)
    decide = _last(events, "decide")
    decide_data = decide.data if decide else {}
    corr_req, corr_rec = _last(events, "request-correction"), _last(events, "correction-received")
    extend, delay, consult = _last(events, "extend"), _last(events, "delay"), _last(events, "consult")
    fees = repo.fee_notices_of(s, case.id)
    fee = fees[-1] if fees else None
    fee_event = _last(events, "fee-notice")
    reviews = []
    for e in events:
        if e.action in ("approve", "return") and e.data.get("review"):
            reviews.append(ReviewOpinion(step=e.data["review"], by=e.actor, on=dates[e.id],
                                         opinion=e.data.get("opinion") or e.comment or ("同意" if e.action == "approve" else "退回")))
        elif e.action == "sign":
            reviews.append(ReviewOpinion(step="sign_off", by=e.actor, on=dates[e.id], opinion=e.comment or "同意签发"))
    outcome = case.outcome or case.proposed_outcome
    base_due = None
    if dl.due is not None and dl.extension_days:
        base_due = ctx.calendar(s).nth_working_day_after(dl.clock_start, dl.rules.reply_days)  # before extension
    return DocumentInput(
        kind=kind,
        doc_number=doc_number,
        issued_on=issued_on,
        agency=AgencyInfo(code=agency.code, name=agency.name, address=agency.address, phone=agency.phone,
                          contact=agency.contact, postcode=agency.postcode,
                          reconsideration_body=agency.reconsideration_body, court=agency.court, email=agency.email),
        applicant=ApplicantInfo(name=ap.name, type=case.applicant_type, id_number=ap.id_number, phone=ap.phone,
                                email=ap.email, address=ap.address, postcode=ap.postcode),
        case_number=case.number,
        received_on=dl.received,
        channel=case.channel,
        content=case.content,
        form_requested=case.form_requested,
        delivery=case.delivery,
        corrected_on=dates[corr_rec.id] if corr_rec else None,
        outcome=outcome,
        reason=case.decision_reason,
        provided_part=decide_data.get("provided_part", ""),
        withheld_part=decide_data.get("withheld_part", ""),
        responsible_agency=decide_data.get("responsible_agency", ""),
        responsible_contact=decide_data.get("responsible_contact", ""),
        provision_method=decide_data.get("provision_method", ""),
        correction_items=corr_req.data.get("items", "") if corr_req else "",
        correct_by=_d(corr_req.data.get("correct_by")) if corr_req else None,
        due_date=base_due or dl.due,
        extended_due=dl.due if extend else None,
        extension_days=int(extend.data.get("days", 0)) if extend else 0,
        extension_reason=extend.data.get("reason", "") if extend else "",
        delay_until=_d(delay.data.get("until")) if delay else None,
        delay_reason=delay.data.get("reason", "") if delay else "",
        consult_to=consult.data.get("to", "") if consult else "",
        consult_sent_on=dates[consult.id] if consult else None,
        consult_due=_d(consult.data.get("answer_due")) if consult else None,
        fee_method=fee.method if fee else "",
        fee_quantity=fee.quantity if fee else 0,
        fee_amount=fee.amount if fee else 0,
        fee_breakdown=tuple(fee_event.data.get("breakdown", [])) if fee_event else (),
        fee_payment_due=fee.payment_due if fee else None,
        fee_payment_route=agency.fee_payment_route,
        reviews=tuple(reviews),
        drafter=case.submitted_by or (events[0].actor if events else ""),
        not_this_agency=bool(decide_data.get("responsible_agency")) and outcome == "unavailable_not_held",
    )


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")


def issue(ctx: ServiceContext, number: str, kind: str, output: str | None = None, agency_code: str | None = None,
          *, new: bool = False, on: date | None = None, force: bool = False) -> dict[str, Any]:
    if kind not in REQUESTABLE:
        raise InvalidInput(f"未知的文书种类“{kind}”，可选：" + "、".join(f"{k}（{KINDS[k].title}）" if k in KINDS else k for k in REQUESTABLE))
    issued_on = on or ctx.today()
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        case = find_case(ctx, s, number, agency_code)
        ctx.require_case_access(actor, case)
        outcome = case.outcome or case.proposed_outcome
        if kind == "reply" and not outcome:
            raise InvalidInput(f"案件 {case.number} 尚未拟定办理结果，不能生成答复书（先执行 case act {case.number} decide --outcome …）")
        entry = resolve_kind(kind, outcome)
        previous = [d for d in repo.documents_of(s, case.id) if d.kind == entry.code]
        warnings: list[str] = []
        if previous and not new:
            doc = previous[-1]
            content, reprint = doc.content, True
        else:
            if case.due_provisional and kind in ("receipt", "extension_notice", "reply"):
                warnings.append("答复期限为暂定日期（该年度国务院节假日安排尚未导入），请核对后再发出")
            doc_number = ""
            if not entry.internal:
                seq = repo.next_seq(s, DocCounter, case.agency_id, issued_on.year)
                short = case.agency.short_name or case.agency.name
                doc_number = case.agency.doc_number_format.format(short=short, year=issued_on.year, seq=seq,
                                                                   code=case.agency.code)
            data = document_input(ctx, s, case, entry.code, doc_number, issued_on)
            override = Path(case.agency.template_dir).expanduser() if case.agency.template_dir else None
            try:
                content = render_document(data, override)
            except DocumentError as exc:
                raise InvalidInput(str(exc)) from exc
            file_name = f"{_safe_name(case.number)}-{entry.title}.docx"
            doc = IssuedDocument(case_id=case.id, kind=entry.code, doc_number=doc_number, issued_on=issued_on,
                                 at=now_in_china(), actor=actor.name, file_name=file_name,
                                 sha256=hashlib.sha256(content).hexdigest(), content=content)
            s.add(doc)
            s.flush()
            reprint = False
        # Refused paths raise inside the transaction: no document number is used, nothing is stored.
        path = output_path(ctx, output, doc.file_name, force=force, content=content)
        try:
            write_atomically(path, content)
        except DocumentError as exc:
            raise InvalidInput(str(exc)) from exc
        return {"path": str(path), "kind": entry.code, "title": entry.title, "doc_number": doc.doc_number,
                "sha256": doc.sha256, "reprint": reprint, "issued_on": doc.issued_on.isoformat(), "warnings": warnings}


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
