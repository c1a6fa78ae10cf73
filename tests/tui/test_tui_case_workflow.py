"""A case from registration to delivery from the keyboard; only the steps the user may take are offered; a
concurrent change is a conflict the clerk sees, with the case refreshed."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList, Select
from tui_helpers import act, ctx, new_case, screen_text, settle, table_rows  # noqa: F401

from zwgk_tui.services import admin, cases
from zwgk_tui.services.context import ServiceContext
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.action_form import ActionForm, action_label
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.register import RegisterScreen


def offered(app) -> list[str]:
    """The steps in the open action menu, in order (their codes)."""
    options = app.screen.query_one("#choices", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def take_step(pilot, action: str, *, fill=None, confirm: bool = False) -> None:
    """a → the digit of `action` in the menu → (fill the form) → Ctrl+S (→ y for a step that closes the case)."""
    app = pilot.app
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, ChoiceDialog)
    steps = offered(app)
    assert action in steps, steps
    await pilot.press(str(steps.index(action) + 1))
    await settle(pilot)
    assert isinstance(app.screen, ActionForm) and app.screen.action == action
    assert app.screen.query_one("#o-on").value == "2025-03-20"  # dates default to today
    if fill:
        await fill(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    if confirm:
        assert isinstance(app.screen, ConfirmDialog), screen_text(app)
        assert "办结" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
    assert isinstance(app.screen, CaseScreen), screen_text(app)


async def test_registration_to_delivery_from_the_keyboard(ctx, tmp_path):  # noqa: F811
    admin.set_agency(ctx, "default", name="某县住房和城乡建设局", short_name="某县住建",
                     reconsideration_body="某县人民政府", court="某县人民法院")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Register: n, the form, Ctrl+S, then Y opens the new case.
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-applicant").value = "张三"
        form.query_one("#f-content").load_text("2024年老旧小区改造项目清单")
        form.query_one("#f-delivery").value = "mail"
        form.query_one("#f-received").value = "2025-03-03"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        number = "2025-0001"
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.number == number
        text = screen_text(app)
        assert "答复期限" in text and "2025-03-31" in text and "剩7个工作日" in text
        assert "2025-03-03（周一）" in text  # the derivation, day by day
        assert "可办理" in text and "拟定办理结果" in text

        async def choose_disclosed(pilot):
            form = pilot.app.screen
            assert pilot.app.focused is form.query_one("#o-outcome", Select)
            await pilot.press("enter")  # open the list
            await pilot.press("down", "enter")  # the first outcome: 予以公开
            await pilot.pause()
            assert form.query_one("#o-outcome", Select).value == "disclosed"

        await take_step(pilot, "decide", fill=choose_disclosed)
        assert screen.view["stage"] == "drafting" and screen.view["proposed_outcome"] == "disclosed"
        assert "拟：予以公开" in screen_text(app)
        await take_step(pilot, "submit")
        assert screen.view["stage"] == "office_review"
        await take_step(pilot, "approve")
        assert screen.view["stage"] == "legal_review"
        await take_step(pilot, "approve")
        assert screen.view["stage"] == "sign_off"
        await take_step(pilot, "sign")
        assert screen.view["stage"] == "delivering"

        # The reply is issued once signed (d → 答复书 → 正式出具 → folder), dated the sign-off day.
        await pilot.press("d")
        await settle(pilot)
        kinds = offered(app)
        app.screen.query_one("#choices", OptionList).highlighted = kinds.index("reply")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")  # 正式出具
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog), screen_text(app)
        assert "成文日期：2025-03-20" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "有效" in screen_text(app) and "某县住建依公开〔2025〕1号" in screen_text(app)

        async def delivery_defaults_to_the_requested_method(pilot):
            assert pilot.app.screen.query_one("#o-method", Select).value == "post"  # registered as 邮寄
            pilot.app.screen.query_one("#o-tracking").value = "EA123456789CN"

        await take_step(pilot, "deliver", fill=delivery_defaults_to_the_requested_method, confirm=True)
        assert screen.view["stage"] == "closed"
        text = screen_text(app)
        assert "已办结" in text and "予以公开" in text
        timeline = [e["action"] for e in screen.view["events"]]
        assert timeline == ["register", "decide", "submit", "approve", "approve", "sign", "deliver"]
        for label in ("拟定办理结果", "提交审核", "审核通过", "签发", "送达"):
            assert label in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert table_rows(app.screen.query_one("#cases", DataTable)) == []  # no longer open
    view = cases.show(ctx, number)
    assert view["outcome"] == "disclosed" and view["concluded_on"] == "2025-03-20"


async def test_a_step_the_service_refuses_keeps_the_form_open_with_the_reason(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)

        async def bad_date(pilot):
            form = pilot.app.screen
            form.query_one("#o-on").value = "2025-03-01"  # before receipt
            form.query_one("#o-items").value = "请明确所需信息的文号"
            form.query_one("#o-correct_days").value = ""
            form.query_one("#o-correct_by").value = "2025-04-10"

        await pilot.press("a")
        await settle(pilot)
        await pilot.press(str(offered(app).index("request-correction") + 1))
        await settle(pilot)
        await bad_date(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionForm)
        error = app.screen.query_one("#form-error").content.plain
        assert "2025-03-01" in error and "早于收到申请日期" in error
        # Both limits given: the service's sentence names the form's fields, not command-line flags.
        app.screen.query_one("#o-on").value = "2025-03-10"
        app.screen.query_one("#o-correct_days").value = "10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = app.screen.query_one("#form-error").content.plain
        assert error == "「补正期限（收到告知书之日起的工作日数）」与「补正期限（具体日期）」只能给出一个", error
        app.screen.query_one("#o-correct_days").value = ""
        app.screen.query_one("#o-on").value = "2025-03-10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.view["stage"] == "correction_requested"
        assert "补正事项：请明确所需信息的文号，2025-04-10 前补正" in screen_text(app)


async def test_steps_not_allowed_for_the_users_roles_are_not_offered(ctx):  # noqa: F811
    admin.add_user(ctx, "boss", ["admin"])  # from now on users are checked
    boss = ServiceContext.open(ctx.db.url, "boss")
    admin.add_user(boss, "c1", ["clerk"])
    boss.db.dispose()
    c1 = ServiceContext.open(ctx.db.url, "c1")
    number = new_case(c1, "2025-03-03")
    act(c1, number, "decide", outcome="disclosed", provision="当面领取")
    act(c1, number, "submit")
    assert cases.show(c1, number)["stage"] == "office_review"
    app = ZwgkApp(c1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        screen = app.screen
        assert "approve" not in screen.view["allowed_actions"]
        assert "审核通过" not in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        steps = offered(app)
        assert "approve" not in steps and "return" not in steps and "sign" not in steps
        assert set(steps) == {"extend", "delay", "withdraw", "correct-date", "amend", "remedy"}
        await pilot.press("escape")
        await settle(pilot)
        screen.open_action("approve")  # even asked for directly, the form is not opened
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert any("不能办理“审核通过”" in n.message for n in app._notifications)
    c1.db.dispose()


async def test_a_concurrent_change_is_shown_as_a_conflict_and_the_case_refreshed(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        screen = app.screen
        seen_version = screen.view["version"]
        # Another clerk decides the case while this one is looking at it.
        other = ServiceContext.open(ctx.db.url, "clerk2")
        act(other, number, "decide", outcome="unavailable_not_held", searched=["本局档案室|清单|李四|2025-03-19"])
        other.db.dispose()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(str(offered(app).index("withdraw") + 1))
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # withdrawing closes the case: confirmed
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        text = screen_text(app)
        assert "已被他人修改" in text and f"第 {seen_version} 版" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert screen.view["version"] > seen_version
        assert screen.view["proposed_outcome"] == "unavailable_not_held"  # the other clerk's change is shown
        assert screen.view["stage"] == "drafting"  # and the withdrawal was not recorded
        assert "拟：无法提供·本机关不掌握" in screen_text(app)
    assert [e["action"] for e in cases.show(ctx, number)["events"]] == ["register", "decide"]


def test_every_step_has_a_chinese_label():
    from zwgk_tui.domain.workflow import STEPS

    for action in STEPS:
        assert action_label(action) != action
