"""Who an application comes from: one applicant record is one person.

A registration is linked to an existing person only when the identity proves it — the same ID number / 统一社会
信用代码, or, when neither application gives one, the same name with the same phone number. A name alone proves
nothing (two 张三 are two people). The person's record is never overwritten by a later registration: what each
application gave (name as written, contact details, address) is kept on the case itself.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Applicant, Case


def match_applicant(s: Session, name: str, id_number: str, phone: str) -> Applicant | None:
    if id_number:
        return repo.applicant_by_id_number(s, id_number)
    if name and phone:
        return repo.applicant_by_name_and_phone(s, name, phone)
    return None


def applicant_for(s: Session, *, name: str, type_: str, id_number: str, phone: str, email: str, address: str,
                  postcode: str) -> Applicant:
    """The person these particulars identify, or a new record for them."""
    found = match_applicant(s, name, id_number, phone)
    if found is not None:
        return found
    applicant = Applicant(name=name, type=type_, id_number=id_number, phone=phone, email=email, address=address,
                          postcode=postcode)
    s.add(applicant)
    s.flush()
    return applicant


def link_applicant(s: Session, case: Case) -> None:
    """After an amendment of the name, ID or phone: link the case to the person its particulars now identify."""
    applicant = applicant_for(
        s, name=case.applicant_name, type_=case.applicant_type, id_number=case.applicant_id_number,
        phone=case.applicant_phone, email=case.applicant_email, address=case.applicant_address,
        postcode=case.applicant_postcode,
    )
    case.applicant_id = applicant.id


def art29_missing(*, id_number: str, phone: str, email: str, address: str, delivery: str,
                  form_requested: str) -> list[str]:
    """The Art. 29 elements an application lacks (reasons for a correction notice, not refusals)."""
    missing = []
    if not id_number:
        missing.append("身份证明（《条例》第二十九条第二款第一项）")
    if not (phone or email or address.strip()):
        missing.append("联系方式（《条例》第二十九条第二款第一项）")
    if not (delivery or form_requested.strip()):
        missing.append("信息的形式要求、获取方式（《条例》第二十九条第二款第三项）")
    return missing


def missing_elements(case: Case) -> list[str]:
    return art29_missing(id_number=case.applicant_id_number, phone=case.applicant_phone,
                         email=case.applicant_email, address=case.applicant_address, delivery=case.delivery,
                         form_requested=case.form_requested)
