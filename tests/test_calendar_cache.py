"""The stored working-day table (calendar_tables): every process reads it instead of asking the holidays package,
and a change of the calendar (calendar set, calendar import, or an override written some other way) is seen by
the next process at once. Each command runs in its own process, as a clerk's would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from sqlalchemy import create_engine, text
from test_clock_cli import NOTICE_2027  # tests/ is on sys.path (rootdir-relative imports)

RUN = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("HOLIDAYS:%s\\n" % ("holidays" in sys.modules)))
sys.argv = ["zwgk-tui", *sys.argv[1:]]
from zwgk_tui.cli.main import run
run()
"""


def zwgk(url: str, *args: str, today: str = "2025-03-20") -> tuple[str, bool]:
    """stdout of `zwgk-tui ARGS` in a new process, and whether that process imported `holidays`."""
    env = {**os.environ, "ZWGK_DB": url, "ZWGK_TODAY": today, "ZWGK_USER": "clerk"}
    r = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env)
    assert r.returncode == 0, f"zwgk-tui {' '.join(args)} → {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r.stdout, "HOLIDAYS:True" in r.stderr


def deadline(url: str, received: str, today: str) -> tuple[dict[str, Any], bool]:
    out, imported = zwgk(url, "deadline", "--received", received, "--json", today=today)
    return json.loads(out), imported


def run_sql(url: str, sql: str) -> list[Any]:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.begin() as conn:
        result = conn.execute(text(sql))
        rows = list(result) if result.returns_rows else []
    engine.dispose()
    return rows


def stored_keys(url: str) -> list[str]:
    return [r[0] for r in run_sql(url, "SELECT key FROM calendar_tables")]


def test_calendar_set_moves_a_deadline_in_every_later_process_without_the_package(cli):
    db_url = cli.url
    cli("init")
    keys = stored_keys(db_url)
    assert len(keys) == 1
    # 2025-03-03 + 20 working days: 3/4–3/7 (4), 3/10–3/14 (9), 3/17–3/21 (14), 3/24–3/28 (19), 3/31 (20).
    before, imported = deadline(db_url, "2025-03-03", "2025-03-20")
    assert (before["reply_due"], before["provisional"], imported) == ("2025-03-31", False, False)
    cli("calendar", "set", "2025-03-14", "--day-off", "--note", "本地防汛放假（测试）")
    after, imported = deadline(db_url, "2025-03-03", "2025-03-20")
    assert (after["reply_due"], imported) == ("2025-04-01", False)  # 3/14 off: one more day, 4/1
    new_keys = stored_keys(db_url)
    assert len(new_keys) == 1 and new_keys != keys  # the old table is gone, the new one is stored
    cli("calendar", "set", "2025-03-14", "--workday", "--note", "恢复上班（测试）")
    again, imported = deadline(db_url, "2025-03-03", "2025-03-20")
    assert (again["reply_due"], imported) == ("2025-03-31", False)


def test_calendar_import_moves_a_provisional_deadline_and_makes_it_final(cli, tmp_path):
    db_url = cli.url
    cli("init", today="2027-01-20")
    # Without a notice 2027 is the package's guess: Spring Festival off 2/5–2/10, no make-up days. From 2027-01-15:
    # 1/18–1/29 (10), 2/1–2/4 (14), 2/11–2/12 (16), 2/15–2/18 (20).
    before, imported = deadline(db_url, "2027-01-15", "2027-01-20")
    assert (before["reply_due"], before["provisional"], imported) == ("2027-02-18", True, False)
    text_out = cli("deadline", "--received", "2027-01-15", today="2027-01-20").stdout
    assert "答复期限（第20个工作日）：2027-02-18（暂定" in text_out
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    cli("calendar", "import", str(notice), "--yes", today="2027-01-20")
    # The notice: 2/5–2/11 off, Saturday 2/20 worked. 2/4 is the 14th day, 2/12 the 15th, 2/15–2/19 the 20th.
    after, imported = deadline(db_url, "2027-01-15", "2027-01-20")
    assert (after["reply_due"], after["provisional"], imported) == ("2027-02-19", False, False)
    text_out = cli("deadline", "--received", "2027-01-15", today="2027-01-20").stdout
    assert "答复期限（第20个工作日）：2027-02-19\n" in text_out
    assert len(stored_keys(db_url)) == 1


def test_an_override_written_behind_the_tools_back_is_still_obeyed(cli):
    """A table is found by the key of the overrides it was built with, so a change the tool did not make (a
    restored backup, a hand edit) can never be answered by a stale table: the next process builds the right one
    from the stored package part, still without the package."""
    cli("init")
    run_sql(cli.url, "INSERT INTO calendar_overrides (day, working, note, source, created_at, created_by) "
                     "VALUES ('2025-03-14', FALSE, '手工', '手工', '2025-03-13 09:00:00', 'dba')")
    after, imported = deadline(cli.url, "2025-03-03", "2025-03-20")
    assert (after["reply_due"], imported) == ("2025-04-01", False)
    assert len(stored_keys(cli.url)) == 2  # the new key was stored next to the old one
    _, imported = deadline(cli.url, "2025-03-03", "2025-03-20")
    assert imported is False


def test_a_database_without_a_stored_table_builds_it_once(cli):
    """A database made before the table was stored (or after a holidays upgrade): the first process asks the
    package and stores the table; the next ones do not."""
    cli("init")
    run_sql(cli.url, "DELETE FROM calendar_tables")
    first, imported = deadline(cli.url, "2025-03-03", "2025-03-20")
    assert (first["reply_due"], imported) == ("2025-03-31", True)
    assert len(stored_keys(cli.url)) == 1  # stored by that first process, in a short transaction of its own
    second, imported = deadline(cli.url, "2025-03-03", "2025-03-20")
    assert (second["reply_due"], imported) == ("2025-03-31", False)


def test_the_stored_table_is_the_package_table():
    """What goes into the database comes back byte for byte, names and make-up days included."""
    from datetime import date, datetime

    from zwgk_tui.domain.calendar import WorkCalendar, package_table
    from zwgk_tui.persistence import calendar_tables
    from zwgk_tui.persistence.models import CalendarTable

    pkg = package_table()
    values = calendar_tables._values("k", pkg, pkg.flags, datetime(2025, 3, 20))
    row = CalendarTable(**values)
    stored = calendar_tables._decode(row)
    assert stored.package == pkg
    cal = WorkCalendar(package=stored.package, merged=stored.flags)
    assert cal.day_info(date(2024, 2, 4)).name == "调休上班"
    assert cal.day_info(date(2024, 2, 15)).detail == "休息日（由 2024-02-04 调休）"
