"""The agenda (待办): what falls due today, this week, and what is already late — the screen the TUI opens on,
a tab beside the register (F3 switches between them).

One service call (`agenda.agenda` up to the end of this week) in a thread worker; the three tabs filter what
came back, so switching tabs costs nothing. Enter opens the case; the line under the table says what the
highlighted item rests on and what to do."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, Tab, Tabs
from textual.worker import get_current_worker

from zwgk_tui.domain import agenda as ag
from zwgk_tui.services import agenda as svc
from zwgk_tui.tui.common import ServiceFailed, clip, service_text
from zwgk_tui.tui.screens.register import agency_labels
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

# (tab id, label, which items it shows)
TABS: list[tuple[str, str]] = [("today", "今天"), ("week", "本周"), ("overdue", "已逾期")]
STYLES = {"overdue": "bold red", "lapsed": "magenta", "today": "bold yellow", "soon": "yellow", "later": "",
          "no_date": "cyan"}


def in_tab(tab: str, item: ag.AgendaItem) -> bool:
    """今天: what needs action today (passed, due today, or waiting for a date of service); 本周: everything to
    Sunday; 已逾期: only what has passed."""
    if tab == "overdue":
        return item.passed
    if tab == "today":
        return item.status in (ag.OVERDUE, ag.LAPSED, ag.TODAY, ag.NO_DATE)
    return True


def left_cell(item: ag.AgendaItem) -> str:
    if item.days_left is None:
        return "待送达"
    if item.status == ag.OVERDUE:
        return f"逾期{-item.days_left}"
    if item.status == ag.LAPSED:
        return f"届满{-item.days_left}"
    return "今天" if item.days_left == 0 else f"剩{item.days_left}"


class AgendaScreen(Screen[None]):
    """待办."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-counts { height: 1; padding: 0 1; background: $boost; }
    AgendaScreen #agenda-tabs { height: 2; }
    AgendaScreen #agenda-table { height: 1fr; }
    AgendaScreen #agenda-why { height: 2; padding: 0 1; background: $boost; }
    AgendaScreen #agenda-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3,escape", "app.show_register", "登记簿", id="agenda.register"),
        Binding("r,f5", "refresh", "刷新", id="agenda.refresh"),
        Binding("1", "tab('today')", "今天", show=False, id="agenda.tab.today"),
        Binding("2", "tab('week')", "本周", show=False, id="agenda.tab.week"),
        Binding("3", "tab('overdue')", "已逾期", show=False, id="agenda.tab.overdue"),
        Binding("m", "toggle_mine", "本人/全部", id="agenda.mine"),
        Binding("o", "app.show_office", "政府办汇总", id="agenda.office"),
        Binding("h", "app.show_hot_topics", "多人申请", id="agenda.hot"),
        Binding("n,f2", "app.new_case", "新登记", show=False, id="agenda.new"),
    ]

    class Loaded(Message):
        def __init__(self, result: svc.AgendaResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__(id="agenda")
        self.tab = "today"
        self.mine = False
        self.result: svc.AgendaResult | None = None
        self._shown: list[ag.AgendaItem] = []
        self._seen = False
        self._multi = False

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        yield Static("正在读取待办…", id="agenda-counts")
        yield Tabs(*(Tab(label, id=f"tab-{key}") for key, label in TABS), id="agenda-tabs")
        table: DataTable[Any] = DataTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="agenda-why")
        yield Static("", id="agenda-status")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = "待办"
        table = self.query_one("#agenda-table", DataTable)
        self._columns(table)
        table.focus()
        self.load()

    def _columns(self, table: DataTable[Any]) -> None:
        table.add_column("期限", key="due", width=10)
        table.add_column("工作日", key="left", width=7)
        table.add_column("事项", key="what", width=30)
        table.add_column("编号", key="number", width=10)
        if self._multi:
            # Case numbers repeat across agencies: with several, the agenda says whose case it is.
            table.add_column("机关", key="agency", width=8)
        table.add_column("申请人", key="applicant", width=8)
        # Fixed widths throughout: an auto-sized column is measured after the rows arrive, a frame late.
        table.add_column("申请内容", key="subject", width=40)

    def _agency_label(self, code: str) -> str:
        known = getattr(self.app, "agencies", None) or [
            {"code": c, "name": n} for c, n in (self.result.agencies.items() if self.result else [])]
        return agency_labels(known).get(code, code)

    # -- loading ---------------------------------------------------------------------------------------------
    def load(self) -> None:
        self.fetch(self.mine)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda-load")
    def fetch(self, mine: bool) -> None:
        try:
            today = self.ctx.today()
            result = svc.agenda(self.ctx, until=ag.end_of_week(today), mine=mine)
        except Exception as exc:  # every failure is shown, none crashes the app
            self.app.post_message(ServiceFailed(exc, "读取待办"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(result))

    def on_agenda_screen_loaded(self, message: Loaded) -> None:
        self.result = message.result
        self._update_counts()
        self._fill()

    def _update_counts(self) -> None:
        r = self.result
        if r is None:
            return
        for key, label in TABS:
            n = sum(1 for i in r.items if in_tab(key, i))
            self.query_one(f"#tab-{key}", Tab).label = f"{label} {n}"
        c = r.counts()
        scope = r.scope
        self.query_one("#agenda-counts", Static).update(Text.assemble(
            (f"{r.today.isoformat()}　", "bold"), (scope, ""), "　",
            ("逾期 ", "bold"), (str(c["overdue"]), "bold red" if c["overdue"] else ""), "  ",
            ("届满 ", "bold"), (str(c["lapsed"]), "magenta" if c["lapsed"] else ""), "  ",
            ("今天 ", "bold"), (str(c["today"]), "bold yellow" if c["today"] else ""), "  ",
            ("待记录送达 ", "bold"), (str(c["no_date"]), "cyan" if c["no_date"] else ""),
        ))

    def _fill(self) -> None:
        table = self.query_one("#agenda-table", DataTable)
        cursor = table.cursor_row
        several = self.result is not None and len(self.result.agencies) > 1
        if several != self._multi:
            self._multi = several
            table.clear(columns=True)
            self._columns(table)
        else:
            table.clear()
        items = [i for i in (self.result.items if self.result else []) if in_tab(self.tab, i)]
        self._shown = items
        for n, i in enumerate(items):
            style = STYLES.get(i.status, "")
            agency = [Text(clip(self._agency_label(i.agency), 8), style=style)] if several else []
            table.add_row(
                Text(i.due.isoformat() if i.due else "—", style=style),
                Text(left_cell(i), style=style, justify="right"),
                Text(clip(service_text(i.what), 30), style=style),
                Text(i.number, style=style),
                *agency,
                Text(clip(i.applicant, 8), style=style),
                Text(clip(i.subject, 40), style=style),
                key=str(n),
            )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1), animate=False)
        self._status(items)
        self._why()

    def _status(self, items: list[ag.AgendaItem]) -> None:
        label = dict(TABS)[self.tab]
        if not items:
            text = {"today": "今天没有到期、逾期或待记录送达的事项", "week": "本周没有待办事项",
                    "overdue": "没有逾期的事项"}[self.tab]
        else:
            text = f"{label}：{len(items)} 项　Enter 打开案件　1 今天  2 本周  3 已逾期　m 本人/全部"
        if self.result is not None and not self.result.proceedings:
            text += "　（复议诉讼期限未列入）"
        self.query_one("#agenda-status", Static).update(text)

    def current(self) -> ag.AgendaItem | None:
        table = self.query_one("#agenda-table", DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self._shown):
            return None
        return self._shown[table.cursor_row]

    def _why(self) -> None:
        item = self.current()
        if item is None:
            self.query_one("#agenda-why", Static).update("")
            return
        line1 = Text.assemble((f"{item.number}　{ag.STATUS_LABELS[item.status]}　", "bold"), service_text(item.what))
        if item.provisional:
            line1.append("（暂定：该年度节假日安排尚未导入）", style="yellow")
        line2 = Text.assemble(("依据 ", "bold"), service_text(item.basis) or "—", "　", ("下一步 ", "bold"),
                              service_text(item.next_step) or "—")
        self.query_one("#agenda-why", Static).update(Text("\n").join([line1, line2]))

    @on(DataTable.RowHighlighted, "#agenda-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._why()

    @on(DataTable.RowSelected, "#agenda-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        item = self.current()
        if item is not None:
            self.app.open_case(item.number, item.agency)  # type: ignore[attr-defined]

    @on(Tabs.TabActivated, "#agenda-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        key = (event.tab.id or "tab-today").removeprefix("tab-")
        if key != self.tab:
            self.tab = key
            self._fill()
        self.query_one("#agenda-table", DataTable).focus()

    # -- actions ---------------------------------------------------------------------------------------------
    def action_tab(self, key: str) -> None:
        self.query_one("#agenda-tabs", Tabs).active = f"tab-{key}"

    def action_refresh(self) -> None:
        self.load()

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.notify("只看本人经办的案件" if self.mine else "显示全部案件", timeout=2)
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a case: a step taken there may have changed what falls due.
        if self._seen:
            self.load()
        self._seen = True
