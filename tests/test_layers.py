"""Import hygiene: the CLI never loads Textual; domain code loads neither SQLAlchemy nor Textual."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import {module}
bad = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})
print(','.join(bad))
"""


def loaded(module: str, forbidden: set[str]) -> str:
    code = CHECK.format(module=module, forbidden=forbidden)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_cli_does_not_import_textual():
    assert loaded("zwgk_tui.cli.main", {"textual"}) == ""


def test_cli_commands_run_without_textual(tmp_path):
    code = (
        "import sys\n"
        "from zwgk_tui.cli.main import app\n"
        "from typer.testing import CliRunner\n"
        f"r = CliRunner().invoke(app, ['--db', {str(tmp_path / 'x.db')!r}, 'deadline', '--received', '2025-03-03'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(any(m.startswith('textual') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_domain_is_pure():
    for module in ("zwgk_tui.domain.clock", "zwgk_tui.domain.calendar", "zwgk_tui.domain.workflow",
                   "zwgk_tui.domain.fees", "zwgk_tui.domain.validation", "zwgk_tui.domain.holiday_notice",
                   "zwgk_tui.domain.remedy", "zwgk_tui.domain.codes"):
        assert loaded(module, {"sqlalchemy", "textual", "typer", "docx", "docxtpl"}) == "", module


def test_usage_errors_exit_2_in_chinese(tmp_path):
    import os

    env = {**os.environ, "ZWGK_DB": str(tmp_path / "u.db")}
    for args, fragment in ((["case", "new", "--applicant", "x"], "缺少必填参数 --applicant-type"),
                           (["case", "list", "--due-within", "abc"], "应为整数"),
                           (["case", "list", "--bogus"], "没有选项 --bogus"),
                           (["nosuch"], "没有命令 nosuch")):
        r = subprocess.run([sys.executable, "-m", "zwgk_tui", *args], capture_output=True, text=True, env=env)
        assert r.returncode == 2, (args, r.stderr)
        assert fragment in r.stderr and "Traceback" not in r.stderr
