"""`zwgk-tui agenda` (the clerk's deadlines), `office board|weekly` (the government office's view),
`hot-topics` and `proactive` (Art. 44)."""


import sys
from typing import Any

import typer
from rich.table import Table

from zwgk_tui.cli.main import app, handled, state
from zwgk_tui.cli.output import err, out, print_json

office_app = typer.Typer(help="政府办：各机关报备汇总、每周汇总", no_args_is_help=True)
app.add_typer(office_app, name="office")

STATUS_STYLES = {"overdue": "bold red", "lapsed": "bold magenta", "today": "bold yellow", "soon": "yellow",
                 "later": "", "no_date": "cyan"}


@app.command()
@handled
def agenda(
    days: str | None = typer.Option(None, "--days",
                                    help="列入今后 N 个工作日内到期的事项（默认 5；逾期和待记录送达的总是列入）"),
    agency: str | None = typer.Option(None, "--agency", help="只列该机关"),
    mine: bool = typer.Option(False, "--mine", help="只列本人经办的案件（本人登记或提交审核的）"),
    fmt: str | None = typer.Option(None, "--format",
                                   help="table（终端，默认）、json、xlsx、md（每日摘要，可直接粘贴到邮件）"),
    output: str | None = typer.Option(None, "-o", "--output", help="输出文件（xlsx 默认 待办-今天.xlsx）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    as_json: bool = typer.Option(False, "--json", help="同 --format json"),
) -> None:
    """待办：所有在办案件的期限，按日期排列，逾期的在前（答复、补正告知、延期决定、补正/征求意见/缴费/说明期限、复议诉讼）。"""
    from zwgk_tui.services import agenda as svc
    from zwgk_tui.services.errors import InvalidInput

    if as_json and fmt not in (None, "json"):
        raise InvalidInput(f"--json 与 --format {fmt} 不能同时使用")
    kind = svc.check_format("json" if as_json else fmt or _suffix_format(output))
    if kind == "table" and output:
        raise InvalidInput("table 格式只在终端显示；写入文件请用 --format json、xlsx 或 md")
    ctx = state.ctx()
    result = svc.agenda(ctx, days=svc.check_days(days) if days is not None else None, agency=agency, mine=mine)
    data = result.as_json()
    if kind == "table":
        _print_agenda(result, data)
        return
    from zwgk_tui.exports import agenda_export

    if kind in ("json", "md") and not output:
        if kind == "json":
            print_json(data)
        else:
            sys.stdout.write(agenda_export.digest(data))
        return
    from zwgk_tui.services.outfile import write_file

    default = f"待办-{result.today.isoformat()}.{kind}"
    if kind == "xlsx":
        path = write_file(ctx, output, default, lambda p: agenda_export.write_xlsx(data, p), force=force)
    else:
        import json

        text = agenda_export.digest(data) if kind == "md" else json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        path = write_file(ctx, output, default, lambda p: _write_text(p, text), force=force)
    out.print(str(path), markup=False)
    err.print(f"已写入待办 {len(result.items)} 项：{path}（仅本人可读）", markup=False)


def _write_text(path: Any, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _suffix_format(output: str | None) -> str | None:
    if not output or "." not in output:
        return None
    suffix = output.rsplit(".", 1)[-1].lower()
    return {"json": "json", "xlsx": "xlsx", "md": "md", "markdown": "md"}.get(suffix)


def _print_agenda(result: Any, data: dict[str, Any]) -> None:
    out.print(f"待办　{data['today']}　范围：{data['scope']}　列入 {data['until']} 前到期的事项", markup=False)
    if not result.items:
        out.print("没有待办事项")
    else:
        _print_items(result, data)
    if not data["proceedings_included"]:
        out.print("（复议、诉讼的期限未列入：本系统尚未提供该项服务）", markup=False)


def _print_items(result: Any, data: dict[str, Any]) -> None:
    from zwgk_tui.exports.agenda_export import due_text, left_text

    counts = data["counts"]
    several = len(data["agencies"]) != 1
    table = Table(box=None, header_style="bold", pad_edge=False, show_lines=False)
    for col in ("期限", "工作日", "事项", "编号", *(("机关",) if several else ()), "申请人", "下一步"):
        table.add_column(col, no_wrap=col in ("期限", "工作日", "编号", "机关"), overflow="fold",
                         justify="right" if col == "工作日" else "left", ratio=2 if col == "事项" else None)
    for i in data["items"]:
        style = STATUS_STYLES.get(i["status"], "")
        cells = [due_text(i), left_text(i), i["what"], i["number"], *((i["agency"],) if several else ()),
                 i["applicant"], i["next_step"]]
        table.add_row(*(_escape(c) for c in cells), style=style or None)
    out.print(table)
    out.print(f"共 {len(result.items)} 项：已逾期 {counts['overdue']}，对方期限已届满 {counts['lapsed']}，今天到期 "
              f"{counts['today']}，即将到期 {counts['soon']}，待记录送达 {counts['no_date']}。"
              "“剩N”为距期限的工作日数", markup=False)


def _escape(text: Any) -> str:
    from rich.markup import escape

    return escape(str(text))


# ---------------------------------------------------------------------------------------------------------------
# Government office

# The board's columns in a terminal (the files spell them out).
BOARD_SHORT_HEADERS = ("机关", "本周收到", "在办", "逾期", "5日内到期", "待政府办", "待法制", "复议诉讼", "已审结",
                       "纠正", "纠错率")


@office_app.command("board")
@handled
def office_board(
    week: str | None = typer.Option(None, "--week", help="ISO 周，如 2025-W10（默认本周）"),
    agency: str | None = typer.Option(None, "--agency", help="只看该机关"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """各机关：本周收到（报备）、在办、逾期、5个工作日内到期、待政府办审核、待法制审核、本年复议诉讼与纠错率。"""
    from zwgk_tui.exports.office_export import board_cells, note, title
    from zwgk_tui.services import office

    b = office.board(state.ctx(), week, agency)
    if as_json:
        print_json(b.as_json())
        return
    out.print(title(b), markup=False)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for j, h in enumerate(BOARD_SHORT_HEADERS):
        table.add_column(h, justify="left" if j == 0 else "right", overflow="fold")
    for r in [*b.rows, b.total]:
        table.add_row(*(_escape(c) for c in board_cells(r)), style="bold" if r is b.total else None)
    out.print(table)
    out.print(note(b), markup=False)


@office_app.command("weekly")
@handled
def office_weekly(
    week: str | None = typer.Option(None, "--week", help="ISO 周，如 2025-W10（默认本周）"),
    fmt: str | None = typer.Option(None, "--format", help="docx、xlsx 或 json（默认按文件名后缀）"),
    output: str | None = typer.Option(None, "-o", "--output", help="输出文件（默认 依申请公开每周汇总-周次.格式）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    agency: str | None = typer.Option(None, "--agency", help="只汇总该机关"),
) -> None:
    """每周汇总：各机关本周新收申请（编号、日期、申请人类型、申请人（打码）、内容）、答复期限和状态。"""
    from zwgk_tui.services import office
    from zwgk_tui.services.errors import InvalidInput

    if fmt is None and output is None:
        raise InvalidInput("请用 --format docx 或 --format xlsx 指明格式（或 -o 文件名.docx）")
    path, w = office.export_weekly(state.ctx(), week, fmt, output, force=force, agency=agency)
    n = sum(len(a.rows) for a in w.agencies)
    out.print(str(path), markup=False)
    err.print(f"已写入 {w.board.title} 的每周汇总：{len(w.agencies)} 个机关，本周新收 {n} 件（仅本人可读）",
              markup=False)


# ---------------------------------------------------------------------------------------------------------------
# Much-requested information (Art. 44)


@app.command("hot-topics")
@handled
def hot_topics(
    year: str = typer.Option(..., "--year", help="收到申请的年度"),
    min_applicants: str = typer.Option("2", "--min", help="至少有 N 个不同申请人申请同一信息（默认 2）"),
    agency: str | None = typer.Option(None, "--agency", help="只看该机关"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """多人申请的相同信息（《条例》第四十四条：可纳入主动公开范围）：件数、申请人数、机关、是否已主动公开。"""
    from zwgk_tui.services import office

    topics = office.hot_topics(state.ctx(), year, min_applicants, agency)
    if as_json:
        print_json([t.as_json() for t in topics])
        return
    if not topics:
        out.print(f"{year} 年没有 {min_applicants} 个以上不同申请人申请相同信息的情况", markup=False)
        return
    for n, t in enumerate(topics, start=1):
        out.print(f"{n}. {t.content}", markup=False)
        out.print(f"   申请 {t.requests} 件，申请人 {t.applicants} 个，{t.first.isoformat()} 至 {t.last.isoformat()}；"
                  f"机关：{'、'.join(t.agencies)}", markup=False)
        out.print("   案件：" + "、".join(f"{num}（{code}）" if len(t.agencies) > 1 else num for code, num in t.cases),
                  markup=False)
        if t.published:
            out.print("   已主动公开：" + "；".join(f"{p['on']} {p['where']}" for p in t.published), markup=False)
        else:
            nums = " ".join(num for _, num in t.cases)
            out.print(f"   尚未记录主动公开：zwgk-tui proactive {nums} --on 日期 --where 网址", markup=False)


@app.command()
@handled
def proactive(
    cases: list[str] = typer.Argument(..., help="案件编号（可多个）"),
    on: str = typer.Option(..., "--on", help="主动公开的日期"),
    where: str = typer.Option(..., "--where", help="公开位置：网址或栏目名称"),
    agency: str | None = typer.Option(None, "--agency", help="案件所属机关（编号在多个机关重复时）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """记录这些案件申请的信息已转为主动公开（《条例》第四十四条），每件案件记一条办理记录。"""
    from zwgk_tui.services import office

    r = office.record_proactive(state.ctx(), list(cases), on, where, agency)
    if as_json:
        print_json({"on": r.on.isoformat(), "where": r.where,
                    "recorded": [{"agency": a, "number": n} for a, n in r.recorded],
                    "skipped": [{"agency": a, "number": n} for a, n in r.skipped]})
        return
    if r.recorded:
        out.print(f"已记录主动公开（{r.on.isoformat()}，{r.where}）：" + "、".join(n for _, n in r.recorded),
                  markup=False)
    if r.skipped:
        err.print("此前已记录过同一公开位置，未重复记录：" + "、".join(n for _, n in r.skipped), markup=False)
