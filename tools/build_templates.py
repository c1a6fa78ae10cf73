#!/usr/bin/env python
"""Generate the default document templates (templates/docx/*.docx) with python-docx.

The templates are code so that their wording and layout can be reviewed in a diff and rebuilt exactly:
    .venv/bin/python tools/build_templates.py            # writes templates/docx/
    .venv/bin/python tools/build_templates.py --out DIR  # elsewhere (e.g. to compare)
Output is byte-for-byte reproducible (fixed document properties and zip timestamps).

Layout follows GB/T 9704-2012 《党政机关公文格式》: A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; body 3号仿宋 (16 pt) on a 22-line × 28-character grid (fixed line pitch 28.95 pt); title 2号小标宋
(22 pt) centred; page numbers 4号 "— 1 —" outside (odd pages right, even pages left, one character in).
Letters follow the 信函格式 (GB/T 9704 10.1) when the agency prints its letterhead: the 发文机关标志 in red
小标宋, centred, a red double line (thick over thin) under it, the 文号 at the right edge under the line.
The agency's name is centred over the date (7.3.5.1); the renderer sets that indent once the lengths are known.

All formatting lives in named paragraph styles (正文 = Word's Normal, 标题 = Word's Title, and 发文机关标志,
发文字号, 主送, 落款, 成文日期, 附注, 表格文字, 草稿标记), so an agency restyles a whole template in Word/WPS
by changing a style; paragraphs and runs carry no direct font formatting. East Asian fonts are written as
w:eastAsia (python-docx's font.name sets only the Latin slots) and registered in the font table with their
usual substitutes, so Word and WPS pick 仿宋 for 仿宋_GB2312 on machines without the GB2312 fonts.

Agencies edit the generated files in Word/WPS and put them in their override folder (same file names); the
variables they may use are listed in docs/templates.md. Jinja control tags that must not leave an empty
paragraph are docxtpl paragraph tags ({%p if … %} alone in a paragraph).
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import _Cell

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zwgk_tui.documents.kinds import KINDS, TEMPLATE_KINDS

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
MARK_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
LETTERHEAD_PT = 36.0  # 小初: 12 characters fit the 156 mm line
TABLE_PT = 12.0  # 小四, for the internal forms (a review sheet fits one page)
PAGE_NUMBER_PT = 14.0  # 4号
LINE_PT = 28.95  # 225 mm text block / 22 lines
CHAR_TWIPS = 320  # one body character (16 pt) in twips, for "空二字" indents
CHAR_SPACING_TWIPS = -5  # -0.25 pt: 28 characters of 3号 per 156 mm line
RED = "FF0000"
FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

W_PARAGRAPH = WD_ALIGN_PARAGRAPH

# Style names (what Word/WPS show) and their ids. Ids are ASCII because Word and WPS rewrite non-ASCII ids on
# save; the renderer finds the signature by the names 落款 and 成文日期.
BODY = "Normal"  # Word and WPS show the Normal style as “正文”
TITLE = "Title"  # shown as “标题”
LETTERHEAD = ("发文机关标志", "zwgkLetterhead")
DOC_NUMBER = ("发文字号", "zwgkDocNumber")
ADDRESSEE = ("主送", "zwgkAddressee")
SIGNATURE = ("落款", "zwgkSignature")
DATE = ("成文日期", "zwgkDate")
NOTE = ("附注", "zwgkNote")
TABLE_TEXT = ("表格文字", "zwgkTableText")
DRAFT_MARK = ("草稿标记", "zwgkDraftMark")

# Fonts the templates name, with what Word/WPS should use where they are missing (w:altName) and their
# character set (86 = GB2312).
FONTS = (
    (BODY_FONT, "仿宋", "02010609060101010101", "modern", "fixed"),
    (TITLE_FONT, "宋体", "02000000000000000000", "auto", "variable"),
    (MARK_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    (PAGE_NUMBER_FONT, "SimSun", "02010600030101010101", "auto", "variable"),
)


# --- low-level formatting ----------------------------------------------------------------------------------


# Child order of w:rPr in the schema (ECMA-376 17.3.2.28); Word rejects files with children out of order.
_RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def _rpr_child(rpr, name: str):
    """The rPr child ``w:name``, created in its schema position when missing."""
    el = rpr.find(qn(f"w:{name}"))
    if el is not None:
        return el
    el = OxmlElement(f"w:{name}")
    rank = _RPR_ORDER.index(name)
    for index, child in enumerate(rpr):
        local = child.tag.rsplit("}", 1)[-1]
        if local in _RPR_ORDER and _RPR_ORDER.index(local) > rank:
            rpr.insert(index, el)
            return el
    rpr.append(el)
    return el


def _set_fonts(rpr, font: str, size_pt: float) -> None:
    """Explicit fonts in every slot (ascii, hAnsi, eastAsia, cs), theme fonts removed, size in half-points."""
    rfonts = _rpr_child(rpr, "rFonts")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rfonts.set(qn("w:hint"), "eastAsia")
    half_points = str(round(size_pt * 2))
    for name in ("sz", "szCs"):
        _rpr_child(rpr, name).set(qn("w:val"), half_points)
    lang = _rpr_child(rpr, "lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _indent(ppr, first_chars: int = 0, left_chars: int = 0, right_chars: int = 0) -> None:
    """Indents in characters (w:*Chars, which Word and WPS keep when the font size changes) plus twips. Zeros
    are written too: a style must be able to cancel the first-line indent it inherits from 正文."""
    ind = ppr.get_or_add_ind()  # inserted in schema order (before w:jc)
    for key, chars in (("firstLine", first_chars), ("left", left_chars), ("right", right_chars)):
        ind.set(qn(f"w:{key}Chars"), str(chars * 100))
        ind.set(qn(f"w:{key}"), str(chars * CHAR_TWIPS))


def _spacing(fmt, points: float | None, before: float = 0, after: float = 0) -> None:
    if points is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(points)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _add_run(paragraph, text: str):
    """A run without direct formatting: the paragraph's style decides its font."""
    return paragraph.add_run(text)


def _style(
    doc: DocxDocument,
    ident: tuple[str, str],
    *,
    font: str = BODY_FONT,
    size: float = BODY_PT,
    color: str = "",
    align=W_PARAGRAPH.LEFT,
    first_chars: int = 0,
    right_chars: int = 0,
    line: float | None = LINE_PT,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
):
    """A paragraph style based on 正文 with everything it needs stated (agencies restyle it in Word/WPS)."""
    name, style_id = ident
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = doc.styles[BODY]
    style.quick_style = True
    _configure(style, font=font, size=size, color=color, align=align, first_chars=first_chars,
               right_chars=right_chars, line=line, before=before, after=after, keep_next=keep_next)
    return style


def _configure(style, *, font, size, color="", align=W_PARAGRAPH.LEFT, first_chars=0, right_chars=0,
               line: float | None = LINE_PT, before: float = 0, after: float = 0, keep_next=False) -> None:
    fmt = style.paragraph_format
    fmt.alignment = align
    _spacing(fmt, line, before, after)
    fmt.keep_with_next = keep_next
    _indent(style.element.get_or_add_pPr(), first_chars=first_chars, right_chars=right_chars)
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, font, size)
    if color:
        _rpr_child(rpr, "color").set(qn("w:val"), color)


def _border(style, edge: str, kind: str, size_eighths: int, space_pt: int, color: str = RED) -> None:
    ppr = style.element.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        # w:pBdr comes after keepNext/keepLines/pageBreakBefore/framePr/widowControl/numPr/suppressLineNumbers
        # and before w:shd, w:tabs, w:spacing, w:ind, w:jc (ECMA-376 17.3.1.26).
        anchor = next((ppr.find(qn(f"w:{n}")) for n in ("shd", "tabs", "suppressAutoHyphens", "kinsoku",
                                                       "wordWrap", "overflowPunct", "topLinePunct",
                                                       "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                                                       "snapToGrid", "spacing", "ind", "jc")
                       if ppr.find(qn(f"w:{n}")) is not None), None)
        if anchor is not None:
            anchor.addprevious(bdr)
        else:
            ppr.append(bdr)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), kind)
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), color)
    bdr.append(line)


def _no_snap(style) -> None:
    """Off the line grid: LibreOffice otherwise gives each line of a large font two grid lines; Word ignores
    the grid for exact spacing anyway."""
    ppr = style.element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    anchor = ppr.find(qn("w:spacing"))
    if anchor is not None:
        anchor.addprevious(snap)
    else:
        ppr.append(snap)


def _register_fonts(doc: DocxDocument) -> None:
    """Add the templates' fonts to word/fontTable.xml with their substitutes (w:altName) and GB2312 charset."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for name, alt, panose, family, pitch in FONTS:
        entry = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/>'
            f'<w:pitch w:val="{pitch}"/></w:font>'
        )
        fonts.append(entry)
    from lxml import etree

    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc: DocxDocument, grid: bool) -> None:
    """Defaults, 正文 (Normal), 标题 (Title) and the named styles of the letters and forms."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, BODY_FONT, BODY_PT)

    # 正文: 3号仿宋, fixed 28.95 pt lines, two characters in, no spacing, CJK fonts in w:eastAsia.
    normal = doc.styles[BODY]
    _configure(normal, font=BODY_FONT, size=BODY_PT, first_chars=2)
    normal.paragraph_format.widow_control = False
    if grid:
        _rpr_child(normal.element.get_or_add_rPr(), "spacing").set(qn("w:val"), str(CHAR_SPACING_TWIPS))

    # 标题: Word's Title restyled (its default has a theme font, a colour and a blue rule).
    title = doc.styles[TITLE]
    for child in list(title.element):
        if child.tag in (qn("w:pPr"), qn("w:rPr"), qn("w:link")):
            title.element.remove(child)
    _configure(title, font=TITLE_FONT, size=TITLE_PT, align=W_PARAGRAPH.CENTER, keep_next=True)
    _no_snap(title)

    letterhead = _style(doc, LETTERHEAD, font=TITLE_FONT, size=LETTERHEAD_PT, color=RED,
                        align=W_PARAGRAPH.CENTER, line=LETTERHEAD_PT + 6, keep_next=True)
    _no_snap(letterhead)
    # The red double line (thick over thin), 4 mm under the name, 170 mm long (信函格式): 7 mm beyond the
    # 156 mm text block on each side.
    _border(letterhead, "bottom", "thickThinSmallGap", 24, 11)
    ind = letterhead.element.get_or_add_pPr().get_or_add_ind()
    for side in ("left", "right"):
        ind.set(qn(f"w:{side}"), str(-round(7 / 25.4 * 1440)))
        ind.attrib.pop(qn(f"w:{side}Chars"), None)
    _style(doc, DOC_NUMBER, align=W_PARAGRAPH.CENTER, keep_next=True)
    _style(doc, ADDRESSEE, before=LINE_PT, keep_next=True)
    _style(doc, SIGNATURE, align=W_PARAGRAPH.RIGHT, right_chars=4, before=2 * LINE_PT, keep_next=True)
    _style(doc, DATE, align=W_PARAGRAPH.RIGHT, right_chars=4, keep_next=True)
    _style(doc, NOTE, first_chars=2)
    _style(doc, TABLE_TEXT, size=TABLE_PT, line=18)
    _style(doc, DRAFT_MARK, font=MARK_FONT, size=BODY_PT, color=RED, align=W_PARAGRAPH.CENTER, line=None)
    for name in ("Header", "Footer"):
        _configure(doc.styles[name], font=PAGE_NUMBER_FONT, size=PAGE_NUMBER_PT, line=None)


# --- document skeleton -------------------------------------------------------------------------------------


def _page_number_field(paragraph) -> None:
    """ "— N —" with a PAGE field, 4号宋体 (GB/T 9704 7.5)."""
    _add_run(paragraph, "— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _add_run(paragraph, "")
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""
    _add_run(paragraph, " —")


def _para(doc_or_cell, text: str, style=None):
    paragraph = doc_or_cell.add_paragraph(style=style)
    if text:
        _add_run(paragraph, text)
    return paragraph


DRAFT_TEXT = "草　稿（未经签发，不得作为正式文书送达）"


def new_document(kind: str, grid: bool = True, letterhead: bool = True) -> DocxDocument:
    doc = Document()
    _styles(doc, grid)
    _register_fonts(doc)

    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    # The page number's top edge sits 7 mm below the text block (35 - 7 = 28 mm from the page edge).
    section.footer_distance = Mm(22)
    grid_el = section._sectPr.find(qn("w:docGrid"))
    if grid:
        # 22 lines: a line grid of 579 twips (28.95 pt). No character grid: LibreOffice lays a 16 pt character
        # over two 15.79 pt grid cells; the 28 characters per line come from the Normal style's -0.25 pt
        # character spacing instead (442 pt / 15.75 pt = 28.07), which Word, WPS and LibreOffice all honour.
        grid_el.set(qn("w:type"), "lines")
        grid_el.set(qn("w:linePitch"), "579")
    else:
        grid_el.set(qn("w:linePitch"), "312")

    doc.settings.odd_and_even_pages_header_footer = True
    # The first page has its own header: the 发文机关标志 sits in the top margin as in the 信函格式 (its top
    # edge near 30 mm from the page edge, the red line under it), so a short notice keeps its body on one
    # page; the body starts with the 文号 under the line.
    section.different_first_page_header_footer = True
    footers = (
        (section.first_page_footer, W_PARAGRAPH.RIGHT, {"right_chars": 1}),
        (section.footer, W_PARAGRAPH.RIGHT, {"right_chars": 1}),
        (section.even_page_footer, W_PARAGRAPH.LEFT, {"left_chars": 1}),
    )
    for footer, align, indent in footers:
        number = footer.paragraphs[0]
        number.style = doc.styles["Footer"]
        number.alignment = align
        _indent(number._p.get_or_add_pPr(), **indent)
        _page_number_field(number)
    first = section.first_page_header
    if letterhead:
        tag(first, "{%p if letterhead %}")
        _para(first, "{{ agency_name }}", LETTERHEAD[0])
        tag(first, "{%p else %}")
        _para(first, "", "Header")  # a header part must keep one paragraph
        tag(first, "{%p endif %}")
    else:
        _para(first, "", "Header")
    # A draft says so at the top of every page (issue 10: no 文号, not frozen, marked 草稿); the paragraph is
    # there only in a draft, so it takes no room in the letterhead's header otherwise.
    for header in (first, section.header, section.even_page_header):
        tag(header, "{%p if draft %}")
        _para(header, DRAFT_TEXT, DRAFT_MARK[0])
        tag(header, "{%p endif %}")
    for header in (section.header, section.even_page_header):
        _para(header, "", "Header")
    for header in (first, section.header, section.even_page_header):
        header._element.remove(header.paragraphs[0]._p)  # python-docx's empty first paragraph

    title = KINDS[kind].title
    props = doc.core_properties
    props.title = title
    props.subject = "政府信息公开"
    props.author = "zwgk-tui"
    props.last_modified_by = "zwgk-tui"
    props.comments = (
        "默认模板，由 tools/build_templates.py 生成；可在 Word/WPS 中修改（改样式即可改版式），变量见 docs/templates.md"
    )
    props.keywords = ""
    props.category = ""
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.language = "zh-CN"

    # python-docx's blank document starts with one empty paragraph; the template's own come after it.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); it disappears when rendered."""
    _para(doc, text)


def heading(doc: DocxDocument, letterhead: bool = True, number: bool = True) -> None:
    """The 文号 at the right edge under the red line (信函格式, when the agency prints its letterhead; the
    letterhead itself is in the first page's header), the title, and the 文号 centred under the title when
    there is no letterhead. A document without a number (a draft, a receipt, a form) has no number line."""
    if letterhead:
        tag(doc, "{%p if letterhead and doc_number %}")
        number = _para(doc, "{{ doc_number }}", DOC_NUMBER[0])
        number.alignment = W_PARAGRAPH.RIGHT
        tag(doc, "{%p endif %}")
    _para(doc, "{{ full_title }}", TITLE)
    if number:
        tag(doc, "{%p if doc_number and not letterhead %}" if letterhead else "{%p if doc_number %}")
        _para(doc, "{{ doc_number }}", DOC_NUMBER[0])
        tag(doc, "{%p endif %}")


def salutation(doc: DocxDocument, text: str) -> None:
    _para(doc, text, ADDRESSEE[0])


def body(doc: DocxDocument, text: str) -> None:
    # 正文 is left-aligned, not justified: LibreOffice (what offices without Word print with) hangs a line-final
    # "。" into the margin of a justified paragraph and then does not print it (its DOCX import ignores
    # w:overflowPunct). For full-width Chinese text the right edge looks the same either way.
    _para(doc, text, BODY)


def _is_tag(paragraph) -> bool:
    return paragraph.text.startswith("{%p ")


def signature(doc: DocxDocument, remedy: bool = False) -> None:
    """Remedy clause (if any), the agency's name centred over the date (the date 4 characters in), then the
    contact note (附注: two characters in, in parentheses, under the date).

    The last body paragraph is kept with the signature block, so the signature never stands alone on a page
    (GB/T 9704 7.3.5.4: no page without body text)."""
    if remedy:
        tag(doc, "{%p if remedy_clause %}")
        body(doc, "{{ remedy_clause }}")
        tag(doc, "{%p endif %}")
    for paragraph in reversed(doc.paragraphs):
        if not _is_tag(paragraph):
            paragraph.paragraph_format.keep_with_next = True
            break
    _para(doc, "{{ agency_name }}", SIGNATURE[0])
    _para(doc, "{{ issued_on }}", DATE[0])
    tag(doc, "{%p if agency_contact_line %}")
    _para(doc, "（{{ agency_contact_line }}）", NOTE[0])
    tag(doc, "{%p endif %}")


# Where written answers go (correction, explanation, consultation letters).
ADDRESS = (
    "{% if agency_address %}本机关通信地址：{{ agency_address }}"
    "{% if agency_postcode %}，邮政编码：{{ agency_postcode }}{% endif %}。{% endif %}"
)


RECEIVED = (
    "本机关于{{ received_on }}收到{{ you }}提出的政府信息公开申请（登记编号：{{ case_number }}）"
    "{% if corrected_on %}，并于{{ corrected_on }}收到{{ you }}补正后的申请{% endif %}。"
    "{% if clarified_content %}补正后的申请内容为：“{{ clarified_content }}”。"
    "{% else %}{{ you }}申请公开的内容为：“{{ content }}”。{% endif %}"
)


def letter(
    kind: str, addressee: str = "{{ applicant_name }}：", received: str | None = RECEIVED
) -> DocxDocument:
    doc = new_document(kind)
    heading(doc)
    salutation(doc, addressee)
    if received:
        body(doc, received)
    return doc


# --- tables (internal forms) -------------------------------------------------------------------------------


def _cell_text(cell: _Cell, lines: list, align=W_PARAGRAPH.LEFT, top: bool = False) -> None:
    """Lines of a cell; a line may be (text, alignment) to override the cell's alignment."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP if top else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, line in enumerate(lines):
        text, line_align = line if isinstance(line, tuple) else (line, align)
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.style = cell.part.document.styles[TABLE_TEXT[0]]
        paragraph.alignment = line_align
        if text:
            _add_run(paragraph, text)


def _table(doc: DocxDocument, widths_mm: tuple[float, ...]):
    table = doc.add_table(rows=0, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(width / 25.4 * 1440)))
    return table


def _row(
    table, widths_mm, cells: list[tuple[str | list, int]], height_mm: float = 10, top: bool = False
) -> None:
    """One row: (text or lines, column span) per cell; odd cells are labels (centred)."""
    row = table.add_row()
    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for index, width in enumerate(widths_mm):
        row.cells[index].width = Mm(width)
    col = 0
    for position, (text, span) in enumerate(cells):
        cell = row.cells[col]
        if span > 1:
            cell = cell.merge(row.cells[col + span - 1])
        lines = text if isinstance(text, list) else [text]
        is_label = position % 2 == 0
        _cell_text(cell, lines, W_PARAGRAPH.CENTER if is_label else W_PARAGRAPH.LEFT, top and not is_label)
        col += span


WIDTHS = (32.0, 46.0, 32.0, 46.0)  # 156 mm text block
REVIEW_WIDTHS = (39.0, 42.0, 30.0, 45.0)  # "负责人签发意见" and the dates on one line


def form(kind: str) -> DocxDocument:
    """An internal form: the title with the agency's name (no letterhead, no number line)."""
    doc = new_document(kind, grid=False, letterhead=False)
    heading(doc, letterhead=False, number=False)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(LINE_PT / 2)
    return doc


def build_registration_form() -> DocxDocument:
    doc = form("registration_form")  # the title names the agency
    t = _table(doc, WIDTHS)
    _row(t, WIDTHS, [("登记编号", 1), ("{{ case_number }}", 1), ("登记日期", 1), ("{{ issued_on }}", 1)])
    _row(t, WIDTHS, [("申请方式", 1), ("{{ channel }}", 1), ("收到日期", 1), ("{{ received_on }}", 1)])
    _row(
        t,
        WIDTHS,
        [("姓名或名称", 1), ("{{ applicant_name }}", 1), ("申请人类型", 1), ("{{ applicant_type }}", 1)],
    )
    _row(t, WIDTHS, [("证件号码", 1), ("{{ applicant_id_number }}", 3)])
    _row(
        t,
        WIDTHS,
        [("联系电话", 1), ("{{ applicant_phone }}", 1), ("电子邮箱", 1), ("{{ applicant_email }}", 1)],
    )
    _row(
        t,
        WIDTHS,
        [("通信地址", 1), ("{{ applicant_address }}", 1), ("邮政编码", 1), ("{{ applicant_postcode }}", 1)],
    )
    _row(t, WIDTHS, [("委托代理人", 1), ("{{ applicant_agent }}", 3)])
    _row(t, WIDTHS, [("申请公开的政府信息", 1), ("{{ content }}", 3)], height_mm=40, top=True)
    _row(t, WIDTHS, [("形式要求", 1), ("{{ form_requested }}", 1), ("获取方式", 1), ("{{ delivery }}", 1)])
    _row(
        t,
        WIDTHS,
        [
            ("补正情况", 1),
            ("{% if corrected_on %}{{ corrected_on }}收到补正后的申请{% else %}无{% endif %}", 1),
            ("答复期限", 1),
            ("{{ due_date }}", 1),
        ],
    )
    _row(t, WIDTHS, [("申请人签名（口头申请）", 1), ("", 3)], height_mm=16)
    _row(t, WIDTHS, [("登记人", 1), ("{{ drafter }}", 1), ("备注", 1), ("", 1)], height_mm=12)
    return doc


def _review_cell(step: str) -> list:
    return [
        f"{{{{ review_steps.{step}.opinion }}}}",
        (
            f"签名：{{{{ review_steps.{step}.by }}}}　　日期：{{{{ review_steps.{step}.on }}}}",
            W_PARAGRAPH.RIGHT,
        ),
    ]


def build_review_sheet() -> DocxDocument:
    doc = form("review_sheet")  # the title names the agency
    t = _table(doc, REVIEW_WIDTHS)
    _row(t, REVIEW_WIDTHS, [("登记编号", 1), ("{{ case_number }}", 1), ("收到日期", 1), ("{{ received_on }}", 1)])
    _row(
        t,
        REVIEW_WIDTHS,
        [("申请人", 1), ("{{ applicant_name }}", 1), ("申请人类型", 1), ("{{ applicant_type }}", 1)],
    )
    _row(
        t,
        REVIEW_WIDTHS,
        [
            ("申请方式", 1),
            ("{{ channel }}", 1),
            ("答复期限", 1),
            ("{% if extended_due %}{{ extended_due }}（已延期）{% else %}{{ due_date }}{% endif %}", 1),
        ],
    )
    _row(
        t,
        REVIEW_WIDTHS,
        [("申请内容", 1), ("{{ content }}{% if clarified_content %}（补正后：{{ clarified_content }}）{% endif %}", 3)],
        height_mm=16,
        top=True,
    )
    _row(t, REVIEW_WIDTHS, [("拟处理结果", 1), ("{{ outcome_label }}", 3)])
    _row(
        t,
        REVIEW_WIDTHS,
        [("理由及依据", 1), ("{{ reason }}{% if articles %}依据：{{ articles }}。{% endif %}", 3)],
        height_mm=16,
        top=True,
    )
    # Spec 09: the evidence behind the decision is printed in the review sheet, each ground with its article.
    _row(t, REVIEW_WIDTHS, [("证据及依据", 1), ("{% if evidence %}{{ evidence }}{% else %}无{% endif %}", 3)],
         height_mm=10, top=True)
    _row(
        t,
        REVIEW_WIDTHS,
        [("救济途径告知", 1), ("{{ remedy_clause }}{% if remedy_basis %}（依据：{{ remedy_basis }}）{% endif %}", 3)],
        height_mm=10,
        top=True,
    )
    _row(t, REVIEW_WIDTHS, [("承办人", 1), ("{{ drafter }}", 1), ("送达方式", 1), ("{{ service_method }}", 1)])
    _row(t, REVIEW_WIDTHS, [("政府办审核意见", 1), (_review_cell("office_review"), 3)], height_mm=20, top=True)
    _row(t, REVIEW_WIDTHS, [("法制审核意见", 1), (_review_cell("legal_review"), 3)], height_mm=20, top=True)
    _row(t, REVIEW_WIDTHS, [("负责人签发意见", 1), (_review_cell("sign_off"), 3)], height_mm=20, top=True)
    return doc


def build_service_receipt() -> DocxDocument:
    """送达回证: the applicant signs it on receiving the reply in person; the signature date is the date of service
    (spec 09). Filled in by hand where the form has blanks."""
    doc = form("service_receipt")
    t = _table(doc, WIDTHS)
    _row(t, WIDTHS, [("送达文书", 1), ("{{ served_document_title }}", 3)], height_mm=12)
    _row(t, WIDTHS, [("文号", 1), ("{{ served_document_number }}", 1),
                     ("成文日期", 1), ("{{ served_document_date }}", 1)])
    _row(t, WIDTHS, [("登记编号", 1), ("{{ case_number }}", 1), ("收到申请日期", 1), ("{{ received_on }}", 1)])
    _row(t, WIDTHS, [("受送达人", 1), ("{{ applicant_name }}", 3)])
    _row(t, WIDTHS, [("送达地点", 1), ("{{ agency_address }}", 3)])
    _row(t, WIDTHS, [("送达方式", 1), ("{{ service_method }}", 1), ("送达人", 1), ("{{ served_by }}", 1)])
    _row(t, WIDTHS, [("受送达人签名", 1), ("", 1), ("签收日期", 1), ("　　年　　月　　日", 1)], height_mm=20)
    _row(t, WIDTHS, [("代收人及代收理由", 1), ("", 3)], height_mm=16)
    _row(t, WIDTHS,
         [("备注", 1), ("受送达人拒绝签收的，送达人应当在备注栏注明拒收事由和日期，由送达人、见证人签名。", 3)],
         height_mm=20, top=True)
    return doc


# --- notices -----------------------------------------------------------------------------------------------

REG = "《中华人民共和国政府信息公开条例》"


def build_receipt() -> DocxDocument:
    doc = letter(
        "receipt",
        received=(
            "本机关于{{ received_on }}收到{{ you }}通过{{ channel }}方式提出的政府信息公开申请，"
            "登记编号为{{ case_number }}。{{ you }}申请公开的内容为：“{{ content }}”。"
        ),
    )
    body(
        doc,
        f"本机关将依照{REG}第三十三条的规定，自收到申请之日起20个工作日内予以答复"
        "{% if due_date %}（即{{ due_date }}前）{% endif %}；需要延长答复期限的，经本机关政府信息公开工作机构"
        "负责人同意并告知{{ you }}，延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在"
        "上述期限内。",
    )
    body(doc, "查询办理情况时，请提供上述登记编号。")
    signature(doc)
    return doc


# "自收到本……之日起N个工作日内" always; the computed last day only when the date of service is known.
def _period(days: str, last_day: str, document: str = "本告知书", start: str = "之日起") -> str:
    return (f"自收到{document}{start}{{{{ {days} }}}}个工作日内"
            f"{{% if {last_day} %}}（{{{{ {last_day} }}}}前）{{% endif %}}")


def build_correction_notice() -> DocxDocument:
    doc = letter("correction_notice")
    body(
        doc,
        "经审查，{{ you }}的申请{{ correction_reason }}。"
        "根据{{ correction_articles }}的规定，现一次性告知{{ you }}需要补正的事项如下：",
    )
    body(doc, "{{ correction_items }}")
    body(
        doc,
        "请{{ you }}"
        "{% if correction_days %}"
        + _period("correction_days", "correct_by")
        + "{% else %}于{{ correct_by }}前{% endif %}"
        "向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
        "{{ you }}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
        "补正过程中如需指导和释明，请与本机关联系。" + ADDRESS,
    )
    signature(doc)
    return doc


def build_explanation_request() -> DocxDocument:
    doc = letter("explanation_request")
    body(
        doc,
        "经审查，{{ you }}申请公开政府信息的数量、频次明显超过合理范围。{{ reason }}"
        f"根据{REG}第三十五条的规定，请{{{{ you }}}}"
        "{% if explanation_days %}" + _period("explanation_days", "correct_by")
        + "{% elif correct_by %}于{{ correct_by }}前{% endif %}以书面形式向本机关说明申请理由。",
    )
    body(
        doc,
        "本机关认为申请理由不合理的，将告知{{ you }}不予处理；认为申请理由合理，但是无法在"
        f"{REG}第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知{{{{ you }}}}。" + ADDRESS,
    )
    signature(doc)
    return doc


def build_extension_notice() -> DocxDocument:
    doc = letter("extension_notice")
    body(
        doc,
        "{% if extension_reason %}因{{ extension_reason }}，{% endif %}本机关不能在法定答复期限内"
        "{% if due_date %}（{{ due_date }}前）{% endif %}作出答复。"
        f"根据{REG}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长"
        "{{ extension_days }}个工作日，本机关将于{{ extended_due }}前作出答复。",
    )
    body(doc, "特此告知。")
    signature(doc)
    return doc


def build_delay_notice() -> DocxDocument:
    doc = letter("delay_notice")
    body(
        doc,
        "{{ you }}申请公开政府信息的数量、频次明显超过合理范围，本机关于{{ explanation_requested_on }}要求"
        "{{ you }}说明申请理由{% if explanation_answer %}，{{ you }}已说明理由{% endif %}。经审查，本机关认为"
        "{{ you }}的申请理由合理，但{% if delay_reason %}因{{ delay_reason }}，{% endif %}无法在"
        f"{REG}第三十三条规定的期限内答复。根据{REG}第三十五条的规定，本机关确定延迟答复的期限为"
        "{{ delay_until }}前，届时将依法作出答复。",
    )
    body(doc, "特此告知。")
    signature(doc)
    return doc


CONSULT_RECEIVED = (
    "本机关于{{ received_on }}收到一份政府信息公开申请（登记编号：{{ case_number }}），"
    "申请公开的内容为：“{% if clarified_content %}{{ clarified_content }}{% else %}{{ content }}{% endif %}”。"
)


def build_third_party_consultation() -> DocxDocument:
    doc = letter("third_party_consultation", "{{ consult_to }}：", CONSULT_RECEIVED)
    body(
        doc,
        "经审查，本机关认为该政府信息公开后可能损害{{ consult_you }}的合法权益。{{ reason }}"
        f"根据{REG}第三十二条的规定，现书面征求{{{{ consult_you }}}}的意见。",
    )
    body(
        doc,
        "请{{ consult_you }}" + _period("consult_days", "consult_due", "本征求意见书")
        + "向本机关提出是否同意公开的书面意见；不同意公开的，请说明理由。逾期未提出意见的，由本机关依照"
        f"{REG}的规定决定是否公开。",
    )
    body(
        doc,
        "{{ consult_you }}不同意公开且有合理理由的，本机关不予公开。本机关认为不公开可能对公共利益造成重大"
        "影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知{{ consult_you }}。" + ADDRESS,
    )
    signature(doc)
    return doc


def build_third_party_decision() -> DocxDocument:
    doc = letter(
        "third_party_decision",
        "{{ consult_to }}：",
        "本机关{% if consult_sent_on %}于{{ consult_sent_on }}{% endif %}就一份政府信息公开申请"
        "（登记编号：{{ case_number }}）所涉政府信息书面征求了{{ consult_you }}的意见。"
        "{% if third_party_view %}{{ consult_you }}{{ third_party_view }}"
        "{% if third_party_opinion %}，具体意见为：{{ third_party_opinion }}{% endif %}。{% endif %}",
    )
    body(
        doc,
        "经审查，本机关认为不公开该政府信息可能对公共利益造成重大影响。"
        f"根据{REG}第十五条、第三十二条的规定，本机关决定予以公开。现将决定公开的政府信息内容和理由告知如下：",
    )
    body(
        doc,
        "一、决定公开的政府信息：{% if provided_part %}{{ provided_part }}"
        "{% elif clarified_content %}{{ clarified_content }}{% else %}{{ content }}{% endif %}。",
    )
    body(doc, "二、决定公开的理由：{% if public_interest %}{{ public_interest }}。{% else %}{{ reason }}{% endif %}")
    signature(doc, remedy=True)
    return doc


def build_agency_consultation() -> DocxDocument:
    doc = letter("agency_consultation", "{{ consult_to }}：", CONSULT_RECEIVED)
    body(
        doc,
        "经审查，该政府信息由本机关与贵机关共同制作。{{ reason }}"
        f"根据{REG}第三十四条的规定，现征求贵机关的意见。",
    )
    body(
        doc,
        "请贵机关" + _period("consult_days", "consult_due", "本征求意见书")
        + "提出是否同意公开的书面意见；不同意公开的，请说明理由和依据。逾期未提出意见的，视为同意公开。"
        + ADDRESS,
    )
    signature(doc)
    return doc


def build_fee_notice() -> DocxDocument:
    doc = letter("fee_notice")
    body(
        doc,
        "经审查，{{ you }}申请公开政府信息的数量、频次明显超过合理范围，本机关决定对该申请收取信息处理费。"
        "现将有关事项通知如下：",
    )
    body(
        doc,
        f"一、收费依据：{REG}第四十二条，《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）。",
    )
    body(
        doc,
        "二、收费标准：{{ fee_method }}，按照超额累进方式计算。"
        '{% if fee_method_code == "per_page" %}'
        "30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，"
        "20元/页；201页以上的部分，40元/页。"
        "{% else %}"
        "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；"
        "31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。"
        "{% endif %}",
    )
    body(
        doc,
        "三、收费数额：计费数量{{ fee_quantity }}{{ fee_unit }}，应缴纳信息处理费{{ fee_amount }}"
        "（大写：人民币{{ fee_amount_capitals }}）。{% if fee_breakdown %}计算明细如下：{% endif %}",
    )
    tag(doc, "{%p for line in fee_breakdown %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    body(doc, "四、缴纳方式：{{ fee_payment_route }}。")
    body(
        doc,
        "五、缴纳期限：请{{ you }}" + _period("fee_payment_days", "fee_payment_due", "本通知", "次日起")
        + "缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    )
    signature(doc, remedy=True)
    return doc


# --- replies -----------------------------------------------------------------------------------------------

ART40 = f"根据{REG}第四十条的规定，"
FOUND = "经审查，{{ you }}申请公开的政府信息"


def build_reply_disclosed() -> DocxDocument:
    doc = letter("reply_disclosed")
    tag(doc, "{%p if already_published %}")
    body(
        doc,
        FOUND + "本机关已{% if published_on %}于{{ published_on }}{% endif %}主动公开。{{ reason }}"
        "根据{{ articles }}的规定，现告知{{ you }}获取该政府信息的方式和途径："
        "{% if published_where %}{{ you }}可以通过{{ published_where }}获取。"
        "{% if provision_method %}{{ provision_method }}。{% endif %}"
        "{% else %}{{ provision_method }}。{% endif %}",
    )
    tag(doc, "{%p else %}")
    body(
        doc,
        FOUND + "{{ ground }}。"
        "{% if public_interest %}本机关已依法书面征求第三方的意见，第三方{{ third_party_view }}。"
        "本机关认为不公开可能对公共利益造成重大影响，理由是：{{ public_interest }}。{% endif %}"
        "{{ reason }}根据{{ articles }}的规定，本机关决定予以公开。",
    )
    body(doc, ART40 + "{{ provision_method }}。")
    tag(doc, "{%p endif %}")
    signature(doc, remedy=True)
    return doc


def build_reply_partially_disclosed() -> DocxDocument:
    doc = letter("reply_partially_disclosed")
    body(
        doc,
        FOUND + "{{ ground }}。根据{{ articles }}的规定，本机关决定部分公开，具体如下：",
    )
    body(
        doc,
        "一、予以公开的部分：{{ provided_part }}。"
        "{% if public_interest %}第三方不同意公开，本机关认为不公开可能对公共利益造成重大影响，"
        "理由是：{{ public_interest }}。{% endif %}" + ART40 + "{{ provision_method }}。",
    )
    tag(doc, "{%p if withheld %}")
    body(doc, "二、不予公开的部分及理由：")
    tag(doc, "{%p for w in withheld %}")
    body(doc, "{{ w.sentence }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if search_statement %}")
    body(doc, "{{ search_statement }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if reason %}")
    body(doc, "{% if withheld|length > 1 %}不予公开上述部分的具体理由{% else %}不予公开该部分的具体理由{% endif %}："
         "{{ reason }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    body(doc, "二、不予公开的部分：{{ withheld_part }}。不予公开的理由：{{ reason }}")
    tag(doc, "{%p endif %}")
    signature(doc, remedy=True)
    return doc


THIRD_PARTY_CONSULTED = (
    '{% if outcome == "withheld_third_party" and third_party_view %}'
    "本机关已依法书面征求第三方的意见，第三方{{ third_party_view }}"
    "{% if third_party_opinion %}（{{ third_party_opinion }}）{% endif %}。{% endif %}"
)


def build_reply_withheld() -> DocxDocument:
    doc = letter("reply_withheld")
    tag(doc, '{%p if outcome == "withheld_inquiry_matter" %}')
    body(
        doc,
        "经审查，{{ you }}申请获取的信息{{ ground }}。{{ reason }}根据{{ articles }}的规定，"
        "请{{ you }}依照有关法律、行政法规的规定办理。",
    )
    tag(doc, "{%p elif withheld|length > 1 %}")
    body(doc, FOUND + "含有下列不予公开的内容：")
    tag(doc, "{%p for w in withheld %}")
    body(doc, "{{ w.sentence }}")
    tag(doc, "{%p endfor %}")
    body(doc, THIRD_PARTY_CONSULTED + "{{ reason }}根据{{ articles }}的规定，本机关决定不予公开。")
    tag(doc, "{%p else %}")
    body(
        doc,
        FOUND + "{{ ground }}。" + THIRD_PARTY_CONSULTED
        + "{{ reason }}根据{{ articles }}的规定，本机关决定不予公开。",
    )
    tag(doc, "{%p endif %}")
    signature(doc, remedy=True)
    return doc


def build_reply_unavailable() -> DocxDocument:
    doc = letter("reply_unavailable")
    tag(doc, '{%p if outcome == "unavailable_not_held" and not_this_agency %}')
    body(
        doc,
        "{% if search_statement %}{{ search_statement }}经检索，{{ you }}申请公开的政府信息"
        "{% else %}" + FOUND + "{% endif %}"
        "{{ ground }}。{{ reason }}根据{{ articles }}的规定，现告知{{ you }}："
        "{% if responsible_agency %}负责公开该政府信息的行政机关为{{ responsible_agency }}"
        "{% if responsible_contact %}，联系方式：{{ responsible_contact }}{% endif %}，"
        "{{ you }}可以向该机关提出申请。"
        "{% else %}负责公开该政府信息的行政机关无法确定，原因是：{{ responsible_unknown_reason }}。{% endif %}",
    )
    tag(doc, '{%p elif outcome == "unavailable_not_held" %}')
    body(
        doc,
        "{% if search_statement %}{{ search_statement }}经检索，本机关未制作或者获取{{ you }}申请公开的政府信息。"
        "{% else %}经审查，本机关未制作或者获取{{ you }}申请公开的政府信息。{% endif %}"
        "{{ reason }}根据{{ articles }}的规定，现告知{{ you }}：{{ you }}申请公开的政府信息不存在。",
    )
    tag(doc, '{%p elif outcome == "unavailable_needs_creation" %}')
    body(
        doc,
        "经审查，本机关没有与{{ you }}的申请相对应的现成政府信息，提供该信息需要本机关对现有政府信息进行加工、"
        "分析。{{ reason }}根据{{ articles }}的规定，本机关不予提供。",
    )
    tag(doc, "{%p else %}")
    body(
        doc,
        "经审查，{{ you }}补正后的申请内容仍不明确，本机关无法据此确定{{ you }}所申请公开的政府信息。"
        "{{ reason }}根据{{ articles }}的规定，本机关无法向{{ you }}提供。{{ you }}可以在明确所需政府信息的"
        "名称、文号或者其他特征性描述后重新提出申请。",
    )
    tag(doc, "{%p endif %}")
    signature(doc, remedy=True)
    return doc


def build_reply_not_processed() -> DocxDocument:
    doc = letter("reply_not_processed")
    tag(doc, '{%p if outcome == "not_processed_petition" %}')
    body(
        doc,
        "经审查，{{ you }}的申请实质上是以政府信息公开申请的形式进行信访、投诉、举报等活动。{{ reason }}"
        "根据{{ articles }}的规定，本机关不作为政府信息公开申请处理。{{ you }}可以通过信访、投诉、举报等"
        "相应渠道提出。",
    )
    tag(doc, '{%p elif outcome == "not_processed_duplicate" %}')
    body(
        doc,
        "本机关已于{{ earlier_reply_date }}就{{ you }}此前提出的政府信息公开申请"
        "{% if earlier_case_number %}（登记编号：{{ earlier_case_number }}）{% endif %}"
        "作出答复（{{ earlier_reply_number }}）。经审查，{{ you }}此次申请公开的是相同的政府信息。{{ reason }}"
        "根据{{ articles }}的规定，本机关不予重复处理。",
    )
    tag(doc, '{%p elif outcome == "not_processed_publication" %}')
    body(
        doc,
        "经审查，{{ you }}申请获取的是政府公报、报刊、书籍等公开出版物。{{ reason }}根据{{ articles }}的规定，"
        "{% if provision_method %}现告知{{ you }}获取的途径：{{ provision_method }}。"
        "{% else %}{{ you }}可以通过公开发行渠道获取。{% endif %}",
    )
    tag(doc, '{%p elif outcome == "not_processed_excessive" %}')
    body(
        doc,
        "{{ you }}申请公开政府信息的数量、频次明显超过合理范围，本机关于{{ explanation_requested_on }}要求"
        "{{ you }}说明申请理由。"
        "{% if explanation_answer %}{{ you }}说明的理由为：“{{ explanation_answer }}”。经审查，本机关认为"
        "{{ you }}的申请理由不合理。"
        "{% else %}{{ you }}未在规定期限内说明理由，本机关认为{{ you }}的申请理由不合理。{% endif %}"
        "{{ reason }}根据{{ articles }}的规定，本机关不予处理。",
    )
    tag(doc, "{%p else %}")
    body(
        doc,
        "经审查，{{ you }}的申请是要求本机关对{{ you }}已经获取的信息予以确认或者重新出具，不属于获取政府信息的"
        "申请。{{ reason }}根据{{ articles }}的规定，本机关不作为政府信息公开申请处理。",
    )
    tag(doc, "{%p endif %}")
    signature(doc, remedy=True)
    return doc


def build_reply_other() -> DocxDocument:
    doc = letter("reply_other")
    tag(doc, '{%p if outcome == "other_no_correction" %}')
    body(
        doc,
        "本机关已书面告知{{ you }}需要补正的事项和补正期限{% if correct_by %}（{{ correct_by }}前）{% endif %}。"
        "{{ you }}无正当理由逾期未补正。{{ reason }}根据{{ articles }}的规定，{{ you }}的申请视为放弃，"
        "本机关不再处理该政府信息公开申请。",
    )
    tag(doc, '{%p elif outcome == "other_fee_unpaid" %}')
    body(
        doc,
        "本机关已向{{ you }}发出政府信息公开信息处理费收费通知书，{{ you }}未在收到通知书次日起"
        "{{ fee_payment_days }}个工作日内{% if fee_payment_due %}（{{ fee_payment_due }}前）{% endif %}缴纳费用。"
        "{{ reason }}根据{{ articles }}的规定，{{ you }}的申请视为放弃，本机关不再处理该政府信息公开申请。",
    )
    tag(doc, "{%p else %}")
    body(doc, "{{ reason }}{% if articles %}本处理的依据为{{ articles }}。{% endif %}")
    tag(doc, "{%p endif %}")
    signature(doc, remedy=True)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "registration_form": build_registration_form,
    "receipt": build_receipt,
    "correction_notice": build_correction_notice,
    "explanation_request": build_explanation_request,
    "extension_notice": build_extension_notice,
    "delay_notice": build_delay_notice,
    "third_party_consultation": build_third_party_consultation,
    "third_party_decision": build_third_party_decision,
    "agency_consultation": build_agency_consultation,
    "fee_notice": build_fee_notice,
    "review_sheet": build_review_sheet,
    "service_receipt": build_service_receipt,
    "reply_disclosed": build_reply_disclosed,
    "reply_partially_disclosed": build_reply_partially_disclosed,
    "reply_withheld": build_reply_withheld,
    "reply_unavailable": build_reply_unavailable,
    "reply_not_processed": build_reply_not_processed,
    "reply_other": build_reply_other,
}


def _reproducible(docx_bytes: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and order so that a rebuild gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def build_all(out_dir: Path) -> list[Path]:
    missing = set(TEMPLATE_KINDS) - set(BUILDERS)
    if missing:
        raise SystemExit(f"no builder for: {', '.join(sorted(missing))}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for code in TEMPLATE_KINDS:
        doc = BUILDERS[code]()
        buffer = io.BytesIO()
        doc.save(buffer)
        path = out_dir / KINDS[code].template
        path.write_bytes(_reproducible(buffer.getvalue()))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成默认文书模板（templates/docx/*.docx）")
    parser.add_argument("--out", type=Path, default=ROOT / "templates" / "docx", help="输出目录")
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
