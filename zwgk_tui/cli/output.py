"""Printing for the CLI: JSON for scripts, rich tables and plain Chinese lines for people."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, CHANNEL_LABELS, OUTCOME_SHORT_LABELS

if TYPE_CHECKING:
    from rich.console import Console


def escape(text: str) -> str:
    """rich's markup escape (loaded only by the commands that print markup)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class LazyConsole:
    """A rich Console that is loaded only when something needs it.

    Most commands print a few plain lines (`case new`, `deadline`, every confirmation): those are written straight
    to the stream, exactly as rich would print them with these settings (no highlighting, no emoji, no wrapping,
    no style), and rich (about 15 ms at every start) is never imported. Anything rich would change — markup
    (text with "[" unless markup=False), styles, tables, tabs and control characters, which rich expands or
    strips — goes to the real Console."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # emoji=False: a clerk's or applicant's text such as ":cat:" is printed as typed (and rich's emoji table
            # is never loaded).
            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True, emoji=False)
        return self._console

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", markup: bool | None = None,
              **options: Any) -> None:
        if not options and self._console is None and all(
                type(o) is str and (markup is False or "[" not in o) and _plain(o) for o in objects):
            stream = sys.stderr if self._stderr else sys.stdout
            stream.write(sep.join(objects) + end)
            stream.flush()
            return
        self.console.print(*objects, sep=sep, end=end, markup=markup, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


def _plain(text: str) -> bool:
    """No character that rich might render differently: tabs (expanded), control characters (some stripped)."""
    return all(ch == "\n" or not ("\x00" <= ch < " " or "\x7f" <= ch <= "\x9f") for ch in text)


out = LazyConsole()
err = LazyConsole(stderr=True)

STATUS_LABELS = {
    "overdue": "逾期",
    "due_soon": "临期",
    "normal": "正常",
    "paused": "暂停计时",
    "awaiting_correction": "待补正（停止计时）",
    "concluded_on_time": "已按期办结",
    "concluded_late": "逾期办结",
    "closed": "已办结",
}
STATUS_STYLES = {"overdue": "bold red", "due_soon": "yellow", "paused": "cyan", "normal": "green",
                 "awaiting_correction": "cyan", "concluded_on_time": "green", "concluded_late": "red"}


DOCUMENT_STATUS_LABELS = {"issued": "有效", "void": "作废"}


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_case(view: dict[str, Any]) -> None:
    # Everything that comes from the register (names, numbers, agency names) is escaped: an applicant called
    # "[/bold]李四[red]" must print as typed, never as Rich markup.
    dl = view["deadline"]
    ap = view["applicant"]
    e = escape
    out.print(f"[bold]案件 {e(view['number'])}[/bold]　{e(view['agency_name'])}（{e(view['agency'])}）")
    out.print(f"阶段：{view['stage_label']}" + (f"　办理结果：{view['outcome_label']}" if view["outcome"] else "")
              + (f"　拟办结果：{OUTCOME_SHORT_LABELS.get(view['proposed_outcome'], '')}"
                 if view["proposed_outcome"] and not view["outcome"] else ""),
              markup=False)
    out.print(f"申请人：{ap['name']}（{APPLICANT_TYPE_LABELS.get(ap['type'], ap['type'])}）"
              + (f"　证件：{ap['id_number']}" if ap["id_number"] else "")
              + (f"　电话：{ap['phone']}" if ap["phone"] else ""),
              markup=False)
    out.print(f"收到日期：{view['received_on']}（{CHANNEL_LABELS.get(view['channel'], view['channel'])}）"
              + (f"　办结日期：{view['concluded_on']}" if view["concluded_on"] else ""), markup=False)
    out.print(f"申请内容：{view['content']}", markup=False)
    if view.get("clarified_content"):
        out.print(f"补正后的申请内容：{view['clarified_content']}", markup=False)
    if view["missing_elements"]:
        out.print("缺少要素（可告知补正）：" + "；".join(view["missing_elements"]), markup=False)
    out.print()
    out.print("[bold]期限[/bold]")
    out.print(f"  补正告知期限：{view['correction_notice_due']}（收到后第7个工作日）")
    if dl["due"]:
        prov = "（暂定：日历数据未正式公布）" if dl["provisional"] else ""
        out.print(f"  答复期限：[bold]{dl['due']}[/bold]{prov}"
                  + (f"，含延长 {dl['extension_days']} 个工作日" if dl["extension_days"] else ""))
    elif dl["correction_pending"]:
        out.print("  答复期限：待补正，停止计时（收到补正后重新计算20个工作日）")
    else:
        out.print(f"  答复期限：暂停计时（已用 {dl['working_days_used']} 个工作日，"
                  f"剩余 {dl['working_days_left']} 个工作日）")
    if dl.get("consultation_due"):
        out.print(f"  征求意见答复期限：{dl['consultation_due']}（15个工作日）")
    if dl.get("fee_payment_due"):
        out.print(f"  缴费期限：{dl['fee_payment_due']}（20个工作日）")
    status = dl["status"]
    left = dl["working_days_left"]
    styled = STATUS_LABELS.get(status, status)
    if STATUS_STYLES.get(status):
        styled = f"[{STATUS_STYLES[status]}]{styled}[/]"
    out.print(f"  状态：{styled}"
              + (f"，已用 {dl['working_days_used']} 个工作日" if dl["working_days_used"] is not None else "")
              + (f"，剩余 {left} 个工作日"
                 if left is not None and status not in ("overdue",) and not view["concluded_on"] else ""))
    if view["explanation"]:
        out.print()
        out.print("[bold]期限推算[/bold]")
        for line in view["explanation"]:
            out.print(f"  {line}", markup=False)
    out.print()
    out.print("[bold]办理记录[/bold]")
    for e in view["events"]:
        extra = _event_summary(e)
        by = (e["by"] if not e.get("recorded_by") or e["recorded_by"] == e["by"]
              else f"{e['by']}（由 {e['recorded_by']} 代为操作）")
        out.print(f"  #{e['id']} {e['on']}　{e.get('label') or e['action']}　{by}"
                  f"　（记录于 {e['at'][:16].replace('T', ' ')}）"
                  + (f"　{extra}" if extra else "") + (f"　备注：{e['comment']}" if e["comment"] else ""), markup=False)
    if view["documents"]:
        out.print()
        out.print("[bold]已出具文书[/bold]")
        for d in view["documents"]:
            status = DOCUMENT_STATUS_LABELS.get(d.get("status", "issued"), d.get("status", ""))
            if d.get("status") == "void" and d.get("void_reason"):
                status += f"（{d['void_reason']}）"
            origin = "（系统外制作）" if d.get("origin") == "external" else ""
            out.print(f"  {d['issued_on']}　{d.get('title') or d['kind']}　{d['doc_number'] or '（无文号）'}"
                      f"　{status}{origin}"
                      f"　{d['file_name']}", markup=False)
    if view.get("proceedings"):
        out.print()
        out.print("[bold]复议、诉讼[/bold]")
        for p in view["proceedings"]:
            print_proceeding(p)
    if view.get("allowed_actions"):
        from zwgk_tui.domain.event_text import event_label

        out.print()
        out.print("可执行步骤：" + "、".join(f"{event_label(a)}（{a}）" for a in view["allowed_actions"]), markup=False)


PROCEEDING_STATUS = {"open": ("未到期", "green"), "overdue": ("已逾期", "bold red"), "done": ("已完成", "dim"),
                     "late": ("逾期完成", "red")}


def print_proceeding(p: dict[str, Any]) -> None:
    """One proceeding: what it is, its dates, and each deadline with its derivation (as the reply deadline)."""
    head = f"  #{p['id']} {p['kind_label']}　{p['filed_on']} 提起　{p['result_label']}"
    if p.get("decided_on"):
        head += f"（{p['decided_on']} 审结）"
    if p.get("simplified"):
        head += "　简易程序"
    out.print(head, markup=False)
    facts = [("收到副本", p.get("copy_received_on")), ("受理", p.get("accepted_on")),
             ("提交答复/答辩", p.get("answered_on")), ("责令公开", "是" if p.get("disclose_order") else None),
             ("已公开", p.get("complied_on")), ("收到复议意见书", p.get("opinion_received_on")),
             ("已报送", p.get("reported_on"))]
    shown = "　".join(f"{label} {value}" for label, value in facts if value)
    if shown:
        out.print(f"    {shown}", markup=False)
    if p.get("warning"):
        out.print(f"    [yellow]{p['warning']}[/yellow]")
    for dl in p.get("deadlines") or []:
        word, style = PROCEEDING_STATUS.get(dl["status"], (dl["status"], ""))
        left = dl.get("working_days_left")
        extra = f"，剩 {left} 个工作日" if dl["status"] == "open" and left is not None else ""
        out.print(f"    {dl['what']}：[bold]{dl['due']}[/bold]　[{style}]{word}[/]{extra}")
        for line in dl.get("explanation") or []:
            out.print(f"      {line}", markup=False)
    for line in p.get("missing") or []:
        out.print(f"    [cyan]提示：{line}[/cyan]")


def _event_summary(e: dict[str, Any]) -> str:
    from zwgk_tui.domain.event_text import describe_event

    return describe_event(e, with_comment=False)  # the CLI prints the comment on its own (备注：…)




LIST_COLUMNS = ("编号", "机关", "申请人", "收到日期", "阶段", "答复期限", "剩余", "状态")
_APPLICANT, _LEFT, _STATUS = 2, 6, 7


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, with an ellipsis when something was cut."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - 1 - used) + "…"  # as rich does: a split wide character leaves a space


def print_case_list(rows: list[dict[str, Any]]) -> None:
    """The register as an aligned table that fits the terminal (80 columns when piped): only the applicant is
    shortened (with …). Laid out by hand: a rich Table takes seconds for a few thousand rows."""
    if not rows:
        out.print("没有符合条件的案件")
        return
    from rich.cells import cell_len
    from rich.text import Text

    lines: list[list[str]] = []
    for r in rows:
        due = r["due_date"] or ("—" if r["status"] == "closed" else "暂停计时")
        if r["provisional"] and r["due_date"]:
            due += "（暂定）"
        left = "" if r["working_days_left"] is None else str(r["working_days_left"])
        lines.append([r["number"], r["agency"], r["applicant"], r["received_on"], r["stage_label"], due, left,
                      STATUS_LABELS.get(r["status"], r["status"])])
    known: dict[str, int] = {}

    def width_of(value: str) -> int:  # labels, codes and dates repeat on every line: measured once each
        w = known.get(value)
        if w is None:
            w = known[value] = len(value) if value.isascii() else cell_len(value)
        return w

    widths = [max(width_of(col), *(width_of(line[i]) for line in lines)) for i, col in enumerate(LIST_COLUMNS)]
    room = out.width - sum(widths) - 2 * (len(widths) - 1)
    if room < 0:
        widths[_APPLICANT] = max(6, widths[_APPLICANT] + room)

    def cells(values: list[str]) -> list[str]:
        padded = []
        for i, (value, width) in enumerate(zip(values, widths, strict=True)):
            if i == _APPLICANT and width_of(value) > width:
                value = _fit(value, width)
            pad = " " * (width - width_of(value))
            padded.append(pad + value if i == _LEFT else value + pad)
        return padded

    header = "  ".join(cells(list(LIST_COLUMNS)))
    table = [cells(line) for line in lines]
    if not out.is_terminal:  # piped (scripts, files): the same text, written at once without styling
        out.file.write("\n".join([header, *("  ".join(row) for row in table)]) + "\n")
    else:
        text = Text()
        text.append(header, style="bold")
        for r, row in zip(rows, table, strict=True):
            text.append("\n" + "  ".join(row[:_STATUS]) + "  ")
            text.append(row[_STATUS], style=STATUS_STYLES.get(r["status"], ""))
        out.print(text)
    out.print(f"共 {len(rows)} 件；“剩余”为距答复期限的工作日数（负数为已逾期）")
