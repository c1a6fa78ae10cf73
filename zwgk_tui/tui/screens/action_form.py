"""One step on a case: a small form per action (the fields `case act` takes), sent to `cases.act` in a worker
with the version the clerk saw, so a concurrent change comes back as a conflict instead of being overwritten."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from zwgk_tui.domain.codes import (
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    REMEDY_KINDS,
    REMEDY_RESULTS,
)
from zwgk_tui.domain.workflow import STEPS
from zwgk_tui.services import cases
from zwgk_tui.services.errors import Conflict, ServiceError
from zwgk_tui.tui.common import ServiceFailed, error_text

# Every key `zwgk-tui case act` passes, so the service sees the same shape from both front ends.
OPTION_KEYS = (
    "items", "correct_by", "party", "to", "lapsed", "method", "amount", "pages", "days", "approved_by", "reason",
    "until", "outcome", "responsible_agency", "kind", "result", "event_id", "comment",
)

# The order steps are offered in: the usual next step first.
ACTION_ORDER = (
    "decide", "submit", "approve", "sign", "deliver", "return", "request-correction", "correction-received",
    "consult", "consult-answered", "fee-notice", "fee-paid", "extend", "delay", "correction-lapsed", "fee-lapsed",
    "withdraw", "remedy", "reopen", "correct-date",
)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "text"  # text | date | int | choice | bool
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (label, value)
    placeholder: str = ""


def _choices(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((label, code) for code, label in labels.items())


ON_LABELS = {
    "request-correction": "告知日期",
    "correction-received": "收到补正日期",
    "correction-lapsed": "认定日期",
    "consult": "发出征求意见日期",
    "consult-answered": "收到意见日期",
    "fee-notice": "通知日期",
    "fee-paid": "缴费日期",
    "fee-lapsed": "认定日期",
    "extend": "批准日期",
    "delay": "告知日期",
    "decide": "拟定日期",
    "submit": "提交日期",
    "approve": "审核日期",
    "return": "退回日期",
    "sign": "签发日期",
    "deliver": "送达日期",
    "withdraw": "撤回日期",
    "remedy": "日期（申请/起诉或结果）",
    "reopen": "重新打开日期",
    "correct-date": "更正后的日期",
}

ACTION_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "request-correction": (
        FieldSpec("items", "需要补正的事项", required=True, placeholder="如：请明确所需信息的名称或文号"),
        FieldSpec("correct_by", "补正期限", "date", required=True, placeholder="YYYY-MM-DD（合理期限）"),
    ),
    "consult": (
        FieldSpec("party", "征求对象类型", "choice", required=True,
                  choices=(("第三方（第三十二条）", "third_party"), ("其他机关（第三十四条）", "agency"))),
        FieldSpec("to", "征求意见对象", required=True, placeholder="第三方或机关名称"),
    ),
    "consult-answered": (FieldSpec("lapsed", "期满未答复（15个工作日）", "bool"),),
    "fee-notice": (
        FieldSpec("method", "计收方式", "choice", required=True,
                  choices=(("按件计收", "per_request"), ("按量计收", "per_page"))),
        FieldSpec("pages", "页数（按量计收）", "int"),
        FieldSpec("amount", "金额（元）", "int", placeholder="留空则按标准计算"),
    ),
    "fee-paid": (FieldSpec("amount", "实缴金额（元）", "int", placeholder="留空则为通知金额"),),
    "extend": (
        FieldSpec("days", "延长工作日数", "int", required=True),
        FieldSpec("approved_by", "批准的负责人", required=True),
        FieldSpec("reason", "延期理由", required=True),
    ),
    "delay": (
        FieldSpec("until", "确定的答复日期", "date", required=True),
        FieldSpec("reason", "延迟理由", required=True),
    ),
    "decide": (
        FieldSpec("outcome", "办理结果", "choice", required=True, choices=_choices(OUTCOME_SHORT_LABELS)),
        FieldSpec("reason", "理由", placeholder="不予公开、部分公开等须说明理由"),
        FieldSpec("responsible_agency", "负责公开的机关", placeholder="第三十六条第五项时填写"),
    ),
    "return": (FieldSpec("comment", "退回意见", required=True),),
    "deliver": (
        FieldSpec("method", "送达方式", "choice", choices=_choices(DELIVERY_METHOD_LABELS)),
    ),
    "remedy": (
        FieldSpec("kind", "类型", "choice", required=True, choices=_choices(REMEDY_KINDS)),
        FieldSpec("result", "结果", "choice", required=True, choices=_choices(REMEDY_RESULTS)),
    ),
    "reopen": (FieldSpec("reason", "重新打开的理由", required=True),),
    "correct-date": (
        FieldSpec("event_id", "要更正的记录", "choice", required=True),
        FieldSpec("reason", "更正理由", required=True),
    ),
}

DEFAULTS: dict[tuple[str, str], str] = {
    ("consult", "party"): "third_party",
    ("fee-notice", "method"): "per_request",
    ("extend", "days"): "20",
    ("remedy", "result"): "pending",
}


def action_label(action: str) -> str:
    return STEPS[action].label if action in STEPS else action


def ordered_actions(actions: list[str], proposed_outcome: str | None = None) -> list[str]:
    """Steps in the order a clerk usually needs them; once an outcome is proposed, submitting comes first."""
    order = list(ACTION_ORDER)
    if proposed_outcome:
        order.remove("submit")
        order.insert(0, "submit")
    rank = {a: i for i, a in enumerate(order)}
    return sorted(actions, key=lambda a: rank.get(a, len(rank)))


@dataclass
class ActionResult:
    """What the form hands back: the case after the step, or the conflict that stopped it."""

    view: dict[str, Any] | None = None
    conflict: str = ""
    notes: list[str] = field(default_factory=list)


class ActionForm(ModalScreen[ActionResult | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "确定", priority=True, id="action.save"),
        Binding("escape", "cancel", "取消", id="action.cancel"),
    ]

    class Done(Message):
        def __init__(self, result: ActionResult) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, view: dict[str, Any], action: str) -> None:
        super().__init__(classes="dialog form-dialog")
        self.view = view
        self.action = action
        self._busy = False

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def _field_widget(self, spec: FieldSpec) -> Widget:
        wid = f"o-{spec.key}"
        default = DEFAULTS.get((self.action, spec.key), "")
        if spec.kind == "bool":
            return Checkbox(spec.label, id=wid, compact=True)
        if spec.kind == "choice":
            choices = list(spec.choices)
            if spec.key == "event_id":
                choices = [
                    (f"{e['on']} {action_label(e['action'])}（{e['by']}）", str(e["id"]))
                    for e in self.view["events"] if e["action"] != "correct-date"
                ]
            if self.action == "deliver" and spec.key == "method":
                default = self.view.get("delivery") or ""
            return Select(choices, id=wid, compact=True, prompt="（请选择）" if spec.required else "（未指定）",
                          value=default if default else Select.NULL)
        restrict = r"[0-9]*" if spec.kind == "int" else None
        placeholder = spec.placeholder or ("YYYY-MM-DD" if spec.kind == "date" else "")
        return Input(value=default, id=wid, compact=True, placeholder=placeholder, restrict=restrict)

    def compose(self) -> ComposeResult:
        v = self.view
        title = f"{v['number']}　{action_label(self.action)}"
        with Vertical(classes="dialog-box form-box action-box"):
            yield Label(title, classes="dialog-title")
            yield Static(Text(f"当前阶段：{v['stage_label']}　日期可写 2025-03-03、2025/3/3 或 2025年3月3日", style="dim"))
            with VerticalScroll(id="action-body"):
                on_label = Text(ON_LABELS.get(self.action, "日期")).append(" *", style="bold red")
                yield Horizontal(Label(on_label, classes="field-label"),
                                 Input(value=self.ctx.today().isoformat(), id="o-on", compact=True,
                                       placeholder="YYYY-MM-DD"), classes="field-row")
                for spec in ACTION_FIELDS.get(self.action, ()):
                    if spec.kind == "bool":
                        yield Horizontal(Label("", classes="field-label"), self._field_widget(spec),
                                         classes="field-row")
                        continue
                    label = Text(spec.label)
                    if spec.required:
                        label.append(" *", style="bold red")
                    yield Horizontal(Label(label, classes="field-label"), self._field_widget(spec),
                                     classes="field-row")
                if self.action != "return":
                    yield Horizontal(Label("备注", classes="field-label"),
                                     Input(id="o-note", compact=True), classes="field-row")
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定（Ctrl+S）", id="save", variant="primary")
                yield Button("取消（Esc）", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        first = self.query("#action-body Input, #action-body Select, #action-body Checkbox")
        widgets = list(first)
        # Start on the first field after the date (the date is usually today).
        (widgets[1] if len(widgets) > 1 else widgets[0]).focus()

    def _read(self) -> tuple[str, dict[str, Any], str]:
        """(on, options, comment); raises ValueError with a Chinese message for a non-number."""
        on = self.query_one("#o-on", Input).value.strip()
        options: dict[str, Any] = {k: None for k in OPTION_KEYS}
        options["lapsed"] = False
        for spec in ACTION_FIELDS.get(self.action, ()):
            widget = self.query_one(f"#o-{spec.key}")
            if isinstance(widget, Checkbox):
                options[spec.key] = widget.value
            elif isinstance(widget, Select):
                options[spec.key] = None if widget.value is Select.NULL else str(widget.value)
                if spec.key == "event_id" and options[spec.key] is not None:
                    options[spec.key] = int(options[spec.key])
            elif isinstance(widget, Input):
                text = widget.value.strip()
                if spec.kind == "int":
                    if text and not text.isdigit():
                        raise ValueError(f"{spec.label}“{text}”不是整数")
                    options[spec.key] = int(text) if text else None
                else:
                    options[spec.key] = text or None
        if self.action == "return":
            comment = options["comment"] or ""
        else:
            comment = self.query_one("#o-note", Input).value.strip()
            options["comment"] = comment
        return on, options, comment

    def action_save(self) -> None:
        if self._busy:
            return
        try:
            on, options, comment = self._read()
        except ValueError as exc:
            self._error(str(exc))
            return
        self._busy = True
        self.query_one("#save", Button).disabled = True
        step = cases.StepInput(action=self.action, on=on, comment=comment, options=options,
                               expect_version=self.view["version"])
        self.run_step(step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="action")
    def run_step(self, step: cases.StepInput) -> None:
        try:
            view = cases.act(self.ctx, self.view["number"], step, self.view["agency"])
        except Conflict as exc:
            self.post_message(self.Done(ActionResult(conflict=exc.message)))
            return
        except ServiceError as exc:
            self.post_message(self.Failed(exc.message))
            return
        except Exception as exc:  # noqa: BLE001
            self.app.post_message(ServiceFailed(exc, action_label(self.action)))
            self.post_message(self.Failed(error_text(exc)))
            return
        notes = []
        last = (view.get("events") or [{}])[-1].get("data") or {}
        if last.get("hint"):
            notes.append(str(last["hint"]))
        if last.get("late"):
            notes.append("注意：补正告知晚于收到申请后第7个工作日（《条例》第三十条）")
        if last.get("breakdown"):
            notes.append("收费计算：" + "；".join(map(str, last["breakdown"])))
        self.post_message(self.Done(ActionResult(view=view, notes=notes)))

    def on_action_form_done(self, message: Done) -> None:
        self.dismiss(message.result)

    def on_action_form_failed(self, message: Failed) -> None:
        self._busy = False
        self.query_one("#save", Button).disabled = False
        self._error(message.error)

    def _error(self, text: str) -> None:
        widget = self.query_one("#form-error", Static)
        widget.update(Text(text, style="bold red"))
        widget.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
