"""The register (home screen): rows by urgency, counts, filters, search, paging."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select
from tui_helpers import act, ctx, new_case, settle, table_rows  # noqa: F401

from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.register import PAGE, RegisterScreen


def seed_register(ctx):  # noqa: F811
    """today = 2025-03-20. Due dates: received 02-18 → 03-18 (overdue 2); 02-27 → 03-27 (due soon, 5 left);
    03-03 → 03-31 (7 left, normal); 03-10 with a consultation → paused; one closed."""
    overdue = new_case(ctx, "2025-02-18", "李四", "某镇征地补偿安置方案")
    soon = new_case(ctx, "2025-02-27", "王五", "2024年财政预算执行情况", applicant_type="business")
    normal = new_case(ctx, "2025-03-03", "张三", "2024年老旧小区改造项目清单")
    paused = new_case(ctx, "2025-03-10", "赵六", "河道整治工程验收报告")
    act(ctx, paused, "consult", on="2025-03-11", to="某某公司", party="third_party")
    closed = new_case(ctx, "2025-01-06", "钱七", "学校划片方案")
    act(ctx, closed, "decide", on="2025-01-10", outcome="disclosed", provision="当面领取")
    act(ctx, closed, "submit", on="2025-01-10")
    act(ctx, closed, "approve", on="2025-01-13")
    act(ctx, closed, "approve", on="2025-01-14")
    act(ctx, closed, "sign", on="2025-01-15")
    act(ctx, closed, "deliver", on="2025-01-16", method="in_person", reply_number="某答〔2025〕1号",
        reply_date="2025-01-15")
    return overdue, soon, normal, paused, closed


async def test_register_lists_open_cases_by_urgency_with_counts(ctx):  # noqa: F811
    overdue, soon, normal, paused, _closed = seed_register(ctx)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        rows = table_rows(app.screen.query_one("#cases", DataTable))
        # Nearest due first, paused after, closed not in the default (open) view.
        assert [r["number"] for r in rows] == [overdue, soon, normal, paused]
        assert rows[0] == {"number": overdue, "due": "2025-03-18", "status": "逾期2", "stage": "已登记",
                           "applicant": "李四", "received": "2025-02-18", "content": "某镇征地补偿安置方案"}
        assert (rows[1]["due"], rows[1]["status"]) == ("2025-03-27", "临期 剩5")
        assert (rows[2]["due"], rows[2]["status"]) == ("2025-03-31", "剩7")
        assert (rows[3]["stage"], rows[3]["due"], rows[3]["status"]) == ("征求意见中", "—", "暂停计时")
        # Colour follows urgency (and the word says it too).
        table = app.screen.query_one("#cases", DataTable)
        first = table.get_row_at(0)[0]
        assert "red" in str(first.style)
        assert "cyan" in str(table.get_row_at(3)[0].style)
        counts = str(app.screen.query_one("#counts").content)
        assert "逾期 1" in counts and "5个工作日内到期 1" in counts
        assert "待政府办审核 0" in counts and "待法制审核 0" in counts
        assert "共 4 件" in str(app.screen.query_one("#status").content)


async def test_filters_by_scope_keys_stage_type_year_and_search(ctx):  # noqa: F811
    overdue, soon, normal, paused, closed = seed_register(ctx)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases", DataTable)

        def numbers():
            return [r["number"] for r in table_rows(table)]

        await pilot.press("2")  # overdue
        await settle(pilot)
        assert numbers() == [overdue]
        await pilot.press("3")  # due within N (5) working days, overdue included
        await settle(pilot)
        assert numbers() == [overdue, soon]
        await pilot.press("4")  # paused
        await settle(pilot)
        assert numbers() == [paused]
        await pilot.press("5")  # closed
        await settle(pilot)
        assert numbers() == [closed]
        await pilot.press("6")  # all
        await settle(pilot)
        assert sorted(numbers()) == sorted([overdue, soon, normal, paused, closed])

        app.screen.query_one("#atype", Select).value = "business"
        await settle(pilot)
        assert numbers() == [soon]
        app.screen.query_one("#atype", Select).value = Select.NULL
        app.screen.query_one("#stage", Select).value = "consulting"
        await settle(pilot)
        assert numbers() == [paused]
        app.screen.query_one("#stage", Select).value = Select.NULL
        await settle(pilot)

        # Search from the keyboard: "/" focuses the box, typing filters (applicant, content or number).
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "search"
        app.focused.value = "补偿"
        await pilot.press("enter")
        await settle(pilot)
        assert numbers() == [overdue]
        assert app.focused is table  # Enter returns to the list
        await pilot.press("slash")
        app.focused.value = "王五"
        await pilot.press("escape")
        await settle(pilot)
        assert numbers() == [soon]
        await pilot.press("slash")
        app.focused.value = ""
        await pilot.press("enter")
        await settle(pilot)

        # Year of receipt.
        app.screen.query_one("#year", Input).value = "2025"
        await settle(pilot)
        await pilot.pause(0.3)  # the debounce
        await settle(pilot)
        assert len(numbers()) == 5
        app.screen.query_one("#year", Input).value = "2024"
        await pilot.pause(0.3)
        await settle(pilot)
        assert numbers() == []
        assert "没有符合条件的案件" in str(app.screen.query_one("#status").content)


async def test_due_within_n_days_input(ctx):  # noqa: F811
    overdue, soon, normal, _paused, _closed = seed_register(ctx)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        days = app.screen.query_one("#due-days", Input)
        days.focus()
        days.value = "7"
        await pilot.press("enter")  # applies N and switches the scope to "due within N"
        await settle(pilot)
        table = app.screen.query_one("#cases", DataTable)
        assert app.screen.query_one("#scope", Select).value == "due"
        assert [r["number"] for r in table_rows(table)] == [overdue, soon, normal]


async def test_pages_are_loaded_as_the_cursor_nears_the_end(ctx):  # noqa: F811
    for i in range(PAGE + 30):
        new_case(ctx, "2025-03-03", f"申请人{i}", f"内容{i}")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == PAGE  # one page, not everything
        assert "共 130 件，已显示 100 件" in str(screen.query_one("#status").content)
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == PAGE + 30
        assert len({r["number"] for r in table_rows(table)}) == PAGE + 30
        assert "共 130 件，已显示 130 件" in str(screen.query_one("#status").content)


async def test_enter_opens_the_case_and_escape_returns(ctx):  # noqa: F811
    number = new_case(ctx)
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.id == "case"
        assert app.screen.number == number
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)


async def test_several_agencies_show_whose_case_it_is_and_filter_by_agency(ctx):  # noqa: F811
    from zwgk_tui.services import admin

    ours = new_case(ctx, "2025-03-03", "张三", "2024年老旧小区改造项目清单")
    admin.add_agency(ctx, "town", "某县某镇人民政府", short_name="某镇")
    theirs = new_case(ctx, "2025-03-04", "李四", "某镇征地补偿安置方案", agency="town")
    assert ours == theirs == "2025-0001"  # numbered per agency: the same number twice
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases", DataTable)
        rows = table_rows(table)
        assert [(r["number"], r["agency"]) for r in rows] == [("2025-0001", "本机关"), ("2025-0001", "某镇")]
        agency = app.screen.query_one("#agency", Select)
        assert agency.display
        agency.value = "town"
        await settle(pilot)
        assert [(r["number"], r["applicant"]) for r in table_rows(table)] == [("2025-0001", "李四")]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.id == "case" and app.screen.view["agency"] == "town"
        assert app.screen.view["applicant"]["name"] == "李四"
