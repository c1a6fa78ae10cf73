"""`zwgk-tui calendar …`: the working-day calendar."""


import sys
from datetime import date
from typing import Any

import typer

from zwgk_tui.cli.main import calendar_app, handled, state
from zwgk_tui.cli.output import err, out, print_json
from zwgk_tui.domain.calendar import WEEKDAY_NAMES

KIND_MARK = {"workday": " ", "weekend": " ", "holiday": "休", "makeup_workday": "班"}


def _print_moved(moved: list[Any]) -> None:
    if not moved:
        out.print("没有在办案件的期限因此改变")
        return
    out.print(f"以下 {len(moved)} 件在办案件的答复期限随之改变：")
    for m in moved:
        old = m.old_due.isoformat() if m.old_due else "暂停计时"
        new = m.new_due.isoformat() if m.new_due else "暂停计时"
        out.print(f"  {m.number}（{m.agency}）：{old} → {new}", markup=False)


@calendar_app.command("status")
@handled
def calendar_status(as_json: bool = typer.Option(False, "--json")) -> None:
    """日历数据来源、最后正式年度、本地调整。"""
    from zwgk_tui.services import calendar_service

    st = calendar_service.status(state.ctx())
    if as_json:
        print_json(st)
        return
    out.print(f"数据来源：{st['source']}", markup=False)
    out.print(f"程序自带数据的最后正式年度：{st['package_last_official_year']}")
    out.print(f"最后正式年度（含导入的通知）：[bold]{st['last_official_year']}[/bold]；此后的日期按法定假日推算，期限标为“暂定”")
    for y in st["imported_years"]:
        out.print(f"已导入：{y['year']} 年 {y['title']}", markup=False)
    if st["overrides"]:
        out.print(f"本地调整 {len(st['overrides'])} 天：")
        for o in st["overrides"]:
            out.print(f"  {o['date']} {'上班' if o['working'] else '休息'}　{o['note']}　{o['source']}", markup=False)
    else:
        out.print("本地调整：无")


@calendar_app.command("show")
@handled
def calendar_show(year: int = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """按月显示一年的日历：“休”为放假，“班”为调休上班。"""
    from zwgk_tui.services import calendar_service

    view = calendar_service.year_view(state.ctx(), year)
    if as_json:
        print_json(view)
        return
    title = f"{year} 年工作日日历" + ("（暂定：尚无该年度国务院通知数据）" if view["provisional"] else "")
    out.print(f"[bold]{title}[/bold]　“休”=放假　“班”=调休上班")
    names: dict[str, str] = {}
    for m in view["months"]:
        out.print(f"\n{m['month']}月")
        out.print("  ".join(f" {w}" for w in WEEKDAY_NAMES))
        for week in m["weeks"]:
            cells = []
            for d in week:
                if d is None:
                    cells.append("    ")
                    continue
                day = int(d["date"][-2:])
                mark = KIND_MARK[d["kind"]]
                style = "red" if not d["working"] else ("bold yellow" if d["kind"] == "makeup_workday" else "")
                text = f"{day:>2}{mark if mark.strip() else '  '}"
                cells.append(f"[{style}]{text}[/]" if style else text)
                if d["kind"] in ("holiday", "makeup_workday") and d["name"]:
                    names.setdefault(d["name"], d["date"])
            out.print("  ".join(cells))
    if names:
        out.print("\n" + "；".join(f"{n}" for n in names))


@calendar_app.command("set")
@handled
def calendar_set(
    day: str = typer.Argument(..., help="日期"),
    workday: bool = typer.Option(False, "--workday", help="设为工作日（如调休上班）"),
    day_off: bool = typer.Option(False, "--day-off", help="设为休息日"),
    note: str = typer.Option("", "--note", help="依据"),
) -> None:
    """把某一天设为工作日或休息日（覆盖程序自带数据）。"""
    from zwgk_tui.services import calendar_service
    from zwgk_tui.services.errors import InvalidInput

    if workday == day_off:
        raise InvalidInput("请二选一：--workday（上班）或 --day-off（休息）")
    r = calendar_service.set_day(state.ctx(), day, workday, note)
    d: date = r["date"]
    before = "工作日" if r["before"].working else "休息日"
    out.print(f"{d.isoformat()} 已设为{'工作日' if workday else '休息日'}（原为{before}）")
    _print_moved(r["moved"])


@calendar_app.command("import")
@handled
def calendar_import(
    file: str = typer.Argument(..., help="通知全文的文本文件（- 为标准输入）"),
    year: int | None = typer.Option(None, "--year", help="通知标题中没有年份时指定"),
    yes: bool = typer.Option(False, "--yes", help="不再询问，直接应用"),
) -> None:
    """导入国务院办公厅节假日安排通知：显示变动，确认后应用。"""
    from zwgk_tui.services import calendar_service

    text = sys.stdin.read() if file == "-" else calendar_service.read_notice_file(file)
    ctx = state.ctx()
    preview = calendar_service.preview_import(ctx, text, year)
    n = preview.notice
    out.print(f"[bold]{n.title}[/bold]（{n.year} 年）", highlight=False)
    for h in n.holidays:
        out.print(f"  {h.name}：{h.start.isoformat()} 至 {h.end.isoformat()}", markup=False)
    out.print("  调休上班：" + ("、".join(d.isoformat() for d in n.workdays) or "无"))
    if preview.changes:
        out.print(f"与当前日历相比，{len(preview.changes)} 天改变：")
        for d, old, new in preview.changes:
            was, now = ("上班" if old.working else "休息"), ("上班" if new.working else "休息")
            out.print(f"  {d.isoformat()} {WEEKDAY_NAMES[d.weekday()]}：{was} → {now}"
                      + (f"（{new.name}）" if new.name else ""), markup=False)
    else:
        out.print("与当前日历相比没有改变工作日" + ("；该年度将标为正式数据" if not preview.already_official else ""))
    if preview.moved:
        _print_moved(preview.moved)
    if not yes:
        if not sys.stdin.isatty():
            err.print("未应用：非交互运行时请加 --yes 确认")
            raise typer.Exit(2)
        if not typer.confirm("应用以上变动？", default=False):
            out.print("未应用")
            return
    _, moved = calendar_service.apply_import(ctx, text, year)
    out.print(f"已导入，{n.year} 年日历现为正式数据")
    _print_moved(moved)
