"""The decide form: the fields of a partial disclosure only when it is chosen, the evidence of a ground only when
that ground is chosen, what was typed kept across switching, and as many withheld parts as the clerk needs."""

from __future__ import annotations

from textual.widgets import Button, Input, OptionList, Select
from tui_helpers import ctx, new_case, screen_text, settle  # noqa: F401

from zwgk_tui.services import cases
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.action_form import ActionForm
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.dialogs import ConfirmDialog


def outcome_order() -> list[str]:
    from zwgk_tui.domain.codes import OUTCOME_SHORT_LABELS

    return list(OUTCOME_SHORT_LABELS)


def ground_order() -> list[str]:
    from zwgk_tui.domain.evidence import GROUNDS

    return list(GROUNDS)


async def open_decide(pilot, number: str) -> ActionForm:
    pilot.app.open_case(number)
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    await pilot.press("1")  # the first step offered on a registered case: 拟定办理结果
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ActionForm) and form.action == "decide"
    return form


async def choose(pilot, select_id: str, code: str, order: list[str]) -> None:
    """Open the drop-down list with Enter and move to `code` with the arrow keys, as a clerk does."""
    form = pilot.app.screen
    select = form.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.pause()
    current = -1 if select.value is Select.NULL else order.index(str(select.value))
    await pilot.press("enter")
    await pilot.pause()
    target = order.index(code)
    step = "down" if target > current else "up"
    for _ in range(abs(target - current)):
        await pilot.press(step)
    await pilot.press("enter")
    await settle(pilot)
    assert select.value == code


def shown(form: ActionForm, row_id: str) -> bool:
    row = form.query_one(f"#{row_id}")
    return bool(row.display) and all(a.display for a in row.ancestors if hasattr(a, "display"))


def footer_keys(app) -> list[str]:
    return [k.description for k in app.screen.query("FooterKey")]


async def test_partial_disclosure_fields_follow_the_outcome_and_keep_what_was_typed(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_decide(pilot, number)
        assert not shown(form, "row-withheld-0") and not shown(form, "row-add-withheld")
        assert "再加一项" not in footer_keys(app)
        await choose(pilot, "o-outcome", "partially_disclosed", outcome_order())
        assert shown(form, "row-provided") and shown(form, "row-withheld-0") and shown(form, "row-add-withheld")
        assert "不予公开的部分 1 *" in screen_text(app)
        assert "再加一项" in footer_keys(app)
        # No ground chosen yet: no evidence field of any ground.
        for row in ("row-secret_marking", "row-kind_of_info", "row-searched-0", "row-responsible_agency",
                    "row-responsible_contact"):
            assert not shown(form, row), row
        form.query_one("#o-provided", Input).value = "项目清单"
        form.query_one("#o-withheld-0", Input).value = "中标价格"
        await choose(pilot, "o-ground-0", "third_party", ground_order())
        await choose(pilot, "o-outcome", "disclosed", outcome_order())
        assert not shown(form, "row-withheld-0") and not shown(form, "row-provided")
        assert not shown(form, "row-add-withheld") and "再加一项" not in footer_keys(app)
        await choose(pilot, "o-outcome", "partially_disclosed", outcome_order())
        assert shown(form, "row-withheld-0")
        assert form.query_one("#o-withheld-0", Input).value == "中标价格"
        assert form.query_one("#o-ground-0", Select).value == "third_party"
        assert form.query_one("#o-provided", Input).value == "项目清单"


async def test_evidence_fields_follow_the_grounds_and_hidden_ones_are_not_sent(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03", delivery="email", email="a@b.cn")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        form = await open_decide(pilot, number)
        await choose(pilot, "o-outcome", "partially_disclosed", outcome_order())
        form.query_one("#o-provided", Input).value = "项目清单"
        form.query_one("#o-withheld-0", Input).value = "会议纪要"
        await choose(pilot, "o-ground-0", "state_secret", ground_order())
        assert shown(form, "row-secret_marking") and not shown(form, "row-kind_of_info")
        assert "密级和保密期限 *" in screen_text(app)
        form.query_one("#o-secret_marking", Input).value = "机密★10年"
        await choose(pilot, "o-ground-0", "process_info", ground_order())
        assert shown(form, "row-kind_of_info") and not shown(form, "row-secret_marking")
        assert "信息种类 *" in screen_text(app)
        await choose(pilot, "o-ground-0", "not_this_agency", ground_order())
        assert shown(form, "row-responsible_agency") and shown(form, "row-responsible_contact")
        await choose(pilot, "o-ground-0", "not_held", ground_order())
        assert shown(form, "row-searched-0") and shown(form, "row-add-searched")
        assert not shown(form, "row-responsible_agency")
        await choose(pilot, "o-ground-0", "process_info", ground_order())
        form.query_one("#o-kind_of_info", Input).value = "请示报告"
        # What was typed for the ground chosen before is still there, but not sent.
        assert form.query_one("#o-secret_marking", Input).value == "机密★10年"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), screen_text(app)
    data = cases.show(ctx, number)["events"][-1]["data"]
    assert data["withheld_parts"] == ["会议纪要"] and data["grounds"] == ["process_info"]
    assert data["kind_of_info"] == "请示报告" and "secret_marking" not in data


async def test_a_fourth_and_fifth_withheld_part_are_added_and_submitted(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03", delivery="email", email="a@b.cn")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_decide(pilot, number)
        await choose(pilot, "o-outcome", "partially_disclosed", outcome_order())
        form.query_one("#o-provided", Input).value = "项目清单"
        parts = ["中标价格", "评标专家名单", "投标人报价明细", "内部请示", "会议纪要"]
        grounds = ["third_party", "third_party", "third_party", "process_info", "process_info"]
        form.query_one("#o-withheld-0", Input).value = parts[0]
        for i in range(1, 5):
            if i == 4:  # the button under the rows does the same as Ctrl+N
                form.query_one("#add-withheld", Button).press()
            else:
                await pilot.press("ctrl+n")
            await settle(pilot)
            new = form.query_one(f"#o-withheld-{i}", Input)
            assert new.has_focus  # the clerk types the new part at once
            assert f"不予公开的部分 {i + 1}" in screen_text(app)
            for ch in parts[i]:
                await pilot.press(ch)
        assert [form.query_one(f"#o-withheld-{i}", Input).value for i in range(5)] == parts
        for i, g in enumerate(grounds):
            await choose(pilot, f"o-ground-{i}", g, ground_order())
        form.query_one("#o-kind_of_info", Input).value = "请示报告"
        form.query_one("#o-reason", Input).value = "涉及投标人商业秘密"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), screen_text(app)
    data = cases.show(ctx, number)["events"][-1]["data"]
    assert data["withheld_parts"] == parts and data["grounds"] == grounds


async def test_an_empty_added_row_is_not_a_change_and_a_missing_ground_is_refused_in_form_words(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03", delivery="email", email="a@b.cn")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        form = await open_decide(pilot, number)
        await choose(pilot, "o-outcome", "partially_disclosed", outcome_order())
        form.query_one("#o-provided", Input).value = "项目清单"
        form.query_one("#o-withheld-0", Input).value = "中标价格"
        await pilot.press("ctrl+n")
        await settle(pilot)
        form.query_one("#o-withheld-1", Input).value = "评标专家名单"
        await choose(pilot, "o-ground-0", "third_party", ground_order())
        await pilot.press("ctrl+s")  # the second part has no ground
        await settle(pilot)
        error = form.query_one("#form-error").content.plain
        assert "须逐项写明不予公开的部分" in error and "--" not in error, error
        await choose(pilot, "o-outcome", "disclosed", outcome_order())
        assert not form.query_one("#form-error").display  # the refusal was about the outcome chosen before
    # A form opened and left with only an empty row added closes without asking (request-correction: its list of
    # what the application lacks is shown from the start).
    other = new_case(ctx, "2025-03-04")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_case(other)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        options = app.screen.query_one("#choices", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("request-correction")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ActionForm) and shown(form, "row-missing-0")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert shown(form, "row-missing-1") and form.query_one("#o-missing-1", Select).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert isinstance(app.screen, CaseScreen)


async def test_at_80x24_a_long_refusal_leaves_the_buttons_on_screen(ctx):  # noqa: F811
    """A tall form and a long refusal share the 24 lines: the fields scroll and the message is cut to five lines
    (scrollable), so 确定 and 取消 stay visible."""
    number = new_case(ctx, "2025-03-03")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_decide(pilot, number)
        await choose(pilot, "o-outcome", "partially_disclosed", outcome_order())
        for _ in range(4):
            await pilot.press("ctrl+n")
            await settle(pilot)
        missing = "个不予公开的部分缺少依据，请选择第十四条、第十五条或第十六条"
        form._error("；".join(f"第 {i} {missing}" for i in range(1, 9)))
        await settle(pilot)
        screen = app.screen.region
        for button in form.query(Button):
            if str(button.label).startswith(("确定", "取消")):
                assert screen.contains_region(button.region), (str(button.label), button.region)
