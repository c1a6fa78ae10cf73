"""The report in the terminal (rich): table 三 with the national labels, table 四, fees and reply times.

A terminal cannot merge cells, so group labels stand on their own line above their leaf rows and the title says
which columns are 法人或其他组织.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from zwgk_tui.domain import annual_report as ar
from zwgk_tui.exports import (
    INTERNAL_TITLE,
    internal_lines,
    publication_lines,
    publishable_lines,
    report_title,
    scope_line,
)


def table3(report: dict[str, Any]) -> Table:
    orgs = "、".join(ar.COLUMN_LABELS[c] for c in ar.APPLICANT_COLUMNS[1:])
    t = Table(title=f"{ar.TABLE3_TITLE}\n{ar.APPLICANT_HEADER}：{ar.COLUMN_LABELS['natural_person']}｜"
                    f"{ar.ORG_HEADER}（{orgs}）｜{ar.TOTAL_LABEL}",
              caption=ar.HEADER_NOTE, header_style="bold", show_lines=False, title_justify="left")
    t.add_column("项目", overflow="fold", min_width=24)
    for code in ar.COLUMNS:
        t.add_column(ar.COLUMN_LABELS[code], justify="right", overflow="fold", min_width=4)
    blank = [""] * len(ar.COLUMNS)
    last_section = last_group = None
    for row in ar.TABLE3_ROWS:
        values = [str(v) for v in report["table3"][row.key]]
        if row.section == ar.SECTION_RESULTS:
            if last_section != row.section:
                t.add_row(Text(row.section, style="bold"), *blank, end_section=False)
            if row.leaf is not None:
                if last_group != row.group:
                    t.add_row(Text(f"  {row.group}"), *blank)
                t.add_row(Text(f"    {row.leaf}"), *values)
            else:
                style = "bold" if row.key == "concluded_total" else ""
                t.add_row(Text(f"  {row.group}", style=style), *values, style=style or None)
        else:
            t.add_row(Text(row.section, style="bold"), *values, style="bold")
        last_section, last_group = row.section, row.group
    return t


def table4(report: dict[str, Any]) -> Table:
    t = Table(title=ar.TABLE4_TITLE, header_style="bold", title_justify="left")
    t.add_column("", overflow="fold")
    for key in ar.TABLE4_KEYS:
        t.add_column(ar.TABLE4_RESULT_LABELS[key], justify="right")
    for kind in ar.REMEDY_KIND_ORDER:
        label = ar.TABLE4_KIND_LABELS[kind]
        if kind != "reconsideration":
            label = f"{ar.LITIGATION_LABEL}·{label}"
        t.add_row(label, *(str(report["table4"][kind][k]) for k in ar.TABLE4_KEYS))
    return t


def render(report: dict[str, Any]) -> Group:
    lines = [Text(ar.SECTION6_TITLE, style="bold")] + [Text(line) for line in publishable_lines(report)]
    internal = internal_lines(report)
    if internal:
        lines += [Text(""), Text(INTERNAL_TITLE, style="bold")]
        lines += [Text(line, style="yellow" if line.startswith("发布后变动") else "") for line in internal]
    stamp = [Text(line, style="green") for line in publication_lines(report)[:1]]
    changes = report.get("changes_since_publication")
    if changes:
        stamp.append(Text(f"注意：发布后数据有变动（{len(changes)} 个单元格），"
                          "发布的数字不变；变动明细见文末“发布后变动”。", style="bold yellow"))
    return Group(
        Text(report_title(report), style="bold"),
        Text(scope_line(report)),
        *stamp,
        Text(""),
        table3(report),
        Text(""),
        table4(report),
        Text(""),
        *lines,
    )


def print_report(report: dict[str, Any], console: Console) -> None:
    if not console.is_terminal:
        # Piped into a file or another program: one line per row rather than labels folded to a guessed width.
        console = Console(file=console.file, width=max(console.width, 160), highlight=False, color_system=None)
    console.print(render(report))
