"""Agency settings, the online-applications inbox and the register export, from the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Checkbox, DataTable, Input
from tui_helpers import act, ctx, new_case, screen_text, settle, table_rows  # noqa: F401

from zwgk_tui.services import admin, cases, intake
from zwgk_tui.services.context import ServiceContext
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.dialogs import ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.inbox import InboxScreen
from zwgk_tui.tui.screens.prompt import PromptDialog
from zwgk_tui.tui.screens.register import RegisterScreen
from zwgk_tui.tui.screens.settings import AgencySettingsScreen


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# ---------------------------------------------------------------------------------------------------------------
# Agency settings


async def test_first_start_opens_the_settings_while_the_agency_is_unnamed(ctx):  # noqa: F811
    app = ZwgkApp(ctx, first_run_setup=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AgencySettingsScreen)
        assert "首次使用：请先填写本机关的全称" in screen_text(app)
        name = app.screen.query_one("#s-name", Input)
        assert name.value == "" and name.has_focus  # the placeholder 本机关 is not offered as a name
        await pilot.press(*"某县住房和城乡建设局")
        await pilot.press("tab", *"某住建", "tab", *"某县人民政府", "tab", *"某县人民法院")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert any("某县住房和城乡建设局（default）的设置已保存" in m for m in messages(app))
    a = admin.show_agency(ctx, "default")
    assert (a["name"], a["short_name"], a["reconsideration_body"], a["court"]) == (
        "某县住房和城乡建设局", "某住建", "某县人民政府", "某县人民法院")
    # Named now: the next start goes straight to the register.
    app = ZwgkApp(ctx, first_run_setup=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)


async def test_settings_form_has_every_agency_setting_and_saves_with_the_services_checks(ctx):  # noqa: F811
    admin.set_agency(ctx, "default", name="某县住房和城乡建设局")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.run_action("show_settings")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgencySettingsScreen)
        for key in admin.AGENCY_SETTINGS:  # generated from the table: every setting has its field
            assert screen.query_one(f"#s-{key.replace('_', '-')}")
        assert screen.query_one("#s-name", Input).value == "某县住房和城乡建设局"
        assert screen.query_one("#s-office-review", Checkbox).value is True
        screen.query_one("#s-due-soon-days", Input).value = "99"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # refused: the form stays, with the service's reason
        assert "临期提醒（工作日） 99 无效：应为 0 至 20 个工作日" in screen_text(app)
        screen.query_one("#s-due-soon-days", Input).value = "3"
        screen.query_one("#s-office-review", Checkbox).value = False
        screen.query_one("#s-doc-number-format", Input).value = "{short}公开〔{year}〕{seq}号"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
    a = admin.show_agency(ctx, "default")
    assert (a["due_soon_days"], a["office_review"], a["doc_number_format"]) == (
        3, False, "{short}公开〔{year}〕{seq}号")
    assert a["legal_review"] is True  # untouched settings are not sent


async def test_warnings_from_the_service_are_shown_after_saving(ctx, monkeypatch):  # noqa: F811
    real = admin.set_agency

    def with_warning(context, code, **settings):
        return {**real(context, code, **settings), "warnings": ["未设置行政复议机关：答复书的救济条款无法写明复议机关"]}

    monkeypatch.setattr(admin, "set_agency", with_warning)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_show_settings()
        await settle(pilot)
        app.screen.query_one("#s-name", Input).value = "某镇人民政府"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        assert "注意：未设置行政复议机关：答复书的救济条款无法写明复议机关" in screen_text(app)


async def test_settings_from_the_command_palette(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"机关设置")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgencySettingsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)


async def test_a_clerk_without_the_admin_role_is_told_so(ctx, monkeypatch):  # noqa: F811
    monkeypatch.setattr("zwgk_tui.services.context.os_login", lambda: "admin1")  # the admin's computer
    admin.add_user(ctx, "admin1", ["admin"])  # the first user: this login's own
    boss = ServiceContext.open(ctx.db.url, "admin1")
    admin.add_user(boss, "clerk1", ["clerk"])
    boss.db.dispose()
    ctx = ServiceContext.open(ctx.db.url, "clerk1")  # an admin may act as a registered user (recorded)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_show_settings()
        await settle(pilot)
        app.screen.query_one("#s-name", Input).value = "某镇人民政府"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AgencySettingsScreen)
        assert "无权修改机关设置：需要角色 admin" in screen_text(app)


# ---------------------------------------------------------------------------------------------------------------
# Online applications


def load_inbox(ctx, tmp_path: Path) -> None:  # noqa: F811
    apps = [
        {"id": "W-1", "submitted_at": "2025-03-14T21:14:05+08:00", "content": "2024年老旧小区改造项目清单",
         "applicant": {"type": "natural_person", "name": "张三", "phone": "13812345678"}, "delivery": "email"},
        {"id": "W-2", "submitted_at": "2025-03-18", "content": "无关广告",
         "applicant": {"name": "某推广公司", "type": "business"}},
    ]
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"format": "zwgk-intake", "applications": apps}, ensure_ascii=False), encoding="utf-8")
    intake.import_file(ctx, f)


async def test_register_top_line_counts_new_online_applications_and_i_opens_the_inbox(ctx, tmp_path):  # noqa: F811
    new_case(ctx)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "网上申请" not in str(app.screen.query_one("#counts").content)
    load_inbox(ctx, tmp_path)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        counts = str(app.screen.query_one("#counts").content)
        assert counts.endswith("网上申请 2(i)") and len(counts) <= 78
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        rows = table_rows(app.screen.query_one("#inbox-table", DataTable))
        assert [(r["id"], r["arrived"], r["applicant"], r["status"]) for r in rows] == [
            ("1", "2025-03-14", "张三", "待确认"), ("2", "2025-03-18", "某推广公司", "待确认")]
        assert "138****5678" in screen_text(app)


async def test_confirming_in_the_inbox_registers_the_case_on_the_day_entered(ctx, tmp_path):  # noqa: F811
    load_inbox(ctx, tmp_path)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_show_inbox()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, PromptDialog)
        assert "第三十一条第三项" in screen_text(app)
        field = prompt.query_one("#prompt-input", Input)
        assert field.value == "2025-03-20"
        field.value = "2025-03-17"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "已登记 2025-0001" in text and "答复期限：2025-04-15" in text
        await pilot.press("n")
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#inbox-table", DataTable))
        assert [r["id"] for r in rows] == ["2"]
        # x sets the other one aside, with the reason kept.
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = "广告，与政府信息公开无关"
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(app.screen.query_one("#inbox-table", DataTable)) == []
        await pilot.press("a")
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#inbox-table", DataTable))
        assert [(r["id"], r["status"]) for r in rows] == [("1", "已登记 2025-0001"), ("2", "已退回")]
    view = cases.show(ctx, "2025-0001")
    assert view["received_on"] == "2025-03-17" and view["due_date"] == "2025-04-15"
    assert intake.list_items(ctx, status="rejected")[0]["reason"] == "广告，与政府信息公开无关"


# ---------------------------------------------------------------------------------------------------------------
# Export (e)


async def test_e_exports_the_register_with_the_filters_on_screen(ctx, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    new_case(ctx, "2025-02-18", "李四", "某镇征地补偿安置方案")
    new_case(ctx, "2025-03-03", "张三", "2024年老旧小区改造项目清单")
    closed = new_case(ctx, "2025-03-04", "王五", "学校划片方案")
    act(ctx, closed, "withdraw", on="2025-03-05")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # overdue only
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, PromptDialog)
        assert "按当前筛选条件导出 1 件" in screen_text(app)
        field = prompt.query_one("#prompt-input", Input)
        assert field.value == str(tmp_path / "登记簿-2025-03-20.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        assert "已导出 1 件" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        # Again to the same file: asked before overwriting.
        await pilot.press("6", "e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert "已导出 3 件" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        # Onto the live database: refused at once, never offered for overwriting.
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = str(ctx.db.sqlite_path)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmDialog, PromptDialog))
        assert any("正在使用的数据库文件" in str(n.message) for n in app._notifications)
    ws = load_workbook(tmp_path / "登记簿-2025-03-20.xlsx").active
    assert sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True)) == ["2025-0001", "2025-0002", "2025-0003"]


async def test_an_imported_case_shows_its_origin_in_the_history(ctx, tmp_path):  # noqa: F811
    from zwgk_tui.services import register_io

    path = tmp_path / "台账.csv"
    path.write_text("收到日期,申请人,申请内容,办结日期,办理结果\n2025-03-03,张三,老旧小区改造项目清单,2025-03-14,部分公开\n",
                    encoding="utf-8-sig")
    register_io.import_register(ctx, path)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case("2025-0001")
        await settle(pilot)
        text = screen_text(app)
        assert "导入：台账.csv 第 2 行" in text
        assert "导入" in text and "部分公开" in text
