"""Errors from the service layer or the database are shown to the clerk; the application keeps running."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from tui_helpers import ctx, new_case, screen_text, settle  # noqa: F401

from zwgk_tui.services import cases
from zwgk_tui.services.errors import NotPermitted, ServiceError
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.action_form import ActionForm
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.register import RegisterScreen


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (ServiceError("机关代码“xx”不存在"), "机关代码“xx”不存在"),
        (OperationalError("SELECT", {}, Exception("database is locked")), "数据库正被其他用户占用"),
        (OperationalError("SELECT", {}, Exception("unable to open database file")), "无法访问数据库"),
        (RuntimeError("boom"), "程序内部错误（RuntimeError：boom）"),
    ],
)
async def test_register_query_failure_is_a_notification_not_a_crash(ctx, monkeypatch, exc, shown):  # noqa: F811
    new_case(ctx)

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(cases, "list_cases", broken)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, RegisterScreen)
        assert any(shown in m for m in messages(app)), messages(app)
        # Still usable: the help opens and closes.
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        # And when the database answers again, refreshing shows the cases.
        monkeypatch.undo()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one("#cases").row_count == 1


async def test_case_screen_failure_and_step_failure_are_shown(ctx, monkeypatch):  # noqa: F811
    number = new_case(ctx)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def no_access(*args, **kwargs):
            raise NotPermitted("用户“clerk1”只能办理本机关的案件")

        monkeypatch.setattr(cases, "show", no_access)
        app.open_case(number)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, CaseScreen)
        assert any("只能办理本机关的案件" in m for m in messages(app))
        monkeypatch.undo()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.view["number"] == number

        def crash(*args, **kwargs):
            raise OperationalError("UPDATE", {}, Exception("disk I/O error"))

        monkeypatch.setattr(cases, "act", crash)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("1")  # decide
        await settle(pilot)
        app.screen.query_one("#o-outcome").value = "disclosed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionForm)  # nothing lost: the form stays with the reason
        assert "disk I/O error" in app.screen.query_one("#form-error").content.plain
        assert any("disk I/O error" in m for m in messages(app))
        await pilot.press("escape")  # something was filled in: asked before it is thrown away
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.is_running


async def test_registration_failure_keeps_the_form(ctx, monkeypatch):  # noqa: F811
    def locked(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(cases, "register", locked)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#f-applicant").value = "张三"
        app.screen.query_one("#f-content").load_text("2024年老旧小区改造项目清单")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "RegistrationForm"
        assert "数据库正被其他用户占用" in screen_text(app)
        assert app.screen.query_one("#f-applicant").value == "张三"
