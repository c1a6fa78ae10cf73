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
            assert "[/bold]李四…" in row and CONTENT in row
            assert app.title.endswith("用户：[b]clerk[/b]")
            app.open_case(number)
            await settle(pilot)
            shown = screen_text(app)
            assert NAME in shown and CONTENT in shown
            assert NAME in app.export_screenshot()
    finally:
        ctx.db.dispose()
