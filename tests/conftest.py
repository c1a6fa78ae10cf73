"""Shared fixtures: every database test runs on SQLite and, when ZWGK_TEST_PG_URL is set (as .ci/run does), on a
fresh PostgreSQL database too."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

PG_URL = os.environ.get("ZWGK_TEST_PG_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "zwgk.db")
        return
    if not PG_URL:
        if os.environ.get("ZWGK_REQUIRE_PG"):
            pytest.fail("ZWGK_REQUIRE_PG is set but ZWGK_TEST_PG_URL is not")
        pytest.skip("PostgreSQL not configured (set ZWGK_TEST_PG_URL; .ci/start-postgres starts one)")
    name = "zwgk_t_" + uuid.uuid4().hex[:12]
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return str(tmp_path / "zwgk.db")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    """Runs `zwgk-tui` in-process against one database, with a fixed 'today'."""

    def __init__(self, url: str, today: str = "2025-03-20"):
        self.url = url
        self.today = today
        self.runner = CliRunner()

    def __call__(self, *args: str, today: str | None = None, user: str | None = None, ok: bool = True,
                 input: str | None = None) -> Run:
        from zwgk_tui.cli.main import app

        env = {"ZWGK_DB": self.url, "ZWGK_TODAY": today or self.today, "ZWGK_USER": user or "clerk1"}
        result = self.runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)
        run = Run(result.exit_code, result.stdout, result.stderr)
        if ok and run.exit_code != 0:
            raise AssertionError(f"zwgk-tui {' '.join(args)} → {run.exit_code}\n{run.stdout}\n{run.stderr}")
        return run

    def new_case(self, received: str = "2025-03-03", applicant: str = "张三", content: str = "2024年老旧小区改造项目清单",
                 *extra: str, **kw: Any) -> str:
        r = self("case", "new", "--applicant", applicant, "--applicant-type", kw.get("type", "natural_person"),
                 "--channel", kw.get("channel", "in_person"), "--received", received, "--content", content, *extra,
                 today=kw.get("today"), user=kw.get("user"))
        return r.stdout.strip()


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def sqlite_cli(sqlite_url: str) -> Cli:
    return Cli(sqlite_url)
