"""The register (台账) as an xlsx or csv file, written row by row as the cases stream in.

xlsx: one sheet 台账, header in row 1 (bold, frozen, with filters), column widths for Chinese text, dates as
date cells (yyyy-mm-dd) so Excel sorts and filters them as dates. csv: UTF-8 with a byte-order mark, so Excel on
Chinese Windows opens it without mojibake; dates as YYYY-MM-DD. Text stays text in both (never a formula:
exports/safe_cells.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_tui.domain.register_table import Column
from zwgk_tui.exports.safe_cells import csv_row, write_only_cell

FONT_NAME = "宋体"


def write_csv(path: Path, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([c.header for c in columns])
        for row in rows:
            w.writerow(csv_row(_text(row.get(c.field)) for c in columns))
            n += 1
    return n


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_xlsx(path: Path, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> int:
    # Write-only mode streams rows to the file: memory stays flat for 100,000 cases.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    ws.freeze_panes = "A2"
    bold = Font(name=FONT_NAME, bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font, cell.fill, cell.alignment = bold, fill, centre
        header.append(cell)
    ws.append(header)
    n = 0
    for row in rows:
        values = [_cell(row.get(c.field)) for c in columns]
        ws.append([write_only_cell(ws, v) if isinstance(v, str) and v else v for v in values])
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    wb.save(path)
    return n


def _cell(value: Any) -> Any:
    return "" if value is None else value
