"""`zwgk-tui intake`: applications received online, from the inbox to the register."""


from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from zwgk_tui.cli.main import app, handled, state
from zwgk_tui.cli.output import err, out, print_json

intake_app = typer.Typer(help="网上申请收件箱：导入、查看、确认登记、退回", no_args_is_help=True)
app.add_typer(intake_app, name="intake")


@intake_app.command("import")
@handled
def intake_import(
    file: str = typer.Argument(..., help="在线办理系统导出的文件（.json，格式见 docs/intake.md；或 .csv）"),
    source: str | None = typer.Option(None, "--source", help="来源系统名称（默认取文件中的 source）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """把网上申请导入收件箱（尚未登记；确认后才登记为案件）。"""
    from zwgk_tui.services import intake

    r = intake.import_file(state.ctx(), file, source=source, dry_run=dry_run)
    if as_json:
        print_json(r.as_json())
        if r.errors:
            raise typer.Exit(2)
        return
    for e in r.errors:
        err.print(f"第 {e.index} 条" + (f"（编号 {e.external_id}）" if e.external_id else "") + f"：{e.message}",
                  markup=False)
    if r.errors:
        bad = len({e.index for e in r.errors})
        err.print(f"错误：{bad} 条申请有问题，{'检查完毕' if r.dry_run else '未导入任何申请'}。"
                  "请更正文件后重新导入", markup=False)
        raise typer.Exit(2)
    skipped = f"，{len(r.skipped)} 条已在收件箱中（跳过）" if r.skipped else ""
    verb = "可导入" if r.dry_run else "已导入"
    out.print(f"{r.file}（来源：{r.source}）：共 {r.records} 条，{verb} {r.added} 条{skipped}。"
              + ("" if r.dry_run else "用 zwgk-tui intake list 查看，确认后登记"), markup=False)


def _status_filter(status: str | None, all_: bool) -> str | None:
    if all_:
        return None
    return status or "new"


@intake_app.command("list")
@handled
def intake_list(
    status: str | None = typer.Option(None, "--status",
                                      help="new（待确认，默认）、confirmed（已登记）、rejected（已退回）"),
    all_: bool = typer.Option(False, "--all", help="全部（含已登记、已退回）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """收件箱：待确认的网上申请（--all 含已处理的）。"""
    from zwgk_tui.services import intake

    rows = intake.list_items(state.ctx(), status=_status_filter(status, all_))
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("收件箱中没有" + ("网上申请" if all_ else "待确认的网上申请"))
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for col in ("序号", "到达日期", "申请人", "申请内容", "状态"):
        is_content = col == "申请内容"
        table.add_column(col, no_wrap=not is_content, overflow="ellipsis", max_width=30 if is_content else None)
    for r in rows:
        state_text = r["status_label"] + (f" {r['case_number']}" if r["case_number"] else "")
        # What applicants typed is printed as typed: "[bold]周八" is a name here, never Rich markup.
        cells = (r["id"], r["arrived_on"], r["applicant"]["name"], r["content"], state_text)
        table.add_row(*(escape(str(c)) for c in cells))
    out.print(table)
    out.print(f"共 {len(rows)} 条。确认登记：zwgk-tui intake confirm 序号 --on 确认日期；"
              "退回：zwgk-tui intake reject 序号 --reason 理由")


@intake_app.command("show")
@handled
def intake_show(
    item: str = typer.Argument(..., help="收件箱序号"),
    reveal: bool = typer.Option(False, "--reveal", help="显示完整证件号、电话、地址"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """查看一条网上申请（《条例》第二十九条的各项要素）。"""
    from zwgk_tui.services import intake

    r = intake.show_item(state.ctx(), item, reveal=reveal)
    if as_json:
        print_json(r)
        return
    _print_item(r)


def _print_item(r: dict[str, Any]) -> None:
    ap = r["applicant"]
    lines = [
        f"网上申请 {r['id']}（{r['source']} 编号 {r['external_id']}）　{r['status_label']}"
        + (f" {r['case_number']}" if r["case_number"] else ""),
        f"到达：{r['submitted_at'] or r['arrived_on']}",
        f"申请人：{ap['name']}（{ap['type_label']}）"
        + (f"　法定代表人：{ap['legal_representative']}" if ap["legal_representative"] else "")
        + (f"　联系人：{ap['contact_person']}" if ap["contact_person"] else ""),
        (f"身份证明：{ap['id_number'] or '未提供'}　电话：{ap['phone'] or '—'}　邮箱：{ap['email'] or '—'}"
        f"　地址：{ap['address'] or '—'}"),
        f"所需信息：{r['content']}",
        f"形式要求：{r['form_requested'] or '—'}　获取方式：{r['delivery_label'] or '—'}　事项数：{r['item_count']}",
    ]
    if r["missing_elements"]:
        lines.append("缺少要素（登记后可一次性告知补正）：" + "、".join(r["missing_elements"]))
    if r["status"] == "rejected":
        lines.append(f"退回：{r['decided_on']} {r['decided_by']}：{r['reason']}")
    for line in lines:
        out.print(line, markup=False)


@intake_app.command("confirm")
@handled
def intake_confirm(
    item: str = typer.Argument(..., help="收件箱序号"),
    on: str = typer.Option(..., "--on", help="与申请人确认之日（即收到申请之日，《条例》第三十一条第三项）"),
    agency: str | None = typer.Option(None, "--agency", help="登记到该机关"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """确认网上申请并登记为案件：确认之日为收到申请之日，据此计算期限。"""
    from zwgk_tui.services import intake

    result = intake.confirm(state.ctx(), item, on, agency=agency)
    if as_json:
        print_json({**result.case, "hints": result.hints})
        return
    out.print(result.number)
    dl = result.case["deadline"]
    err.print(f"已登记：{result.number}，收到日期 {result.case['received_on']}，答复期限 {dl['due']}"
              + ("（暂定）" if dl["provisional"] else ""), markup=False)
    for line in result.correction_hints:
        err.print(f"提示：{line}", markup=False)
    for h in result.hints:
        err.print(f"提示：{h}", markup=False)


@intake_app.command("reject")
@handled
def intake_reject(
    item: str = typer.Argument(..., help="收件箱序号"),
    reason: str = typer.Option(..., "--reason", help="退回理由（如 重复提交、测试数据、与政府信息公开无关）"),
    on: str | None = typer.Option(None, "--on", help="日期（默认今天）"),
) -> None:
    """退回网上申请（垃圾信息、重复提交等），理由留档。"""
    from zwgk_tui.services import intake

    r = intake.reject(state.ctx(), item, reason, on=on)
    out.print(f"已退回网上申请 {r['id']}：{r['reason']}", markup=False)
