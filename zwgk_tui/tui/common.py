"""Small pieces every screen uses: how an error is told to the clerk, the messages workers post back, and
formatting of dates and deadlines for the screen."""

from __future__ import annotations

import logging
from typing import Any

from rich.text import Text
from textual.message import Message

from zwgk_tui.services.errors import Conflict, ServiceError

log = logging.getLogger("zwgk_tui.tui")

STATUS_STYLES = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "paused": "cyan",
    "normal": "",
    "closed": "dim",
}
STATUS_WORDS = {
    "overdue": "逾期",
    "due_soon": "临期",
    "paused": "暂停计时",
    "normal": "正常",
    "closed": "已办结",
}


def service_text(text: str, step: str | None = None) -> str:
    """A service's sentence in the TUI's words: the flags and commands it names become the fields, screens and
    keys that do the same (tui/words.py; the command line keeps the service's wording)."""
    from zwgk_tui.tui.words import tui_words

    return tui_words(text, step)


def error_text(exc: BaseException) -> str:
    """A sentence for the clerk. Service errors already are; database and program faults are named plainly."""
    if isinstance(exc, ServiceError):
        return service_text(exc.message)
    try:
        from sqlalchemy.exc import OperationalError, SQLAlchemyError
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency
        OperationalError = SQLAlchemyError = ()  # type: ignore[assignment,misc]
    from zwgk_tui.services.errors import database_fault_text as describe_db_error

    if isinstance(exc, OperationalError):
        msg = describe_db_error(exc)
        if "locked" in msg or "busy" in msg:
            return "数据库正被其他用户占用（已等待30秒），本次操作未保存，请稍后重试"
        return f"无法访问数据库：{msg}"
    if isinstance(exc, SQLAlchemyError):
        # The database's own sentence only: never the statement or its parameters (ID numbers, phones).
        return f"数据库错误：{describe_db_error(exc)}"
    return f"程序内部错误（{type(exc).__name__}：{exc}），本次操作未完成；请把这段文字告诉管理员"


class ServiceFailed(Message):
    """Posted by a worker (from its thread) to the app when a service call failed."""

    def __init__(self, exc: BaseException, what: str = "") -> None:
        super().__init__()
        self.exc = exc
        self.what = what

    @property
    def is_conflict(self) -> bool:
        return isinstance(self.exc, Conflict)


def due_text(due: str | None, provisional: bool) -> str:
    if not due:
        return "—"
    return f"{due} 暂定" if provisional else due


def status_cell(row: dict[str, Any]) -> str:
    """The urgency column of the register: word and working days, so colour is never the only signal."""
    status = str(row["status"])
    left = row.get("working_days_left")
    if status == "overdue":
        return f"逾期{-left}" if left is not None else "逾期"
    if status == "due_soon":
        return f"临期 剩{left}"
    if status == "normal":
        return f"剩{left}"
    if status == "paused" and row.get("stage") == "correction_requested":
        return "待补正"
    return STATUS_WORDS.get(status, status)


def styled(value: str, style: str) -> Text:
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")


def clip(value: str, width: int) -> str:
    """Cut to a display width (CJK characters take two cells)."""
    from rich.cells import cell_len

    if cell_len(value) <= width:
        return value
    out = []
    used = 0
    for ch in value:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def unwritable(ctx: Any, path: str) -> str | None:
    """Why `path` can never be written (the live database, a directory, no permission…), or None. Asked before
    offering to overwrite an existing file, so a clerk is not invited to replace what will be refused anyway."""
    from zwgk_tui.services import outputs

    try:
        outputs.output_path(ctx, path, "导出文件", force=True)
    except ServiceError as exc:
        return exc.message
    return None
