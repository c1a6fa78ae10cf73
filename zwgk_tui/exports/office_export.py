"""The government office's weekly summary (每周汇总) as docx and xlsx.

Both show the board (one row per agency and a total) and then each agency's requests received in the week:
number, date of receipt, applicant type, applicant (natural persons masked), subject, reply due date and status.
The docx is A4 landscape in the official fonts (仿宋_GB2312 body, 黑体 headings, 方正小标宋简体 title; Chinese fonts go
to w:eastAsia, which python-docx's font.name does not set).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zwgk_tui.exports.safe_cells import put

if TYPE_CHECKING:
    from zwgk_tui.services.office import Board, BoardRow, Weekly

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SHEET_FONT = "宋体"

BOARD_HEADERS = ("机关", "本周收到", "在办", "已逾期", "5个工作日内到期", "待政府办审核", "待法制审核",
                 "本年复议诉讼", "已审结", "纠正", "纠错率")
REQUEST_HEADERS = ("编号", "收到日期", "申请人类型", "申请人", "申请内容", "答复期限", "状态")


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def board_cells(r: BoardRow) -> list[Any]:
    return [r.name, r.received, r.open, r.overdue, r.due_soon, r.office_review, r.legal_review, r.proceedings,
            r.decided, r.corrected, rate_text(r.correction_rate)]


def request_cells(row: dict[str, Any]) -> list[str]:
    due = row["due_date"] or "—"
    if row["due_date"] and row.get("provisional"):
        due += "（暂定）"
    return [row["number"], row["received_on"], row["applicant_type_label"], row["applicant"], row["subject"], due,
            row["status"]]


def title(b: Board) -> str:
    return f"政府信息公开申请每周汇总（{b.title}）"


def note(b: Board) -> str:
    return (f"本周收到为 {b.monday.isoformat()} 至 {b.sunday.isoformat()} 收到的申请；在办、逾期、到期和审核情况截至 "
            f"{b.today.isoformat()}；复议诉讼为 {b.year} 年提起的，纠错率 = 结果纠正 ÷ 已审结。")


# ---------------------------------------------------------------------------------------------------------------
# xlsx


def weekly_xlsx(w: Weekly, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    bold = Font(name=SHEET_FONT, bold=True)
    plain = Font(name=SHEET_FONT)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(vertical="top", wrap_text=True)

    def header(ws: Any, row: int, names: tuple[str, ...]) -> None:
        for j, name in enumerate(names, start=1):
            c = put(ws, row, j, name)
            c.font, c.fill, c.alignment = bold, fill, Alignment(horizontal="center", vertical="center",
                                                                 wrap_text=True)

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook holds one worksheet
    ws.title = "汇总"
    put(ws, 1, 1, title(w.board)).font = Font(name=SHEET_FONT, bold=True, size=14)
    put(ws, 2, 1, note(w.board)).font = plain
    header(ws, 3, BOARD_HEADERS)
    for i, r in enumerate([*w.board.rows, w.board.total], start=4):
        for j, value in enumerate(board_cells(r), start=1):
            c = put(ws, i, j, value)
            c.font = bold if r is w.board.total else plain
    ws.column_dimensions["A"].width = 28
    for j in range(2, len(BOARD_HEADERS) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 11

    ws2 = wb.create_sheet("本周新收")
    put(ws2, 1, 1, f"{title(w.board)}：各机关本周新收申请").font = Font(name=SHEET_FONT, bold=True, size=14)
    header(ws2, 2, ("机关", *REQUEST_HEADERS))
    row = 3
    for a in w.agencies:
        for req in a.rows:
            for j, value in enumerate([a.name, *request_cells(req)], start=1):
                c = put(ws2, row, j, value)
                c.font, c.alignment = plain, wrap
            row += 1
    for j, width in enumerate((24, 12, 12, 14, 14, 44, 14, 22), start=1):
        ws2.column_dimensions[get_column_letter(j)].width = width
    ws2.freeze_panes = "A3"
    if row > 3:
        ws2.auto_filter.ref = f"A2:H{row - 1}"
    wb.properties.title = title(w.board)
    wb.properties.creator = "zwgk-tui"
    wb.save(path)


# ---------------------------------------------------------------------------------------------------------------
# docx


def _fonts(run: Any, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _para(doc: Any, text: str, font: str, size: float, *, bold: bool = False, center: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run(text), font, size, bold)
    return p


def _table(doc: Any, headers: tuple[str, ...], rows: list[list[Any]], widths_cm: tuple[float, ...],
           bold_last: bool = False, numbers_from: int | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    t = doc.add_table(rows=1 + len(rows), cols=len(headers))
    t.style = "Table Grid"
    # Word and LibreOffice read the grid's column widths; python-docx sets them only with autofit off.
    t.autofit = False
    for j, width in enumerate(widths_cm):
        t.columns[j].width = Cm(width)
    for i, values in enumerate([list(headers), *rows]):
        for j, value in enumerate(values):
            cell = t.cell(i, j)
            cell.width = Cm(widths_cm[j])
            p = cell.paragraphs[0]
            if i == 0 or (numbers_from is not None and j >= numbers_from):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(str(value)), BODY_FONT, 10.5,
                   bold=i == 0 or (bold_last and i == len(rows)))


def weekly_docx(w: Weekly, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.0)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5)
    b = w.board
    _para(doc, title(b), TITLE_FONT, 18, center=True)
    _para(doc, note(b), BODY_FONT, 10.5)
    _para(doc, "一、各机关情况", HEADING_FONT, 14)
    _table(doc, BOARD_HEADERS, [board_cells(r) for r in [*b.rows, b.total]],
           (4.6, 1.8, 1.4, 1.6, 2.4, 2.4, 2.4, 2.4, 1.6, 1.4, 2.0), bold_last=True, numbers_from=1)
    _para(doc, "", BODY_FONT, 6)
    _para(doc, "二、各机关本周新收申请", HEADING_FONT, 14)
    for n, a in enumerate(w.agencies, start=1):
        _para(doc, f"（{_cn(n)}）{a.name}：本周收到 {len(a.rows)} 件", HEADING_FONT, 12)
        if not a.rows:
            _para(doc, "本周未收到政府信息公开申请。", BODY_FONT, 10.5)
            continue
        _table(doc, REQUEST_HEADERS, [request_cells(r) for r in a.rows], (2.4, 2.6, 2.6, 2.4, 8.2, 2.6, 3.6))
        _para(doc, "", BODY_FONT, 6)
    doc.core_properties.title = title(b)
    doc.core_properties.author = "zwgk-tui"
    doc.save(str(path))


_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)
