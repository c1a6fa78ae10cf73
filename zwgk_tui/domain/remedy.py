"""The remedy clause (救济途径告知) of replies and notices: a table, outcome by outcome, with its citation.

Law (spec 09, checked against the published texts):
- 复议法 (2023 revision, in force 2024-01-01) Art. 23(1)(四) and (2): when an agency refuses disclosure the
  applicant must seek reconsideration before a suit, and the decision must say so. SPC 2025 (法释〔2025〕8号)
  Art. 1(二) and the Court's release: this means refusals under Arts. 14, 15, 16 of the Regulations only.
- SPC 2025 Art. 1(一): 无法提供 and 不予处理 are heard by the courts in general; Art. 10 lists what the courts do
  not hear at all (procedural notices, a fee decision on its own, repeat requests, 36(七), Art. 38, Art. 39,
  publications): for those the reply offers reconsideration only, never a suit.
- 复议法 Art. 20: reconsideration within 60 days; 行政诉讼法 Art. 46: suit within 6 months.
- 复议法 Art. 22(2): a decision served over the internet must also give an internet channel for filing the
  reconsideration application.
- 复议法 Arts. 24, 27, 28: who hears the reconsideration, by the kind of agency (``BODY_RULES``).

The table is data (``REMEDY_RULES``); an agency changes it with its ``remedy_overrides`` setting
("subject=clause; …") and its ``fee_notice_remedy`` setting, never by editing code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .codes import OUTCOMES
from .grounds import ARTS_14_16_GROUNDS


class Clause(StrEnum):
    RECONSIDERATION_FIRST = "reconsideration_first"  # 复议前置
    GENERAL = "general"  # 复议或者诉讼
    RECONSIDERATION_ONLY = "reconsideration_only"  # 仅告知复议
    NONE = "none"  # 不告知救济途径


CLAUSE_LABELS: dict[str, str] = {
    "reconsideration_first": "复议前置（先复议，对复议决定不服再诉讼）",
    "general": "可以复议，也可以诉讼",
    "reconsideration_only": "只告知申请行政复议（法院不受理）",
    "none": "不告知救济途径",
}


@dataclass(frozen=True)
class RemedyRule:
    clause: Clause
    basis: str  # the citation the choice rests on


FUYI = "《中华人民共和国行政复议法》"
SPC_2025 = "法释〔2025〕8号"
_FIRST = FUYI + "第二十三条第一款第（四）项、第二款；" + SPC_2025 + "第一条第（二）项"
_GENERAL_REPLY = FUYI + "第二十条；《中华人民共和国行政诉讼法》第四十六条；" + SPC_2025 + "第一条第（一）项"
_GENERAL = FUYI + "第二十条；《中华人民共和国行政诉讼法》第四十六条"
_NOT_HEARD = FUYI + "第二十条；" + SPC_2025 + "第十条"

# The subject key of a partial disclosure whose withheld part rests on Arts. 14–16.
PARTIAL_ARTS_14_16 = "partially_disclosed_arts_14_16"

_WITHHELD_14_16 = (
    "withheld_state_secret",
    "withheld_law_prohibited",
    "withheld_security_stability",
    "withheld_third_party",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_file",
)
_NOT_HEARD_OUTCOMES = (
    "not_processed_duplicate",  # repeat request (36(六))
    "withheld_inquiry_matter",  # 36(七) 工商、不动产登记资料
    "unavailable_needs_creation",  # Art. 38
    "not_processed_petition",  # Art. 39(1)
    "not_processed_publication",  # Art. 39(2)
)
_PROCEDURAL_KINDS = (
    "receipt",
    "service_receipt",
    "correction_notice",
    "explanation_request",
    "extension_notice",
    "delay_notice",
    "third_party_consultation",
    "agency_consultation",
)

# Subject (outcome code, PARTIAL_ARTS_14_16, or a notice kind) -> the clause and its basis.
REMEDY_RULES: dict[str, RemedyRule] = {
    **{o: RemedyRule(Clause.RECONSIDERATION_FIRST, _FIRST) for o in _WITHHELD_14_16},
    PARTIAL_ARTS_14_16: RemedyRule(Clause.RECONSIDERATION_FIRST, _FIRST),
    **{o: RemedyRule(Clause.RECONSIDERATION_ONLY, _NOT_HEARD) for o in _NOT_HEARD_OUTCOMES},
    **{
        o: RemedyRule(Clause.GENERAL, _GENERAL_REPLY)
        for o in OUTCOMES
        if o not in _WITHHELD_14_16 and o not in _NOT_HEARD_OUTCOMES
    },
    **{k: RemedyRule(Clause.NONE, SPC_2025 + "第十条第（二）项（程序性告知）") for k in _PROCEDURAL_KINDS},
    "fee_notice": RemedyRule(Clause.NONE, SPC_2025 + "第十条第（三）项（单独就收费提起诉讼的，不予受理）"),
    # The decision to disclose over the third party's objection is an act against the third party (反信息公开).
    "third_party_decision": RemedyRule(Clause.GENERAL, _GENERAL + "；" + SPC_2025 + "第一条第（四）项"),
}

# How the clause names the act and the document it is in.
SUBJECTS: dict[str, tuple[str, str]] = {
    "reply": ("本答复", "本答复"),
    "fee_notice": ("本通知", "本通知"),
    "third_party_decision": ("本机关的公开决定", "本告知书"),
}

# Fee notice: a suit is never offered (SPC 2025 Art. 10(三)); the agency may add a reconsideration sentence.
FEE_NOTICE_REMEDIES: dict[str, str] = {"none": "不告知（默认）", "reconsideration": "告知可以申请行政复议"}

# Service methods that put the document on the internet (复议法 Art. 22(2)).
ELECTRONIC_SERVICE = frozenset({"email", "online"})


class RemedyError(ValueError):
    """The agency's settings do not allow a lawful remedy clause (message in Chinese, for the clerk)."""


def setting_hint(agency_code: str = "机关代码") -> str:
    """What the clerk runs to fix the settings (appended by callers that know the agency)."""
    return f"请先设置：zwgk-tui agency set {agency_code} --reconsideration-body 复议机关全称 --court 人民法院全称"


def online_hint(agency_code: str = "机关代码") -> str:
    return (f"请先设置：zwgk-tui agency set {agency_code} "
            "--reconsideration-online 网上申请行政复议的渠道（网址或平台名称）")


# --- the subject of a document ---------------------------------------------------------------------------


def remedy_subject(kind: str, outcome: str | None, withheld_grounds: Iterable[str] = ()) -> str:
    """The key of REMEDY_RULES for a document: the outcome for a reply (a partial disclosure resting on
    Arts. 14–16 has its own key), the kind for a notice."""
    if kind == "reply" or kind.startswith("reply_"):
        outcome = outcome or ""
        if outcome == "partially_disclosed":
            grounds = set(withheld_grounds)
            # No structured grounds on record (a decision made before grounds were recorded): the withheld part
            # of a partial disclosure is almost always personal or business information (Art. 15), so keep the
            # reconsideration-first wording these replies always had.
            if not grounds or grounds & ARTS_14_16_GROUNDS:
                return PARTIAL_ARTS_14_16
        return outcome
    return kind


# --- settings ---------------------------------------------------------------------------------------------


def parse_overrides(text: str) -> dict[str, Clause]:
    """The agency's rule setting "subject=clause; subject=clause" (also one per line or comma-separated).

    Subjects are the keys of REMEDY_RULES except ``fee_notice`` (its own setting, never a suit)."""
    result: dict[str, Clause] = {}
    for item in re.split(r"[;；,，\n]+", text or ""):
        item = item.strip()
        if not item:
            continue
        subject, sep, clause = (part.strip() for part in item.replace("＝", "=").partition("="))
        if not sep or not subject or not clause:
            raise RemedyError(f"救济告知规则“{item}”应写作 结果代码=告知方式，如 not_processed_duplicate=general")
        if subject == "fee_notice":
            raise RemedyError("收费通知书的救济告知请用 --fee-notice-remedy none|reconsideration 设置（不告知诉讼）")
        if subject not in REMEDY_RULES:
            raise RemedyError(
                f"救济告知规则中的“{subject}”不是处理结果代码或文书种类。可用："
                + "、".join(k for k in REMEDY_RULES if k != "fee_notice")
            )
        if clause not in CLAUSE_LABELS:
            raise RemedyError(
                f"救济告知方式“{clause}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in CLAUSE_LABELS.items())
            )
        result[subject] = Clause(clause)
    return result


def format_overrides(overrides: Mapping[str, Clause]) -> str:
    return "; ".join(f"{subject}={clause.value}" for subject, clause in overrides.items())


def override_warnings(overrides: Mapping[str, Clause]) -> list[str]:
    """One line per override that departs from the table of spec 09 (the agency may have a reason; say so)."""
    warnings = []
    for subject, clause in overrides.items():
        rule = REMEDY_RULES[subject]
        if clause != rule.clause:
            warnings.append(
                f"救济告知规则：{subject} 改为“{CLAUSE_LABELS[clause]}”，默认为“{CLAUSE_LABELS[rule.clause]}”"
                f"（依据：{rule.basis}）。请确认有依据。"
            )
    return warnings


def check_fee_notice_remedy(value: str) -> str:
    value = (value or "").strip()
    if value not in FEE_NOTICE_REMEDIES:
        raise RemedyError(
            f"收费通知书救济告知“{value}”无效，可选："
            + "、".join(f"{k}（{v}）" for k, v in FEE_NOTICE_REMEDIES.items())
            + "。法院不受理单独就收费提起的诉讼（法释〔2025〕8号第十条第（三）项），故不提供诉讼选项。"
        )
    return value


def effective_rule(subject: str, overrides: Mapping[str, Clause] | None = None,
                   fee_notice_remedy: str = "none") -> RemedyRule:
    """The rule that applies to ``subject`` under the agency's settings."""
    rule = REMEDY_RULES.get(subject)
    if rule is None:
        raise RemedyError(f"未知的处理结果或文书种类：{subject}")
    if subject == "fee_notice":
        if fee_notice_remedy == "reconsideration":
            return RemedyRule(Clause.RECONSIDERATION_ONLY, rule.basis + "；机关设置：告知可以申请行政复议")
        return rule
    if overrides and subject in overrides:
        return RemedyRule(overrides[subject], rule.basis + "；机关设置已调整")
    return rule


# --- the bodies -------------------------------------------------------------------------------------------

# Generic phrases that only an outdated template would use instead of naming the body.
_OBSOLETE_BODY_PHRASES = ("上级主管部门", "上一级主管部门", "或者")
_GENERIC_BODIES = frozenset({"本级人民政府", "同级人民政府", "人民政府", "上级机关"})


def check_body(body: str) -> str:
    """One named reconsideration body (refused: empty, obsolete "上级主管部门或者本级人民政府", generic)."""
    body = body.strip()
    if not body:
        raise RemedyError("本机关尚未设置行政复议机关，无法写出救济途径。")
    for phrase in _OBSOLETE_BODY_PHRASES:
        if phrase in body:
            raise RemedyError(
                f"行政复议机关“{body}”不是一个具体机关（含“{phrase}”）。自2024年1月1日起应写明唯一的"
                "复议机关全称，例如“某县人民政府”；司法行政部门的两个复议机关（行政复议法第二十八条）请用 "
                "--second-reconsideration-body 设置第二个。"
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


AGENCY_KINDS: dict[str, str] = {
    "department": "县级以上地方人民政府工作部门",
    "government": "地方人民政府（含乡镇人民政府）",
    "vertical": "实行垂直领导的机关（海关、金融、外汇管理、税务、国家安全等）",
    "justice_bureau": "履行行政复议机构职责的司法行政部门",
    "dispatched": "人民政府的派出机关或者工作部门的派出机构",
}


@dataclass(frozen=True)
class BodyRule:
    expects: str  # what the body should be, for the warning
    basis: str
    government: bool  # the body is a people's government


BODY_RULES: dict[str, BodyRule] = {
    "department": BodyRule("本级人民政府", FUYI + "第二十四条第一款第（一）项", True),
    "government": BodyRule("上一级地方人民政府", FUYI + "第二十四条第一款第（二）项", True),
    "dispatched": BodyRule("设立该派出机关（机构）的人民政府", FUYI + "第二十四条", True),
    "vertical": BodyRule("上一级主管部门", FUYI + "第二十七条", False),
    "justice_bureau": BodyRule("本级人民政府（也可以是上一级司法行政部门）", FUYI + "第二十八条", True),
}


def check_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if kind not in AGENCY_KINDS:
        raise RemedyError(
            f"机关类型“{kind}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in AGENCY_KINDS.items())
        )
    return kind


def body_warnings(kind: str, agency_name: str, body: str, second_body: str = "") -> list[str]:
    """Warnings (never refusals) when the named bodies do not fit spec 09 for this kind of agency."""
    rule = BODY_RULES.get(kind)
    body = (body or "").strip()
    if rule is None or not body:
        return []
    warnings = []
    is_government = "人民政府" in body
    if rule.government and not is_government:
        warnings.append(
            f"行政复议机关“{body}”不是人民政府：本机关类型为{AGENCY_KINDS[kind]}，复议机关应为{rule.expects}"
            f"（{rule.basis}）。自2024年1月1日起，县级以上地方人民政府工作部门的复议机关是本级人民政府，"
            "不再是上一级主管部门。"
        )
    elif not rule.government and is_government:
        warnings.append(
            f"行政复议机关“{body}”是人民政府：本机关类型为{AGENCY_KINDS[kind]}，复议机关应为{rule.expects}"
            f"（{rule.basis}）。"
        )
    if kind == "government" and body == (agency_name or "").strip():
        warnings.append(f"行政复议机关不能是本机关自己（{body}），应为上一级地方人民政府（{rule.basis}）。")
    if kind == "justice_bureau":
        second = (second_body or "").strip()
        if not second:
            warnings.append(
                "司法行政部门的行政行为，申请人也可以向上一级司法行政部门申请复议（行政复议法第二十八条）："
                "可用 --second-reconsideration-body 设置第二个复议机关。"
            )
        elif "司法" not in second:
            warnings.append(f"第二个行政复议机关“{second}”应为上一级司法行政部门（行政复议法第二十八条）。")
    return warnings


# --- the clause -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedySettings:
    reconsideration_body: str
    court: str
    second_body: str = ""  # justice bureaus only (复议法 Art. 28)
    online: str = ""  # internet channel for filing reconsideration (复议法 Art. 22(2))
    fee_notice_remedy: str = "none"
    overrides: Mapping[str, Clause] = field(default_factory=dict)


def remedy_text(subject: str, settings: RemedySettings, *, document: str = "reply",
                electronic: bool = False) -> str:
    """The remedy sentence(s) for ``subject`` ("" when the rule says none).

    ``document`` picks how the act is named (SUBJECTS); ``electronic`` = served by e-mail or online, which
    requires the internet channel (RemedyError names what is missing)."""
    rule = effective_rule(subject, settings.overrides, settings.fee_notice_remedy)
    if rule.clause is Clause.NONE:
        return ""
    act, doc = SUBJECTS.get(document, SUBJECTS["reply"])
    body = check_body(settings.reconsideration_body)
    if settings.second_body.strip():
        body = f"{body}或者{check_body(settings.second_body)}"
    if rule.clause is Clause.RECONSIDERATION_FIRST:
        text = (
            f"如对{act}不服，应当先自收到{doc}之日起60日内向{body}申请行政复议；"
            "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
        )
    elif rule.clause is Clause.RECONSIDERATION_ONLY:
        text = f"如对{act}不服，可以自收到{doc}之日起60日内向{body}申请行政复议。"
    else:
        court = _check_court(settings.court)
        text = (
            f"如对{act}不服，可以自收到{doc}之日起60日内向{body}申请行政复议，"
            f"也可以自收到{doc}之日起6个月内向{court}提起行政诉讼。"
        )
    if electronic:
        online = settings.online.strip()
        if not online:
            raise RemedyError(
                "本文书以电子方式送达，须同时告知提交行政复议申请的互联网渠道（行政复议法第二十二条第二款），"
                "本机关尚未设置（reconsideration_online）。"
            )
        text += f"行政复议申请也可以通过互联网提交（{online}）。"
    return text


def remedy_clause(outcome: str, reconsideration_body: str, court: str) -> str:
    """The remedy sentence of a reply with this outcome under the default table (no agency overrides)."""
    return remedy_text(remedy_subject("reply", outcome), RemedySettings(reconsideration_body, court))
