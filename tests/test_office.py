"""The government office: the per-agency board (报备, 在办, 逾期, 审核, 纠错率), the weekly summary of a fixed week
(2025-W11, Mon 3/10 to Sun 3/16) for two agencies, much-requested information (Art. 44) and proactive publication.
Today is 2025-03-20."""

from __future__ import annotations

import json
import os
import stat

from docx import Document
from openpyxl import load_workbook

FULL = ("--id-number", "11010519491231002X", "--phone", "13812345678", "--address", "某县某路1号",
        "--delivery", "email", "--form", "电子文档")


def two_agencies(cli):
    cli.set_up_agency()
    cli("agency", "add", "zrzy", "--name", "某县自然资源局", "--reconsideration-body", "某县人民政府",
        "--court", "某县人民法院")


def week_scenario(cli):
    """Requests on both sides of week 11's edges, in both agencies."""
    two_agencies(cli)
    n = {}
    n["d_before"] = cli.new_case("2025-03-09", "甲一", "上周日收到的申请", *FULL)  # Sunday of week 10
    n["d_mon"] = cli.new_case("2025-03-10", "张三", "老旧小区改造项目清单", *FULL)
    n["d_org"] = cli.new_case("2025-03-12", "某某房地产开发有限公司", "土地出让合同", type="business",
                              channel="online")
    n["d_after"] = cli.new_case("2025-03-17", "乙二", "下周一收到的申请", *FULL)  # Monday of week 12
    n["z_sun"] = cli("case", "new", "--agency", "zrzy", "--applicant", "欧阳小明", "--applicant-type",
                     "natural_person", "--channel", "online", "--received", "2025-03-16", "--content",
                     "某村土地征收批复").stdout.strip()  # Sunday of week 11 (confirmed online)
    # The Monday request of the housing bureau: consulted, so paused.
    cli("case", "act", n["d_mon"], "consult", "--on", "2025-03-11", "--to", "某某建设公司", "--party", "third_party")
    return n


def test_weekly_summary_lists_exactly_the_weeks_requests_per_agency(cli, tmp_path):
    n = week_scenario(cli)
    path = tmp_path / "w.json"
    cli("office", "weekly", "--week", "2025-W11", "--format", "json", "-o", str(path))
    w = json.loads(path.read_text(encoding="utf-8"))
    assert (w["week"], w["from"], w["to"], w["as_of"]) == ("2025-W11", "2025-03-10", "2025-03-16", "2025-03-20")
    got = {a["agency"]: [r["number"] for r in a["rows"]] for a in w["requests"]}
    assert got == {"default": [n["d_mon"], n["d_org"]], "zrzy": [n["z_sun"]]}
    rows = {r["number"]: r for a in w["requests"] for r in a["rows"]}
    assert rows[n["d_mon"]] == {
        "number": n["d_mon"], "received_on": "2025-03-10", "applicant_type": "natural_person",
        "applicant_type_label": "自然人", "applicant": "张*", "subject": "老旧小区改造项目清单", "due_date": None,
        "provisional": False, "stage": "consulting", "status": "征求意见中，暂停计时",
    }
    # 3/12 + 20 working days: 3/13-14 (2), 3/17-21 (7), 3/24-28 (12), 3/31-4/3 (16), 4/7-10 (20)
    assert (rows[n["d_org"]]["applicant"], rows[n["d_org"]]["due_date"], rows[n["d_org"]]["status"]) == (
        "某某房地产开发有限公司", "2025-04-10", "已登记")
    assert rows[n["z_sun"]]["applicant"] == "欧***"
    board = {r["agency"]: r for r in w["agencies"]}
    assert (board["default"]["received"], board["zrzy"]["received"], w["total"]["received"]) == (2, 1, 3)


def test_weekly_xlsx_and_docx(cli, tmp_path):
    n = week_scenario(cli)
    xlsx = tmp_path / "weekly.xlsx"
    assert cli("office", "weekly", "--week", "2025-W11", "--format", "xlsx", "-o", str(xlsx)).stdout.strip() == \
        str(xlsx)
    assert stat.S_IMODE(os.stat(xlsx).st_mode) == 0o600
    wb = load_workbook(xlsx)
    summary = wb["汇总"]
    assert summary["A1"].value == "政府信息公开申请每周汇总（2025年第11周（3月10日至3月16日））"
    assert [c.value for c in summary[3]] == ["机关", "本周收到", "在办", "已逾期", "5个工作日内到期", "待政府办审核",
                                             "待法制审核", "本年复议诉讼", "已审结", "纠正", "纠错率"]
    assert [c.value for c in summary[4]][:3] == ["某县住房和城乡建设局", 2, 4]
    assert [c.value for c in summary[5]][:3] == ["某县自然资源局", 1, 1]
    assert [c.value for c in summary[6]][:3] == ["合计", 3, 5]
    sheet = wb["本周新收"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[:5] for r in rows] == [
        ["某县住房和城乡建设局", n["d_mon"], "2025-03-10", "自然人", "张*"],
        ["某县住房和城乡建设局", n["d_org"], "2025-03-12", "商业企业", "某某房地产开发有限公司"],
        ["某县自然资源局", n["z_sun"], "2025-03-16", "自然人", "欧***"],
    ]
    docx = tmp_path / "weekly.docx"
    cli("office", "weekly", "--week", "2025-W11", "-o", str(docx))
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    cells = [c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells]
    assert "（一）某县住房和城乡建设局：本周收到 2 件" in text
    assert "（二）某县自然资源局：本周收到 1 件" in text
    assert {n["d_mon"], n["d_org"], n["z_sun"]} <= set(cells)
    assert "上周日收到的申请" not in cells and "下周一收到的申请" not in cells
    assert "11010519491231002X" not in "".join(cells) and "张三" not in cells
    again = cli("office", "weekly", "--week", "2025-W11", "-o", str(docx), ok=False)
    assert again.exit_code == 2 and "已存在" in again.stderr


def test_board_counts_and_the_correction_rate(cli):
    cli.set_up_agency()
    cli("agency", "set", "default", "--office-review", "off", "--legal-review", "off")
    numbers = []
    for i, received in enumerate(("2025-01-06", "2025-01-07", "2025-01-08")):
        number = cli.new_case(received, f"申请人{i}", f"信息{i}", *FULL)
        cli("case", "act", number, "decide", "--on", "2025-01-10", "--outcome", "disclosed", "--provision", "当面领取")
        cli("case", "act", number, "submit", "--on", "2025-01-13")
        cli("case", "act", number, "sign", "--on", "2025-01-14")
        cli.deliver(number, "2025-01-15")
        numbers.append(number)
    for number, result in zip(numbers, ("corrected", "upheld", "pending"), strict=True):
        cli("case", "act", number, "remedy", "--on", "2025-03-03", "--kind", "reconsideration", "--result", result)
    overdue = cli.new_case("2025-02-10", "丙", "逾期的申请", *FULL)  # due 3/10
    soon = cli.new_case("2025-02-21", "丁", "临期的申请", *FULL)  # due 2/24-28 (5), 3/3-7 (10) ... 3/21
    cli("case", "act", soon, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取")
    cli("case", "act", soon, "submit", "--on", "2025-03-11")
    b = cli("office", "board", "--week", "2025-W12", "--json").json()
    row = b["agencies"][0]
    assert row == {"agency": "default", "name": "某县住房和城乡建设局", "received": 0, "open": 2, "overdue": 1,
                   "due_soon": 1, "office_review": 0, "legal_review": 0, "proceedings": 3, "decided": 2,
                   "corrected": 1, "correction_rate": 0.5}
    assert b["proceedings_year"] == 2025 and b["as_of"] == "2025-03-20"
    text = cli("office", "board", "--week", "2025-W12").stdout
    assert "50.0%" in text and "合计" in text
    assert overdue


def test_office_sees_every_agency_and_clerks_their_own(cli):
    week_scenario(cli)
    cli("user", "add", "admin1", "--role", "admin")
    cli("user", "add", "office1", "--role", "office", user="admin1")
    cli("user", "add", "clerkz", "--role", "clerk", "--agency", "zrzy", user="admin1")
    office = cli("office", "board", "--week", "2025-W11", "--json", user="office1").json()
    assert [r["agency"] for r in office["agencies"]] == ["default", "zrzy"]
    clerk = cli("office", "board", "--week", "2025-W11", "--json", user="clerkz").json()
    assert [r["agency"] for r in clerk["agencies"]] == ["zrzy"]
    r = cli("office", "weekly", "--week", "2025-W11", "--format", "json", "--agency", "default", user="clerkz",
            ok=False)
    assert r.exit_code == 3


def test_week_and_format_refusals(cli):
    cli("init")
    r = cli("office", "board", "--week", "2025-11", ok=False)
    assert r.exit_code == 2 and "应写成 YYYY-Www" in r.stderr
    r = cli("office", "weekly", "--week", "2025-W11", "--format", "pdf", ok=False)
    assert r.exit_code == 2 and "输出格式“pdf”无效" in r.stderr
    r = cli("office", "weekly", "--week", "2025-W11", ok=False)
    assert r.exit_code == 2 and "--format docx" in r.stderr


# ---------------------------------------------------------------------------------------------------------------
# Much-requested information (Art. 44)


def hot_scenario(cli):
    two_agencies(cli)
    same = "2024年老旧小区改造项目清单"
    a = cli.new_case("2025-02-03", "张三", same, *FULL)
    b = cli.new_case("2025-03-04", "李四", same)
    z = cli("case", "new", "--agency", "zrzy", "--applicant", "王五", "--applicant-type", "natural_person",
            "--channel", "in_person", "--received", "2025-03-05", "--content", same).stdout.strip()
    # One person asking twice is a repeat (36(六)), not demand from several applicants.
    r1 = cli.new_case("2025-02-10", "赵六", "某镇会议纪要", *FULL)
    r2 = cli.new_case("2025-03-10", "赵六", "某镇会议纪要", *FULL)
    cli.new_case("2024-12-20", "钱七", same)  # another year
    return a, b, z, r1, r2


def test_hot_topics_group_the_same_information_by_several_applicants(cli):
    a, b, z, _r1, _r2 = hot_scenario(cli)
    topics = cli("hot-topics", "--year", "2025", "--json").json()
    assert topics == [{
        "content": "2024年老旧小区改造项目清单", "requests": 3, "applicants": 3, "first_received": "2025-02-03",
        "last_received": "2025-03-05", "agencies": ["default", "zrzy"],
        "cases": [{"agency": "default", "number": a}, {"agency": "default", "number": b},
                  {"agency": "zrzy", "number": z}],
        "published": [],
    }]
    assert cli("hot-topics", "--year", "2025", "--min", "4", "--json").json() == []
    text = cli("hot-topics", "--year", "2025").stdout
    assert "申请 3 件，申请人 3 个" in text and "尚未记录主动公开" in text
    r = cli("hot-topics", "--year", "2025", "--min", "1", ok=False)
    assert r.exit_code == 2 and "至少为 2 个不同申请人" in r.stderr


def test_proactive_publication_is_an_event_per_case_and_counted_in_the_annual_report(cli):
    a, b, z, _r1, _r2 = hot_scenario(cli)
    url = "http://www.example.gov.cn/zwgk/ljxq.html"
    # Case numbers repeat across agencies (each numbers its own): --agency says whose.
    r = cli("proactive", a, b, "--agency", "default", "--on", "2025-03-18", "--where", url, "--json").json()
    assert r["recorded"] == [{"agency": "default", "number": a}, {"agency": "default", "number": b}]
    cli("proactive", z, "--agency", "zrzy", "--on", "2025-03-19", "--where", url)
    again = cli("proactive", a, "--agency", "default", "--on", "2025-03-19", "--where", url)
    assert "此前已记录过同一公开位置" in again.stderr
    events = [e for e in cli("case", "show", a, "--agency", "default", "--json").json()["events"]
              if e["action"] == "proactive"]
    assert len(events) == 1
    assert (events[0]["on"], events[0]["data"]["where"], events[0]["comment"]) == (
        "2025-03-18", url, f"已转为主动公开：{url}")
    topic = cli("hot-topics", "--year", "2025", "--json").json()[0]
    assert topic["published"] == [{"on": "2025-03-18", "where": url, "by": "clerk1"},
                                  {"on": "2025-03-19", "where": url, "by": "clerk1"}]
    report = cli("stats", "--year", "2025", "--format", "json").json()
    assert report["proactive"] == {"information": 1, "cases": 3,
                                   "sentence": "本年度将1项多人申请的政府信息转为主动公开（涉及申请3件）。"}
    zrzy = cli("stats", "--year", "2025", "--agency", "zrzy", "--format", "json").json()
    assert zrzy["proactive"]["cases"] == 1
    assert cli("stats", "--year", "2024", "--format", "json").json()["proactive"]["information"] == 0


def test_proactive_records_all_cases_or_none(cli):
    a, b, _z, _r1, _r2 = hot_scenario(cli)
    d = ("--agency", "default")
    r = cli("proactive", a, "2025-9999", *d, "--on", "2025-03-18", "--where", "本局网站", ok=False)
    assert r.exit_code == 2 and "找不到案件“2025-9999”" in r.stderr
    r = cli("proactive", a, b, *d, "--on", "2025-02-20", "--where", "本局网站", ok=False)  # b received 3/4
    assert r.exit_code == 2 and "早于收到申请日期" in r.stderr
    r = cli("proactive", a, *d, "--on", "2025-03-18", "--where", "  ", ok=False)
    assert r.exit_code == 2 and "--where（公开位置）" in r.stderr
    r = cli("proactive", a, *d, "--on", "2025-03-21", "--where", "本局网站", ok=False)
    assert r.exit_code == 2 and "晚于今天" in r.stderr
    r = cli("proactive", a, "--on", "2025-03-18", "--where", "本局网站", ok=False)
    assert r.exit_code == 2 and "请加 --agency CODE 指明" in r.stderr
    events = cli("case", "show", a, *d, "--json").json()["events"]
    assert not [e for e in events if e["action"] == "proactive"]


def test_proactive_does_not_hold_back_later_steps_dated_earlier(cli):
    """Publication is a fact about the information, not a step of the case: a back-dated step still records."""
    a, *_ = hot_scenario(cli)
    cli("proactive", a, "--agency", "default", "--on", "2025-03-18", "--where", "本局网站")
    cli("case", "act", a, "decide", "--agency", "default", "--on", "2025-03-10", "--outcome", "disclosed",
        "--provision", "当面领取")


def test_clerk_of_another_agency_may_not_record(cli):
    a, *_ = hot_scenario(cli)
    cli("user", "add", "admin1", "--role", "admin")
    cli("user", "add", "clerkz", "--role", "clerk", "--agency", "zrzy", user="admin1")
    r = cli("proactive", a, "--agency", "default", "--on", "2025-03-18", "--where", "本局网站", user="clerkz",
            ok=False)
    assert r.exit_code == 3
