"""`zwgk-tui doc` and `zwgk-tui template check`."""

from __future__ import annotations

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
    new: bool = typer.Option(False, "--new", help="重新出具（默认重印已出具的同一份文书）"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的同名文件"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """为案件生成文书（.docx），打印文件路径。"""
    from zwgk_tui.services import documents

    r = documents.issue(state.ctx(), number, kind, output, agency, new=new, force=force)
    if as_json:
        print_json(r)
        return
    out.print(r["path"], markup=False)
    err.print(("重印" if r["reprint"] else "已出具") + f"：{r['title']}" + (f"（{r['doc_number']}）" if r["doc_number"] else "")
              + f"，SHA-256 {r['sha256'][:16]}…", markup=False)
    for w in r["warnings"]:
        err.print(f"注意：{w}", markup=False)


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
