"""Backup and restore, exactly as the README tells an administrator to do it, on both engines: the restored
register shows the same cases, history, report and documents, and its history still verifies."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, Cli
from tests.security.conftest import _drop


def _register(cli: Cli, docs: Path) -> None:
    cli("agency", "set", "default", "--name", "某县住房和城乡建设局", "--reconsideration-body", "某县人民政府",
        "--court", "某县人民法院", "--fee-payment-route", "通过非税收入缴款码缴入国库")
    a = cli.new_case("2025-03-03", "张三", "2024年老旧小区改造项目清单", "--id-number", "110101199003074477",
                     "--phone", "13812345678")
    b = cli.new_case("2025-03-04", "[/bold]李四[red]")
    cli("case", "act", a, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "电子邮件")
    cli("case", "act", a, "submit", "--on", "2025-03-11")
    cli("case", "act", b, "fee-notice", "--on", "2025-03-12", "--amount", "100")
    docs.mkdir(exist_ok=True)
    cli("doc", a, "receipt", "-o", str(docs))


def _snapshot(cli: Cli) -> dict[str, Any]:
    numbers = [r["number"] for r in cli("case", "list", "--json").json()]
    return {
        "cases": {n: cli("case", "show", n, "--json", "--reveal").json() for n in numbers},
        "stats": cli("stats", "--year", "2025", "--format", "json").json(),
        "agency": cli("agency", "show", "--json").json(),
    }


def test_sqlite_backup_and_restore(sqlite_cli: Cli, tmp_path: Path) -> None:
    _register(sqlite_cli, tmp_path / "docs")
    before = _snapshot(sqlite_cli)
    backup = tmp_path / "backups" / "zwgk-2025-03-20.db"
    backup.parent.mkdir()
    sqlite_cli("backup", "-o", str(backup))
    # README: check the backup, move the damaged register aside with its -wal/-shm, copy the backup in place
    assert Cli(str(backup))("verify").exit_code == 0
    live = Path(sqlite_cli.url)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for p in (live, Path(f"{live}-wal"), Path(f"{live}-shm")):
        if p.exists():
            shutil.move(p, damaged / p.name)
    shutil.copy2(backup, live)
    assert sqlite_cli("verify").exit_code == 0
    assert _snapshot(sqlite_cli) == before


@pytest.mark.postgres
def test_postgresql_backup_and_restore(pg_url: str, tmp_path: Path) -> None:
    from zwgk_tui.persistence.database import pg_client_env

    if not shutil.which("pg_restore"):
        pytest.skip("pg_restore not installed")
    cli = Cli(pg_url)
    _register(cli, tmp_path / "docs")
    before = _snapshot(cli)
    dump = tmp_path / "zwgk.dump"
    cli("backup", "-o", str(dump))
    # README: restore into a new database as the owner, without the old ownership and grants, then `init`
    restored = "zwgk_r_" + uuid.uuid4().hex[:10]
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{restored}"'))
    admin.dispose()
    target = make_url(pg_url).set(database=restored)
    try:
        env, cleanup = pg_client_env(target)
        try:
            r = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname",
                                restored, str(dump)], check=False, capture_output=True, text=True, env=env)
        finally:
            cleanup()
        assert r.returncode == 0, r.stderr
        copy = Cli(target.render_as_string(hide_password=False))
        r = copy("init")
        assert r.stderr == ""  # every trigger came back with the restore
        assert copy("verify").exit_code == 0
        assert _snapshot(copy) == before
    finally:
        _drop(restored, [])
