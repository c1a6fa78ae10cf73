"""Help, command palette, calendar (year view, notice import), statistics (tables, export), documents."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import act, ctx, new_case, screen_text, settle  # noqa: F401

from zwgk_tui.services import calendar_service
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.calendar import CalendarScreen
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.dialogs import ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.help import HelpScreen
from zwgk_tui.tui.screens.register import RegisterScreen
from zwgk_tui.tui.screens.register_form import RegistrationForm
from zwgk_tui.tui.screens.stats import StatsScreen

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
（测试用虚构文本，不是真实通知）
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def full_case(ctx, received="2025-03-03", applicant="张三", content="2024年老旧小区改造项目清单"):  # noqa: F811
    n = new_case(ctx, received, applicant, content, delivery="mail", phone="13812345678")
    act(ctx, n, "decide", on="2025-03-10", outcome="disclosed")
    for step, on in (("submit", "2025-03-10"), ("approve", "2025-03-11"), ("approve", "2025-03-12"),
                     ("sign", "2025-03-13")):
        act(ctx, n, step, on=on)
    act(ctx, n, "deliver", on="2025-03-14", method="post", tracking="EA123456789CN", reply_number="某答〔2025〕1号",
        reply_date="2025-03-13")
    return n


async def test_help_and_quit_keys(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Ctrl+Q" in screen_text(app) and "登记新申请" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        # Every binding of the app and its screens has an id (so keys can be remapped, as in posting).
        for node in (app, app.screen):
            for binding in node.BINDINGS:
                assert binding.id, binding
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_command_palette_offers_the_main_actions(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for query, expected in (("日历", CalendarScreen), ("统计", StatsScreen), ("新登记", RegistrationForm),
                                ("帮助", HelpScreen), ("登记簿", RegisterScreen)):
            await pilot.press("ctrl+p")
            await settle(pilot)
            app.screen.query_one("CommandInput").value = query
            await pilot.pause(0.3)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, expected), (query, app.screen)
            if expected in (RegistrationForm, HelpScreen):
                await pilot.press("escape")
                await settle(pilot)


async def test_calendar_year_view_marks_days_off_and_make_up_days(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen) and screen.year == 2025
        jan = screen.query_one("#month-1").content.plain
        # 2025: 1/1 元旦; 1/26 (Sun) a make-up working day; 1/28–2/4 春节 (1/28 is a Tuesday).
        assert "1月　元旦、春节" in jan
        assert " 1休" in jan and "26班" in jan and "28休" in jan and "31休" in jan
        feb = screen.query_one("#month-2").content.plain
        assert " 4休" in feb and " 8班" in feb and " 5 " in feb
        status = screen.query_one("#calendar-status").content.plain
        assert "最后正式年度：2026" in status
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.year == 2027
        assert "暂定：尚无该年度国务院节假日安排" in screen.query_one("#calendar-status").content.plain
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.year == 2026 and "暂定" not in screen.query_one("#calendar-status").content.plain


async def test_importing_a_notice_previews_changes_and_moved_cases_then_applies(ctx, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ZWGK_TODAY", "2026-12-16")
    n = new_case(ctx, "2026-12-15")  # due in January 2027: provisional until the 2027 notice is imported
    notice = tmp_path / "2027年节假日安排.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(notice)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "国务院办公厅关于2027年部分节假日安排的通知" in text
        assert "2027-02-20 周六：休息 → 上班（调休上班）" in text
        assert "2027-02-11 周四：上班 → 休息（春节）" in text
        assert "由“暂定”转为正式" in text
        assert calendar_service.status(ctx)["last_official_year"] == 2026  # nothing applied yet
        await pilot.press("n")
        await settle(pilot)
        assert calendar_service.status(ctx)["last_official_year"] == 2026
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(notice)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        assert "2027 年日历现为正式数据" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen) and app.screen.year == 2027
        assert "最后正式年度：2027" in app.screen.query_one("#calendar-status").content.plain
        assert " 20班" in app.screen.query_one("#month-2").content.plain
    assert calendar_service.status(ctx)["last_official_year"] == 2027
    from zwgk_tui.services import cases

    assert cases.show(ctx, n)["deadline"]["provisional"] is False


async def test_a_notice_file_that_cannot_be_read_is_reported(ctx, tmp_path):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(tmp_path / "没有这个文件.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert any("找不到通知文件" in n.message for n in app._notifications)


async def test_statistics_tables_identity_and_export(ctx, tmp_path):  # noqa: F811
    full_case(ctx)
    new_case(ctx, "2025-03-05", "某某律师事务所", "某项目环评批复", applicant_type="legal_service")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.year == 2024  # in January–March the report is for the year before
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.year == 2025
        cells = screen.table3_cells
        assert cells["new"] == ["1", "0", "0", "0", "1", "0", "2"]
        assert cells["disclosed"] == ["1", "0", "0", "0", "0", "0", "1"]
        assert cells["concluded_total"] == ["1", "0", "0", "0", "0", "0", "1"]
        assert cells["carried_out"] == ["0", "0", "0", "0", "1", "0", "1"]
        text = screen_text(app)
        assert "一、本年新收政府信息公开申请数量" in text and "（七）总计" in text
        assert "法律服务机构" in text and "行政诉讼·复议后起诉" in text
        assert "各列均成立" in screen.query_one("#stats-identity").content.plain
        assert "本年度未收取信息处理费" in screen.query_one("#stats-fees").content.plain
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("1")  # xlsx
        await settle(pilot)
        target = tmp_path / "年报.xlsx"
        app.screen.query_one("#prompt-input").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        assert str(target) in screen_text(app)
    assert target.stat().st_size > 0


async def test_generating_a_document_shows_where_it_was_written(ctx, tmp_path):  # noqa: F811
    from zwgk_tui.services import admin

    admin.set_agency(ctx, "default", name="某县住房和城乡建设局", reconsideration_body="某县人民政府",
                     court="某县人民法院")
    n = new_case(ctx, "2025-03-03", delivery="mail", phone="13812345678")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(n)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        choices = app.screen.query_one("#choices")
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert ids.index("receipt") < 9
        await pilot.press(str(ids.index("receipt") + 1))
        await settle(pilot)
        await pilot.press("1")  # 正式出具
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog), screen_text(app)
        text = screen_text(app)
        written = next(Path(line.split("已写入：", 1)[1].strip()) for line in text.splitlines() if "已写入：" in line)
        assert written.parent == tmp_path and written.exists() and written.suffix == ".docx"
        assert "SHA-256" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert "接收回执" in screen_text(app) and "有效" in screen_text(app)  # listed under 文书
