"""User text in the files the tool writes stays text: an applicant named "=1+1" or a request reading
=HYPERLINK(...) never becomes a live formula in an xlsx or csv (exports/safe_cells.py), and `register import`
reads its own export back to the text as typed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import Cli
from openpyxl import load_workbook

from zwgk_tui.exports.safe_cells import csv_text, csv_unescape

NAME = '=HYPERLINK("http://evil","点我")有限公司'
CONTENT = "=1+1"
OTHER = "@SUM(A1:A2) 某项目批复"
AGENCY = "=1+1县住房和城乡建设局"


def scenario(cli: Cli) -> list[str]:
    cli("init", today="2025-03-03")
    cli("agency", "set", "default", "--name", AGENCY, "--short-name", "某县住建", "--reconsideration-body",
        "某县人民政府", "--court", "某县人民法院", "--office-review", "off", "--legal-review", "off",
        today="2025-03-03")
    a = cli.new_case("2025-03-10", NAME, CONTENT, type="business", today="2025-03-10")
    b = cli.new_case("2025-03-11", "-李四", OTHER, today="2025-03-11")
    return [a, b]


def _text_cells(path: Path) -> dict[str, str]:
    """Every text cell of a workbook whose value starts with a formula character, with its data type."""
    out = {}
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    out[c.value] = c.data_type
    return out


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_csv_text_prefixes_formula_characters_and_unescape_restores(value):
    assert csv_text(value) == "'" + value
    assert csv_unescape(csv_text(value)) == value
    assert csv_text("张三") == "张三" and csv_unescape("'张三") == "'张三" and csv_text(3) == 3


def test_register_export_xlsx_keeps_text_and_import_reads_it_back(cli, tmp_path, db_url):
    scenario(cli)
    out = tmp_path / "台账.xlsx"
    cli("register", "export", "-o", str(out), today="2025-03-20")
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    cells = {header[c.column - 1]: c for c in ws[2]}
    assert cells["申请人"].value == NAME and cells["申请人"].data_type == "s"
    assert cells["申请内容"].value == CONTENT and cells["申请内容"].data_type == "s"
    assert ws.cell(3, header.index("申请内容") + 1).value == OTHER
    assert ws.cell(3, header.index("申请内容") + 1).data_type == "s"
    assert all(t == "s" for t in _text_cells(out).values())
    target = Cli(str(tmp_path / "target.db"), today="2025-03-20")
    target("register", "import", str(out), "--agency", "default")
    listed = {c["applicant"]: c["content"] for c in target("case", "list", "--json").json()}
    assert listed[NAME] == CONTENT


def test_register_export_csv_prefixes_formula_text_and_import_reads_it_back(cli, tmp_path):
    scenario(cli)
    out = tmp_path / "台账.csv"
    cli("register", "export", "-o", str(out), "--reveal", today="2025-03-20")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    by_number = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    first, second = by_number.values()
    assert first["申请人"] == "'" + NAME and first["申请内容"] == "'" + CONTENT
    assert second["申请人"] == "'-李四" and second["申请内容"] == "'" + OTHER
    assert first["收到日期"] == "2025-03-10"  # dates and numbers are not text typed by anyone: unchanged
    target = Cli(str(tmp_path / "target.db"), today="2025-03-20")
    target("register", "import", str(out), "--agency", "default")
    listed = {c["applicant"]: c["content"] for c in target("case", "list", "--json").json()}
    assert listed == {NAME: CONTENT, "-李四": OTHER}


def test_agenda_weekly_and_annual_report_files_keep_text(cli, tmp_path):
    scenario(cli)
    agenda = tmp_path / "待办.xlsx"
    cli("agenda", "--days", "30", "-o", str(agenda), today="2025-03-20")
    found = _text_cells(agenda)
    assert found.get(NAME) == "s" and all(t == "s" for t in found.values())
    weekly = tmp_path / "weekly.xlsx"
    cli("office", "weekly", "--week", "2025-W11", "--format", "xlsx", "-o", str(weekly), today="2025-03-20")
    found = _text_cells(weekly)
    assert found.get(NAME) == "s" and found.get(CONTENT) == "s" and all(t == "s" for t in found.values())
    report = tmp_path / "年报.xlsx"
    cli("stats", "--year", "2025", "--format", "xlsx", "-o", str(report), today="2026-01-10")
    found = _text_cells(report)
    assert found and all(t == "s" for t in found.values())
    assert any(v.startswith(AGENCY) for v in found)
    report_csv = tmp_path / "年报.csv"
    cli("stats", "--year", "2025", "--format", "csv", "-o", str(report_csv), today="2026-01-10")
    rows = list(csv.reader(report_csv.read_text(encoding="utf-8-sig").splitlines()))
    starts = [c for r in rows for c in r if c]
    assert not any(c[:1] in "=+-@" for c in starts)
    assert any(c.startswith("'" + AGENCY) for c in starts)
