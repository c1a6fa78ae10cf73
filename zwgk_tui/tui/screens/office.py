"""The government office's screens: the per-agency board with the week's new requests (政府办汇总), and
much-requested information with its proactive publication (多人申请, Art. 44).

Office users see every agency, clerks their own (the services decide). Every call runs in a thread worker."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from zwgk_tui.domain import agenda as ag
from zwgk_tui.exports.office_export import note, rate_text, title
from zwgk_tui.services import office
from zwgk_tui.tui.common import ServiceFailed, clip
from zwgk_tui.tui.screens.dialogs import ChoiceDialog, MessageDialog, write_to_chosen_path
from zwgk_tui.tui.screens.prompt import PromptDialog
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

# Short headers: the board fits 80 columns (the files spell them out: exports/office_export.BOARD_HEADERS).
BOARD_COLUMNS = (("agency", "机关", 10), ("received", "本周", 4), ("open", "在办", 4), ("overdue", "逾期", 4),
                 ("soon", "5日内", 5), ("office", "政府办", 6), ("legal", "法制", 4), ("procs", "复议诉讼", 8),
                 ("corrected", "纠正/审结", 9), ("rate", "纠错率", 6))
WEEKLY_FORMATS = [("docx", "Word 文档（.docx）"), ("xlsx", "Excel 表格（.xlsx）")]


class OfficeScreen(Screen[None]):
    """政府办汇总: the board for a week, and that week's new requests of every agency."""

    DEFAULT_CSS = """
    OfficeScreen #office-title { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    OfficeScreen #office-board { height: auto; max-height: 12; }
    OfficeScreen #office-sub { height: 1; padding: 0 1; text-style: bold; margin-top: 1; }
    OfficeScreen #office-requests { height: 1fr; }
    OfficeScreen #office-note { height: 2; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="office.back"),
        Binding("left_square_bracket", "week(-1)", "上一周", key_display="[", id="office.prev"),
        Binding("right_square_bracket", "week(1)", "下一周", key_display="]", id="office.next"),
        Binding("w", "export", "导出每周汇总", id="office.export"),
        Binding("h", "app.show_hot_topics", "多人申请", id="office.hot"),
        Binding("r,f5", "refresh", "刷新", id="office.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, weekly: office.Weekly) -> None:
            super().__init__()
            self.weekly = weekly

    class Exported(Message):
        def __init__(self, path: Path, weekly: office.Weekly) -> None:
            super().__init__()
            self.path = path
            self.weekly = weekly

    def __init__(self, week: str | None = None) -> None:
        super().__init__(id="office")
        self.week = week
        self.weekly: office.Weekly | None = None
        self._rows: list[dict[str, Any]] = []

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        yield Static("正在汇总…", id="office-title")
        board: DataTable[Any] = DataTable(id="office-board", cursor_type="none", zebra_stripes=True)
        yield board
        yield Static("本周新收申请", id="office-sub")
        requests: DataTable[Any] = DataTable(id="office-requests", cursor_type="row", zebra_stripes=True)
        yield requests
        yield Static("", id="office-note")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = "政府办汇总"
        board = self.query_one("#office-board", DataTable)
        for key, label, width in BOARD_COLUMNS:
            board.add_column(label, key=key, width=width)
        requests = self.query_one("#office-requests", DataTable)
        requests.add_column("机关", key="agency", width=10)
        requests.add_column("编号", key="number", width=10)
        requests.add_column("收到日期", key="received", width=10)
        requests.add_column("申请人", key="applicant", width=12)
        requests.add_column("答复期限", key="due", width=10)
        requests.add_column("状态", key="status", width=14)
        requests.add_column("申请内容", key="subject", width=60)  # fixed: auto widths are measured a frame late
        requests.focus()
        self.load()

    def load(self) -> None:
        self.fetch(self.week)

    @work(thread=True, exclusive=True, exit_on_error=False, group="office-load")
    def fetch(self, week: str | None) -> None:
        try:
            weekly = office.weekly(self.ctx, week)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "政府办汇总"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(weekly))

    def on_office_screen_loaded(self, message: Loaded) -> None:
        w = self.weekly = message.weekly
        self.week = w.board.week
        self.query_one("#office-title", Static).update(title(w.board))
        board = self.query_one("#office-board", DataTable)
        board.clear()
        for r in [*w.board.rows, w.board.total]:
            style = "bold" if r is w.board.total else ("red" if r.overdue else "")
            cells = [r.received, r.open, r.overdue, r.due_soon, r.office_review, r.legal_review, r.proceedings,
                     f"{r.corrected}/{r.decided}", rate_text(r.correction_rate)]
            board.add_row(Text(clip(r.name, 10), style=style),
                          *(Text(str(c), style=style, justify="right") for c in cells))
        requests = self.query_one("#office-requests", DataTable)
        requests.clear()
        self._rows = []
        for a in w.agencies:
            for row in a.rows:
                self._rows.append({**row, "agency": a.agency, "agency_name": a.name})
                late = "已逾期" in row["status"]
                style = "red" if late else ("dim" if row["stage"] == "closed" else "")
                requests.add_row(
                    Text(clip(a.name, 10), style=style), Text(row["number"], style=style),
                    Text(row["received_on"], style=style),
                    Text(clip(f"{row['applicant']}（{row['applicant_type_label']}）", 12), style=style),
                    Text(row["due_date"] or "—", style=style), Text(clip(row["status"], 14), style=style),
                    Text(clip(row["subject"], 60), style=style), key=str(len(self._rows) - 1),
                )
        n = len(self._rows)
        self.query_one("#office-sub", Static).update(
            f"本周新收申请 {n} 件" + ("（Enter 打开案件）" if n else "：本周没有收到申请"))
        self.query_one("#office-note", Static).update(note(w.board))

    @on(DataTable.RowSelected, "#office-requests")
    def _selected(self, event: DataTable.RowSelected) -> None:
        row = self._rows[int(str(event.row_key.value))]
        self.app.open_case(row["number"], row["agency"])  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_week(self, step: int) -> None:
        if self.weekly is None:
            return
        monday = self.weekly.board.monday + timedelta(weeks=step)
        if monday > self.ctx.today():
            self.notify("已是本周", timeout=2)
            return
        self.week = ag.week_of(monday)
        self.load()

    def action_export(self) -> None:
        if self.weekly is None:
            return
        week = self.weekly.board.week

        def chosen_format(fmt: str | None) -> None:
            if fmt is None:
                return
            default = Path.cwd() / f"依申请公开每周汇总-{week}.{fmt}"

            def chosen_path(value: str | None) -> None:
                write_to_chosen_path(self, self.ctx, value, lambda path, force: self.export(week, fmt, path, force))

            self.app.push_screen(PromptDialog(f"导出每周汇总（{week}）", "文件仅本人可读；自然人姓名打码。",
                                              value=str(default)), chosen_path)

        self.app.push_screen(ChoiceDialog("导出每周汇总", WEEKLY_FORMATS), chosen_format)

    @work(thread=True, exclusive=True, exit_on_error=False, group="office-export")
    def export(self, week: str, fmt: str, path: str, force: bool) -> None:
        try:
            written, weekly = office.export_weekly(self.ctx, week, fmt, path, force=force)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "导出每周汇总"))
            return
        self.post_message(self.Exported(written, weekly))

    def on_office_screen_exported(self, message: Exported) -> None:
        n = sum(len(a.rows) for a in message.weekly.agencies)
        self.app.push_screen(MessageDialog("每周汇总已导出", [
            f"{message.weekly.board.title}：{len(message.weekly.agencies)} 个机关，本周新收 {n} 件",
            f"已写入 {message.path}（仅本人可读）",
        ]))


class HotTopicsScreen(Screen[None]):
    """多人申请: the same information asked for by several applicants in a year, and its proactive publication."""

    DEFAULT_CSS = """
    HotTopicsScreen #hot-title { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    HotTopicsScreen #hot-table { height: 1fr; }
    HotTopicsScreen #hot-detail { height: 4; padding: 0 1; background: $boost; }
    HotTopicsScreen #hot-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="hot.back"),
        Binding("left_square_bracket", "year(-1)", "上一年", key_display="[", id="hot.prev"),
        Binding("right_square_bracket", "year(1)", "下一年", key_display="]", id="hot.next"),
        Binding("p", "publish", "记录主动公开", id="hot.publish"),
        Binding("r,f5", "refresh", "刷新", id="hot.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, year: int, topics: list[office.HotTopic]) -> None:
            super().__init__()
            self.year = year
            self.topics = topics

    class Recorded(Message):
        def __init__(self, result: office.ProactiveResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self, year: int | None = None) -> None:
        super().__init__(id="hot-topics")
        self.year = year
        self.topics: list[office.HotTopic] = []

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        yield Static("", id="hot-title")
        table: DataTable[Any] = DataTable(id="hot-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="hot-detail")
        yield Static("", id="hot-status")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = "多人申请"
        if self.year is None:
            self.year = self.ctx.today().year
        table = self.query_one("#hot-table", DataTable)
        table.add_column("件数", key="requests", width=4)
        table.add_column("申请人", key="applicants", width=6)
        table.add_column("机关", key="agencies", width=10)
        table.add_column("最近收到", key="last", width=10)
        table.add_column("主动公开", key="published", width=10)
        table.add_column("申请的信息", key="content", width=60)  # fixed: auto widths are measured a frame late
        table.focus()
        self.load()

    def load(self) -> None:
        self.query_one("#hot-title", Static).update(
            f"{self.year} 年多人申请的相同信息（《条例》第四十四条：可以纳入主动公开范围）")
        self.fetch(self.year or date.today().year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="hot-load")
    def fetch(self, year: int) -> None:
        try:
            topics = office.hot_topics(self.ctx, year)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取多人申请"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(year, topics))

    def on_hot_topics_screen_loaded(self, message: Loaded) -> None:
        if message.year != self.year:
            return
        self.topics = message.topics
        table = self.query_one("#hot-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for n, t in enumerate(self.topics):
            published = t.published[-1]["on"] if t.published else "未记录"
            style = "dim" if t.published else ""
            table.add_row(Text(str(t.requests), style=style, justify="right"),
                          Text(str(t.applicants), style=style, justify="right"),
                          Text(clip("、".join(t.agencies), 10), style=style), Text(t.last.isoformat(), style=style),
                          Text(published, style="green" if t.published else "yellow"),
                          Text(clip(" ".join(t.content.split()), 60), style=style), key=str(n))
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1), animate=False)
        self.query_one("#hot-status", Static).update(
            f"{len(self.topics)} 项　p 记录已主动公开　[ ] 上一年/下一年" if self.topics
            else f"{self.year} 年没有两个以上申请人申请相同信息的情况　[ ] 上一年/下一年")
        self._detail()

    def current(self) -> office.HotTopic | None:
        table = self.query_one("#hot-table", DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.topics):
            return None
        return self.topics[table.cursor_row]

    def _detail(self) -> None:
        t = self.current()
        detail = self.query_one("#hot-detail", Static)
        if t is None:
            detail.update("")
            return
        several = len(t.agencies) > 1
        cases = "、".join(f"{n}（{a}）" if several else n for a, n in t.cases)
        lines = [Text(" ".join(t.content.split()), style="bold"), Text(f"案件：{cases}")]
        if t.published:
            lines.append(Text("已主动公开：" + "；".join(f"{p['on']} {p['where']}" for p in t.published),
                              style="green"))
        detail.update(Text("\n").join(lines))

    @on(DataTable.RowHighlighted, "#hot-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_year(self, step: int) -> None:
        year = (self.year or self.ctx.today().year) + step
        if not 2008 <= year <= self.ctx.today().year:
            return
        self.year = year
        self.load()

    def action_publish(self) -> None:
        topic = self.current()
        if topic is None:
            return
        today = self.ctx.today().isoformat()

        def chosen_where(where: str | None) -> None:
            if not where or not where.strip():
                return

            def chosen_day(day: str | None) -> None:
                if day and day.strip():
                    self.record(topic.cases, day.strip(), where.strip())

            self.app.push_screen(PromptDialog("主动公开的日期", "信息在网站或栏目上公开的日期", value=today),
                                 chosen_day)

        self.app.push_screen(PromptDialog(
            "记录已主动公开（《条例》第四十四条）",
            f"这 {len(topic.cases)} 件申请所要的信息已主动公开：写明公开位置（网址或栏目名称）。"
            "每件案件记一条办理记录。",
            placeholder="如 http://www.example.gov.cn/zwgk/… 或 本局门户网站“政府信息公开”栏目"), chosen_where)

    @work(thread=True, exclusive=True, exit_on_error=False, group="hot-record")
    def record(self, cases: list[tuple[str, str]], day: str, where: str) -> None:
        try:
            pairs: list[tuple[str | None, str]] = [(a, n) for a, n in cases]
            result = office.record_proactive(self.ctx, pairs, day, where)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "记录主动公开"))
            return
        self.post_message(self.Recorded(result))

    def on_hot_topics_screen_recorded(self, message: Recorded) -> None:
        r = message.result
        text = f"已在 {len(r.recorded)} 件案件中记录主动公开（{r.on.isoformat()}）"
        if r.skipped:
            text += f"；{len(r.skipped)} 件此前已记录过"
        self.notify(text, title="主动公开", timeout=5, markup=False)
        self.load()
