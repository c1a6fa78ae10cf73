"""The registration form (modal): every Art. 29 element, the Art. 31 receipt rule of the chosen channel, inline
validation by the service (in a worker), and the registration itself."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.worker import get_current_worker

from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LONG_LABELS,
    CHANNEL_LABELS,
    CHANNELS_NEEDING_CONFIRMATION,
    DELIVERY_METHOD_LABELS,
)
from zwgk_tui.services import cases
from zwgk_tui.services.errors import ServiceError
from zwgk_tui.tui.common import ServiceFailed, error_text, service_text
from zwgk_tui.tui.widgets.chrome import ClerkFooter

# 《条例》第三十一条, by channel: which day is the day of receipt.
RECEIPT_RULES: dict[str, str] = {
    "in_person": "当面提交：以提交之日为收到申请之日（《条例》第三十一条第一项）。",
    "mail_registered": "邮寄（挂号信、邮政快递等需签收的方式）：以本机关签收之日为收到申请之日"
    "（《条例》第三十一条第二项）。",
    "mail_ordinary": "平常信函：应于信件到达当日与申请人确认，确认之日为收到申请之日"
    "（《条例》第三十一条第二项）。请同时填写到达日期。",
    "online": "互联网渠道：以双方确认之日为收到申请之日（《条例》第三十一条第三项）。请同时填写到达日期。",
    "fax": "本机关传真：以双方确认之日为收到申请之日（《条例》第三十一条第三项）。请同时填写到达日期。",
}

RECEIVED_LABELS = {
    "in_person": "收到日期（提交之日）",
    "mail_registered": "收到日期（签收之日）",
    "mail_ordinary": "收到日期（确认之日）",
    "online": "收到日期（确认之日）",
    "fax": "收到日期（确认之日）",
}

# Stand-ins for required fields the clerk has not reached yet, so live validation speaks only about what
# has been typed (the real values are checked on save).
_PLACEHOLDER_NAME = "（待填写）"
_PLACEHOLDER_CONTENT = "（待填写的申请内容）"


def _row(label: str, widget: Widget, *, row_id: str | None = None, required: bool = False) -> Horizontal:
    text = Text(label)
    if required:
        text.append(" *", style="bold red")
    return Horizontal(Label(text, classes="field-label"), widget, classes="field-row", id=row_id)


class RegistrationForm(ModalScreen[cases.Registered | None]):
    """登记新申请."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "登记", priority=True, id="form.save"),
        Binding("escape", "cancel", "取消", id="form.cancel"),
    ]

    class Checked(Message):
        def __init__(self, generation: int, error: str, missing: list[str]) -> None:
            super().__init__()
            self.generation = generation
            self.error = error
            self.missing = missing

    class Saved(Message):
        def __init__(self, result: cases.Registered) -> None:
            super().__init__()
            self.result = result

    class SaveFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, agencies: list[dict[str, Any]] | None = None) -> None:
        super().__init__(classes="dialog form-dialog")
        self._agencies = agencies or []
        self._touched: set[str] = set()
        self._generation = 0
        self._debounce: Timer | None = None
        self._saving = False

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        today = self.ctx.today().isoformat()
        with Vertical(classes="dialog-box form-box"):
            yield Label("登记政府信息公开申请（《条例》第二十九条）", classes="dialog-title")
            with VerticalScroll(id="form-body"):
                yield Static("申请人", classes="form-section")
                yield _row("姓名或名称", Input(id="f-applicant", compact=True, placeholder="申请人姓名或单位名称"),
                           required=True)
                yield _row("申请人类型", Select([(label, code) for code, label in APPLICANT_TYPE_LONG_LABELS.items()],
                                            value="natural_person", allow_blank=False, id="f-type", compact=True),
                           required=True)
                yield _row("身份证明", Input(id="f-id", compact=True,
                                          placeholder="身份证号码（18位）或统一社会信用代码"))
                yield _row("联系电话", Input(id="f-phone", compact=True, placeholder="手机或固定电话"))
                yield _row("电子邮箱", Input(id="f-email", compact=True))
                yield _row("通信地址", Input(id="f-address", compact=True))
                yield _row("邮政编码", Input(id="f-postcode", compact=True, max_length=6, restrict=r"[0-9]*"))
                yield Static("申请内容", classes="form-section")
                yield _row("所需信息", TextArea(id="f-content", soft_wrap=True, show_line_numbers=False,
                                             tab_behavior="focus"), required=True)
                yield _row("申请事项数", Input(value="1", id="f-items", compact=True, max_length=4,
                                            restrict=r"[0-9]*"))
                yield _row("形式要求", Input(id="f-form", compact=True, placeholder="如：纸质、电子文档"))
                yield _row("获取方式", Select([(label, code) for code, label in DELIVERY_METHOD_LABELS.items()],
                                          prompt="（未指定）", id="f-delivery", compact=True))
                yield Static("收到申请", classes="form-section")
                yield _row("申请渠道", Select([(label, code) for code, label in CHANNEL_LABELS.items()],
                                          value="in_person", allow_blank=False, id="f-channel", compact=True),
                           required=True)
                yield Static(RECEIPT_RULES["in_person"], id="rule-text")
                yield _row(RECEIVED_LABELS["in_person"], Input(value=today, id="f-received", compact=True,
                                                               placeholder="YYYY-MM-DD"),
                           required=True, row_id="received-row")
                yield _row("到达日期", Input(id="f-arrived", compact=True, placeholder="信件、网上申请或传真到达之日"),
                           row_id="arrived-row")
                if len(self._agencies) > 1:
                    yield _row("登记机关", Select([(f"{a['name']}（{a['code']}）", a["code"]) for a in self._agencies],
                                              prompt="（本人所属机关）", id="f-agency", compact=True))
            yield Static("", id="form-error")
            yield Static("", id="form-missing")
            with Horizontal(classes="dialog-buttons"):
                yield Button("登记（Ctrl+S）", id="save", variant="primary")
                yield Button("取消（Esc）", id="cancel")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#arrived-row").display = False
        self.query_one("#form-error").display = False
        self.query_one("#form-missing").display = False
        self.query_one("#f-applicant", Input).focus()

    # -- reading the form ------------------------------------------------------------------------------------
    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        raise TypeError(widget_id)

    def new_case(self, *, for_save: bool) -> cases.NewCase:
        name = self._value("f-applicant")
        content = self._value("f-content")
        if not for_save:
            if not name.strip() and "f-applicant" not in self._touched:
                name = _PLACEHOLDER_NAME
            if not content.strip() and "f-content" not in self._touched:
                content = _PLACEHOLDER_CONTENT
        items_text = self._value("f-items").strip()
        channel = self._value("f-channel")
        arrived = self._value("f-arrived").strip() if channel in CHANNELS_NEEDING_CONFIRMATION else ""
        agency = self._value("f-agency") if len(self._agencies) > 1 else ""
        return cases.NewCase(
            applicant=name,
            applicant_type=self._value("f-type"),
            channel=channel,
            received=self._value("f-received").strip(),
            content=content,
            agency=agency or None,
            id_number=self._value("f-id"),
            phone=self._value("f-phone"),
            email=self._value("f-email"),
            address=self._value("f-address"),
            postcode=self._value("f-postcode"),
            delivery=self._value("f-delivery"),
            form_requested=self._value("f-form"),
            item_count=int(items_text) if items_text.isdigit() else 0,
            arrived=arrived or None,
        )

    # -- live validation -------------------------------------------------------------------------------------
    def _changed(self, widget_id: str | None, *, focused: bool = True) -> None:
        # Initial values (today's date, one item) post Changed on mount: those are not the clerk's typing.
        if widget_id and focused:
            self._touched.add(widget_id)
        if not self._touched:
            return
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.3, self._check_now)

    def _check_now(self) -> None:
        self._debounce = None
        self._generation += 1
        self.check_form(self._generation, self.new_case(for_save=False))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input.id, focused=event.input.has_focus)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area.id, focused=event.text_area.has_focus)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-channel" and event.value is not Select.NULL:
            channel = str(event.value)
            self.query_one("#rule-text", Static).update(RECEIPT_RULES[channel])
            self.query_one("#received-row .field-label", Label).update(
                Text(RECEIVED_LABELS[channel]).append(" *", style="bold red")
            )
            self.query_one("#arrived-row").display = channel in CHANNELS_NEEDING_CONFIRMATION
        self._changed(event.select.id, focused=event.select.has_focus_within)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-check")
    def check_form(self, generation: int, new: cases.NewCase) -> None:
        try:
            _, missing = cases.validate_new_case(self.ctx, new)
            error = ""
        except ServiceError as exc:
            error, missing = service_text(exc.message), []
        except Exception as exc:
            error, missing = error_text(exc), []
        if not get_current_worker().is_cancelled:
            self.post_message(self.Checked(generation, error, missing))

    def on_registration_form_checked(self, message: Checked) -> None:
        if message.generation != self._generation or self._saving:
            return
        self._show(message.error, message.missing)

    def _show(self, error: str, missing: list[str]) -> None:
        self.query_one("#form-error", Static).update(Text(error, style="bold red") if error else "")
        self.query_one("#form-error").display = bool(error)
        short = [re.sub(r"（《条例》[^）]*）", "", service_text(m)) for m in missing]
        hint = Text("缺少" + "、".join(short) + "（《条例》第二十九条）：可以登记，之后一次性告知补正",
                    style="yellow") if missing else ""
        self.query_one("#form-missing", Static).update(hint)
        self.query_one("#form-missing").display = bool(missing)

    # -- saving ----------------------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving:
            return
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._generation += 1  # any pending live check is now stale
        self._saving = True
        self.query_one("#save", Button).disabled = True
        self.save_case(self.new_case(for_save=True))

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def save_case(self, new: cases.NewCase) -> None:
        try:
            result = cases.register(self.ctx, new)
        except ServiceError as exc:
            self.post_message(self.SaveFailed(service_text(exc.message)))
            return
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, "登记申请"))
            self.post_message(self.SaveFailed(error_text(exc)))
            return
        self.post_message(self.Saved(result))

    def on_registration_form_saved(self, message: Saved) -> None:
        self.dismiss(message.result)

    def on_registration_form_save_failed(self, message: SaveFailed) -> None:
        self._saving = False
        self.query_one("#save", Button).disabled = False
        self._show(message.error, [])

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
