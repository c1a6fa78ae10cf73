"""`zwgk-tui stats`: table 三 and table 四 counted cell by cell from a hand-built scenario, on SQLite and PostgreSQL.

The scenario (two agencies, 2023-2026) is registered and worked through the real command line, each step with
"today" set to its own date, as a clerk would enter it. Every expected number below was counted by hand from the
case list in `build_scenario`; they are literals, not values computed by the code under test.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import EVIDENCE, PG_URL, Cli
from zwgk_tui.domain.annual_report import HEADER_NOTE, TABLE3_KEYS
from zwgk_tui.domain.codes import OUTCOME_CODES
from zwgk_tui.persistence.database import resolve_url

STATS_TODAY = "2026-03-31"


# ---------------------------------------------------------------------------------------------------------------
# Building the scenario through the CLI


class Clerk:
    def __init__(self, cli: Cli):
        self.cli = cli
        self.numbers: dict[str, str] = {}

    def new(self, key: str, agency: str, received: str, atype: str = "natural_person", same_person_as: str = "") -> str:
        # Applicants are told apart by ID / USCC or name + phone (issue 10): each key is its own person unless
        # `same_person_as` names the key whose applicant filed again.
        who = same_person_as or key
        r = self.cli("case", "new", "--agency", agency, "--applicant", f"申请人{who}", "--applicant-type", atype,
                     "--channel", "in_person", "--received", received, "--content", f"{key}号申请：某项目审批文件",
                     "--phone", f"1380000{ord(who[0]) % 10}{int(who[1:]):03d}", today=received)
        self.numbers[key] = r.stdout.strip()
        return self.numbers[key]

    def act(self, key: str, agency: str, action: str, on: str, *opts: str) -> None:
        self.cli("case", "act", self.numbers[key], action, "--on", on, "--agency", agency, *opts, today=on)

    def reply(self, key: str, agency: str, on: str, outcome: str, *evidence: str) -> None:
        """decide (with the evidence the outcome needs) → submit (straight to sign-off: review steps are off) →
        sign → deliver with a reply made outside the tool, all on `on`."""
        self.act(key, agency, "decide", on, "--outcome", outcome, *(evidence or EVIDENCE.get(outcome, ())))
        self.act(key, agency, "submit", on)
        self.act(key, agency, "sign", on)
        self.act(key, agency, "deliver", on, "--method", "in_person", "--reply-number", f"答〔{on}〕{key}号",
                 "--reply-date", on)




def build_scenario(cli: Cli) -> dict[str, str]:
    cli("agency", "add", "ja", "--name", "甲县住房和城乡建设局", "--reconsideration-body", "甲县人民政府",
        "--court", "甲县人民法院", today="2023-12-01")
    cli("agency", "add", "jb", "--name", "甲县乙镇人民政府", "--reconsideration-body", "甲县人民政府",
        "--court", "甲县人民法院", today="2023-12-01")
    for code in ("ja", "jb"):
        cli("agency", "set", code, "--office-review", "off", "--legal-review", "off",
            "--fee-payment-route", "通过非税收入缴款码缴入国库", today="2023-12-01")
    c = Clerk(cli)
    A, B = "ja", "jb"

    # B7: open for more than a whole year (2023-12-28 → 2025-01-03): carried through all of 2024.
    c.new("B7", B, "2023-12-28")
    # 2024
    c.new("B8", B, "2024-05-06")
    c.reply("B8", B, "2024-05-20", "disclosed")
    c.act("B8", B, "remedy", "2024-06-10", "--kind", "reconsideration", "--result", "upheld")  # filed in 2024
    c.new("A1", A, "2024-11-04")
    c.reply("A1", A, "2024-11-20", "disclosed")
    c.new("A13", A, "2024-11-18")
    c.reply("A13", A, "2024-12-10", "withheld_process_info")
    c.new("A2", A, "2024-12-16")
    c.new("A3", A, "2024-12-20", "business")
    c.act("A3", A, "request-correction", "2024-12-23", "--items", "请明确所需信息的文号", "--correct-by", "2025-01-08",
          "--served", "2024-12-23")
    c.new("B5", B, "2024-12-30")
    c.new("B12", B, "2024-12-31")
    # 2025
    c.reply("B12", B, "2025-01-02", "disclosed")
    c.reply("B7", B, "2025-01-03", "unavailable_needs_creation")
    c.act("A13", A, "remedy", "2025-01-06", "--kind", "reconsideration", "--result", "pending")
    c.new("B1", B, "2025-01-06")
    c.new("B2", B, "2025-01-07")
    c.act("B2", B, "request-correction", "2025-01-09", "--items", "请补充身份证明", "--correct-by", "2025-01-20")
    c.reply("A2", A, "2025-01-10", "disclosed")
    c.act("A3", A, "correction-lapsed", "2025-01-15")
    c.act("B2", B, "correction-received", "2025-01-15")
    c.reply("B1", B, "2025-01-24", "disclosed")
    c.act("B5", B, "withdraw", "2025-02-03")
    c.new("A4", A, "2025-02-10")
    c.reply("B2", B, "2025-02-14", "unavailable_unclear")
    c.act("A13", A, "remedy", "2025-03-03", "--kind", "reconsideration", "--result", "upheld")  # update
    c.new("A5", A, "2025-03-03")
    c.reply("A4", A, "2025-03-05", "partially_disclosed")
    c.act("A13", A, "remedy", "2025-03-10", "--kind", "litigation_after_reconsideration", "--result", "pending")
    c.act("A5", A, "withdraw", "2025-03-10")
    c.new("B10", B, "2025-03-10", "business")
    c.reply("B10", B, "2025-03-20", "not_processed_confirm_reissue")
    c.new("A6", A, "2025-04-01", "legal_service")
    c.reply("A6", A, "2025-04-21", "withheld_third_party")
    c.new("A7", A, "2025-05-06")
    c.act("A6", A, "remedy", "2025-05-12", "--kind", "reconsideration", "--result", "pending")
    c.act("A7", A, "fee-notice", "2025-05-12", "--method", "per_page", "--pages", "100",  # 70 × 10 = 700 元
          "--served", "2025-05-12")
    c.new("A8", A, "2025-06-03", "nonprofit")
    c.act("A8", A, "fee-notice", "2025-06-05", "--method", "per_page", "--pages", "50",  # 20 × 10 = 200 元
          "--served", "2025-06-05")
    c.act("A8", A, "fee-paid", "2025-06-10")
    c.act("A7", A, "fee-lapsed", "2025-06-16")  # payment was due 2025-06-10
    c.reply("A8", A, "2025-06-20", "disclosed")
    c.act("A6", A, "remedy", "2025-07-01", "--kind", "reconsideration", "--result", "corrected")  # update
    c.new("A12", A, "2025-07-01", "other_org")
    c.reply("A12", A, "2025-07-15", "not_processed_petition")
    c.new("B6", B, "2025-08-04", "legal_service")
    c.new("A15", A, "2025-08-11")
    c.reply("B6", B, "2025-08-20", "disclosed")
    c.reply("A15", A, "2025-08-29", "unavailable_not_held")
    c.act("B6", B, "remedy", "2025-09-01", "--kind", "litigation_direct", "--result", "pending")
    c.new("B3", B, "2025-09-01", "business", same_person_as="B10")  # B10's applicant asks again
    c.act("B3", B, "consult", "2025-09-03", "--party", "third_party", "--to", "某置业有限公司")
    c.act("B3", B, "consult-answered", "2025-09-17", "--view", "agree")
    c.new("A18", A, "2025-09-15", "research")
    c.reply("A18", A, "2025-10-09", "withheld_internal_affairs")
    c.new("B9", B, "2025-10-09", "nonprofit")
    c.new("A16", A, "2025-10-13")
    c.reply("B3", B, "2025-10-20", "not_processed_duplicate", "--earlier", c.numbers["B10"])
    c.reply("A16", A, "2025-10-31", "disclosed")
    c.new("B4", B, "2025-11-03")
    c.act("B4", B, "consult", "2025-11-05", "--party", "third_party", "--to", "相邻权利人")
    c.act("B6", B, "remedy", "2025-12-01", "--kind", "litigation_direct", "--result", "other")  # update
    c.new("A9", A, "2025-12-15", "research")
    c.new("A10", A, "2025-12-22")
    c.new("B11", B, "2025-12-29")
    c.reply("B11", B, "2025-12-31", "disclosed")
    # 2026
    c.new("A17", A, "2026-01-02")
    c.new("A11", A, "2026-01-05", "business")
    c.act("B4", B, "consult-answered", "2026-01-06", "--view", "agree")
    c.reply("A9", A, "2026-01-09", "disclosed")
    c.act("A12", A, "remedy", "2026-01-10", "--kind", "litigation_direct", "--result", "pending")  # not in 2025
    c.act("B9", B, "withdraw", "2026-01-12")
    c.reply("B4", B, "2026-01-20", "disclosed")
    c.reply("A11", A, "2026-01-20", "unavailable_not_held")
    return c.numbers


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scenario(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    admin = None
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("stats") / "zwgk.db")
    else:
        if not PG_URL:
            if os.environ.get("ZWGK_REQUIRE_PG"):
                pytest.fail("ZWGK_REQUIRE_PG is set but ZWGK_TEST_PG_URL is not")
            pytest.skip("PostgreSQL not configured (set ZWGK_TEST_PG_URL)")
        name = "zwgk_t_" + uuid.uuid4().hex[:12]
        admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False)
    cli = Cli(url, today=STATS_TODAY)
    numbers = build_scenario(cli)
    yield cli, numbers
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(cli: Cli, year: int, *extra: str, today: str = STATS_TODAY) -> dict[str, Any]:
    return cli("stats", "--year", str(year), "--format", "json", *extra, today=today).json()


def zero() -> list[int]:
    return [0] * 7


def expected_rows(**rows: list[int]) -> dict[str, list[int]]:
    """Table 三 with every row zero except those given."""
    out = {key: zero() for key in TABLE3_KEYS}
    out.update(rows)
    return out


# Columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
EXPECTED_2025_ALL = expected_rows(
    new=[10, 2, 2, 2, 2, 1, 19],  # B10 is a business (B3's applicant) since issue 10
    carried_in=[4, 1, 0, 0, 0, 0, 5],
    disclosed=[5, 0, 0, 1, 1, 0, 7],  # A2 A16 B1 B11 B12 · A8 · B6
    partially_disclosed=[1, 0, 0, 0, 0, 0, 1],  # A4
    withheld_third_party=[0, 0, 0, 0, 1, 0, 1],  # A6
    withheld_internal_affairs=[0, 0, 1, 0, 0, 0, 1],  # A18
    unavailable_not_held=[1, 0, 0, 0, 0, 0, 1],  # A15
    unavailable_needs_creation=[1, 0, 0, 0, 0, 0, 1],  # B7, received 2023
    unavailable_unclear=[1, 0, 0, 0, 0, 0, 1],  # B2
    not_processed_petition=[0, 0, 0, 0, 0, 1, 1],  # A12
    not_processed_duplicate=[0, 1, 0, 0, 0, 0, 1],  # B3
    not_processed_confirm_reissue=[0, 1, 0, 0, 0, 0, 1],  # B10
    other_no_correction=[0, 1, 0, 0, 0, 0, 1],  # A3 (lapsed 2025-01-15)
    other_fee_unpaid=[1, 0, 0, 0, 0, 0, 1],  # A7
    other_other=[2, 0, 0, 0, 0, 0, 2],  # A5, B5 (withdrawn)
    concluded_total=[12, 3, 1, 1, 2, 1, 20],
    carried_out=[2, 0, 1, 1, 0, 0, 4],  # A10 A9(res) B4 B9(npo)
)

EXPECTED_2025_JB = expected_rows(
    new=[4, 2, 0, 1, 1, 0, 8],  # B1 B2 B4 B11 · B3 B10 · B9 · B6
    carried_in=[3, 0, 0, 0, 0, 0, 3],  # B5 B7 B12
    disclosed=[2, 0, 0, 0, 1, 0, 3],  # B11 B12 · B6
    unavailable_needs_creation=[1, 0, 0, 0, 0, 0, 1],
    unavailable_unclear=[1, 0, 0, 0, 0, 0, 1],
    not_processed_duplicate=[0, 1, 0, 0, 0, 0, 1],
    not_processed_confirm_reissue=[0, 1, 0, 0, 0, 0, 1],
    other_other=[1, 0, 0, 0, 0, 0, 1],  # B5
    concluded_total=[6, 2, 0, 0, 1, 0, 9],
    carried_out=[1, 0, 0, 1, 0, 0, 2],  # B4 · B9
)
EXPECTED_2025_JB["disclosed"] = [3, 0, 0, 0, 1, 0, 4]  # B1 B11 B12 · B6
EXPECTED_2025_JB["concluded_total"] = [6, 2, 0, 0, 1, 0, 9]


def test_table3_2025_all_agencies_cell_by_cell(scenario: Any) -> None:
    cli, _ = scenario
    rep = report(cli, 2025)
    assert rep["identity_holds"] is True
    assert rep["agency"] is None
    for key in TABLE3_KEYS:
        assert rep["table3"][key] == EXPECTED_2025_ALL[key], key


def test_table4_2025_counts_proceedings_filed_in_the_year_by_current_result(scenario: Any) -> None:
    cli, _ = scenario
    t4 = report(cli, 2025)["table4"]
    # A13 reconsideration filed 2025-01-06, now upheld; A6 filed 2025-05-12, now corrected; B8's (2024) not here.
    assert t4["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    # B6 filed 2025-09-01, decided "other"; A12's suit was filed 2026-01-10, outside the year.
    assert t4["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    # A13 suit after reconsideration, filed 2025-03-10, pending.
    assert t4["litigation_after_reconsideration"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1,
                                                      "total": 1}


def test_fees_2025(scenario: Any) -> None:
    cli, _ = scenario
    fees = report(cli, 2025)["fees"]
    assert (fees["notices"], fees["billed"], fees["collected"]) == (2, 900, 200)
    assert fees["notices_paid"] == 1 and fees["notices_lapsed"] == 1


def test_agency_filter(scenario: Any) -> None:
    cli, _ = scenario
    rep = report(cli, 2025, "--agency", "jb")
    assert rep["agency"] == "jb"
    assert rep["identity_holds"] is True
    for key in TABLE3_KEYS:
        assert rep["table3"][key] == EXPECTED_2025_JB[key], key
    assert rep["table4"]["reconsideration"]["total"] == 0
    assert rep["table4"]["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    assert rep["table4"]["litigation_after_reconsideration"]["total"] == 0
    assert rep["fees"]["notices"] == 0
    ja = report(cli, 2025, "--agency", "ja")
    # The two agencies add up to the whole.
    for key in TABLE3_KEYS:
        assert [a + b for a, b in zip(ja["table3"][key], rep["table3"][key], strict=True)] == EXPECTED_2025_ALL[key]
    assert ja["table4"]["reconsideration"]["total"] == 2
    assert ja["fees"]["billed"] == 900


def test_other_years_and_the_case_open_through_a_whole_year(scenario: Any) -> None:
    cli, _ = scenario
    t = report(cli, 2024)["table3"]
    # new: A1 A2 A13 B5 B8 B12 · A3; carried in: B7 (received 2023-12-28, concluded 2025-01-03)
    assert t["new"] == [6, 1, 0, 0, 0, 0, 7]
    assert t["carried_in"] == [1, 0, 0, 0, 0, 0, 1]
    assert t["disclosed"] == [2, 0, 0, 0, 0, 0, 2]  # A1, B8
    assert t["withheld_process_info"] == [1, 0, 0, 0, 0, 0, 1]  # A13
    assert t["concluded_total"] == [3, 0, 0, 0, 0, 0, 3]
    assert t["carried_out"] == [4, 1, 0, 0, 0, 0, 5]  # A2 B5 B7 B12 · A3
    assert report(cli, 2024)["table4"]["reconsideration"]["upheld"] == 1  # B8
    t = report(cli, 2023)["table3"]
    assert t["new"] == [1, 0, 0, 0, 0, 0, 1]
    assert t["carried_out"] == [1, 0, 0, 0, 0, 0, 1]
    assert t["concluded_total"] == zero()
    t = report(cli, 2026)["table3"]  # the year so far (today 2026-03-31)
    assert t["new"] == [1, 1, 0, 0, 0, 0, 2]  # A17 · A11
    assert t["carried_in"] == [2, 0, 1, 1, 0, 0, 4]  # A10 B4 · A9 · B9
    assert t["concluded_total"] == [1, 1, 1, 1, 0, 0, 4]  # B4 · A11 · A9 · B9
    assert t["carried_out"] == [2, 0, 0, 0, 0, 0, 2]  # A10 A17


def test_past_years_do_not_depend_on_the_day_they_are_produced(scenario: Any) -> None:
    cli, _ = scenario
    a = report(cli, 2025, today="2026-03-31")
    b = report(cli, 2025, today="2027-06-30")
    assert a["table3"] == b["table3"] and a["table4"] == b["table4"] and a["fees"] == b["fees"]


def test_terminal_table_shows_the_national_labels(scenario: Any) -> None:
    cli, _ = scenario
    out = cli("stats", "--year", "2025").stdout
    for label in ("三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量", "（三）不予公开",
                  "1.属于国家秘密", "（七）总计", "四、结转下年度继续办理", "四、政府信息公开行政复议、行政诉讼情况",
                  "复议后起诉", "尚未审结", "本年度发出收费通知2件，收取信息处理费共计200元。"):
        assert label in out.replace(" ", ""), label
    assert HEADER_NOTE in out
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in out


def test_json_shape_matches_the_contract(scenario: Any) -> None:
    cli, _ = scenario
    rep = report(cli, 2025)
    assert {"year", "agency", "columns", "table3", "table4", "fees", "identity_holds"} <= set(rep)
    assert rep["year"] == 2025
    assert rep["columns"] == ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org",
                              "total"]
    assert list(rep["table3"]) == ["new", "carried_in", *OUTCOME_CODES, "concluded_total", "carried_out"]
    assert all(len(v) == 7 and all(isinstance(x, int) for x in v) for v in rep["table3"].values())
    assert list(rep["table4"]) == ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
    for group in rep["table4"].values():
        assert list(group) == ["upheld", "corrected", "other", "pending", "total"]
    assert {"notices", "billed", "collected"} <= set(rep["fees"])
    wt = rep["working_time"]
    assert wt["replies"] == 16  # 20 concluded in 2025 minus the lapses (A3, A7) and the withdrawals (A5, B5)
    assert wt["replied_past_due"] == 2
    assert wt["mean_working_days_to_reply"] is not None


# ---------------------------------------------------------------------------------------------------------------
# Bad input and broken data (function-scoped databases)


def _sql(url: str, statement: str, **params: Any) -> None:
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    engine.dispose()


def test_broken_row_is_refused_naming_the_case_and_no_file_is_written(cli: Cli, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    ok = cli.new_case("2025-03-03", today="2025-03-03")
    cli("case", "act", ok, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取",
        today="2025-03-10")
    broken = cli.new_case("2025-04-01", "李四", "某项目环评批复", today="2025-04-01")
    assert cli("stats", "--year", "2025", "--format", "json", today="2026-01-05").json()["identity_holds"] is True
    # A bad import: a conclusion date on an open case, without an outcome (the counted, first conclusion too).
    _sql(cli.url, "UPDATE cases SET concluded_on = :d, first_concluded_on = :d WHERE number = :n", d="2025-05-06",
         n=broken)
    r = cli("stats", "--year", "2025", today="2026-01-05", ok=False)
    assert r.exit_code == 2
    assert broken in r.stderr and ok not in r.stderr
    assert "勾稽关系" in r.stderr and "没有办理结果" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    for fmt in ("xlsx", "csv", "docx", "json"):
        target = out_dir / f"out.{fmt}"
        r = cli("stats", "--year", "2025", "--format", fmt, "-o", str(target), today="2026-01-05", ok=False)
        assert r.exit_code == 2 and broken in r.stderr
        assert not target.exists()
    assert list(out_dir.iterdir()) == []  # no temporary file left behind either
    # Other years that do not count the case are not blocked by it.
    assert cli("stats", "--year", "2024", "--format", "json", today="2026-01-05").json()["identity_holds"] is True


def test_contradictions_that_keep_the_arithmetic_are_refused_too(cli: Cli) -> None:
    number = cli.new_case("2025-03-03", today="2025-03-03")
    _sql(cli.url, "UPDATE cases SET stage = 'closed' WHERE number = :n", n=number)
    r = cli("stats", "--year", "2025", today="2026-01-05", ok=False)
    assert r.exit_code == 2 and number in r.stderr and "没有办结日期" in r.stderr


def test_concluded_before_the_year_it_was_received_breaks_the_identity(cli: Cli) -> None:
    number = cli.new_case("2025-03-03", today="2025-03-03")
    _sql(cli.url, "UPDATE cases SET stage = 'closed', outcome = 'disclosed', concluded_on = :d, "
         "first_outcome = 'disclosed', first_concluded_on = :d WHERE number = :n", d="2024-12-20", n=number)
    r = cli("stats", "--year", "2025", today="2026-01-05", ok=False)
    assert r.exit_code == 2 and number in r.stderr and "早于收到日期" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2031"], "超出范围"),
        (["--year", "1999"], "超出范围"),
        (["--year", "去年"], "不是整数"),
        (["--year", "2025", "--agency", "nosuch"], "机关代码“nosuch”不存在"),
        (["--year", "2025", "--format", "pdf"], "输出格式“pdf”无效"),
        (["--year", "2025", "--format", "xlsx", "-o", "/nonexistent-dir/x.xlsx"], "不存在"),
        (["--year", "2025", "-o", "report.txt"], "无法从文件名"),
        (["--year", "2025", "--format", "table", "-o", "x.csv"], "只在终端显示"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(sqlite_cli: Cli, args: list[str], message: str) -> None:
    r = sqlite_cli("stats", *args, ok=False)
    assert r.exit_code == 2, r.stdout + r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_file_formats_default_name_in_cwd_and_suffix_inference(sqlite_cli: Cli, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_cli.new_case("2025-03-03", today="2025-03-03")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    r = sqlite_cli("stats", "--year", "2025", "--format", "xlsx", today="2026-01-05")
    assert r.stdout.strip().endswith("年度报告统计-2025.xlsx")
    assert (work / "年度报告统计-2025.xlsx").exists()
    r = sqlite_cli("stats", "--year", "2025", "-o", "t.csv", today="2026-01-05")
    assert (work / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    r = sqlite_cli("stats", "--year", "2025", "-o", "t.json", today="2026-01-05")
    assert (work / "t.json").read_text(encoding="utf-8").lstrip().startswith("{")
    assert sorted(p.name for p in work.iterdir()) == ["t.csv", "t.json", "年度报告统计-2025.xlsx"]


def test_a_department_user_sees_only_their_agency(sqlite_cli: Cli) -> None:
    cli = sqlite_cli
    cli("agency", "add", "ja", "--name", "甲局", today="2025-01-02")
    cli("agency", "add", "jb", "--name", "乙局", today="2025-01-02")
    for code, who in (("ja", "张"), ("jb", "李"), ("jb", "王")):
        cli("case", "new", "--agency", code, "--applicant", who, "--applicant-type", "natural_person", "--channel",
            "in_person", "--received", "2025-03-03", "--content", "某项目审批文件", today="2025-03-03")
    cli("user", "add", "admin1", "--role", "admin", today="2025-03-03")
    cli("user", "add", "clerk_a", "--role", "clerk", "--agency", "ja", today="2025-03-03", user="admin1")
    cli("user", "add", "office1", "--role", "office", today="2025-03-03", user="admin1")
    mine = cli("stats", "--year", "2025", "--format", "json", user="clerk_a", today="2025-06-30").json()
    assert mine["agency"] == "ja" and mine["table3"]["new"][-1] == 1
    r = cli("stats", "--year", "2025", "--agency", "jb", user="clerk_a", today="2025-06-30", ok=False)
    assert r.exit_code == 3 and "只能统计本机关" in r.stderr
    everyone = cli("stats", "--year", "2025", "--format", "json", user="office1", today="2025-06-30").json()
    assert everyone["agency"] is None and everyone["table3"]["new"][-1] == 3


# ---------------------------------------------------------------------------------------------------------------
# The pure parts (domain.annual_report)


def test_layout_covers_every_grid_cell_exactly_once() -> None:
    from zwgk_tui.domain import annual_report as ar

    def covered(cells: list[ar.Cell]) -> list[tuple[int, int]]:
        return [(c.row + dr, c.col + dc) for c in cells for dr in range(c.rowspan) for dc in range(c.colspan)]

    header = covered(ar.table3_header_cells())
    assert sorted(header) == sorted(set(header))
    assert set(header) == {(r, c) for r in range(3) for c in range(10)}
    labels = covered(ar.table3_label_cells())
    assert sorted(labels) == sorted(set(labels))
    assert set(labels) == {(r, c) for r in range(25) for c in range(3)}
    t4 = covered(ar.table4_header_cells())
    assert sorted(t4) == sorted(set(t4)) and set(t4) == {(r, c) for r in range(3) for c in range(15)}
    groups = {c.text: c.rowspan for c in ar.table3_label_cells() if c.col == 1}
    assert groups == {"（一）予以公开": 1, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": 1,
                      "（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3,
                      "（七）总计": 1}


def test_build_table3_totals_and_identity() -> None:
    from zwgk_tui.domain import annual_report as ar

    t = ar.build_table3({"natural_person": 5, "business": 1}, {"natural_person": 2},
                        {("natural_person", "disclosed"): 4, ("business", "other_other"): 1},
                        {"natural_person": 3})
    assert t.row("new") == (5, 1, 0, 0, 0, 0, 6)
    assert t.row("concluded_total") == (4, 1, 0, 0, 0, 0, 5)
    assert t.identity_holds
    broken = ar.build_table3({"natural_person": 5}, {}, {("natural_person", "disclosed"): 4}, {})
    [failure] = [f for f in broken.identity_failures() if f.column == "natural_person"]
    assert "第一项 5 + 第二项 0 = 5，第三项 4 + 第四项 0 = 4" in failure.message
    assert [f.column for f in broken.identity_failures()] == ["natural_person", "total"]


@pytest.mark.parametrize(("hist", "median"), [({}, None), ({7: 1}, 7.0), ({3: 1, 9: 1}, 6.0),
                                              ({1: 2, 5: 1}, 1.0), ({2: 1, 4: 2, 10: 1}, 4.0),
                                              ({1: 1, 2: 1, 3: 1, 20: 1}, 2.5)])
def test_median_from_histogram(hist: dict[int, int], median: float | None) -> None:
    from zwgk_tui.domain.annual_report import median_from_histogram

    assert median_from_histogram(hist) == median
