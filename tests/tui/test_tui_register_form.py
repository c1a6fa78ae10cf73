"""The registration form: every Art. 29 field, the Art. 31 receipt rule, inline validation, the hints."""

from __future__ import annotations

from textual.widgets import Button, DataTable, Input, Select, TextArea
from tui_helpers import ctx, new_case, screen_text, settle, table_rows  # noqa: F401

from zwgk_tui.services import cases
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.dialogs import ConfirmDialog
from zwgk_tui.tui.screens.register import RegisterScreen
from zwgk_tui.tui.screens.register_form import RegistrationForm


def form_error(app) -> str:
    return str(getattr(app.screen.query_one("#form-error").content, "plain", ""))


async def type_into(pilot, widget_id: str, value: str) -> None:
    widget = pilot.app.screen.query_one(f"#{widget_id}")
    widget.focus()
    if isinstance(widget, TextArea):
        widget.load_text(value)
    else:
        widget.value = value
    await pilot.pause()


async def test_registering_a_case_from_the_form(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RegistrationForm)
        assert form.query_one("#f-received", Input).value == "2025-03-20"  # defaults to today
        assert app.focused is form.query_one("#f-applicant", Input)
        await pilot.press(*"Zhang San")  # typed from the keyboard
        await pilot.press("tab")  # to the applicant type
        assert app.focused is form.query_one("#f-type", Select)
        await type_into(pilot, "f-id", "11010519491231002X")
        await type_into(pilot, "f-phone", "13812345678")
        await type_into(pilot, "f-address", "北京市东城区某街1号")
        await type_into(pilot, "f-content", "2024年老旧小区改造项目清单")
        await type_into(pilot, "f-items", "2")
        form.query_one("#f-delivery", Select).value = "mail"
        form.query_one("#f-channel", Select).value = "mail_registered"
        await type_into(pilot, "f-received", "2025-03-03")
        await settle(pilot)
        assert "签收之日" in screen_text(app)
        assert form_error(app) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        text = screen_text(app)
        assert "已登记 2025-0001" in str(dialog.query_one(".dialog-title").content)
        assert "答复期限：2025-03-31" in text
        assert "补正告知期限：2025-03-12" in text
        await pilot.press("n")  # back to the register, where the new case is listed
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        rows = table_rows(app.screen.query_one("#cases", DataTable))
        assert rows[0] == {"number": "2025-0001", "due": "2025-03-31", "status": "剩7", "stage": "已登记",
                           "applicant": "Zhang San", "received": "2025-03-03", "content": "2024年老旧小区改造项目清单"}
    view = cases.show(ctx, "2025-0001", reveal=True)
    assert view["applicant"]["name"] == "Zhang San"
    assert view["applicant"]["id_number"] == "11010519491231002X"
    assert view["applicant"]["phone"] == "13812345678"
    assert view["channel"] == "mail_registered"
    assert view["delivery"] == "mail"
    assert view["item_count"] == 2
    assert view["missing_elements"] == []


async def test_receipt_rule_follows_the_channel_and_asks_for_the_arrival_date(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        form = app.screen
        assert "以提交之日为收到申请之日" in screen_text(app)
        assert not form.query_one("#arrived-row").display
        form.query_one("#f-channel", Select).value = "online"
        await settle(pilot)
        assert "以双方确认之日为收到申请之日" in screen_text(app)
        assert form.query_one("#arrived-row").display
        form.query_one("#f-channel", Select).value = "mail_ordinary"
        await settle(pilot)
        assert "确认之日为收到申请之日" in screen_text(app)
        await type_into(pilot, "f-applicant", "李四")
        await type_into(pilot, "f-content", "某镇征地补偿安置方案")
        await type_into(pilot, "f-received", "2025-03-05")
        await type_into(pilot, "f-arrived", "2025-03-06")
        await pilot.pause(0.4)
        await settle(pilot)
        assert "到达日期 2025-03-06 晚于收到申请日期 2025-03-05" in form_error(app)
        await type_into(pilot, "f-arrived", "2025-03-04")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
    view = cases.show(ctx, "2025-0001")
    assert view["received_on"] == "2025-03-05"
    assert view["events"][0]["data"]["arrived"] == "2025-03-04"


async def test_inline_validation_in_chinese_under_the_form(ctx):  # noqa: F811
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        # Only what was typed is judged: nothing yet about the empty name and content.
        await type_into(pilot, "f-id", "110105194912310021")
        await pilot.pause(0.4)
        await settle(pilot)
        assert form_error(app) == "身份证号码 110105194912310021 第18位校验码应为 X，实际为 1"
        await type_into(pilot, "f-id", "11010519491231002X")
        await type_into(pilot, "f-received", "2025-02-30")
        await pilot.pause(0.4)
        await settle(pilot)
        assert "2025年2月只有28天" in form_error(app)
        await type_into(pilot, "f-received", "2025-03-21")
        await pilot.pause(0.4)
        await settle(pilot)
        assert "晚于今天" in form_error(app)
        await type_into(pilot, "f-received", "2025-03-20")
        await pilot.pause(0.4)
        await settle(pilot)
        assert form_error(app) == ""
        # Missing Art. 29 elements are a hint (correction notice), not an error.
        missing = str(app.screen.query_one("#form-missing").content.plain)
        assert "联系方式" in missing and "获取方式" in missing and "身份证明" not in missing
        # Saving with the required fields empty names them, and the form stays open with what was typed.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegistrationForm)
        assert "申请人姓名或名称不能为空" in form_error(app)
        assert app.screen.query_one("#f-id", Input).value == "11010519491231002X"
        assert not app.screen.query_one("#save", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
    assert cases.list_cases(ctx, count=True).total == 0


async def test_repeat_request_hint_after_registration(ctx):  # noqa: F811
    earlier = new_case(ctx, "2025-03-03", "张三", "2024年老旧小区改造项目清单", phone="13812345678")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "f-applicant", "张三")
        await type_into(pilot, "f-phone", "13812345678")  # the same person: name and phone (issue 10)
        await type_into(pilot, "f-content", "2024年老旧小区改造项目清单")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert f"同一申请人此前已就相同内容提出申请（{earlier}）" in text
        assert "缺少身份证明" in text
        await pilot.press("y")  # open the new case
        await settle(pilot)
        assert app.screen.id == "case" and app.screen.number == "2025-0002"
