"""Every kind converts to PDF with LibreOffice (what an office without Word prints with). Slow."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from test_documents import ALL_CASES, flat, make  # tests/ is on sys.path (rootdir-relative imports)

from zwgk_tui.documents import render_document, write_atomically

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


# Short notices fit one page with the letterhead (issue 11): the applicant gets one sheet.
ONE_PAGE = {
    "receipt",
    "correction_notice",
    "explanation_request",
    "extension_notice",
    "delay_notice",
    "agency_consultation",
    "review_sheet",  # the whole trail (drafter, office, legal, sign-off) on one sheet in the file
}


def _pages(pdf: bytes) -> int:
    """Page count from the PDF's page objects (no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_every_kind_converts_to_pdf(tmp_path):
    names = []
    for kind, outcome in ALL_CASES:
        name = f"{kind}-{outcome}" if outcome else kind
        write_atomically(tmp_path / f"{name}.docx", render_document(make(kind, outcome)))
        names.append(name)
    # One soffice run for all files (start-up dominates); a private profile so a running instance or a
    # read-only home cannot interfere.
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
        ]
        + [str(tmp_path / f"{n}.docx") for n in names],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for name in names:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.is_file(), f"{name}: not converted"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert 1 <= _pages(data) <= 3, name
        if name in ONE_PAGE:
            assert _pages(data) == 1, f"{name}: {_pages(data)} pages"
        if PDFTOTEXT:
            # Every full stop of the document is printed (LibreOffice once dropped line-final "。" that
            # hung into the margin of justified paragraphs).
            printed = subprocess.run(
                [PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True
            ).stdout
            written = flat((tmp_path / f"{name}.docx").read_bytes())
            assert printed.count("。") == written.count("。"), name
