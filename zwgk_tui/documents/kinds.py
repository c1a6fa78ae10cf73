"""The document set (spec 05): one table, code -> default title, template file, description.

``reply`` is the one kind a clerk asks for without naming a template: it resolves to one of the ``reply_*``
entries by the outcome's family (``outcome_family`` in domain/codes.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..domain.codes import THIRD_PARTY_VIEWS, outcome_family
from ..domain.grounds import GROUNDS


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    template: str  # file name under templates/docx/ (and under an agency's override folder)
    description: str
    to_applicant: bool = True  # addressed to the applicant (salutation = applicant's name)
    internal: bool = False  # an internal record (no 文号, no remedy, no seal)
    # The title printed on the document when it differs from `title` (which may carry a register's internal
    # label such as "（给第三方）" that the addressee is not to read).
    printed: str = ""
    # Codes of ISSUE_RULES: what the case must show before this document may go out (a draft only warns).
    requires: tuple[str, ...] = ()

    @property
    def printed_title(self) -> str:
        return self.printed or self.title


KINDS: dict[str, DocumentKind] = {
    k.code: k
    for k in (
        DocumentKind(
            "registration_form",
            "政府信息公开申请登记表",
            "registration_form.docx",
            "登记时填写的内部登记表（口头申请由工作人员代为填写）",
            to_applicant=False,
            internal=True,
        ),
        DocumentKind(
            "receipt",
            "政府信息公开申请接收回执",
            "receipt.docx",
            "交给申请人的接收回执：收到日期、登记编号、答复期限",
        ),
        DocumentKind(
            "correction_notice",
            "政府信息公开申请补正告知书",
            "correction_notice.docx",
            "第三十条：一次性告知需要补正的事项、补正期限和逾期不补正的后果",
        ),
        DocumentKind(
            "explanation_request",
            "政府信息公开申请说明理由告知书",
            "explanation_request.docx",
            "第三十五条：申请数量、频次明显超过合理范围，要求申请人说明理由",
        ),
        DocumentKind(
            "extension_notice",
            "政府信息公开申请延期答复告知书",
            "extension_notice.docx",
            "第三十三条第二款：经政府信息公开工作机构负责人同意延长答复期限，告知延长后的期限",
        ),
        DocumentKind(
            "delay_notice",
            "政府信息公开申请延迟答复告知书",
            "delay_notice.docx",
            "第三十五条：申请理由合理但无法按期答复，告知确定的延迟答复期限和理由",
        ),
        DocumentKind(
            "third_party_consultation",
            "政府信息公开申请征求意见书（给第三方）",
            "third_party_consultation.docx",
            "第三十二条：书面征求第三方意见，15个工作日内提出，逾期不提出的后果",
            to_applicant=False,
            printed="政府信息公开申请征求意见书",
        ),
        DocumentKind(
            "third_party_decision",
            "政府信息依申请公开告知书（给第三方）",
            "third_party_decision.docx",
            "第三十二条：不公开可能对公共利益造成重大影响，决定公开并书面告知第三方",
            to_applicant=False,
            printed="政府信息依申请公开告知书",
            requires=("third_party_consulted", "third_party_objected", "discloses_objected_information"),
        ),
        DocumentKind(
            "agency_consultation",
            "政府信息公开申请征求意见书（给共同制作机关）",
            "agency_consultation.docx",
            "第三十四条：征求共同制作机关意见，15个工作日内提出，逾期视为同意公开",
            to_applicant=False,
            printed="政府信息公开申请征求意见书",
        ),
        DocumentKind(
            "fee_notice",
            "政府信息公开信息处理费收费通知书",
            "fee_notice.docx",
            "第四十二条和国办函〔2020〕109号：收费依据、标准、数额、缴纳方式、20个工作日和逾期后果",
            requires=("fee_payment_route",),
        ),
        DocumentKind(
            "review_sheet",
            "政府信息公开申请答复审核呈批单",
            "review_sheet.docx",
            "内部呈批单：拟处理意见，政府办审核、法制审核、负责人签发意见（含姓名、日期）",
            to_applicant=False,
            internal=True,
        ),
        DocumentKind(
            "service_receipt",
            "送达回证",
            "service_receipt.docx",
            "直接送达答复书时由申请人签收的送达回证：送达文书名称和文号、受送达人、送达方式、签收人和日期",
            to_applicant=False,
        ),
        DocumentKind(
            "reply",
            "政府信息公开申请答复书",
            "",
            "答复书：按处理结果类别选用下列 reply_* 模板之一",
        ),
        DocumentKind(
            "reply_disclosed",
            "政府信息公开申请答复书",
            "reply_disclosed.docx",
            "答复：予以公开（第三十六条第（一）（二）项，第四十条提供方式）",
        ),
        DocumentKind(
            "reply_partially_disclosed",
            "政府信息公开申请答复书",
            "reply_partially_disclosed.docx",
            "答复：部分公开（第三十七条区分处理，说明不予公开部分的理由）",
        ),
        DocumentKind(
            "reply_withheld",
            "政府信息公开申请答复书",
            "reply_withheld.docx",
            "答复：不予公开（第三十六条第（三）项及第十四条至第十六条，行政查询事项第三十六条第（七）项）",
        ),
        DocumentKind(
            "reply_unavailable",
            "政府信息公开申请答复书",
            "reply_unavailable.docx",
            "答复：无法提供（信息不存在、非本机关负责公开并告知负责机关、需另行制作、补正后仍不明确）",
        ),
        DocumentKind(
            "reply_not_processed",
            "政府信息公开申请答复书",
            "reply_not_processed.docx",
            "告知：不予处理（信访举报投诉、重复申请、公开出版物、大量反复申请、确认或重新出具）",
        ),
        DocumentKind(
            "reply_other",
            "政府信息公开申请答复书",
            "reply_other.docx",
            "告知：其他处理（逾期不补正、逾期未缴费、其他）",
        ),
    )
}

# The kinds a clerk (or `zwgk-tui doc NUMBER KIND`) may ask for, in the order of a case.
DOCUMENT_KINDS: tuple[str, ...] = (
    "registration_form",
    "receipt",
    "correction_notice",
    "explanation_request",
    "extension_notice",
    "delay_notice",
    "third_party_consultation",
    "third_party_decision",
    "agency_consultation",
    "fee_notice",
    "review_sheet",
    "reply",
    "service_receipt",
)

# Every kind that has its own template file (what tools/build_templates.py writes).
TEMPLATE_KINDS: tuple[str, ...] = tuple(code for code, kind in KINDS.items() if kind.template)


def resolve_kind(kind: str, outcome: str | None) -> DocumentKind:
    """The table entry (and so the template) for a requested kind; ``reply`` goes by the outcome's family.

    Raises KeyError for an unknown kind and ValueError for a reply without (or with an unknown) outcome;
    render.py turns both into a DocumentError for people.
    """
    if kind == "reply":
        if outcome is None:
            raise ValueError("no outcome")
        return KINDS[f"reply_{outcome_family(outcome)}"]
    return KINDS[kind]


# --- Per-outcome wording supplied to the reply templates -------------------------------------------------

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# The statutory situation of each outcome as a predicate of "您申请公开的政府信息…" (variable `ground`).
OUTCOME_GROUNDS: dict[str, str] = {
    "disclosed": "属于可以公开的政府信息",
    "partially_disclosed": "含有不应当公开的内容，但是能够作区分处理",
    # Arts. 14-16: the statement of the ground table (domain/grounds.py), one wording everywhere.
    **{g.outcome: g.statement for g in GROUNDS.values() if g.outcome},
    "withheld_inquiry_matter": "属于行政查询事项，有关法律、行政法规对该信息的获取有特别规定",
    "unavailable_not_held": "经检索不存在",
    "unavailable_needs_creation": "需要行政机关对现有政府信息进行加工、分析",
    "unavailable_unclear": "补正后申请内容仍不明确",
    "not_processed_petition": "属于以政府信息公开申请的形式进行信访、投诉、举报等活动",
    "not_processed_duplicate": "属于重复申请公开相同政府信息",
    "not_processed_publication": "属于要求提供政府公报、报刊、书籍等公开出版物",
    "not_processed_excessive": "数量、频次明显超过合理范围，且申请理由不合理",
    "not_processed_confirm_reissue": "属于要求行政机关确认或者重新出具已获取的信息",
    "other_no_correction": "申请人无正当理由逾期不补正",
    "other_fee_unpaid": "申请人逾期未按收费通知缴纳信息处理费",
    "other_other": "",
}
GROUND_NOT_THIS_AGENCY = "不属于本机关负责公开的政府信息"

# Default citation per outcome (variable `articles` when the clerk gives none). Art. 36 is the reply rule,
# Arts. 14-16 the exemptions; [verify] marks readings the spec leaves open.
DEFAULT_ARTICLES: dict[str, str] = {
    "disclosed": REGULATION + "第三十六条第（二）项",
    "partially_disclosed": REGULATION + "第三十七条",
    "withheld_state_secret": REGULATION + "第十四条、第三十六条第（三）项",
    "withheld_law_prohibited": REGULATION + "第十四条、第三十六条第（三）项",
    "withheld_security_stability": REGULATION + "第十四条、第三十六条第（三）项",
    "withheld_third_party": REGULATION + "第十五条、第三十六条第（三）项",
    "withheld_internal_affairs": REGULATION + "第十六条第一款、第三十六条第（三）项",
    "withheld_process_info": REGULATION + "第十六条第二款、第三十六条第（三）项",
    "withheld_enforcement_file": REGULATION + "第十六条第二款、第三十六条第（三）项",
    # 行政查询事项: the 2021 report format counts 36(七) requests (工商、不动产登记资料…) here [verify].
    "withheld_inquiry_matter": REGULATION + "第三十六条第（七）项",
    "unavailable_not_held": REGULATION + "第三十六条第（四）项",
    "unavailable_needs_creation": REGULATION + "第三十八条",
    "unavailable_unclear": REGULATION + "第二十九条第二款第（二）项、第三十条",
    "not_processed_petition": REGULATION + "第三十九条第一款",
    "not_processed_duplicate": REGULATION + "第三十六条第（六）项",
    "not_processed_publication": REGULATION + "第三十九条第二款",
    "not_processed_excessive": REGULATION + "第三十五条",
    # No article names this case; Art. 2 defines what a request for government information is [verify].
    "not_processed_confirm_reissue": REGULATION + "第二条",
    "other_no_correction": REGULATION + "第三十条",
    "other_fee_unpaid": REGULATION + "第四十二条和" + FEE_MEASURES,
    "other_other": "",
}
ARTICLES_ALREADY_PUBLISHED = REGULATION + "第三十六条第（一）项"
ARTICLES_NOT_THIS_AGENCY = REGULATION + "第三十六条第（五）项"
ARTICLES_THIRD_PARTY_CONSULTED = REGULATION + "第十五条、第三十二条、第三十六条第（三）项"
# Disclosure although the third party objected: public interest (Art. 15, Art. 32).
ARTICLES_DISCLOSED_OVER_OBJECTION = REGULATION + "第十五条、第三十二条、第三十六条第（二）项"
ARTICLE_REFUSAL = REGULATION + "第三十六条第（三）项"
ARTICLE_CONSULTATION = REGULATION + "第三十二条"

# Outcomes whose reply must explain itself in the clerk's words (Art. 36(三) "说明理由", Art. 37 "说明理由").
OUTCOMES_NEEDING_REASON = frozenset(
    {o for o in OUTCOME_GROUNDS if o.startswith("withheld_")} | {"partially_disclosed", "other_other"}
)

REVIEW_STEP_LABELS: dict[str, str] = {
    "office_review": "政府办审核",
    "legal_review": "法制审核",
    "sign_off": "负责人签发",
}

# How a document is served (spec 09: 235号 on post; 复议法 Art. 22(2) on electronic service).
SERVICE_METHOD_LABELS: dict[str, str] = {
    "in_person": "直接送达",
    "post": "邮寄送达",
    "email": "电子邮件送达",
    "online": "网上送达",
    "fax": "传真送达",
    "courier": "快递送达（非邮政企业）",
}

# The third party's answer to a consultation (Art. 32), as a predicate of "第三方……" / "贵单位……".
THIRD_PARTY_VIEW_LABELS: dict[str, str] = {
    "agree": "同意公开",
    "disagree": "不同意公开",
    "none": "未在规定期限内提出意见",
}

FEE_METHOD_LABELS: dict[str, tuple[str, str]] = {
    # code -> (label, unit)
    "per_request": ("按件计收", "件"),
    "per_page": ("按量计收", "页"),
}


# --- What a document needs on record before it may go out ---------------------------------------------------


@dataclass(frozen=True)
class IssueFacts:
    """What the case shows that bears on whether a document may go out."""

    outcome: str = ""  # the decision in force (or proposed)
    withheld_grounds: tuple[str, ...] = ()  # the grounds of the withheld parts (domain/grounds.py codes)
    third_party_consulted: bool = False
    third_party_view: str = ""  # agree / disagree / none
    fee_payment_route: str = ""  # the agency's setting


@dataclass(frozen=True)
class IssueRule:
    code: str
    holds: Callable[[IssueFacts], bool]
    message: str  # why the document cannot go out (Chinese); {outcome} is the decision's label
    basis: str


def _discloses_objected_information(f: IssueFacts) -> bool:
    """Art. 32: the third party's information is disclosed — the whole of it, or a partial disclosure that does
    not withhold the third party's part on its ground (Art. 15)."""
    if f.outcome == "disclosed":
        return True
    return f.outcome == "partially_disclosed" and "third_party" not in f.withheld_grounds


ISSUE_RULES: dict[str, IssueRule] = {
    r.code: r
    for r in (
        IssueRule("third_party_consulted", lambda f: f.third_party_consulted,
                  "本案没有征求第三方意见，不需要出具依申请公开告知书",
                  REGULATION + "第三十二条"),
        IssueRule("third_party_objected", lambda f: f.third_party_view == "disagree",
                  "第三方没有表示不同意公开（记录的意见为“{view}”），不需要出具依申请公开告知书：该告知书只在第三方"
                  "不同意公开、本机关仍决定公开时出具",
                  REGULATION + "第三十二条"),
        IssueRule("discloses_objected_information", _discloses_objected_information,
                  "本次办理结果为“{outcome}”，没有决定公开涉及第三方的政府信息，不能出具依申请公开告知书：该告知书"
                  "只在本机关认为不公开可能对公共利益造成重大影响、决定予以公开（全部或者部分公开第三方不同意公开的信息）"
                  "时出具，将决定公开的内容和理由书面告知第三方",
                  REGULATION + "第十五条、第三十二条"),
        IssueRule("fee_payment_route", lambda f: bool(f.fee_payment_route.strip()),
                  "本机关尚未设置信息处理费的缴纳方式（账户、缴款码或者地点），收费通知书须写明缴纳方式。"
                  "请先设置：zwgk-tui agency set {agency} --fee-payment-route 缴纳方式",
                  FEE_MEASURES),
    )
}


def issue_problems(kind: str, facts: IssueFacts, *, outcome_label: str = "", agency: str = "机关代码") -> list[str]:
    """Why a document of `kind` cannot go out on this record ([] when it can), each with the rule's basis."""
    entry = KINDS[kind]
    problems = []
    for code in entry.requires:
        rule = ISSUE_RULES[code]
        if not rule.holds(facts):
            view = THIRD_PARTY_VIEWS.get(facts.third_party_view, "尚未收到意见")
            message = rule.message.format(outcome=outcome_label or facts.outcome, agency=agency, view=view)
            problems.append(f"{message}（{rule.basis}）")
    return problems


# What a request for correction says is missing (Regulations Art. 29(2), Art. 30), as a predicate of "您的申请…",
# with the article it rests on.
CORRECTION_GROUNDS: dict[str, tuple[str, str]] = {
    "content": ("内容不明确，本机关无法据此确定{you}所申请公开的政府信息", "第三十条"),
    "identity": ("未提供申请人的身份证明", "第二十九条第二款第（一）项"),
    "contact": ("未提供申请人的联系方式", "第二十九条第二款第（一）项"),
    "form": ("未写明获取政府信息的方式、途径", "第二十九条第二款第（三）项"),
}
