"""Applications received online: `intake import | list | show | confirm | reject`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Cli


def application(ext: str = "YSQ-2025-000123", submitted: str = "2025-03-14T21:14:05+08:00", **over: Any) -> dict:
    rec: dict[str, Any] = {
        "id": ext,
        "submitted_at": submitted,
        "applicant": {
            "type": "natural_person", "name": "张三", "id_type": "居民身份证", "id_number": "11010519491231002X",
            "phone": "13812345678", "email": "zhangsan@example.com", "address": "某县人民路1号", "postcode": "230000",
        },
        "content": "2024年老旧小区改造项目清单",
        "items": 1,
        "form": "电子文档",
        "delivery": "email",
    }
    for key, value in over.items():
        if key in rec["applicant"] or key in ("legal_representative", "contact_person"):
            rec["applicant"][key] = value
        else:
            rec[key] = value
    return rec


def intake_file(path: Path, *apps: dict, source: str = "某省依申请公开在线办理系统") -> Path:
    path.write_text(json.dumps({"format": "zwgk-intake", "version": 1, "source": source,
                                "applications": list(apps)}, ensure_ascii=False), encoding="utf-8")
    return path


def test_confirm_registers_with_the_confirmation_day_as_receipt_date(cli: Cli, tmp_path):
    f = intake_file(tmp_path / "in.json", application(),
                    application("YSQ-2025-000124", "2025-03-15", type="商业企业", name="某某房地产开发有限公司",
                                id_number="", phone="0551-12345678", email="", address="", postcode="",
                                legal_representative="李四", contact_person="王五",
                                content="某地块土地出让合同", form="", delivery=""))
    r = cli("intake", "import", str(f))
    assert "共 2 条，已导入 2 条" in r.stdout
    rows = cli("intake", "list", "--json").json()
    assert [(x["id"], x["arrived_on"], x["applicant"]["name"], x["status"]) for x in rows] == [
        (1, "2025-03-14", "张三", "new"), (2, "2025-03-15", "某某房地产开发有限公司", "new")]
    assert rows[0]["applicant"]["id_number"] == "110105********002X"  # masked in lists
    shown = cli("intake", "show", "2").stdout
    assert "法定代表人：李四" in shown and "联系人：王五" in shown
    assert "缺少要素（登记后可一次性告知补正）：身份证明、形式要求、获取方式" in shown

    # Arrived online on Friday 2025-03-14 at night, confirmed with the applicant on Monday 2025-03-17:
    # received 2025-03-17 (Art. 31(三)); 7th working day 2025-03-26, 20th 2025-04-15 (清明 4/4).
    r = cli("intake", "confirm", "1", "--on", "2025-03-17")
    number = r.stdout.strip()
    assert number == "2025-0001"
    view = cli("case", "show", number, "--json").json()
    assert view["received_on"] == "2025-03-17"
    assert view["channel"] == "online"
    assert view["correction_notice_due"] == "2025-03-26"
    assert view["due_date"] == "2025-04-15"
    assert view["applicant"]["name"] == "张三" and view["delivery"] == "email"
    reg = view["events"][0]
    assert reg["action"] == "register" and reg["on"] == "2025-03-17"
    assert reg["data"]["arrived"] == "2025-03-14"
    assert reg["data"]["intake"] == {"id": 1, "source": "某省依申请公开在线办理系统", "external_id": "YSQ-2025-000123"}
    listed = cli("intake", "list", "--all", "--json").json()
    assert [(x["id"], x["status"], x["case_number"]) for x in listed] == [
        (2, "new", None), (1, "confirmed", "2025-0001")]
    assert cli("intake", "list", "--json").json()[0]["id"] == 2


def test_confirmation_before_arrival_or_twice_is_refused(cli: Cli, tmp_path):
    cli("intake", "import", str(intake_file(tmp_path / "in.json", application())))
    r = cli("intake", "confirm", "1", "--on", "2025-03-13", ok=False)
    assert r.exit_code == 2
    assert "确认日期 2025-03-13 早于申请到达之日 2025-03-14" in r.stderr and "第三十一条第三项" in r.stderr
    r = cli("intake", "confirm", "1", "--on", "2025-03-21", ok=False)
    assert r.exit_code == 2 and "晚于今天" in r.stderr
    cli("intake", "confirm", "1", "--on", "2025-03-14")
    r = cli("intake", "confirm", "1", "--on", "2025-03-17", ok=False)
    assert r.exit_code == 4 and "已由 clerk1 于 2025-03-14 确认登记为案件 2025-0001" in r.stderr
    r = cli("intake", "reject", "1", "--reason", "重复", ok=False)
    assert r.exit_code == 4
    r = cli("intake", "confirm", "9", "--on", "2025-03-17", ok=False)
    assert r.exit_code == 2 and "没有序号为 9" in r.stderr
    assert len(cli("case", "list", "--json").json()) == 1


def test_reject_keeps_the_application_on_record_with_the_reason(cli: Cli, tmp_path):
    cli("intake", "import", str(intake_file(tmp_path / "in.json", application(), application("SPAM-1"))))
    r = cli("intake", "reject", "2", "--reason", ok=False)
    assert r.exit_code == 2
    r = cli("intake", "reject", "2", "--reason", "  ", ok=False)
    assert r.exit_code == 2 and "退回须写明理由" in r.stderr
    cli("intake", "reject", "2", "--reason", "重复提交，与 YSQ-2025-000123 相同")
    assert [x["id"] for x in cli("intake", "list", "--json").json()] == [1]
    rejected = cli("intake", "list", "--status", "rejected", "--json").json()
    assert [(x["id"], x["reason"], x["decided_on"], x["decided_by"]) for x in rejected] == [
        (2, "重复提交，与 YSQ-2025-000123 相同", "2025-03-20", "clerk1")]
    assert cli("case", "list", "--json").json() == []


def test_import_skips_what_is_already_in_the_inbox(cli: Cli, tmp_path):
    cli("intake", "import", str(intake_file(tmp_path / "a.json", application())))
    r = cli("intake", "import", str(intake_file(tmp_path / "b.json", application(), application("YSQ-2"))))
    assert "已导入 1 条，1 条已在收件箱中（跳过）" in r.stdout
    assert len(cli("intake", "list", "--json").json()) == 2


def test_a_bad_record_imports_nothing_and_says_why(cli: Cli, tmp_path):
    f = intake_file(tmp_path / "bad.json", application(),
                    application("B-1", id_number="110105194912310021"),
                    application("B-2", submitted="2025-03-25"),
                    application("B-3", name="", content=""),
                    application("", type="外星人"),
                    application("YSQ-2025-000123"))
    r = cli("intake", "import", str(f), ok=False)
    assert r.exit_code == 2
    err = r.stderr
    assert "第 2 条（编号 B-1）：身份证号码" in err
    assert "第 3 条（编号 B-2）：提交时间 2025-03-25 晚于今天 2025-03-20" in err
    assert "第 4 条（编号 B-3）：申请人姓名或名称不能为空" in err
    assert "第 5 条：缺少编号 id" in err and "无法识别的申请人类型“外星人”" in err
    assert "第 6 条（编号 YSQ-2025-000123）：编号“YSQ-2025-000123”与第 1 条重复" in err
    assert "未导入任何申请" in err and "Traceback" not in err
    assert cli("intake", "list", "--all", "--json").json() == []


def test_wrong_files_are_refused_plainly(cli: Cli, tmp_path):
    broken = tmp_path / "x.json"
    broken.write_text("{", encoding="utf-8")
    r = cli("intake", "import", str(broken), ok=False)
    assert r.exit_code == 2 and "不是有效的 JSON" in r.stderr
    broken.write_text('{"format": "other", "applications": []}', encoding="utf-8")
    r = cli("intake", "import", str(broken), ok=False)
    assert r.exit_code == 2 and "应为“zwgk-intake”" in r.stderr
    r = cli("intake", "import", str(tmp_path / "x.pdf"), ok=False)
    assert r.exit_code == 2


def test_csv_from_an_online_system(cli: Cli, tmp_path):
    f = tmp_path / "export.csv"
    f.write_text("申请编号,提交时间,申请人类型,申请人姓名（名称）,证件号码,联系电话,所需信息,获取方式\n"
                 "W-1,2025-03-18 09:30,自然人,赵六,,13912345678,河道整治工程验收报告,电子邮件\n",
                 encoding="utf-8-sig")
    r = cli("intake", "import", str(f), "--source", "市政务服务网")
    assert "（来源：市政务服务网）：共 1 条，已导入 1 条" in r.stdout
    row = cli("intake", "show", "1", "--json", "--reveal").json()
    assert row["submitted_at"] == "2025-03-18T09:30:00+08:00"
    assert row["applicant"]["phone"] == "13912345678" and row["delivery"] == "email"
    assert cli("intake", "confirm", "1", "--on", "2025-03-18").stdout.strip() == "2025-0001"


def test_list_prints_names_and_contents_as_typed_not_as_markup(cli: Cli, tmp_path):
    name, content = "[bold]周八{{x}}", "[red]某项目批复"
    cli("intake", "import", str(intake_file(tmp_path / "in.json", application(name=name, content=content))),
        today="2025-03-15")
    for args in (("intake", "list"), ("intake", "list", "--all")):
        listed = cli(*args, today="2025-03-15").stdout
        assert name in listed, listed
        assert content in listed
