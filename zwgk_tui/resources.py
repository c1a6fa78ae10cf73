"""Where shipped data lives: the repository checkout, or the wheel's zwgk_tui/_data (pyproject force-include)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`name` is "db" or "templates/docx"; the wheel copy wins when both exist."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到程序数据目录 {name}（安装不完整？）")
