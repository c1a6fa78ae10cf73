"""The agenda as a morning digest (Markdown, to paste into a mail to the leader) and as an xlsx sheet.

Both take the JSON shape of services/agenda.py (`AgendaResult.as_json()`), so what a file says is what
`agenda --format json` says. Applicants' names are masked there already.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from zwgk_tui.domain.calendar import weekday_name
from zwgk_tui.exports.safe_cells import put

FONT_NAME = "宋体"

# Sections of the digest, in the order a leader reads them.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("已逾期、已届满", ("overdue", "lapsed")),
    ("今天到期", ("today",)),
    ("即将到期", ("soon",)),
    ("其后到期", ("later",)),
    ("待记录送达日期（对方的期限自其收到之日起算）", ("no_date",)),
)


def left_text(item: dict[str, Any]) -> str:
    """Working days left as a clerk says it: 剩3 / 今天 / 逾期2 / 届满2 / —."""
    left = item.get("working_days_left")
    if left is None:
        return "—"
    if item["status"] == "overdue":
        return f"逾期{-left}" if left else "逾期"
    if item["status"] == "lapsed":
        return f"届满{-left}" if left else "届满"
    if left == 0:
        return "今天"
    return f"剩{left}"


def due_text(item: dict[str, Any]) -> str:
    if not item.get("due"):
        return "待记录送达"
    return str(item["due"]) + ("（暂定）" if item.get("provisional") else "")


def _md(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.isoformat()}（{weekday_name(d)}）"


def digest(data: dict[str, Any]) -> str:
    """The agenda in Markdown: a heading, the counts, then one table per section."""
    items = data["items"]
    counts = data["counts"]
    lines = [
        f"# 政府信息公开申请待办　{_day(data['today'])}",
        "",
        f"范围：{data['scope']}　　列入：{data['until']} 前到期的事项、已逾期事项和待记录送达的事项",
        "",
        "　".join(f"{label} {sum(counts.get(s, 0) for s in statuses)} 项" for label, statuses in
                 (("已逾期", ("overdue",)), ("已届满", ("lapsed",)), ("今天到期", ("today",)),
                  ("即将到期", ("soon",)), ("待记录送达", ("no_date",)))),
    ]
    if not items:
        lines += ["", "没有待办事项。"]
    for title, statuses in SECTIONS:
        rows = [i for i in items if i["status"] in statuses]
        if not rows:
            continue
        lines += ["", f"## {title}（{len(rows)} 项）", "",
                  "| 期限 | 工作日 | 事项 | 案件 | 申请人 | 下一步 | 依据 |", "|---|---|---|---|---|---|---|"]
        for i in rows:
            case = f"{i['number']}（{i['agency']}）" if len(data.get("agencies", [])) != 1 else i["number"]
            lines.append("| " + " | ".join(_md(x) for x in (
                due_text(i), left_text(i), i["what"], case, i["applicant"], i["next_step"], i["basis"])) + " |")
    if not data.get("proceedings_included"):
        lines += ["", "（复议、诉讼的答复与履行期限未列入：本系统尚未提供该项服务）"]
    lines += ["", "工作日按国务院办公厅节假日安排（含调休）计算；“剩N”为距期限的工作日数。"]
    return "\n".join(lines) + "\n"


COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("due", "期限", 12), ("left", "工作日", 9), ("status_label", "状态", 10), ("what", "事项", 44),
    ("number", "案件编号", 12), ("agency", "机关", 10), ("applicant", "申请人", 14), ("subject", "申请内容", 36),
    ("stage_label", "阶段", 10), ("next_step", "下一步", 40), ("basis", "依据", 30),
)


def write_xlsx(data: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook holds one worksheet
    ws.title = "待办"
    put(ws, 1, 1, f"政府信息公开申请待办　{_day(data['today'])}　范围：{data['scope']}").font = Font(
        name=FONT_NAME, bold=True, size=12)
    bold = Font(name=FONT_NAME, bold=True)
    plain = Font(name=FONT_NAME)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(vertical="top", wrap_text=True)
    for j, (_, header, width) in enumerate(COLUMNS, start=1):
        c = put(ws, 2, j, header)
        c.font, c.fill = bold, fill
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, item in enumerate(data["items"], start=3):
        values = {**item, "left": left_text(item)}
        for j, (key, _, _) in enumerate(COLUMNS, start=1):
            value: Any = values.get(key)
            if key == "due":
                value = date.fromisoformat(item["due"]) if item["due"] else "待记录送达"
            c = put(ws, i, j, "" if value is None else value)
            c.font, c.alignment = plain, wrap
            if key == "due" and item["due"]:
                c.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{len(data['items']) + 2}"
    wb.properties.creator = "zwgk-tui"
    wb.save(path)
