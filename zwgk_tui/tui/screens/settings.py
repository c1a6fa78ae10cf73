"""The agency's settings (机关设置): every setting of the command line's `agency set`, saved through the same
service.

The form is generated from `admin.AGENCY_SETTINGS` (name → type, label), so a setting added there appears here
without touching this screen. Validation is the service's (`admin.set_agency`); its refusal is shown under the
form, and the warnings it returns (a `warnings` list in its result) are shown after saving.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from zwgk_tui.services import admin
from zwgk_tui.services.admin import AGENCY_SETTINGS
from zwgk_tui.services.errors import ServiceError
from zwgk_tui.tui.common import ServiceFailed, error_text, service_text
from zwgk_tui.tui.widgets.chrome import ClerkFooter

PLACEHOLDER_NAME = "本机关"  # the name a new database's agency gets until it is set (services.context)

FIRST_RUN_NOTE = (
    "首次使用：请先填写本机关的全称、简称、行政复议机关和管辖人民法院。"
    "告知书、答复书以本机关名义落款，文号用简称，救济条款写明复议机关和法院。"
)


def setting_kind(spec: Any) -> tuple[Any, str, dict[str, str] | None]:
    """(type, label, choices) of an AGENCY_SETTINGS entry; choices when the entry carries a code → label table."""
    kind, label = spec[0], spec[1]
    choices = next((x for x in spec[2:] if isinstance(x, dict)), None) if len(spec) > 2 else None
    return kind, str(label), choices


def _field_id(key: str) -> str:
    return f"s-{key.replace('_', '-')}"


class AgencySettingsScreen(ModalScreen[dict[str, Any] | None]):
    """机关设置."""

    DEFAULT_CSS = """
    AgencySettingsScreen #settings-note { color: $warning; height: auto; }
    AgencySettingsScreen #settings-error { color: $error; height: auto; }
    AgencySettingsScreen .settings-label { width: 26; padding-right: 1; text-align: right; }
    AgencySettingsScreen Checkbox { border: none; padding: 0; height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", priority=True, id="settings.save"),
        Binding("escape", "cancel", "取消", id="settings.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, agencies: list[dict[str, Any]]) -> None:
            super().__init__()
            self.agencies = agencies

    class Saved(Message):
        def __init__(self, result: dict[str, Any]) -> None:
            super().__init__()
            self.result = result

    class SaveFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, code: str | None = None, *, first_run: bool = False) -> None:
        super().__init__(classes="dialog form-dialog", id="agency-settings")
        self.code = code
        self.first_run = first_run
        self.agencies: list[dict[str, Any]] = []
        self.loaded: dict[str, Any] | None = None
        self._saving = False

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box form-box"):
            yield Label("机关设置（文书落款、文号、救济条款和办理流程）", classes="dialog-title")
            if self.first_run:
                yield Static(FIRST_RUN_NOTE, id="settings-note")
            with Horizontal(classes="field-row", id="agency-row"):
                yield Label("机关", classes="settings-label")
                yield Select([], prompt="（读取中）", id="s-agency", compact=True)
            with VerticalScroll(id="form-body"):
                for key, spec in AGENCY_SETTINGS.items():
                    kind, label, choices = setting_kind(spec)
                    yield self._row(key, kind, label, choices)
            yield Static("", id="settings-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存（Ctrl+S）", id="save", variant="primary")
                yield Button("取消（Esc）", id="cancel")
        yield ClerkFooter()

    def _row(self, key: str, kind: Any, label: str, choices: dict[str, str] | None) -> Horizontal:
        widget: Widget
        if choices:
            widget = Select([(text, code) for code, text in choices.items()], prompt="（未设置）", id=_field_id(key),
                            compact=True)
        elif kind is bool:
            widget = Checkbox("", id=_field_id(key), compact=True)
        elif kind is int:
            widget = Input(id=_field_id(key), compact=True, restrict=r"-?[0-9]*", max_length=6)
        else:
            widget = Input(id=_field_id(key), compact=True)
        return Horizontal(Label(Text(label), classes="settings-label"), widget, classes="field-row")

    def on_mount(self) -> None:
        self.query_one("#settings-error").display = False
        self.query_one("#agency-row").display = False
        self.load()

    # -- loading ---------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-load")
    def load(self) -> None:
        try:
            agencies = admin.list_agencies(self.ctx) or [admin.show_agency(self.ctx, None)]
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "读取机关设置"))
            return
        self.post_message(self.Loaded(agencies))

    def on_agency_settings_screen_loaded(self, message: Loaded) -> None:
        self.agencies = message.agencies
        codes = [a["code"] for a in self.agencies]
        code: str = self.code if self.code is not None and self.code in codes else codes[0]
        select = self.query_one("#s-agency", Select)
        select.set_options([(f"{a['name']}（{a['code']}）", a["code"]) for a in self.agencies])
        self.query_one("#agency-row").display = len(self.agencies) > 1
        with select.prevent(Select.Changed):
            select.value = code
        self._fill(code)
        first = next(iter(AGENCY_SETTINGS), None)
        if first is not None:
            self.query_one(f"#{_field_id(first)}").focus()

    def _fill(self, code: str) -> None:
        agency = next(a for a in self.agencies if a["code"] == code)
        self.code = code
        self.loaded = agency
        for key, spec in AGENCY_SETTINGS.items():
            _kind, _label, choices = setting_kind(spec)
            widget = self.query_one(f"#{_field_id(key)}")
            value = agency.get(key)
            if isinstance(widget, Select):
                with widget.prevent(Select.Changed):
                    widget.value = value if value in (choices or {}) else Select.NULL
            elif isinstance(widget, Checkbox):
                with widget.prevent(Checkbox.Changed):
                    widget.value = bool(value)
            elif isinstance(widget, Input):
                with widget.prevent(Input.Changed):
                    widget.value = "" if value is None else str(value)
        name = self.query_one(f"#{_field_id('name')}", Input) if "name" in AGENCY_SETTINGS else None
        if name is not None and name.value == PLACEHOLDER_NAME:
            name.placeholder, name.value = "如：某县住房和城乡建设局", ""

    @on(Select.Changed, "#s-agency")
    def _agency_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and self.agencies:
            self._show_error("")
            self._fill(str(event.value))

    # -- saving ----------------------------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """The settings whose value differs from what was loaded (only those are sent)."""
        loaded = self.loaded or {}
        out: dict[str, Any] = {}
        for key, spec in AGENCY_SETTINGS.items():
            _kind, _label, _choices = setting_kind(spec)
            widget = self.query_one(f"#{_field_id(key)}")
            before = loaded.get(key)
            if isinstance(widget, Select):
                value: Any = None if widget.value is Select.NULL else widget.value
                if value is not None and value != before:
                    out[key] = value
            elif isinstance(widget, Checkbox):
                if widget.value != bool(before):
                    out[key] = widget.value
            elif isinstance(widget, Input):
                text = widget.value.strip()
                if key == "name" and not text and before == PLACEHOLDER_NAME:
                    out[key] = ""  # the placeholder must be replaced: the service says the name is required
                elif text != ("" if before is None else str(before)):
                    out[key] = text
        return out

    def action_save(self) -> None:
        if self._saving or self.code is None:
            return
        values = self.changes()
        if not values:
            self.dismiss(None)
            return
        self._saving = True
        self.query_one("#save", Button).disabled = True
        self.save(self.code, values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-save")
    def save(self, code: str, values: dict[str, Any]) -> None:
        try:
            result = admin.set_agency(self.ctx, code, **values)
        except ServiceError as exc:
            self.post_message(self.SaveFailed(service_text(exc.message)))
            return
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "保存机关设置"))
            self.post_message(self.SaveFailed(error_text(exc)))
            return
        self.post_message(self.Saved(result))

    def on_agency_settings_screen_saved(self, message: Saved) -> None:
        self.dismiss(message.result)

    def on_agency_settings_screen_save_failed(self, message: SaveFailed) -> None:
        self._saving = False
        self.query_one("#save", Button).disabled = False
        self._show_error(message.error)

    def _show_error(self, error: str) -> None:
        widget = self.query_one("#settings-error", Static)
        widget.update(Text(error, style="bold red") if error else "")
        widget.display = bool(error)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


def saved_lines(result: dict[str, Any]) -> list[str]:
    """What the clerk is told after saving: the agency, and the service's warnings if it returned any."""
    lines = [f"{result.get('name', '')}（{result.get('code', '')}）的设置已保存。"]
    lines += [f"注意：{service_text(w)}" for w in result.get("warnings") or []]
    return lines
