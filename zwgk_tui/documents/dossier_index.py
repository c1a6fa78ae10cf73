"""The index (目录) of a case file, 一案一档 (Regulations Art. 45: 登记、审核、办理、答复、归档): what was issued,
with 文号, date and SHA-256, every event with its actor, the evidence behind the decision and the service records.

Pure rendering: the service layer gathers the facts into a DossierIndex; nothing here reads the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


@dataclass(frozen=True)
class DossierIndex:
    agency_name: str
    case_number: str
    summary: tuple[tuple[str, str], ...]  # (label, value) lines about the case
    documents: tuple[tuple[str, ...], ...]  # rows: 序号, 文书, 文号, 成文日期, 状态, 文件, SHA-256
    events: tuple[tuple[str, ...], ...]  # rows: 日期, 步骤, 办理人, 记录时间, 说明
    evidence: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    proceedings: tuple[str, ...] = ()
    made_on: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def _font(run_or_style_element: object, name: str, size: float, bold: bool = False) -> None:
    rpr = run_or_style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)  # python-docx's font.name does not set w:eastAsia
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(round(size * 2)))
        rpr.append(el)
    if bold:
        rpr.append(OxmlElement("w:b"))


def _para(doc: object, text: str, font: str = BODY_FONT, size: float = 12, *, bold: bool = False,
          center: bool = False) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    _font(run._r, font, size, bold)


def _table(doc: object, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], size: float = 9,
           widths_mm: tuple[float, ...] = ()) -> None:
    table = doc.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text)._r, HEADING_FONT, size)
    # Header repeats on every page; rows never split across pages.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    for row in rows:
        cells = table.add_row()
        cells._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text)._r, BODY_FONT, size)
    if widths_mm:
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)  # the grid LibreOffice and WPS lay out by
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)


def render_index(index: DossierIndex) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _para(doc, f"{index.agency_name}政府信息公开申请案卷目录", TITLE_FONT, 18, center=True)
    _para(doc, f"登记编号：{index.case_number}　　一案一档（《中华人民共和国政府信息公开条例》第四十五条）",
          BODY_FONT, 11, center=True)
    _para(doc, "一、案件概况", HEADING_FONT, 14)
    for label, value in index.summary:
        _para(doc, f"{label}：{value}")
    _para(doc, "二、文书（作废文书另存于“作废”文件夹）", HEADING_FONT, 14)
    if index.documents:
        _table(doc, ("序号", "文书", "文号", "成文日期", "状态", "文件", "SHA-256"), index.documents, 7.5,
               (9, 26, 24, 18, 16, 27, 36))
    else:
        _para(doc, "无")
    _para(doc, "三、证据及依据", HEADING_FONT, 14)
    for line in index.evidence or ("无",):
        _para(doc, line)
    _para(doc, "四、送达记录", HEADING_FONT, 14)
    for line in index.service or ("无",):
        _para(doc, line)
    if index.proceedings:
        _para(doc, "五、复议、诉讼", HEADING_FONT, 14)
        for line in index.proceedings:
            _para(doc, line)
    _para(doc, ("六" if index.proceedings else "五") + "、办理记录（只增不改）", HEADING_FONT, 14)
    _table(doc, ("日期", "步骤", "办理人", "记录时间", "说明"), index.events, 9, (20, 22, 18, 26, 70))
    for line in index.notes:
        _para(doc, line, size=10)
    if index.made_on:
        _para(doc, f"本目录生成于 {index.made_on}", size=10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
