"""The command palette (Ctrl+P): the main actions by their Chinese names (English words also match)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (name, aliases searched too, help, app action)
COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    ("新登记", "new register xdj", "登记一件新的政府信息公开申请", "new_case"),
    ("待办", "agenda deadlines today db", "今天、本周到期和已逾期的事项（F3）", "show_agenda"),
    ("登记簿", "cases list djb", "回到案件登记簿（首页）", "show_register"),
    ("政府办汇总", "office board weekly zfb", "各机关报备、在办、逾期、审核和纠错率；每周汇总导出", "show_office"),
    ("多人申请", "hot topics proactive art44 drsq", "多人申请的相同信息，记录转为主动公开（第四十四条）",
     "show_hot_topics"),
    ("网上申请", "intake inbox online wssq", "网上申请收件箱：确认登记或退回", "show_inbox"),
    ("统计", "stats annual report tj", "年度报告表三、表四和导出", "show_stats"),
    ("日历", "calendar holiday rl", "工作日日历与节假日通知导入", "show_calendar"),
    ("机关设置", "agency settings setup jgsz", "本机关名称、复议机关、法院、文号和办理流程", "show_settings"),
    ("校验记录", "verify tamper audit jyjl", "校验办理记录是否被改动", "verify_history"),
    ("帮助", "help keys bz", "画面和按键说明", "help"),
    ("退出", "quit exit tc", "退出程序", "quit"),
)


NO_MATCH = "没有名为“{query}”的命令"
NO_MATCH_TEXT = "帮助"


class ZwgkCommands(Provider):
    def _callback(self, action: str) -> Callable[[], Any]:
        async def run() -> None:
            await self.app.run_action(action)

        return run

    async def discover(self) -> Hits:
        for name, _aliases, help_text, action in COMMANDS:
            yield DiscoveryHit(name, self._callback(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for name, aliases, help_text, action in COMMANDS:
            score = max(matcher.match(name), matcher.match(aliases) * 0.9)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(name), self._callback(action), text=name, help=help_text)
        if not found and query.strip():
            # Instead of Textual's English "No matches found": say so in Chinese, and offer the help screen.
            yield Hit(0.01, NO_MATCH.format(query=query.strip()), self._callback("help"), text=NO_MATCH_TEXT,
                      help="按 Enter 打开帮助：全部画面和按键")
