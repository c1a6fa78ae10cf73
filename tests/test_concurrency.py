"""Several clerks at once: gapless numbering, no lost or doubled steps, crash safety, consistent backups."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

REGISTER_MANY = textwrap.dedent(
    """
    import sys
    from zwgk_tui.services.context import ServiceContext
    from zwgk_tui.services.cases import NewCase, register
    url, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctx = ServiceContext.open(url, "clerk")
    for i in range(count):
        r = register(ctx, NewCase(applicant=f"申请人{worker}-{i}", applicant_type="natural_person",
                                  channel="in_person", received="2025-03-03", content=f"信息{worker}-{i}"))
        print(r.number, flush=True)
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "ZWGK_TODAY": "2025-03-20"}


# 100 clerks press Enter on `case new` at the same moment. A launcher imports the program once and forks the
# 100 processes (each then opens its own engine and connection, compiles its own statements and takes the write
# lock like any `zwgk-tui case new`); a pipe releases them all together. Forking instead of starting 100
# interpreters keeps the test at a few seconds on two cores; what races is the same.
CASE_NEW_ALL_AT_ONCE = textwrap.dedent(
    """
    import json, os, sys, traceback
    from sqlalchemy.orm import configure_mappers
    from zwgk_tui.cli.main import run
    from zwgk_tui.services import cases  # noqa: F401
    from zwgk_tui.services.context import installed_holidays_version
    configure_mappers()  # process-wide Python work, no database: done once, before the fork
    installed_holidays_version()
    n, outdir = int(sys.argv[1]), sys.argv[2]
    start_r, start_w = os.pipe()
    pids = []
    for i in range(n):
        pid = os.fork()
        if pid == 0:
            os.close(start_w)
            os.read(start_r, 1)  # returns when every holder of the write end has closed it: all start together
            for fd, name in ((1, "out"), (2, "err")):
                os.dup2(os.open(f"{outdir}/{i}.{name}", os.O_WRONLY | os.O_CREAT, 0o600), fd)
            sys.argv = ["zwgk-tui", "case", "new", "--applicant", f"申请人{i}", "--applicant-type",
                        "natural_person", "--channel", "in_person", "--received", "2025-03-03",
                        "--content", f"信息{i}"]
            code = 1
            try:
                run()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            except BaseException:
                traceback.print_exc()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        pids.append(pid)
    os.close(start_w)
    print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]))
    """
)


def test_100_simultaneous_case_new_processes_all_succeed_without_gaps_or_duplicates(cli, tmp_path):
    cli("init")  # the schema exists before the race: migration itself is tested separately
    n = 100
    r = subprocess.run([sys.executable, "-c", CASE_NEW_ALL_AT_ONCE, str(n), str(tmp_path)], capture_output=True,
                       text=True, env={**_env(), "ZWGK_DB": cli.url, "ZWGK_USER": "clerk"}, timeout=600)
    assert r.returncode == 0, r.stderr
    codes = json.loads(r.stdout)
    errors = {i: (tmp_path / f"{i}.err").read_text(encoding="utf-8") for i, c in enumerate(codes) if c != 0}
    assert not errors, errors
    numbers = [(tmp_path / f"{i}.out").read_text(encoding="utf-8").strip() for i in range(n)]
    assert sorted(numbers) == [f"2025-{i:04d}" for i in range(1, n + 1)]
    rows = cli("case", "list", "--json").json()
    assert sorted(r["number"] for r in rows) == sorted(numbers)
    assert sorted(r["applicant"] for r in rows) == sorted(f"申请人{i}" for i in range(n))


def test_fresh_database_created_by_several_processes_at_once(sqlite_url):
    procs = [
        subprocess.Popen([sys.executable, "-c", REGISTER_MANY, sqlite_url, str(w), "3"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env())
        for w in range(3)
    ]
    numbers = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        numbers += out.split()
    assert sorted(numbers) == [f"2025-{i:04d}" for i in range(1, 10)]


EXTEND = textwrap.dedent(
    """
    import sys
    from zwgk_tui.services.context import ServiceContext
    from zwgk_tui.services.cases import StepInput, act
    from zwgk_tui.services.errors import ServiceError
    url, version = sys.argv[1], int(sys.argv[2])
    ctx = ServiceContext.open(url, "clerk")
    try:
        act(ctx, "2025-0001", StepInput("extend", "2025-03-20", options={"days": 10, "approved_by": "head",
                                       "reason": "需调取档案"}, expect_version=version))
        print("ok")
    except ServiceError as e:
        print(e.exit_code, e.message)
    """
)


def test_two_simultaneous_extensions_exactly_one_succeeds(cli):
    cli.new_case("2025-03-03")
    version = cli("case", "show", "2025-0001", "--json").json()["version"]
    procs = [
        subprocess.Popen([sys.executable, "-c", EXTEND, cli.url, str(version)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env())
        for _ in range(2)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(out.strip())
    assert sorted(r.split()[0] for r in results) == ["4", "ok"], results
    view = cli("case", "show", "2025-0001", "--json").json()
    assert [e["action"] for e in view["events"]].count("extend") == 1
    assert view["deadline"]["extension_days"] == 10
    assert view["due_date"] == "2025-04-15"  # 20 + 10 working days after 2025-03-03 (4/4 清明 not counted)


def test_stale_version_from_the_cli_is_a_conflict_with_the_current_state(cli):
    cli.new_case("2025-03-03")
    cli("case", "act", "2025-0001", "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取")
    r = cli("case", "act", "2025-0001", "submit", "--on", "2025-03-11", "--expect-version", "1", "--json", ok=False)
    assert r.exit_code == 4
    assert "已被他人修改" in r.stderr
    assert r.json()["stage"] == "drafting"


WRITE_FOREVER = textwrap.dedent(
    """
    import sys
    from zwgk_tui.services.context import ServiceContext
    from zwgk_tui.services.cases import NewCase, register
    ctx = ServiceContext.open(sys.argv[1], "clerk")
    i = 0
    while True:
        register(ctx, NewCase(applicant=f"申请人{i}", applicant_type="natural_person", channel="in_person",
                              received="2025-03-03", content="长文本" * 200 + str(i)))
        i += 1
        if i == 5:
            print("writing", flush=True)
    """
)


@pytest.mark.parametrize("delay", [0.3, 0.7, 1.1])
def test_sigkill_mid_write_leaves_an_intact_database(sqlite_cli, delay):
    sqlite_cli("init")
    p = subprocess.Popen([sys.executable, "-c", WRITE_FOREVER, sqlite_cli.url], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env())
    assert p.stdout is not None
    line = p.stdout.readline().strip()
    assert line == "writing", p.stderr.read() if p.stderr else ""
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    conn = sqlite3.connect(sqlite_cli.url)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every committed case has its register event and numbers have no gaps
    numbers = [r[0] for r in conn.execute("SELECT seq FROM cases ORDER BY seq")]
    assert numbers == list(range(1, len(numbers) + 1))
    assert conn.execute("SELECT count(*) FROM events WHERE action = 'register'").fetchone()[0] == len(numbers)
    assert conn.execute("SELECT last_seq FROM case_counters").fetchone()[0] == len(numbers)
    conn.close()
    # and the tool carries on
    assert sqlite_cli.new_case("2025-03-04") == f"2025-{len(numbers) + 1:04d}"


def test_backup_while_another_process_writes(sqlite_cli, tmp_path):
    sqlite_cli("init")
    p = subprocess.Popen([sys.executable, "-c", WRITE_FOREVER, sqlite_cli.url], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env())
    assert p.stdout is not None
    p.stdout.readline()
    try:
        target = tmp_path / "backup.db"
        r = sqlite_cli("backup", "-o", str(target))
        assert "已备份" in r.stdout
    finally:
        p.kill()
        p.wait()
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert n >= 5
    assert conn.execute("SELECT count(*) FROM events WHERE action='register'").fetchone()[0] == n
    conn.close()
    r = sqlite_cli("backup", "-o", str(tmp_path / "no" / "such" / "dir.db"), ok=False)
    assert r.exit_code == 2 and "不存在" in r.stderr


def test_a_locked_database_is_reported_not_crashed(sqlite_cli, monkeypatch):
    sqlite_cli.new_case("2025-03-03")
    import zwgk_tui.persistence.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(sqlite_cli.url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = sqlite_cli("case", "act", "2025-0001", "decide", "--on", "2025-03-10", "--outcome", "disclosed", ok=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.exit_code == 4
    assert "占用" in r.stderr and "Traceback" not in r.stderr
    assert sqlite_cli("case", "show", "2025-0001", "--json").json()["stage"] == "registered"
