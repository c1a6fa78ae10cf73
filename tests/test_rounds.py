"""A case's counted conclusion is its first one (issue 12): reopen, re-reply and date corrections per round, the
migration that fills the first conclusion from the history, and the demo data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.conftest import Cli


def act(cli: Cli, number: str, action: str, on: str, *opts: str, **kw: Any) -> Any:
    return cli("case", "act", number, action, "--on", on, *opts, today=kw.pop("today", on), **kw)


def reply(cli: Cli, number: str, on: str) -> None:
    act(cli, number, "decide", on, "--outcome", "disclosed", "--provision", "当面领取")
    act(cli, number, "submit", on)
    act(cli, number, "sign", on)
    cli.deliver(number, on, "--method", "in_person", today=on)


def show(cli: Cli, number: str) -> dict[str, Any]:
    return cli("case", "show", number, "--json", today="2025-06-30").json()


def three_rounds(cli: Cli) -> tuple[str, list[int]]:
    cli("init", today="2024-12-01")
    cli("agency", "set", "default", "--office-review", "off", "--legal-review", "off", today="2024-12-01")
    n = cli.new_case("2024-12-02", today="2024-12-02")
    reply(cli, n, "2024-12-20")
    act(cli, n, "reopen", "2025-01-20", "--reason", "复议决定责令重新答复")
    reply(cli, n, "2025-02-10")
    act(cli, n, "reopen", "2025-03-03", "--reason", "诉讼判决责令重新答复")
    reply(cli, n, "2025-03-17")
    delivers = [e["id"] for e in show(cli, n)["events"] if e["action"] == "deliver"]
    return n, delivers


def test_reopen_keeps_the_first_conclusion_and_its_reply_time(cli: Cli) -> None:
    n, _ = three_rounds(cli)
    view = show(cli, n)
    assert (view["first_outcome"], view["first_concluded_on"]) == ("disclosed", "2024-12-20")
    assert view["concluded_on"] == "2025-03-17"
    # 2024-12-02 → 2024-12-20: 12-03…12-06 (4), 12-09…12-13 (9), 12-16…12-20 (14).
    assert view["working_days_to_reply"] == 14 and view["replied_late"] is False
    rep = cli("stats", "--year", "2025", "--format", "json", today="2026-01-05").json()
    assert rep["table3"]["concluded_total"][-1] == 0 and rep["table3"]["carried_in"][-1] == 0
    assert [(r["round"], r["reopened_on"], r["concluded_on"]) for r in rep["rereplies"]] == [
        (2, "2025-01-20", "2025-02-10"), (3, "2025-03-03", "2025-03-17")]
    # 03-03 → 03-17: 03-04…03-07 (4), 03-10…03-14 (9), 03-17 (10).
    assert rep["rereplies"][1]["working_days_from_reopen"] == 10
    assert cli("stats", "--year", "2024", "--format", "json", today="2026-01-05").json()["table3"]["disclosed"][-1] == 1


def test_correcting_a_delivery_moves_only_the_conclusion_it_made(cli: Cli) -> None:
    n, (first, middle, last) = three_rounds(cli)
    # The middle round's delivery is neither the counted nor the current conclusion: nothing moves.
    act(cli, n, "correct-date", "2025-02-11", "--event", str(middle), "--reason", "送达回证日期", today="2025-06-30")
    view = show(cli, n)
    assert (view["first_concluded_on"], view["concluded_on"]) == ("2024-12-20", "2025-03-17")
    # The current round's delivery moves the current conclusion only.
    act(cli, n, "correct-date", "2025-03-18", "--event", str(last), "--reason", "送达回证日期", today="2025-06-30")
    view = show(cli, n)
    assert (view["first_concluded_on"], view["concluded_on"]) == ("2024-12-20", "2025-03-18")
    # The first delivery moves the counted conclusion (a correction of the record: a published year would list it).
    act(cli, n, "correct-date", "2024-12-19", "--event", str(first), "--reason", "送达回证日期", today="2025-06-30")
    view = show(cli, n)
    assert (view["first_concluded_on"], view["concluded_on"]) == ("2024-12-19", "2025-03-18")


def test_migration_fills_the_first_conclusion_from_the_history(db_url: str) -> None:
    """Data made with the steps, its first-conclusion columns emptied as before the migration, then the
    migration's backfill: each case's first conclusion is found in its events, also for reopened cases."""
    import importlib.util
    from pathlib import Path

    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text

    from zwgk_tui.persistence.database import open_database
    from zwgk_tui.persistence.models import Case

    cli = Cli(db_url)
    n, _ = three_rounds(cli)
    plain = cli.new_case("2025-03-03", "李四", "某项目环评批复", today="2025-03-03")
    act(cli, plain, "withdraw", "2025-03-05")
    open_ = cli.new_case("2025-03-04", "王五", "某项目规划许可", today="2025-03-04")
    reopened_open = cli.new_case("2025-03-05", "赵六", "某项目用地批复", today="2025-03-05")
    reply(cli, reopened_open, "2025-03-12")
    act(cli, reopened_open, "reopen", "2025-03-20", "--reason", "复议纠正")
    versions = Path(__file__).resolve().parents[1] / "db" / "versions"
    path = versions / "0009_first_conclusions_proceedings_publications.py"
    spec = importlib.util.spec_from_file_location("stats_records_migration", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db = open_database(db_url, migrate=False)
    try:
        with db.engine.connect() as conn:
            conn = conn.execution_options(zwgk_write=True)
            with conn.begin():
                conn.execute(text("UPDATE cases SET first_outcome = NULL, first_concluded_on = NULL"))
                with Operations.context(MigrationContext.configure(conn)):
                    migration._backfill(conn)
        with db.read() as s:
            rows = {c.number: (c.first_outcome, c.first_concluded_on and c.first_concluded_on.isoformat())
                    for c in s.scalars(select(Case))}
    finally:
        db.dispose()
    assert rows == {
        n: ("disclosed", "2024-12-20"),
        plain: ("other_other", "2025-03-05"),
        open_: (None, None),
        reopened_open: ("disclosed", "2025-03-12"),
    }


def test_demo_cases_carry_their_first_conclusion(sqlite_cli: Cli) -> None:
    from zwgk_tui.persistence.models import Case
    from zwgk_tui.services.context import ServiceContext

    sqlite_cli("demo", "--cases", "300", "--seed", "3", today="2025-06-30")
    ctx = ServiceContext.open(sqlite_cli.url, "t")
    try:
        with ctx.db.read() as s:
            cases = list(s.scalars(select(Case)))
    finally:
        ctx.db.dispose()
    closed = [c for c in cases if c.stage == "closed"]
    assert closed and all((c.first_outcome, c.first_concluded_on) == (c.outcome, c.concluded_on) for c in closed)
    assert all(c.first_concluded_on is None for c in cases if c.stage != "closed")
