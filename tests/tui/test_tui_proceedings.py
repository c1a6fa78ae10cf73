"""Proceedings on the case screen (with their deadlines and derivation), the remedy form built from the step
table, and publishing from the statistics screen with the changes since publication."""

from __future__ import annotations

from textual.widgets import Select
from tui_helpers import act, ctx, new_case, screen_text, settle  # noqa: F401

from zwgk_tui.services import admin, cases
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.action_form import ActionForm
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.stats import StatsScreen


def delivered(ctx, received: str, on: str, outcome: str = "withheld_process_info") -> str:  # noqa: F811
    n = new_case(ctx, received)
    evidence = {"kind_of_info": "请示报告"} if outcome == "withheld_process_info" else {"provision": "当面领取"}
    act(ctx, n, "decide", on, outcome=outcome, **evidence)
    act(ctx, n, "submit", on)
    act(ctx, n, "sign", on)
    act(ctx, n, "deliver", on, method="in_person", reply_number=f"外答{n}", reply_date=on)
    return n


def settings(ctx) -> None:  # noqa: F811
    admin.set_agency(ctx, "default", name="某县住房和城乡建设局", short_name="某县住建",
                     reconsideration_body="某县人民政府", court="某县人民法院", office_review=False,
                     legal_review=False)


async def test_case_screen_lists_proceedings_with_their_deadlines(ctx):  # noqa: F811
    settings(ctx)
    n = delivered(ctx, "2025-01-06", "2025-01-20")
    act(ctx, n, "remedy", "2025-03-03", kind="reconsideration", filed="2025-02-24", copy_received="2025-03-03",
        accepted="2025-02-28")
    act(ctx, n, "remedy", "2025-03-10", kind="litigation_direct", filed="2025-03-10")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        app.open_case(n)
        await settle(pilot)
        text = screen_text(app)
        assert "#1 行政复议" in text and "2025-02-24 提起" in text and "尚未审结" in text
        # 2025-03-03 + 10 working days: 03-04…03-07 (4), 03-10…03-14 (9), 03-17 (10); today is 2025-03-20.
        assert "提交书面答复和证据、依据：2025-03-17" in text and "已逾期" in text
        assert "自收到行政复议申请书副本之日（2025-03-03）起10个工作日" in text
        assert "复议机关作出决定的期限：2025-04-29" in text  # 02-28 + 60 days
        assert "#2 行政诉讼·未经复议直接起诉" in text and "应当先申请行政复议" in text  # a refusal under Art. 16
        # What to record before the defence period can be computed, in the form's words (no command-line flag).
        assert "提示：尚未记录收到" in text and "副本的日期" in text
        assert "--" not in text


async def test_remedy_form_creates_and_then_updates_a_proceeding(ctx):  # noqa: F811
    settings(ctx)
    n = delivered(ctx, "2025-01-06", "2025-01-20", outcome="disclosed")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.open_case(n)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        options = app.screen.query_one("#choices")
        steps = [options.get_option_at_index(i).id for i in range(options.option_count)]
        await pilot.press(str(steps.index("remedy") + 1))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ActionForm) and form.action == "remedy"
        for name in ("proceeding", "kind", "filed", "copy_received", "simplified", "accepted", "extended",
                     "answered", "result", "decided", "disclose_order", "complied", "opinion_received", "reported"):
            assert form.query(f"#o-{name}"), name  # every option of the step table is on the form
        assert form.query_one("#o-on").value == ""  # dated by what it records: here the filing
        form.query_one("#o-kind", Select).value = "reconsideration"
        form.query_one("#o-filed").value = "2025-03-10"
        form.query_one("#o-copy_received").value = "2025-03-14"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), screen_text(app)
        view = cases.show(ctx, n)
        [p] = view["proceedings"]
        assert (p["kind"], p["filed_on"], p["copy_received_on"]) == ("reconsideration", "2025-03-10", "2025-03-14")
        assert view["events"][-1]["action"] == "remedy" and view["events"][-1]["on"] == "2025-03-10"
        # Update it: the form offers the case's proceedings by number.
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(str(steps.index("remedy") + 1))
        await settle(pilot)
        form = app.screen
        select = form.query_one("#o-proceeding", Select)
        assert [str(v) for _, v in select._options if v is not Select.NULL] == [str(p["id"])]
        select.value = str(p["id"])
        form.query_one("#o-answered").value = "2025-03-20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), screen_text(app)
        assert cases.show(ctx, n)["proceedings"][0]["answered_on"] == "2025-03-20"
        assert "已完成" in screen_text(app)


async def test_statistics_screen_publishes_and_shows_changes_since(ctx, monkeypatch):  # noqa: F811
    settings(ctx)
    delivered(ctx, "2024-11-04", "2024-11-18", outcome="disclosed")
    new_case(ctx, "2024-12-23", "李四", "某项目环评批复")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.year == 2024
        assert "未发布" in screen.query_one("#stats-publication").content.plain
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and "发布 2024 年度报告" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog) and "SHA-256" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        status = screen.query_one("#stats-publication").content.plain
        assert "已发布 2025-03-20" in status and "发布后数据未变动" in status
        # A letter of 2024 found and registered now: the published figures stay, the change is listed.
        late = new_case(ctx, "2024-12-30", "王五", "某项目用地批复")
        await pilot.press("r")
        await settle(pilot)
        status = screen.query_one("#stats-publication").content.plain
        assert "发布后变动 2 处" in status and late in status
        assert screen.table3_cells["new"] == ["2", "0", "0", "0", "0", "0", "2"]  # as published
        await pilot.press("c")  # today's data
        await settle(pilot)
        assert screen.table3_cells["new"] == ["3", "0", "0", "0", "0", "0", "3"]
        assert "按今天的数据重新统计" in screen.query_one("#stats-publication").content.plain
        # Publishing again asks for the reason of the correction.
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "补登2024-12-30收到的申请"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog) and "已更正发布" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.table3_cells["new"] == ["3", "0", "0", "0", "0", "0", "3"]
        assert "发布后数据未变动" in screen.query_one("#stats-publication").content.plain
