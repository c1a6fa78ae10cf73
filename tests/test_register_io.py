"""The register (台账) out and in: `register export` and `register import`, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import os
import stat
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import EVIDENCE, PG_URL, Cli, Run
from openpyxl import Workbook, load_workbook
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# ---------------------------------------------------------------------------------------------------------------
# A register as agencies keep them: a merged title, a line about who filled it in, their own headers, dates written
# four ways, words for outcomes, a totals line at the bottom.


def messy_register(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "2025年"
    ws["A1"] = "某县住房和城乡建设局2025年政府信息公开申请办理台账"
    ws.merge_cells("A1:K1")
    ws["A2"] = "填报单位：办公室　　　填报时间：2025年6月"
    ws.merge_cells("A2:K2")
    ws.append(["序号", "受理日期", "申请人姓名（名称）", "申请人类型", "申请方式", "所需信息", "经办人", "答复日期",
               "处理结果", "是否逾期", "备注"])
    ws.append([1, "2025.3.3", "张三", "个人", "当面", "2024年老旧小区改造项目清单", "李科员", "2025年3月20日",
               "予以公开", "否", ""])
    ws.append([2, 45719, "某某房地产开发有限公司", "企业", "网上", "某地块土地出让合同", "李科员",
               datetime(2025, 3, 28), "不予公开·国家秘密", "否", "日期为 Excel 序号"])
    ws.append([3, "2025/4/1", "李四", "自然人", "邮寄", "某镇征地补偿安置方案", "王科员", None, None, None, "在办"])
    ws.append([4, "2025-04-07", "某律师事务所", "法律服务机构", "平信", "某项目环评批复", "王科员", "2025.4.30",
               "1.属于国家秘密", "否", ""])
    ws.append([5, date(2025, 5, 6), "王五", "个人", "传真", "河道整治工程验收报告", "李科员", "2025-06-10",
               "部分公开", "是", ""])
    ws["B8"].number_format = "yyyy/m/d"
    ws.append(["合计", "5件"])
    wb.save(path)
    return path


def bad_register(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "政府信息公开申请登记表"
    ws.merge_cells("A1:F1")
    ws.append(["收到时间", "申请人", "申请内容", "办结日期", "办理结果", "复议/诉讼"])
    ws.append(["2025-03-03", "张三", "2024年老旧小区改造项目清单", "2025-03-20", "予以公开", ""])  # row 3: good
    ws.append(["2025-13-01", "李四", "某镇征地补偿安置方案", None, None, ""])  # row 4
    ws.append(["2025-03-05", "王五", "某项目环评批复", "2025-03-25", "不予公开", ""])  # row 5
    ws.append(["2025-03-06", "赵六", "河道整治工程验收报告", "2025-03-26", None, ""])  # row 6
    ws.append(["2025-03-07", None, "某街道拆迁补偿方案", None, None, ""])  # row 7
    ws.append(["2025-03-10", "钱七", "某小区规划许可", "2025-03-07", "予以公开", ""])  # row 8
    ws.append(["2025-03-11", "孙八", "某路段改造预算", "2025-03-19", "予以公开", "行政复议 结果维持"])  # row 9
    wb.save(path)
    return path


def case_rows(cli: Cli) -> dict[str, dict[str, Any]]:
    return {r["number"]: r for r in cli("case", "list", "--json").json()}


# ---------------------------------------------------------------------------------------------------------------
# Import


def test_messy_register_imports_with_the_expected_cases(cli, tmp_path):
    path = messy_register(tmp_path / "台账2025.xlsx")
    r = cli("register", "import", str(path), today="2025-06-20")
    assert "表头在第 3 行，案件 5 行" in r.stdout
    assert "受理日期→收到日期" in r.stdout and "申请人姓名（名称）→申请人" in r.stdout
    assert "处理结果→办理结果" in r.stdout and "答复日期→办结日期" in r.stdout
    assert "未使用的列：序号、备注" in r.stdout
    assert "第 9 行（“合计”）不是案件，已跳过" in r.stderr
    assert "已导入 5 件（已办结 4 件、在办 1 件），编号 2025-0001 至 2025-0005" in r.stdout

    rows = cli("case", "list", "--json", today="2025-06-20").json()
    got = sorted((r["received_on"], r["applicant"], r["applicant_type"], r["stage"], r["outcome"], r["concluded_on"])
                 for r in rows)
    assert got == [
        ("2025-03-03", "张三", "natural_person", "closed", "disclosed", "2025-03-20"),
        ("2025-03-03", "某某房地产开发有限公司", "business", "closed", "withheld_state_secret", "2025-03-28"),
        ("2025-04-01", "李四", "natural_person", "registered", None, None),
        ("2025-04-07", "某律师事务所", "legal_service", "closed", "withheld_state_secret", "2025-04-30"),
        ("2025-05-06", "王五", "natural_person", "closed", "partially_disclosed", "2025-06-10"),
    ]
    by_applicant = {r["applicant"]: r for r in rows}
    # The open case is registered as received on 2025-04-01: 20th working day 2025-04-29 (清明 4/4, 4/27 调休上班).
    open_case = cli("case", "show", by_applicant["李四"]["number"], "--json", today="2025-06-20").json()
    assert open_case["channel"] == "mail_registered"
    assert open_case["due_date"] == "2025-04-29"
    assert open_case["deadline"]["status"] == "overdue"
    assert [e["action"] for e in open_case["events"]] == ["register"]
    assert open_case["events"][0]["data"]["import"]["row"] == 6
    assert open_case["events"][0]["data"]["import"]["source"] == "台账2025.xlsx"

    closed = cli("case", "show", by_applicant["王五"]["number"], "--json", today="2025-06-20").json()
    assert closed["channel"] == "fax"
    assert closed["replied_late"] is True
    assert [(e["action"], e["on"]) for e in closed["events"]] == [("register", "2025-05-06"), ("import", "2025-06-10")]
    imported = closed["events"][1]["data"]
    assert imported["row"] == 8 and imported["source"] == "台账2025.xlsx"
    assert imported["row_values"]["处理结果"] == "部分公开"
    assert imported["row_values"]["受理日期"] == "2025-05-06"
    assert closed["deadline"]["status"] != "overdue"  # concluded: the clock stopped on the import event

    shown = cli("case", "show", by_applicant["王五"]["number"], today="2025-06-20").stdout
    assert "　导入　" in shown and "导入：台账2025.xlsx 第 8 行" in shown
    # Numbers continue after the import.
    assert cli.new_case("2025-06-20", today="2025-06-20") == "2025-0006"


def test_dry_run_reports_every_bad_row_in_chinese_and_writes_nothing(cli, tmp_path):
    path = bad_register(tmp_path / "bad.xlsx")
    r = cli("register", "import", str(path), "--dry-run", ok=False)
    assert r.exit_code == 2
    err = r.stderr
    assert "第 4 行：收到日期 2025-13-01 无效：月份 13 不存在" in err
    assert "第 5 行：办理结果“不予公开”不够具体：年报把不予公开分为8种情形" in err
    assert "第 6 行：有办结日期但没有办理结果" in err
    assert "第 7 行：申请人姓名或名称不能为空" in err
    assert "第 8 行：办结日期 2025-03-07 早于收到日期 2025-03-10" in err
    assert "第 9 行：复议/诉讼“行政复议 结果维持”缺少申请（起诉）日期" in err
    assert "第 3 行" not in err
    assert "6 行有问题，检查完毕" in err
    assert "Traceback" not in err
    assert cli("case", "list", "--json").json() == []
    # Without --dry-run: all or nothing.
    r = cli("register", "import", str(path), ok=False)
    assert r.exit_code == 2 and "未导入任何案件" in r.stderr
    assert cli("case", "list", "--json").json() == []


def test_dry_run_of_a_good_register_says_what_would_be_imported(cli, tmp_path):
    path = messy_register(tmp_path / "t.xlsx")
    r = cli("register", "import", str(path), "--dry-run", today="2025-06-20")
    assert "检查通过：可导入 5 件（已办结 4 件、在办 1 件）" in r.stdout
    assert cli("case", "list", "--json").json() == []


def test_importing_the_same_register_twice_is_refused(cli, tmp_path):
    path = messy_register(tmp_path / "t.xlsx")
    cli("register", "import", str(path), today="2025-06-20")
    r = cli("register", "import", str(path), today="2025-06-20", ok=False)
    assert r.exit_code == 2
    assert "数据库中已有同一机关、同一收到日期、同一申请人、同一申请内容的案件（是否重复导入？）" in r.stderr
    assert len(cli("case", "list", "--json", today="2025-06-20").json()) == 5


def test_mapping_file_names_other_headers_and_words(cli, tmp_path):
    path = tmp_path / "map.csv"
    with open(path, "w", encoding="gb18030", newline="") as fh:  # Excel's csv on Chinese Windows
        w = csv.writer(fh)
        w.writerow(["来件时间", "当事人", "事由", "结论", "结案日", "类别"])
        w.writerow(["2025年3月3日", "张三", "2024年老旧小区改造项目清单", "同意", "2025/3/18", "群众"])
        w.writerow(["2025年3月4日", "某公司", "某地块土地出让合同", "信息不存在", "2025/3/19", "单位"])
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\n"来件时间" = "收到日期"\n"当事人" = "applicant"\n"事由" = "content"\n'
        '"结论" = "outcome"\n"结案日" = "concluded"\n"类别" = "applicant_type"\n'
        '[outcomes]\n"同意" = "予以公开"\n'
        '[applicant_types]\n"群众" = "natural_person"\n"单位" = "business"\n'
        '[defaults]\nchannel = "当面提交"\n',
        encoding="utf-8",
    )
    r = cli("register", "import", str(path), "--map", str(mapping))
    assert "已导入 2 件（已办结 2 件、在办 0 件）" in r.stdout
    got = sorted((r["applicant"], r["applicant_type"], r["outcome"], r["concluded_on"])
                 for r in cli("case", "list", "--json").json())
    assert got == [("张三", "natural_person", "disclosed", "2025-03-18"),
                   ("某公司", "business", "unavailable_not_held", "2025-03-19")]
    # Without the mapping the register is not recognised, and the message says what to do.
    r = cli("register", "import", str(path), ok=False)
    assert r.exit_code == 2 and "找不到表头" in r.stderr and "--map" in r.stderr


def test_mapping_file_mistakes_are_named(cli, tmp_path):
    reg = messy_register(tmp_path / "t.xlsx")
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\n"来件时间" = "来件"\n', encoding="utf-8")
    r = cli("register", "import", str(reg), "--map", str(bad), ok=False)
    assert r.exit_code == 2 and "映射文件 [columns] 中“来件时间” = “来件”：不认识的字段" in r.stderr
    bad.write_text('[outcomes]\n"同意" = "不予公开"\n', encoding="utf-8")
    r = cli("register", "import", str(reg), "--map", str(bad), ok=False)
    assert r.exit_code == 2 and "不够具体" in r.stderr
    bad.write_text("[columns\n", encoding="utf-8")
    r = cli("register", "import", str(reg), "--map", str(bad), ok=False)
    assert r.exit_code == 2 and "不是有效的 TOML" in r.stderr


def test_unreadable_files_are_refused_plainly(cli, tmp_path):
    old = tmp_path / "台账.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    r = cli("register", "import", str(old), ok=False)
    assert r.exit_code == 2 and "另存为” .xlsx" in r.stderr
    r = cli("register", "import", str(tmp_path / "none.xlsx"), ok=False)
    assert r.exit_code == 2 and "找不到文件" in r.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    r = cli("register", "import", str(broken), ok=False)
    assert r.exit_code == 2 and "不是有效的 xlsx 文件" in r.stderr and "Traceback" not in r.stderr


def test_import_needs_the_admin_role(cli, tmp_path):
    cli("user", "add", "admin1", "--role", "admin")
    cli("user", "add", "clerk1", "--role", "clerk", user="admin1")
    r = cli("register", "import", str(messy_register(tmp_path / "t.xlsx")), user="clerk1", ok=False)
    assert r.exit_code == 3 and "导入台账" in r.stderr


def test_numbers_in_the_agencys_format_are_kept_others_renumbered(cli, tmp_path):
    cli.new_case("2025-01-06")  # 2025-0001 is taken
    path = tmp_path / "n.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "收到日期", "申请人", "申请内容"])
        w.writerow(["2025-0001", "2025-01-07", "甲", "内容一"])  # taken: renumbered
        w.writerow(["2025-0007", "2025-01-08", "乙", "内容二"])  # kept
        w.writerow(["住建依申〔2025〕3号", "2025-01-09", "丙", "内容三"])  # another format: renumbered
    r = cli("register", "import", str(path))
    assert "2 件的原编号与本机关编号格式不符或已被占用" in r.stderr
    got = {r["applicant"]: r["number"] for r in cli("case", "list", "--json").json()}
    assert got == {"张三": "2025-0001", "乙": "2025-0007", "甲": "2025-0008", "丙": "2025-0009"}
    show = cli("case", "show", "2025-0009").stdout
    assert "原编号 住建依申〔2025〕3号" in show
    assert cli.new_case("2025-01-10") == "2025-0010"


# ---------------------------------------------------------------------------------------------------------------
# Export


def seed_cases(cli: Cli) -> None:
    a = cli.new_case("2025-03-03", "张三", "2024年老旧小区改造项目清单", "--id-number", "11010519491231002X",
                     "--phone", "13812345678")
    cli("case", "act", a, "decide", "--on", "2025-03-10", "--outcome", "partially_disclosed",
        *EVIDENCE["partially_disclosed"])
    cli("case", "act", a, "submit", "--on", "2025-03-11")
    cli("case", "act", a, "approve", "--on", "2025-03-12")
    cli("case", "act", a, "approve", "--on", "2025-03-13")
    cli("case", "act", a, "sign", "--on", "2025-03-14")
    cli("case", "act", a, "deliver", "--on", "2025-03-17", "--method", "email", "--reply-number", "某答〔2025〕1号",
        "--reply-date", "2025-03-14")
    cli("case", "act", a, "remedy", "--on", "2025-03-18", "--kind", "reconsideration", "--result", "pending")
    b = cli.new_case("2025-03-05", "某某房地产开发有限公司", "某地块土地出让合同", type="business", channel="online")
    cli("case", "act", b, "fee-notice", "--on", "2025-03-06", "--method", "per_request", "--amount", "100")
    cli("case", "act", b, "fee-paid", "--on", "2025-03-07")
    cli.new_case("2025-03-10", "李四", "某镇征地补偿安置方案")


def test_export_xlsx_has_the_register_columns_dates_as_dates_and_masked_names(cli, tmp_path):
    seed_cases(cli)
    out = tmp_path / "台账.xlsx"
    r = cli("register", "export", "-o", str(out))
    assert r.stdout.strip() == str(out)
    assert "已导出 3 件" in r.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:15] == ["编号", "收到日期", "申请人", "申请人类型", "渠道", "申请内容", "承办人", "阶段", "答复期限",
                           "办结日期", "办理结果", "答复文号", "答复用时（工作日）", "是否逾期", "复议/诉讼"]
    assert "身份证明" not in header and "联系电话" not in header
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}4"
    assert ws.column_dimensions["F"].width >= 40  # 申请内容
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    first = rows["2025-0001"]
    assert first["收到日期"] == datetime(2025, 3, 3)
    assert ws["B2"].number_format == "yyyy-mm-dd"
    assert first["申请人"] == "张*"
    assert first["申请人类型"] == "自然人"
    assert first["渠道"] == "当面提交"
    assert first["承办人"] == "clerk1"
    assert first["阶段"] == "已办结"
    assert first["答复期限"] == datetime(2025, 3, 31)
    assert first["办结日期"] == datetime(2025, 3, 17)
    assert first["办理结果"] == "部分公开"
    assert first["答复用时（工作日）"] == 10
    assert first["是否逾期"] == "否"
    assert first["复议/诉讼"] == "行政复议 2025-03-18 尚未审结"
    company = rows["2025-0002"]
    assert company["申请人"] == "某某房地产开发有限公司"  # organisations are not masked
    assert company["收费"] == "2025-03-06 按件×1 100元 已缴 2025-03-07 100元"
    assert company["阶段"] == "办理中"
    assert rows["2025-0003"]["是否逾期"] == "否"
    revealed = tmp_path / "full.xlsx"
    cli("register", "export", "-o", str(revealed), "--reveal")
    ws = load_workbook(revealed).active
    header = [c.value for c in ws[1]]
    full = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert full["2025-0001"]["申请人"] == "张三"
    assert full["2025-0001"]["身份证明"] == "11010519491231002X"
    assert full["2025-0001"]["联系电话"] == "13812345678"


def test_export_uses_the_filters_of_case_list(cli, tmp_path):
    seed_cases(cli)
    out = tmp_path / "open.csv"
    cli("register", "export", "-o", str(out), "--open")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "编号" and [r[0] for r in rows[1:]] == ["2025-0002", "2025-0003"]
    assert rows[1][1] == "2025-03-05"
    out2 = tmp_path / "search.csv"
    cli("register", "export", "-o", str(out2), "--search", "征地")
    assert [r[0] for r in list(csv.reader(out2.read_text(encoding="utf-8-sig").splitlines()))[1:]] == ["2025-0003"]
    r = cli("register", "export", "-o", str(tmp_path / "x.csv"), "--open", "--closed", ok=False)
    assert r.exit_code == 2 and "--open 与 --closed 不能同时使用" in r.stderr


def test_export_refuses_to_overwrite_without_force(cli, tmp_path):
    seed_cases(cli)
    out = tmp_path / "t.xlsx"
    out.write_text("old")
    r = cli("register", "export", "-o", str(out), ok=False)
    assert r.exit_code == 2 and "已存在" in r.stderr and "--force" in r.stderr
    assert out.read_text() == "old"
    cli("register", "export", "-o", str(out), "--force")
    assert load_workbook(out).active.max_row == 4
    r = cli("register", "export", "-o", str(tmp_path / "t.pdf"), ok=False)
    assert r.exit_code == 2 and "--format xlsx" in r.stderr
    r = cli("register", "export", "-o", str(tmp_path / "nodir" / "t.xlsx"), ok=False)
    assert r.exit_code == 2 and "不存在" in r.stderr


def test_export_never_overwrites_the_database(sqlite_cli, tmp_path):
    sqlite_cli.new_case()
    db = Path(sqlite_cli.url)
    r = sqlite_cli("register", "export", "-o", str(db), "--format", "csv", "--force", ok=False)
    assert r.exit_code == 2 and "是正在使用的数据库文件" in r.stderr


# ---------------------------------------------------------------------------------------------------------------
# Round trip: export → import into an empty database → the same annual report, every year


@pytest.fixture
def second_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    if not db_url.startswith("postgresql"):
        yield str(tmp_path / "second.db")
        return
    assert PG_URL
    name = "zwgk_t_" + uuid.uuid4().hex[:12]
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_keeps_the_annual_report_of_every_year(db_url, second_url, tmp_path, fmt):
    today = "2025-12-20"
    source = Cli(db_url, today=today)
    target = Cli(second_url, today=today)
    source("demo", "--cases", "400", "--seed", "7")
    out = tmp_path / f"all.{fmt}"
    source("register", "export", "-o", str(out), "--reveal")
    r = target("register", "import", str(out), "--agency", "default")
    assert "已导入 400 件" in r.stdout
    years = range(2022, 2026)
    # Whose report differs by design (five demo agencies → 本级政府; one agency → its name); the figures may not.
    whose = ("agency_name", "scope")
    for y in years:
        before = source("stats", "--year", str(y), "--format", "json").json()
        after = target("stats", "--year", str(y), "--format", "json").json()
        assert {k: v for k, v in after.items() if k not in whose} == {k: v for k, v in before.items()
                                                                      if k not in whose}, y
    # and every year had something to compare
    assert all(source("stats", "--year", str(y), "--format", "json").json()["table3"]["new"][6] > 0 for y in years)
    assert sum(source("stats", "--year", str(y), "--format", "json").json()["table4"]["reconsideration"]["total"]
               for y in years) > 0


# ---------------------------------------------------------------------------------------------------------------
# Round trip of the cases the demo does not make: a reply issued by the tool, a reopened case (open again, and
# re-replied), a proceeding against a case never answered, a case carried over into the next year.


def _act(cli: Cli, number: str, action: str, on: str, *opts: str) -> Run:
    return cli("case", "act", number, action, "--on", on, *opts, today=on)


def _decide_and_sign(cli: Cli, number: str, on: str, outcome: str = "disclosed") -> None:
    _act(cli, number, "decide", on, "--outcome", outcome, *EVIDENCE.get(outcome, ()))
    _act(cli, number, "submit", on)
    _act(cli, number, "sign", on)


def _reply(cli: Cli, number: str, on: str, outcome: str = "disclosed") -> None:
    _decide_and_sign(cli, number, on, outcome)
    cli.deliver(number, on, "--method", "in_person", today=on)


def rounds_scenario(cli: Cli, tmp_path: Path) -> dict[str, str]:
    cli.set_up_agency()
    cli("agency", "set", "default", "--office-review", "off", "--legal-review", "off")
    n: dict[str, str] = {}
    # Closed with a reply the tool issued.
    n["issued"] = cli.new_case("2025-03-03", "张三", "2024年老旧小区改造项目清单", today="2025-03-03")
    _decide_and_sign(cli, n["issued"], "2025-03-10")
    cli("doc", n["issued"], "reply", "-o", str(tmp_path / "reply.docx"), today="2025-03-10")
    _act(cli, n["issued"], "deliver", "2025-03-11", "--method", "in_person")
    # Replied, reopened after a reconsideration's correction and replied again in the same year.
    n["rereplied"] = cli.new_case("2025-04-01", "李四", "某路段拓宽工程征收补偿方案", today="2025-04-01")
    _reply(cli, n["rereplied"], "2025-04-10", "unavailable_not_held")
    _act(cli, n["rereplied"], "remedy", "2025-04-20", "--kind", "reconsideration", "--filed", "2025-04-20")
    _act(cli, n["rereplied"], "reopen", "2025-06-02", "--reason", "复议决定（第3号）责令重新答复")
    _reply(cli, n["rereplied"], "2025-06-20", "partially_disclosed")  # re-replied with an outside reply's number
    # Re-replied with a reply the tool issued.
    n["rereplied_doc"] = cli.new_case("2025-07-01", "陈八", "某片区控制性详细规划调整材料", today="2025-07-01")
    _reply(cli, n["rereplied_doc"], "2025-07-10", "unavailable_not_held")
    _act(cli, n["rereplied_doc"], "remedy", "2025-07-15", "--kind", "reconsideration", "--filed", "2025-07-15")
    _act(cli, n["rereplied_doc"], "reopen", "2025-08-01", "--reason", "复议决定责令重新答复")
    _decide_and_sign(cli, n["rereplied_doc"], "2025-08-15")
    cli("doc", n["rereplied_doc"], "reply", "-o", str(tmp_path / "rereply.docx"), today="2025-08-15")
    _act(cli, n["rereplied_doc"], "deliver", "2025-08-18", "--method", "in_person")
    # Replied in 2025, reopened in 2026 and still open: 2025 must keep counting its first reply.
    n["reopened"] = cli.new_case("2025-11-03", "王五", "2025年棚户区改造安置名单", today="2025-11-03")
    _reply(cli, n["reopened"], "2025-11-20")
    _act(cli, n["reopened"], "remedy", "2025-12-10", "--kind", "reconsideration", "--filed", "2025-12-10")
    _act(cli, n["reopened"], "reopen", "2026-02-16", "--reason", "复议决定责令重新答复")
    # Never answered (逾期不答复): a direct suit against the open case; carried from 2025 into 2026.
    n["unanswered"] = cli.new_case("2025-05-06", "赵六", "某小区规划许可文件", today="2025-05-06")
    _act(cli, n["unanswered"], "remedy", "2025-07-01", "--kind", "litigation_direct", "--filed", "2025-07-01")
    # Received in December, replied in January.
    n["carried"] = cli.new_case("2025-12-22", "某某房地产开发有限公司", "某地块出让合同", type="business",
                                today="2025-12-22")
    _reply(cli, n["carried"], "2026-01-09")
    return n


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_keeps_first_conclusions_rounds_and_proceedings_on_open_cases(db_url, second_url, tmp_path,
                                                                                 fmt):
    today = "2026-03-20"
    source = Cli(db_url, today=today)
    target = Cli(second_url, today=today)
    n = rounds_scenario(source, tmp_path)
    out = tmp_path / f"all.{fmt}"
    source("register", "export", "-o", str(out), "--reveal")
    rows = _exported(out)
    issued_number = source("case", "show", n["issued"], "--json").json()["documents"][-1]["doc_number"]
    assert issued_number == "某县住建依公开〔2025〕1号"
    assert rows[n["issued"]]["答复文号"] == issued_number
    assert rows[n["carried"]]["答复文号"] == f"外答〔2026〕{n['carried']}-0109号"  # --reply-number at deliver
    reopened = rows[n["reopened"]]
    assert reopened["阶段"] == "办理中" and not reopened["办结日期"] and not reopened["办理结果"]
    assert _day(reopened["首次办结日期"]) == "2025-11-20" and reopened["首次办理结果"] == "予以公开"
    assert reopened["重新答复"] == "2026-02-16 重新打开（复议决定责令重新答复）"
    assert reopened["答复文号"] == f"外答〔2025〕{n['reopened']}-1120号"  # the counted (first) reply
    # Each re-reply's 文号 in its round: an outside reply's (--reply-number) and the tool's own; 答复文号 stays the
    # first reply's.
    assert rows[n["rereplied"]]["重新答复"] == ("2025-06-02 重新打开（复议决定（第3号）责令重新答复） "
                                              f"2025-06-20 办结 部分公开（文号：外答〔2025〕{n['rereplied']}-0620号）")
    assert rows[n["rereplied"]]["答复文号"] == f"外答〔2025〕{n['rereplied']}-0410号"
    rereply_number = source("case", "show", n["rereplied_doc"], "--json").json()["documents"][-1]["doc_number"]
    assert rereply_number == "某县住建依公开〔2025〕2号"
    assert rows[n["rereplied_doc"]]["重新答复"] == ("2025-08-01 重新打开（复议决定责令重新答复） "
                                                  "2025-08-18 办结 予以公开（文号：某县住建依公开〔2025〕2号）")
    assert rows[n["rereplied_doc"]]["答复文号"] == f"外答〔2025〕{n['rereplied_doc']}-0710号"
    assert rows[n["unanswered"]]["复议/诉讼"] == "直接起诉 2025-07-01 尚未审结"

    target.set_up_agency()  # the same agency name, so the reports' titles are the same too
    r = target("register", "import", str(out), "--agency", "default")
    assert "已导入 6 件" in r.stdout, r.stdout + r.stderr
    for y in (2025, 2026):
        before = source("stats", "--year", str(y), "--format", "json").json()
        after = target("stats", "--year", str(y), "--format", "json").json()
        assert after == before, y
    rep = source("stats", "--year", "2025", "--format", "json").json()
    assert rep["table3"]["carried_out"][-1] == 2  # the unanswered case and the December one
    assert [(x["reopened_on"], x["concluded_on"]) for x in rep["rereplies"]] == [("2025-06-02", "2025-06-20"),
                                                                                 ("2025-08-01", "2025-08-18")]
    assert rep["table4"]["litigation_direct"]["total"] == 1
    # The imported reopened case is open again in its second round; its next reply is a re-reply.
    view = target("case", "show", n["reopened"], "--json").json()
    assert (view["first_outcome"], view["first_concluded_on"]) == ("disclosed", "2025-11-20")
    assert view["concluded_on"] is None and view["stage"] == "drafting"
    assert [e["action"] for e in view["events"]] == ["register", "import", "reopen"]
    # An imported re-reply's conclusion keeps its number as an imported first reply does (data.doc_number).
    view = target("case", "show", n["rereplied_doc"], "--json").json()
    assert [(e["action"], e["data"].get("doc_number")) for e in view["events"]] == [
        ("register", None), ("import", f"外答〔2025〕{n['rereplied_doc']}-0710号"), ("reopen", None),
        ("import", "某县住建依公开〔2025〕2号")]
    # and exporting the imported data gives the same register
    again = tmp_path / f"again.{fmt}"
    target("register", "export", "-o", str(again), "--reveal")
    keep = ("申请人", "申请内容", "办结日期", "办理结果", "答复文号", "首次办结日期", "首次办理结果", "重新答复",
            "复议/诉讼", "答复用时（工作日）", "是否逾期")
    assert {k: {c: v[c] for c in keep} for k, v in _exported(again).items()} == {
        k: {c: v[c] for c in keep} for k, v in rows.items()}


def _day(value: Any) -> str:
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


def _exported(path: Path) -> dict[str, dict[str, Any]]:
    if path.suffix == ".csv":
        lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        return {r[0]: dict(zip(lines[0], r, strict=True)) for r in lines[1:]}
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    return {r[0]: {h: ("" if v is None else v) for h, v in zip(header, r, strict=True)}
            for r in ws.iter_rows(min_row=2, values_only=True)}


def test_rounds_and_first_conclusions_are_checked_row_by_row(cli, tmp_path):
    path = tmp_path / "rounds.csv"
    header = ["收到日期", "申请人", "申请内容", "办结日期", "办理结果", "首次办结日期", "首次办理结果", "重新答复",
              "复议/诉讼"]
    rows = [
        # no first conclusion for a row with rounds
        ["2025-03-03", "张三", "甲", "", "", "", "", "2025-04-01 重新打开（复议决定）", ""],
        # the current conclusion is not the last round's
        ["2025-03-03", "李四", "乙", "2025-05-06", "予以公开", "2025-03-10", "部分公开",
         "2025-04-01 重新打开（复议决定） 2025-05-07 办结 予以公开", ""],
        # a first conclusion but no rounds
        ["2025-03-03", "王五", "丙", "", "", "2025-03-10", "予以公开", "", ""],
        # fine: reopened and open, with a suit against it; and a suit against a case never answered
        ["2025-03-03", "赵六", "丁", "", "", "2025-03-10", "予以公开", "2025-04-01 重新打开（复议决定）",
         "行政复议 2025-03-20 结果纠正 2025-03-30"],
        ["2025-03-03", "孙七", "戊", "", "", "", "", "", "直接起诉 2025-04-10 尚未审结"],
    ]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    r = cli("register", "import", str(path), "--dry-run", "--agency", "default", ok=False)
    assert r.exit_code == 2
    assert "第 2 行" in r.stderr + r.stdout and "没有首次办结日期" in r.stderr + r.stdout
    assert "第 3 行" in r.stderr + r.stdout and "最后一轮重新答复" in r.stderr + r.stdout
    assert "第 4 行" in r.stderr + r.stdout and "没有重新答复记录" in r.stderr + r.stdout
    assert "第 5 行" not in r.stderr + r.stdout and "第 6 行" not in r.stderr + r.stdout


# ---------------------------------------------------------------------------------------------------------------
# A re-reply's 文号 in the 重新答复 cell, and 文号 unique per agency on import


@pytest.mark.parametrize(("cell", "written", "rounds"), [
    # The export's form: the number after the outcome, marked 文号; reason and number may hold brackets.
    ("2025-01-20 重新打开（复议决定（第3号）责令重新答复） 2025-02-10 办结 予以公开（文号：某政依复（2025）12号）；"
     "2025-03-03 重新打开（诉讼判决）",
     None,
     [("2025-01-20", "复议决定（第3号）责令重新答复", "2025-02-10", "disclosed", "某政依复（2025）12号"),
      ("2025-03-03", "诉讼判决", None, None, "")]),
    # A cell written before the number was exported.
    ("2025-01-20 重新打开（复议决定责令重新答复） 2025-02-10 办结 予以公开",
     None,
     [("2025-01-20", "复议决定责令重新答复", "2025-02-10", "disclosed", "")]),
    # Typed by hand: half-width brackets and colon, a number ending in brackets, no reason.
    ("2025-01-20 重新打开 2025-02-10 办结 部分公开(文号:某政依复〔2025〕12号(补))",
     "2025-01-20 重新打开 2025-02-10 办结 部分公开（文号：某政依复〔2025〕12号(补)）",
     [("2025-01-20", "", "2025-02-10", "partially_disclosed", "某政依复〔2025〕12号(补)")]),
    # Without brackets; a reason that itself quotes a conclusion with a number.
    ("2025-01-20 重新打开（原 2024-12-20 办结 予以公开（文号：某政依〔2024〕9号）被撤销） 2025-02-10 办结 "
     "不予公开·国家秘密，文号 某政依复〔2025〕12号",
     "2025-01-20 重新打开（原 2024-12-20 办结 予以公开（文号：某政依〔2024〕9号）被撤销） 2025-02-10 办结 "
     "不予公开·国家秘密（文号：某政依复〔2025〕12号）",
     [("2025-01-20", "原 2024-12-20 办结 予以公开（文号：某政依〔2024〕9号）被撤销", "2025-02-10",
       "withheld_state_secret", "某政依复〔2025〕12号")]),
    # An outcome word written with brackets is an outcome, not a number.
    ("2025-01-20 重新打开（复议决定） 2025-02-10 办结 不予公开（国家秘密）",
     "2025-01-20 重新打开（复议决定） 2025-02-10 办结 不予公开·国家秘密",
     [("2025-01-20", "复议决定", "2025-02-10", "withheld_state_secret", "")]),
])
def test_rounds_cell_carries_each_re_replys_number(cell, written, rounds):
    from zwgk_tui.domain import register_table as rt

    got = rt.parse_rounds(cell)
    assert [(r.reopened_on.isoformat(), r.reason, r.concluded_on and r.concluded_on.isoformat(), r.outcome,
             r.reply_number) for r in got] == rounds
    assert rt.format_rounds(got) == (written or cell)
    assert rt.parse_rounds(rt.format_rounds(got)) == got


def test_rounds_cell_with_a_number_not_marked_or_missing_is_refused_with_the_form():
    from zwgk_tui.domain import register_table as rt

    with pytest.raises(rt.CellError) as exc:
        rt.parse_rounds("2025-01-20 重新打开（复议决定） 2025-02-10 办结 予以公开（某政依复〔2025〕12号）")
    assert str(exc.value) == (
        "重新答复“2025-01-20 重新打开（复议决定） 2025-02-10 办结 予以公开（某政依复〔2025〕12号）”："
        "办理结果“予以公开（某政依复〔2025〕12号）”无法识别；括号中的答复书文号前请写“文号：”，"
        "如“予以公开（文号：某政依复〔2025〕12号）”")
    with pytest.raises(rt.CellError) as exc:
        rt.parse_rounds("2025-01-20 重新打开（复议决定） 2025-02-10 办结 予以公开（文号：）")
    assert str(exc.value) == (
        "重新答复“2025-01-20 重新打开（复议决定） 2025-02-10 办结 予以公开（文号：）”：“文号”之后没有写文号；"
        "应写成“重新打开日期 重新打开（原因） 办结日期 办结 办理结果（文号：答复书文号）”，"
        "如“2025-01-20 重新打开（复议决定责令重新答复） 2025-02-10 办结 予以公开（文号：某政依复〔2025〕12号）”；"
        "没有文号的省去“（文号：…）”，最后一轮未办结的写到“重新打开（原因）”为止")


NUMBERED_HEADER = ["机关", "收到日期", "申请人", "申请内容", "办结日期", "办理结果", "答复文号", "首次办结日期",
                   "首次办理结果", "重新答复"]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def _problems(r: Run) -> list[str]:
    return [line for line in r.stderr.splitlines() if not line.startswith("注意：")]


def test_import_refuses_a_number_used_twice_in_one_agency_of_the_file(cli, tmp_path):
    cli("init")
    cli("agency", "add", "town", "--name", "某镇人民政府")
    rows = [
        ["default", "2025-01-06", "甲", "内容一", "2025-01-20", "予以公开", "某政依〔2025〕1号", "", "", ""],
        ["default", "2025-01-07", "乙", "内容二", "2025-01-21", "予以公开", "某政依〔2025〕1号", "", "", ""],
        ["default", "2025-01-08", "丙", "内容三", "2025-02-20", "部分公开", "某政依〔2025〕3号", "2025-01-22",
         "予以公开", "2025-02-03 重新打开（复议决定责令重新答复） 2025-02-20 办结 部分公开（文号：某政依〔2025〕3号）"],
        ["default", "2025-01-09", "丁", "内容四", "2025-02-21", "部分公开", "某政依〔2025〕4号", "2025-01-23",
         "予以公开", "2025-02-04 重新打开（复议决定） 2025-02-21 办结 部分公开（文号：某政依〔2025〕1号）"],
        # Another agency may use the same number; "无" is no number; an open row's number is not recorded.
        ["town", "2025-01-10", "戊", "内容五", "2025-01-24", "予以公开", "某政依〔2025〕1号", "", "", ""],
        ["default", "2025-01-13", "己", "内容六", "2025-01-27", "予以公开", "无", "", "", ""],
        ["default", "2025-01-14", "庚", "内容七", "2025-01-28", "予以公开", "无", "", "", ""],
        ["default", "2025-01-15", "辛", "内容八", "", "", "某政依〔2025〕1号", "", "", ""],
    ]
    path = _write_csv(tmp_path / "dup.csv", NUMBERED_HEADER, rows)
    r = cli("register", "import", str(path), ok=False)
    assert r.exit_code == 2
    assert _problems(r) == [
        "第 3 行：答复文号“某政依〔2025〕1号”与第 2 行答复文号相同，同一机关的文号不能重复",
        "第 4 行：重新答复第2轮的文号“某政依〔2025〕3号”与本行答复文号相同，同一机关的文号不能重复",
        "第 5 行：重新答复第2轮的文号“某政依〔2025〕1号”与第 2 行答复文号相同，同一机关的文号不能重复",
        "错误：3 行有问题，未导入任何案件。请在表中更正后重新导入（列名或写法不同可用 --map 映射文件说明）",
    ]
    assert cli("case", "list", "--json").json() == []
    # Corrected, the file imports; "无" is kept as no number.
    rows[1][6] = "某政依〔2025〕2号"
    rows[2][9] = rows[2][9].replace("〔2025〕3号", "〔2025〕5号")
    rows[3][9] = rows[3][9].replace("〔2025〕1号", "〔2025〕6号")
    _write_csv(path, NUMBERED_HEADER, rows)
    r = cli("register", "import", str(path))
    assert "已导入 8 件" in r.stdout
    out = tmp_path / "out.csv"
    cli("register", "export", "-o", str(out), "--agency", "default")
    got = {v["申请人"]: (v["答复文号"], v["重新答复"]) for v in _exported(out).values()}
    assert got["己"] == ("", "") and got["庚"] == ("", "") and got["辛"] == ("", "")
    assert got["丙"] == ("某政依〔2025〕3号", "2025-02-03 重新打开（复议决定责令重新答复） 2025-02-20 办结 部分公开"
                                            "（文号：某政依〔2025〕5号）")


def test_import_refuses_a_number_the_agency_already_used(cli, tmp_path):
    cli.set_up_agency()
    cli("agency", "set", "default", "--office-review", "off", "--legal-review", "off")
    issued = cli.new_case("2025-01-06", "张三", "内容一", today="2025-01-06")
    _decide_and_sign(cli, issued, "2025-01-13")
    cli("doc", issued, "reply", "-o", str(tmp_path / "reply.docx"), today="2025-01-13")
    _act(cli, issued, "deliver", "2025-01-14", "--method", "in_person")
    outside = cli.new_case("2025-01-07", "李四", "内容二", today="2025-01-07")
    _reply(cli, outside, "2025-01-15")  # 外答〔2025〕2025-0002-0115号
    first = _write_csv(tmp_path / "first.csv", NUMBERED_HEADER, [
        ["", "2025-01-08", "王五", "内容三", "2025-01-20", "予以公开", "某政依〔2025〕7号", "", "", ""],
        # An old register without the number: reopened and re-replied in the tool below.
        ["", "2025-01-09", "赵六", "内容四", "2025-01-21", "予以公开", "", "", "", ""],
    ])
    cli("register", "import", str(first), today="2025-01-22")
    by_name = {c["applicant"]: c["number"] for c in cli("case", "list", "--json").json()}
    old = by_name["赵六"]
    _act(cli, old, "remedy", "2025-02-03", "--kind", "reconsideration", "--filed", "2025-02-03")
    _act(cli, old, "reopen", "2025-02-17", "--reason", "复议决定责令重新答复")
    _decide_and_sign(cli, old, "2025-02-24")
    cli("doc", old, "reply", "-o", str(tmp_path / "rereply.docx"), today="2025-02-24")
    _act(cli, old, "deliver", "2025-02-25", "--method", "in_person")
    out = tmp_path / "out.csv"
    cli("register", "export", "-o", str(out))
    row = _exported(out)[old]
    # The reply issued in the second round is the round's, never the first conclusion's 答复文号.
    assert (row["答复文号"], row["重新答复"]) == (
        "", "2025-02-17 重新打开（复议决定责令重新答复） 2025-02-25 办结 予以公开（文号：某县住建依公开〔2025〕2号）")

    second = _write_csv(tmp_path / "second.csv", NUMBERED_HEADER, [
        ["", "2025-01-10", "孙七", "内容五", "2025-01-27", "予以公开", "某县住建依公开〔2025〕1号", "", "", ""],
        ["", "2025-01-13", "周八", "内容六", "2025-02-27", "部分公开", "某政依〔2025〕8号", "2025-01-28", "予以公开",
         "2025-02-10 重新打开（复议决定） 2025-02-27 办结 部分公开（文号：某政依〔2025〕7号）"],
        ["", "2025-01-14", "吴九", "内容七", "2025-01-29", "予以公开", f"外答〔2025〕{outside}-0115号", "", "", ""],
    ])
    r = cli("register", "import", str(second), ok=False)
    assert r.exit_code == 2
    assert _problems(r)[:3] == [
        f"第 2 行：答复文号“某县住建依公开〔2025〕1号”已用于案件 {issued} 的文书（2025-01-13），同一机关的文号不能重复",
        f"第 3 行：重新答复第2轮的文号“某政依〔2025〕7号”已用于案件 {by_name['王五']}（由台账导入），"
        "同一机关的文号不能重复",
        f"第 4 行：答复文号“外答〔2025〕{outside}-0115号”已用于案件 {outside} 的文书（2025-01-15），"
        "同一机关的文号不能重复",
    ]
    assert len(cli("case", "list", "--json").json()) == 4
    # Nor may a reply made outside the tool reuse a number an import recorded.
    late = cli.new_case("2025-03-03", "郑十", "内容八", today="2025-03-03")
    _decide_and_sign(cli, late, "2025-03-10")
    r = cli("case", "act", late, "deliver", "--on", "2025-03-11", "--method", "in_person", "--reply-number",
            "某政依〔2025〕7号", "--reply-date", "2025-03-10", today="2025-03-11", ok=False)
    assert r.exit_code == 2
    assert f"文号“某政依〔2025〕7号”已用于案件 {by_name['王五']}（由台账导入），同一机关的文号不能重复" in r.stderr
