"""Keys and screens, in one place (`?`)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from zwgk_tui.tui.widgets.chrome import ClerkFooter

HELP: list[tuple[str, list[tuple[str, str]]]] = [
    ("任何画面", [
        ("Ctrl+P", "命令面板：新登记、登记簿、网上申请、统计、日历、机关设置、帮助"),
        ("F2", "登记新申请"),
        ("F3", "待办 ↔ 登记簿"),
        ("?  F1", "本帮助"),
        ("Esc", "返回上一画面 / 关闭对话框"),
        ("Ctrl+Q", "退出"),
    ]),
    ("待办（启动后的第一个画面）", [
        ("1 2 3", "今天（已逾期、今天到期、待记录送达）/ 本周 / 已逾期"),
        ("Enter", "打开案件"),
        ("m", "只看本人经办的 / 全部"),
        ("o", "政府办汇总：各机关报备、在办、逾期、审核、纠错率；[ ] 换周，w 导出每周汇总"),
        ("h", "多人申请（第四十四条）：p 记录已转为主动公开"),
        ("F3  Esc", "登记簿"),
    ]),
    ("登记簿（首页）", [
        ("↑ ↓ PgUp PgDn", "移动；接近末尾时自动加载下一页"),
        ("Home End", "第一行 / 最后一行（已加载的）"),
        ("Enter", "打开案件"),
        ("n", "登记新申请"),
        ("/", "查找（编号、申请人、申请内容）；Enter 或 Esc 回到列表"),
        ("1 2 3 4 5 6", "在办 / 已逾期 / N个工作日内到期 / 暂停计时 / 已办结 / 全部"),
        ("Tab", "在查找框和各筛选项之间移动"),
        ("r  F5", "刷新"),
        ("t", "年度报告统计"),
        ("c", "工作日日历"),
        ("e", "按当前筛选条件导出登记簿（xlsx / csv）"),
        ("i", "网上申请收件箱（有待确认的申请时，顶行显示件数）"),
    ]),
    ("网上申请", [
        ("Enter  y", "确认登记：填写与申请人确认之日（即收到申请之日）"),
        ("x", "退回（写明理由，留档）"),
        ("a", "全部 / 只看待确认"),
    ]),
    ("机关设置（Ctrl+P 机关设置）", [
        ("Ctrl+S", "保存（先检查各项设置，有误时在表单下方说明）"),
        ("Esc", "放弃"),
    ]),
    ("登记表", [
        ("Tab / Shift+Tab", "下一项 / 上一项；带 * 的为必填"),
        ("Ctrl+S", "登记"),
        ("Esc", "放弃"),
    ]),
    ("案件", [
        ("a", "办理：列出当前阶段您可以办理的步骤，数字键直接选择"),
        ("Ctrl+S", "（在办理表单中）确定"),
        ("Ctrl+N", "（在办理表单中）再加一项：不予公开的部分、检索记录等，数量不限"),
        ("d", "生成文书（显示保存位置）"),
        ("p", "显示 / 隐藏完整证件号、电话、地址"),
        ("r  F5", "刷新"),
        ("Esc", "回到登记簿"),
    ]),
    ("年度报告统计", [
        ("[  ]", "上一年 / 下一年（也可在“年度”中输入后回车）"),
        ("e", "导出 xlsx / docx / csv（已发布的年度导出发布的数字）"),
        ("p", "发布本年度报告（已发布的：写明理由后更正发布）"),
        ("c", "已发布的年度：在发布的数字和今天的数据之间切换"),
    ]),
    ("日历", [
        ("[  ]  PgUp PgDn", "上一年 / 下一年"),
        ("i", "导入国务院办公厅节假日安排通知（先预览变动，确认后应用）"),
    ]),
]

LEGEND = ("颜色：红=逾期　黄=临期（5个工作日内到期）　青=暂停计时（征求意见、待缴费）　灰=已办结。"
          "“状态”一栏的数字为工作日。答复期限后标“暂定”的，该年度国务院节假日安排尚未导入。")


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1,q", "close", "关闭", id="help.close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"):
            yield Label("帮助：画面和按键", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                for section, keys in HELP:
                    t = Table.grid(padding=(0, 2))
                    t.add_column(style="bold cyan", no_wrap=True, min_width=16)
                    t.add_column()
                    for key, what in keys:
                        t.add_row(key, what)
                    yield Static(Text(section, style="bold"), classes="help-section")
                    yield Static(t)
                yield Static(Text(LEGEND, style="dim"), classes="help-section")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
