"""The agenda's three tabs, the government office's screen and much-requested information as the clerk sees them
at 100x30, with fixed data and a fixed today (2025-03-20)."""

from __future__ import annotations

from test_tui_agenda import seed
from tui_helpers import ctx, fixed_clock, settle  # noqa: F401

from zwgk_tui.tui.app import ZwgkApp

SIZE = (100, 30)


def _snap(snap_compare, ctx, monkeypatch, *keys):  # noqa: F811
    fixed_clock(monkeypatch)
    seed(ctx)

    async def ready(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        # The tabs' underline slides to the active tab: take the picture once it has arrived.
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    return snap_compare(ZwgkApp(ctx, open_agenda=True), terminal_size=SIZE, run_before=ready)


def test_agenda_today_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    assert _snap(snap_compare, ctx, monkeypatch)


def test_agenda_week_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    assert _snap(snap_compare, ctx, monkeypatch, "2")


def test_agenda_overdue_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    assert _snap(snap_compare, ctx, monkeypatch, "3")


def test_office_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    assert _snap(snap_compare, ctx, monkeypatch, "o")


def test_hot_topics_snapshot(snap_compare, ctx, monkeypatch):  # noqa: F811
    assert _snap(snap_compare, ctx, monkeypatch, "h")
