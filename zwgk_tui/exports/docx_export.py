"""DOCX in the national layout, ready to paste into the annual report.

A4 with the official-document margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); title in 方正小标宋简体,
headings in 黑体, body and tables in 仿宋_GB2312. Chinese fonts are written to w:eastAsia (python-docx's font.name
sets only the Latin slots, and Word would otherwise fall back to a default CJK font). Merged cells are real
merges (w:gridSpan across, w:vMerge down), as in the format's template. No table row splits across a page and
the header rows repeat. Internal analytics (内部分析（不公开）) start on a page of their own after the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

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

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
TABLE_PT = 10.5  # 五号
TABLE4_PT = 9  # 小五: fifteen columns on a portrait page


def _fonts(element: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set every font slot (ascii, hAnsi, eastAsia, cs) of a run or style's rPr."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    rfonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(round(size * 2)))
    if bold is not None:
        el = rpr.find(qn("w:b"))
        if bold and el is None:
            rpr.append(OxmlElement("w:b"))
        elif not bold and el is not None:
            rpr.remove(el)


def _paragraph(doc: Any, text: str, font: str, size: float, *, align: Any = None, indent: bool = False,
               bold: bool = False) -> Any:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    run = p.add_run(text)
    _fonts(run._element, font, size, bold or None)
    return p


def _set_cell(cell: Any, text: str, size: float, align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> None:
    # A merge leaves one (empty) paragraph per merged cell: keep one, without runs, and write into it.
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    p = paragraphs[0]
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    p.alignment = align
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(text)
    _fonts(run._element, BODY_FONT, size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _table(doc: Any, grid: Grid, widths_cm: list[float], size: float, label_cols: int, header_rows: int) -> Any:
    table = doc.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Word reads the cell widths, LibreOffice the grid: set both, and a fixed layout.
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(round(Cm(width).twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    # Narrow cell margins (0.1 cm) leave room for four-digit numbers in the number columns.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Cm(widths_cm[j])
    # Merge first (merging joins the cells' paragraphs), then write the text into the merged cell.
    for item in grid.cells:
        if isinstance(item, NumberCell):
            continue
        cell = table.cell(item.row, item.col)
        if item.merged:
            cell = cell.merge(table.cell(item.row + item.rowspan - 1, item.col + item.colspan - 1))
        left = item.row >= header_rows and item.col < label_cols and (item.colspan > 1 or item.col == label_cols - 1)
        _set_cell(cell, item.text, size, WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER)
    for item in grid.cells:
        if isinstance(item, NumberCell):
            _set_cell(table.cell(item.row, item.col), str(item.value), size)
    # No row is split across pages (a label and its numbers stay together); header rows repeat on a new page.
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        tr_pr.append(cant)
        if r < header_rows:
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
    return table


def build_document(report: dict[str, Any]) -> Any:
    doc = Document()
    normal = doc.styles["Normal"]
    _fonts(normal.element, BODY_FONT, 16)
    normal.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _paragraph(doc, report_title(report), TITLE_FONT, 18, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, scope_line(report), BODY_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)

    _paragraph(doc, ar.TABLE3_TITLE, HEADING_FONT, 16, indent=True)
    widths3 = [1.4, 2.0, 3.6] + [1.22] * len(ar.COLUMNS)
    _table(doc, table3_grid(report), widths3, TABLE_PT, ar.TABLE3_LABEL_COLS, ar.TABLE3_HEADER_ROWS)

    _paragraph(doc, ar.TABLE4_TITLE, HEADING_FONT, 16, indent=True)
    _table(doc, table4_grid(report), [1.04] * ar.TABLE4_WIDTH, TABLE4_PT, 0, ar.TABLE4_HEADER_ROWS)

    _paragraph(doc, ar.SECTION6_TITLE, HEADING_FONT, 16, indent=True)
    for line in publishable_lines(report):
        _paragraph(doc, line, BODY_FONT, 16, indent=True)
    internal = internal_lines(report)
    if internal:
        # On its own page, after everything that is published: pasting the report stops before it.
        heading = _paragraph(doc, INTERNAL_TITLE, HEADING_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
        heading.paragraph_format.page_break_before = True
        _paragraph(doc, INTERNAL_NOTE, BODY_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)
        for line in internal:
            _paragraph(doc, line, BODY_FONT, 14, indent=True)
    doc.core_properties.title = report_title(report)
    doc.core_properties.author = "zwgk-tui"
    return doc


def write_docx(report: dict[str, Any], path: Path) -> None:
    build_document(report).save(str(path))
