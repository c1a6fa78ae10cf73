"""The terminal application: the register as home screen, case, statistics and calendar screens on top.

The TUI is thin: every database call goes through a service in a thread worker, and results come back as
messages. Errors become notifications or dialogs; none ends the program."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Provider
from textual.message import Message

from zwgk_tui.services import admin, cases
from zwgk_tui.services.context import ServiceContext
from zwgk_tui.services.errors import ServiceError
from zwgk_tui.tui.commands import ZwgkCommands
from zwgk_tui.tui.common import ServiceFailed, due_text, error_text, log, service_text
from zwgk_tui.tui.screens.agenda import AgendaScreen
from zwgk_tui.tui.screens.calendar import CalendarScreen
from zwgk_tui.tui.screens.case import CaseScreen
from zwgk_tui.tui.screens.dialogs import ConfirmDialog, MessageDialog
from zwgk_tui.tui.screens.help import HelpScreen
from zwgk_tui.tui.screens.inbox import InboxScreen
from zwgk_tui.tui.screens.office import HotTopicsScreen, OfficeScreen
from zwgk_tui.tui.screens.register import RegisterScreen
from zwgk_tui.tui.screens.register_form import RegistrationForm
from zwgk_tui.tui.screens.settings import PLACEHOLDER_NAME, AgencySettingsScreen, saved_lines
from zwgk_tui.tui.screens.stats import StatsScreen


class ZwgkApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "政府信息公开申请办理"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ZwgkCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "退出", priority=True, id="app.quit"),
        Binding("question_mark,f1", "help", "帮助", key_display="?", id="app.help"),
        Binding("f2", "new_case", "新登记", show=False, id="app.new_case"),
        Binding("f3", "show_agenda", "待办", show=False, id="app.agenda"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True, id="app.palette"),
    ]

    class AgenciesLoaded(Message):
        def __init__(self, agencies: list[dict[str, Any]]) -> None:
            super().__init__()
            self.agencies = agencies

    def __init__(self, ctx: ServiceContext, *, first_run_setup: bool = False, open_agenda: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.agencies: list[dict[str, Any]] = []
        # Opening the agency settings while the agency is unnamed, and opening on the agenda (a tab over the
        # register), are for a clerk's real start (run_app); tests and embedders build the app with fixed screens.
        self.first_run_setup = first_run_setup
        self.open_agenda = open_agenda

    def on_mount(self) -> None:
        # Who is acting matters when several clerks share a database (roles decide what is offered).
        self.title = f"政府信息公开申请办理　用户：{self.ctx.user_name}"
        self.push_screen(RegisterScreen())
        if self.open_agenda:
            self.push_screen(AgendaScreen())
        self.load_agencies()

    @work(thread=True, exclusive=True, exit_on_error=False, group="app-agencies")
    def load_agencies(self) -> None:
        try:
            agencies = admin.list_agencies(self.ctx)
        except Exception as exc:
            self.post_message(ServiceFailed(exc, "读取机关列表"))
            return
        self.post_message(self.AgenciesLoaded(agencies))

    def on_zwgk_app_agencies_loaded(self, message: AgenciesLoaded) -> None:
        self.agencies = message.agencies
        if self.first_run_setup:
            self.first_run_setup = False
            unnamed = next((a for a in message.agencies if a["name"] == PLACEHOLDER_NAME), None)
            if unnamed is not None or not message.agencies:
                self.action_show_settings(unnamed["code"] if unnamed else None, first_run=True)

    # -- errors ----------------------------------------------------------------------------------------------
    def on_service_failed(self, message: ServiceFailed) -> None:
        if not isinstance(message.exc, ServiceError):
            log.error("service call failed: %s", message.what, exc_info=message.exc)
        title = f"{message.what}未完成" if message.what else "操作未完成"
        self.notify(error_text(message.exc), title=title, severity="error", timeout=10, markup=False)

    # -- navigation ------------------------------------------------------------------------------------------
    def _register_screen(self) -> RegisterScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, RegisterScreen):
                return screen
        return None

    def _back_to_register(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, RegisterScreen):
            self.pop_screen()

    def open_case(self, number: str, agency: str | None = None) -> None:
        self.push_screen(CaseScreen(number, agency))

    def action_show_register(self) -> None:
        self._back_to_register()

    def action_show_stats(self) -> None:
        self._back_to_register()
        self.push_screen(StatsScreen())

    def action_show_calendar(self) -> None:
        self._back_to_register()
        self.push_screen(CalendarScreen())

    def action_show_inbox(self) -> None:
        self._back_to_register()
        self.push_screen(InboxScreen())

    def action_show_agenda(self) -> None:
        """F3: the agenda and the register are two tabs; F3 goes from one to the other."""
        if isinstance(self.screen, AgendaScreen):
            self._back_to_register()
            return
        self._back_to_register()
        self.push_screen(AgendaScreen())

    def action_show_office(self) -> None:
        if isinstance(self.screen, OfficeScreen):
            return
        if not isinstance(self.screen, (AgendaScreen, RegisterScreen)):
            self._back_to_register()
        self.push_screen(OfficeScreen())

    def action_show_hot_topics(self) -> None:
        if isinstance(self.screen, HotTopicsScreen):
            return
        self.push_screen(HotTopicsScreen())

    def action_show_settings(self, code: str | None = None, first_run: bool = False) -> None:
        if isinstance(self.screen, AgencySettingsScreen):
            return
        self.push_screen(AgencySettingsScreen(code, first_run=first_run), self._after_settings)

    def _after_settings(self, result: dict[str, Any] | None) -> None:
        if result is None:
            return
        self.load_agencies()
        register = self._register_screen()
        if register is not None:
            register.load_agencies()  # names and short names in its agency filter and column
        lines = saved_lines(result)
        if result.get("warnings"):
            self.push_screen(MessageDialog("机关设置已保存", lines, severity="warning"))
        else:
            self.notify(lines[0], title="机关设置", timeout=4, markup=False)

    # -- tamper check (same service as `zwgk-tui verify`) -------------------------------------------------------
    class Verified(Message):
        def __init__(self, report: Any) -> None:
            super().__init__()
            self.report = report

    def action_verify_history(self) -> None:
        self.notify("正在校验办理记录……", timeout=2)
        self.verify_history()

    @work(thread=True, exclusive=True, exit_on_error=False, group="app-verify")
    def verify_history(self) -> None:
        from zwgk_tui.services import verify

        try:
            report = verify.run(self.ctx)
        except Exception as exc:
            self.post_message(ServiceFailed(exc, "校验办理记录"))
            return
        self.post_message(self.Verified(report))

    def on_zwgk_app_verified(self, message: Verified) -> None:
        from zwgk_tui.tui.screens.dialogs import MessageDialog

        r = message.report
        lines: list[str | Text] = [f"共 {r.cases} 件案件、{r.events} 条办理记录。"]
        lines += [Text(f"注意：{service_text(w)}", style="yellow") for w in r.warnings]
        if r.ok:
            lines.append(Text("未发现问题：校验链完整，案件状态与办理记录一致，编号连续，防篡改触发器齐全。",
                              style="green"))
        else:
            lines.append(Text(f"发现 {len(r.problems)} 处问题（{len(r.broken_cases)} 件案件）：", style="bold red"))
            lines += [Text(f"{p.case}：{service_text(p.message)}" if p.case else service_text(p.message))
                      for p in r.problems[:200]]
        self.push_screen(MessageDialog("校验办理记录", lines, severity="information" if r.ok else "error"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_help_quit(self) -> None:
        self.notify("按 Ctrl+Q 退出程序", title="要退出吗？")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder="输入命令：新登记、登记簿、网上申请、统计、日历、机关设置……",
                                            id="--command-palette"))

    def action_new_case(self) -> None:
        if isinstance(self.screen, RegistrationForm):
            return
        self.push_screen(RegistrationForm(self.agencies), self._after_registration)

    def _after_registration(self, result: cases.Registered | None) -> None:
        if result is None:
            return
        case = result.case
        dl = case["deadline"]
        lines: list[str | Text] = [
            Text.assemble("案件编号：", (result.number, "bold")),
            f"答复期限：{due_text(dl['due'], dl['provisional'])}（第20个工作日）",
            f"补正告知期限：{case['correction_notice_due']}（第7个工作日）",
        ]
        for line in result.correction_hints:
            lines.append(Text(service_text(line), style="yellow"))
        for h in result.hints:
            lines.append(Text(f"提示：{service_text(h)}", style="bold yellow"))

        def open_it(yes: bool | None) -> None:
            if yes:
                self._back_to_register()
                self.open_case(result.number, case["agency"])

        self.push_screen(
            ConfirmDialog(f"已登记 {result.number}", lines, yes="打开案件（Y）", no="返回（N）", default_yes=True),
            open_it,
        )


def run_app(ctx: ServiceContext) -> None:
    ZwgkApp(ctx, first_run_setup=True, open_agenda=True).run()
