"""SQLite: the acting user is the operating-system login mapped to a registered user. --user may name only
oneself, or anyone for an administrator — and then the history says who really acted."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cli

NEW = ("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
       "--received", "2025-03-03", "--content", "2024年老旧小区改造项目清单")


@pytest.fixture
def office(sqlite_cli: Cli, os_login: Any) -> Cli:
    """An office on one SQLite file: admin wang (login "wang"), clerk li, reviewer zhao, head chen."""
    os_login("wang")
    sqlite_cli("user", "add", "wang", "--role", "admin", user="wang")
    sqlite_cli("user", "add", "li", "--role", "clerk", "--login", "li", user="wang")
    sqlite_cli("user", "add", "zhao", "--role", "office", "legal", user="wang")  # login defaults to the name
    sqlite_cli("user", "add", "chen", "--role", "head", user="wang")
    return sqlite_cli


def test_the_login_is_the_identity_and_names_are_no_longer_claims(office: Cli, os_login: Any) -> None:
    os_login("li")
    number = office(*NEW, user="li").stdout.strip()
    office("case", "act", number, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取",
           user="li")
    office("case", "act", number, "submit", "--on", "2025-03-11", user="li")
    # the clerk's login cannot approve as the reviewer, sign as the head, or reopen as the admin
    for claimed, step in (("zhao", "approve"), ("chen", "sign"), ("wang", "reopen")):
        extra = ("--reason", "x") if step == "reopen" else ()
        r = office("case", "act", number, step, "--on", "2025-03-12", *extra, user=claimed, ok=False)
        assert r.exit_code == 3 and "只有管理员可以代他人操作" in r.stderr, (claimed, r.stderr)
    # without --user the login acts as itself
    r = office("case", "act", number, "approve", "--on", "2025-03-12", user="li", ok=False)
    assert r.exit_code == 3 and "需要角色 office" in r.stderr
    os_login("zhao")
    office("case", "act", number, "approve", "--on", "2025-03-12", user="zhao")
    view = office("case", "show", number, "--json", user="zhao").json()
    assert [(e["by"], e["recorded_by"]) for e in view["events"]] == [
        ("li", "li"), ("li", "li"), ("li", "li"), ("zhao", "zhao")]


def test_an_admin_may_act_for_a_user_and_the_history_says_so(office: Cli, os_login: Any) -> None:
    os_login("wang")
    number = office(*NEW, user="li").stdout.strip()
    view = office("case", "show", number, "--json", user="wang").json()
    assert (view["events"][0]["by"], view["events"][0]["recorded_by"]) == ("li", "wang")
    assert "li（由 wang 代为操作）" in office("case", "show", number, user="wang").stdout
    # acting as li, the admin has li's roles only
    r = office("user", "add", "x", "--role", "clerk", user="li", ok=False)
    assert r.exit_code == 3


def test_unmapped_logins_and_unregistered_names_get_nothing(office: Cli, os_login: Any) -> None:
    os_login("stranger")
    for args in (("case", "list"), ("user", "list"), ("agency", "list"), ("agency", "show"), ("verify",),
                 ("stats", "--year", "2025", "--format", "json")):
        r = office(*args, user="wang", ok=False)
        assert r.exit_code == 3 and "本机登录名“stranger”" in r.stderr, args
    os_login("wang")
    for args in (("case", "list"), ("user", "list"), ("agency", "list"), ("verify",)):
        r = office(*args, user="nobody", ok=False)
        assert r.exit_code == 3 and "nobody" in r.stderr, args


def test_backup_needs_a_registered_user(office: Cli, os_login: Any, tmp_path: Any) -> None:
    os_login("stranger")
    r = office("backup", "-o", str(tmp_path / "b.db"), user="wang", ok=False)
    assert r.exit_code == 3 and not (tmp_path / "b.db").exists()


def test_first_user_is_the_login_setting_up_and_logins_map_once(sqlite_cli: Cli, os_login: Any) -> None:
    os_login("wang")
    r = sqlite_cli("user", "add", "boss", "--role", "admin", "--login", "someone-else", ok=False)
    assert r.exit_code == 2 and "登录名“wang”" in r.stderr
    sqlite_cli("user", "add", "boss", "--role", "admin")
    assert sqlite_cli("user", "list", "--json", user="boss").json()[0]["login"] == "wang"
    r = sqlite_cli("user", "add", "li", "--role", "clerk", "--login", "wang", user="boss", ok=False)
    assert r.exit_code == 2 and "已对应用户“boss”" in r.stderr
    sqlite_cli("user", "add", "li", "--role", "clerk", "--login", "li-laptop", user="boss")
    sqlite_cli("user", "login", "li", "li2", user="boss")
    os_login("li2")
    sqlite_cli(*NEW, user="li")


def test_single_user_mode_is_unchanged(sqlite_cli: Cli, os_login: Any) -> None:
    os_login("anyone")
    number = sqlite_cli(*NEW, user="clerk1").stdout.strip()
    view = sqlite_cli("case", "show", number, "--json", user="clerk1").json()
    assert view["events"][0]["by"] == "clerk1"


def test_before_any_user_is_registered_a_claimed_name_is_recorded_with_the_login(sqlite_cli: Cli,
                                                                                  os_login: Any) -> None:
    """No users yet: the login may do everything, but a name given with --user is only a claim — the history
    says which login made it."""
    os_login("wang")
    number = sqlite_cli(*NEW, user="老李").stdout.strip()
    [event] = sqlite_cli("case", "show", number, "--json", user="wang").json()["events"]
    assert (event["by"], event["recorded_by"]) == ("老李", "wang")
    assert "老李（由 wang 代为操作）" in sqlite_cli("case", "show", number, user="wang").stdout
