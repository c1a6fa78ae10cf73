"""Issue 10 in the terminal application: the decide form offers what the outcome needs, amendments, drafts and void
documents in the list."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Select
from tui_helpers import act, ctx, new_case, screen_text, settle  # noqa: F401

from zwgk_tui.services import admin, cases, documents
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.action_form import ActionForm
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.dialogs import MessageDialog


def offered(app) -> list[str]:
    options = app.screen.query_one("#choices", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def open_step(pilot, action: str) -> ActionForm:
    await pilot.press("a")
    await settle(pilot)
    steps = offered(pilot.app)
    pilot.app.screen.query_one("#choices", OptionList).highlighted = steps.index(action)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ActionForm)
    return pilot.app.screen


def shown(form: ActionForm, row: str) -> bool:
    return bool(form.query_one(f"#{row}").display)


async def test_the_decide_form_offers_exactly_what_the_outcome_needs(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        form = await open_step(pilot, "decide")
        assert not shown(form, "row-secret_marking") and not shown(form, "row-reason")  # nothing until chosen
        form.query_one("#o-outcome", Select).value = "withheld_state_secret"
        await pilot.pause()
        assert shown(form, "row-secret_marking") and shown(form, "row-reason")
        assert not shown(form, "row-provided") and not shown(form, "row-searched-0")
        assert "*" in str(form.query_one("#row-secret_marking").children[0].content)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionForm)
        assert "须记录密级标识和保密期限（「密级和保密期限」" in app.screen.query_one("#form-error").content.plain
        form.query_one("#o-outcome", Select).value = "unavailable_not_held"
        await pilot.pause()
        assert shown(form, "row-searched-0") and not shown(form, "row-secret_marking")
        form.query_one("#o-searched-0", Input).value = "本局档案室|老旧小区改造 清单|李四|2025-03-19"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), screen_text(app)
        decide = cases.show(ctx, number)["events"][-1]
        assert decide["data"]["searches"] == [
            {"scope": "本局档案室", "terms": "老旧小区改造 清单", "by": "李四", "on": "2025-03-19"}]


async def test_partial_disclosure_pairs_each_withheld_part_with_its_ground(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03", delivery="email", email="a@b.cn")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        form = await open_step(pilot, "decide")
        form.query_one("#o-outcome", Select).value = "partially_disclosed"
        await pilot.pause()
        form.query_one("#o-provided", Input).value = "项目清单"
        form.query_one("#o-withheld-0", Input).value = "中标价格"
        form.query_one("#o-ground-0", Select).value = "third_party"
        await pilot.press("ctrl+n")  # one row to start with; a second part needs a second row
        await pilot.pause()
        form.query_one("#o-withheld-1", Input).value = "内部请示"
        form.query_one("#o-ground-1", Select).value = "process_info"
        form.query_one("#o-kind_of_info", Input).value = "请示报告"
        form.query_one("#o-reason", Input).value = "涉及投标人商业秘密"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), screen_text(app)
    data = cases.show(ctx, number)["events"][-1]["data"]
    assert data["withheld_parts"] == ["中标价格", "内部请示"] and data["grounds"] == ["third_party", "process_info"]


async def test_amend_form_records_the_change_and_the_reason(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03", "张山")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        form = await open_step(pilot, "amend")
        assert form.query_one("#o-applicant", Input).placeholder == "现为：张山"
        form.query_one("#o-applicant", Input).value = "张三"
        form.query_one("#o-reason", Input).value = "姓名登记错误"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        text = screen_text(app)
        assert "更正登记信息" in text and "申请人：张山 → 张三" in text and "张三（自然人）" in text


async def test_documents_list_shows_issued_void_and_drafts(ctx, tmp_path):  # noqa: F811
    admin.set_agency(ctx, "default", name="某县住房和城乡建设局", reconsideration_body="某县人民政府",
                     court="某县人民法院")
    number = new_case(ctx, "2025-03-03")
    act(ctx, number, "decide", on="2025-03-10", outcome="withheld_process_info", kind_of_info="请示报告")
    for step in ("submit", "approve", "approve", "sign"):
        act(ctx, number, step, on="2025-03-11")
    documents.issue(ctx, number, "reply", str(tmp_path))
    act(ctx, number, "return", on="2025-03-12", comment="应予公开")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        assert "作废" in screen_text(app) and "退回修改：应予公开" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        kinds = offered(app)
        app.screen.query_one("#choices", OptionList).highlighted = kinds.index("reply")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")  # 草稿
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog) and "未编文号" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "草稿" in text and "作废" in text
    assert [d["status"] for d in cases.show(ctx, number)["documents"]] == ["void"]  # the draft is not recorded
