"""Annual-report exports: CSV, XLSX, DOCX, JSON files and the terminal table, all drawn from one layout.

The layout (labels, merged cells) is `zwgk_tui.domain.annual_report`; this package places the numbers of a report
(the JSON shape of spec 07) into it. Files are written atomically: a temporary file in the target's directory,
then os.replace, so a reader never sees half a report and a failure leaves the old file as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zwgk_tui.domain import annual_report as ar


@dataclass(frozen=True)
class Grid:
    """A table as positioned cells: the merged ones carry spans, numbers are ints."""

    cells: list[ar.Cell | NumberCell]
    rows: int
    cols: int

    def merges(self) -> list[ar.Cell]:
        return [c for c in self.cells if isinstance(c, ar.Cell) and c.merged]

    def matrix(self) -> list[list[Any]]:
        """Rows of values, a merged cell's value in its top-left position and None under the rest."""
        m: list[list[Any]] = [[None] * self.cols for _ in range(self.rows)]
        for c in self.cells:
            m[c.row][c.col] = c.value if isinstance(c, NumberCell) else c.text
        return m


@dataclass(frozen=True)
class NumberCell:
    row: int
    col: int
    value: int


def table3_grid(report: dict[str, Any]) -> Grid:
    h = ar.TABLE3_HEADER_ROWS
    cells: list[Any] = list(ar.table3_header_cells())
    cells += [ar.Cell(c.row + h, c.col, c.text, c.rowspan, c.colspan) for c in ar.table3_label_cells()]
    for i, key in enumerate(ar.TABLE3_KEYS):
        for j, value in enumerate(report["table3"][key]):
            cells.append(NumberCell(h + i, ar.TABLE3_LABEL_COLS + j, int(value)))
    return Grid(cells, h + len(ar.TABLE3_KEYS), ar.TABLE3_WIDTH)


def table4_grid(report: dict[str, Any]) -> Grid:
    cells: list[Any] = list(ar.table4_header_cells())
    row = [report["table4"][k][r] for k in ar.REMEDY_KIND_ORDER for r in ar.TABLE4_KEYS]
    cells += [NumberCell(ar.TABLE4_HEADER_ROWS, j, int(v)) for j, v in enumerate(row)]
    return Grid(cells, ar.TABLE4_HEADER_ROWS + 1, ar.TABLE4_WIDTH)


INTERNAL_TITLE = "内部分析（不公开）"
INTERNAL_NOTE = "以下为机关内部管理数据，不属于年度报告的公开内容，粘贴年报时请勿带入。"


def report_title(report: dict[str, Any]) -> str:
    """The title names whose report it is: the agency, or the government for all its agencies (本级政府)."""
    return f"{report.get('agency_name') or '本级政府'}{report['year']}年政府信息公开工作年度报告统计表"


def scope_line(report: dict[str, Any]) -> str:
    agency = report.get("agency")
    scope = report.get("scope") or (f"{report.get('agency_name')}（{agency}）" if agency else "本级政府")
    return f"统计年度：{report['year']}年1月1日至12月31日　统计范围：{scope}"


def publishable_lines(report: dict[str, Any]) -> list[str]:
    """Section 六 as published: the fee sentence."""
    fees = report["fees"]
    return [report.get("fees_sentence") or ar.Fees(fees["notices"], fees["billed"], fees["collected"]).sentence()]


def _num(v: Any) -> str:
    return "—" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


def publication_lines(report: dict[str, Any]) -> list[str]:
    """Whether the figures are the published ones, and what today's data would change (发布后变动)."""
    p = report.get("publication")
    if not p:
        return []
    lines = []
    changes = report.get("changes_since_publication")
    if changes is None:  # a re-count of a published year (--current)
        lines.append(f"本年度已于 {p['published_on']} 发布；以下为按今天数据重新统计的数字，与发布的数字可能不同。")
        return lines
    lines.append(f"本表为 {p['published_on']} 发布的数字（发布人 {p['published_by']}，SHA-256 {p['sha256']}"
                 + ("" if p.get("sha256_ok", True) else "；注意：存档内容与 SHA-256 不符，可能被改动") + "）。")
    if p.get("reason"):
        lines.append(f"更正发布，理由：{p['reason']}")
    if not changes:
        lines.append("发布后数据未变动。")
        return lines
    lines.append(f"发布后变动：按今天的数据，以下 {len(changes)} 个单元格与发布时不同（发布的数字不变）：")
    for c in changes:
        parts = [f"{c['label']}：发布 {c['published']}，现 {c['current']}"]
        if c["added"]:
            parts.append("新增 " + "、".join(c["added"]))
        if c["removed"]:
            parts.append("移出 " + "、".join(c["removed"]))
        lines.append("；".join(parts))
    return lines


def internal_lines(report: dict[str, Any]) -> list[str]:
    """Internal analytics (not part of the published report): publication state, fee details, reply times,
    re-replies."""
    lines = publication_lines(report)
    fees = report["fees"]
    if fees.get("notices"):
        lines.append(
            f"收费通知：按件 {fees.get('notices_per_request', 0)} 件、按量 {fees.get('notices_per_page', 0)} 件，"
            f"应收 {fees['billed']} 元；其中已缴费 {fees.get('notices_paid', 0)} 件、"
            f"逾期未缴费 {fees.get('notices_lapsed', 0)} 件。"
        )
    wt = report.get("working_time")
    if wt and wt.get("replies"):
        lines.append(
            f"本年度答复 {wt['replies']} 件（首次答复；不含撤回、逾期不补正、逾期未缴费），答复用时中位数 "
            f"{_num(wt['median_working_days_to_reply'])} 个工作日、"
            f"平均 {_num(wt['mean_working_days_to_reply'])} 个工作日，"
            f"逾期答复 {wt['replied_past_due']} 件；"
            f"政府办审核平均 {_num(wt['mean_office_review_working_days'])} 个工作日，"
            f"法制审核平均 {_num(wt['mean_legal_review_working_days'])} 个工作日。"
        )
    rereplies = report.get("rereplies") or []
    if rereplies:
        lines.append(f"重新答复 {len(rereplies)} 件"
                     "（复议、诉讼纠正后重新打开的案件，不计入表三，用时自重新打开之日起算）：")
        for r in rereplies:
            lines.append(f"{r['number']}（{r['agency']}）{r['reopened_on']} 重新打开，{r['concluded_on']} 办结"
                         f"（{r.get('outcome_label') or r.get('outcome') or ''}），"
                         f"用时 {r['working_days_from_reopen']} 个工作日"
                         + (f"；理由：{r['reason']}" if r.get("reason") else ""))
    return lines


def extra_lines(report: dict[str, Any]) -> list[str]:
    """Section 六 and the internal analytics, as sentences (publishable first)."""
    return publishable_lines(report) + internal_lines(report)


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp) on a temporary file next to `path`, then move it into place."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                    suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o600)  # reports are the agency's; the owner shares them deliberately
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _write_json(report: dict[str, Any], tmp: Path) -> None:
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write(report: dict[str, Any], fmt: str, path: Path) -> Path:
    if fmt == "json":
        return atomic_write(path, lambda tmp: _write_json(report, tmp))
    if fmt == "csv":
        from zwgk_tui.exports.csv_export import write_csv

        return atomic_write(path, lambda tmp: write_csv(report, tmp))
    if fmt == "xlsx":
        from zwgk_tui.exports.xlsx_export import write_xlsx

        return atomic_write(path, lambda tmp: write_xlsx(report, tmp))
    if fmt == "docx":
        from zwgk_tui.exports.docx_export import write_docx

        return atomic_write(path, lambda tmp: write_docx(report, tmp))
    raise ValueError(fmt)
