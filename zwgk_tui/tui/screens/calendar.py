"""The working-day calendar: a year at a glance (休 = day off, 班 = make-up working day), the last year with
official data, and the import of a State Council holiday notice with a preview of what it changes."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from zwgk_tui.services import calendar_service
from zwgk_tui.tui.common import ServiceFailed
from zwgk_tui.tui.screens.dialogs import ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.prompt import PromptDialog
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
MONTH_WIDTH = 36
MAX_LISTED = 40


def _is_holiday(d: dict[str, Any]) -> bool:
    """A day off of a holiday period, including the weekend days inside it (2026-01-03 is 元旦 too)."""
    return d["kind"] == "holiday" or (d["kind"] == "weekend" and bool(d.get("name")))


def month_text(month: dict[str, Any], today: str) -> Text:
    names: list[str] = []
    for week in month["weeks"]:
        for d in week:
            if d and _is_holiday(d) and d.get("name") and d["name"] not in names:
                names.append(d["name"])
    out = Text(f"{month['month']}月", style="bold")
    if names:
        out.append("　" + "、".join(names), style="red")
    out.append("\n")
    out.append(" ".join(f"  {w}" for w in WEEKDAYS) + "\n", style="dim")
    for week in month["weeks"]:
        for i, d in enumerate(week):
            if i:
                out.append(" ")
            if d is None:
                out.append("    ")
                continue
            day = int(d["date"][-2:])
            kind = d["kind"]
            holiday = _is_holiday(d)
            mark = "休" if holiday else "班" if kind == "makeup_workday" else "  "
            style = ""
            if holiday:
                style = "bold red"
            elif kind == "weekend":
                style = "red"
            elif kind == "makeup_workday":
                style = "bold yellow"
            if d.get("overridden"):
                style += " underline"
            if d["date"] == today:
                style += " reverse"
            out.append(f"{day:>2}{mark}", style=style.strip())
        out.append("\n")
    return out


def moved_lines(moved: list[Any]) -> list[str]:
    """Cases whose due date moves, then (in one line) those whose date stays but stops being provisional."""
    changed = [m for m in moved if m.old_due != m.new_due]
    confirmed = len(moved) - len(changed)
    if not moved:
        return ["没有在办案件的答复期限因此改变。"]
    lines = []
    if changed:
        lines.append(f"以下 {len(changed)} 件在办案件的答复期限随之改变：")
        for m in changed[:MAX_LISTED]:
            old = m.old_due.isoformat() if m.old_due else "暂停计时"
            new = m.new_due.isoformat() if m.new_due else "暂停计时"
            lines.append(f"  {m.number}（{m.agency}）：{old} → {new}")
        if len(changed) > MAX_LISTED:
            lines.append(f"  ……另有 {len(changed) - MAX_LISTED} 件（可在登记簿中按答复期限查看）")
    else:
        lines.append("没有在办案件的答复期限日期因此改变。")
    if confirmed:
        lines.append(f"另有 {confirmed} 件的答复期限日期不变，由“暂定”转为正式（或反之）。")
    return lines


class CalendarScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="calendar.back"),
        Binding("left_square_bracket,pageup", "year(-1)", "上一年", key_display="[", id="calendar.prev"),
        Binding("right_square_bracket,pagedown", "year(1)", "下一年", key_display="]", id="calendar.next"),
        Binding("i", "import_notice", "导入节假日通知", id="calendar.import"),
        Binding("r,f5", "refresh", "刷新", id="calendar.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, view: dict[str, Any], status: dict[str, Any]) -> None:
            super().__init__()
            self.view = view
            self.status = status

    class Previewed(Message):
        def __init__(self, text: str, preview: Any) -> None:
            super().__init__()
            self.text = text
            self.preview = preview

    class Applied(Message):
        def __init__(self, year: int, moved: list[Any]) -> None:
            super().__init__()
            self.year = year
            self.moved = moved

    def __init__(self) -> None:
        super().__init__(id="calendar")
        self.year = 0

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        yield Static("", id="calendar-status")
        with VerticalScroll(id="calendar-body"), Grid(id="months"):
            for m in range(1, 13):
                yield Static("", id=f"month-{m}", classes="month")
        yield Static(Text.assemble(("休", "bold red"), " 法定节假日放假　", ("红色", "red"), " 周末　",
                                   ("班", "bold yellow"), " 调休上班　", ("下划线", "underline"), " 本地调整"),
                     id="calendar-legend")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.year = self.ctx.today().year
        self.query_one("#calendar-body").focus()
        self._fit()
        self.load()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        columns = max(1, min(4, (self.size.width - 2) // MONTH_WIDTH))
        self.query_one("#months", Grid).styles.grid_size_columns = columns

    def load(self) -> None:
        self.sub_title = f"{self.year} 年工作日日历"
        self.fetch(self.year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="calendar-load")
    def fetch(self, year: int) -> None:
        try:
            view = calendar_service.year_view(self.ctx, year)
            status = calendar_service.status(self.ctx)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取日历"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(view, status))

    def on_calendar_screen_loaded(self, message: Loaded) -> None:
        view, st = message.view, message.status
        today = self.ctx.today().isoformat()
        for m in view["months"]:
            self.query_one(f"#month-{m['month']}", Static).update(month_text(m, today))
        head = Text(f"{view['year']} 年　", style="bold")
        if view["provisional"]:
            head.append(f"暂定：尚无该年度国务院节假日安排（最后正式年度 {view['last_official_year']}），"
                        "按法定节日推算，没有调休；请按 i 导入通知", style="bold yellow")
        else:
            head.append(f"正式数据　最后正式年度：{view['last_official_year']}", style="green")
        head.append(f"\n数据来源：{st['source']}（自带数据至 {st['package_last_official_year']} 年）", style="dim")
        imported = "、".join(f"{y['year']}年" for y in st.get("imported_years") or [])
        if imported:
            head.append(f"　已导入通知：{imported}", style="dim")
        if st.get("overrides"):
            head.append(f"　本地调整 {len(st['overrides'])} 天", style="dim")
        self.query_one("#calendar-status", Static).update(head)

    # -- actions ---------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_year(self, delta: int) -> None:
        if 2000 <= self.year + delta <= 2045:
            self.year += delta
            self.load()

    def action_import_notice(self) -> None:
        def path_chosen(path: str | None) -> None:
            if path and path.strip():
                self.preview(path.strip())

        self.app.push_screen(
            PromptDialog("导入国务院办公厅节假日安排通知",
                         "通知全文的文本文件路径（UTF-8 或 GBK 编码，从政府网复制正文保存即可）",
                         placeholder="如 ~/下载/2027年节假日安排.txt"),
            path_chosen,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="calendar-import")
    def preview(self, path: str) -> None:
        try:
            text = calendar_service.read_notice_file(path)
            preview = calendar_service.preview_import(self.ctx, text)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取通知"))
            return
        self.post_message(self.Previewed(text, preview))

    def on_calendar_screen_previewed(self, message: Previewed) -> None:
        p = message.preview
        n = p.notice
        lines: list[str | Text] = [Text(line) for line in n.describe()]
        if getattr(n, "ignored", None):
            lines.append(Text("以下句子含日期但未识别为放假或上班，未采用：", style="yellow"))
            lines += [Text(f"  {s}", style="yellow") for s in n.ignored]
        if p.changes:
            lines.append(Text(f"与当前日历相比，{len(p.changes)} 天改变：", style="bold"))
            for d, old, new in p.changes[:MAX_LISTED]:
                lines.append(f"  {d.isoformat()} 周{WEEKDAYS[d.weekday()]}：{'上班' if old.working else '休息'} → "
                             f"{'上班' if new.working else '休息'}" + (f"（{new.name}）" if new.name else ""))
            if len(p.changes) > MAX_LISTED:
                lines.append(f"  ……另有 {len(p.changes) - MAX_LISTED} 天")
        else:
            lines.append("与当前日历相比没有改变工作日" + ("" if p.already_official else "；该年度将标为正式数据"))
        lines += moved_lines(p.moved)

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.apply(message.text, n.year)

        self.app.push_screen(ConfirmDialog(f"确认导入：{n.title}", lines, yes="应用（Y）", no="不导入（N）"),
                             confirmed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="calendar-import")
    def apply(self, text: str, year: int) -> None:
        try:
            _, moved = calendar_service.apply_import(self.ctx, text)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "导入通知"))
            return
        self.post_message(self.Applied(year, moved))

    def on_calendar_screen_applied(self, message: Applied) -> None:
        self.year = message.year
        self.load()
        self.app.push_screen(MessageDialog(f"已导入，{message.year} 年日历现为正式数据", moved_lines(message.moved)))

