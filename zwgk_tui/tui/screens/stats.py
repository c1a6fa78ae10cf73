"""Annual-report tables (三 and 四 of the national format) for a year and agency, the identity check, whether the
year is published (and what today's data would change since), publishing, and export."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, ClassVar

from rich import box
from rich.cells import cell_len
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static
from textual.worker import get_current_worker

from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, OUTCOMES, REMEDY_KINDS, REMEDY_RESULTS
from zwgk_tui.services import admin
from zwgk_tui.tui.common import ServiceFailed, service_text
from zwgk_tui.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.prompt import PromptDialog
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

NOT_READY = "统计功能尚未安装，请联系管理员"

COLUMN_LABELS = {**APPLICANT_TYPE_LABELS, "total": "总计"}
EXPORT_FORMATS = [("xlsx", "Excel 表格（.xlsx）"), ("docx", "Word 文档（.docx，国家格式表样）"),
                  ("csv", "CSV（UTF-8，Excel 可直接打开）")]


def stats_service() -> Any | None:
    try:
        return importlib.import_module("zwgk_tui.services.stats")
    except ImportError:
        return None


def table3_rows() -> list[tuple[str, str | None]]:
    """(label, row code or None for a heading) in the national order, indented like the printed table."""
    try:
        from zwgk_tui.domain import annual_report
    except ImportError:  # the layout module is optional for the screen
        annual_report = None  # type: ignore[assignment]
    out: list[tuple[str, str | None]] = []
    if annual_report is not None:
        ar = annual_report
        group = section = None
        for row in ar.TABLE3_ROWS:
            if row.section != section and row.section == ar.SECTION_RESULTS:
                out.append((row.section, None))
            section = row.section
            if row.section != ar.SECTION_RESULTS:
                out.append((row.section, row.key))
            elif row.leaf:
                if row.group != group:
                    out.append((f"　{row.group}", None))
                out.append((f"　　{row.leaf}", row.key))
            else:
                out.append((f"　{row.group}", row.key))
            group = row.group
        return out
    out = [("一、本年新收政府信息公开申请数量", "new"), ("二、上年结转政府信息公开申请数量", "carried_in"),
           ("三、本年度办理结果", None)]
    for code, (group_label, leaf) in OUTCOMES.items():
        out.append((f"　{group_label} {leaf}" if group_label != leaf else f"　{leaf}", code))
    out += [("　（七）总计", "concluded_total"), ("四、结转下年度继续办理", "carried_out")]
    return out


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="stats.back"),
        Binding("left_square_bracket", "year(-1)", "上一年", key_display="[", id="stats.prev"),
        Binding("right_square_bracket", "year(1)", "下一年", key_display="]", id="stats.next"),
        Binding("e", "export", "导出", id="stats.export"),
        Binding("p", "publish", "发布", id="stats.publish"),
        Binding("c", "toggle_current", "已发布/今天的数据", id="stats.current"),
        Binding("r,f5", "refresh", "刷新", id="stats.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, report: dict[str, Any]) -> None:
            super().__init__()
            self.report = report

    class AgenciesLoaded(Message):
        def __init__(self, agencies: list[dict[str, Any]]) -> None:
            super().__init__()
            self.agencies = agencies

    class Exported(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    class Published(Message):
        def __init__(self, info: dict[str, Any]) -> None:
            super().__init__()
            self.info = info

    def __init__(self) -> None:
        super().__init__(id="stats")
        self.year = 0
        self.agency: str | None = None
        self.current = False  # a published year: show today's count instead of the published figures
        self.report: dict[str, Any] = {}
        self.table3_cells: dict[str, list[str]] = {}  # row code -> the seven cells on screen

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        with Horizontal(classes="filter-row"):
            yield Label("年度", classes="filter-label")
            yield Input(id="stats-year", compact=True, max_length=4, restrict=r"[0-9]*")
            yield Select([], prompt="全部机关", id="stats-agency", compact=True)
        with ScrollableContainer(id="stats-body"):
            yield Static("", id="stats-publication")
            yield Static("", id="stats-identity")
            yield Static("三、收到和处理政府信息公开申请情况", classes="section-title")
            yield Static("", id="table3", classes="report-table")
            yield Static("四、政府信息公开行政复议、行政诉讼情况", classes="section-title")
            yield Static("", id="table4", classes="report-table")
            yield Static("", id="stats-fees")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = "年度报告统计"
        today = self.ctx.today()
        # Reports are written in January–March for the year before.
        self.year = today.year - 1 if today.month <= 3 else today.year
        self.query_one("#stats-year", Input).value = str(self.year)
        self.query_one("#stats-agency", Select).display = False
        # The page scrolls both ways (arrows, PgUp/PgDn): at 80 columns table 三 is wider than the screen.
        self.query_one("#stats-body").focus()
        self.fetch_agencies()
        self.load()

    def load(self) -> None:
        if stats_service() is None:
            self.query_one("#stats-identity", Static).update(Text(NOT_READY, style="yellow"))
            self.notify(NOT_READY, severity="warning")
            return
        self.query_one("#stats-identity", Static).update(f"正在统计 {self.year} 年…")
        self.fetch(self.year, self.agency, self.current)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats-load")
    def fetch(self, year: int, agency: str | None, current: bool = False) -> None:
        from zwgk_tui.services import publishing

        try:
            # strict=False: a report whose identity fails is shown with its faults instead of refused. A published
            # year shows its published figures and the changes since (or today's count when `current`).
            report = publishing.report(self.ctx, year, agency, current=current, strict=False)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "年度报告统计"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(report))

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats-agencies")
    def fetch_agencies(self) -> None:
        try:
            agencies = admin.list_agencies(self.ctx)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取机关列表"))
            return
        self.post_message(self.AgenciesLoaded(agencies))

    def on_stats_screen_agencies_loaded(self, message: AgenciesLoaded) -> None:
        select = self.query_one("#stats-agency", Select)
        select.set_options([(f"{a['name']}（{a['code']}）", a["code"]) for a in message.agencies])
        select.display = len(message.agencies) > 1

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        report = message.report
        self.report = report
        self.query_one("#stats-publication", Static).update(self._publication(report))
        table3: dict[str, list[int]] = report.get("table3") or {}
        t3 = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold")
        widths = [32, *(max(cell_len(label), 6) for label in COLUMN_LABELS.values())]
        t3.add_column("项目", width=widths[0], overflow="fold")
        for label, width in zip(COLUMN_LABELS.values(), widths[1:], strict=True):
            t3.add_column(label, justify="right", no_wrap=True, width=width)
        self.table3_cells = {}
        for label, code in table3_rows():
            values = table3.get(code, []) if code else []
            cells = [str(n) for n in values] if values else [""] * len(COLUMN_LABELS)
            if code:
                self.table3_cells[code] = cells
            style = "bold" if code in ("new", "carried_in", "concluded_total", "carried_out") or code is None else ""
            t3.add_row(Text(label, style=style), *[Text(c, style=style) for c in cells])
        table3_widget = self.query_one("#table3", Static)
        # A fixed width, so that on a narrow terminal the page scrolls sideways instead of squeezing the table.
        wide = self.app.console.options.update_width(1000)
        table3_widget.styles.width = Measurement.get(self.app.console, wide, t3).maximum
        table3_widget.update(t3)
        t4 = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold")
        t4.add_column("", no_wrap=True)
        for label in (*REMEDY_RESULTS.values(), "总计"):
            t4.add_column(label, justify="right", no_wrap=True)
        for kind, label in REMEDY_KINDS.items():
            row = (report.get("table4") or {}).get(kind) or {}
            t4.add_row(label, *[str(row.get(k, 0)) for k in (*REMEDY_RESULTS, "total")])
        self.query_one("#table4", Static).update(t4)
        holds = report.get("identity_holds")
        scope = report.get("agency_name") or report.get("agency") or "全部机关"
        head = Text(f"{report.get('year', self.year)} 年度　{scope}　", style="bold")
        if holds:
            head.append("勾稽关系 一＋二＝三（七）＋四：各列均成立", style="green")
        else:
            head.append("数据有矛盾，本年度报告不能导出：", style="bold red")
            for line in report.get("identity_failures") or []:
                head.append(f"\n  {service_text(line)}", style="red")
            for fault in report.get("faults") or []:
                head.append(f"\n  {fault['number']}（{fault['agency']}）："
                            + "；".join(service_text(r) for r in fault["reasons"]), style="red")
        self.query_one("#stats-identity", Static).update(head)
        fees = report.get("fees") or {}
        lines = Text("六、收费　", style="bold")
        lines.append(report.get("fees_sentence") or
                     f"本年度发出收费通知{fees.get('notices', 0)}件，收取信息处理费共计{fees.get('collected', 0)}元。")
        wt = report.get("working_time") or {}
        lines.append("\n内部分析（不公开）", style="bold")
        if wt.get("replies"):
            lines.append("\n答复用时　", style="bold")
            lines.append(f"答复 {wt['replies']} 件，中位数 {wt.get('median_working_days_to_reply')} 个工作日，"
                         f"平均 {wt.get('mean_working_days_to_reply')} 个工作日，"
                         f"超期答复 {wt.get('replied_past_due', 0)} 件")
            if wt.get("mean_office_review_working_days") is not None:
                lines.append(f"；政府办审核平均 {wt['mean_office_review_working_days']} 个工作日")
            if wt.get("mean_legal_review_working_days") is not None:
                lines.append(f"；法制审核平均 {wt['mean_legal_review_working_days']} 个工作日")
        rereplies = report.get("rereplies") or []
        if rereplies:
            lines.append(f"\n重新答复 {len(rereplies)} 件（不计入表三）　", style="bold")
            lines.append("、".join(f"{r['number']}（{r['concluded_on']}，用时{r['working_days_from_reopen']}个工作日）"
                                   for r in rereplies))
        self.query_one("#stats-fees", Static).update(lines)

    def _publication(self, report: dict[str, Any]) -> Text:
        """Published or not; for a published year what today's data would change (发布后变动)."""
        p = report.get("publication")
        if not p:
            if report.get("year", self.year) >= self.ctx.today().year:
                return Text("未发布　本年度尚未结束：年度报告在次年发布", style="dim")
            return Text("未发布　按 p 发布本年度报告（发布后数字冻结，此后的变动单独列出）", style="dim")
        changes = report.get("changes_since_publication")
        out = Text(f"已发布 {p['published_on']}（{p['published_by']}，SHA-256 {p['sha256'][:16]}…）",
                   style="bold green")
        if not p.get("sha256_ok", True):
            out.append("　存档内容与 SHA-256 不符！", style="bold red")
        if changes is None:
            out.append("　当前显示：按今天的数据重新统计（c 切换回已发布的数字）", style="yellow")
            return out
        out.append("　当前显示：已发布的数字（c 查看今天的数据）", style="dim")
        if not changes:
            out.append("\n发布后数据未变动", style="green")
            return out
        out.append(f"\n发布后变动 {len(changes)} 处（发布的数字不变）：", style="bold yellow")
        for c in changes:
            out.append(f"\n  {c['label']}：发布 {c['published']}，现 {c['current']}", style="yellow")
            if c["added"]:
                out.append("　新增 " + "、".join(c["added"]), style="yellow")
            if c["removed"]:
                out.append("　移出 " + "、".join(c["removed"]), style="yellow")
        return out

    # -- input -----------------------------------------------------------------------------------------------
    @on(Input.Submitted, "#stats-year")
    def _year_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if len(text) == 4 and 2000 <= int(text) <= 2100:
            self.year = int(text)
            self.load()
            self.query_one("#stats-body").focus()
        else:
            self.notify(f"年份“{text}”无效：请输入四位年份，如 2024", severity="error")

    @on(Select.Changed, "#stats-agency")
    def _agency_changed(self, event: Select.Changed) -> None:
        self.agency = None if event.value is Select.NULL else str(event.value)
        self.load()

    def action_year(self, delta: int) -> None:
        self.year += delta
        self.query_one("#stats-year", Input).value = str(self.year)
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_toggle_current(self) -> None:
        if not (self.report or {}).get("publication"):
            self.notify("本年度尚未发布，显示的就是今天的数据", timeout=3)
            return
        self.current = not self.current
        self.load()

    # -- publish ---------------------------------------------------------------------------------------------
    def action_publish(self) -> None:
        published = (self.report or {}).get("publication")
        scope = self.report.get("scope") or self.report.get("agency_name") or ""
        if published:
            def reason_given(reason: str | None) -> None:
                if reason and reason.strip():
                    self.publish(self.year, self.agency, True, reason.strip())

            self.app.push_screen(PromptDialog(
                f"更正发布 {self.year} 年度报告",
                f"已于 {published['published_on']} 发布。更正发布将替换发布的数字（原记录保留），请写明理由："),
                reason_given)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.publish(self.year, self.agency, False, "")

        self.app.push_screen(ConfirmDialog(f"发布 {self.year} 年度报告", [
            f"统计范围：{scope}",
            "发布将保存表三、表四、收费数字和每个单元格对应的案件，并计算 SHA-256。",
            "发布后本年度显示发布时的数字；之后的数据变动单独列出，不改变已发布的数字。",
            "确认发布？"]), confirmed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats-publish")
    def publish(self, year: int, agency: str | None, republish: bool, reason: str) -> None:
        from zwgk_tui.services import publishing

        try:
            info = publishing.publish(self.ctx, year, agency, republish=republish, reason=reason)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "发布年度报告"))
            # Published meanwhile from another desk, say: show what is recorded now, so that p asks the right thing.
            self.app.call_from_thread(self.load)
            return
        self.post_message(self.Published(info))

    def on_stats_screen_published(self, message: Published) -> None:
        info = message.info
        self.current = False
        self.app.push_screen(MessageDialog("已更正发布" if info["republished"] else "已发布", [
            f"{info['year']} 年度报告（{info['scope_text']}）于 {info['published_on']} 发布",
            f"SHA-256：{info['sha256']}"]))
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- export ----------------------------------------------------------------------------------------------
    def action_export(self) -> None:
        service = stats_service()
        if service is None or not hasattr(service, "export"):
            self.notify("导出功能尚未提供", severity="warning")
            return

        def fmt_chosen(fmt: str | None) -> None:
            if not fmt:
                return
            name = service.default_file_name(self.year, self.agency, fmt) if hasattr(service, "default_file_name") \
                else f"年度报告统计-{self.year}.{fmt}"
            default = Path.cwd() / name

            def path_chosen(path: str | None) -> None:
                if path and path.strip():
                    self.export(self.year, self.agency, fmt, path.strip())

            self.app.push_screen(PromptDialog("导出到", "文件路径（已有同名文件将被覆盖）", value=str(default)),
                                 path_chosen)

        self.app.push_screen(ChoiceDialog(f"导出 {self.year} 年度报告表格", EXPORT_FORMATS), fmt_chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats-export")
    def export(self, year: int, agency: str | None, fmt: str, path: str) -> None:
        service = stats_service()
        try:
            written = service.export(self.ctx, year, agency, fmt, path, current=self.current)  # type: ignore[union-attr]
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "导出年度报告"))
            return
        self.post_message(self.Exported(str(written)))

    def on_stats_screen_exported(self, message: Exported) -> None:
        self.app.push_screen(MessageDialog("已导出", [f"已写入：{message.path}"]))
