"""`zwgk-tui demo`: realistic synthetic data whose every year passes the report's identity check."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli
from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, OUTCOME_CODES
from zwgk_tui.persistence.database import resolve_url

TODAY = "2026-06-30"  # a Tuesday; the demo covers 2023-01-01 … today
YEARS = (2023, 2024, 2025, 2026)


def _demo(cli: Cli, cases: int = 2000, seed: int = 1) -> str:
    r = cli("demo", "--cases", str(cases), "--seed", str(seed), today=TODAY)
    return r.stdout


def _reports(cli: Cli, *extra: str) -> dict[int, dict[str, Any]]:
    return {y: cli("stats", "--year", str(y), "--format", "json", *extra, today=TODAY).json() for y in YEARS}


def _query(url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    engine.dispose()
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_year_passes_the_identity_and_covers_every_outcome_and_type(cli: Cli, seed: int) -> None:
    out = _demo(cli, seed=seed)
    assert "已生成演示数据：案件 2000 件" in out
    reports = _reports(cli)
    for year, rep in reports.items():
        assert rep["identity_holds"] is True, year
        t = rep["table3"]
        for i in range(7):
            assert t["new"][i] + t["carried_in"][i] == t["concluded_total"][i] + t["carried_out"][i]
    # Received over the years, the first year starts with nothing carried in, the last is still open.
    assert reports[2023]["table3"]["carried_in"][-1] == 0
    assert sum(r["table3"]["new"][-1] for r in reports.values()) == 2000
    assert reports[2026]["table3"]["carried_out"][-1] > 0
    for y in YEARS[1:]:
        assert reports[y]["table3"]["carried_in"] == reports[y - 1]["table3"]["carried_out"]
    for outcome in OUTCOME_CODES:
        assert sum(r["table3"][outcome][-1] for r in reports.values()) > 0, outcome
    for i, atype in enumerate(APPLICANT_TYPE_LABELS):
        assert sum(r["table3"]["new"][i] for r in reports.values()) > 0, atype
    new = [sum(r["table3"]["new"][i] for r in reports.values()) for i in range(6)]
    assert 0.78 < new[0] / 2000 < 0.92  # natural persons dominate
    assert sum(r["table4"][k]["total"] for r in reports.values() for k in r["table4"]) > 0
    assert sum(r["fees"]["notices"] for r in reports.values()) > 0
    # Agencies add up to the whole.
    for code in ("xzf", "zrzyj", "zjj", "scjgj", "lhz"):
        assert cli("stats", "--year", "2025", "--agency", code, "--format", "json",
                   today=TODAY).json()["identity_holds"] is True


def test_same_seed_same_numbers_other_seed_other_numbers(tmp_path: Any) -> None:
    a, b, c = (Cli(str(tmp_path / f"{n}.db")) for n in "abc")
    _demo(a, seed=7)
    _demo(b, seed=7)
    _demo(c, seed=8)
    ra, rb, rc = _reports(a), _reports(b), _reports(c)
    assert ra == rb
    assert ra != rc
    rows_a = _query(a.url, "SELECT number, received_on, stage, outcome, concluded_on, due_date FROM cases ORDER BY id")
    rows_b = _query(b.url, "SELECT number, received_on, stage, outcome, concluded_on, due_date FROM cases ORDER BY id")
    assert rows_a == rows_b


def test_open_cases_in_every_state_numbers_gapless_and_case_show_works(cli: Cli) -> None:
    _demo(cli, seed=1)
    stages = dict(_query(cli.url, "SELECT stage, count(*) FROM cases GROUP BY stage"))
    for stage in ("registered", "drafting", "consulting", "awaiting_fee", "correction_requested", "closed"):
        assert stages.get(stage, 0) > 0, stage
    overdue = cli("case", "list", "--overdue", "--json", today=TODAY).json()
    assert overdue and all(r["status"] == "overdue" for r in overdue)
    open_rows = cli("case", "list", "--open", "--json", today=TODAY).json()
    assert any(r["status"] == "paused" for r in open_rows)
    # Gapless numbers per agency and year, and the counters agree (a new case continues the sequence).
    seqs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for agency_id, year, seq in _query(cli.url, "SELECT agency_id, year, seq FROM cases"):
        seqs[(agency_id, year)].append(seq)
    counters = {(a, y): s for a, y, s in _query(cli.url, "SELECT agency_id, year, last_seq FROM case_counters")}
    for key, values in seqs.items():
        assert sorted(values) == list(range(1, len(values) + 1)), key
        assert counters[key] == len(values)
    (last,) = _query(cli.url, "SELECT c.last_seq FROM case_counters c JOIN agencies a ON a.id = c.agency_id "
                              "WHERE a.code = 'lhz' AND c.year = 2026")[0]
    r = cli("case", "new", "--agency", "lhz", "--applicant", "赵六", "--applicant-type", "natural_person",
            "--channel", "in_person", "--received", "2026-06-29", "--content", "柳河镇某村惠农补贴名单", today=TODAY)
    assert r.stdout.strip() == f"2026-{last + 1:04d}"
    # Dates respect the law's order: nothing before receipt, nothing after today.
    assert _query(cli.url, "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id "
                           "WHERE e.on_date < c.received_on OR e.on_date > :t", t=TODAY) == [(0,)]
    assert _query(cli.url, "SELECT count(*) FROM cases WHERE concluded_on < received_on") == [(0,)]
    # case show replays the events to the stored deadline, for cases in every stage.
    sample = _query(cli.url, "SELECT c.number, a.code, c.due_date, c.stage FROM cases c "
                             "JOIN agencies a ON a.id = c.agency_id WHERE c.id % 37 = 0 OR c.stage <> 'closed'")
    assert len(sample) > 60
    for number, code, due, stage in sample:
        view = cli("case", "show", number, "--agency", code, "--json", today=TODAY).json()
        assert view["stage"] == stage
        assert view["due_date"] == (str(due)[:10] if due else None), number
        assert view["events"][0]["action"] == "register"
        if stage == "closed":
            assert view["events"][-1]["action"] in ("deliver", "withdraw", "correction-lapsed", "fee-lapsed", "remedy")
    open_one = next(n for n, _c, _d, st in sample if st == "drafting")
    code = next(c for n, c, _d, st in sample if n == open_one and st == "drafting")
    text_view = cli("case", "show", open_one, "--agency", code, today=TODAY).stdout
    assert "办理记录" in text_view and "登记" in text_view


def test_bad_demo_input(sqlite_cli: Cli) -> None:
    r = sqlite_cli("demo", "--cases", "0", ok=False)
    assert r.exit_code == 2 and "--cases" in r.stderr
