"""A few screens as the clerk sees them at 100x30, with fixed data and a fixed today (2025-03-20)."""

from __future__ import annotations

from tui_helpers import act, ctx, fixed_clock, new_case, settle  # noqa: F401

from zwgk_tui.tui.app import ZwgkApp

SIZE = (100, 30)


def seed(ctx):  # noqa: F811
    a = new_case(ctx, "2025-02-18", "李四", "某镇征地补偿安置方案", id_number="11010519491231002X",
                 phone="13812345678", delivery="mail")
    new_case(ctx, "2025-02-27", "某某房地产开发有限公司", "2024年财政预算执行情况", applicant_type="business",
             channel="online")
    b = new_case(ctx, "2025-03-03", "张三", "2024年老旧小区改造项目清单", delivery="email")
    act(ctx, b, "decide", on="2025-03-10", outcome="partially_disclosed", reason="含有第三方个人信息",
        provided="项目清单", withheld=["住户身份证号码"], ground=["third_party"])
    act(ctx, b, "submit", on="2025-03-11")
    c = new_case(ctx, "2025-03-10", "赵六", "河道整治工程验收报告")
    act(ctx, c, "consult", on="2025-03-11", to="某某建设公司", party="third_party")
    return a, b, c


def test_register_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    fixed_clock(monkeypatch)
    seed(ctx)

    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(ZwgkApp(ctx), terminal_size=SIZE, run_before=ready)


def test_case_screen_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    fixed_clock(monkeypatch)
    _a, b, _c = seed(ctx)

    async def open_case(pilot):
        await settle(pilot)
        pilot.app.open_case(b)
        await settle(pilot)

    assert snap_compare(ZwgkApp(ctx), terminal_size=SIZE, run_before=open_case)


def test_registration_form_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    fixed_clock(monkeypatch)
    seed(ctx)

    async def fill(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#f-applicant").value = "王五"
        form.query_one("#f-id").focus()
        form.query_one("#f-id").value = "110105194912310021"  # wrong check digit
        await pilot.pause(0.4)
        await settle(pilot)

    assert snap_compare(ZwgkApp(ctx), terminal_size=SIZE, run_before=fill)


def test_action_menu_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    fixed_clock(monkeypatch)
    a, _b, _c = seed(ctx)

    async def menu(pilot):
        await settle(pilot)
        pilot.app.open_case(a)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(ZwgkApp(ctx), terminal_size=SIZE, run_before=menu)


def test_agency_settings_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    """First start: the agency still has the placeholder name, so its settings open over the register."""
    fixed_clock(monkeypatch)
    seed(ctx)

    async def ready(pilot):
        await settle(pilot)
        pilot.app.screen.query_one("#s-short-name").value = "某住建"
        await settle(pilot)

    assert snap_compare(ZwgkApp(ctx, first_run_setup=True), terminal_size=SIZE, run_before=ready)
