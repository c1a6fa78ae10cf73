"""`zwgk-tui agenda`: every open deadline of every case, overdue first, on a fixed scenario whose dates are counted
by hand on the official calendar (today 2025-03-20, a Thursday; 4/4-4/6 清明 are days off)."""

from __future__ import annotations

import os
import stat

import pytest
from openpyxl import load_workbook

TODAY = "2025-03-20"
FULL = ("--id-number", "11010519491231002X", "--phone", "13812345678", "--address", "某县某路1号",
        "--delivery", "email", "--form", "电子文档")


def scenario(cli):
    """Nine open cases and a closed one; the comment of each says what it must put on the agenda."""
    cli.set_up_agency()
    n = {}
    # A: received Thu 2/20, complete. 20th working day: 2/21 (1), 2/24-28 (2-6), 3/3-7 (7-11), 3/10-14 (12-16),
    #    3/17-20 (17-20) -> reply due today; not extended -> extension decision due today. 7th working day 3/3 has
    #    passed, but the application is complete: no 补正 item.
    n["A"] = cli.new_case("2025-02-20", "张三", "老旧小区改造项目清单", *FULL)
    # B: received Mon 2/10, registered by clerk2, submitted by clerk1. Due 3/10 (2/11-14 4, 2/17-21 9,
    #    2/24-28 14, 3/3-7 19, 3/10 20): 8 working days overdue (3/11-14, 3/17-20). In office review: no
    #    extension any more (past its due date).
    n["B"] = cli.new_case("2025-02-10", "李四", "征地补偿安置方案", *FULL, user="clerk2")
    cli("case", "act", n["B"], "decide", "--on", "2025-03-05", "--outcome", "disclosed", "--provision", "当面领取")
    cli("case", "act", n["B"], "submit", "--on", "2025-03-06")
    # C: third party consulted 3/5, served Fri 3/7: 15 working days -> Fri 3/28 (6 left).
    n["C"] = cli.new_case("2025-03-03", "王五", "河道整治工程验收报告", *FULL)
    cli("case", "act", n["C"], "consult", "--on", "2025-03-05", "--to", "某某建设公司", "--party", "third_party",
        "--served", "2025-03-07")
    # D: another agency consulted 3/4, date of service not recorded -> "record the date of service".
    n["D"] = cli.new_case("2025-03-03", "赵六", "联合发文的会议纪要", *FULL)
    cli("case", "act", n["D"], "consult", "--on", "2025-03-04", "--to", "某县财政局", "--party", "agency")
    # E: correction asked 3/7 with 5 working days, served Mon 3/10 -> 3/17; lapsed 3 working days ago.
    n["E"] = cli.new_case("2025-03-05", "某某公司", "预算执行情况", type="business")
    cli("case", "act", n["E"], "request-correction", "--on", "2025-03-07", "--items", "请明确年度",
        "--correct-days", "5", "--served", "2025-03-10")
    # F: received Tue 3/18 without the Art. 29 particulars: 补正 notice due 3/27 (3/19 1 ... 3/27 7), 5 left.
    #    Reply due 4/16, beyond the horizon. Registered by clerk2.
    n["F"] = cli.new_case("2025-03-18", "钱七", "某小区规划许可证", user="clerk2")
    # G: fee notice 3/3 (50 pages: 200元), served Tue 3/4 -> 20th working day Tue 4/1 (8 left).
    n["G"] = cli.new_case("2025-02-24", "孙八", "历年审计报告", *FULL)
    cli("case", "act", n["G"], "fee-notice", "--on", "2025-03-03", "--method", "per_page", "--pages", "50",
        "--served", "2025-03-04")
    # H: asked to explain 3/12 (Art. 35), service not recorded. Its reply (4/8) is beyond the horizon.
    n["H"] = cli.new_case("2025-03-10", "周九", "全部会议记录", *FULL)
    cli("case", "act", n["H"], "explanation-request", "--on", "2025-03-12", "--items", "请说明用途",
        "--answer-days", "10")
    # J: received Fri 2/14, due 3/14, extended by 5 on 3/12 -> 3/21 (1 left); already extended: no decision item.
    n["J"] = cli.new_case("2025-02-14", "吴十", "拆迁补偿标准", *FULL)
    cli("case", "act", n["J"], "extend", "--on", "2025-03-12", "--days", "5", "--approved-by", "局长",
        "--reason", "需调取档案")
    # K: closed (withdrawn): nothing on the agenda.
    n["K"] = cli.new_case("2025-03-03", "郑一", "某文件", *FULL)
    cli("case", "act", n["K"], "withdraw", "--on", "2025-03-04")
    return n


# (case, kind, due, working days left, status), in the order the agenda must list them with --days 10
# (until Thu 4/3: 3/21 1, 3/24-28 2-6, 3/31 7, 4/1-3 8-10).
EXPECTED = [
    ("B", "reply_due", "2025-03-10", -8, "overdue"),
    ("E", "correction_period", "2025-03-17", -3, "lapsed"),
    ("A", "extension_decision", TODAY, 0, "today"),
    ("A", "reply_due", TODAY, 0, "today"),
    ("J", "reply_due", "2025-03-21", 1, "soon"),
    ("F", "correction_notice", "2025-03-27", 5, "soon"),
    ("C", "consultation_period", "2025-03-28", 6, "later"),
    ("G", "fee_payment", "2025-04-01", 8, "later"),
    ("D", "consultation_period", None, None, "no_date"),  # letter of 3/4
    ("H", "explanation_period", None, None, "no_date"),  # letter of 3/12
]


def listed(data, n):
    back = {v: k for k, v in n.items()}
    return [(back[i["number"]], i["kind"], i["due"], i["working_days_left"], i["status"]) for i in data["items"]]


def test_agenda_lists_the_scenario_in_order(cli):
    n = scenario(cli)
    data = cli("agenda", "--days", "10", "--json").json()
    assert data["today"] == TODAY and data["until"] == "2025-04-03"
    assert listed(data, n) == EXPECTED
    assert data["counts"] == {"overdue": 1, "lapsed": 1, "today": 2, "soon": 2, "later": 2, "no_date": 2}
    by = {(i["number"], i["kind"]): i for i in data["items"]}
    assert by[(n["J"], "reply_due")]["what"] == "答复期限（含延长5个工作日）"
    assert by[(n["C"], "consultation_period")]["what"] == "第三方答复期限（某某建设公司，2025-03-07 送达）"
    assert by[(n["C"], "consultation_period")]["basis"] == "《条例》第三十二条、第三十四条"
    d = by[(n["D"], "consultation_period")]
    assert d["what"] == "征求意见书（致某县财政局，2025-03-04 发出）尚未记录送达日期"
    assert d["command"] == f"zwgk-tui case act {n['D']} served --on 对方收到之日 --what consult"
    assert d["letter_sent"] == "2025-03-04"
    e = by[(n["E"], "correction_period")]
    assert e["what"] == "申请人补正期限（2025-03-10 送达，5个工作日）"
    assert e["party"] == "applicant" and e["status_label"] == "已届满"
    assert e["command"].startswith(f"zwgk-tui case act {n['E']} correction-lapsed")
    g = by[(n["G"], "fee_payment")]
    assert g["what"] == "申请人缴费期限（200元，2025-03-04 送达）"
    assert g["basis"] == "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
    assert by[(n["F"], "correction_notice")]["what"] == "补正告知期限（登记时缺少3项要素）"
    assert by[(n["B"], "reply_due")]["stage"] == "office_review"
    # Natural persons' names masked, organisations' kept.
    assert by[(n["A"], "reply_due")]["applicant"] == "张*"
    assert e["applicant"] == "某某公司"


def test_default_horizon_is_five_working_days(cli):
    n = scenario(cli)
    data = cli("agenda", "--json").json()
    assert data["until"] == "2025-03-27"
    assert listed(data, n) == [e for e in EXPECTED if e[2] is None or e[2] <= "2025-03-27"]


def test_recording_the_service_turns_the_item_into_a_due_date(cli):
    n = scenario(cli)
    cli("case", "act", n["D"], "served", "--on", "2025-03-06", "--what", "consult")
    # 3/7 (1), 3/10-14 (6), 3/17-21 (11), 3/24-27 (15)
    items = [i for i in cli("agenda", "--days", "10", "--json").json()["items"] if i["number"] == n["D"]]
    assert [(i["due"], i["working_days_left"], i["status"]) for i in items] == [("2025-03-27", 5, "soon")]
    # An explanation answered leaves the agenda.
    cli("case", "act", n["H"], "explanation-answered", "--on", TODAY, "--answer", "用于研究")
    assert n["H"] not in {i["number"] for i in cli("agenda", "--json").json()["items"]}


def test_mine_is_what_the_user_registered_or_submitted(cli):
    n = scenario(cli)
    mine1 = {i["number"] for i in cli("agenda", "--days", "10", "--mine", "--json").json()["items"]}
    mine2 = {i["number"] for i in cli("agenda", "--days", "10", "--mine", "--json", user="clerk2").json()["items"]}
    assert n["F"] not in mine1 and n["B"] in mine1  # B: submitted by clerk1
    assert mine2 == {n["B"], n["F"]}  # registered by clerk2
    assert cli("agenda", "--mine", "--json", user="clerk2").json()["scope"] == "全部机关（clerk2经办）"


def test_markdown_digest_for_the_leader(cli):
    n = scenario(cli)
    text = cli("agenda", "--days", "10", "--format", "md").stdout
    assert text.startswith("# 政府信息公开申请待办　2025-03-20（周四）\n")
    assert "已逾期 1 项　已届满 1 项　今天到期 2 项　即将到期 2 项　待记录送达 2 项" in text
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == ["## 已逾期、已届满（2 项）", "## 今天到期（2 项）", "## 即将到期（2 项）",
                        "## 其后到期（2 项）", "## 待记录送达日期（对方的期限自其收到之日起算）（2 项）"]
    assert (f"| 2025-03-10 | 逾期8 | 答复期限 | {n['B']} | 李* | 已逾期：尽快答复并送达 | 《条例》第三十三条 |"
            in text)
    assert "| 2025-03-21 | 剩1 | 答复期限（含延长5个工作日） |" in text
    assert "11010519491231002X" not in text and "13812345678" not in text and "张三" not in text


def test_files_xlsx_md_json_private_and_never_over_the_database(cli, tmp_path):
    scenario(cli)
    out = tmp_path / "待办.xlsx"
    assert cli("agenda", "--days", "10", "-o", str(out)).stdout.strip() == str(out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    ws = load_workbook(out)["待办"]
    assert [c.value for c in ws[2]][:5] == ["期限", "工作日", "状态", "事项", "案件编号"]
    assert ws["A3"].value.date().isoformat() == "2025-03-10" and ws["B3"].value == "逾期8"
    assert ws["A12"].value == "待记录送达"
    again = cli("agenda", "-o", str(out), ok=False)
    assert again.exit_code == 2 and "已存在" in again.stderr and "--force" in again.stderr
    cli("agenda", "-o", str(out), "--force")
    md = tmp_path / "digest.md"
    cli("agenda", "-o", str(md))
    assert md.read_text(encoding="utf-8").startswith("# 政府信息公开申请待办")
    if cli.url.endswith(".db"):
        r = cli("agenda", "--format", "json", "-o", cli.url, "--force", ok=False)
        assert r.exit_code == 2 and "数据库" in r.stderr
    table = cli("agenda", "--format", "table", "-o", str(tmp_path / "x.txt"), ok=False)
    assert table.exit_code == 2 and "table 格式只在终端显示" in table.stderr


def test_table_in_the_terminal(cli):
    n = scenario(cli)
    text = cli("agenda", "--days", "10").stdout
    assert "待办　2025-03-20　范围：全部机关" in text
    assert text.index(n["B"]) < text.index(n["E"]) < text.index(n["J"]) < text.index(n["H"])
    assert "共 10 项：已逾期 1，对方期限已届满 1，今天到期 2，即将到期 2，待记录送达 2" in text


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (("--days", "abc"), 2, "--days “abc”不是整数"),
    (("--days", "500"), 2, "--days 500 无效：应为 0 至 200 个工作日"),
    (("--format", "pdf"), 2, "输出格式“pdf”无效"),
    (("--agency", "nosuch"), 2, "机关代码“nosuch”不存在"),
])
def test_bad_options_are_refused_in_chinese(cli, args, code, fragment):
    cli("init")
    r = cli("agenda", *args, ok=False)
    assert r.exit_code == code and fragment in r.stderr and "Traceback" not in r.stderr + r.stdout


def test_clerks_see_their_own_agency_only(cli):
    cli("init")
    cli("agency", "add", "zrzy", "--name", "某县自然资源局")
    cli("user", "add", "admin1", "--role", "admin", "clerk", "office")
    cli("user", "add", "clerkz", "--role", "clerk", "--agency", "zrzy", user="admin1")
    cli("user", "add", "clerkd", "--role", "clerk", "--agency", "default", user="admin1")
    mine = cli.new_case("2025-03-18", "甲", "某文件", user="clerkz")
    cli.new_case("2025-03-18", "乙", "另一文件", user="clerkd")
    seen = cli("agenda", "--json", user="clerkz").json()
    assert {(i["agency"], i["number"]) for i in seen["items"]} == {("zrzy", mine)}
    assert seen["scope"] == "某县自然资源局"
    assert {i["agency"] for i in cli("agenda", "--json", user="admin1").json()["items"]} == {"default", "zrzy"}
    r = cli("agenda", "--agency", "default", user="clerkz", ok=False)
    assert r.exit_code == 3 and "只能查看本机关" in r.stderr


def test_proceedings_deadlines_join_the_agenda(cli):
    n = scenario(cli)
    # K (withdrawn 3/4) goes to reconsideration; the copy arrives Mon 3/10: the answer with its evidence is due
    # 10 working days later, Mon 3/24 (3/11-14 4, 3/17-21 9, 3/24 10) — 2 working days after today 3/20.
    cli("case", "act", n["K"], "remedy", "--kind", "reconsideration", "--filed", "2025-03-07",
        "--copy-received", "2025-03-10")
    data = cli("agenda", "--days", "10", "--json").json()
    assert data["proceedings_included"] is True
    kinds = [(i["number"], i["kind"]) for i in data["items"]]
    assert kinds.index((n["K"], "proceeding")) == kinds.index((n["J"], "reply_due")) + 1  # 3/21 before 3/24
    p = next(i for i in data["items"] if i["kind"] == "proceeding")
    assert (p["due"], p["working_days_left"], p["status"]) == ("2025-03-24", 2, "soon")
    assert (p["applicant"], p["subject"]) == ("郑*", "某文件")
    assert "第四十八条" in p["basis"]
    # K was registered by clerk1: on clerk1's own agenda, not on clerk2's.
    assert (n["K"], "proceeding") in [(i["number"], i["kind"]) for i in
                                      cli("agenda", "--days", "10", "--mine", "--json").json()["items"]]
    assert (n["K"], "proceeding") not in [(i["number"], i["kind"]) for i in cli(
        "agenda", "--days", "10", "--mine", "--json", user="clerk2").json()["items"]]
