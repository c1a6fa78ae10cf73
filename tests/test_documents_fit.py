"""A short letter stays on one page; a longer one breaks where a reader expects (GB/T 9704 7.3.5.4).

The page fitting counts everything on the first page: the letterhead (red agency name and rule) and the 草稿 mark
in the header, the 文号, title, salutation, body, signature, date and contact note. The LibreOffice tests convert
what the estimate decided and check the pages a clerk would print.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from test_documents import AGENCY, ALL_CASES, make
from test_record import act

from zwgk_tui.documents import render_document
from zwgk_tui.documents.layout import (
    GRID_TWIPS,
    SIGNATURE_STYLE,
    TIGHTEST_TWIPS,
    count_lines,
    fit_one_page,
    measure,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                                       reason="LibreOffice or pdftotext is not installed")

LONG_ADDRESS = (
    "某县人民路1号某县政务服务中心东楼三层政府信息公开工作机构办公室依申请公开受理窗口（工作日上午九时至十二时，"
    "下午二时至五时）"
)


def _doc(source: bytes | str | Path):
    return Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def _pitch(doc) -> int:
    return int(doc.element.body.find(qn("w:sectPr")).find(qn("w:docGrid")).get(qn("w:linePitch")))


def _letter(kind: str = "third_party_consultation", outcome: str | None = None, *, letterhead: bool = True,
            draft: bool = False, extra: str = "", address: str = "", **changes):
    data = make(kind, outcome, **changes)
    agency = dataclasses.replace(AGENCY, letterhead=letterhead, address=address or AGENCY.address)
    return dataclasses.replace(data, agency=agency, draft=draft, content=data.content + extra)


def _body_blocks(doc):
    layout = measure(doc)
    signature = next(i for i, b in enumerate(layout.body) if b.format.style == SIGNATURE_STYLE)
    return layout, layout.body[signature - 1]


def _keeps_with_next(block) -> bool:
    ppr = block.element.find(qn("w:pPr"))
    keep = ppr.find(qn("w:keepNext")) if ppr is not None else None
    return keep is not None and keep.get(qn("w:val"), "1") not in ("0", "false")


# --- what the estimate counts ------------------------------------------------------------------------------------


def _consultation_by_cli(cli, tmp_path: Path) -> tuple[Path, Path]:
    cli.set_up_agency()
    cli("agency", "set", "default", "--letterhead", "on", "--contact", "王明", "--phone", "0527-12345678",
        "--address", "某县人民路1号", "--postcode", "223800")
    n = cli.new_case("2025-03-03", "张三", "某化工企业环境影响评价报告")
    act(cli, n, "consult", "2025-03-04", "--to", "某化工有限公司")
    draft = Path(cli("doc", n, "third_party_consultation", "--draft", "-o", str(tmp_path / "draft.docx"))
                 .stdout.strip())
    final = Path(cli("doc", n, "third_party_consultation", "-o", str(tmp_path / "final.docx")).stdout.strip())
    return draft, final


def test_the_drafted_consultation_letter_is_set_tight_enough_for_its_letterhead(sqlite_cli, tmp_path):
    """The 征求意见书 of a 24-line case: drafted with the letterhead, the red name, the rule and the 草稿 mark push the
    text 24 pt down; the old estimate ignored them and chose 27.1 pt, which LibreOffice could not fit."""
    draft, final = _consultation_by_cli(sqlite_cli, tmp_path)
    doc = _doc(draft)
    header = "".join(p.text for p in doc.sections[0].first_page_header.paragraphs)
    assert "某县住房和城乡建设局" in header and "草" in header
    assert "（联系人：王明；联系电话：0527-12345678）" in [p.text for p in doc.paragraphs]
    pitch = _pitch(doc)
    assert TIGHTEST_TWIPS <= pitch < 542  # tighter than the pitch that broke onto page 2
    layout = measure(doc)
    # The header is counted: without the letterhead and the draft mark the same text would be set wider.
    assert dataclasses.replace(layout, first_header=()).one_page_pitch() > pitch + 10
    assert layout.rows(pitch) <= layout.capacity(pitch)
    # ... and the pitch is the widest that fits: one twip more and the letter would not.
    assert not layout.fits(pitch + 1)
    # Every exact line spacing was scaled with the grid (the title, the signature's space above it).
    styles = {s.style_id: s for s in doc.styles}
    title_line = styles["Title"].element.find(qn("w:pPr")).find(qn("w:spacing")).get(qn("w:line"))
    assert abs(int(title_line) - pitch) <= 1

    issued = _doc(final)
    assert TIGHTEST_TWIPS <= _pitch(issued) < GRID_TWIPS
    assert measure(issued).fits(_pitch(issued))


def test_a_long_agency_name_in_the_letterhead_takes_two_lines():
    long_name = dataclasses.replace(AGENCY, name="某某省某某市某某区住房和城乡建设局")
    data = dataclasses.replace(make("third_party_consultation"), agency=long_name)
    layout = measure(_doc(render_document(data)))
    short = measure(_doc(render_document(make("third_party_consultation"))))
    letterhead = next(b for b in layout.first_header if b.format.size == 36)
    assert letterhead.lines == 2
    assert layout.capacity(GRID_TWIPS) < short.capacity(GRID_TWIPS)


def test_lines_are_broken_as_the_renderers_break_them():
    fmt = measure(_doc(render_document(make("receipt")))).body[-4].format  # a body paragraph (正文)
    assert fmt.style == "Normal" and fmt.first == 32  # two characters in
    width = 442.25
    assert count_lines("甲" * 26, fmt, width) == 1
    assert count_lines("甲" * 27, fmt, width) == 2
    assert count_lines("甲" * 26 + "。", fmt, width) == 1  # a full stop hangs past the line's end
    assert count_lines("甲" * 24 + "2025", fmt, width) == 2  # a number is never broken
    assert count_lines("甲" * 26 + "\n" + "乙" * 28, fmt, width) == 2  # a line break, then a full line


# --- the keep chain ---------------------------------------------------------------------------------------------


def test_only_the_last_paragraph_is_kept_with_the_signature():
    doc = _doc(render_document(make("receipt")))
    _, last = _body_blocks(doc)
    for _ in range(2):  # a template paragraph filled with several lines: each copy keeps with the next
        last.element.addprevious(copy.deepcopy(last.element))
    fit_one_page(doc)
    layout, last = _body_blocks(doc)
    index = layout.body.index(last)
    assert _keeps_with_next(last)
    assert not any(_keeps_with_next(b) for b in layout.body[index - 2:index])


def _split_letter(released: bool) -> bytes:
    """A consultation letter with a six-line last paragraph, lengthened until the page break falls well inside that
    paragraph (released) or just after it."""
    for n in range(60):
        content = _letter(address=LONG_ADDRESS, extra="改造项目资料" * n)
        blob = render_document(content)
        doc = _doc(blob)
        layout, last = _body_blocks(doc)
        if not _keeps_with_next(last) and released:
            return blob
        if not released and _pitch(doc) == GRID_TWIPS:
            grid = GRID_TWIPS / 20
            start = layout.rows(GRID_TWIPS, layout.body[: layout.body.index(last)])
            end = start + last.lines + round(last.spacing(1, grid) / grid)
            if end == layout.capacity(GRID_TWIPS):  # the paragraph ends at the foot of page 1
                return blob
    raise AssertionError("no such letter")


def test_a_long_last_paragraph_may_split_where_the_page_breaks():
    doc = _doc(_split_letter(released=True))
    _, last = _body_blocks(doc)
    ppr = last.element.find(qn("w:pPr"))
    assert ppr.find(qn("w:widowControl")).get(qn("w:val"), "1") in ("1", "true")
    # when the paragraph ends on page 1, it stays with the signature: no signature page without text
    _, kept = _body_blocks(_doc(_split_letter(released=False)))
    assert _keeps_with_next(kept)


# --- in LibreOffice --------------------------------------------------------------------------------------------


def _convert(docs: dict[str, bytes], tmp_path: Path) -> dict[str, list[list[str]]]:
    """Each document's pages, each page its lines of body text (page numbers left out), top to bottom."""
    for name, blob in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(blob)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{n}.docx") for n in docs)],
        check=True, capture_output=True, timeout=900,
    )
    out = {}
    for name in docs:
        text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / f"{name}.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        out[name] = [[line.strip() for line in p.splitlines() if line.strip() and not re.fullmatch(r"—\s*\d+\s*—",
                                                                                                   line.strip())]
                     for p in pages]
    return out


def _foot_of_page(pdf: Path) -> float:
    """Lines of 28.95 pt left empty under the last text line of page 1 (the page number is below the text block)."""
    layout = subprocess.run([PDFTOTEXT, "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    bottoms = [float(y) for y in re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)"', layout)]
    text_bottom = 841.9 - 35 / 25.4 * 72
    return (text_bottom - max(y for y in bottoms if y < text_bottom + 5)) / 28.95


@pytest.mark.slow
@needs_libreoffice
def test_every_letter_is_on_the_pages_the_estimate_says(tmp_path):
    letters = [(k, o) for k, o in ALL_CASES if k not in ("registration_form", "review_sheet", "service_receipt")]
    docs, verdict = {}, {}
    variants = [(lh, draft, "") for lh in (True, False) for draft in (False, True)]
    variants += [(True, draft, "，包括项目立项批复、资金安排文件、施工合同、监理报告和竣工验收资料" * n)
                 for draft in (False, True) for n in (1, 3)]
    for kind, outcome in letters:
        for i, (lh, draft, extra) in enumerate(variants):
            name = f"{kind}-{outcome or ''}-{i}"
            blob = render_document(_letter(kind, outcome, letterhead=lh, draft=draft, extra=extra))
            doc = _doc(blob)
            verdict[name] = measure(doc).fits(_pitch(doc))
            docs[name] = blob
    pages = _convert(docs, tmp_path)
    for name, fits in verdict.items():
        if fits:
            assert len(pages[name]) == 1, f"{name}: the estimate fits one page, LibreOffice set {len(pages[name])}"
        else:
            assert len(pages[name]) >= 2, name
            last = [line for line in pages[name][-1] if not line.startswith("草")]
            signature = next(i for i, line in enumerate(last) if line.startswith("某县住房和城乡建设局"))
            assert signature > 0, f"{name}: the signature stands on a page without text"
    # The 24-line consultation letter (and every letter of this test data but the fee notice) fits with the
    # letterhead, drafted or issued.
    for kind, outcome in letters:
        if kind != "fee_notice":
            for i in range(4):
                assert verdict[f"{kind}-{outcome or ''}-{i}"], (kind, outcome, i)


@pytest.mark.slow
@needs_libreoffice
def test_a_letter_too_long_for_one_page_fills_page_one(tmp_path):
    pages = _convert({"split": _split_letter(released=True)}, tmp_path)["split"]
    assert len(pages) == 2
    assert _foot_of_page(tmp_path / "split.pdf") < 1.5  # page 1 is full
    body = [line for line in pages[1] if not line.startswith("草")]
    signature = next(i for i, line in enumerate(body) if line.startswith("某县住房和城乡建设局"))
    assert signature >= 2  # at least two lines of the last paragraph above the signature
