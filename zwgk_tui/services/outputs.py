"""Where a command may write a file (`doc`, `stats -o`, `backup`, exports): one policy for all.

- never the live database or its -wal/-shm/-journal, nor any other SQLite database file (a register, a backup);
- an existing file only with --force (or when it already holds exactly these bytes: a reprint changes nothing);
- a directory (or a path ending in /) gets the default file name inside it;
- the folder must exist and be writable. Files are then written owner-only (0600) by the atomic writers.
Nothing is written when the path is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from zwgk_tui.persistence.database import is_sqlite_file, sqlite_companions
from zwgk_tui.services.context import ServiceContext
from zwgk_tui.services.errors import InvalidInput


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def output_path(ctx: ServiceContext, requested: str | os.PathLike[str] | None, default_name: str, *,
                force: bool = False, content: bytes | None = None, sqlite_ok: bool = False) -> Path:
    """The file to write for `requested` (None: the default name in the current folder), or InvalidInput.

    `content`: the bytes about to be written (an identical existing file needs no --force). `sqlite_ok`: the
    output is itself an SQLite file (a backup), so another SQLite file may be replaced — with --force, and never
    the live database."""
    text = os.fspath(requested) if requested is not None else ""
    if not text.strip():
        path = Path.cwd() / default_name
    else:
        path = Path(text).expanduser()
        if text.endswith(("/", os.sep)) and not path.is_dir():
            raise InvalidInput(f"输出目录“{text}”不存在，请先建立目录或给出文件名")
        if path.is_dir():
            path = path / default_name
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidInput(f"无法写入“{path}”：目录“{parent}”不存在")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInput(f"无法写入“{path}”：没有目录“{parent}”的写权限")
    live = ctx.db.sqlite_path
    if live is not None and any(_same(path, p) for p in (live, *sqlite_companions(live))):
        raise InvalidInput(f"“{path}”是正在使用的数据库文件，不能写入：请换一个文件名")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise InvalidInput(f"“{path}”不是普通文件，不能写入：请换一个文件名")
        if is_sqlite_file(path) and not sqlite_ok:
            raise InvalidInput(f"“{path}”是一个数据库文件，不能被覆盖：请换一个文件名")
        if content is not None and _holds(path, content):
            return path
        if not force:
            raise InvalidInput(f"文件“{path}”已存在：确需覆盖请加 --force，或换一个文件名")
        if not os.access(path, os.W_OK):
            raise InvalidInput(f"无法写入“{path}”：文件只读")
    return path


def _holds(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False
