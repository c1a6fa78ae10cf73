"""`zwgk-tui stats` (the annual-report tables) and `zwgk-tui demo` (synthetic data)."""


import time
from pathlib import Path
from typing import Any

import typer

from zwgk_tui.cli.main import app, handled, state
from zwgk_tui.cli.output import err, out, print_json

_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".docx": "docx"}


stats_app = typer.Typer(help="年度报告统计表；publish 发布、opening 期初数、settings 政府名称",
                        invoke_without_command=True)
app.add_typer(stats_app, name="stats")


@stats_app.callback(invoke_without_command=True)
@handled
def stats(
    ctx: typer.Context,
    year: str | None = typer.Option(None, "--year", help="统计年度，如 2025"),
    agency: str | None = typer.Option(None, "--agency", help="只统计该机关（默认：全部机关）"),
    fmt: str | None = typer.Option(None, "--format", help="table（终端，默认）、json、csv、xlsx、docx"),
    output: str | None = typer.Option(None, "-o", "--output", help="输出文件或目录；csv/xlsx/docx 默认写到当前目录"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的文件"),
    current: bool = typer.Option(False, "--current", help="已发布的年度：按今天的数据重新统计（默认显示已发布的数字）"),
) -> None:
    """年度报告统计表：表三（收到和处理申请情况）、表四（复议诉讼情况）、收费情况。

    已发布的年度显示发布时的数字；今天的数据与之不同时，列出变动的单元格和引起变动的案件（发布后变动）。"""
    from zwgk_tui.services.errors import InvalidInput

    if ctx.invoked_subcommand is not None:
        if any(v is not None for v in (year, agency, fmt, output)) or current:
            raise InvalidInput(f"请把选项写在子命令之后：zwgk-tui stats {ctx.invoked_subcommand} --year …")
        return
    from zwgk_tui.services import outputs, publishing
    from zwgk_tui.services import stats as svc

    if year is None:
        raise InvalidInput("缺少 --year：统计年度，如 zwgk-tui stats --year 2025")
    sctx = state.ctx()
    if fmt is None and output and not Path(output).expanduser().is_dir():
        fmt = _SUFFIX_FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            raise InvalidInput(f"无法从文件名“{output}”判断格式，请加 --format json|csv|xlsx|docx")
    fmt = svc.check_format(fmt)
    if fmt == "table":
        if output:
            raise InvalidInput("table 格式只在终端显示；写入文件请用 --format json、csv、xlsx 或 docx")
        from zwgk_tui.exports.table_text import print_report

        print_report(publishing.report(sctx, svc.check_year(sctx, year), agency, current=current), out.console)
        return
    if fmt == "json" and not output:
        print_json(publishing.report(sctx, svc.check_year(sctx, year), agency, current=current))
        return
    y = svc.check_year(sctx, year)
    target = outputs.output_path(sctx, output, svc.default_file_name(y, agency, fmt), force=force)
    path = svc.export(sctx, y, agency, fmt, target, current=current)
    out.print(str(path), markup=False)
    err.print(f"已写入{svc.FORMATS[fmt]}文件：{path}", markup=False)


@stats_app.command("publish")
@handled
def stats_publish(
    year: str = typer.Option(..., "--year", help="发布的年度（已结束的年度），如 2025"),
    agency: str | None = typer.Option(None, "--agency", help="机关代码（默认：全部机关，即本级政府的年报）"),
    republish: bool = typer.Option(False, "--republish", help="更正发布：替换已发布的年报（原记录保留）"),
    reason: str = typer.Option("", "--reason", help="更正发布的理由"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """发布年度报告：保存表三、表四、收费数字、每个单元格的案件清单和 SHA-256；此后该年度显示发布时的数字。"""
    from zwgk_tui.services import publishing

    info = publishing.publish(state.ctx(), year, agency, republish=republish, reason=reason)
    if as_json:
        print_json(info)
        return
    out.print(info["sha256"], markup=False)
    verb = "已更正发布" if info["republished"] else "已发布"
    err.print(f"{verb} {info['year']} 年度报告（{info['scope_text']}），{info['published_on']}，"
              f"SHA-256 {info['sha256']}；共记录 {info['cells']} 条单元格—案件对应。", markup=False)


@stats_app.command("opening")
@handled
def stats_opening(
    year: str = typer.Option(..., "--year", help="在本工具中统计的第一个年度，如 2025"),
    file: str | None = typer.Option(None, "--file", help="上年已发布年报：本工具导出的 .json 或 .xlsx"),
    carried: str | None = typer.Option(None, "--carried",
                                       help="上年年报“结转下年度”各列：自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他[,总计]"),
    agency: str | None = typer.Option(None, "--agency", help="机关代码（默认：全部机关）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """期初数：第一个年度的“上年结转”与上年已发布年报的“结转下年度”核对。"""
    from zwgk_tui.services import publishing

    info = publishing.record_opening(state.ctx(), year, agency, file=file, values=carried)
    if as_json:
        print_json(info)
        return
    cols = "、".join(f"{label} {n}" for label, n in zip(_COLUMN_NAMES, info["columns"], strict=True))
    out.print(f"{'已更新' if info['replaced'] else '已记录'} {info['year']} 年期初数"
              f"（{info['scope']}，来源：{info['source']}）："
              f"{cols}，总计 {info['total']}", markup=False)
    for w in info["warnings"]:
        err.print(f"注意：{w}", markup=False)


@stats_app.command("settings")
@handled
def stats_settings(
    government_name: str | None = typer.Option(
        None, "--government-name", help="本级政府名称（多个机关合并的年报标题用，如“某县人民政府”）；\"\" 清除"),
) -> None:
    """年报设置：本级政府名称。不带选项时显示当前设置。"""
    from zwgk_tui.services import publishing

    if government_name is None:
        name = publishing.government_name(state.ctx())
        out.print(f"本级政府名称：{name or '（未设置，年报标题写“本级政府”）'}", markup=False)
        return
    name = publishing.set_government_name(state.ctx(), government_name)
    out.print(f"本级政府名称：{name or '（已清除）'}", markup=False)


_COLUMN_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


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
    if into_new:
        target = Path(into_new).expanduser()
        if target.exists() or target.is_dir():
            raise InvalidInput(f"“{into_new}”已存在：--into-new 只生成到新文件，请换一个文件名")
        ctx = ServiceContext.open(str(target), state.user)
    else:
        ctx = state.ctx()

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
