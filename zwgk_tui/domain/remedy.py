"""The remedy clause (救济途径告知) of replies and notices, built from the agency's settings.

Law (spec 01, 05):
- 行政复议法 (2023 revision, in force 2024-01-01) Art. 20: reconsideration within 60 days; Art. 24: the body is
  named by the agency's settings (the people's government at the same level for most county departments —
  the old choice "上级主管部门或者本级人民政府" is gone, so it is never offered here).
- 行政复议法 Art. 23(四): for 不予公开 reconsideration comes first; the spec treats partial disclosure the same
  (``RECONSIDERATION_FIRST_OUTCOMES`` in codes.py, kept as data).
- 行政诉讼法 Art. 46: suit within 6 months (not the obsolete 3 months).

Which documents carry a clause (``KINDS_WITH_REMEDY``): every reply (each one decides the application), and the
two notices that themselves decide something against the person they are sent to:
- ``fee_notice``: it imposes a payment and, if unpaid within 20 working days, ends the application
  (国办函〔2020〕109号); a notice that binds the applicant this way is contestable on its own, and stating the
  remedy starts the 60-day period instead of leaving it open for up to one year (复议法 Art. 20 ¶2).
- ``third_party_decision``: the decision to disclose over the third party's objection (条例 Art. 32) is an act
  against the third party, who may seek reconsideration or sue (反信息公开).
Procedural notices (receipt, correction, explanation request, extension, delay, consultations, review sheet,
registration form) decide nothing final; a clause there would suggest a remedy against a step that is not
separately contestable, so they carry none.
"""

from __future__ import annotations

from .codes import RECONSIDERATION_FIRST_OUTCOMES

# Notices (not replies) that carry a remedy clause; the subject is how the clause names the act.
KINDS_WITH_REMEDY: dict[str, str] = {
    "fee_notice": "本通知",
    "third_party_decision": "本机关的公开决定",
}

# Generic phrases that only an outdated template would use instead of naming the body.
_OBSOLETE_BODY_PHRASES = ("上级主管部门", "上一级主管部门", "或者")
_GENERIC_BODIES = frozenset({"本级人民政府", "同级人民政府", "人民政府", "上级机关"})


class RemedyError(ValueError):
    """The agency's settings do not allow a lawful remedy clause (message in Chinese, for the clerk)."""


def setting_hint(agency_code: str = "机关代码") -> str:
    """What the clerk runs to fix the settings (appended by callers that know the agency)."""
    return f"请先设置：zwgk-tui agency set {agency_code} --reconsideration-body 复议机关全称 --court 人民法院全称"


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise RemedyError("本机关尚未设置行政复议机关，无法写出救济途径。")
    for phrase in _OBSOLETE_BODY_PHRASES:
        if phrase in body:
            raise RemedyError(
                f"行政复议机关“{body}”不是一个具体机关（含“{phrase}”）。自2024年1月1日起应写明唯一的"
                "复议机关全称，例如“某县人民政府”。"
            )
    if body in _GENERIC_BODIES:
        raise RemedyError(f"行政复议机关“{body}”没有写明具体机关，应写全称，例如“某县人民政府”。")
    return body


def _check_court(court: str) -> str:
    court = court.strip()
    if not court:
        raise RemedyError("本机关尚未设置管辖的人民法院，无法写出救济途径。")
    if "法院" not in court:
        raise RemedyError(f"管辖法院“{court}”应为人民法院全称，例如“某县人民法院”。")
    return court


def reconsideration_first(outcome: str) -> bool:
    """True when the reply must say reconsideration comes before suit (行政复议法 Art. 23(四))."""
    return outcome in RECONSIDERATION_FIRST_OUTCOMES


def remedy_clause(outcome: str, reconsideration_body: str, court: str, subject: str = "本答复") -> str:
    """The remedy sentence of a reply with this outcome.

    ``subject`` names the act ("本答复"; notices pass their own, e.g. "本收费通知"). The court is needed only
    for the general wording; reconsideration-first points to 人民法院 after the reconsideration decision.
    """
    body = _check_body(reconsideration_body)
    if reconsideration_first(outcome):
        return (
            f"如对{subject}不服，应当先自收到{subject}之日起60日内向{body}申请行政复议；"
            "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
        )
    court_name = _check_court(court)
    return (
        f"如对{subject}不服，可以自收到{subject}之日起60日内向{body}申请行政复议，"
        f"也可以自收到{subject}之日起6个月内向{court_name}提起行政诉讼。"
    )


def notice_remedy_clause(kind: str, reconsideration_body: str, court: str) -> str:
    """The remedy sentence of a notice, or "" for notices that carry none (see the module docstring)."""
    subject = KINDS_WITH_REMEDY.get(kind)
    if subject is None:
        return ""
    # Neither notice withholds information, so the general wording applies.
    body = _check_body(reconsideration_body)
    court_name = _check_court(court)
    if kind == "third_party_decision":
        return (
            f"如对{subject}不服，可以自收到本告知书之日起60日内向{body}申请行政复议，"
            f"也可以自收到本告知书之日起6个月内向{court_name}提起行政诉讼。"
        )
    return (
        f"如对{subject}不服，可以自收到{subject}之日起60日内向{body}申请行政复议，"
        f"也可以自收到{subject}之日起6个月内向{court_name}提起行政诉讼。"
    )
