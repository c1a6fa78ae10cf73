"""The terminal application shows what was typed: an applicant called "[/bold]李四[red]" (and a user name with
brackets) appears literally in the register, on the case screen and in the title — never as Rich markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.tui.tui_helpers import new_case, screen_text, settle
from zwgk_tui.services.context import ServiceContext
from zwgk_tui.tui.app import ZwgkApp

NAME = "[/bold]李四[red]"
CONTENT = "[red]某某[/red]文件清单 [link=http://x]y[/link]"


async def test_markup_in_names_and_content_is_shown_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_TODAY", "2025-03-20")
    ctx = ServiceContext.open(str(tmp_path / "t.db"), "[b]clerk[/b]")
    number = new_case(ctx, applicant=NAME, content=CONTENT)
    app = ZwgkApp(ctx)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            row = [getattr(c, "plain", str(c)) for c in app.screen.query_one(DataTable).get_row_at(0)]
            # The register's content column is 40 cells wide: the text is cut there, its brackets shown as typed.
            assert "[/bold]李四…" in row and "[red]某某[/red]文件清单 [link=http://x]…" in row
            assert app.title.endswith("用户：[b]clerk[/b]")
            app.open_case(number)
            await settle(pilot)
            shown = screen_text(app)
            assert NAME in shown and CONTENT in shown
            assert NAME in app.export_screenshot()
    finally:
        ctx.db.dispose()


async def test_verify_from_the_command_palette(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from zwgk_tui.tui.screens.dialogs import MessageDialog

    monkeypatch.setenv("ZWGK_TODAY", "2025-03-20")
    ctx = ServiceContext.open(str(tmp_path / "t.db"), "clerk1")
    number = new_case(ctx)
    app = ZwgkApp(ctx)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"verify")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MessageDialog)
            assert "未发现问题" in screen_text(app)
            await pilot.press("escape")
            with sqlite3.connect(tmp_path / "t.db") as con:
                con.execute("UPDATE cases SET outcome = 'disclosed'")
            await app.run_action("verify_history")
            await settle(pilot)
            shown = screen_text(app)
            assert f"{number}（default）：案件的办理结果（outcome）为 disclosed" in shown
    finally:
        ctx.db.dispose()
