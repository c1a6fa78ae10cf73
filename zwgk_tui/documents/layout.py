"""How much of its first page a filled letter takes, and the line pitch that keeps a short letter on one page.

GB/T 9704 7.3.5.4: when the signature and date do not fit under the text on the last page, the line spacing is
adjusted. A letter that runs a few lines over one page is set a little tighter (down to 25 pt) so that it fits; a
longer one keeps the 22-line grid and flows onto the next page.

Every height is read from the document itself: the page size and margins, the line grid, the first page's header
and footer (the red 发文机关标志 and its rule, the 草稿 mark: they sit in the top margin but push the text down when
they are taller than it), and for each paragraph the properties of its own, of its style and of the styles that
style is based on (font size, character spacing, line rule and spacing, spacing before and after, indents, borders,
snapping to the grid), with its text broken into lines. Only what a document cannot say, how wide and tall the
renderer's fonts are, is in FONT_METRICS: the values LibreOffice measures without the GB2312 fonts (wider Latin text
and taller single lines than Word with 仿宋_GB2312), so the estimate errs towards "does not fit".
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P

GRID_TWIPS = 579  # the templates' line pitch (28.95 pt: 22 lines in the 225 mm text block)
TIGHTEST_TWIPS = 500  # 25 pt: the closest pitch used to keep a short letter on one page
SAFETY_PT = 2.0  # added to an estimated header or footer that reaches into the text block: the renderers' rounding
# Left free under the last grid line: LibreOffice measures the page in 1/100 mm, and 25 lines at exactly 25.5 pt do not
# fit its 225 mm text block (22 lines at 28.95 pt leave 0.9 pt).
GRID_SLACK_PT = 0.5

# Style names the default templates use (tools/build_templates.py); agencies restyle them in Word/WPS.
SIGNATURE_STYLE = "落款"
DATE_STYLE = "成文日期"

# What the renderer's fonts do, in ems of the paragraph's font size.
FONT_METRICS: dict[str, float] = {
    "latin": 0.64,  # a Latin letter or digit (DejaVu Sans digits 0.636 em; 仿宋_GB2312 0.5 em)
    "latin_narrow": 0.5,  # Latin punctuation: - . , : ; / ( ) (DejaVu Sans 0.32–0.39 em; 仿宋_GB2312 0.5 em)
    "autospace": 0.22,  # the gap set between a Chinese character and Latin text (LibreOffice: 0.21 em)
    "space": 0.35,  # a space
    "tab": 2.0,  # a tab (the templates use none)
    "single_line": 1.5,  # one line at single spacing (Noto Sans CJK: 1.45 em; the 16 pt 草稿 mark measures 1.51 em)
}

# A paragraph's properties: name -> (path under w:pPr or w:rPr, attribute). An attribute missing at one level is
# inherited from the next: the paragraph, its style, the styles that style is based on, the document defaults.
# An attribute of None reads an on/off element (w:keepNext): present without w:val means on.
_PARAGRAPH: dict[str, tuple[str, str | None]] = {
    "line": ("w:spacing", "w:line"),
    "line_rule": ("w:spacing", "w:lineRule"),
    "before": ("w:spacing", "w:before"),
    "after": ("w:spacing", "w:after"),
    "before_lines": ("w:spacing", "w:beforeLines"),
    "after_lines": ("w:spacing", "w:afterLines"),
    "left": ("w:ind", "w:left"),
    "left_chars": ("w:ind", "w:leftChars"),
    "right": ("w:ind", "w:right"),
    "right_chars": ("w:ind", "w:rightChars"),
    "first": ("w:ind", "w:firstLine"),
    "first_chars": ("w:ind", "w:firstLineChars"),
    "hanging": ("w:ind", "w:hanging"),
    "hanging_chars": ("w:ind", "w:hangingChars"),
    "top_border": ("w:pBdr/w:top", "w:val"),
    "top_border_size": ("w:pBdr/w:top", "w:sz"),
    "top_border_space": ("w:pBdr/w:top", "w:space"),
    "bottom_border": ("w:pBdr/w:bottom", "w:val"),
    "bottom_border_size": ("w:pBdr/w:bottom", "w:sz"),
    "bottom_border_space": ("w:pBdr/w:bottom", "w:space"),
    "snap": ("w:snapToGrid", None),
    "keep_next": ("w:keepNext", None),
}
_RUN: dict[str, tuple[str, str | None]] = {
    "size": ("w:sz", "w:val"),
    "char_spacing": ("w:spacing", "w:val"),
}
_PATHS = {path: "/".join(qn(step) for step in path.split("/")) for path, _ in (*_PARAGRAPH.values(), *_RUN.values())}
_OFF = {"0", "false", "off"}
_NO_BORDER = {"nil", "none"}

# Line breaking: an opening bracket never ends a line and a closing mark never starts one (they travel with their
# neighbour, and one closing mark may hang past the end of the line); a run of Latin letters and digits is one
# unbreakable word.
_OPENING = "（“‘《〈【「『〔［｛"
_CLOSING = "，。、；：？！”’）》〉】」』〕］｝…—～·％"
_TOKEN = re.compile(rf"([{_OPENING}]*)(?:([\x21-\x7e]+)|(.))([{_CLOSING}]*)", re.S)
_NARROW = {" ": "space", "\t": "tab", **{c: "latin_narrow" for c in "-.,:;/()[]'\"!|"}}

_TEXT_TAGS = {qn("w:t"): "t", qn("w:br"): "br", qn("w:cr"): "br", qn("w:tab"): "tab"}
# Not measured: tables and content controls in the body; pictures, objects and section breaks in a paragraph.
_BODY_UNMEASURABLE = (qn("w:tbl"), qn("w:sdt"))
_UNMEASURABLE = (*_BODY_UNMEASURABLE, qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:sectPr"))


@dataclass(frozen=True)
class Format:
    """A paragraph's resolved properties, in points (spacing at the official pitch)."""

    style: str  # the style's name (what Word/WPS show)
    size: float
    char_spacing: float
    line_rule: str  # exact, atLeast or auto
    line: float  # exact/atLeast: points; auto: a multiple of single spacing
    before: float
    after: float
    before_lines: float  # spacing given in lines (w:beforeLines, w:afterLines)
    after_lines: float
    left: float
    right: float
    first: float  # the first line's indent (negative when hanging)
    border: float  # top and bottom rules with their distance from the text
    snap: bool
    keep_next: bool


@dataclass(frozen=True)
class Block:
    """One paragraph as it is set: its lines and what each takes."""

    format: Format
    lines: int
    direct_keep: bool  # keep-with-next set on the paragraph itself (not by its style)
    element: Any

    def line_height(self, factor: float, pitch: float) -> float:
        fmt = self.format
        single = fmt.size * FONT_METRICS["single_line"]
        if fmt.line_rule == "exact":
            line = fmt.line * factor
        elif fmt.line_rule == "atLeast":
            line = max(fmt.line, single)
        else:
            line = single * fmt.line
        if fmt.snap:
            # On the line grid a line takes whole grid lines, as many as its font needs (LibreOffice gives a large
            # font two grid lines even with exact spacing; Word ignores the grid only for exact spacing).
            line = math.ceil(max(line, single) / pitch - 1e-6) * pitch
        return line

    def spacing(self, factor: float, pitch: float) -> float:
        fmt = self.format
        return (fmt.before + fmt.after) * factor + (fmt.before_lines + fmt.after_lines) * pitch + fmt.border

    def height(self, factor: float, pitch: float) -> float:
        return self.spacing(factor, pitch) + self.lines * self.line_height(factor, pitch)


@dataclass(frozen=True)
class Page:
    height: float
    top: float
    bottom: float
    header: float  # distance of the header from the top edge
    footer: float
    text_width: float
    grid_twips: int  # the line grid's pitch as the document sets it


@dataclass(frozen=True)
class Layout:
    """A one-section document on a line grid as the estimate sees it. Heights are in grid lines ("rows") of a
    pitch: the document's own or another, with every exact line spacing and all spacing before and after
    paragraphs scaled in proportion (as fit_one_page sets them)."""

    page: Page
    first_header: tuple[Block, ...]
    first_footer: tuple[Block, ...]
    header: tuple[Block, ...]  # of the pages after the first
    footer: tuple[Block, ...]
    body: tuple[Block, ...]

    def capacity(self, pitch_twips: int, first_page: bool = True) -> int:
        """Grid lines of text a page holds at this pitch, under its header and above its footer."""
        factor, pitch = pitch_twips / self.page.grid_twips, pitch_twips / 20
        header, footer = (self.first_header, self.first_footer) if first_page else (self.header, self.footer)
        page = self.page
        top = max(page.top, page.header + sum(b.height(factor, pitch) for b in header) + SAFETY_PT)
        bottom = max(page.bottom, page.footer + sum(b.height(factor, pitch) for b in footer) + SAFETY_PT)
        return max(0, math.floor((page.height - top - bottom - GRID_SLACK_PT) / pitch))

    def rows(self, pitch_twips: int, blocks: Iterable[Block] | None = None) -> int:
        """Grid lines the body (or ``blocks``) takes at this pitch, each paragraph from a grid line of its own."""
        factor, pitch = pitch_twips / self.page.grid_twips, pitch_twips / 20
        return sum(math.ceil(b.height(factor, pitch) / pitch - 1e-6) for b in (self.body if blocks is None else blocks))

    def fits(self, pitch_twips: int) -> bool:
        return self.rows(pitch_twips) <= self.capacity(pitch_twips)

    def one_page_pitch(self) -> int | None:
        """The widest pitch from the official grid down to TIGHTEST_TWIPS at which the body fits the first page,
        or None when it does not fit even at the tightest."""
        if self.fits(GRID_TWIPS):
            return GRID_TWIPS
        if not self.fits(TIGHTEST_TWIPS):
            return None
        low, high = TIGHTEST_TWIPS, GRID_TWIPS - 1  # fits(low) holds; find the largest that fits
        while low < high:
            middle = (low + high + 1) // 2
            if self.fits(middle):
                low = middle
            else:
                high = middle - 1
        return low


# --- reading the document ------------------------------------------------------------------------------------------


def _lookup(levels: list[Any], path: str, attr: str | None) -> str | None:
    """The value of ``attr`` on the element at ``path`` in the nearest of ``levels`` that states it."""
    tag = _PATHS[path]
    for level in levels:
        child = level.find(tag)
        if child is None:
            continue
        if attr is None:
            toggle: str | None = child.get(qn("w:val"))
            return "1" if toggle is None else toggle
        value: str | None = child.get(qn(attr))
        if value is not None:
            return value
    return None


def _number(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


class _Styles:
    """Resolved paragraph properties per style id, read from the styles part once (a private copy: fitting
    rescales the document's own)."""

    def __init__(self, styles_element: Any) -> None:
        styles_element = copy.deepcopy(styles_element)
        self.styles: dict[str, Any] = {}
        self.default_id: str | None = None
        for style in styles_element.findall(qn("w:style")):
            if style.get(qn("w:type")) != "paragraph":
                continue
            style_id = style.get(qn("w:styleId"))
            self.styles[style_id] = style
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_id = style_id
        defaults = styles_element.find(qn("w:docDefaults"))
        self.default_ppr = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr")) if defaults is not None else None
        self.default_rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")) if defaults is not None else None
        self.formats: dict[str | None, Format] = {}

    def chain(self, style_id: str | None) -> tuple[list[Any], list[Any], str]:
        """The style's w:pPr and w:rPr elements, nearest first, ending with the document defaults; and its name."""
        pprs: list[Any] = []
        rprs: list[Any] = []
        seen: set[str] = set()
        current = style_id if style_id in self.styles else self.default_id
        name = ""
        while current is not None and current in self.styles and current not in seen:
            seen.add(current)
            style = self.styles[current]
            if not name:
                name_el = style.find(qn("w:name"))
                name = name_el.get(qn("w:val"), "") if name_el is not None else ""
            for target, tag in ((pprs, "w:pPr"), (rprs, "w:rPr")):
                element = style.find(qn(tag))
                if element is not None:
                    target.append(element)
            based = style.find(qn("w:basedOn"))
            current = based.get(qn("w:val")) if based is not None else None
        pprs.extend(e for e in (self.default_ppr,) if e is not None)
        rprs.extend(e for e in (self.default_rpr,) if e is not None)
        return pprs, rprs, name

    def format(self, style_id: str | None, ppr: Any = None, run_size: float = 0.0) -> Format:
        """The properties of a paragraph of this style; ``ppr`` is the paragraph's own w:pPr when it states more
        than its style, ``run_size`` the largest font size its runs set directly."""
        if ppr is None and not run_size:
            cached = self.formats.get(style_id)
            if cached is None:
                cached = self.formats[style_id] = _resolve(*self.chain(style_id))
            return cached
        pprs, rprs, name = self.chain(style_id)
        fmt = _resolve([ppr, *pprs] if ppr is not None else pprs, rprs, name)
        if run_size > fmt.size:
            fmt = _resolve([ppr, *pprs] if ppr is not None else pprs, rprs, name, size=run_size)
        return fmt


def _resolve(pprs: list[Any], rprs: list[Any], name: str, size: float = 0.0) -> Format:
    p = {key: _lookup(pprs, path, attr) for key, (path, attr) in _PARAGRAPH.items()}
    r = {key: _lookup(rprs, path, attr) for key, (path, attr) in _RUN.items()}
    size = size or _number(r["size"], 20) / 2  # half-points; Word's default is 10 pt

    def indent(key: str) -> float:
        chars = p[f"{key}_chars"]
        if chars is not None and _number(chars):
            return _number(chars) / 100 * size  # in characters of the paragraph's font
        return _number(p[key]) / 20

    def border(edge: str) -> float:
        if (p[f"{edge}_border"] or "nil") in _NO_BORDER:
            return 0.0
        return _number(p[f"{edge}_border_size"]) / 8 + _number(p[f"{edge}_border_space"])

    rule = p["line_rule"] or "auto"
    line = _number(p["line"], 240)
    return Format(
        style=name,
        size=size,
        char_spacing=_number(r["char_spacing"]) / 20,
        line_rule=rule,
        line=line / 240 if rule == "auto" else line / 20,
        before=_number(p["before"]) / 20,
        after=_number(p["after"]) / 20,
        before_lines=_number(p["before_lines"]) / 100,
        after_lines=_number(p["after_lines"]) / 100,
        left=indent("left"),
        right=indent("right"),
        first=indent("first") - indent("hanging"),
        border=border("top") + border("bottom"),
        snap=(p["snap"] or "1") not in _OFF,
        keep_next=(p["keep_next"] or "0") not in _OFF,
    )


def _text(paragraph: Any) -> str | None:
    """The paragraph's text with its line breaks; None when it holds what cannot be measured (a picture, a page
    break, a section break)."""
    parts: list[str] = []
    for element in paragraph.iter():
        tag = element.tag
        if tag in _UNMEASURABLE:
            return None
        kind = _TEXT_TAGS.get(tag)
        if kind == "t":
            parts.append(element.text or "")
        elif kind == "br":
            if element.get(qn("w:type")) in ("page", "column"):
                return None
            parts.append("\n")
        elif kind == "tab" and element.getparent() is not None and element.getparent().tag == qn("w:r"):
            parts.append("\t")
    return "".join(parts)


def _ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def count_lines(text: str, fmt: Format, width: float) -> int:
    """Lines ``text`` takes in a paragraph of this format on a ``width``-point line."""
    full = fmt.size + fmt.char_spacing
    latin = fmt.size * FONT_METRICS["latin"] + fmt.char_spacing
    gap = fmt.size * FONT_METRICS["autospace"]
    first_width = width - fmt.left - fmt.right - fmt.first
    other_width = width - fmt.left - fmt.right
    lines = 0
    for segment in text.split("\n"):
        limit = first_width if lines == 0 else other_width
        lines += 1
        x = 0.0
        tokens = _TOKEN.findall(segment)
        for index, (opening, word, char, closing) in enumerate(tokens):
            w = (len(opening) + len(closing)) * full
            if word:
                w += sum(fmt.size * FONT_METRICS[_NARROW[c]] + fmt.char_spacing if c in _NARROW else latin
                         for c in word)
                # The gap between Chinese and Latin text, where the word touches a Chinese character.
                if not opening and index and _ideograph("".join(tokens[index - 1])[-1:]):
                    w += gap
                if not closing and index + 1 < len(tokens):
                    following = tokens[index + 1]
                    if not following[0] and _ideograph(following[2]):
                        w += gap
            elif char in _NARROW:
                w += fmt.size * FONT_METRICS[_NARROW[char]]
            else:
                w += latin if char < "\u2e80" else full
            # A closing mark at the end of a line may hang into the margin (Word's and LibreOffice's default).
            hang = full if closing else 0.0
            if x > 0 and x + w - hang > limit + 0.01:
                lines += 1
                x = 0.0
                limit = other_width
            x += w
            while x - hang > limit + 0.01 and limit > 0:  # a word longer than a line
                lines += 1
                x -= limit
                limit = other_width
    return max(lines, 1)


def _blocks(paragraphs: Iterable[Any], styles: _Styles, width: float) -> tuple[Block, ...] | None:
    pstyle, ppr_tag = qn("w:pStyle"), qn("w:pPr")
    plain = {pstyle, qn("w:rPr")}
    out = []
    for paragraph in paragraphs:
        text = _text(paragraph)
        if text is None:
            return None
        ppr = paragraph.find(ppr_tag)
        style_el = ppr.find(pstyle) if ppr is not None else None
        style_id = style_el.get(qn("w:val")) if style_el is not None else None
        direct = ppr if ppr is not None and any(child.tag not in plain for child in ppr) else None
        sizes = paragraph.findall("./" + qn("w:r") + "/" + qn("w:rPr") + "/" + qn("w:sz"))
        run_size = max((_number(s.get(qn("w:val"))) / 2 for s in sizes), default=0.0)
        fmt = styles.format(style_id, direct, run_size)
        direct_keep = direct is not None and direct.find(qn("w:keepNext")) is not None
        out.append(Block(fmt, count_lines(text, fmt, width), direct_keep, paragraph))
    return tuple(out)


def _twips(element: Any, attr: str, default: float = 0.0) -> float:
    return _number(element.get(qn(attr)) if element is not None else None, default * 20) / 20


def _part_paragraphs(document: Any, sect_pr: Any, kind: str, which: str) -> list[Any] | None:
    """The paragraphs of the header or footer (``kind``) of type ``which`` (first, default); None when it holds a
    table (not measured)."""
    for reference in sect_pr.findall(qn(f"w:{kind}Reference")):
        if reference.get(qn("w:type")) == which:
            # Through the relationship: docxtpl replaces a rendered header's part there (python-docx's
            # related_parts may still hold the template's).
            rel = document.part.rels.get(reference.get(qn("r:id")))
            if rel is None or rel.is_external:
                return []
            root = rel.target_part.element
            if root.find(qn("w:tbl")) is not None:
                return None
            return list(root.findall(qn("w:p")))
    return []


_style_cache: dict[Hashable, _Styles] = {}


def measure(document: Any, cache_key: Hashable | None = None) -> Layout | None:
    """The layout of a one-section document of paragraphs on a line grid, or None for what the estimate does not
    cover (no line grid, tables, pictures, page and section breaks). ``cache_key`` names the template: its styles
    are read once."""
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    if sect_pr is None or any(child.tag in _BODY_UNMEASURABLE for child in body):
        return None
    styles = _style_cache.get(cache_key) if cache_key is not None else None
    if styles is None:
        styles = _Styles(document.styles.element)
        if cache_key is not None:
            if len(_style_cache) > 64:
                _style_cache.clear()
            _style_cache[cache_key] = styles
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None or grid.get(qn("w:type")) not in ("lines", "linesAndChars"):
        return None
    grid_twips = int(_number(grid.get(qn("w:linePitch"))))
    if grid_twips <= 0:
        return None
    page = Page(
        height=_twips(size, "w:h", 842),
        top=abs(_twips(margins, "w:top", 72)),
        bottom=abs(_twips(margins, "w:bottom", 72)),
        header=_twips(margins, "w:header", 36),
        footer=_twips(margins, "w:footer", 36),
        text_width=_twips(size, "w:w", 595) - _twips(margins, "w:left", 72) - _twips(margins, "w:right", 72),
        grid_twips=grid_twips,
    )
    title_page = sect_pr.find(qn("w:titlePg"))
    first_page = title_page is not None and title_page.get(qn("w:val"), "1") not in _OFF
    parts = {}
    for kind in ("header", "footer"):
        later = _part_paragraphs(document, sect_pr, kind, "default")
        first = _part_paragraphs(document, sect_pr, kind, "first") if first_page else later
        if first is None or later is None:
            return None
        parts[kind] = (first, later)
    measured = [
        _blocks(paragraphs, styles, page.text_width)
        for paragraphs in (*parts["header"], *parts["footer"], body.findall(qn("w:p")))
    ]
    if any(blocks is None for blocks in measured):
        return None
    first_header, header, first_footer, footer, paragraphs = measured
    assert first_header is not None and header is not None and first_footer is not None
    assert footer is not None and paragraphs is not None
    return Layout(page, first_header, first_footer, header, footer, paragraphs)


# --- fitting -------------------------------------------------------------------------------------------------------


def _scale_spacing(document: Any, factor: float) -> None:
    """Exact line spacing and the spacing before and after paragraphs, times ``factor``: in the styles and the
    document defaults, and where a paragraph of the body, a header or a footer sets its own."""
    roots = [document.styles.element, document.element.body]
    roots.extend(rel.target_part.element for rel in document.part.rels.values()
                 if rel.reltype.endswith(("/header", "/footer")) and not rel.is_external)
    spacing_tag = qn("w:pPr") + "/" + qn("w:spacing")
    exact = qn("w:lineRule")
    for root in roots:
        for spacing in root.iterfind(".//" + spacing_tag):
            for attr in ("w:line", "w:before", "w:after"):
                value = spacing.get(qn(attr))
                if value and value.isdigit() and (attr != "w:line" or spacing.get(exact) == "exact"):
                    spacing.set(qn(attr), str(round(int(value) * factor)))


def _signature_index(layout: Layout) -> int | None:
    return next((i for i, b in enumerate(layout.body) if b.format.style == SIGNATURE_STYLE), None)


def _set_keep(element: Any, keep: bool) -> None:
    assert isinstance(element, CT_P)
    ppr = element.get_or_add_pPr()
    ppr.keepNext_val = keep
    if not keep:
        ppr.widowControl_val = True  # at least two lines go over with the signature


def _limit_keep_chain(layout: Layout) -> None:
    """The last paragraph is kept with the signature (GB/T 9704 7.3.5.4: no signature page without text). A chain
    of several paragraphs (one template paragraph filled with several lines) is cut to the last one."""
    signature = _signature_index(layout)
    if not signature:
        return
    style = layout.body[signature - 1].format.style
    for block in reversed(layout.body[: signature - 1]):
        if not (block.direct_keep and block.format.style == style):
            break
        _set_keep(block.element, False)


# Where a page break must fall in the last paragraph before the keep is dropped: at least one line on the earlier
# page (orphan control moves a single line over with the rest), and at least three estimated lines after it, so that
# the paragraph is split even when the estimate counts two lines too many (widow control then sends at least two
# lines over with the signature).
SPLIT_BEFORE, SPLIT_AFTER = 1, 3


def _let_last_paragraph_split(layout: Layout) -> None:
    """A letter that flows onto a second page. LibreOffice never splits a paragraph kept with the next one: when
    the page break falls inside a long last paragraph, all of it moves over with the signature, leaving the foot
    of the page empty. When the break falls well inside it, the keep is dropped (widow control on instead): the
    paragraph splits there and its last lines still go over with the signature."""
    signature = _signature_index(layout)
    if not signature:
        return
    last = layout.body[signature - 1]
    if not last.format.keep_next:
        return
    twips = layout.page.grid_twips
    grid = twips / 20
    start = layout.rows(twips, layout.body[: signature - 1]) + math.ceil(last.spacing(1.0, grid) / grid - 1e-6)
    end = start + last.lines * math.ceil(last.line_height(1.0, grid) / grid - 1e-6)
    boundary = layout.capacity(twips)
    later = layout.capacity(twips, first_page=False)
    while boundary <= start and later > 0:
        boundary += later
    if start + SPLIT_BEFORE <= boundary <= end - SPLIT_AFTER:
        _set_keep(last.element, False)


def fit_one_page(document: Any, cache_key: Hashable | None = None) -> int | None:
    """Set a letter that runs a little over one page at a pitch that keeps it on one page; leave a longer one on
    the official grid, its last paragraph free to split where the page breaks. Returns the pitch in twips (None
    for what is not measured: no official grid, tables, pictures)."""
    layout = measure(document, cache_key)
    if layout is None or layout.page.grid_twips != GRID_TWIPS:
        return None
    _limit_keep_chain(layout)
    pitch = layout.one_page_pitch()
    if pitch is None:
        _let_last_paragraph_split(layout)
        return GRID_TWIPS
    if pitch != GRID_TWIPS:
        _scale_spacing(document, pitch / GRID_TWIPS)
        for grid in document.element.body.iter(qn("w:docGrid")):
            if grid.get(qn("w:linePitch")) == str(GRID_TWIPS):
                grid.set(qn("w:linePitch"), str(pitch))
    return pitch
