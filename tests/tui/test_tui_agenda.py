"""The agenda tab (today / this week / overdue), the government office's screen and much-requested information,
driven by keys as a clerk would. Today is 2025-03-20 (Thursday)."""

from __future__ import annotations

import pytest
from tui_helpers import act, ctx, new_case, settle, table_rows  # noqa: F401

from zwgk_tui.services import cases
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.agenda import AgendaScreen
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.office import HotTopicsScreen, OfficeScreen
from zwgk_tui.tui.screens.register import RegisterScreen

FULL = {"id_number": "11010519491231002X", "phone": "13812345678", "address": "某县某路1号", "delivery": "email",
        "form_requested": "电子文档"}


def seed(ctx):  # noqa: F811
    """Overdue, due today (with its extension decision), due next week, and a letter without a date of service."""
    n = {}
    n["late"] = new_case(ctx, "2025-02-10", "李四", "征地补偿安置方案", **FULL)  # due 3/10, 8 overdue
    n["today"] = new_case(ctx, "2025-02-20", "张三", "老旧小区改造项目清单", **FULL)  # due 3/20
    n["new"] = new_case(ctx, "2025-03-18", "王五", "老旧小区改造项目清单")  # 补正 notice by 3/27
    n["consult"] = new_case(ctx, "2025-03-03", "赵六", "河道整治工程验收报告", **FULL)
    act(ctx, n["consult"], "consult", on="2025-03-05", to="某某建设公司", party="third_party")
    return n


def agenda_rows(app):
    return [(r["number"], r["due"], r["left"]) for r in table_rows(app.screen.query_one("#agenda-table"))]


@pytest.mark.asyncio
async def test_opens_on_the_agenda_with_its_three_tabs(ctx):  # noqa: F811
    n = seed(ctx)
    app = ZwgkApp(ctx, open_agenda=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        # 今天: what needs doing today — overdue, due today, and the letter whose service is not recorded.
        assert agenda_rows(app) == [
            (n["late"], "2025-03-10", "逾期8"),
            (n["today"], "2025-03-20", "今天"),  # the extension decision comes first
            (n["today"], "2025-03-20", "今天"),
            (n["consult"], "—", "待送达"),
        ]
        assert [t.label.plain for t in app.screen.query("Tab")] == ["今天 4", "本周 4", "已逾期 1"]
        await pilot.press("3")
        await settle(pilot)
        assert agenda_rows(app) == [(n["late"], "2025-03-10", "逾期8")]
        why = str(app.screen.query_one("#agenda-why").content)
        assert "《条例》第三十三条" in why and "尽快答复" in why
        await pilot.press("2")
        await settle(pilot)
        assert len(agenda_rows(app)) == 4  # this week ends Sunday 3/23; the 补正 limit (3/27) is next week


@pytest.mark.asyncio
async def test_enter_opens_the_case_and_f3_switches_to_the_register(ctx):  # noqa: F811
    n = seed(ctx)
    app = ZwgkApp(ctx, open_agenda=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.number == n["late"]
        # A step taken on the case shows on the agenda on the way back.
        cases.act(ctx, n["consult"], cases.StepInput(action="served", on="2025-03-06",
                                                     options={"what": "consult"}))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert n["consult"] not in [r[0] for r in agenda_rows(app)]  # now due 3/27: not today
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)


@pytest.mark.asyncio
async def test_mine_shows_only_the_users_cases(ctx):  # noqa: F811
    seed(ctx)
    app = ZwgkApp(ctx, open_agenda=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ctx.user_name = "someone_else"
        await pilot.press("m")
        await settle(pilot)
        assert agenda_rows(app) == []
        assert "（someone_else经办）" in str(app.screen.query_one("#agenda-counts").content)


@pytest.mark.asyncio
async def test_office_screen_board_and_the_weeks_requests(ctx):  # noqa: F811
    n = seed(ctx)
    app = ZwgkApp(ctx, open_agenda=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OfficeScreen)
        board = table_rows(app.screen.query_one("#office-board"))
        assert [(r["received"], r["open"], r["overdue"]) for r in board] == [("1", "4", "1"), ("1", "4", "1")]
        assert [r["number"] for r in table_rows(app.screen.query_one("#office-requests"))] == [n["new"]]
        await pilot.press("left_square_bracket")  # week 11: 3/10-3/16, nothing received
        await settle(pilot)
        assert "2025年第11周" in str(app.screen.query_one("#office-title").content)
        assert table_rows(app.screen.query_one("#office-requests")) == []
        assert "本周没有收到申请" in str(app.screen.query_one("#office-sub").content)
        await pilot.press("left_square_bracket")  # week 10: 3/3-3/9
        await settle(pilot)
        assert "2025年第10周" in str(app.screen.query_one("#office-title").content)
        assert [r["number"] for r in table_rows(app.screen.query_one("#office-requests"))] == [n["consult"]]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)


@pytest.mark.asyncio
async def test_hot_topics_record_proactive_publication(ctx):  # noqa: F811
    n = seed(ctx)
    app = ZwgkApp(ctx, open_agenda=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HotTopicsScreen)
        rows = table_rows(app.screen.query_one("#hot-table"))
        assert [(r["requests"], r["applicants"], r["published"]) for r in rows] == [("2", "2", "未记录")]
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "http://www.example.gov.cn/ljxq"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#prompt-input").value == "2025-03-20"
        await pilot.press("enter")
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#hot-table"))
        assert rows[0]["published"] == "2025-03-20"
    events = cases.show(ctx, n["new"])["events"]
    assert [(e["action"], e["data"]["where"]) for e in events if e["action"] == "proactive"] == [
        ("proactive", "http://www.example.gov.cn/ljxq")]


@pytest.mark.asyncio
async def test_command_palette_reaches_the_new_screens(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for query, expected in (("待办", AgendaScreen), ("政府办汇总", OfficeScreen), ("多人申请", HotTopicsScreen)):
            await pilot.press("ctrl+p")
            await settle(pilot)
            app.screen.query_one("CommandInput").value = query
            await pilot.pause(0.3)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, expected), (query, app.screen)


@pytest.mark.asyncio
async def test_with_several_agencies_the_agenda_says_whose_case(ctx):  # noqa: F811
    from zwgk_tui.services import admin

    seed(ctx)
    admin.add_agency(ctx, "zrzy", "某县自然资源局", short_name="县资源局")
    cases.register(ctx, cases.NewCase(applicant="欧阳小明", applicant_type="natural_person", channel="in_person",
                                      received="2025-02-10", content="土地征收批复", agency="zrzy"))
    app = ZwgkApp(ctx, open_agenda=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#agenda-table"))
        assert [(r["number"], r["agency"]) for r in rows[:2]] == [("2025-0001", "县资源局"), ("2025-0001", "本机关")]
