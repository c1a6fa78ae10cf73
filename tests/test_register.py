"""The case register from the command line: registration, show, list, bad input, masking."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from zwgk_tui.persistence.database import resolve_url


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("cases", "events", "applicants", "agencies", "users", "case_counters")}
    engine.dispose()
    return counts


def test_register_prints_number_and_show_json_has_the_contract_shape(cli):
    number = cli.new_case("2025-03-03", "张三", "2024年老旧小区改造项目清单", "--id-number", "11010519491231002X",
                          "--phone", "13812345678")
    assert number == "2025-0001"
    view = cli("case", "show", number, "--json").json()
    assert view["number"] == "2025-0001"
    assert view["agency"] == "default"
    assert view["stage"] == "registered"
    assert view["outcome"] is None
    assert view["received_on"] == "2025-03-03"
    assert view["concluded_on"] is None
    assert view["applicant"]["name"] == "张三"
    assert view["applicant"]["type"] == "natural_person"
    assert view["correction_notice_due"] == "2025-03-12"
    assert view["due_date"] == "2025-03-31"
    assert view["deadline"]["due"] == "2025-03-31"
    assert view["deadline"]["provisional"] is False
    assert view["deadline"]["paused"] is False
    assert view["deadline"]["extension_days"] == 0
    # today is 2025-03-20: 3/4–3/7, 3/10–3/14, 3/17–3/20 = 13 working days used
    assert view["deadline"]["working_days_used"] == 13
    assert view["deadline"]["working_days_left"] == 7
    assert view["events"][0]["action"] == "register"
    assert view["events"][0]["on"] == "2025-03-03"
    assert view["events"][0]["by"] == "clerk1"
    assert view["events"][0]["at"].endswith("+08:00")
    # personal data masked unless asked for
    assert view["applicant"]["id_number"] == "110105********002X"
    assert view["applicant"]["phone"] == "138****5678"
    revealed = cli("case", "show", number, "--json", "--reveal").json()
    assert revealed["applicant"]["id_number"] == "11010519491231002X"


def test_numbers_are_per_agency_per_year(cli):
    assert cli.new_case("2024-12-31") == "2024-0001"
    assert cli.new_case("2025-01-02") == "2025-0001"
    assert cli.new_case("2025-01-03") == "2025-0002"
    cli("agency", "add", "town", "--name", "某镇人民政府")
    r = cli("case", "new", "--agency", "town", "--applicant", "李四", "--applicant-type", "business", "--channel",
            "online", "--received", "2025-01-03", "--content", "某项目环评批复")
    assert r.stdout.strip() == "2025-0001"
    rows = cli("case", "list", "--json").json()
    assert sorted((r["agency"], r["number"]) for r in rows) == [
        ("default", "2024-0001"), ("default", "2025-0001"), ("default", "2025-0002"), ("town", "2025-0001")]
    # the same number in two agencies must be disambiguated
    r = cli("case", "show", "2025-0001", ok=False)
    assert r.exit_code == 2 and "--agency" in r.stderr
    assert cli("case", "show", "2025-0001", "--agency", "town", "--json").json()["applicant"]["name"] == "李四"


def test_case_list_text_and_filters(cli):
    a = cli.new_case("2025-02-10")  # due 2025-03-10: overdue on 2025-03-20
    b = cli.new_case("2025-03-03")  # due 2025-03-31
    rows = cli("case", "list", "--overdue", "--json").json()
    assert [r["number"] for r in rows] == [a]
    assert rows[0]["status"] == "overdue"
    rows = cli("case", "list", "--due-within", "7", "--json").json()
    assert [r["number"] for r in rows] == [a, b]
    rows = cli("case", "list", "--due-within", "6", "--json").json()
    assert [r["number"] for r in rows] == [a]
    text_out = cli("case", "list").stdout
    assert "逾期" in text_out and b in text_out
    assert "11010519" not in text_out


APPLY = ["case", "new", "--applicant-type", "natural_person", "--channel", "in_person", "--content", "某文件"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--applicant", "", "--received", "2025-03-03"], "申请人姓名或名称不能为空"),
        (["--applicant", "张三", "--received", "2025-02-30"], "2月只有28天"),
        (["--applicant", "张三", "--received", "2025-13-01"], "2025-13-01"),
        (["--applicant", "张三", "--received", "明天"], "明天"),
        (["--applicant", "张三", "--received", "2025-03-21"], "晚于今天"),
        (["--applicant", "张三", "--received", "2025-03-03", "--id-number", "110105194912310021"],
         "第18位校验码应为 X"),
        (["--applicant", "张三", "--received", "2025-03-03", "--phone", "12345"], "联系电话"),
        (["--applicant", "张三", "--received", "2025-03-03", "--channel", "pigeon"], "pigeon"),
        (["--applicant", "张三", "--received", "2025-03-03", "--agency", "nosuch"], "nosuch"),
    ],
)
def test_invalid_registration_exits_2_with_a_message_and_writes_nothing(cli, args, fragment):
    cli.new_case("2025-03-01")  # the database exists and has something in it
    before = table_counts(cli.url)
    r = cli(*APPLY, *args, ok=False)
    assert r.exit_code == 2, r.stdout + r.stderr
    assert fragment in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert table_counts(cli.url) == before


def test_wrong_credit_code_names_the_character(cli):
    r = cli("case", "new", "--applicant", "某公司", "--applicant-type", "business", "--channel", "in_person",
            "--received", "2025-03-03", "--content", "x", "--id-number", "91350100M000100Y44", ok=False)
    assert r.exit_code == 2
    assert "第18位" in r.stderr


def test_applicant_text_is_kept_verbatim(cli):
    content = "关于 {{ 7*7 }} & <代理> \"项目\" 的批复 {% if x %}"
    number = cli.new_case("2025-03-03", "A & B <公司>", content)
    view = cli("case", "show", number, "--json").json()
    assert view["content"] == content
    assert view["applicant"]["name"] == "A & B <公司>"


def test_missing_art29_elements_are_hints_not_errors(cli):
    r = cli("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-03", "--content", "某某文件")
    assert r.exit_code == 0
    assert "身份证明" in r.stderr and "2025-03-12" in r.stderr


def test_repeat_request_hint(cli):
    cli.new_case("2025-03-03", "张三", "某路段拆迁补偿方案", "--phone", "13812345678")
    # the same name and phone: the same person asking again
    r = cli("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-10", "--content", "某路段拆迁补偿方案", "--phone", "138 1234 5678")
    assert "not_processed_duplicate" in r.stderr and "2025-0001" in r.stderr
    r = cli("case", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-11", "--content", "某路段拆迁补偿方案")
    assert "第四十四条" in r.stderr


def test_init_is_idempotent_and_names_the_agency(cli):
    r = cli("init", "--agency", "某县住房和城乡建设局")
    assert "某县住房和城乡建设局" in r.stdout
    r = cli("init")
    assert "某县住房和城乡建设局" in r.stdout
    assert cli("agency", "show", "default", "--json").json()["name"] == "某县住房和城乡建设局"


def test_events_are_append_only_in_the_database(cli):
    cli.new_case("2025-03-03")
    engine = create_engine(resolve_url(cli.url))
    for stmt in ("UPDATE events SET comment = 'x'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    engine.dispose()
