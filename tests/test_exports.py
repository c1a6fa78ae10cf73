"""The annual-report files: CSV (BOM), XLSX and DOCX in the national layout, JSON in the contract's shape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import load_workbook

from tests.conftest import EVIDENCE, Cli
from zwgk_tui.domain.codes import OUTCOME_CODES, OUTCOMES

TODAY = "2026-02-02"
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@pytest.fixture
def produced(sqlite_cli: Cli, tmp_path: Path) -> dict[str, Any]:
    """A small year 2025: 3 new (2 natural persons, 1 law firm), 1 carried in, 3 concluded, 1 carried out,
    a reconsideration and a paid fee; then every file format."""
    cli = sqlite_cli
    cli("init", today="2024-12-01")
    cli("agency", "set", "default", "--office-review", "off", "--legal-review", "off", today="2024-12-01")

    def new(received: str, atype: str = "natural_person") -> str:
        return cli("case", "new", "--applicant", "申请人", "--applicant-type", atype, "--channel", "online",
                   "--received", received, "--content", "某项目规划许可证", today=received).stdout.strip()

    def act(number: str, action: str, on: str, *opts: str) -> None:
        cli("case", "act", number, action, "--on", on, *opts, today=on)

    def reply(number: str, on: str, outcome: str) -> None:
        for action, opts in (("decide", ("--outcome", outcome, *EVIDENCE.get(outcome, ()))), ("submit", ()),
                             ("sign", ()),
                             ("deliver", ("--method", "email", "--reply-number", f"答{number}", "--reply-date", on))):
            act(number, action, on, *opts)

    old = new("2024-12-23")
    a = new("2025-03-03")
    b = new("2025-06-02", "legal_service")
    c = new("2025-12-22")
    reply(old, "2025-01-10", "disclosed")
    act(a, "fee-notice", "2025-03-05", "--method", "per_page", "--pages", "130")  # 70×10 + 30×20 = 1300 元
    act(a, "fee-paid", "2025-03-12")
    reply(a, "2025-03-20", "withheld_process_info")
    act(a, "remedy", "2025-04-01", "--kind", "reconsideration", "--result", "pending")
    reply(b, "2025-06-16", "unavailable_not_held")
    del c  # still open at the end of 2025
    files = {}
    for fmt in ("csv", "xlsx", "docx", "json"):
        path = tmp_path / f"年报-2025.{fmt}"
        r = cli("stats", "--year", "2025", "--format", fmt, "-o", str(path), today=TODAY)
        assert r.stdout.strip() == str(path)
        files[fmt] = path
    files["stdout_json"] = cli("stats", "--year", "2025", "--format", "json", today=TODAY).json()
    files["dir"] = tmp_path
    return files


def test_csv_is_utf8_with_bom_and_has_the_labels_and_numbers(produced: dict[str, Any]) -> None:
    raw = produced["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert NOTE in flat and "申请人情况" in flat and "法人或其他组织" in flat
    for label in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "总计"):
        assert label in flat
    for _group, leaf in OUTCOMES.values():
        assert leaf in flat, leaf
    by_label = {row[0]: row for row in rows if row}
    assert by_label["一、本年新收政府信息公开申请数量"][3:10] == ["2", "0", "0", "0", "1", "0", "3"]
    assert by_label["二、上年结转政府信息公开申请数量"][3:10] == ["1", "0", "0", "0", "0", "0", "1"]
    assert by_label["四、结转下年度继续办理"][3:10] == ["1", "0", "0", "0", "0", "0", "1"]
    # A grouped leaf row: the group label stands once, in its first row.
    secret = next(row for row in rows if len(row) > 2 and row[2] == "1.属于国家秘密")
    assert secret[1] == "（三）不予公开"
    process = next(row for row in rows if len(row) > 2 and row[2] == "6.属于四类过程性信息")
    assert process[1] == "" and process[3:10] == ["1", "0", "0", "0", "0", "0", "1"]
    assert next(r for r in rows if r and r[0] == "行政复议")[:6] == ["行政复议", "", "", "", "", "行政诉讼"]
    assert "本年度发出收费通知1件，收取信息处理费共计1300元。" in flat


EXPECTED_MERGES_T3 = {
    "A1:J1", "A2:J2",
    "A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5",  # note; 申请人情况; 自然人; 法人或其他组织; 总计
    "A6:C6", "A7:C7",  # 一、二、
    "A8:A29",  # 三、本年度办理结果: 21 outcomes + （七）总计
    "B8:C8", "B9:C9",  # （一）（二）
    "B10:B17", "B18:B20", "B21:B25", "B26:B28",  # （三）8 rows, （四）3, （五）5, （六）3
    "B29:C29", "A30:C30",  # （七）总计; 四、
}


def test_xlsx_table3_layout(produced: dict[str, Any]) -> None:
    wb = load_workbook(produced["xlsx"])
    ws = wb["表三"]
    assert {str(r) for r in ws.merged_cells.ranges} == EXPECTED_MERGES_T3
    expected = {
        "A3": NOTE, "D3": "申请人情况", "D4": "自然人", "E4": "法人或其他组织", "J4": "总计",
        "E5": "商业企业", "F5": "科研机构", "G5": "社会公益组织", "H5": "法律服务机构", "I5": "其他",
        "A6": "一、本年新收政府信息公开申请数量", "A7": "二、上年结转政府信息公开申请数量",
        "A8": "三、本年度办理结果", "B8": "（一）予以公开",
        "B9": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "B10": "（三）不予公开", "C10": "1.属于国家秘密", "C12": "3.危及“三安全一稳定”", "C17": "8.属于行政查询事项",
        "B18": "（四）无法提供", "C18": "1.本机关不掌握相关政府信息", "C20": "3.补正后申请内容仍不明确",
        "B21": "（五）不予处理", "C21": "1.信访举报投诉类申请", "C25": "5.要求行政机关确认或重新出具已获取信息",
        "B26": "（六）其他处理",
        "C26": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "C27": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "C28": "3.其他", "B29": "（七）总计", "A30": "四、结转下年度继续办理",
    }
    for ref, value in expected.items():
        assert ws[ref].value == value, ref
    numbers = {
        "D6": 2, "H6": 1, "J6": 3, "D7": 1, "J7": 1,
        "D8": 1, "J8": 1,  # disclosed (the case carried in)
        "D15": 1, "J15": 1,  # withheld_process_info
        "H18": 1, "J18": 1,  # unavailable_not_held (law firm)
        "D29": 2, "H29": 1, "J29": 3, "D30": 1, "J30": 1,
        "E6": 0, "F29": 0, "J10": 0,
    }
    for ref, value in numbers.items():
        assert ws[ref].value == value, ref
    # Every number cell agrees with the JSON report.
    rep = produced["stdout_json"]
    keys = ["new", "carried_in", *OUTCOME_CODES, "concluded_total", "carried_out"]
    for i, key in enumerate(keys):
        assert [ws.cell(6 + i, 4 + j).value for j in range(7)] == rep["table3"][key], key


def test_xlsx_table4_layout(produced: dict[str, Any]) -> None:
    ws = load_workbook(produced["xlsx"])["表四"]
    merges = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:E3", "F3:O3", "F4:J4", "K4:O4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5"} <= merges
    assert ws["A3"].value == "行政复议" and ws["F3"].value == "行政诉讼"
    assert ws["F4"].value == "未经复议直接起诉" and ws["K4"].value == "复议后起诉"
    assert [ws.cell(4, c).value for c in range(1, 6)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [ws.cell(5, c).value for c in range(6, 16)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert [ws.cell(6, c).value for c in range(1, 16)] == [0, 0, 0, 1, 1] + [0] * 10


def _font_slots(run_element: Any) -> dict[str, str]:
    rfonts = run_element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {k: rfonts.get(qn(f"w:{k}")) for k in ("ascii", "eastAsia")}


def test_docx_tables_merges_fonts_and_page(produced: dict[str, Any]) -> None:
    doc = Document(str(produced["docx"]))
    sec = doc.sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.05) and abs(sec.page_height - Cm(29.7)) < Cm(0.05)
    assert len(doc.tables) == 2
    t3, t4 = doc.tables
    assert len(t3.rows) == 28 and len(t3.columns) == 10
    assert len(t4.rows) == 4 and len(t4.columns) == 15
    assert t3.cell(0, 0).text == NOTE
    assert t3.cell(0, 3).text == "申请人情况"
    assert t3.cell(1, 4).text == "法人或其他组织"
    assert t3.cell(3, 0).text == "一、本年新收政府信息公开申请数量"
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(26, 0).text == "三、本年度办理结果"  # merged down
    assert t3.cell(7, 1).text == "（三）不予公开" and t3.cell(14, 1).text == "（三）不予公开"
    assert t3.cell(7, 2).text == "1.属于国家秘密"
    assert t3.cell(26, 1).text == "（七）总计"
    assert [t3.cell(3, c).text for c in range(3, 10)] == ["2", "0", "0", "0", "1", "0", "3"]
    # The merges are real: gridSpan across, vMerge down.
    tr0 = t3._tbl.tr_lst[0]
    first = tr0.tc_lst[0]
    assert first.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    assert first.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in tr0.tc_lst]
    assert [s.get(qn("w:val")) if s is not None else "1" for s in spans] == ["3", "7"]
    rows_with_continue = [i for i, tr in enumerate(t3._tbl.tr_lst)
                          if tr.tc_lst[0].tcPr.find(qn("w:vMerge")) is not None
                          and tr.tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) in (None, "continue")]
    assert rows_with_continue == [1, 2, *range(6, 27)]  # note cell rows 2-3; 三、 rows 7-27
    assert t4.cell(0, 0).text == "行政复议" and t4.cell(0, 5).text == "行政诉讼"
    assert t4.cell(1, 5).text == "未经复议直接起诉" and t4.cell(1, 10).text == "复议后起诉"
    assert [t4.cell(3, c).text for c in range(15)] == ["0", "0", "0", "1", "1"] + ["0"] * 10
    # Chinese fonts in the eastAsia slot, for every run.
    body = doc.paragraphs
    assert _font_slots(body[0].runs[0]._element)["eastAsia"] == "方正小标宋简体"
    runs = [r for p in body for r in p.runs] + [r for t in doc.tables for row in t.rows for c in row.cells
                                               for p in c.paragraphs for r in p.runs]
    assert runs and all(_font_slots(r._element)["eastAsia"] for r in runs)
    assert _font_slots(t3.cell(0, 0).paragraphs[0].runs[0]._element)["eastAsia"] == "仿宋_GB2312"
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    text = "\n".join(p.text for p in body)
    assert "本年度发出收费通知1件，收取信息处理费共计1300元。" in text


def test_json_file_matches_stdout_and_the_contract(produced: dict[str, Any]) -> None:
    data = json.loads(produced["json"].read_text(encoding="utf-8"))
    assert data == produced["stdout_json"]
    assert data["year"] == 2025 and data["agency"] is None and data["identity_holds"] is True
    assert data["columns"] == ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org",
                               "total"]
    assert list(data["table3"]) == ["new", "carried_in", *OUTCOME_CODES, "concluded_total", "carried_out"]
    assert all(isinstance(v, list) and len(v) == 7 for v in data["table3"].values())
    assert data["table4"]["reconsideration"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert (data["fees"]["notices"], data["fees"]["billed"], data["fees"]["collected"]) == (1, 1300, 1300)
    assert "中位数" not in json.dumps(data, ensure_ascii=False)  # codes, not prose, apart from labels
    raw = produced["json"].read_text(encoding="utf-8")
    # A one-agency installation: the report is that agency's (never "全部机关"); ensure_ascii=False.
    assert data["agency_name"] == "本机关" and '"agency_name": "本机关"' in raw


def test_files_are_replaced_atomically(produced: dict[str, Any], sqlite_cli: Cli) -> None:
    path = produced["xlsx"]
    before = path.read_bytes()
    r = sqlite_cli("stats", "--year", "2025", "--format", "xlsx", "-o", str(path), "--force", today=TODAY)
    assert r.exit_code == 0
    assert load_workbook(path)["表三"]["J6"].value == 3
    assert len(path.read_bytes()) > 0 and before[:2] == b"PK"
    names = sorted(p.name for p in produced["dir"].iterdir())
    assert not [n for n in names if n.endswith(".tmp")]


# ---------------------------------------------------------------------------------------------------------------
# Paste-ready (issue 12): whose report, publishable content apart from internal analytics, pages


def test_titles_name_the_agency_of_a_one_agency_installation(produced: dict[str, Any]) -> None:
    title = "本机关2025年政府信息公开工作年度报告统计表"
    rows = list(csv.reader(io.StringIO(produced["csv"].read_bytes().decode("utf-8-sig"))))
    assert rows[0] == [title]
    assert load_workbook(produced["xlsx"])["表三"]["A1"].value == "三、收到和处理政府信息公开申请情况"
    assert title in load_workbook(produced["xlsx"])["表三"]["A2"].value
    assert Document(str(produced["docx"])).paragraphs[0].text == title
    for path in (produced["csv"], produced["json"]):
        assert "全部机关" not in path.read_text(encoding="utf-8-sig")


def test_internal_analytics_stand_apart_from_the_publishable_content(produced: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(produced["csv"].read_bytes().decode("utf-8-sig"))))
    flat = [row[0] for row in rows if row]
    fee_sentence = flat.index("本年度发出收费通知1件，收取信息处理费共计1300元。")
    internal = flat.index("内部分析（不公开）")
    assert fee_sentence < internal
    assert all("中位数" not in line and "按件" not in line for line in flat[:internal])
    assert any("中位数" in line for line in flat[internal:]) and any("按量 1 件" in line for line in flat[internal:])

    wb = load_workbook(produced["xlsx"])
    assert wb.sheetnames == ["表三", "表四", "六、收费", "内部分析（不公开）"]
    six = [c.value for c in wb["六、收费"]["A"] if c.value]
    assert six[0] == "六、其他需要报告的事项" and "本年度发出收费通知1件，收取信息处理费共计1300元。" in six
    assert not any("中位数" in str(v) for v in six)
    assert any("中位数" in str(c.value) for c in wb["内部分析（不公开）"]["A"])

    doc = Document(str(produced["docx"]))
    texts = [p.text for p in doc.paragraphs]
    heading = texts.index("内部分析（不公开）")
    assert texts.index("本年度发出收费通知1件，收取信息处理费共计1300元。") < heading
    assert doc.paragraphs[heading].paragraph_format.page_break_before is True
    assert not any("中位数" in t for t in texts[:heading]) and any("中位数" in t for t in texts[heading:])


def test_docx_rows_never_split_and_headers_repeat(produced: dict[str, Any]) -> None:
    t3, t4 = Document(str(produced["docx"])).tables
    for table, header_rows in ((t3, 3), (t4, 3)):
        for i, tr in enumerate(table._tbl.tr_lst):
            pr = tr.trPr
            assert pr is not None and pr.find(qn("w:cantSplit")) is not None, i
            assert (pr.find(qn("w:tblHeader")) is not None) is (i < header_rows), i


def test_xlsx_tables_print_on_one_page_each(produced: dict[str, Any]) -> None:
    wb = load_workbook(produced["xlsx"])
    for name, orientation in (("表三", "portrait"), ("表四", "landscape")):
        ws = wb[name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
        assert ws.page_setup.orientation == orientation and str(ws.page_setup.paperSize) == "9"  # A4
