"""Fixtures for the security suite: logins on the real PostgreSQL server (unique names, dropped afterwards — roles
are cluster-wide and the server is shared), an operating-system login chosen per test on SQLite, and a fingerprint
of a whole database to prove that a refused command wrote nothing."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, Cli
from zwgk_tui.persistence.database import resolve_url


def fingerprint(url: str) -> str:
    """A digest of every row of every table: equal before and after means nothing was written."""
    engine = create_engine(resolve_url(url))
    digest = hashlib.sha256()
    try:
        with engine.connect() as conn:
            for table in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                for row in sorted(repr(tuple(r)) for r in rows):
                    digest.update(table.encode() + row.encode())
    finally:
        engine.dispose()
    return digest.hexdigest()


def is_pg(url: str) -> bool:
    return url.startswith("postgresql")


def sql(url: str, statement: str, **params: Any) -> list[Any]:
    engine = create_engine(resolve_url(url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def os_login(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the operating-system login the program sees (SQLite identities): os_login("zhang")."""
    from zwgk_tui.services import context

    def set_login(name: str) -> None:
        monkeypatch.setattr(context, "os_login", lambda: name)

    set_login("owner")
    return set_login


class PgLogins:
    """Creates this test's login roles through `zwgk-tui user add … --password-file` and drops them (and the
    database's group roles) at the end."""

    def __init__(self, owner_url: str, tmp: Path):
        self.owner_url = owner_url
        self.tag = "zt" + uuid.uuid4().hex[:8]
        self.tmp = tmp
        self.created: list[str] = []
        self.owner = LoginCli(owner_url)

    @property
    def pg_database(self) -> str:
        return str(make_url(self.owner_url).database)

    def name(self, short: str) -> str:
        return f"{self.tag}_{short}"

    def password_file(self, name: str, password: str | None = None) -> str:
        path = self.tmp / f"{name}.pw"
        path.write_text((password or f"pw-{name}") + "\n", encoding="utf-8")
        path.chmod(0o600)
        return str(path)

    def add(self, short: str, *roles: str, agency: str | None = None, as_user: str | None = None) -> str:
        login = self.name(short)
        args = ["user", "add", login, "--role", *roles, "--password-file", self.password_file(login)]
        if agency:
            args += ["--agency", agency]
        self.created.append(login)
        self.owner(*args, user=as_user)
        return login

    def url(self, login: str, password: str | None = None) -> str:
        u = make_url(self.owner_url).set(username=login, password=password or f"pw-{login}")
        return u.render_as_string(hide_password=False)

    def cli(self, login: str) -> Cli:
        return LoginCli(self.url(login))

    def cleanup(self) -> None:
        _drop(None, self.created)


def _drop(database: str | None, roles: list[str]) -> None:
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if database:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        for role in roles:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


class LoginCli(Cli):
    """A clerk's own connection: no ZWGK_USER (the login is the identity)."""

    def __call__(self, *args: str, today: str | None = None, user: str | None = None, ok: bool = True,
                 input: str | None = None) -> Any:
        from tests.conftest import Run
        from zwgk_tui.cli.main import app

        env = {"ZWGK_DB": self.url, "ZWGK_TODAY": today or self.today, "ZWGK_USER": user or ""}
        result = self.runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)
        run = Run(result.exit_code, result.stdout, result.stderr)
        if ok and run.exit_code != 0:
            raise AssertionError(f"zwgk-tui {' '.join(args)} → {run.exit_code}\n{run.stdout}\n{run.stderr}")
        return run


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """A fresh PostgreSQL database (owner: the superuser of ZWGK_TEST_PG_URL)."""
    import os

    if not PG_URL:
        if os.environ.get("ZWGK_REQUIRE_PG"):
            pytest.fail("ZWGK_REQUIRE_PG is set but ZWGK_TEST_PG_URL is not")
        pytest.skip("PostgreSQL not configured (set ZWGK_TEST_PG_URL; .ci/start-postgres starts one)")
    name = "zwgk_s_" + uuid.uuid4().hex[:10]
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    # The database first (it holds the group roles' grants), then the groups its set-up created.
    _drop(name, [f"{name}_{r}" for r in ("clerk", "office", "legal", "head", "admin", "app")])


@pytest.fixture
def logins(pg_url: str, tmp_path: Path) -> Iterator[PgLogins]:
    from zwgk_tui.persistence import database

    helper = PgLogins(pg_url, tmp_path)
    yield helper
    database._migrated.clear()
    helper.cleanup()
