"""Annual-report figures that stay true after publication (issue 12), on SQLite and PostgreSQL.

A two-year scenario built through the command line with fixed dates: 2024 is published on 2025-01-10; later
events (a reconsideration pending on 31 December decided in January, a reopen and re-reply after publication,
two reconsiderations on one case, a reconsideration against a case still open, a direct suit against an
Arts. 14–16 refusal) must not move any published cell. Then a real change (a letter received in 2024, found and
registered in 2025) is listed against the publication, blocks 2025 until 2024 is re-published, and so on.

Every expected number is a literal counted by hand from the case list below (columns: 自然人, 商业企业, 科研机构,
社会公益组织, 法律服务机构, 其他, 总计).

    C1  自然人   received 2024-03-04, disclosed 2024-03-15
    C2  商业企业 received 2024-05-06, withheld (process info) 2024-05-20; reconsideration 2024-06-03, upheld 2024-07-15
    C3  自然人   received 2024-10-08, withheld (third party) 2024-10-21; reconsideration 2024-11-04, corrected
                 2025-01-14 with an order to disclose; reopened 2025-01-20, re-replied (disclosed) 2025-02-10;
                 a second reconsideration against the re-reply 2025-03-03, pending
    C4  自然人   received 2024-12-16, not held 2025-01-08
    C5  法律服务 received 2024-12-20; reconsideration against the open case (逾期不答复) 2025-01-27, ended
                 "other" 2025-04-15; disclosed 2025-02-07
    C6  自然人   received 2024-11-11, withheld (internal affairs) 2024-11-25; reconsideration 2024-12-02 upheld
                 2024-12-30; suit after reconsideration 2025-01-06, pending
    C7  自然人   received 2024-12-27, withdrawn 2025-01-06
    C8  自然人   received 2025-02-03, disclosed 2025-02-17
    C9  商业企业 received 2025-06-02, withheld (process info) 2025-06-16; direct suit 2025-07-01 (复议前置 warning)
    C10 科研机构 received 2025-12-22, open
    C11 自然人   received 2024-12-30, registered late on 2025-03-20 (the change after publication), open
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.conftest import Cli
from tests.test_stats import Clerk, expected_rows

TODAY = "2026-03-31"
A = "ja"
SEARCH = ("--searched", "本机关档案室及OA系统|审批文件|经办人|2025-01-07")


def report(cli: Cli, year: int, *extra: str, today: str = TODAY) -> dict[str, Any]:
    return cli("stats", "--year", str(year), "--format", "json", *extra, today=today).json()


def remedy(cli: Cli, number: str, *opts: str, today: str) -> dict[str, Any]:
    view = cli("case", "act", number, "remedy", "--agency", A, *opts, "--json", today=today).json()
    return view


PUBLISHED_2024 = expected_rows(
    new=[5, 1, 0, 0, 1, 0, 7],  # C1 C3 C4 C6 C7 · C2 · C5
    disclosed=[1, 0, 0, 0, 0, 0, 1],  # C1
    withheld_third_party=[1, 0, 0, 0, 0, 0, 1],  # C3
    withheld_internal_affairs=[1, 0, 0, 0, 0, 0, 1],  # C6
    withheld_process_info=[0, 1, 0, 0, 0, 0, 1],  # C2
    concluded_total=[3, 1, 0, 0, 0, 0, 4],
    carried_out=[2, 0, 0, 0, 1, 0, 3],  # C4 C7 · C5
)
TABLE4_2024 = {
    # C2 upheld 2024-07-15, C6 upheld 2024-12-30; C3 pending on 31 December (decided 2025-01-14).
    "reconsideration": {"upheld": 2, "corrected": 0, "other": 0, "pending": 1, "total": 3},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "litigation_after_reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}
EXPECTED_2025 = expected_rows(
    new=[1, 1, 1, 0, 0, 0, 3],  # C8 · C9 · C10
    carried_in=[2, 0, 0, 0, 1, 0, 3],  # C4 C7 · C5 (= 2024's published 四)
    disclosed=[1, 0, 0, 0, 1, 0, 2],  # C8 · C5 (C3's re-reply is not counted: first concluded in 2024)
    withheld_process_info=[0, 1, 0, 0, 0, 0, 1],  # C9
    unavailable_not_held=[1, 0, 0, 0, 0, 0, 1],  # C4
    other_other=[1, 0, 0, 0, 0, 0, 1],  # C7
    concluded_total=[3, 1, 0, 0, 1, 0, 5],
    carried_out=[0, 0, 1, 0, 0, 0, 1],  # C10
)
TABLE4_2025 = {
    # C5 (filed 2025-01-27 against the open case) ended "other"; C3's second one pending.
    "reconsideration": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},  # C9
    "litigation_after_reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},  # C6
}


def build_2024(cli: Cli) -> Clerk:
    cli("agency", "add", A, "--name", "甲县住房和城乡建设局", "--reconsideration-body", "甲县人民政府",
        "--court", "甲县人民法院", today="2024-01-02")
    cli("agency", "set", A, "--office-review", "off", "--legal-review", "off", today="2024-01-02")
    c = Clerk(cli)
    c.new("C1", A, "2024-03-04")
    c.reply("C1", A, "2024-03-15", "disclosed")
    c.new("C2", A, "2024-05-06", "business")
    c.reply("C2", A, "2024-05-20", "withheld_process_info")
    remedy(cli, c.numbers["C2"], "--kind", "reconsideration", "--filed", "2024-06-03", today="2024-06-03")
    c.new("C3", A, "2024-10-08")
    c.reply("C3", A, "2024-10-21", "withheld_third_party")
    c.new("C6", A, "2024-11-11")
    c.reply("C6", A, "2024-11-25", "withheld_internal_affairs")
    c.new("C4", A, "2024-12-16")
    c.new("C5", A, "2024-12-20", "legal_service")
    c.new("C7", A, "2024-12-27")
    return c


def test_two_years_published_then_later_events_then_a_real_change(cli: Cli, tmp_path: Path) -> None:
    c = build_2024(cli)
    n = c.numbers
    # The proceedings of 2024, in the new spelling: each is a record with its number.
    r2 = remedy(cli, n["C2"], "--proceeding", str(_only(cli, n["C2"])), "--result", "upheld", "--decided",
                "2024-07-15", today="2024-07-15")
    assert r2["proceedings"][0]["result"] == "upheld"
    p3 = remedy(cli, n["C3"], "--kind", "reconsideration", "--filed", "2024-11-04", "--copy-received",
                "2024-11-08", today="2024-11-08")["recorded"]["proceeding"]
    p6 = remedy(cli, n["C6"], "--kind", "reconsideration", "--filed", "2024-12-02", today="2024-12-02")
    p6_id = p6["recorded"]["proceeding"]
    remedy(cli, n["C6"], "--proceeding", str(p6_id), "--result", "upheld", "--decided", "2024-12-30",
           today="2024-12-30")
    # Early January 2025, before publication.
    c.act("C7", A, "withdraw", "2025-01-06")
    remedy(cli, n["C6"], "--kind", "litigation_after_reconsideration", "--filed", "2025-01-06", today="2025-01-06")
    c.reply("C4", A, "2025-01-08", "unavailable_not_held", *SEARCH)

    # -- publish 2024 -----------------------------------------------------------------------------------------
    before = report(cli, 2024, today="2025-01-10")
    assert before["publication"] is None
    for key, row in PUBLISHED_2024.items():
        assert before["table3"][key] == row, key
    assert before["table4"] == TABLE4_2024
    published = cli("stats", "publish", "--year", "2024", "--json", today="2025-01-10").json()
    assert published["published_on"] == "2025-01-10" and len(published["sha256"]) == 64
    assert published["cells"] == 7 + 4 + 3 + 3  # new, concluded, carried out; three proceedings
    again = cli("stats", "publish", "--year", "2024", today="2025-01-11", ok=False)
    assert again.exit_code == 2 and "已于 2025-01-10" in again.stderr and "--republish" in again.stderr

    # -- the later events -------------------------------------------------------------------------------------
    # The reconsideration pending on 31 December is decided in January: corrected, with an order to disclose.
    view = remedy(cli, n["C3"], "--proceeding", str(p3), "--result", "corrected", "--decided", "2025-01-14",
                  "--disclose-order", today="2025-01-14")
    [compliance] = [d for d in view["proceedings"][0]["deadlines"] if d["code"] == "compliance"]
    # 2025-01-14 + 20 working days: 01-15…01-24 (8), 01-26 Sunday make-up (9), 01-27 (10), 春节 01-28…02-04 off,
    # 02-05…02-07 (13), 02-08 Saturday make-up (14), 02-10…02-14 (19), 02-17 (20).
    assert compliance["due"] == "2025-02-17"
    # The case is reopened after publication and replied to again.
    c.act("C3", A, "reopen", "2025-01-20", "--reason", "复议决定责令重新答复")
    c.reply("C3", A, "2025-02-10", "disclosed")
    remedy(cli, n["C3"], "--proceeding", str(p3), "--complied", "2025-02-10", today="2025-02-10")
    # A second reconsideration of the same kind on C3: the 0.1 spelling cannot tell it from an update.
    r = cli("case", "act", n["C3"], "remedy", "--agency", A, "--on", "2025-03-03", "--kind", "reconsideration",
            "--result", "pending", today="2025-03-03", ok=False)
    assert r.exit_code == 2 and "--filed" in r.stderr and "--proceeding" in r.stderr
    second = remedy(cli, n["C3"], "--kind", "reconsideration", "--filed", "2025-03-03", today="2025-03-03")
    assert [p["id"] for p in second["proceedings"]] == [p3, second["recorded"]["proceeding"]]
    assert [p["result"] for p in second["proceedings"]] == ["corrected", "pending"]
    # A reconsideration against a case still open (逾期不答复).
    open_case = cli("case", "act", n["C5"], "remedy", "--agency", A, "--kind", "reconsideration", "--filed",
                    "2025-01-27", today="2025-01-27")
    assert "逾期不答复" in open_case.stderr and "#" in open_case.stdout
    p5 = cli("case", "show", n["C5"], "--agency", A, "--json", today="2025-01-27").json()["proceedings"][0]["id"]
    c.reply("C5", A, "2025-02-07", "disclosed")
    remedy(cli, n["C5"], "--proceeding", str(p5), "--result", "other", "--decided", "2025-04-15", today="2025-04-15")
    c.new("C8", A, "2025-02-03")
    c.reply("C8", A, "2025-02-17", "disclosed")
    c.new("C9", A, "2025-06-02", "business")
    c.reply("C9", A, "2025-06-16", "withheld_process_info")
    suit = cli("case", "act", n["C9"], "remedy", "--agency", A, "--kind", "litigation_direct", "--filed",
               "2025-07-01", "--copy-received", "2025-07-08", today="2025-07-08")
    assert "复议前置" in suit.stderr and "第二十三条第一款第（四）项" in suit.stderr
    c9 = cli("case", "show", n["C9"], "--agency", A, "--json", today="2025-07-08").json()["proceedings"][0]
    assert "复议前置" in c9["warning"]
    assert [(d["code"], d["due"]) for d in c9["deadlines"]] == [("defence", "2025-07-23")]  # 07-08 + 15 days
    c.new("C10", A, "2025-12-22", "research")

    # -- 2024 is as published ---------------------------------------------------------------------------------
    shown = report(cli, 2024)
    assert shown["publication"]["published_on"] == "2025-01-10" and shown["publication"]["sha256_ok"] is True
    assert shown["changes_since_publication"] == []
    recount = report(cli, 2024, "--current")
    for key, row in PUBLISHED_2024.items():
        assert shown["table3"][key] == row, key
        assert recount["table3"][key] == row, key  # today's data count the same: first conclusions, year-end results
    assert recount["table4"] == TABLE4_2024 and shown["table4"] == TABLE4_2024
    text = cli("stats", "--year", "2024", today=TODAY).stdout
    assert "本表为 2025-01-10 发布的数字" in text and "发布后数据未变动" in text

    # -- 2025 -------------------------------------------------------------------------------------------------
    rep = report(cli, 2025)
    assert rep["identity_holds"] is True and rep["publication"] is None
    for key, row in EXPECTED_2025.items():
        assert rep["table3"][key] == row, key
    assert rep["table4"] == TABLE4_2025
    assert rep["carried_in_reference"]["source"] == "publication"
    assert rep["rereplies"] == [{
        "number": n["C3"], "agency": A, "round": 2, "reopened_on": "2025-01-20", "reason": "复议决定责令重新答复",
        "concluded_on": "2025-02-10", "outcome": "disclosed", "outcome_label": "予以公开",
        # 01-21…01-24 (4), 01-26 make-up (5), 01-27 (6), 春节 off, 02-05…02-07 (9), 02-08 make-up (10), 02-10 (11)
        "working_days_from_reopen": 11,
    }]
    assert rep["working_time"]["replies"] == 4  # first replies concluded in 2025: C4 C5 C8 C9 (not C7, not C3)
    internal = cli("stats", "--year", "2025", today=TODAY).stdout
    assert "内部分析（不公开）" in internal and "重新答复 1 件" in internal

    # -- a real change after publication ----------------------------------------------------------------------
    c.new("C11", A, "2024-12-30")  # a letter received 2024-12-30, registered on its real date in 2025
    shown = report(cli, 2024)
    assert shown["table3"]["new"] == PUBLISHED_2024["new"]  # the published figures stand
    changes = {ch["cell"]: ch for ch in shown["changes_since_publication"]}
    assert set(changes) == {"table3.new.natural_person", "table3.carried_out.natural_person"}
    for ch in changes.values():
        assert ch["added"] == [f"{n['C11']}（{A}）"] and ch["removed"] == []
    natural = changes["table3.new.natural_person"]
    assert (natural["published"], natural["current"]) == (5, 6)
    text = cli("stats", "--year", "2024", today=TODAY).stdout
    assert "发布后变动" in text and n["C11"] in text
    # 2025's 二 no longer equals 2024's published 四: an identity fault naming the case.
    refused = cli("stats", "--year", "2025", today=TODAY, ok=False)
    assert refused.exit_code == 2 and n["C11"] in refused.stderr and "已发布年报" in refused.stderr
    assert "自然人" in refused.stderr and "--republish" in refused.stderr
    # The office corrects the 2024 report; 2025 adds up again.
    r = cli("stats", "publish", "--year", "2024", "--republish", today=TODAY, ok=False)
    assert r.exit_code == 2 and "--reason" in r.stderr
    cli("stats", "publish", "--year", "2024", "--republish", "--reason", "补登2024-12-30收到的申请", today=TODAY)
    shown = report(cli, 2024)
    assert shown["table3"]["new"] == [6, 1, 0, 0, 1, 0, 8] and shown["changes_since_publication"] == []
    assert shown["publication"]["reason"] == "补登2024-12-30收到的申请"
    rep = report(cli, 2025)
    assert rep["table3"]["carried_in"] == [3, 0, 0, 0, 1, 0, 4]
    assert rep["table3"]["carried_out"] == [1, 0, 1, 0, 0, 0, 2]  # C11 · C10
    assert rep["table3"]["concluded_total"] == EXPECTED_2025["concluded_total"]

    # -- exports of a published year are the published figures ------------------------------------------------
    out = tmp_path / "2024.json"
    cli("stats", "--year", "2024", "-o", str(out), today=TODAY)
    assert json.loads(out.read_text(encoding="utf-8"))["publication"]["reason"] == "补登2024-12-30收到的申请"


def _only(cli: Cli, number: str) -> int:
    [p] = cli("case", "show", number, "--agency", A, "--json", today="2024-07-15").json()["proceedings"]
    return int(p["id"])


# ---------------------------------------------------------------------------------------------------------------
# First year in the tool


def test_opening_balance_is_the_reference_of_the_first_year(cli: Cli, tmp_path: Path) -> None:
    cli("init", today="2025-01-02")
    cli("agency", "set", "default", "--name", "某县财政局", "--office-review", "off", "--legal-review", "off",
        today="2025-01-02")
    # Cases received in 2024 and still open are registered with their real dates.
    a = cli.new_case("2024-12-23", "王五", "2024年预算执行情况", today="2025-01-02")
    r = cli("stats", "opening", "--year", "2025", "--carried", "1,0,0,0,0,0,1", today="2025-01-02")
    assert "已记录 2025 年期初数" in r.stdout and "自然人 1" in r.stdout
    rep = cli("stats", "--year", "2025", "--format", "json", today="2026-01-05").json()
    assert rep["identity_holds"] is True and rep["table3"]["carried_in"] == [1, 0, 0, 0, 0, 0, 1]
    assert rep["carried_in_reference"]["source"] == "opening"
    b = cli.new_case("2024-12-30", "赵六", "某项目资金拨付", today="2025-01-03")
    refused = cli("stats", "--year", "2025", today="2026-01-05", ok=False)
    assert refused.exit_code == 2 and "期初数" in refused.stderr and a in refused.stderr and b in refused.stderr
    # The previous year's report as this tool exports it (JSON), or a spreadsheet with the 结转下年度 row.
    js = tmp_path / "2024年报.json"
    js.write_text(json.dumps({"year": 2024, "table3": {"carried_out": [2, 0, 0, 0, 0, 0, 2]}}), encoding="utf-8")
    cli("stats", "opening", "--year", "2025", "--file", str(js), today="2025-01-03")
    assert cli("stats", "--year", "2025", "--format", "json", today="2026-01-05").json()["identity_holds"] is True
    wb = Workbook()
    ws = wb.active
    ws.append(["三、收到和处理政府信息公开申请情况"])
    ws.append(["四、结转下年度继续办理", None, None, 2, 0, 0, 0, 0, 0, 2])
    xl = tmp_path / "2024年报.xlsx"
    wb.save(xl)
    r = cli("stats", "opening", "--year", "2025", "--file", str(xl), today="2025-01-03")
    assert "已更新" in r.stdout
    wrong_year = tmp_path / "2023.json"
    wrong_year.write_text(json.dumps({"year": 2023, "table3": {"carried_out": [2, 0, 0, 0, 0, 0, 2]}}),
                          encoding="utf-8")
    for args, message in ((["--file", str(wrong_year)], "2023 年的年报"),
                          (["--carried", "1,2,3"], "应为6个数"),
                          (["--carried", "1,0,0,0,0,0,5"], "总计 5 不等于各列之和 1"),
                          (["--carried", "1,0,0,0,0,x"], "不是整数"),
                          ([], "二者选一"),
                          (["--file", str(tmp_path / "nosuch.json")], "找不到文件")):
        r = cli("stats", "opening", "--year", "2025", *args, today="2025-01-03", ok=False)
        assert r.exit_code == 2 and message in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr


def test_publishing_needs_a_finished_year_and_a_head_or_office(cli: Cli) -> None:
    cli("user", "add", "admin1", "--role", "admin", today="2025-01-02")
    cli("user", "add", "clerk1", "--role", "clerk", today="2025-01-02", user="admin1")
    cli("user", "add", "head1", "--role", "head", today="2025-01-02", user="admin1")
    cli.new_case("2025-03-03", today="2025-03-03", user="clerk1")
    r = cli("stats", "publish", "--year", "2025", today="2025-12-31", user="head1", ok=False)
    assert r.exit_code == 2 and "尚未结束" in r.stderr
    r = cli("stats", "publish", "--year", "2025", today="2026-01-20", user="clerk1", ok=False)
    assert r.exit_code == 3
    cli("stats", "publish", "--year", "2025", today="2026-01-20", user="head1")


def test_government_name_titles_a_multi_agency_report(cli: Cli, tmp_path: Path) -> None:
    cli("agency", "add", "ja", "--name", "甲县住房和城乡建设局", today="2025-01-02")
    cli("agency", "add", "jb", "--name", "甲县自然资源局", today="2025-01-02")
    rep = cli("stats", "--year", "2025", "--format", "json", today="2026-01-05").json()
    assert rep["agency_name"] == "本级政府" and "全部" in rep["scope"]
    cli("stats", "settings", "--government-name", "甲县人民政府", today="2026-01-05")
    assert "甲县人民政府" in cli("stats", "settings", today="2026-01-05").stdout
    rep = cli("stats", "--year", "2025", "--format", "json", today="2026-01-05").json()
    assert rep["agency_name"] == "甲县人民政府" and rep["scope"].startswith("甲县人民政府（本级政府）")
    one = cli("stats", "--year", "2025", "--agency", "jb", "--format", "json", today="2026-01-05").json()
    assert one["agency_name"] == "甲县自然资源局" and one["scope"] == "甲县自然资源局（jb）"
    text = cli("stats", "--year", "2025", today="2026-01-05").stdout
    assert "甲县人民政府2025年政府信息公开工作年度报告统计表" in text and "全部机关" not in text
