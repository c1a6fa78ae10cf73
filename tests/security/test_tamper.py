"""Tamper evidence on both engines: verify recomputes every case's hash chain, compares the case rows with their
history and the case numbers with the counters, checks the protective triggers; backup runs it first; init puts
dropped or disabled triggers back and says so."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.security.conftest import is_pg, sql


def _workflow(cli: Cli, received: str = "2025-03-03") -> str:
    n = cli.new_case(received)
    for step, on, *extra in (("decide", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取"),
                             ("submit", "2025-03-11"), ("approve", "2025-03-12"), ("approve", "2025-03-13"),
                             ("sign", "2025-03-14"),
                             ("deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某答〔2025〕1号",
                              "--reply-date", "2025-03-14")):
        cli("case", "act", n, step, "--on", on, *extra)
    return n


def _lift_protection(cli: Cli) -> None:
    if is_pg(cli.url):
        sql(cli.url, "ALTER TABLE events DISABLE TRIGGER events_append_only")
    else:
        sql(cli.url, "DROP TRIGGER events_no_update")
        sql(cli.url, "DROP TRIGGER events_no_delete")


def test_an_untouched_register_verifies(cli: Cli) -> None:
    a = _workflow(cli)
    b = cli.new_case("2025-03-04", "李四")
    cli("case", "act", b, "request-correction", "--on", "2025-03-05", "--items", "身份证明",
        "--correct-by", "2025-03-20")
    cli("case", "act", a, "reopen", "--on", "2025-03-18", "--reason", "复议决定责令重新答复")
    cli("case", "act", a, "correct-date", "--event", "2", "--on", "2025-03-07", "--reason", "录入错误")
    r = cli("verify")
    assert r.exit_code == 0 and "2 件案件、11 条办理记录，未发现问题" in r.stdout
    assert cli("verify", "--json").json() == {"ok": True, "cases": 2, "events": 11, "problems": [],
                                              "broken_cases": [], "warnings": []}


def test_a_case_row_edited_behind_the_history_is_named(cli: Cli, tmp_path: Path) -> None:
    a = cli.new_case("2025-03-03")
    b = cli.new_case("2025-03-04", "李四")
    sql(cli.url, "UPDATE cases SET stage = 'closed', outcome = 'disclosed', concluded_on = '2025-03-05' "
                 "WHERE number = :n", n=b)
    r = cli("verify", ok=False)
    assert r.exit_code == 1
    assert f"{b}（default）：案件的阶段（stage）为 closed，但办理记录显示应为 registered" in r.stdout
    assert f"{b}（default）：案件的办理结果（outcome）为 disclosed，但办理记录显示应为 空" in r.stdout
    assert a not in r.stdout
    assert cli("verify", "--json", ok=False).json()["broken_cases"] == [f"{b}（default）"]
    # backup checks first, copies anyway (the copy is evidence) and fails loudly
    out = tmp_path / "b.bak"
    r = cli("backup", "-o", str(out), ok=False)
    assert r.exit_code == 1 and out.exists() and "备份前的校验发现" in r.stderr and b in r.stderr


def test_an_edited_event_and_a_lifted_trigger_are_found_and_init_restores(cli: Cli) -> None:
    n = _workflow(cli)
    _lift_protection(cli)
    sql(cli.url, "UPDATE events SET data = :d WHERE action = 'decide'", d='{"outcome": "withheld_state_secret"}')
    r = cli("verify", ok=False)
    assert r.exit_code == 1
    assert "防篡改触发器 events_" in r.stdout
    assert f"{n}（default）：第 2 条办理记录（#2 decide）的内容与其校验值不符" in r.stdout
    r = cli("init")
    assert "已恢复" in r.stderr and "events_" in r.stderr
    r = cli("verify", ok=False)
    assert "防篡改触发器" not in r.stdout and "内容与其校验值不符" in r.stdout
    assert cli("init").stderr == ""  # nothing left to restore
    # the restored trigger protects again
    import pytest
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError):
        sql(cli.url, "UPDATE events SET comment = 'x'")


def test_deleted_events_and_deleted_cases_leave_traces(cli: Cli) -> None:
    a = _workflow(cli)
    b = cli.new_case("2025-03-04", "李四")
    c = cli.new_case("2025-03-05", "王五")
    d = cli.new_case("2025-03-06", "赵六")
    _lift_protection(cli)
    # the newest event of a (the delivery) — the case row still says closed
    sql(cli.url, "DELETE FROM events WHERE id = (SELECT max(id) FROM events WHERE action = 'deliver')")
    # an event in the middle of b's history: b gets a decision and a submission, then the decision goes
    cli("case", "act", b, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取")
    cli("case", "act", b, "submit", "--on", "2025-03-11")
    sql(cli.url, "DELETE FROM events WHERE action = 'decide' AND case_id = (SELECT id FROM cases WHERE number = :n)",
        n=b)
    # c disappears with its whole history
    cid = sql(cli.url, "SELECT id FROM cases WHERE number = :n", n=c)[0][0]
    for table in ("events", "pauses", "fee_notices", "remedies", "issued_documents", "cases"):
        sql(cli.url, f"DELETE FROM {table} WHERE {'id' if table == 'cases' else 'case_id'} = :i", i=cid)
    r = cli("verify", ok=False)
    assert f"{a}（default）：案件的阶段（stage）为 closed，但办理记录显示应为 delivering" in r.stdout
    assert f"{b}（default）：第 2 条办理记录" in r.stdout and "校验链断开" in r.stdout
    assert f"缺少 {c}" in r.stdout and "案件被删除" in r.stdout
    assert d not in r.stdout


def test_demo_data_verifies(cli: Cli) -> None:
    cli("demo", "--cases", "300", "--seed", "3", today="2026-06-30")
    r = cli("verify", today="2026-06-30")
    assert r.exit_code == 0 and "300 件案件" in r.stdout
