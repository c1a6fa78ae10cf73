"""The inbox of applications received online (网上申请): confirm one to register it, or set it aside.

Art. 31(三): an application made over the internet is received on the day it is confirmed with the applicant, so
confirming asks for that day (today by default) and registers the case with it as the receipt date."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from zwgk_tui.services import intake
from zwgk_tui.tui.common import ServiceFailed, clip
from zwgk_tui.tui.screens.prompt import PromptDialog
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

CONFIRM_HINT = ("《条例》第三十一条第三项：网上申请以双方确认之日为收到申请之日，答复期限自次日起算。"
                "填写与申请人确认的日期（不早于到达日期）：")


class InboxScreen(Screen[None]):
    """网上申请收件箱."""

    DEFAULT_CSS = """
    InboxScreen #inbox-table { height: 1fr; }
    InboxScreen #inbox-detail { height: auto; max-height: 12; padding: 0 1; background: $boost; }
    InboxScreen #inbox-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "返回", id="inbox.back"),
        Binding("y", "confirm", "确认登记(Enter)", id="inbox.confirm"),
        Binding("x", "reject", "退回", id="inbox.reject"),
        Binding("a", "toggle_all", "全部/待确认", id="inbox.all"),
        Binding("r,f5", "refresh", "刷新", id="inbox.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[dict[str, Any]]) -> None:
            super().__init__()
            self.rows = rows

    class Rejected(Message):
        def __init__(self, item: dict[str, Any]) -> None:
            super().__init__()
            self.item = item

    class Registered(Message):
        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__(id="inbox")
        self.show_all = False
        self.rows: dict[str, dict[str, Any]] = {}

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        table: DataTable[Any] = DataTable(id="inbox-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="inbox-detail"):
            yield Static("", id="inbox-item")
        yield Static("", id="inbox-status")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = "网上申请"
        table = self.query_one("#inbox-table", DataTable)
        table.add_column("序号", key="id", width=5)
        table.add_column("到达日期", key="arrived", width=10)
        table.add_column("申请人", key="applicant", width=16)
        table.add_column("状态", key="status", width=16)
        table.add_column("所需信息", key="content")
        table.focus()
        self.load()

    # -- loading ---------------------------------------------------------------------------------------------
    def load(self) -> None:
        self.fetch(self.show_all)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox-load")
    def fetch(self, show_all: bool) -> None:
        try:
            rows = intake.list_items(self.ctx, status=None if show_all else "new")
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取网上申请"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(rows))

    def on_inbox_screen_loaded(self, message: Loaded) -> None:
        table = self.query_one("#inbox-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = {}
        for r in message.rows:
            key = str(r["id"])
            self.rows[key] = r
            status = r["status_label"] + (f" {r['case_number']}" if r.get("case_number") else "")
            style = "" if r["status"] == "new" else "dim"
            table.add_row(Text(key, style=style), Text(r["arrived_on"], style=style),
                          Text(clip(r["applicant"]["name"], 16), style=style), Text(status, style=style),
                          Text(clip(" ".join(r["content"].split()), 60), style=style), key=key)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)
        new = sum(1 for r in message.rows if r["status"] == "new")
        counted = f"全部 {len(message.rows)} 条（待确认 {new} 条）" if self.show_all else f"待确认 {new} 条"
        self.query_one("#inbox-status", Static).update(
            f"{counted}　Enter 确认登记　x 退回　a 全部/待确认" if message.rows
            else "收件箱中没有待确认的网上申请（网上申请由管理员导入；按 a 显示已处理的）"
        )
        self._show_detail()

    # -- detail ----------------------------------------------------------------------------------------------
    def current(self) -> dict[str, Any] | None:
        table = self.query_one("#inbox-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_confirm()

    @on(DataTable.RowHighlighted, "#inbox-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        r = self.current()
        self.query_one("#inbox-item", Static).update(detail(r) if r else "")

    # -- actions ---------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.load()

    def action_confirm(self) -> None:
        r = self.current()
        if r is None:
            return
        if r["status"] != "new":
            self.notify(f"这条网上申请{r['status_label']}，不能再确认", severity="warning")
            return
        today = self.ctx.today().isoformat()

        def entered(value: str | None) -> None:
            if value is not None:
                self.confirm_item(r["id"], value.strip() or today)

        self.app.push_screen(PromptDialog(f"确认登记网上申请 {r['id']}（{r['applicant']['name']}）",
                                          CONFIRM_HINT + f"到达日期 {r['arrived_on']}", value=today), entered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox-decide")
    def confirm_item(self, item_id: int, on_date: str) -> None:
        try:
            result = intake.confirm(self.ctx, item_id, on_date)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "确认登记网上申请"))
            self.load()
            return
        self.post_message(self.Registered(result))

    def on_inbox_screen_registered(self, message: Registered) -> None:
        self.load()
        self.app._after_registration(message.result)  # type: ignore[attr-defined]

    def action_reject(self) -> None:
        r = self.current()
        if r is None:
            return
        if r["status"] != "new":
            self.notify(f"这条网上申请{r['status_label']}，不能退回", severity="warning")
            return

        def entered(value: str | None) -> None:
            if value is not None:
                self.reject_item(r["id"], value)

        self.app.push_screen(PromptDialog(f"退回网上申请 {r['id']}（{r['applicant']['name']}）",
                                          "写明理由（如：重复提交，已按 2025-0012 登记；测试数据；"
                                          "与政府信息公开无关）。退回的申请保留在收件箱中，按 a 可查看"), entered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox-decide")
    def reject_item(self, item_id: int, reason: str) -> None:
        try:
            item = intake.reject(self.ctx, item_id, reason)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "退回网上申请"))
            return
        self.post_message(self.Rejected(item))

    def on_inbox_screen_rejected(self, message: Rejected) -> None:
        self.notify(f"已退回网上申请 {message.item['id']}：{message.item['reason']}", timeout=4, markup=False)
        self.load()


def detail(r: dict[str, Any]) -> Table:
    """Every Art. 29 element of an application, as the online form gave it (contacts masked)."""
    ap = r["applicant"]
    t = Table.grid(padding=(0, 1))
    t.add_column(style="bold", no_wrap=True)
    t.add_column(ratio=1, overflow="fold")
    org = "　".join(x for x in (
        f"法定代表人 {ap['legal_representative']}" if ap.get("legal_representative") else "",
        f"联系人 {ap['contact_person']}" if ap.get("contact_person") else "",
    ) if x)
    t.add_row("申请人", Text.assemble((ap["name"], "bold"), f"（{ap['type_label']}）", f"　{org}" if org else ""))
    contact = "　".join(x for x in (
        f"身份证明 {ap['id_number']}" if ap.get("id_number") else "身份证明 未提供",
        f"电话 {ap['phone']}" if ap.get("phone") else "",
        f"邮箱 {ap['email']}" if ap.get("email") else "",
        f"地址 {ap['address']}" if ap.get("address") else "",
    ) if x)
    t.add_row("", Text(contact))
    t.add_row("所需信息", Text(r["content"]))
    how = [f"形式：{r['form_requested']}" if r.get("form_requested") else "",
           f"获取方式：{r['delivery_label']}" if r.get("delivery_label") else "", f"事项数：{r['item_count']}"]
    t.add_row("", Text("　".join(x for x in how if x), style="dim"))
    arrived = (r.get("submitted_at") or r["arrived_on"])[:16].replace("T", " ")
    t.add_row("到达", Text(f"{arrived}（{r['source']} 编号 {r['external_id']}）"))
    if r.get("missing_elements"):
        t.add_row("缺少要素", Text("、".join(r["missing_elements"]) + "：登记后可一次性告知补正", style="yellow"))
    if r["status"] == "rejected":
        t.add_row("已退回", Text(f"{r['decided_on']} {r['decided_by']}：{r['reason']}"))
    elif r["status"] == "confirmed":
        t.add_row("已登记", Text(f"{r['decided_on']} {r['decided_by']}：案件 {r.get('case_number') or ''}"))
    return t
