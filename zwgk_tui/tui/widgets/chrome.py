"""The header and footer every screen shows, with Textual's own English words in Chinese.

Textual's widgets bring bindings and tooltips of their own ("esc Dismiss menu" while a drop-down list is open,
"Open the command palette" on the header's icon). A clerk sees them beside the application's Chinese keys, so
the footer says them in Chinese, and hides any other binding whose description is not Chinese (a widget of a
later Textual version) rather than show it in English.
"""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.widgets import Footer, Header

# Textual's binding descriptions a clerk can meet in a footer (textual.widgets._select.SelectOverlay …).
TEXTUAL_WORDS: dict[str, str] = {
    "Dismiss menu": "收起列表",
    "Exit the command palette": "关闭命令面板",
    "Open the command palette": "打开命令面板（Ctrl+P）",
    "palette": "命令",
    "Quit": "退出",
    "Select": "选择",
    "Toggle": "勾选/取消",
}

_CJK = re.compile(r"[\u3400-\u9fff]")


def in_chinese(text: str) -> str | None:
    """Textual's English words in Chinese; None for English that has no translation here (hide it)."""
    if not text or _CJK.search(text):
        return text
    return TEXTUAL_WORDS.get(text)


class ClerkFooter(Footer):
    """The footer: the screen's keys, every description in Chinese."""

    def compose(self) -> ComposeResult:
        # Footer.compose builds one FooterKey per shown binding; the keys are re-labelled as they are yielded.
        from textual.widgets._footer import FooterKey  # not exported by textual.widgets

        for widget in super().compose():
            if isinstance(widget, FooterKey):
                description = in_chinese(widget.description)
                if description is None:
                    continue
                widget.description = description
                tooltip = widget.tooltip
                if isinstance(tooltip, str) and tooltip:
                    widget.tooltip = in_chinese(tooltip) or description
            yield widget


class ClerkHeader(Header):
    """The header: its icon's tooltip in Chinese."""

    def on_mount(self) -> None:
        # The icon sets its English tooltip when it is mounted: replace it once everything is mounted.
        self.call_after_refresh(self._chinese_tooltip)

    def _chinese_tooltip(self) -> None:
        from textual.widgets._header import HeaderIcon  # not exported by textual.widgets

        for icon in self.query(HeaderIcon):
            if icon.tooltip:
                icon.tooltip = TEXTUAL_WORDS["Open the command palette"]
