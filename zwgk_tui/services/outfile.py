"""Writing the agenda's and the government office's files: one small function, so the project's shared
output-path policy can take its place in one spot.

The policy it keeps: never the database (or its -wal/-shm/-journal, or any other SQLite file); an existing file
only with --force; a directory gets the default file name inside it; the folder must exist and be writable; the
file is written through a temporary file and is readable by its owner only (0600) — these files name applicants.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from zwgk_tui.services.context import ServiceContext
from zwgk_tui.services.errors import InvalidInput

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _database_files(ctx: ServiceContext) -> list[Path]:
    if not ctx.db.is_sqlite:
        return []
    name = make_url(ctx.db.url).database
    if not name or name == ":memory:":
        return []
    live = Path(name)
    return [live, *(Path(f"{live}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def write_file(ctx: ServiceContext, requested: str | os.PathLike[str] | None, default_name: str,
               write: Callable[[Path], None], *, force: bool = False) -> Path:
    """Check the path, then call write(tmp) and move the finished file into place. Returns the path written."""
    text = os.fspath(requested) if requested is not None else ""
    path = Path(text).expanduser() if text.strip() else Path(default_name)
    if path.is_dir():
        path = path / default_name
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidInput(f"无法写入“{path}”：目录“{parent}”不存在")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInput(f"无法写入“{path}”：没有目录“{parent}”的写权限")
    if any(_same(path, p) for p in _database_files(ctx)):
        raise InvalidInput(f"“{path}”是正在使用的数据库文件，不能写入：请换一个文件名")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise InvalidInput(f"“{path}”不是普通文件，不能写入：请换一个文件名")
        if _is_sqlite(path):
            raise InvalidInput(f"“{path}”是一个数据库文件，不能被覆盖：请换一个文件名")
        if not force:
            raise InvalidInput(f"文件“{path}”已存在：确需覆盖请加 --force，或换一个文件名")
        if not os.access(path, os.W_OK):
            raise InvalidInput(f"无法写入“{path}”：文件只读")
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
