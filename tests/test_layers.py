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


# What the everyday commands may not load: the migration tool (only when the schema is behind), the documents
# and spreadsheet stacks, the holidays package (the working-day table is read from the database), the TUI, and
# on SQLite the PostgreSQL dialect and driver (each of these costs 20-300 ms at every start).
HEAVY = {"alembic", "mako", "docx", "docxtpl", "jinja2", "openpyxl", "holidays", "textual", "psycopg",
         "sqlalchemy.dialects.postgresql"}
RUN_AND_REPORT = """
import atexit, sys
atexit.register(lambda: sys.stderr.write(
    "LOADED:" + ",".join(sorted(h for h in {heavy!r} if h in sys.modules)) + "\\n"))
sys.argv = ["zwgk-tui", *{args!r}]
from zwgk_tui.cli.start import run
run()
"""


def _loaded_by_command(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    code = RUN_AND_REPORT.format(heavy=HEAVY, args=args)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    line = next((x for x in r.stderr.splitlines() if x.startswith("LOADED:")), "LOADED:?")
    return r.returncode, line.removeprefix("LOADED:"), r.stderr


def test_everyday_commands_load_neither_alembic_nor_documents_nor_holidays(tmp_path):
    import os

    env = {**os.environ, "ZWGK_DB": str(tmp_path / "e.db"), "ZWGK_TODAY": "2025-03-20", "ZWGK_USER": "clerk"}
    subprocess.run([sys.executable, "-m", "zwgk_tui", "init"], check=True, capture_output=True, env=env)
    commands = [
        ["case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
         "--received", "2025-03-03", "--content", "2024年老旧小区改造项目清单"],
        ["case", "show", "2025-0001"],
        ["case", "list", "--open"],
        ["deadline", "--received", "2025-03-03"],
        ["case", "act", "2025-0001", "decide", "--on", "2025-03-10", "--outcome", "disclosed",
         "--provision", "当面领取"],
    ]
    for args in commands:
        rc, loaded, stderr = _loaded_by_command(args, env)
        assert rc == 0, (args, stderr)
        assert loaded == "", f"zwgk-tui {' '.join(args)} loaded {loaded}"


def test_commands_that_print_plain_lines_do_not_load_rich(tmp_path):
    """`case new` and `deadline` print a few plain lines: written directly, without rich (~15 ms at each start);
    `case show` prints bold headings through rich."""
    import os

    env = {**os.environ, "ZWGK_DB": str(tmp_path / "r.db"), "ZWGK_TODAY": "2025-03-20", "ZWGK_USER": "clerk"}
    subprocess.run([sys.executable, "-m", "zwgk_tui", "init"], check=True, capture_output=True, env=env)
    for args, loads in ((["case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel",
                          "in_person", "--received", "2025-03-03", "--content", "老旧小区改造项目清单"], ""),
                        (["deadline", "--received", "2025-03-03"], ""),
                        (["case", "show", "2025-0001"], "rich.console")):
        code = RUN_AND_REPORT.format(heavy={"rich.console"}, args=args)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        assert f"LOADED:{loads}\n" in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr


def test_schema_head_constant_is_alembic_head(tmp_path):
    """A database at SCHEMA_HEAD is opened without alembic, so the constant must name the newest migration."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from zwgk_tui.persistence.database import SCHEMA_HEAD
    from zwgk_tui.resources import data_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(data_dir("db")))
    assert ScriptDirectory.from_config(cfg).get_heads() == [SCHEMA_HEAD]


def test_a_database_behind_the_code_is_still_migrated(tmp_path):
    """The fast path trusts only an exact SCHEMA_HEAD: an older revision goes through alembic as before."""
    from alembic import command

    from zwgk_tui.persistence import database

    db = database.open_database(str(tmp_path / "old.db"))
    command.downgrade(database._alembic_config(db), "-1")
    assert database.stored_revision(db) not in (None, database.SCHEMA_HEAD)
    db.dispose()
    database._migrated.discard(db.url)
    db = database.open_database(str(tmp_path / "old.db"))
    assert database.stored_revision(db) == database.SCHEMA_HEAD
    db.dispose()
