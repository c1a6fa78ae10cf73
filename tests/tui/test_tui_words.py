"""What the clerk reads in the terminal application names no command-line flag or command: the services' messages
are said in the words of the TUI's forms, screens and keys (tui/words.py), and Textual's own English is Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from textual.widgets import Select
from tui_helpers import act, ctx, new_case, screen_text, settle  # noqa: F401

import zwgk_tui
from zwgk_tui.services import admin, publishing
from zwgk_tui.tui.app import ZwgkApp
from zwgk_tui.tui.screens.action_form import ActionForm
from zwgk_tui.tui.screens.dialogs import ConfirmDialog
from zwgk_tui.tui.screens.stats import StatsScreen
from zwgk_tui.tui.words import names_command, tui_words

PACKAGE = Path(zwgk_tui.__file__).parent


def _text_of(node: ast.AST) -> str | None:
    """A string literal, an f-string (its values as a case number) or a sum of them, as one sentence."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "2025-0003" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text_of(node.left), _text_of(node.right)
        return left + right if left is not None and right is not None else None
    return None


def service_messages() -> list[tuple[str, str]]:
    """Every Chinese sentence in services/, domain/ and documents/ that names a flag or a command (docstrings and
    comments aside): what a service may hand the TUI."""
    out = []
    for folder in ("services", "domain", "documents"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            if path.name == "step_options.py":  # the flags themselves, read by the CLI and the forms
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                          if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                          and n.body and isinstance(n.body[0], ast.Expr)}
            inner = {id(c) for n in ast.walk(tree) if isinstance(n, (ast.JoinedStr, ast.BinOp))
                     for c in ast.iter_child_nodes(n)}
            for node in ast.walk(tree):
                if id(node) in docstrings or id(node) in inner:
                    continue
                sentence = _text_of(node)
                if sentence and re.search(r"[\u4e00-\u9fff]", sentence) and names_command(sentence):
                    out.append((f"{path.name}:{getattr(node, 'lineno', 0)}", sentence))
    return out


def test_every_service_message_naming_a_flag_or_command_is_said_in_the_tuis_words():
    messages = service_messages()
    assert len(messages) > 100  # the scan finds them (steps, decisions, documents, stats, agenda …)
    left = [(where, m, tui_words(m)) for where, m in messages if names_command(tui_words(m))]
    assert not left, "\n".join(f"{w}: {m}\n  → {t}" for w, m, t in left)


@pytest.mark.parametrize(("message", "step", "said"), [
    ("请先记录送达：zwgk-tui case act 2025-0003 served --on 日期 --what correction", None,
     "请先记录送达：在案件画面按 a 办理「记录送达日期」，填写「对方收到之日」，「送达的文书」选“补正告知书”"),
    ("如确属上年已发布年报有误，请更正发布：zwgk-tui stats publish --year 2024 --republish --reason 理由", None,
     "如确属上年已发布年报有误，请更正发布：在统计画面（Ctrl+P → 统计）选择 2024 年度，按 p 更正发布并写明理由"),
    ("请用 zwgk-tui case show 编号 --agency 机关代码 核对，以更正日期或重新打开等步骤修正后再统计。", None,
     "请在登记簿中打开该案件核对，以更正日期或重新打开等步骤修正后再统计。"),
    ("请先设置：zwgk-tui agency set zjj --reconsideration-body 复议机关全称 --court 人民法院全称", None,
     "请先设置：在机关设置（Ctrl+P → 机关设置）中填写「行政复议机关」「管辖人民法院」"),
    ("尚未出具本次决定的答复书，请先出具：zwgk-tui doc 2025-0003 reply", None,
     "尚未出具本次决定的答复书，请先出具：在案件画面按 d 生成「答复书」"),
    ("缺少 --reason（延期理由）、--days（延长工作日数）", "extend", "缺少「延期理由」、「延长工作日数」"),
    ("--correct-days 与 --correct-by 只能给出一个", "request-correction",
     "「补正期限（收到告知书之日起的工作日数）」与「补正期限（具体日期）」只能给出一个"),
    ("邮寄送达须记录邮件号码（--tracking），以交邮之日和邮寄凭证证明按期答复；--on 为交邮之日", "deliver",
     "邮寄送达须记录邮件号码，以交邮之日和邮寄凭证证明按期答复；「送达日期（邮寄为交邮之日）」为交邮之日"),
    ("请记录对方的意见：--view agree（同意公开）、disagree（不同意公开）或 none（未提出意见）；期满未答复请用 --lapsed",
     "consult-answered",
     "请记录对方的意见：「对方意见」选“同意公开”、“不同意公开”或“未提出意见”；期满未答复请用「期满未提出意见（15个工作日）」"),
    ("期满未答复：记录期满（consult-answered --lapsed），恢复计时", None,
     "期满未答复：记录期满（「收到意见」中勾选「期满未提出意见（15个工作日）」），恢复计时"),
    ("文件“a.xlsx”已存在：确需覆盖请加 --force，或换一个文件名", None,
     "文件“a.xlsx”已存在：确需覆盖请确认覆盖，或换一个文件名"),
    ("期满未补正：可认定逾期未补正（correction-lapsed）", None,
     "期满未补正：可认定逾期未补正（在案件画面按 a 办理「逾期未补正」）"),
    ("没有要翻译的句子", None, "没有要翻译的句子"),
])
def test_service_sentences_in_the_tuis_words(message, step, said):
    assert tui_words(message, step) == said


def visible_text(app) -> str:
    """What the screen shows: its Static widgets, labels, buttons, footer keys and the notifications."""
    parts = [screen_text(app)]
    for widget in app.screen.query("*"):
        for attr in ("description", "label", "placeholder", "tooltip"):
            value = getattr(widget, attr, None)
            if isinstance(value, str):
                parts.append(value)
            elif value is not None and hasattr(value, "plain"):
                parts.append(value.plain)
    parts += [str(n.message) for n in app._notifications]
    parts += [str(n.title) for n in app._notifications]
    return "\n".join(parts)


def settings(ctx) -> None:  # noqa: F811
    admin.set_agency(ctx, "default", name="某县住房和城乡建设局", reconsideration_body="某县人民政府",
                     court="某县人民法院")


async def test_statistics_screen_shows_no_command_line_words(ctx, tmp_path):  # noqa: F811
    settings(ctx)
    closed = new_case(ctx, "2024-11-04", "张三", "某项目规划许可")
    act(ctx, closed, "withdraw", on="2024-11-06")
    faulty = new_case(ctx, "2024-12-02", "李四", "某项目环评批复")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.year == 2024
        shown = visible_text(app)
        assert "--" not in shown and "zwgk-tui" not in shown
        # Published meanwhile from another desk: publishing here is refused with the service's sentence, which
        # names --republish --reason on the command line; here it names the key.
        publishing.publish(ctx, 2024)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        shown = visible_text(app)
        assert "已发布" in shown and "请在统计画面按 p 更正发布并写明理由" in shown, shown
        assert "--" not in shown and "zwgk-tui" not in shown
        # The screen now shows the year as published, so that p asks for the reason of a correction.
        assert "已发布 2025-03-20" in screen.query_one("#stats-publication").content.plain
        # A case whose record contradicts itself: the year's report is refused, with what to do in the TUI.
        with ctx.db.write() as s:
            s.execute(text("UPDATE cases SET concluded_on = '2024-12-20' WHERE number = :n"), {"n": faulty})
        app._notifications.clear()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("c")  # today's count, not the published figures
        await settle(pilot)
        shown = visible_text(app)
        assert "数据有矛盾" in shown and faulty in shown, shown
        assert "阶段为“已登记”" in shown and "“registered”" not in shown  # the stage by its name, not its code
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = str(tmp_path / "年报.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        shown = visible_text(app)
        assert "请在登记簿中打开该案件核对" in shown, shown
        assert "--" not in shown and "zwgk-tui" not in shown, shown


async def test_textual_english_is_chinese(ctx):  # noqa: F811
    number = new_case(ctx, "2025-03-03")
    app = ZwgkApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The command palette: a search that finds nothing says so in Chinese and offers the help screen.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("x", "y", "z")
        await pilot.pause(0.8)
        palette = visible_text(app) + "\n" + "\n".join(
            str(o.prompt) for o in app.screen.query("CommandList").first().options)
        assert "No matches found" not in palette and "没有名为“xyz”的命令" in palette
        await pilot.press("escape")
        await settle(pilot)
        app.open_case(number)
        await settle(pilot)
        assert app.screen.query_one("HeaderIcon").tooltip == "打开命令面板（Ctrl+P）"
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("1")  # 拟定办理结果
        await settle(pilot)
        assert isinstance(app.screen, ActionForm)
        app.screen.query_one("#o-outcome", Select).focus()
        await pilot.press("enter")  # the drop-down list opens: Textual's own key shows in the footer
        await settle(pilot)
        keys = [k.description for k in app.screen.query("FooterKey")]
        assert "收起列表" in keys and "Dismiss menu" not in keys
        assert all(re.search(r"[\u4e00-\u9fff]", k) for k in keys if k), keys
