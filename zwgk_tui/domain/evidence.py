"""The evidence each outcome needs (spec 09, SPC 2025 法释〔2025〕8号 Arts. 5–6): grounds (grounds.py) and the
record of a reasonable search behind 不存在.

Everything here is data with its citation: the decision checks (decision.py), the reply and the review sheet read
the same rows, so what the clerk must prove and what the letter says cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwgk_tui.domain.grounds import ARTS_14_16_GROUNDS, GROUND_OF_OUTCOME
from zwgk_tui.domain.grounds import GROUNDS as _GROUNDS
from zwgk_tui.domain.validation import ValidationError, parse_date

# The table of grounds lives in grounds.py (shared with the letters); these names are what the decision checks
# and the forms use.
GROUNDS = _GROUNDS
EXEMPTION_GROUNDS = ARTS_14_16_GROUNDS
# The ground that a whole refusal stands on (withheld_state_secret -> state_secret …).
OUTCOME_GROUND: dict[str, str] = dict(GROUND_OF_OUTCOME)


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
            "如“本局档案室及OA系统|老旧小区改造 清单|李四|2025-03-12”"
            "（最高法2025年司法解释第五条第（六）项：合理检索）",
            "searched",
        )
    on = parse_date(parts[3], "检索日期", "searched")
    return SearchRecord(scope=parts[0], terms=parts[1], by=parts[2], on=on.isoformat())
