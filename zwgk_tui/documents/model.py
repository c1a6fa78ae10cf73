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
class DocumentInput:
    kind: str
    doc_number: str  # the agency's 文号 for this document, e.g. "某县住建依公开〔2025〕3号"
    issued_on: date
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
    consult_sent_on: date | None = None
    consult_due: date | None = None
    third_party_view: str = ""
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
    draft: bool = False  # a draft: marked 草稿, no 文号, never recorded as issued
    correction_days: int = 0  # the correction period in working days from the applicant's receipt
