"""The console script's entry (`zwgk-tui`): starts a command with the cyclic garbage collector paused.

A command loads SQLAlchemy, the mapped tables and typer: a few hundred thousand long-lived objects and no garbage.
With the collector running, Python walks that growing heap again and again while it loads (about 60 ms of a
450 ms command on the bench machine) and once more at exit. So the collector is off while the command starts;
when the database is open (`resume_collector`, called by the CLI's context) everything loaded so far is frozen out
of later collections and collection resumes, so long commands (the TUI, imports, the annual report) collect as
usual. At exit whatever is left is frozen too, which spares the final walk over the whole heap.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Freeze what start-up loaded and turn the collector back on; a no-op unless `pause_collector` turned it off
    (the tests, and any program importing the CLI, keep their own collector settings)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def run() -> None:
    pause_collector()
    try:
        from zwgk_tui.cli.main import run as run_command

        run_command()
    finally:
        # Objects alive at exit are released with the process; the interpreter's last collection would only walk
        # them (frozen objects are skipped).
        gc.freeze()
