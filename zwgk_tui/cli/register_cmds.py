"""`zwgk-tui register export` and `zwgk-tui register import`: the 台账 out to a file and in from one."""


import typer

from zwgk_tui.cli.main import app, handled, state
from zwgk_tui.cli.output import err, out, print_json

register_app = typer.Typer(help="登记簿（台账）导出、导入", no_args_is_help=True)
app.add_typer(register_app, name="register")


@register_app.command("export")
@handled
def register_export(
    output: str | None = typer.Option(None, "-o", "--output", help="输出文件（.xlsx 或 .csv；默认 登记簿-今天.xlsx）"),
    fmt: str | None = typer.Option(None, "--format", help="xlsx 或 csv（默认按文件名后缀）"),
    reveal: bool = typer.Option(False, "--reveal",
                                help="写出申请人全名、证件号、电话、邮箱、地址（默认自然人姓名打码）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    open_: bool = typer.Option(False, "--open", help="只导出未办结"),
    closed: bool = typer.Option(False, "--closed", help="只导出已办结"),
    overdue: bool = typer.Option(False, "--overdue", help="只导出已逾期"),
    due_within: int | None = typer.Option(None, "--due-within", help="N 个工作日内到期（含已逾期）"),
    paused: bool = typer.Option(False, "--paused", help="只导出暂停计时的"),
    agency: str | None = typer.Option(None, "--agency", help="只导出该机关"),
    stage: str | None = typer.Option(None, "--stage", help="阶段代码"),
    applicant_type: str | None = typer.Option(None, "--applicant-type", help="申请人类型代码"),
    year: int | None = typer.Option(None, "--year", help="收到年份"),
    search: str | None = typer.Option(None, "--search", help="按编号、申请人、内容查找"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """导出登记簿（台账）：每件一行，筛选条件同 case list。"""
    from zwgk_tui.services import register_io

    ctx = state.ctx()
    if output is None:
        output = register_io.default_file_name(ctx, register_io.format_for("x.xlsx", fmt))
    r = register_io.export(ctx, output, fmt, reveal=reveal, force=force, open_only=open_, closed_only=closed,
                           overdue=overdue, due_within=due_within, agency=agency, stage=stage,
                           applicant_type=applicant_type, year=year, search=search, paused=paused)
    if as_json:
        print_json({"path": str(r.path), "format": r.fmt, "rows": r.rows, "reveal": r.reveal})
        return
    out.print(str(r.path), markup=False)
    err.print(f"已导出 {r.rows} 件到{register_io.FORMATS[r.fmt]}文件：{r.path}（仅本人可读）"
              + ("；含申请人个人信息，请妥善保管" if r.reveal else "；自然人姓名已打码，--reveal 写出全名和联系方式"),
              markup=False)


@register_app.command("import")
@handled
def register_import(
    file: str = typer.Argument(..., help="台账文件（.xlsx 或 .csv）"),
    mapping: str | None = typer.Option(None, "--map", help="映射文件（TOML）：列名、办理结果等写法的对应"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
    agency: str | None = typer.Option(None, "--agency", help="全部导入到该机关（默认按“机关”一列或本机关）"),
    sheet: str | None = typer.Option(None, "--sheet", help="工作表名称（默认第一个）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """导入已有的台账：逐行检查，全部无误才一次写入（已办结的保留日期和结果，在办的重新计算期限）。"""
    from zwgk_tui.services import register_io

    r = register_io.import_register(state.ctx(), file, mapping=mapping, dry_run=dry_run, agency=agency, sheet=sheet)
    if as_json:
        print_json(r.as_json())
        if r.errors:
            raise typer.Exit(2)
        return
    out.print(f"{r.file}（工作表“{r.sheet}”）：表头在第 {r.header_row} 行，案件 {r.rows} 行", markup=False)
    out.print("识别的列：" + "、".join(h if h == f else f"{h}→{f}" for h, f in r.columns), markup=False)
    if r.unused:
        out.print("未使用的列：" + "、".join(r.unused), markup=False)
    for w in r.warnings:
        err.print(f"注意：{w}", markup=False)
    if r.errors:
        rows = len({e.row for e in r.errors})
        for line in _error_lines(r.errors):
            err.print(line, markup=False)
        err.print(f"错误：{rows} 行有问题，{'检查完毕' if r.dry_run else '未导入任何案件'}。请在表中更正后重新导入"
                  "（列名或写法不同可用 --map 映射文件说明）", markup=False)
        raise typer.Exit(2)
    scope = f"，编号 {r.first_number} 至 {r.last_number}" if r.first_number else ""
    if r.dry_run:
        out.print(f"检查通过：可导入 {r.closed + r.open} 件（已办结 {r.closed} 件、在办 {r.open} 件）。"
                  "未写入（去掉 --dry-run 导入）", markup=False)
    else:
        out.print(f"已导入 {r.closed + r.open} 件（已办结 {r.closed} 件、在办 {r.open} 件）{scope}。"
                  "办理记录中标为“导入”", markup=False)


def _error_lines(errors: list) -> list[str]:  # type: ignore[type-arg]
    """One line per distinct reason with the rows it concerns, so a column that is wrong in every row (an
    unknown agency, an unknown outcome word) is said once, not a thousand times."""
    from zwgk_tui.services import register_io

    by_message: dict[str, list[int]] = {}
    for e in errors:
        by_message.setdefault(e.message, []).append(e.row)
    lines = []
    for message, rows in by_message.items():
        if len(rows) <= 8:
            where = "、".join(str(n) for n in rows)
            lines.append(f"第 {where} 行：{message}")
        else:
            where = "、".join(str(n) for n in rows[:6])
            lines.append(f"第 {where}…… 行（共 {len(rows)} 行）：{message}")
    if len(lines) > register_io.MAX_ERRORS_SHOWN:
        rest = len(lines) - register_io.MAX_ERRORS_SHOWN
        lines = [*lines[:register_io.MAX_ERRORS_SHOWN], f"……另有 {rest} 条（--json 列出全部）"]
    return lines
