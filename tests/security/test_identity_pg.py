"""PostgreSQL identities are database logins, checked against the real server (.ci/run starts it).

A clerk's login cannot approve, cannot act as anyone else, cannot edit or delete the history, cannot switch the
protecting triggers off, cannot give itself a role; the server stamps every event with the login that wrote it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.security.conftest import PgLogins, sql

pytestmark = pytest.mark.postgres

NEW = ("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
       "--received", "2025-03-03", "--content", "2024年老旧小区改造项目清单")


def _office(logins: PgLogins) -> dict[str, str]:
    logins.owner("init")
    who = {"admin": logins.add("admin", "admin")}
    for role in ("clerk", "office", "legal", "head"):
        who[role] = logins.add(role, role, as_user=who["admin"] if role != "clerk" else None)
    return who


def _raw(url: str, statement: str, **params: object) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        engine.dispose()


def test_a_clerk_login_works_its_own_cases_and_nothing_more(logins: PgLogins) -> None:
    who = _office(logins)
    clerk = logins.cli(who["clerk"])
    number = clerk(*NEW).stdout.strip()
    clerk("case", "act", number, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取")
    clerk("case", "act", number, "submit", "--on", "2025-03-11")
    # cannot approve: the roles are the server's group memberships
    r = clerk("case", "act", number, "approve", "--on", "2025-03-12", ok=False)
    assert r.exit_code == 3 and "office" in r.stderr
    # cannot act as another user, by option or environment
    r = clerk("--user", who["office"], "case", "act", number, "approve", "--on", "2025-03-12", ok=False)
    assert r.exit_code == 3 and f"数据库登录名“{who['clerk']}”" in r.stderr
    r = clerk("case", "act", number, "approve", "--on", "2025-03-12", user=who["office"], ok=False)
    assert r.exit_code == 3
    # naming oneself is fine
    assert clerk("case", "show", number, "--json", user=who["clerk"]).json()["stage"] == "office_review"
    # the reviewers approve with their own logins; the history names each login
    logins.cli(who["office"])("case", "act", number, "approve", "--on", "2025-03-12")
    logins.cli(who["legal"])("case", "act", number, "approve", "--on", "2025-03-13")
    logins.cli(who["head"])("case", "act", number, "sign", "--on", "2025-03-14")
    clerk("case", "act", number, "deliver", "--on", "2025-03-17", "--method", "in_person", "--reply-number",
          "某答〔2025〕1号", "--reply-date", "2025-03-14")
    view = clerk("case", "show", number, "--json").json()
    assert [(e["action"], e["by"], e["recorded_by"]) for e in view["events"]] == [
        ("register", who["clerk"], who["clerk"]), ("decide", who["clerk"], who["clerk"]),
        ("submit", who["clerk"], who["clerk"]), ("approve", who["office"], who["office"]),
        ("approve", who["legal"], who["legal"]), ("sign", who["head"], who["head"]),
        ("deliver", who["clerk"], who["clerk"])]
    assert clerk("verify").exit_code == 0
    # user and agency management need the admin role
    r = clerk("user", "add", logins.name("x"), "--role", "clerk", ok=False)
    assert r.exit_code == 3
    r = clerk("agency", "set", "default", "--name", "别的机关", ok=False)
    assert r.exit_code == 3


def test_direct_sql_cannot_rewrite_history_or_grant_roles(logins: PgLogins) -> None:
    who = _office(logins)
    clerk = logins.cli(who["clerk"])
    number = clerk(*NEW).stdout.strip()
    url = logins.url(who["clerk"])
    refused = [
        "UPDATE events SET comment = 'x'",
        "DELETE FROM events",
        "TRUNCATE events",
        "ALTER TABLE events DISABLE TRIGGER events_append_only",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "DROP TRIGGER events_stamp_actor ON events",
        "DELETE FROM cases",
        "UPDATE user_roles SET role = 'admin'",
        f"INSERT INTO user_roles (user_id, role) SELECT id, 'office' FROM users WHERE name = '{who['clerk']}'",
        f"GRANT \"{logins.pg_database}_office\" TO \"{who['clerk']}\"",
        "CREATE TABLE mine (x int)",
        "CREATE TEMP TABLE pg_roles (rolname name, rolsuper bool)",
        # a step the login's roles do not allow, written past the application
        ("INSERT INTO events (case_id, action, on_date, at, actor, comment, data, before, after) VALUES "
         "(1, 'approve', '2025-03-12', now(), 'someone', '', '{}', '{\"stage\": \"office_review\"}', '{}')"),
    ]
    for statement in refused:
        with pytest.raises(DBAPIError):
            _raw(url, statement)
    # an allowed step written by hand is stamped with the login, whatever name the client sends
    _raw(url, "INSERT INTO events (case_id, action, on_date, at, actor, recorded_by, comment, data, before, after) "
              "VALUES (1, 'decide', '2025-03-10', now(), 'head-of-office', 'nobody', '', '{}', "
              "'{\"stage\": \"registered\"}', '{}')")
    rows = sql(logins.owner_url, "SELECT actor, recorded_by FROM events WHERE action = 'decide'")
    assert rows == [(who["clerk"], who["clerk"])]
    # … and verify shows it was not written through the application (no chain value)
    r = clerk("verify", ok=False)
    assert r.exit_code == 1 and number in r.stdout and "没有校验值" in r.stdout
    # the clerk can still change a case row — which verify then names
    _raw(url, "UPDATE cases SET outcome = 'disclosed', stage = 'closed'")
    r = clerk("verify", ok=False)
    assert "案件被直接修改过" in r.stdout


def test_passwords_are_checked_and_can_be_changed(logins: PgLogins) -> None:
    who = _office(logins)
    clerk = logins.cli(who["clerk"])
    clerk("case", "list")
    if _server_trusts_everyone(logins, who["clerk"]):
        pytest.skip("this server accepts any password on 127.0.0.1 (trust); .ci/start-postgres sets scram-sha-256")
    wrong = logins.cli(who["clerk"])
    wrong.url = logins.url(who["clerk"], "wrong")
    r = wrong("case", "list", ok=False)
    assert r.exit_code == 3 and "用户名或密码不正确" in r.stderr and "wrong" not in r.stderr
    # a user changes their own password; the old one stops working
    new_pw = logins.password_file(who["clerk"] + "-new", "new-secret")
    clerk("user", "password", who["clerk"], "--password-file", new_pw)
    assert clerk("case", "list", ok=False).exit_code == 3
    fresh = logins.cli(who["clerk"])
    fresh.url = logins.url(who["clerk"], "new-secret")
    fresh("case", "list")


def _server_trusts_everyone(logins: PgLogins, login: str) -> bool:
    engine = create_engine(logins.url(login, "certainly-not-the-password"))
    try:
        with engine.connect():
            return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def test_the_owner_may_act_for_a_user_and_is_recorded(logins: PgLogins) -> None:
    who = _office(logins)
    number = logins.owner(*NEW, user=who["clerk"]).stdout.strip()
    view = logins.owner("case", "show", number, "--json", user=who["clerk"]).json()
    owner_login = sql(logins.owner_url, "SELECT session_user::text")[0][0]
    assert (view["events"][0]["by"], view["events"][0]["recorded_by"]) == (who["clerk"], owner_login)
    text_view = logins.owner("case", "show", number, user=who["clerk"]).stdout
    assert f"{who['clerk']}（由 {owner_login} 代为操作）" in text_view
    # a user that is not registered cannot be named, even by the owner
    r = logins.owner("case", "list", user="nobody-registered", ok=False)
    assert r.exit_code == 3


def test_a_user_without_password_gets_no_login_until_one_is_set(logins: PgLogins) -> None:
    who = _office(logins)
    late = logins.name("late")
    logins.created.append(late)
    r = logins.owner("user", "add", late, "--role", "clerk", user=who["admin"])
    assert "尚未建立数据库登录" in r.stderr
    assert sql(logins.owner_url, "SELECT count(*) FROM pg_roles WHERE rolname = :n", n=late) == [(0,)]
    admin = logins.cli(who["admin"])
    admin("user", "password", late, "--password-file", logins.password_file(late))
    logins.cli(late)(*NEW)
    # an existing database role is never taken over
    r = admin("user", "add", "postgres", "--role", "clerk", "--password-file", logins.password_file("x"), ok=False)
    assert r.exit_code == 2 and "已有名为“postgres”的登录角色" in r.stderr


def test_backup_keeps_the_password_off_the_command_line(logins: PgLogins, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    who = _office(logins)
    clerk = logins.cli(who["clerk"])
    clerk(*NEW)
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(args: list[str], **kw: object) -> object:
        seen.append((list(args), dict(kw.get("env") or {})))  # type: ignore[arg-type]
        return real_run(args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", spy)
    out = tmp_path / "b.dump"
    r = clerk("backup", "-o", str(out))
    assert r.exit_code == 0
    (args, env), = seen
    password = f"pw-{who['clerk']}"
    assert password not in " ".join(args) and "PGPASSWORD" not in env
    assert env["PGPASSFILE"] and not Path(env["PGPASSFILE"]).exists()  # removed after use
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_replaced_protective_function_is_found_and_restored(logins: PgLogins) -> None:
    who = _office(logins)
    clerk = logins.cli(who["clerk"])
    clerk(*NEW)
    # the owner could neuter the server's stamping: verify notices, init puts it back
    sql(logins.owner_url, "CREATE OR REPLACE FUNCTION public.zwgk_stamp_actor() RETURNS trigger LANGUAGE plpgsql "
                          "AS $$ BEGIN RETURN NEW; END $$")
    r = clerk("verify", ok=False)
    assert r.exit_code == 1 and "防篡改函数 zwgk_stamp_actor" in r.stdout
    logins.owner("init")
    assert clerk("verify").exit_code == 0
    # init is the owner's: an ordinary login is told so
    r = clerk("init", ok=False)
    assert r.exit_code == 3 and "所有者" in r.stderr
