"""The register (home screen): open cases by urgency, filters, a search box and the counts a clerk watches.

Rows come a page at a time from `cases.list_cases` in a thread worker; the next page is fetched when the cursor
nears the end of what is loaded, so 100,000 cases never sit in memory at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, STAGE_LABELS
from zwgk_tui.services import admin, cases, intake, register_io
from zwgk_tui.tui.common import STATUS_STYLES, ServiceFailed, clip, due_text, status_cell, styled
from zwgk_tui.tui.widgets.case_table import CaseTable
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

PAGE = 100
PREFETCH = 30  # fetch the next page when the cursor is this close to the last loaded row
MAX_RELOAD = 1000  # on refresh, reload what was on screen (up to this many rows) so the cursor stays put
DEBOUNCE = 0.25

SCOPES: list[tuple[str, str]] = [
    ("在办", "open"),
    ("已逾期", "overdue"),
    ("N个工作日内到期", "due"),
    ("暂停计时", "paused"),
    ("已办结", "closed"),
    ("全部", "all"),
]
SCOPE_KEYS = {"1": "open", "2": "overdue", "3": "due", "4": "paused", "5": "closed", "6": "all"}


@dataclass(frozen=True)
class RegisterQuery:
    scope: str = "open"
    due_within: int = 5
    stage: str | None = None
    agency: str | None = None
    applicant_type: str | None = None
    year: int | None = None
    search: str | None = None

    def kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {
            "stage": self.stage,
            "agency": self.agency,
            "applicant_type": self.applicant_type,
            "year": self.year,
            "search": self.search,
        }
        if self.scope == "open":
            kw["open_only"] = True
        elif self.scope == "overdue":
            kw["overdue"] = True
        elif self.scope == "due":
            kw["due_within"] = self.due_within
        elif self.scope == "paused":
            kw["paused"] = True
        elif self.scope == "closed":
            kw["closed_only"] = True
        return kw


def _common_prefix(names: list[str]) -> str:
    """The longest string all names start with, compared character by character (names, not paths)."""
    first, last = min(names), max(names)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


def agency_labels(agencies: list[dict[str, Any]]) -> dict[str, str]:
    """A short name per agency code for the register: the abbreviation if set, else the full name without the
    part all agencies share (青山县自然资源局 → 自然资源局)."""
    names = [a["name"] for a in agencies]
    prefix = _common_prefix(names) if len(names) > 1 else ""
    out = {}
    for a in agencies:
        out[a["code"]] = a.get("short_name") or a["name"][len(prefix):] or a["name"]
    return out


def row_key(row: dict[str, Any]) -> str:
    return f"{row['agency']}\x1f{row['number']}"


def split_key(key: str) -> tuple[str, str]:
    agency, number = key.split("\x1f", 1)
    return agency, number


class RegisterScreen(Screen[None]):
    """登记簿."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,f2", "new_case", "新登记", id="register.new"),
        Binding("slash", "focus_search", "查找", key_display="/", id="register.search"),
        Binding("escape", "focus_table", "回到列表", show=False, id="register.table"),
        Binding("r,f5", "refresh", "刷新", id="register.refresh"),
        Binding("t", "app.show_stats", "统计", id="register.stats"),
        Binding("c", "app.show_calendar", "日历", id="register.calendar"),
        Binding("e", "export", "导出", show=False, id="register.export"),
        Binding("i", "app.show_inbox", "网上申请", show=False, id="register.inbox"),
        *[
            Binding(k, f"scope('{v}')", label, show=False, id=f"register.scope.{v}")
            for k, (label, v) in zip(SCOPE_KEYS, SCOPES, strict=True)
        ],
    ]

    class PageLoaded(Message):
        def __init__(self, generation: int, offset: int, result: cases.ListResult, counted: bool) -> None:
            super().__init__()
            self.generation = generation
            self.offset = offset
            self.result = result
            self.counted = counted

    class CountsLoaded(Message):
        def __init__(self, counts: dict[str, int]) -> None:
            super().__init__()
            self.counts = counts

    class AgenciesLoaded(Message):
        def __init__(self, agencies: list[dict[str, Any]]) -> None:
            super().__init__()
            self.agencies = agencies

    class Exported(Message):
        def __init__(self, result: register_io.ExportResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__(id="register")
        self.query_state = RegisterQuery()
        self._generation = 0
        self._loaded = 0
        self._total: int | None = None
        self._loading_more = False
        self._debounce: Timer | None = None
        self._keep_key: str | None = None
        self._multi_agency = False
        self._seen = False
        self._agency_labels: dict[str, str] = {}
        self._row_data: dict[str, dict[str, Any]] = {}  # the loaded rows only (a few pages at most)
        self._generation_shown = 0  # the query whose rows are on screen (benchmarks and tests wait on it)

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    # -- layout --------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        yield Static("正在统计…", id="counts")
        with Horizontal(id="filters", classes="filter-row"):
            yield Input(placeholder="查找：编号、申请人、内容（按 / ）", id="search", compact=True)
            yield Select([(label, value) for label, value in SCOPES], value="open", allow_blank=False,
                         id="scope", compact=True)
            yield Select([(label, code) for code, label in STAGE_LABELS.items()], prompt="全部阶段",
                         id="stage", compact=True)
        with Horizontal(id="filters2", classes="filter-row"):
            yield Select([(label, code) for code, label in APPLICANT_TYPE_LABELS.items()], prompt="全部申请人类型",
                         id="atype", compact=True)
            yield Label("收到年份", classes="filter-label")
            yield Input(placeholder="全部", id="year", compact=True, max_length=4, restrict=r"[0-9]*")
            yield Label("到期天数", classes="filter-label")
            yield Input(value="5", id="due-days", compact=True, max_length=3, restrict=r"[0-9]*")
            yield Select([], prompt="全部机关", id="agency", compact=True)
        table = CaseTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="status")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = "登记簿"
        table = self.query_one("#cases", DataTable)
        self._add_columns(table)
        self.query_one("#agency", Select).display = False
        table.focus()
        self.load_agencies()
        self.reload()

    def _add_columns(self, table: DataTable[Any]) -> None:
        # Urgency first: at 80 columns the number, due date and status must stay in view.
        table.add_column("编号", key="number", width=10)
        table.add_column("答复期限", key="due", width=10)
        table.add_column("状态(工作日)", key="status", width=12)
        table.add_column("阶段", key="stage", width=10)
        table.add_column("申请人", key="applicant", width=12)
        if self._multi_agency:
            table.add_column("机关", key="agency", width=8)
        table.add_column("收到日期", key="received", width=10)
        # A fixed width: an auto-sized column is measured after the rows arrive, a frame late (a flickering screen).
        table.add_column("申请内容", key="content", width=40)

    # -- loading ---------------------------------------------------------------------------------------------
    def reload(self, *, keep_position: bool = False, counts: bool = True) -> None:
        """Start the query again from the first page (the table is replaced when the rows arrive)."""
        self._generation += 1
        self._loading_more = False
        limit = PAGE
        if keep_position:
            table = self.query_one("#cases", DataTable)
            limit = min(max(PAGE, self._loaded), MAX_RELOAD)
            if table.row_count:
                try:
                    self._keep_key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
                except Exception:  # empty or moving table
                    self._keep_key = None
        else:
            self._keep_key = None
        generation = self._generation
        # Say "querying" only when it is slow enough to notice; a quick answer replaces the rows without flicker.
        self.set_timer(0.15, lambda: self._set_status("正在查询…") if self._generation_shown < generation else None)
        self.fetch_page(self._generation, self.query_state, 0, limit, True)
        if counts:  # the counts at the top depend on the agency only, not on the other filters
            self.fetch_counts(self.query_state.agency)

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-page")
    def fetch_page(self, generation: int, query: RegisterQuery, offset: int, limit: int, count: bool) -> None:
        try:
            result = cases.list_cases(self.ctx, **query.kwargs(), limit=limit, offset=offset, count=count)
        except Exception as exc:  # every failure is shown, none crashes the app
            self.app.post_message(ServiceFailed(exc, "查询登记簿"))
            self.post_message(self.PageLoaded(generation, offset, cases.ListResult([], 0), counted=False))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(generation, offset, result, counted=count))

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-counts")
    def fetch_counts(self, agency: str | None) -> None:
        try:
            def n(**kw: Any) -> int:
                return cases.list_cases(self.ctx, agency=agency, limit=0, count=True, **kw).total

            overdue = n(overdue=True)
            counts = {
                "overdue": overdue,
                "due_soon": n(due_within=5) - overdue,
                "office_review": n(stage="office_review"),
                "legal_review": n(stage="legal_review"),
                "intake": intake.count_new(self.ctx),
            }
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "统计在办案件"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.CountsLoaded(counts))

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-agencies")
    def load_agencies(self) -> None:
        try:
            agencies = admin.list_agencies(self.ctx)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取机关列表"))
            return
        self.post_message(self.AgenciesLoaded(agencies))

    def on_register_screen_page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation:
            return  # an older query's answer
        table = self.query_one("#cases", DataTable)
        result = message.result
        if message.offset == 0:
            table.clear()
            self._row_data.clear()
            self._loaded = 0
        if message.counted:
            self._total = result.total
        for row in result.rows:
            key = row_key(row)
            if key in self._row_data:
                continue  # a case moved between pages while we were paging
            self._row_data[key] = row
            table.add_row(*self._cells(row), key=key)
        self._loaded = table.row_count
        self._loading_more = False
        self._generation_shown = message.generation
        if message.offset == 0:
            index = 0
            if self._keep_key and self._keep_key in table.rows:
                index = table.get_row_index(self._keep_key)
            if table.row_count:
                table.move_cursor(row=index, animate=False, scroll=True)
        self._update_status()

    def on_register_screen_counts_loaded(self, message: CountsLoaded) -> None:
        c = message.counts
        # Online applications waiting are shown only when there are some (then narrower separators keep the
        # line within 80 columns).
        sep = " │ " if c.get("intake") else "  │  "
        text = Text.assemble(
            ("逾期 ", "bold"), (str(c["overdue"]), "bold red" if c["overdue"] else ""), sep,
            ("5个工作日内到期 ", "bold"), (str(c["due_soon"]), "bold yellow" if c["due_soon"] else ""), sep,
            ("待政府办审核 ", "bold"), str(c["office_review"]), sep,
            ("待法制审核 ", "bold"), str(c["legal_review"]),
        )
        if c.get("intake"):
            text.append_text(Text.assemble(sep, ("网上申请 ", "bold"), (str(c["intake"]), "bold cyan"), "(i)"))
        self.query_one("#counts", Static).update(text)

    def on_register_screen_agencies_loaded(self, message: AgenciesLoaded) -> None:
        select = self.query_one("#agency", Select)
        multi = len(message.agencies) > 1
        self._agency_labels = agency_labels(message.agencies)
        select.set_options([(f"{a['name']}（{a['code']}）", a["code"]) for a in message.agencies])
        select.display = multi
        if multi != self._multi_agency:
            # Case numbers repeat across agencies: with several, the register shows whose case it is. The rows
            # already loaded are drawn again with the new column (no new query).
            self._multi_agency = multi
            table = self.query_one("#cases", DataTable)
            cursor = table.cursor_row
            table.clear(columns=True)
            self._add_columns(table)
            for key, row in self._row_data.items():
                table.add_row(*self._cells(row), key=key)
            if table.row_count:
                table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)

    def _cells(self, row: dict[str, Any]) -> list[Text]:
        style = STATUS_STYLES.get(row["status"], "")
        agency = [styled(clip(self._agency_labels.get(row["agency"], row["agency"]), 8), style)] \
            if self._multi_agency else []
        return [
            styled(row["number"], style),
            styled(due_text(row["due_date"], row["provisional"]), style),
            styled(status_cell(row), style),
            styled(row["stage_label"], style),
            styled(clip(row["applicant"], 12), style),
            *agency,
            styled(row["received_on"], style),
            styled(clip(" ".join(row["content"].split()), 40), style),
        ]

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def _update_status(self) -> None:
        total = self._total if self._total is not None else self._loaded
        if total == 0:
            self._set_status("没有符合条件的案件（按 6 显示全部，按 n 登记新申请）")
            return
        more = "（向下翻页自动加载更多）" if self._loaded < total else ""
        self._set_status(f"共 {total:,} 件，已显示 {self._loaded:,} 件{more}　红=逾期 黄=临期 青=暂停计时　Enter 打开")

    def _maybe_load_more(self, cursor_row: int) -> None:
        if self._loading_more or self._total is None or self._loaded >= self._total:
            return
        if cursor_row >= self._loaded - PREFETCH:
            self._loading_more = True
            self._set_status(f"共 {self._total:,} 件，已显示 {self._loaded:,} 件，正在加载下一页…")
            self.fetch_page(self._generation, self.query_state, self._loaded, PAGE, False)

    @on(DataTable.RowHighlighted, "#cases")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._maybe_load_more(event.cursor_row)

    @on(DataTable.RowSelected, "#cases")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        agency, number = split_key(str(event.row_key.value))
        self.app.open_case(number, agency)  # type: ignore[attr-defined]

    # -- filters ---------------------------------------------------------------------------------------------
    def _apply(self, **changes: Any) -> None:
        new = replace(self.query_state, **changes)
        if new != self.query_state:
            agency_changed = new.agency != self.query_state.agency
            self.query_state = new
            self.reload(counts=agency_changed)

    def _schedule(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._read_inputs)

    def _read_inputs(self) -> None:
        self._debounce = None
        search = self.query_one("#search", Input).value.strip() or None
        year_text = self.query_one("#year", Input).value.strip()
        year = int(year_text) if len(year_text) == 4 and 2000 <= int(year_text) <= 2100 else None
        days_text = self.query_one("#due-days", Input).value.strip()
        due = min(int(days_text), 200) if days_text.isdigit() else self.query_state.due_within
        self._apply(search=search, year=year, due_within=due)

    @on(Input.Changed, "#search, #year, #due-days")
    def _input_changed(self, event: Input.Changed) -> None:
        self._schedule()

    @on(Input.Submitted, "#search, #year, #due-days")
    def _input_submitted(self, event: Input.Submitted) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._read_inputs()
        if event.input.id == "due-days":
            self.query_one("#scope", Select).value = "due"
        self.query_one("#cases", DataTable).focus()

    @on(Select.Changed, "#scope, #stage, #atype, #agency")
    def _select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        field = {"scope": "scope", "stage": "stage", "atype": "applicant_type", "agency": "agency"}[
            event.select.id or ""
        ]
        if field == "scope" and value is None:
            value = "open"
        self._apply(**{field: value})

    # -- actions ---------------------------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        if self._debounce is not None:  # apply what was typed at once
            self._debounce.stop()
            self._read_inputs()
        self.query_one("#cases", DataTable).focus()

    def action_refresh(self) -> None:
        self.reload(keep_position=True)

    def action_scope(self, scope: str) -> None:
        self.query_one("#scope", Select).value = scope

    def action_new_case(self) -> None:
        self.app.action_new_case()  # type: ignore[attr-defined]

    # -- export (e) ------------------------------------------------------------------------------------------
    def action_export(self) -> None:
        """The register with the filters on screen, to an xlsx or csv file (the same as `register export`)."""
        from pathlib import Path

        from zwgk_tui.tui.screens.dialogs import write_to_chosen_path
        from zwgk_tui.tui.screens.prompt import PromptDialog

        query = self.query_state
        total = f"{self._total:,} 件" if self._total is not None else "当前筛选的案件"
        default = Path.cwd() / f"登记簿-{self.ctx.today().isoformat()}.xlsx"

        def chosen(value: str | None) -> None:
            write_to_chosen_path(self, self.ctx, value, lambda path, force: self.export_register(path, query, force))

        self.app.push_screen(PromptDialog(
            "导出登记簿（台账）",
            f"按当前筛选条件导出 {total}，每件一行。文件名以 .xlsx 或 .csv 结尾；自然人姓名打码"
            "（含全名和联系方式的台账须由管理员导出）。",
            value=str(default),
        ), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-export")
    def export_register(self, path: str, query: RegisterQuery, force: bool) -> None:
        self.app.call_from_thread(self.notify, f"正在导出到 {path}……", timeout=3, markup=False)
        try:
            result = register_io.export(self.ctx, path, force=force, **query.kwargs())
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "导出登记簿"))
            return
        self.post_message(self.Exported(result))

    def on_register_screen_exported(self, message: Exported) -> None:
        from zwgk_tui.tui.screens.dialogs import MessageDialog

        r = message.result
        self.app.push_screen(MessageDialog("登记簿已导出", [
            f"已导出 {r.rows:,} 件到 {r.path}",
            "文件仅本人可读；自然人姓名已打码。",
        ]))

    def on_screen_resume(self) -> None:
        # Back from a case or a form: what the clerk did there shows here at once.
        if self._seen:
            self.reload(keep_position=True)
        self._seen = True
