"""What a document is rendered from. The service layer fills these from the database; nothing here does I/O.

Codes (applicant type, channel, delivery, fee method, outcome, review step) are the codes of domain/codes.py;
the renderer turns them into labels. Free text (content, reasons, items) is printed as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AgencyInfo:
    code: str
    name: str
    address: str = ""
    phone: str = ""
    contact: str = ""
    postcode: str = ""
    reconsideration_body: str = ""  # 行政复议机关, named in the agency's settings
    court: str = ""  # 管辖的人民法院
    email: str = ""
    short_name: str = ""
    kind: str = "department"  # department / government / vertical / justice_bureau / dispatched (复议法 Arts. 24-28)
    letterhead: bool = True  # print the 发文机关标志 (red agency name and separator line, GB/T 9704)
    reconsideration_online: str = ""  # internet channel for filing reconsideration (复议法 Art. 22(2))
    second_reconsideration_body: str = ""  # justice bureaus: the next higher justice bureau (复议法 Art. 28)
    fee_notice_remedy: str = "none"  # none / reconsideration (never a suit: SPC 2025 Art. 10(三))
    remedy_overrides: str = ""  # "subject=clause; …" changes to domain/remedy.py REMEDY_RULES


@dataclass(frozen=True)
class ApplicantInfo:
    name: str
    type: str  # applicant type code (natural_person, business, …)
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    agent: str = ""


@dataclass(frozen=True)
class ReviewOpinion:
    step: str  # office_review / legal_review / sign_off
    by: str
    on: date
    opinion: str


@dataclass(frozen=True)
class WithheldPart:
    """One withheld part (partial disclosure) or the refused information (withheld_*), with its evidence."""

    part: str  # what is withheld, as the reply names it
    ground: str  # code of domain/grounds.py GROUNDS (state_secret, process_info, …)
    citation: str = ""  # exact article/paragraph; "" -> the ground's default citation
    statement: str = ""  # the statutory situation; "" -> the ground's default statement
    detail: str = ""  # the evidence: 密级和保密期限, or the kind of information (讨论记录, 调查笔录 …)


@dataclass(frozen=True)
class SearchRecord:
    """One search behind a 不存在 reply (SPC 2025 Art. 5(六)): where, with what terms, by whom, when."""

    scope: str
    terms: str = ""
    by: str = ""
    on: date | None = None


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    doc_number: str  # the agency's 文号 for this document, e.g. "某县住建依公开〔2025〕3号"
    issued_on: date | None  # 成文日期; None only for a draft (printed "　　年　月　日")
    agency: AgencyInfo
    applicant: ApplicantInfo
    case_number: str
    received_on: date
    channel: str
    content: str
    form_requested: str = ""
    delivery: str = ""
    corrected_on: date | None = None
    outcome: str | None = None
    reason: str = ""  # the clerk's reasons
    articles: str = ""  # articles relied on; empty -> the default citation for the outcome
    provided_part: str = ""  # partial disclosure: what is provided
    withheld_part: str = ""  # partial disclosure: what is withheld
    responsible_agency: str = ""  # Art. 36(五)
    responsible_contact: str = ""
    provision_method: str = ""  # Art. 40: how the information is provided
    correction_items: str = ""
    correct_by: date | None = None
    due_date: date | None = None
    extended_due: date | None = None
    extension_days: int = 0
    extension_reason: str = ""
    delay_until: date | None = None
    delay_reason: str = ""
    consult_to: str = ""
    consult_to_type: str = ""  # natural_person / organisation; "" -> guessed from the name
    consult_sent_on: date | None = None
    consult_due: date | None = None  # None while the date of service is unknown
    third_party_view: str = ""  # agree / disagree / none (older records: free text)
    fee_method: str = ""  # per_request / per_page
    fee_quantity: int = 0
    fee_amount: int = 0  # whole yuan
    fee_breakdown: tuple[str, ...] = ()
    fee_payment_due: date | None = None
    fee_payment_route: str = ""
    reviews: tuple[ReviewOpinion, ...] = ()
    drafter: str = ""
    # Additions to the agreed shape (optional, default off):
    # unavailable_not_held covers both 36(四) (does not exist) and 36(五) (not this agency's to disclose); a
    # named responsible agency implies 36(五), this flag says so when that agency is not known.
    not_this_agency: bool = False
    # disclosed covers 36(一) (already proactively published: say where) and 36(二) (provided now).
    already_published: bool = False
    # Issue 11 (spec 09): drafts, evidence, the other side's periods, service.
    draft: bool = False  # 草稿: marked as such, no 文号, date may be blank
    withheld: tuple[WithheldPart, ...] = ()
    published_where: str = ""  # 36(一): where it was published (implies already_published)
    published_on: date | None = None
    searches: tuple[SearchRecord, ...] = ()
    responsible_unknown_reason: str = ""  # 36(五) when the responsible agency cannot be determined
    public_interest: str = ""  # disclosure over a third party's objection (Art. 15, Art. 32)
    third_party_opinion: str = ""
    earlier_reply_number: str = ""  # not_processed_duplicate: the earlier reply
    earlier_reply_date: date | None = None
    earlier_case_number: str = ""
    explanation_requested_on: date | None = None  # Art. 35 request to explain
    explanation_answer: str = ""
    explanation_lapsed: bool = False
    explanation_days: int = 0
    clarified_content: str = ""  # the request as clarified after 补正
    consult_days: int = 15  # Art. 32 / Art. 34
    fee_payment_days: int = 20  # 国办函〔2020〕109号
    correction_days: int = 0  # the 补正 period in working days when no last day can be computed yet
    service_method: str = ""  # in_person / post / email / online / fax / courier
    # 送达回证: the document it records the service of (the reply in force).
    served_document_title: str = ""
    served_document_number: str = ""
    served_document_date: date | None = None
    served_by: str = ""  # 送达人: the user's name as registered; "" -> a blank for handwriting
    correction_missing: tuple[str, ...] = ()  # codes of kinds.CORRECTION_GROUNDS; () -> not stated
