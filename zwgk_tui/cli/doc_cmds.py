"""`zwgk-tui doc` and `zwgk-tui template check`."""


import typer

from zwgk_tui.cli.main import app, handled, state, template_app
from zwgk_tui.cli.output import err, out, print_json


@app.command()
@handled
def doc(
    number: str = typer.Argument(..., help="案件编号"),
    kind: str = typer.Argument(..., help="文书种类：reply receipt correction_notice extension_notice fee_notice …"),
    output: str | None = typer.Option(None, "-o", "--output", help="输出文件或目录（默认当前目录）"),
    agency: str | None = typer.Option(None, "--agency"),
    draft: bool = typer.Option(False, "--draft", help="生成草稿（任何阶段；标明“草稿”，无文号，不登记为已出具）"),
    on: str | None = typer.Option(None, "--on", help="答复书成文日期（默认签发日期；只能晚于签发日期，不能晚于今天）"),
    new: bool = typer.Option(False, "--new",
                             help="（旧选项）决定改变后出具新答复书无需此选项：退回并重新签发后自动出具新文书"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的同名文件"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """为案件出具文书（.docx），打印文件路径。答复书须签发后出具，此前可用 --draft 生成草稿。"""
    from zwgk_tui.services import documents

    r = documents.issue(state.ctx(), number, kind, output, agency, new=new, on=on, draft=draft, force=force)
    if as_json:
        print_json(r)
        return
    out.print(r["path"], markup=False)
    if r.get("draft"):
        err.print(f"草稿：{r['title']}（未编文号，未登记为已出具）", markup=False)
    elif r.get("status") == "internal":
        err.print(f"内部文书：{r['title']}，日期 {r['issued_on']}", markup=False)
    else:
        err.print(("重印" if r["reprint"] else "已出具") + f"：{r['title']}"
                  + (f"（{r['doc_number']}）" if r["doc_number"] else "") + f"，成文日期 {r['issued_on']}"
                  + f"，SHA-256 {r['sha256'][:16]}…", markup=False)
    for w in r["warnings"]:
        err.print(f"注意：{w}", markup=False)


@app.command()
@handled
def dossier(
    number: str = typer.Argument(..., help="案件编号"),
    output: str | None = typer.Option(None, "-o", "--output", help="案卷文件（.zip）或目录（默认当前目录）"),
    agency: str | None = typer.Option(None, "--agency"),
    force: bool = typer.Option(False, "--force", help="替换已存在的文件"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """导出一案一档案卷（.zip）：目录（文书、文号、日期、SHA-256、办理记录、证据、送达记录）和已出具的文书。"""
    from zwgk_tui.services import dossier as dossier_service

    r = dossier_service.export(state.ctx(), number, output, agency, force=force)
    if as_json:
        print_json(r)
        return
    out.print(r["path"], markup=False)
    err.print(f"案卷已导出：{r['bytes']:,} 字节，SHA-256 {r['sha256'][:16]}…", markup=False)


@template_app.command("check")
@handled
def template_check(path: str | None = typer.Argument(None, help="模板文件或目录（默认检查程序自带模板）")) -> None:
    """检查模板中的变量：列出未知或拼错的变量。"""
    from zwgk_tui.services import documents
    from zwgk_tui.services.errors import InvalidInput

    results = documents.check(state.ctx(), path)
    bad = {f: p for f, p in results.items() if p}
    for f, problems in results.items():
        out.print(f"{'✗' if problems else '✓'} {f}", markup=False)
        for p in problems:
            out.print(f"    {p}", markup=False)
    if bad:
        raise InvalidInput(f"{len(bad)} 个模板有问题，见上")
    out.print(f"{len(results)} 个模板均可使用")
