"""Shared by the TUI tests (imported by name: tests/tui is on sys.path under pytest's default import mode)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState

from zwgk_tui.services import cases
from zwgk_tui.services.context import CHINA_TZ, ServiceContext

TODAY = "2025-03-20"
FIXED_NOW = datetime(2025, 3, 20, 9, 30, tzinfo=CHINA_TZ)


@pytest.fixture
def ctx(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> ServiceContext:
    monkeypatch.setenv("ZWGK_TODAY", TODAY)
    monkeypatch.delenv("ZWGK_USER", raising=False)
    # The clerk is logged in to the computer as clerk1 (no users registered: the login acts, as itself).
    monkeypatch.setattr("zwgk_tui.services.context.os_login", lambda: "clerk1")
    context = ServiceContext.open(str(tmp_path / "t.db"), "clerk1")
    yield context
    context.db.dispose()


def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Recording timestamps shown on the case screen, fixed for snapshots."""
    monkeypatch.setattr(cases, "now_in_china", lambda: FIXED_NOW)


def new_case(ctx: ServiceContext, received: str = "2025-03-03", applicant: str = "张三",
             content: str = "2024年老旧小区改造项目清单", **kw: Any) -> str:
    return cases.register(ctx, cases.NewCase(
        applicant=applicant, applicant_type=kw.pop("applicant_type", "natural_person"),
        channel=kw.pop("channel", "in_person"), received=received, content=content, **kw,
    )).number


def act(ctx: ServiceContext, number: str, action: str, on: str = TODAY, **options: Any) -> dict[str, Any]:
    return cases.act(ctx, number, cases.StepInput(action=action, on=on, options=options))


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages start their workers, wait for every worker, and let their answers reach the screen."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        running = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not running:
            await pilot.pause()
            if not [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]:
                return
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
    raise AssertionError("workers did not settle")


def table_rows(table: Any) -> list[dict[str, str]]:
    """The DataTable's rows top to bottom, each as {column key: plain text}."""
    keys = [str(k.value) for k in table.columns]
    out = []
    for key in table.rows:
        out.append(dict(zip(keys, (str(getattr(c, "plain", c)) for c in table.get_row(key)), strict=True)))
    return out


def screen_text(app: Any) -> str:
    """Everything the Static widgets of the current screen show, as plain text."""
    from textual.widgets import Static

    parts = []
    for w in app.screen.query(Static):
        content = w.content
        if isinstance(content, str):
            parts.append(content)
        else:
            parts.append(getattr(content, "plain", None) or _plain(content))
    return "\n".join(parts)


def _plain(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    with console.capture() as cap:
        console.print(renderable)
    return cap.get()
