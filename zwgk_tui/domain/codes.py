"""Codes shared by every layer: applicant types, channels, stages, outcomes, roles.

The labels are data (one table each) because the national annual-report format fixes them verbatim and
some punctuation is still to be verified against the gazette (see spec 04).
"""

from __future__ import annotations

from enum import StrEnum


class ApplicantType(StrEnum):
    NATURAL_PERSON = "natural_person"
    BUSINESS = "business"
    RESEARCH = "research"
    NONPROFIT = "nonprofit"
    LEGAL_SERVICE = "legal_service"
    OTHER_ORG = "other_org"


APPLICANT_TYPE_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
}

APPLICANT_TYPE_LONG_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "business": "法人或其他组织·商业企业",
    "research": "法人或其他组织·科研机构",
    "nonprofit": "法人或其他组织·社会公益组织",
    "legal_service": "法人或其他组织·法律服务机构",
    "other_org": "法人或其他组织·其他",
}


class Channel(StrEnum):
    IN_PERSON = "in_person"
    MAIL_REGISTERED = "mail_registered"
    MAIL_ORDINARY = "mail_ordinary"
    ONLINE = "online"
    FAX = "fax"


CHANNEL_LABELS: dict[str, str] = {
    "in_person": "当面提交",
    "mail_registered": "挂号信/邮政快递",
    "mail_ordinary": "平常信函",
    "online": "互联网",
    "fax": "传真",
}

# Art. 31: for these channels the receipt day is the day of confirmation with the applicant.
CHANNELS_NEEDING_CONFIRMATION = frozenset({"mail_ordinary", "online", "fax"})

DELIVERY_METHOD_LABELS: dict[str, str] = {
    "in_person": "当面领取",
    "mail": "邮寄",
    "email": "电子邮件",
    "online": "网上获取",
    "fax": "传真",
}
# `deliver --method post` is the documented spelling of a delivery by post: registration takes it too.
DELIVERY_METHOD_ALIASES: dict[str, str] = {"post": "mail"}


class Stage(StrEnum):
    REGISTERED = "registered"
    CORRECTION_REQUESTED = "correction_requested"
    DRAFTING = "drafting"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    OFFICE_REVIEW = "office_review"
    LEGAL_REVIEW = "legal_review"
    SIGN_OFF = "sign_off"
    DELIVERING = "delivering"
    CLOSED = "closed"


STAGE_LABELS: dict[str, str] = {
    "registered": "已登记",
    "correction_requested": "待补正",
    "drafting": "办理中",
    "consulting": "征求意见中",
    "awaiting_fee": "待缴费",
    "office_review": "政府办审核",
    "legal_review": "法制审核",
    "sign_off": "待签发",
    "delivering": "待送达",
    "closed": "已办结",
}

OPEN_STAGES = frozenset(s.value for s in Stage if s is not Stage.CLOSED)


# Outcome code -> (group label, leaf label) exactly as in the 2021 national format (国办公开办函〔2021〕30号).
OUTCOMES: dict[str, tuple[str, str]] = {
    "disclosed": ("（一）予以公开", "（一）予以公开"),
    "partially_disclosed": (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    "withheld_state_secret": ("（三）不予公开", "1.属于国家秘密"),
    "withheld_law_prohibited": ("（三）不予公开", "2.其他法律行政法规禁止公开"),
    "withheld_security_stability": ("（三）不予公开", "3.危及“三安全一稳定”"),
    "withheld_third_party": ("（三）不予公开", "4.保护第三方合法权益"),
    "withheld_internal_affairs": ("（三）不予公开", "5.属于三类内部事务信息"),
    "withheld_process_info": ("（三）不予公开", "6.属于四类过程性信息"),
    "withheld_enforcement_file": ("（三）不予公开", "7.属于行政执法案卷"),
    "withheld_inquiry_matter": ("（三）不予公开", "8.属于行政查询事项"),
    "unavailable_not_held": ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable_needs_creation": ("（四）无法提供", "2.没有现成信息需要另行制作"),
    "unavailable_unclear": ("（四）无法提供", "3.补正后申请内容仍不明确"),
    "not_processed_petition": ("（五）不予处理", "1.信访举报投诉类申请"),
    "not_processed_duplicate": ("（五）不予处理", "2.重复申请"),
    "not_processed_publication": ("（五）不予处理", "3.要求提供公开出版物"),
    "not_processed_excessive": ("（五）不予处理", "4.无正当理由大量反复申请"),
    "not_processed_confirm_reissue": ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    "other_no_correction": (
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other_fee_unpaid": (
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other_other": ("（六）其他处理", "3.其他"),
}

OUTCOME_CODES: tuple[str, ...] = tuple(OUTCOMES)

# Short labels for screens and lists.
OUTCOME_SHORT_LABELS: dict[str, str] = {
    "disclosed": "予以公开",
    "partially_disclosed": "部分公开",
    "withheld_state_secret": "不予公开·国家秘密",
    "withheld_law_prohibited": "不予公开·法律法规禁止",
    "withheld_security_stability": "不予公开·三安全一稳定",
    "withheld_third_party": "不予公开·第三方权益",
    "withheld_internal_affairs": "不予公开·内部事务",
    "withheld_process_info": "不予公开·过程性信息",
    "withheld_enforcement_file": "不予公开·行政执法案卷",
    "withheld_inquiry_matter": "不予公开·行政查询事项",
    "unavailable_not_held": "无法提供·本机关不掌握",
    "unavailable_needs_creation": "无法提供·需另行制作",
    "unavailable_unclear": "无法提供·补正后仍不明确",
    "not_processed_petition": "不予处理·信访举报投诉",
    "not_processed_duplicate": "不予处理·重复申请",
    "not_processed_publication": "不予处理·公开出版物",
    "not_processed_excessive": "不予处理·大量反复申请",
    "not_processed_confirm_reissue": "不予处理·确认或重新出具",
    "other_no_correction": "其他·逾期不补正",
    "other_fee_unpaid": "其他·逾期未缴费",
    "other_other": "其他",
}


def outcome_family(outcome: str) -> str:
    """The reply template family of an outcome (spec 05: one template per family)."""
    if outcome == "disclosed":
        return "disclosed"
    if outcome == "partially_disclosed":
        return "partially_disclosed"
    for prefix in ("withheld", "unavailable", "not_processed", "other"):
        if outcome.startswith(prefix + "_"):
            return prefix
    raise ValueError(outcome)


# Outcomes whose reply must state that reconsideration comes before suit (行政复议法 Art. 23(四)); spec 01 says
# to treat partial disclosure like withholding [verify] — kept as data so an agency setting can change it.
RECONSIDERATION_FIRST_OUTCOMES = frozenset(
    {o for o in OUTCOMES if o.startswith("withheld_")} | {"partially_disclosed"}
)


class Role(StrEnum):
    CLERK = "clerk"
    OFFICE = "office"
    LEGAL = "legal"
    HEAD = "head"
    ADMIN = "admin"


ROLE_LABELS: dict[str, str] = {
    "clerk": "承办人",
    "office": "政府办",
    "legal": "法制审核",
    "head": "负责人",
    "admin": "管理员",
}

REMEDY_KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_reconsideration": "行政诉讼·复议后起诉",
}

REMEDY_RESULTS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}


# --- Choices of the steps' options (domain/step_options.py) ----------------------------------------------------

# How a reply or notice is served (国办公开办函〔2016〕235号; spec 09). "mail" is the 0.1 spelling of "post".
SERVICE_METHODS: dict[str, str] = {
    "in_person": "直接送达（当面签收）",
    "post": "邮政寄送（EMS等邮政企业）",
    "email": "电子邮件",
    "online": "网上平台",
    "fax": "传真",
    "courier": "非邮政快递",
}
SERVICE_METHOD_ALIASES = {"mail": "post"}
ELECTRONIC_SERVICE = frozenset({"email", "online"})
# The applicant's chosen way of obtaining information (registration) → how a reply is served by default.
DELIVERY_TO_SERVICE = {"in_person": "in_person", "mail": "post", "email": "email", "online": "online", "fax": "fax"}

# Who a third party is, for the salutation of the letters to it ("您" or "贵单位").
THIRD_PARTY_TYPES = {"natural_person": "自然人（称“您”）", "organisation": "法人或者其他组织（称“贵单位”）"}
# What a request lacks (Regulations Art. 29(2), Art. 30): code -> the form's label. The letter's wording and
# citation per code are in documents/kinds.py CORRECTION_GROUNDS.
CORRECTION_MISSING = {
    "content": "申请内容不明确（名称、文号或者其他特征性描述）",
    "identity": "身份证明",
    "contact": "联系方式",
    "form": "获取信息的方式、途径",
}
CONSULT_PARTIES = {"third_party": "第三方（第三十二条）", "agency": "其他机关（第三十四条）"}
FEE_METHODS = {"per_request": "按件计收", "per_page": "按量计收"}
THIRD_PARTY_VIEWS = {"agree": "同意公开", "disagree": "不同意公开", "none": "逾期未提出意见"}
SERVED_WHAT = {
    "consult": "征求意见书",
    "fee-notice": "收费通知书",
    "correction": "补正告知书",
    "explanation": "说明理由告知书",
}
