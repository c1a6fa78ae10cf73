"""The national annual-report tables (国办公开办函〔2021〕30号): layout, labels, totals and the identity check.

Pure: counts come in (from the persistence layer's GROUP BY queries), tables go out. Every exporter (terminal,
CSV, XLSX, DOCX) draws the same layout from here, so a label or a merged cell is defined once.

Table 三 has three label columns and seven number columns. Its label cells, counted from the first data row:

    row 0   一、本年新收…                 (3 columns wide)
    row 1   二、上年结转…                 (3 columns wide)
    row 2   三、本年度办理结果 (22 rows tall) | （一）予以公开 (2 wide)
    row 3                                      | （二）部分公开… (2 wide)
    row 4   …                                  | （三）不予公开 (8 tall) | 1.属于国家秘密
    …
    row 23                                     | （七）总计 (2 wide)
    row 24  四、结转下年度继续办理         (3 columns wide)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, OUTCOME_CODES, OUTCOMES, REMEDY_KINDS, REMEDY_RESULTS

APPLICANT_COLUMNS: tuple[str, ...] = tuple(APPLICANT_TYPE_LABELS)
COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, "total")
COLUMN_LABELS: dict[str, str] = {**APPLICANT_TYPE_LABELS, "total": "总计"}

TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
SECTION6_TITLE = "六、其他需要报告的事项"
HEADER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADER = "申请人情况"
ORG_HEADER = "法人或其他组织"
TOTAL_LABEL = "总计"

SECTION_NEW = "一、本年新收政府信息公开申请数量"
SECTION_CARRIED_IN = "二、上年结转政府信息公开申请数量"
SECTION_RESULTS = "三、本年度办理结果"
SECTION_CARRIED_OUT = "四、结转下年度继续办理"
CONCLUDED_TOTAL_LABEL = "（七）总计"

# Table 三 row keys, in the order of the format (= the keys of the JSON "table3" object).
TABLE3_KEYS: tuple[str, ...] = ("new", "carried_in", *OUTCOME_CODES, "concluded_total", "carried_out")

REMEDY_KIND_ORDER: tuple[str, ...] = tuple(REMEDY_KINDS)
REMEDY_RESULT_ORDER: tuple[str, ...] = tuple(REMEDY_RESULTS)
TABLE4_KEYS: tuple[str, ...] = (*REMEDY_RESULT_ORDER, "total")
TABLE4_RESULT_LABELS: dict[str, str] = {**REMEDY_RESULTS, "total": "总计"}
RECONSIDERATION_LABEL = "行政复议"
LITIGATION_LABEL = "行政诉讼"
TABLE4_KIND_LABELS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_reconsideration": "复议后起诉",
}

# Outcomes that end a case without a reply on the merits: left out of the reply-time figures.
NON_REPLY_OUTCOMES = frozenset({"other_no_correction", "other_fee_unpaid", "other_other"})

FIRST_REPORT_YEAR = 2008  # the 2008 Regulations; the 2021 format is used for every year it is asked for


# ---------------------------------------------------------------------------------------------------------------
# Layout


@dataclass(frozen=True)
class Table3Row:
    key: str
    section: str  # 一、… / 二、… / 三、本年度办理结果 / 四、…
    group: str | None  # （一）…（七）总计 for rows of section 三
    leaf: str | None  # 1.… for rows under a group that has several

    @property
    def label(self) -> str:
        """The row's own label: the leaf if it has one, else the group, else the section."""
        return self.leaf or self.group or self.section

    @property
    def full_label(self) -> str:
        """One-line label for flat outputs: group and leaf together (（三）不予公开 1.属于国家秘密)."""
        if self.leaf:
            return f"{self.group} {self.leaf}"
        return self.group or self.section


def _table3_rows() -> tuple[Table3Row, ...]:
    rows = [Table3Row("new", SECTION_NEW, None, None), Table3Row("carried_in", SECTION_CARRIED_IN, None, None)]
    for code, (group, leaf) in OUTCOMES.items():
        rows.append(Table3Row(code, SECTION_RESULTS, group, None if leaf == group else leaf))
    rows.append(Table3Row("concluded_total", SECTION_RESULTS, CONCLUDED_TOTAL_LABEL, None))
    rows.append(Table3Row("carried_out", SECTION_CARRIED_OUT, None, None))
    return tuple(rows)


TABLE3_ROWS: tuple[Table3Row, ...] = _table3_rows()
assert tuple(r.key for r in TABLE3_ROWS) == TABLE3_KEYS


@dataclass(frozen=True)
class Cell:
    """A (possibly merged) cell of a table grid: top-left position, spans, text."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1

    @property
    def merged(self) -> bool:
        return self.rowspan > 1 or self.colspan > 1


TABLE3_LABEL_COLS = 3
TABLE3_HEADER_ROWS = 3
TABLE3_WIDTH = TABLE3_LABEL_COLS + len(COLUMNS)  # 10


def table3_header_cells() -> list[Cell]:
    """The three header rows of table 三 (grid columns 0-9)."""
    cells = [
        Cell(0, 0, HEADER_NOTE, rowspan=3, colspan=3),
        Cell(0, 3, APPLICANT_HEADER, colspan=7),
        Cell(1, 3, APPLICANT_TYPE_LABELS["natural_person"], rowspan=2),
        Cell(1, 4, ORG_HEADER, colspan=5),
        Cell(1, 9, TOTAL_LABEL, rowspan=2),
    ]
    for i, code in enumerate(APPLICANT_COLUMNS[1:]):
        cells.append(Cell(2, 4 + i, APPLICANT_TYPE_LABELS[code]))
    return cells


def table3_label_cells() -> list[Cell]:
    """Label cells of the data rows (row 0 = 一、本年新收…; grid columns 0-2), with their merges."""
    cells: list[Cell] = []
    rows = TABLE3_ROWS
    results = [i for i, r in enumerate(rows) if r.section == SECTION_RESULTS]
    for i, r in enumerate(rows):
        if r.section != SECTION_RESULTS:
            cells.append(Cell(i, 0, r.section, colspan=3))
    cells.append(Cell(results[0], 0, SECTION_RESULTS, rowspan=len(results)))
    i = results[0]
    while i <= results[-1]:
        r = rows[i]
        if r.leaf is None:
            cells.append(Cell(i, 1, r.group or "", colspan=2))
            i += 1
            continue
        j = i
        while j + 1 <= results[-1] and rows[j + 1].group == r.group and rows[j + 1].leaf is not None:
            j += 1
        cells.append(Cell(i, 1, r.group or "", rowspan=j - i + 1))
        for k in range(i, j + 1):
            cells.append(Cell(k, 2, rows[k].leaf or ""))
        i = j + 1
    return sorted(cells, key=lambda c: (c.row, c.col))


TABLE4_WIDTH = 15
TABLE4_HEADER_ROWS = 3


def table4_header_cells() -> list[Cell]:
    """The three header rows of table 四 (grid columns 0-14); the 15 numbers go in row 3."""
    cells = [
        Cell(0, 0, RECONSIDERATION_LABEL, colspan=5),
        Cell(0, 5, LITIGATION_LABEL, colspan=10),
    ]
    for i, key in enumerate(TABLE4_KEYS):
        cells.append(Cell(1, i, TABLE4_RESULT_LABELS[key], rowspan=2))
    cells.append(Cell(1, 5, TABLE4_KIND_LABELS["litigation_direct"], colspan=5))
    cells.append(Cell(1, 10, TABLE4_KIND_LABELS["litigation_after_reconsideration"], colspan=5))
    for block in (5, 10):
        for i, key in enumerate(TABLE4_KEYS):
            cells.append(Cell(2, block + i, TABLE4_RESULT_LABELS[key]))
    return sorted(cells, key=lambda c: (c.row, c.col))


# ---------------------------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class IdentityFailure:
    column: str
    new: int
    carried_in: int
    concluded: int
    carried_out: int

    @property
    def message(self) -> str:
        return (
            f"“{COLUMN_LABELS[self.column]}”列：第一项 {self.new} + 第二项 {self.carried_in} = "
            f"{self.new + self.carried_in}，第三项 {self.concluded} + 第四项 {self.carried_out} = "
            f"{self.concluded + self.carried_out}"
        )


@dataclass(frozen=True)
class Table3:
    """Table 三: row key → 7 numbers (six applicant types, then 总计)."""

    rows: dict[str, tuple[int, ...]]

    def row(self, key: str) -> tuple[int, ...]:
        return self.rows[key]

    def cell(self, key: str, column: str) -> int:
        return self.rows[key][COLUMNS.index(column)]

    def identity_failures(self) -> list[IdentityFailure]:
        """Columns where 一 + 二 ≠ 三（七） + 四."""
        out = []
        for i, col in enumerate(COLUMNS):
            n, ci = self.rows["new"][i], self.rows["carried_in"][i]
            c, co = self.rows["concluded_total"][i], self.rows["carried_out"][i]
            if n + ci != c + co:
                out.append(IdentityFailure(col, n, ci, c, co))
        return out

    @property
    def identity_holds(self) -> bool:
        return not self.identity_failures()

    def as_json(self) -> dict[str, list[int]]:
        return {key: list(self.rows[key]) for key in TABLE3_KEYS}


def _with_total(values: Iterable[int]) -> tuple[int, ...]:
    six = tuple(int(v) for v in values)
    return (*six, sum(six))


def build_table3(
    new: Mapping[str, int],
    carried_in: Mapping[str, int],
    concluded: Mapping[tuple[str, str], int],
    carried_out: Mapping[str, int],
) -> Table3:
    """Table 三 from counts by applicant type ((applicant type, outcome) for concluded cases).

    Counts under codes outside the six types or the 21 outcomes are not placed anywhere: the caller finds
    and names such cases (they make the identity fail or are reported as faults)."""
    rows: dict[str, tuple[int, ...]] = {
        "new": _with_total(new.get(t, 0) for t in APPLICANT_COLUMNS),
        "carried_in": _with_total(carried_in.get(t, 0) for t in APPLICANT_COLUMNS),
    }
    for outcome in OUTCOME_CODES:
        rows[outcome] = _with_total(concluded.get((t, outcome), 0) for t in APPLICANT_COLUMNS)
    rows["concluded_total"] = tuple(sum(rows[o][i] for o in OUTCOME_CODES) for i in range(len(COLUMNS)))
    rows["carried_out"] = _with_total(carried_out.get(t, 0) for t in APPLICANT_COLUMNS)
    return Table3({k: rows[k] for k in TABLE3_KEYS})


@dataclass(frozen=True)
class Table4:
    """Table 四: kind → result → count, with 总计 = 维持 + 纠正 + 其他 + 尚未审结."""

    groups: dict[str, dict[str, int]]

    def as_row(self) -> list[int]:
        """The 15 numbers in the order of the format."""
        return [self.groups[k][r] for k in REMEDY_KIND_ORDER for r in TABLE4_KEYS]

    def as_json(self) -> dict[str, dict[str, int]]:
        return {k: dict(self.groups[k]) for k in REMEDY_KIND_ORDER}


def build_table4(counts: Mapping[tuple[str, str], int]) -> Table4:
    groups: dict[str, dict[str, int]] = {}
    for kind in REMEDY_KIND_ORDER:
        g = {r: int(counts.get((kind, r), 0)) for r in REMEDY_RESULT_ORDER}
        g["total"] = sum(g.values())
        groups[kind] = g
    return Table4(groups)


# ---------------------------------------------------------------------------------------------------------------
# Working time and fees


def median_from_histogram(hist: Mapping[int, int]) -> float | None:
    """Median of a multiset given as value → count (the mean of the two middle values for an even count)."""
    n = sum(hist.values())
    if n == 0:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    seen = 0
    lo = hi = None
    for value in sorted(hist):
        count = hist[value]
        if lo is None and lo_rank < seen + count:
            lo = value
        if hi_rank < seen + count:
            hi = value
            break
        seen += count
    assert lo is not None and hi is not None
    return (lo + hi) / 2


@dataclass(frozen=True)
class WorkingTime:
    """Reply time of the replies delivered in the year (withdrawals and lapses excluded)."""

    replies: int
    median_days: float | None
    mean_days: float | None
    replied_late: int
    office_review_mean_days: float | None
    legal_review_mean_days: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "replies": self.replies,
            "median_working_days_to_reply": self.median_days,
            "mean_working_days_to_reply": self.mean_days,
            "replied_past_due": self.replied_late,
            "mean_office_review_working_days": self.office_review_mean_days,
            "mean_legal_review_working_days": self.legal_review_mean_days,
        }


def _mean(total: int, n: int) -> float | None:
    return round(total / n, 1) if n else None


def build_working_time(hist: Mapping[int, int], late: int, office_total: int, legal_total: int,
                       replies: int) -> WorkingTime:
    n = sum(hist.values())
    total = sum(v * c for v, c in hist.items())
    return WorkingTime(
        replies=n,
        median_days=median_from_histogram(hist),
        mean_days=_mean(total, n),
        replied_late=late,
        office_review_mean_days=_mean(office_total, replies),
        legal_review_mean_days=_mean(legal_total, replies),
    )


@dataclass(frozen=True)
class Fees:
    notices: int
    billed: int
    collected: int
    details: dict[str, int] = field(default_factory=dict)

    def sentence(self) -> str:
        """The usual wording of section 六."""
        if not self.notices and not self.collected:
            return "本年度未收取信息处理费。"
        return f"本年度发出收费通知{self.notices}件，收取信息处理费共计{self.collected}元。"

    def as_json(self) -> dict[str, object]:
        return {"notices": self.notices, "billed": self.billed, "collected": self.collected, **self.details}


# ---------------------------------------------------------------------------------------------------------------
# Data faults


def case_faults(stage: str | None, outcome: str | None, received_on: date | None, concluded_on: date | None,
                applicant_type: str | None, first_outcome: str | None = None,
                first_concluded_on: date | None = None, *, check_first: bool = True) -> list[str]:
    """Why a case row cannot be counted consistently (Chinese, for the clerk); empty if it can.

    The report counts the first conclusion (first_outcome, first_concluded_on); the current one (outcome,
    concluded_on) must agree with the stage, and a case concluded now must have been concluded first."""
    reasons = []
    closed = stage == "closed"
    if concluded_on is not None and outcome is None:
        reasons.append(f"有办结日期 {concluded_on.isoformat()} 但没有办理结果")
    if outcome is not None and outcome not in OUTCOMES:
        reasons.append(f"办理结果代码“{outcome}”不在年报的21种情形之内")
    if outcome is not None and concluded_on is None:
        reasons.append("有办理结果但没有办结日期")
    if concluded_on is not None and received_on is not None and concluded_on < received_on:
        reasons.append(f"办结日期 {concluded_on.isoformat()} 早于收到日期 {received_on.isoformat()}")
    if closed and concluded_on is None:
        reasons.append("阶段为已办结但没有办结日期")
    if not closed and concluded_on is not None:
        reasons.append(f"阶段为“{stage}”（未办结）却有办结日期 {concluded_on.isoformat()}")
    if check_first:
        if first_concluded_on is not None and first_outcome is None:
            reasons.append(f"有首次办结日期 {first_concluded_on.isoformat()}（年报按此统计）但没有首次办理结果")
        if first_outcome is not None and first_outcome not in OUTCOMES:
            reasons.append(f"首次办理结果代码“{first_outcome}”不在年报的21种情形之内")
        if first_outcome is not None and first_concluded_on is None:
            reasons.append("有首次办理结果但没有首次办结日期")
        if first_concluded_on is not None and received_on is not None and first_concluded_on < received_on:
            reasons.append(f"首次办结日期 {first_concluded_on.isoformat()} 早于收到日期 {received_on.isoformat()}")
        if concluded_on is not None and first_concluded_on is None:
            reasons.append("已办结但没有首次办结日期（年报按首次办结统计，本案将被漏计）")
    if applicant_type not in APPLICANT_TYPE_LABELS:
        reasons.append(f"申请人类型“{applicant_type}”不在年报的六类之内")
    return reasons


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
