"""The console script starts a command with the cyclic collector paused and resumes it once the database is open
(zwgk_tui/cli/start.py): commands start faster, and long ones (the TUI, imports, the annual report) still collect."""

import gc
import os
import subprocess
import sys
from importlib.metadata import entry_points

from zwgk_tui.cli import start

REPORT = """
import atexit, gc, sys
atexit.register(lambda: sys.stderr.write(f"GC:{{gc.isenabled()}}:{{gc.get_freeze_count() > 0}}\\n"))
sys.argv = ["zwgk-tui", *{args!r}]
from zwgk_tui.cli.start import run
run()
"""


def _collector_at_exit(args: list[str], env: dict[str, str]) -> str:
    r = subprocess.run([sys.executable, "-c", REPORT.format(args=args)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    return next(line for line in r.stderr.splitlines() if line.startswith("GC:"))


def test_the_console_script_is_the_entry_that_pauses_the_collector():
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "zwgk-tui"]
    assert script.value == "zwgk_tui.cli.start:run"


def test_a_command_runs_with_the_collector_back_on_and_the_start_up_heap_frozen(tmp_path):
    env = {**os.environ, "ZWGK_DB": str(tmp_path / "g.db"), "ZWGK_TODAY": "2025-03-20", "ZWGK_USER": "clerk"}
    subprocess.run([sys.executable, "-m", "zwgk_tui", "init"], check=True, capture_output=True, env=env)
    assert _collector_at_exit(["case", "list", "--open"], env) == "GC:True:True"


def test_pause_and_resume_leave_a_collector_someone_else_turned_off_alone():
    was = gc.isenabled()
    try:
        gc.disable()
        start.pause_collector()
        start.resume_collector()
        assert not gc.isenabled()  # not ours to turn on
        gc.enable()
        start.pause_collector()
        assert not gc.isenabled()
        start.resume_collector()
        assert gc.isenabled()
        start.resume_collector()  # a second call is a no-op
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        if was:
            gc.enable()
        else:
            gc.disable()
