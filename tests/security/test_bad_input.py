"""Every bad input gets a Chinese message, exit 2/3/4, and nothing written — the cases the adversarial run found."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.security.conftest import fingerprint, sql
from zwgk_tui.domain import validation as v

NEW = ["case", "new", "--applicant-type", "natural_person", "--channel", "in_person", "--received", "2025-03-03",
       "--content", "2024年老旧小区改造项目清单"]


def _no_trace(r: object) -> None:
    text = getattr(r, "stdout", "") + getattr(r, "stderr", "")
    assert "Traceback" not in text and "[SQL" not in text and "parameters" not in text


def test_field_limits_are_the_same_on_both_engines(cli: Cli) -> None:
    n = cli.new_case("2025-03-03")
    rows = fingerprint(cli.url)
    cases = [
        (["--applicant", "张" * 201], "申请人姓名或名称共 201 字，超过 200 字的上限"),
        (["--applicant", "张三", "--address", "路" * 301], "通信地址共 301 字，超过 300 字的上限"),
        (["--applicant", "张三", "--postcode", "1" * 21], "邮政编码“111111111111111111111”格式不正确：应为6位数字"),
        (["--applicant", "张三", "--postcode", "12"], "邮政编码“12”格式不正确：应为6位数字"),
        (["--applicant", "张三", "--items", "3000000000"], "超出范围"),
    ]
    for extra, message in cases:
        r = cli(*NEW, *extra, ok=False)
        assert r.exit_code == 2 and message in r.stderr, (extra, r.stderr)
        _no_trace(r)
    for amount, message in (("99999999999999999999", "超出范围"),
                            ("3000000000", "--amount（金额（元）） 3000000000 超出范围：应为 0 至 10,000,000"),
                            ("20000000", "--amount（金额（元）） 20000000 超出范围：应为 0 至 10,000,000"),
                            ("-5", "--amount（金额（元）） -5 超出范围：应为 0 至 10,000,000")):
        r = cli("case", "act", n, "fee-notice", "--on", "2025-03-05", "--amount", amount, ok=False)
        assert r.exit_code == 2 and message in r.stderr, (amount, r.stderr)
        _no_trace(r)
    assert fingerprint(cli.url) == rows


def test_schema_lengths_equal_the_domain_limits() -> None:
    from zwgk_tui.persistence.models import Base

    for key, limit in v.FIELD_LIMITS.items():
        table, column = key.split(".")
        col = Base.metadata.tables[table].c[column]
        length = getattr(col.type, "length", None)
        if limit.max_chars is not None and length is not None:
            assert length == limit.max_chars, key


def test_invalid_utf8_arguments_are_refused(tmp_path: Path) -> None:
    env = {**os.environ, "ZWGK_DB": str(tmp_path / "z.db"), "ZWGK_TODAY": "2025-03-20"}
    args = [sys.executable, "-m", "zwgk_tui", "case", "new", "--applicant", b"\xff\xfe\xe5".decode("utf-8",
            "surrogateescape"), "--applicant-type", "natural_person", "--channel", "in_person", "--received",
            "2025-03-03", "--content", "某文件"]
    r = subprocess.run([a.encode("utf-8", "surrogateescape") for a in args], check=False, capture_output=True, env=env)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "不是有效的 UTF-8" in err and "Traceback" not in err


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    doc = tmp_path / "reply.docx"
    doc.write_bytes(b"PK\x03\x04 this is a Word file")
    r = Cli(str(doc))("case", "list", ok=False)
    assert r.exit_code == 2 and "不是 zwgk-tui 的数据库" in r.stderr
    _no_trace(r)
    assert doc.read_bytes() == b"PK\x03\x04 this is a Word file"


def test_a_folder_where_no_database_can_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = Cli(str(blocker / "sub" / "z.db"))("case", "list", ok=False)
    assert r.exit_code == 2 and "无法建立数据库目录" in r.stderr
    _no_trace(r)
    if os.getuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        r = Cli(str(locked / "z.db"))("case", "list", ok=False)
        assert r.exit_code == 2


def test_a_database_from_a_newer_version_is_left_alone(cli: Cli) -> None:
    cli.new_case("2025-03-03")
    sql(cli.url, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    from zwgk_tui.persistence import database

    database._migrated.clear()  # as a fresh process sees it (this one opened the database before)
    rows = fingerprint(cli.url)
    r = cli("case", "list", ok=False)
    assert r.exit_code == 2 and "更新版本的 zwgk-tui" in r.stderr and "9999_from_the_future" in r.stderr
    _no_trace(r)
    assert fingerprint(cli.url) == rows


def test_markup_in_an_applicant_name_prints_literally(cli: Cli) -> None:
    name = "[/bold]李四[red]"
    n = cli(*NEW, "--applicant", name).stdout.strip()
    listing = cli("case", "list")
    assert name in listing.stdout
    shown = cli("case", "show", n)
    assert f"申请人：{name}（自然人）" in shown.stdout
    emoji = cli(*NEW, "--applicant", ":warning: 王五").stdout.strip()
    assert ":warning: 王五" in cli("case", "show", emoji).stdout


def test_read_only_commands_take_no_write_lock(sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_cli.new_case("2025-03-03")
    from zwgk_tui.persistence import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(sqlite_cli.url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another clerk is in the middle of a step
    try:
        for args in (("agency", "show"), ("agency", "list"), ("user", "list"), ("case", "list"), ("verify",),
                     ("case", "show", "2025-0001")):
            t0 = time.perf_counter()
            r = sqlite_cli(*args)
            assert r.exit_code == 0 and time.perf_counter() - t0 < 5, args
    finally:
        holder.rollback()
        holder.close()


def test_agency_show_on_a_new_database_writes_nothing(sqlite_cli: Cli) -> None:
    sqlite_cli("case", "list")
    rows = fingerprint(sqlite_cli.url)
    assert "机关全称（name）：本机关" in sqlite_cli("agency", "show").stdout
    assert fingerprint(sqlite_cli.url) == rows


def test_demo_never_mixes_with_real_cases(sqlite_cli: Cli, tmp_path: Path) -> None:
    sqlite_cli.new_case("2025-03-03")
    rows = fingerprint(sqlite_cli.url)
    r = sqlite_cli("demo", "--cases", "50", ok=False, today="2026-06-30")
    assert r.exit_code == 2 and "1 件真实案件" in r.stderr and "--into-new" in r.stderr
    assert fingerprint(sqlite_cli.url) == rows
    target = tmp_path / "demo.db"
    r = sqlite_cli("demo", "--cases", "50", "--into-new", str(target), today="2026-06-30")
    assert r.exit_code == 0 and target.exists()
    assert fingerprint(sqlite_cli.url) == rows
    # a demo register takes more demo data; --into-new never overwrites
    Cli(str(target))("demo", "--cases", "20", "--seed", "2", today="2026-06-30")
    r = sqlite_cli("demo", "--cases", "5", "--into-new", str(target), ok=False)
    assert r.exit_code == 2 and "已存在" in r.stderr


def test_database_errors_never_echo_parameters(db_url: str) -> None:
    """A fault the checks did not foresee: the driver's message, without the statement or its values."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from zwgk_tui.persistence.database import describe_db_error, open_database
    from zwgk_tui.tui.common import error_text

    db = open_database(db_url)
    secret = "110101199003074477"
    try:
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO applicants (id, name, type, id_number, phone, email, address, postcode) "
                              "VALUES (1, 'a', 'natural_person', :s, '', '', '', '')"), {"s": secret})
            conn.execute(text("INSERT INTO applicants (id, name, type, id_number, phone, email, address, postcode) "
                              "VALUES (1, 'a', 'natural_person', :s, '', '', '', '')"), {"s": secret})
    except DBAPIError as exc:
        assert secret not in str(exc)  # hide_parameters
        assert secret not in describe_db_error(exc) and secret not in error_text(exc)
        assert "INSERT" not in error_text(exc)
    else:
        pytest.fail("the duplicate key was accepted")
    finally:
        db.dispose()
