"""One case: applicant, content, stage and outcome, the deadline with its derivation, the timeline, the issued
documents, and the steps this user may take now (exactly `allowed_actions` from the service)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
)
from zwgk_tui.domain.event_text import describe_event
from zwgk_tui.services import cases
from zwgk_tui.tui.common import STATUS_STYLES, STATUS_WORDS, ServiceFailed, service_text
from zwgk_tui.tui.screens.action_form import ActionForm, ActionResult, action_label, ordered_actions
from zwgk_tui.tui.screens.dialogs import ChoiceDialog, MessageDialog
from zwgk_tui.tui.screens.prompt import PromptDialog
from zwgk_tui.tui.widgets.chrome import ClerkFooter, ClerkHeader

DOC_KIND_TITLES = {
    "reply_disclosed": "答复书", "reply_partially_disclosed": "答复书", "reply_withheld": "答复书",
    "reply_unavailable": "答复书", "reply_not_processed": "答复书", "reply_other": "告知书", "receipt": "接收回执",
    "correction_notice": "补正告知书", "explanation_request": "说明理由告知书", "extension_notice": "延期答复告知书",
    "delay_notice": "延迟答复告知书", "third_party_consultation": "征求意见书（第三方）",
    "agency_consultation": "征求意见书（机关）", "third_party_decision": "依申请公开告知书（第三方）",
    "fee_notice": "收费通知书",
}
_EXPLAIN_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}（[^）]*）)\s*(.*)$")


PROCEEDING_STATUS = {"open": ("未到期", "green"), "overdue": ("已逾期", "red"), "done": ("已完成", "dim"),
                     "late": ("逾期完成", "red")}


def documents_service() -> Any | None:
    """The documents service, when it is installed (it is optional for the TUI)."""
    try:
        return importlib.import_module("zwgk_tui.services.documents")
    except ImportError:
        return None


class CaseScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "返回", id="case.back"),
        Binding("a", "act", "办理", id="case.act"),
        Binding("d", "document", "生成文书", id="case.document"),
        Binding("p", "toggle_reveal", "显示/隐藏个人信息", id="case.reveal"),
        Binding("f", "dossier", "导出案卷", id="case.dossier"),
        Binding("r,f5", "refresh", "刷新", id="case.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, view: dict[str, Any]) -> None:
            super().__init__()
            self.view = view

    class DocumentIssued(Message):
        def __init__(self, info: dict[str, Any]) -> None:
            super().__init__()
            self.info = info

    def __init__(self, number: str, agency: str | None = None) -> None:
        super().__init__(id="case")
        self.number = number
        self.agency = agency
        self.view: dict[str, Any] | None = None
        self.reveal = False
        self.drafts: list[str] = []  # drafts written in this visit (never recorded as issued)

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield ClerkHeader()
        with VerticalScroll(id="case-body"):
            yield Static("正在读取案件…", id="case-head")
            yield Static("", id="case-deadline", classes="case-block")
            yield Static("", id="case-proceedings", classes="case-block")
            yield Static("", id="case-events", classes="case-block")
            yield Static("", id="case-docs", classes="case-block")
        yield Static("", id="case-actions")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.sub_title = f"案件 {self.number}"
        self.query_one("#case-body").focus()
        self.load()

    # -- loading ---------------------------------------------------------------------------------------------
    def load(self) -> None:
        self.fetch(self.reveal)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-load")
    def fetch(self, reveal: bool) -> None:
        try:
            view = cases.show(self.ctx, self.number, self.agency, reveal=reveal)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, f"读取案件 {self.number}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(view))

    def on_case_screen_loaded(self, message: Loaded) -> None:
        self.show_view(message.view)

    def show_view(self, view: dict[str, Any]) -> None:
        self.view = view
        self.agency = view["agency"]
        self.query_one("#case-head", Static).update(self._head(view))
        self.query_one("#case-deadline", Static).update(self._deadline(view))
        proceedings = self.query_one("#case-proceedings", Static)
        proceedings.display = bool(view.get("proceedings"))
        proceedings.update(self._proceedings(view))
        self.query_one("#case-events", Static).update(self._events(view))
        self.query_one("#case-docs", Static).update(self._documents(view))
        acts = ordered_actions(view["allowed_actions"], view.get("proposed_outcome"))
        line = Table.grid(padding=(0, 1))
        line.add_column(style="bold", no_wrap=True)
        line.add_column(ratio=1, overflow="fold")
        if acts:
            line.add_row(Text("可办理(a)"), Text("、".join(action_label(a) for a in acts)))
        else:
            line.add_row(Text("可办理(a)"), Text("当前没有您可以办理的步骤（所需角色不同，或案件已办结）", style="dim"))
        self.query_one("#case-actions", Static).update(line)

    # -- rendering -------------------------------------------------------------------------------------------
    def _head(self, v: dict[str, Any]) -> Table:
        ap = v["applicant"]
        t = Table.grid(padding=(0, 1))
        t.add_column(style="bold", no_wrap=True)
        t.add_column(ratio=1, overflow="fold")
        outcome = v.get("outcome_label") or (
            f"拟：{OUTCOME_SHORT_LABELS.get(v['proposed_outcome'], v['proposed_outcome'])}"
            if v.get("proposed_outcome") else "—"
        )
        t.add_row("案件编号", Text.assemble((v["number"], "bold"), f"　{v.get('agency_name') or v['agency']}"))
        t.add_row("阶段", Text.assemble((v["stage_label"], "bold"), "　办理结果：", outcome))
        who = Text.assemble((ap["name"], "bold"), f"（{APPLICANT_TYPE_LABELS.get(ap['type'], ap['type'])}）")
        t.add_row("申请人", who)
        contact = "　".join(
            x for x in (
                f"身份证明 {ap['id_number']}" if ap.get("id_number") else "身份证明 未提供",
                f"电话 {ap['phone']}" if ap.get("phone") else "",
                f"邮箱 {ap['email']}" if ap.get("email") else "",
                f"地址 {ap['address']}" if ap.get("address") else "",
            ) if x
        )
        t.add_row("", Text(contact))
        received = Text(f"{v['received_on']}（{CHANNEL_LABELS.get(v['channel'], v['channel'])}）")
        if v.get("concluded_on"):
            received.append(f"　办结：{v['concluded_on']}")
        t.add_row("收到申请", received)
        t.add_row("申请内容", Text(v["content"]))
        if v.get("clarified_content"):
            t.add_row("补正后内容", Text(v["clarified_content"]))
        how = []
        if v.get("form_requested"):
            how.append(f"形式：{v['form_requested']}")
        if v.get("delivery"):
            how.append(f"获取方式：{DELIVERY_METHOD_LABELS.get(v['delivery'], v['delivery'])}")
        how.append(f"事项数：{v.get('item_count', 1)}")
        t.add_row("", Text("　".join(how), style="dim"))
        for i, missing in enumerate(v.get("missing_elements") or []):
            t.add_row("缺少要素" if i == 0 else "", Text(service_text(missing), style="yellow"))
        if v.get("decision_reason"):
            t.add_row("理由", Text(v["decision_reason"]))
        return t

    def _deadline(self, v: dict[str, Any]) -> RenderableType:
        dl = v["deadline"]
        status = dl.get("status") or ("closed" if v["stage"] == "closed" else "normal")
        style = STATUS_STYLES.get(status, "")
        t = Table.grid(padding=(0, 1))
        t.add_column(style="bold", no_wrap=True, min_width=12)
        t.add_column(ratio=1, overflow="fold")
        due = Text()
        if v["stage"] == "closed":
            due.append(f"已办结{('，' + v['concluded_on']) if v.get('concluded_on') else ''}", style="dim")
            if dl.get("due"):
                due.append(f"（期限为 {dl['due']}）", style="dim")
            if v.get("replied_late"):
                due.append("　超期答复", style="bold red")
        elif dl.get("paused"):
            due.append("暂停计时", style="bold cyan")
            due.append(f"　已用{dl['working_days_used']}个工作日，尚余{dl['working_days_left']}个工作日")
        elif dl.get("correction_pending"):
            due.append("待补正：答复期限自收到补正之日起重新计算", style="bold cyan")
        else:
            due.append(dl.get("due") or "—", style=f"bold {style}".strip())
            if dl.get("provisional"):
                due.append("（暂定）", style="bold yellow")
            left = dl.get("working_days_left")
            if left is not None and left < 0:
                due.append(f"　{STATUS_WORDS.get(status, '')}{-left}个工作日", style=style)
            elif left is not None:
                due.append(f"　{STATUS_WORDS.get(status, '')}：已用{dl['working_days_used']}个工作日，"
                           f"剩{left}个工作日", style=style)
        if dl.get("extension_days"):
            due.append(f"　已延长{dl['extension_days']}个工作日")
        t.add_row("答复期限", due)
        if v.get("correction_notice_due") and v["stage"] == "registered":
            t.add_row("补正告知期限", f"{v['correction_notice_due']}（第7个工作日）")
        if dl.get("consultation_due"):
            t.add_row("征求意见期限", dl["consultation_due"])
        if dl.get("fee_payment_due"):
            t.add_row("缴费期限", dl["fee_payment_due"])
        if dl.get("provisional"):
            t.add_row("", Text("该日期所在年度的国务院节假日安排尚未导入，期限为暂定（日历画面按 i 导入通知）",
                               style="yellow"))
        lines = v.get("explanation") or []
        if not lines:
            return t
        ex = Table.grid(padding=(0, 1))
        ex.add_column(style="bold", no_wrap=True, min_width=12)
        ex.add_column(style="cyan", no_wrap=True)
        ex.add_column(ratio=1, overflow="fold")
        for i, line in enumerate(lines):
            m = _EXPLAIN_LINE.match(line)
            day, rest = (m.group(1), m.group(2)) if m else ("", line)
            ex.add_row("期限推算" if i == 0 else "", day, Text(service_text(rest)))
        return Group(t, ex)

    def _proceedings(self, v: dict[str, Any]) -> RenderableType:
        """Each proceeding with its deadlines and their derivation (as the reply deadline's)."""
        t = Table.grid(padding=(0, 1))
        t.add_column(style="bold", no_wrap=True, min_width=12)
        t.add_column(ratio=1, overflow="fold")
        for i, p in enumerate(v.get("proceedings") or []):
            head = Text.assemble((f"#{p['id']} {p['kind_label']}", "bold"), f"　{p['filed_on']} 提起　",
                                 (p["result_label"], "bold" if p["result"] != "pending" else "cyan"))
            if p.get("decided_on"):
                head.append(f"（{p['decided_on']} 审结）")
            if p.get("simplified"):
                head.append("　简易程序")
            t.add_row("复议、诉讼" if i == 0 else "", head)
            facts = [("收到副本", p.get("copy_received_on")), ("受理", p.get("accepted_on")),
                     ("已答复/答辩", p.get("answered_on")), ("责令公开", "是" if p.get("disclose_order") else None),
                     ("已公开", p.get("complied_on")), ("收到复议意见书", p.get("opinion_received_on")),
                     ("已报送", p.get("reported_on"))]
            shown = "　".join(f"{label} {value}" for label, value in facts if value)
            if shown:
                t.add_row("", Text(shown, style="dim"))
            if p.get("warning"):
                t.add_row("", Text(service_text(p["warning"]), style="yellow"))
            for dl in p.get("deadlines") or []:
                word, style = PROCEEDING_STATUS.get(dl["status"], (dl["status"], ""))
                line = Text.assemble(f"{dl['what']}：", (dl["due"], f"bold {style}".strip()), "　", (word, style))
                left = dl.get("working_days_left")
                if dl["status"] == "open" and left is not None:
                    line.append(f"，剩{left}个工作日")
                t.add_row("", line)
                lines = dl.get("explanation") or []
                if lines:
                    derivation = Table.grid(padding=(0, 1))
                    derivation.add_column(no_wrap=True, style="dim")
                    derivation.add_column(ratio=1, overflow="fold", style="dim")
                    for ex in lines:
                        derivation.add_row("·", service_text(ex))
                    t.add_row("", derivation)
            for missing in p.get("missing") or []:
                t.add_row("", Text(f"提示：{service_text(missing)}", style="cyan"))
        return t

    def _events(self, v: dict[str, Any]) -> Table:
        t = Table(title="办理记录", title_justify="left", title_style="bold", expand=True, show_edge=False,
                  pad_edge=False, box=None, header_style="bold")
        t.add_column("日期", no_wrap=True, width=10)
        t.add_column("步骤", no_wrap=True)
        t.add_column("办理人", no_wrap=True)
        t.add_column("记录时间", no_wrap=True, width=16)
        t.add_column("说明", ratio=1, overflow="fold")
        for e in v["events"]:
            at = (e.get("at") or "")[:16].replace("T", " ")
            step = e.get("label") or action_label(e["action"])
            by = e["by"] if e.get("recorded_by") in (None, "", e["by"]) else f"{e['by']}（{e['recorded_by']}代）"
            t.add_row(e["on"], step, Text(by), at,
                      Text(self._event_detail(e)))
        return t

    @staticmethod
    def _event_detail(e: dict[str, Any]) -> str:
        return service_text(describe_event(e))

    def _documents(self, v: dict[str, Any]) -> Text:
        out = Text("文书", style="bold")
        docs = v.get("documents") or []
        if not docs and not self.drafts:
            out.append("　无（按 d 出具或生成草稿）", style="dim")
        for d in docs:
            void = d.get("status") == "void"
            line = Text(f"\n  {d['issued_on']}　")
            line.append("作废" if void else "有效", style="bold red" if void else "green")
            line.append(f"　{d.get('doc_number') or '（无文号）'}　{DOC_KIND_TITLES.get(d['kind'], d['kind'])}")
            if d.get("origin") == "external":
                line.append("（系统外制作）", style="dim")
            if void and d.get("void_reason"):
                line.append(f"　{service_text(d['void_reason'])}", style="dim")
            out.append_text(line)
        for path in self.drafts:
            out.append("\n  ")
            out.append("草稿", style="yellow")
            out.append(f"　（未编号，未登记）{path}", style="dim")
        return out

    # -- actions ---------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal
        self.notify("显示完整证件号、电话和地址" if self.reveal else "个人信息已隐藏", timeout=2)
        self.load()

    def action_act(self) -> None:
        if self.view is None:
            return
        acts = ordered_actions(self.view["allowed_actions"], self.view.get("proposed_outcome"))
        if not acts:
            self.notify("当前没有您可以办理的步骤", severity="warning")
            return

        def chosen(action: str | None) -> None:
            if action:
                self.open_action(action)

        self.app.push_screen(
            ChoiceDialog(f"{self.view['number']}　办理（{self.view['stage_label']}）",
                         [(a, action_label(a)) for a in acts], note="数字键直接选择，Esc 取消"),
            chosen,
        )

    def open_action(self, action: str) -> None:
        if self.view is None:
            return
        if action not in self.view["allowed_actions"]:
            self.notify(f"当前阶段不能办理“{action_label(action)}”", severity="warning")
            return
        self.app.push_screen(ActionForm(self.view, action), self._after_action)

    def _after_action(self, result: ActionResult | None) -> None:
        if result is None:
            return
        if result.conflict:
            self.app.push_screen(MessageDialog("案件已被他人修改",
                                               [result.conflict, "已刷新为最新状态，请核对后再办理。"],
                                               severity="warning"))
            self.load()
            return
        if result.view is not None:
            self.show_view(result.view)
            self.notify(f"已记录。当前阶段：{result.view['stage_label']}", timeout=3)
            if self.reveal:
                self.load()
        for note in result.notes:
            self.notify(note, severity="warning", timeout=8, markup=False)

    def action_document(self) -> None:
        if self.view is None:
            return
        service = documents_service()
        if service is None:
            self.notify("文书服务尚未提供", severity="warning")
            return
        try:
            from zwgk_tui.documents.kinds import DOCUMENT_KINDS, KINDS
        except ImportError:
            DOCUMENT_KINDS, KINDS = (), {}
        requestable = list(getattr(service, "REQUESTABLE", ()) or KINDS)
        # The order of the document set (registration … reply), not the alphabet.
        rank = {k: i for i, k in enumerate(DOCUMENT_KINDS)}
        kinds = sorted(requestable, key=lambda k: rank.get(k, len(rank)))
        choices = [(k, "答复书（按办理结果）" if k == "reply" else (KINDS[k].title if k in KINDS else k))
                   for k in kinds]

        def chosen(kind: str | None) -> None:
            if not kind:
                return

            def how(mode: str | None) -> None:
                if mode is None:
                    return

                def where(path: str | None) -> None:
                    if path is None:
                        return
                    self.issue_document(kind, path.strip() or None, mode == "draft")

                self.app.push_screen(
                    PromptDialog("保存到", "文书文件保存的文件夹或完整文件名", value=str(Path.cwd())), where
                )

            self.app.push_screen(ChoiceDialog("出具方式", [
                ("issue", "正式出具（编文号、登记、不可更改；答复书须已签发）"),
                ("draft", "草稿（标明草稿，不编文号，不登记，供审核）"),
            ], note="数字键选择，Esc 取消"), how)

        self.app.push_screen(ChoiceDialog("生成文书", choices, note="↑↓ 选择，Enter 确定，Esc 取消"), chosen)

    def action_dossier(self) -> None:
        """一案一档: the case file as a zip (index, issued documents, events, evidence, service records)."""
        def where(path: str | None) -> None:
            if path is not None:
                self.export_dossier(path.strip() or None)

        self.app.push_screen(PromptDialog("导出案卷（一案一档）", "案卷 .zip 文件保存的文件夹或完整文件名",
                                          value=str(Path.cwd())), where)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-doc")
    def export_dossier(self, output: str | None) -> None:
        from zwgk_tui.services import dossier

        try:
            info = dossier.export(self.ctx, self.number, output, self.agency)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "导出案卷"))
            return
        self.post_message(self.DocumentIssued({"title": "案卷已导出", "path": info["path"], "sha256": info["sha256"],
                                               "dossier": True}))

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-doc")
    def issue_document(self, kind: str, output: str | None, draft: bool = False) -> None:
        service = documents_service()
        try:
            info = service.issue(self.ctx, self.number, kind, output=output, agency_code=self.agency,  # type: ignore[union-attr]
                                 draft=draft)
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "生成文书"))
            return
        self.post_message(self.DocumentIssued(info))

    def on_case_screen_document_issued(self, message: DocumentIssued) -> None:
        info = message.info
        if info.get("draft"):
            self.drafts.append(info["path"])
        lines = [f"已写入：{info['path']}"]
        if info.get("draft"):
            lines.append("草稿：标明“草稿”，未编文号，未登记为已出具")
        elif info.get("issued_on"):
            lines.append(f"成文日期：{info['issued_on']}")
        if info.get("doc_number"):
            lines.append(f"文号：{info['doc_number']}")
        if info.get("reprint"):
            lines.append("（重印此前出具的同一文书，内容未变）")
        if info.get("sha256"):
            lines.append(f"SHA-256：{info['sha256']}")
        lines += [f"注意：{service_text(w)}" for w in info.get("warnings") or []]
        self.app.push_screen(MessageDialog(info.get("title") or "文书已生成", lines))
        self.load()
