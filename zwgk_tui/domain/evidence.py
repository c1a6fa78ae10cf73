"""Grounds for withholding and the evidence each outcome needs (spec 09, SPC 2025 法释〔2025〕8号 Arts. 5–6).

Everything here is data with its citation: the decision checks (decision.py), the reply and the review sheet read
the same rows, so what the clerk must prove and what the letter says cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwgk_tui.domain.validation import ValidationError, parse_date

REGULATION = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class Ground:
    """One ground on which (part of) the requested information is not provided."""

    code: str
    label: str  # short label for screens
    citation: str  # exact article / paragraph / item
    statement: str  # the statutory situation, continuing "该信息…"
    outcome: str | None  # the withheld_* outcome this ground is the whole-refusal form of
    # The evidence the agency must record for this ground (None = the statement itself suffices): the option
    # that carries it and what it is, for the message when it is missing.
    detail_option: str | None = None
    detail_label: str = ""
    # True for the refusals under Arts. 14–16: 复议前置 applies to them (复议法 Art. 23(1)(四), SPC 2025 Art. 1(二)).
    exemption: bool = True


GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground(
            "state_secret", "国家秘密", REGULATION + "第十四条",
            "属于依法确定为国家秘密的政府信息", "withheld_state_secret",
            "secret_marking", "密级标识和保密期限（--secret-marking，如“机密★10年”）",
        ),
        Ground(
            "law_prohibited", "法律、行政法规禁止公开", REGULATION + "第十四条",
            "属于法律、行政法规禁止公开的政府信息", "withheld_law_prohibited",
            "reason", "禁止公开的法律、行政法规名称及条款（--reason）",
        ),
        Ground(
            "security_stability", "三安全一稳定", REGULATION + "第十四条",
            "公开后可能危及国家安全、公共安全、经济安全、社会稳定", "withheld_security_stability",
            "reason", "公开可能造成的危害或者说明理由（--reason）",
        ),
        Ground(
            "third_party", "第三方合法权益", REGULATION + "第十五条",
            "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害", "withheld_third_party",
            "reason", "涉及的商业秘密、个人隐私等第三方权益（--reason）",
        ),
        Ground(
            "internal_affairs", "内部事务信息", REGULATION + "第十六条第一款",
            "属于行政机关的内部事务信息", "withheld_internal_affairs",
            "kind_of_info", "属于人事管理、后勤管理还是内部工作流程信息（--kind-of-info）",
        ),
        Ground(
            "process_info", "过程性信息", REGULATION + "第十六条第二款",
            "属于行政机关在履行行政管理职能过程中形成的过程性信息", "withheld_process_info",
            "kind_of_info", "属于讨论记录、过程稿、磋商信函还是请示报告（--kind-of-info）",
        ),
        Ground(
            "enforcement_file", "行政执法案卷信息", REGULATION + "第十六条第二款",
            "属于行政执法案卷信息", "withheld_enforcement_file",
            "kind_of_info", "案卷中的何种材料，如调查笔录、询问笔录、当事人信息（--kind-of-info）",
        ),
        # Partial disclosure may leave out a part for reasons outside Arts. 14–16; 复议前置 does not reach those.
        Ground(
            "not_held", "经检索不存在", REGULATION + "第三十六条第（四）项",
            "经检索不存在", None, "searched", "检索记录（--searched）", exemption=False,
        ),
        Ground(
            "not_this_agency", "不属于本机关负责公开", REGULATION + "第三十六条第（五）项",
            "不属于本机关负责公开", None, "responsible_agency", "负责公开的机关（--responsible-agency）",
            exemption=False,
        ),
        Ground(
            "needs_creation", "需要另行制作", REGULATION + "第三十八条",
            "需要行政机关对现有政府信息进行加工、分析", None, exemption=False,
        ),
        Ground(
            "inquiry_matter", "行政查询事项", REGULATION + "第三十六条第（七）项",
            "属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的信息", None,
            exemption=False,
        ),
    )
}

EXEMPTION_GROUNDS = frozenset(code for code, g in GROUNDS.items() if g.exemption)

# The ground that a whole refusal stands on (withheld_state_secret -> state_secret …).
OUTCOME_GROUND: dict[str, str] = {g.outcome: code for code, g in GROUNDS.items() if g.outcome}

# Kinds of information the Arts. 16 grounds name (offered as choices; free text is accepted).
KINDS_OF_INFO: dict[str, tuple[str, ...]] = {
    "internal_affairs": ("人事管理信息", "后勤管理信息", "内部工作流程信息"),
    "process_info": ("讨论记录", "过程稿", "磋商信函", "请示报告"),
    "enforcement_file": ("调查笔录", "询问笔录", "当事人信息", "现场检查记录"),
}


@dataclass(frozen=True)
class SearchRecord:
    """One search behind 不存在 (SPC 2025 Art. 5(六): where, with what terms, by whom, when)."""

    scope: str
    terms: str
    by: str
    on: str  # ISO date

    def sentence(self) -> str:
        return f"{self.on}由{self.by}在{self.scope}以“{self.terms}”为检索词检索"


def parse_search(text: str) -> SearchRecord:
    """"范围|检索词|检索人|日期" → SearchRecord; ValueError (Chinese) naming what is missing."""
    parts = [p.strip() for p in text.replace("｜", "|").split("|")]
    if len(parts) != 4 or not all(parts):
        raise ValidationError(
            f"检索记录“{text}”应写成“范围|检索词|检索人|日期”四项，用竖线分隔，"
            "如“本局档案室及OA系统|老旧小区改造 清单|李四|2025-03-12”（最高法2025年司法解释第五条第（六）项：合理检索）",
            "searched",
        )
    on = parse_date(parts[3], "检索日期", "searched")
    return SearchRecord(scope=parts[0], terms=parts[1], by=parts[2], on=on.isoformat())
