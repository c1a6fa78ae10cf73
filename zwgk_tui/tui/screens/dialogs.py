"""Generic typed modal dialogs: a message, a yes/no question, a choice from a short list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from zwgk_tui.tui.common import unwritable
from zwgk_tui.tui.widgets.chrome import ClerkFooter


class MessageDialog(ModalScreen[None]):
    """A message the clerk must see (a conflict, a written file, a registration receipt)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "关闭", id="dialog.close"),
    ]

    def __init__(self, title: str, lines: Sequence[str | Text], *, severity: str = "information") -> None:
        super().__init__(classes=f"dialog -{severity}")
        self._title = title
        self._lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                for line in self._lines:
                    yield Static(line if isinstance(line, Text) else Text(line), classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定（Enter）", id="ok", variant="primary")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y or Enter on 确认 confirms, n or Escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "确认", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "取消", id="dialog.no"),
    ]

    def __init__(self, title: str, lines: Sequence[str | Text], *, yes: str = "确认（Y）", no: str = "取消（N）",
                 default_yes: bool = False) -> None:
        super().__init__(classes="dialog")
        self._default_yes = default_yes
        self._title = title
        self._lines = list(lines)
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                for line in self._lines:
                    yield Static(line if isinstance(line, Text) else Text(line), classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._yes, id="yes", variant="primary")
                yield Button(self._no, id="no")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#yes" if self._default_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few choices: arrows and Enter, or the digit shown before it; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="dialog.cancel"),
        *[Binding(str(i), f"pick({i})", show=False, id=f"dialog.pick{i}") for i in range(1, 10)],
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], *, note: str = "") -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._choices = list(choices)
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title")
            yield OptionList(
                *[
                    Option(Text(f"{i}  {label}" if i <= 9 else f"   {label}"), id=value)
                    for i, (value, label) in enumerate(self._choices, start=1)
                ],
                id="choices",
            )
            if self._note:
                yield Static(Text(self._note), classes="dialog-note")
        yield ClerkFooter()

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        options.focus()
        if self._choices:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if 1 <= index <= len(self._choices):
            self.dismiss(self._choices[index - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


def write_to_chosen_path(screen: Screen[Any], ctx: Any, value: str | None,
                         write: Callable[[str, bool], object]) -> None:
    """After the clerk typed an output path: a path that can never be written (the live database, a folder
    without permission…) is refused at once; an existing file is overwritten only after a yes; then
    `write(path, force)` runs."""
    if not value or not value.strip():
        return
    path = value.strip()
    refused = unwritable(ctx, path)
    if refused:
        screen.notify(refused, severity="error", markup=False)
        return
    if not Path(path).expanduser().is_file():
        write(path, False)
        return

    def overwrite(yes: bool | None) -> None:
        if yes:
            write(path, True)

    screen.app.push_screen(
        ConfirmDialog("文件已存在", [f"{path} 已存在，是否覆盖？"], yes="覆盖（Y）", no="取消（N）"), overwrite)
