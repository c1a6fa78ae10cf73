"""The benches' shared data set: `zwgk-tui demo --cases N --seed S` with ZWGK_TODAY=2025-03-20, built once into
/tmp/zwgk-bench-demo-N-sS.db by the project's own generator and reused (ANALYZEd, as the benches have always
measured)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2025-03-20"


def zwgk_command() -> list[str]:
    """The installed console script next to this interpreter (as a clerk runs it), else python -m zwgk_tui."""
    script = Path(sys.executable).parent / "zwgk-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "zwgk_tui"]


def demo_db(n: int, seed: int = 1, rebuild: bool = False) -> Path:
    path = Path(tempfile.gettempdir()) / f"zwgk-bench-demo-{n}-s{seed}.db"
    if rebuild or not path.exists():
        building = path.with_name(path.name + ".building")
        for p in (path, building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            p.unlink(missing_ok=True)
        t0 = time.perf_counter()
        env = {**os.environ, "ZWGK_TODAY": TODAY}
        env.pop("ZWGK_DB", None)
        subprocess.run([*zwgk_command(), "--db", str(building), "demo", "--cases", str(n), "--seed", str(seed)],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        con = sqlite3.connect(building)
        con.execute("ANALYZE")
        con.commit()
        con.close()  # the last connection's close checkpoints the WAL into the file that is renamed next
        os.replace(building, path)
        print(f"built {n:,} demo cases in {time.perf_counter() - t0:.1f} s: {path}")
    return path
