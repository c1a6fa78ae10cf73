"""Writing files produced by a callback (the agenda's and the government office's exports) under the project's one
output policy (services/outputs.py: never the database or any SQLite file, --force for an existing file, a directory
gets the default name), through a temporary file, readable by its owner only (0600) — these files name applicants.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from zwgk_tui.services.context import ServiceContext
from zwgk_tui.services.errors import InvalidInput
from zwgk_tui.services.outputs import output_path


def write_file(ctx: ServiceContext, requested: str | os.PathLike[str] | None, default_name: str,
               write: Callable[[Path], None], *, force: bool = False) -> Path:
    """Check the path, then call write(tmp) and move the finished file into place. Returns the path written."""
    path = output_path(ctx, requested, default_name, force=force)  # the project's one output policy
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        write(tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"无法写入“{path}”：{exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
