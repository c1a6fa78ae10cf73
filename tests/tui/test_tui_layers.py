"""The TUI is thin: it talks to services only, never to the persistence layer or SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import zwgk_tui.tui

TUI = Path(zwgk_tui.tui.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_tui_modules_use_services_not_persistence_or_sql():
    files = sorted(TUI.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for module in imported_modules(path):
            assert not module.startswith("zwgk_tui.persistence"), (path, module)
            # sqlalchemy.exc only to name a database fault for the clerk (common.error_text).
            assert not module.startswith("sqlalchemy") or module == "sqlalchemy.exc", (path, module)
            assert module not in ("sqlite3", "psycopg"), (path, module)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _is_thread_worker(fn: ast.FunctionDef) -> bool:
    for d in fn.decorator_list:
        if isinstance(d, ast.Call) and _dotted(d.func) == "work":
            kw = {k.arg: getattr(k.value, "value", None) for k in d.keywords}
            if kw.get("thread") is True and kw.get("exit_on_error") is False:
                return True
    return False


def test_every_database_call_runs_in_a_thread_worker():
    """Every call into a service module happens inside a @work(thread=True, exit_on_error=False) method."""
    services = ("cases.", "admin.", "calendar_service.", "service.", "register_io.", "intake.")
    # Data classes and pure helpers (no database).
    pure = {"cases.NewCase", "cases.StepInput", "cases.Registered", "cases.ListResult", "service.default_file_name"}
    checked = 0
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = _dotted(call.func)
            if not name.startswith(services) or name in pure:
                continue
            checked += 1
            node: ast.AST | None = call
            enclosing = []
            while node is not None:
                if isinstance(node, ast.FunctionDef):
                    enclosing.append(node)
                node = parents.get(node)
            assert any(_is_thread_worker(f) for f in enclosing), f"{path.name}:{call.lineno} {name}() outside a worker"
    assert checked >= 10
