"""`zwgk-tui stats` (the annual-report tables) and `zwgk-tui demo` (synthetic data)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from zwgk_tui.cli.main import app, handled, state
from zwgk_tui.cli.output import err, out, print_json

_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".docx": "docx"}


@app.command()
@handled
def stats(
    year: str = typer.Option(..., "--year", help="统计年度，如 2025"),
    agency: str | None = typer.Option(None, "--agency", help="只统计该机关（默认：全部机关）"),
    fmt: str | None = typer.Option(None, "--format", help="table（终端，默认）、json、csv、xlsx、docx"),
    output: str | None = typer.Option(None, "-o", "--output", help="输出文件或目录；csv/xlsx/docx 默认写到当前目录"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的文件"),
) -> None:
    """年度报告统计表：表三（收到和处理申请情况）、表四（复议诉讼情况）、收费情况。"""
    from zwgk_tui.services import outputs
    from zwgk_tui.services import stats as svc
    from zwgk_tui.services.errors import InvalidInput

    ctx = state.ctx()
    if fmt is None and output and not Path(output).expanduser().is_dir():
        fmt = _SUFFIX_FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            raise InvalidInput(f"无法从文件名“{output}”判断格式，请加 --format json|csv|xlsx|docx")
    fmt = svc.check_format(fmt)
    if fmt == "table":
        if output:
            raise InvalidInput("table 格式只在终端显示；写入文件请用 --format json、csv、xlsx 或 docx")
        from zwgk_tui.exports.table_text import print_report

        print_report(svc.annual_report(ctx, svc.check_year(ctx, year), agency), out)
        return
    if fmt == "json" and not output:
        print_json(svc.annual_report(ctx, svc.check_year(ctx, year), agency))
        return
    y = svc.check_year(ctx, year)
    target = outputs.output_path(ctx, output, svc.default_file_name(y, agency, fmt), force=force)
    path = svc.export(ctx, y, agency, fmt, target)
    out.print(str(path), markup=False)
    err.print(f"已写入{svc.FORMATS[fmt]}文件：{path}", markup=False)


@app.command()
@handled
def demo(
    cases: int = typer.Option(2000, "--cases", help="生成的案件数"),
    seed: int = typer.Option(1, "--seed", help="随机种子（同一种子、同一“今天”生成相同数据）"),
    years: int = typer.Option(4, "--years", help="覆盖的年数（截至今天）"),
    into_new: str | None = typer.Option(None, "--into-new", help="生成到一个新的 SQLite 文件（不碰当前数据库）"),
) -> None:
    """生成逼真的演示数据：多个机关、各类申请人、全部办理阶段和21种办理结果。"""
    from zwgk_tui.services import demo as svc
    from zwgk_tui.services.context import ServiceContext
    from zwgk_tui.services.errors import InvalidInput

    t0 = time.perf_counter()
    ctx = state.ctx() if not into_new else None
    if into_new:
        target = Path(into_new).expanduser()
        if target.exists() or target.is_dir():
            raise InvalidInput(f"“{into_new}”已存在：--into-new 只生成到新文件，请换一个文件名")
        ctx = ServiceContext.open(str(target), state.user)

    def progress(done: int, total: int) -> None:
        err.print(f"已生成 {done}/{total} 件……", markup=False)

    try:
        summary = svc.generate(ctx, cases, seed, years=years, progress=progress if cases >= 200_000 else None)
    finally:
        if into_new:
            ctx.db.dispose()
    _print_demo_summary(summary, time.perf_counter() - t0)
    if into_new:
        err.print(f"演示数据库：{into_new}（打开：zwgk-tui --db {into_new}）", markup=False)


def _print_demo_summary(s: dict[str, Any], seconds: float) -> None:
    out.print(f"已生成演示数据：案件 {s['cases']} 件（{s['first_received']} 至 {s['last_received']} 收到），"
              f"机关 {len(s['agencies'])} 个，申请人 {s['applicants']} 个，办理记录 {s['events']} 条。", markup=False)
    out.print(f"已办结 {s['closed']} 件，在办 {s['open']} 件（其中逾期 {s['overdue']} 件、暂停计时 {s['paused']} 件、"
              f"待补正 {s['awaiting_correction']} 件）。", markup=False)
    out.print(f"收费通知 {s['fee_notices']} 件，复议、诉讼 {s['remedies']} 件，延期答复 {s['extensions']} 件。",
              markup=False)
    out.print("机关：" + "、".join(f"{a['name']}（{a['code']}）" for a in s["agencies"]), markup=False)
    for year in s["years"]:
        out.print(f"  {year['year']} 年收到 {year['received']} 件", markup=False)
    rate = s["cases"] / seconds if seconds > 0 else 0
    out.print(f"用时 {seconds:.1f} 秒（每秒约 {rate:,.0f} 件）。查看统计：zwgk-tui stats --year "
              f"{s['years'][-2]['year'] if len(s['years']) > 1 else s['years'][-1]['year']}", markup=False)
