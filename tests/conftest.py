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

# What each outcome must record at decide (spec 09; domain/decision.py): enough for tests that are not about evidence.
EVIDENCE: dict[str, tuple[str, ...]] = {
    "disclosed": ("--provision", "当面领取"),
    "partially_disclosed": ("--provided", "项目批复", "--withheld", "内部讨论记录", "--ground", "process_info",
                            "--kind-of-info", "讨论记录", "--provision", "当面领取"),
    "withheld_process_info": ("--kind-of-info", "请示报告"),
    "withheld_internal_affairs": ("--kind-of-info", "人事管理信息"),
    "withheld_third_party": ("--reason", "涉及第三方商业秘密"),
    "unavailable_needs_creation": ("--reason", "需对多年数据进行汇总分析"),
    "unavailable_not_held": ("--searched", "本机关档案室|审批文件|经办人|2025-08-28"),
    "not_processed_petition": ("--reason", "属于投诉举报，已转信访渠道"),
}



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

    def new_case(self, received: str = "2025-03-03", applicant: str = "张三",
                 content: str = "2024年老旧小区改造项目清单", *extra: str, **kw: Any) -> str:
        r = self("case", "new", "--applicant", applicant, "--applicant-type", kw.get("type", "natural_person"),
                 "--channel", kw.get("channel", "in_person"), "--received", received, "--content", content, *extra,
                 today=kw.get("today"), user=kw.get("user"))
        return r.stdout.strip()


    def set_up_agency(self, code: str = "default", user: str | None = None) -> None:
        """The agency details every issued letter needs (a letter is never issued as "本机关")."""
        self("init", user=user)
        self("agency", "set", code, "--name", "某县住房和城乡建设局", "--short-name", "某县住建",
             "--reconsideration-body", "某县人民政府", "--court", "某县人民法院",
             "--fee-payment-route", "通过非税收入缴款码缴入国库",
             "--reconsideration-online", "某县人民政府行政复议网上申请平台", user=user)

    def deliver(self, number: str, on: str, *extra: str, user: str | None = None, **kw: Any) -> Run:
        """Deliver a signed decision with a reply recorded as made outside the tool (tests that are not about
        documents); the reply's date is the delivery date, which also makes its 文号 unique (a re-reply after a
        reopen gets a number of its own)."""
        return self("case", "act", number, "deliver", "--on", on, "--reply-number",
                    f"外答〔{on[:4]}〕{number}-{on[5:7]}{on[8:]}号",
                    "--reply-date", on, *extra, user=user, **kw)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def sqlite_cli(sqlite_url: str) -> Cli:
    return Cli(sqlite_url)
