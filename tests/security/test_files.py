"""Private files and outputs that never clobber: the database and its side files, backups, exports and documents
are owner-only; `-o` refuses the live database, any SQLite file, and an existing file without --force; a directory
gets the default file name."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.security.conftest import fingerprint


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _decided(cli: Cli) -> str:
    cli("agency", "set", "default", "--name", "某县住房和城乡建设局", "--reconsideration-body", "某县人民政府",
        "--court", "某县人民法院")
    n = cli.new_case("2025-03-03")
    cli("case", "act", n, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "电子邮件发送")
    for step in ("submit", "approve", "approve", "sign"):  # a reply is issued once signed (issue 10)
        cli("case", "act", n, step, "--on", "2025-03-11")
    return n


def test_database_side_files_and_data_folder_are_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ZWGK_DB", raising=False)
    from zwgk_tui.persistence.database import default_db_path, open_database

    db = open_database(None)  # the default place: created on first use
    path = default_db_path()
    assert path.is_relative_to(tmp_path) and mode(path) == 0o600 and mode(path.parent) == 0o700
    with db.engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x int)")
        conn.exec_driver_sql("INSERT INTO probe VALUES (1)")
        conn.commit()
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            assert side.exists() and mode(side) == 0o600, suffix
    db.dispose()


def test_an_old_world_readable_database_is_made_private(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    sqlite3.connect(old).close()
    os.chmod(old, 0o644)
    Cli(str(old))("case", "list")
    assert mode(old) == 0o600


def test_backups_exports_and_documents_are_owner_only(sqlite_cli: Cli, tmp_path: Path) -> None:
    n = _decided(sqlite_cli)
    sqlite_cli("backup", "-o", str(tmp_path / "b.db"))
    sqlite_cli("doc", n, "reply", "-o", str(tmp_path / "r.docx"))
    sqlite_cli("stats", "--year", "2025", "-o", str(tmp_path / "s.xlsx"), today="2026-01-05")
    sqlite_cli("stats", "--year", "2025", "-o", str(tmp_path / "s.csv"), today="2026-01-05")
    for name in ("b.db", "r.docx", "s.xlsx", "s.csv"):
        assert mode(tmp_path / name) == 0o600, name


def test_outputs_never_overwrite_the_live_database(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    n = _decided(cli)
    if cli.url.startswith("postgresql"):
        # PostgreSQL has no file to protect; any other SQLite file is refused the same way.
        target = tmp_path / "z.db"
        sqlite3.connect(target).execute("CREATE TABLE t (x)").connection.commit()
    else:
        target = Path(cli.url)
    before = target.read_bytes()
    rows = fingerprint(cli.url)
    for args in (("doc", n, "reply", "-o", str(target)), ("doc", n, "reply", "-o", str(target), "--force"),
                 ("stats", "--year", "2025", "--format", "xlsx", "-o", str(target), "--force"),
                 ("stats", "--year", "2025", "--format", "csv", "-o", str(target))):
        r = cli(*args, today="2026-01-05", ok=False)
        assert r.exit_code == 2 and "数据库" in r.stderr and "Traceback" not in r.stderr, args
    if not cli.url.startswith("postgresql"):
        for side in ("-wal", "-shm"):
            r = cli("doc", n, "reply", "-o", f"{target}{side}", "--force", ok=False)
            assert r.exit_code == 2 and "正在使用的数据库" in r.stderr
        monkeypatch.chdir(target.parent)
        r = cli("stats", "--year", "2025", "--format", "csv", "-o", target.name, today="2026-01-05", ok=False)
        assert r.exit_code == 2
    assert target.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"
    assert fingerprint(cli.url) == rows  # no document number used, nothing stored
    assert cli("verify").exit_code == 0


def test_existing_files_need_force_and_folders_get_the_default_name(sqlite_cli: Cli, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    n = _decided(sqlite_cli)
    out = tmp_path / "out"
    out.mkdir()
    r = sqlite_cli("doc", n, "reply", "-o", str(out))
    first = Path(r.stdout.strip())
    assert first.parent == out and first.name.endswith(".docx") and first.name != "out"
    # the same document again: the bytes are identical, nothing to clobber
    assert Path(sqlite_cli("doc", n, "reply", "-o", str(out)).stdout.strip()) == first
    other = out / "notes.docx"
    other.write_bytes(b"my own notes")
    r = sqlite_cli("doc", n, "reply", "-o", str(other), ok=False)
    assert r.exit_code == 2 and "已存在" in r.stderr and "--force" in r.stderr
    assert other.read_bytes() == b"my own notes"
    sqlite_cli("doc", n, "reply", "-o", str(other), "--force")
    assert other.read_bytes()[:2] == b"PK"
    r = sqlite_cli("stats", "--year", "2025", "--format", "csv", "-o", str(out), today="2026-01-05")
    assert Path(r.stdout.strip()) == out / "年度报告统计-2025.csv"
    r = sqlite_cli("stats", "--year", "2025", "--format", "csv", "-o", str(out), today="2026-01-05", ok=False)
    assert r.exit_code == 2 and "--force" in r.stderr
    r = sqlite_cli("stats", "--year", "2025", "--format", "csv", "-o", str(tmp_path / "nodir") + "/",
                   today="2026-01-05", ok=False)
    assert r.exit_code == 2 and "不存在" in r.stderr
    # backups: a folder gets a dated name; an old backup is replaced only with --force
    r = sqlite_cli("backup", "-o", str(out))
    backup = Path(r.stdout.strip().removeprefix("已备份到 "))
    assert backup.parent == out and backup.name.startswith("zwgk-backup-")
    r = sqlite_cli("backup", "-o", str(backup), ok=False)
    assert r.exit_code == 2 and "--force" in r.stderr
    sqlite_cli("backup", "-o", str(backup), "--force")


def test_a_symlink_to_the_database_is_still_the_database(sqlite_cli: Cli, tmp_path: Path) -> None:
    n = _decided(sqlite_cli)
    link = tmp_path / "innocent.docx"
    link.symlink_to(sqlite_cli.url)
    r = sqlite_cli("doc", n, "reply", "-o", str(link), "--force", ok=False)
    assert r.exit_code == 2 and Path(sqlite_cli.url).read_bytes()[:6] == b"SQLite"
