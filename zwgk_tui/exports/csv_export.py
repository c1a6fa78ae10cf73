"""CSV: UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it without mojibake.

The rows follow the national grid (three label columns, then the numbers); a merged cell's text stands in its
top-left position, as Excel shows it after copying. Internal analytics follow under their own heading
(内部分析（不公开）), after everything that is published.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from zwgk_tui.domain import annual_report as ar
from zwgk_tui.exports import (
    INTERNAL_NOTE,
    INTERNAL_TITLE,
    internal_lines,
    publishable_lines,
    report_title,
    scope_line,
    table3_grid,
    table4_grid,
)
from zwgk_tui.exports.safe_cells import csv_row


def csv_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [[report_title(report)], [scope_line(report)], [], [ar.TABLE3_TITLE]]
    rows += [["" if v is None else v for v in r] for r in table3_grid(report).matrix()]
    rows += [[], [ar.TABLE4_TITLE]]
    rows += [["" if v is None else v for v in r] for r in table4_grid(report).matrix()]
    rows += [[], [ar.SECTION6_TITLE]]
    rows += [[line] for line in publishable_lines(report)]
    internal = internal_lines(report)
    if internal:
        rows += [[], [INTERNAL_TITLE], [INTERNAL_NOTE]]
        rows += [[line] for line in internal]
    return rows


def write_csv(report: dict[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(csv_row(r) for r in csv_rows(report))
