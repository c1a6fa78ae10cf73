"""XLSX in the national layout: one sheet per table, merged header and label cells, labels verbatim.

Sheet 表三: title in row 1, scope in row 2, the grid from row 3 (header rows 3-5, data rows 6-30, label
columns A-C, numbers D-J). Sheet 表四: title, scope, header rows 3-5, the 15 numbers in row 6 (A-O).
Sheet 六、收费: the fee sentence as published. Sheet 内部分析（不公开）: publication state, fee details, reply
times and re-replies — kept apart so that nothing internal is pasted into the report. Each table prints on one
A4 page (fit to one page wide and one page tall; 表四 landscape).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zwgk_tui.domain import annual_report as ar
from zwgk_tui.exports import (
    INTERNAL_NOTE,
    INTERNAL_TITLE,
    Grid,
    NumberCell,
    internal_lines,
    publishable_lines,
    report_title,
    scope_line,
    table3_grid,
    table4_grid,
)
from zwgk_tui.exports.safe_cells import as_text, put

FONT_NAME = "宋体"  # present on every Chinese Windows; 仿宋_GB2312 often is not
GRID_TOP = 3  # first worksheet row of a table grid
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _title(ws: Worksheet, text: str, scope: str, width: int) -> None:
    put(ws, 1, 1, text).font = Font(name=FONT_NAME, size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(ws, 2, 1, scope).font = Font(name=FONT_NAME, size=10)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[1].height = 28


def _place(ws: Worksheet, grid: Grid, label_cols: int, header_rows: int) -> None:
    font = Font(name=FONT_NAME, size=10)
    for r in range(grid.rows):
        for c in range(grid.cols):
            cell = ws.cell(GRID_TOP + r, 1 + c)
            cell.border = _BORDER
            cell.font = font
            cell.alignment = _CENTER
    for item in grid.cells:
        cell = ws.cell(GRID_TOP + item.row, 1 + item.col)
        if isinstance(item, NumberCell):
            cell.value = item.value
            cell.number_format = "0"
            continue
        cell.value = item.text
        as_text(cell)
        if item.col < label_cols and item.row >= header_rows and (item.colspan > 1 or item.col == label_cols - 1):
            cell.alignment = _LEFT  # row labels read left to right; the tall group cells stay centred
        if item.merged:
            ws.merge_cells(start_row=GRID_TOP + item.row, start_column=1 + item.col,
                           end_row=GRID_TOP + item.row + item.rowspan - 1,
                           end_column=1 + item.col + item.colspan - 1)


def _page(ws: Worksheet, landscape: bool = False, one_page: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None  # every new worksheet has its page setup properties
    setup.fitToPage = True
    ws.print_options.horizontalCentered = True


def _lines_sheet(ws: Worksheet, title: str, subtitle: str, lines: list[str]) -> None:
    put(ws, 1, 1, title).font = Font(name=FONT_NAME, size=14, bold=True)
    put(ws, 2, 1, subtitle).font = Font(name=FONT_NAME, size=10)
    for i, line in enumerate(lines):
        c = put(ws, 3 + i, 1, line)
        c.font = Font(name=FONT_NAME, size=11)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[3 + i].height = 15 * max(1, -(-len(line) // 45))
    ws.column_dimensions["A"].width = 100


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    wb = Workbook()
    ws3 = wb.active
    assert isinstance(ws3, Worksheet)  # a new workbook holds one worksheet
    ws3.title = "表三"
    _title(ws3, ar.TABLE3_TITLE, f"{report_title(report)}　{scope_line(report)}", ar.TABLE3_WIDTH)
    grid3 = table3_grid(report)
    _place(ws3, grid3, ar.TABLE3_LABEL_COLS, ar.TABLE3_HEADER_ROWS)
    for width, col in zip((14, 14, 34), "ABC", strict=True):
        ws3.column_dimensions[col].width = width
    for j in range(len(ar.COLUMNS)):
        ws3.column_dimensions[get_column_letter(4 + j)].width = 10
    ws3.row_dimensions[GRID_TOP].height = 24
    ws3.row_dimensions[GRID_TOP + 1].height = 24
    ws3.row_dimensions[GRID_TOP + 2].height = 30
    for i, row in enumerate(ar.TABLE3_ROWS):
        if len(row.label) > 17:
            ws3.row_dimensions[GRID_TOP + ar.TABLE3_HEADER_ROWS + i].height = 30 if len(row.label) <= 34 else 45
    ws3.freeze_panes = ws3.cell(GRID_TOP + ar.TABLE3_HEADER_ROWS, 1 + ar.TABLE3_LABEL_COLS).coordinate
    _page(ws3)

    ws4 = wb.create_sheet("表四")
    _title(ws4, ar.TABLE4_TITLE, f"{report_title(report)}　{scope_line(report)}", ar.TABLE4_WIDTH)
    _place(ws4, table4_grid(report), 0, ar.TABLE4_HEADER_ROWS)
    for j in range(ar.TABLE4_WIDTH):
        ws4.column_dimensions[get_column_letter(1 + j)].width = 9
    ws4.row_dimensions[GRID_TOP + 1].height = 24
    _page(ws4, landscape=True)

    ws6 = wb.create_sheet("六、收费")
    _lines_sheet(ws6, ar.SECTION6_TITLE, scope_line(report), publishable_lines(report))
    _page(ws6)

    wsi = wb.create_sheet(INTERNAL_TITLE)
    _lines_sheet(wsi, INTERNAL_TITLE, INTERNAL_NOTE, internal_lines(report))
    fees = report["fees"]
    base = 3 + len(internal_lines(report)) + 1
    for k, (label, value) in enumerate((("收费通知（件）", fees["notices"]), ("应收金额（元）", fees["billed"]),
                                        ("实收金额（元）", fees["collected"]))):
        put(wsi, base + k, 1, label).font = Font(name=FONT_NAME, size=11)
        wsi.cell(base + k, 2, value).font = Font(name=FONT_NAME, size=11)
    wsi.column_dimensions["B"].width = 14
    _page(wsi, one_page=False)

    wb.properties.title = report_title(report)
    wb.properties.creator = "zwgk-tui"
    wb.save(path)
