"""One step on a case: a form built from the step's options (domain/step_options.py, the same table the command
line reads), sent to `cases.act` in a worker with the version the clerk saw, so a concurrent change comes back as
a conflict instead of being overwritten.

The decide form shows exactly the fields the chosen outcome needs (domain/decision.OUTCOME_FIELDS); steps that
close a case ask for confirmation; Esc on a form with something typed in asks before discarding it.
"""

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
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from zwgk_tui.domain.codes import DELIVERY_TO_SERVICE
from zwgk_tui.domain.decision import OUTCOME_FIELDS, OUTCOME_REQUIRED_FIELDS
from zwgk_tui.domain.evidence import OUTCOME_GROUND
from zwgk_tui.domain.step_options import (
    CLOSING_STEPS,
    COMMENT_REQUIRED,
    ON_LABELS,
    STEP_OPTIONS,
    Opt,
    option_specs,
)
from zwgk_tui.domain.workflow import STEPS
from zwgk_tui.services import cases
from zwgk_tui.services.errors import Conflict, ServiceError
from zwgk_tui.services.steps import STEP_TABLE
from zwgk_tui.tui.common import ServiceFailed, error_text, service_text
from zwgk_tui.tui.screens.dialogs import ConfirmDialog
from zwgk_tui.tui.widgets.chrome import ClerkFooter

# The order steps are offered in: the usual next step first.
ACTION_ORDER = (
    "decide", "submit", "approve", "sign", "deliver", "return", "request-correction", "correction-received",
    "consult", "consult-answered", "fee-notice", "fee-paid", "served", "withdraw", "explanation-request",
    "explanation-answered", "extend", "delay", "correction-lapsed", "fee-lapsed", "amend", "remedy", "reopen",
    "correct-date",
)

# How many entries a repeatable option offers on the form (the command line takes any number).
MULTI_ROWS = 3

DEFAULTS: dict[tuple[str, str], str] = {
    ("consult", "party"): "third_party",
    ("fee-notice", "method"): "per_request",
    ("extend", "days"): "20",
    ("request-correction", "correct_days"): "15",
    ("explanation-request", "answer_days"): "15",
}

CLOSING_QUESTIONS = {
    "deliver": "送达后案件即办结，办理结果和办结日期计入年度报告。",
    "withdraw": "申请人撤回后案件即办结（其他处理·其他）。",
    "correction-lapsed": "认定逾期不补正后案件即办结，不再处理该申请。",
    "fee-lapsed": "认定逾期未缴费后案件即办结，不再处理该申请。",
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
        self.specs: list[tuple[str, Opt]] = option_specs(STEP_OPTIONS[action])
        self._busy = False
        self._initial: dict[str, Any] = {}

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    # -- building ----------------------------------------------------------------------------------------------
    def _default(self, name: str) -> str:
        if self.action == "deliver" and name == "method":
            return DELIVERY_TO_SERVICE.get(self.view.get("delivery") or "", "")
        return DEFAULTS.get((self.action, name), "")

    def _widget(self, name: str, spec: Opt, index: int | None = None) -> Widget:
        wid = f"o-{name}" if index is None else f"o-{name}-{index}"
        default = self._default(name) if index in (None, 0) else ""
        if spec.kind == "bool":
            return Checkbox(spec.label, id=wid, compact=True)
        if spec.kind in ("choice", "multichoice") or name in ("event", "proceeding"):
            choices = [(label, code) for code, label in spec.choices.items()]
            if name == "proceeding":  # the case's proceedings, by number (a new one: leave it empty)
                choices = [(f"#{p['id']} {p['kind_label']}（{p['filed_on']} 提起，{p['result_label']}）", str(p["id"]))
                           for p in self.view.get("proceedings") or []]
                prompt = "（新登记）"
                return Select(choices, id=wid, compact=True, prompt=prompt, value=Select.NULL)
            if name == "event":
                choices = [
                    (f"{e['on']} {action_label(e['action']) if e['action'] != 'register' else '登记'}（{e['by']}）",
                     str(e["id"])) for e in self.view["events"] if e["action"] not in ("correct-date", "amend")
                ]
            prompt = "（请选择）" if spec.required else "（未指定）"
            return Select(choices, id=wid, compact=True, prompt=prompt, value=default if default else Select.NULL)
        restrict = r"[0-9]*" if spec.kind == "int" else None
        placeholder = spec.placeholder or ("YYYY-MM-DD" if spec.kind == "date" else "")
        if self.action == "amend":
            placeholder = self._current_value(name) or placeholder
        return Input(value=default, id=wid, compact=True, placeholder=placeholder, restrict=restrict)

    def _current_value(self, name: str) -> str:
        ap = self.view.get("applicant") or {}
        current = {"applicant": ap.get("name"), "phone": ap.get("phone"), "email": ap.get("email"),
                   "id_number": ap.get("id_number"), "address": ap.get("address"), "postcode": ap.get("postcode"),
                   "content": self.view.get("content"), "items": str(self.view.get("item_count") or "")}
        value = current.get(name) or ""
        return f"现为：{value}" if value else ""

    def _label(self, spec: Opt, required: bool, suffix: str = "") -> Text:
        label = Text(spec.label + suffix)
        if required:
            label.append(" *", style="bold red")
        return label

    def compose(self) -> ComposeResult:
        v = self.view
        title = f"{v['number']}　{action_label(self.action)}"
        with Vertical(classes="dialog-box form-box action-box"):
            yield Label(title, classes="dialog-title")
            yield Static(Text(f"当前阶段：{v['stage_label']}　日期可写 2025-03-03、2025/3/3 或 2025年3月3日",
                              style="dim"))
            with VerticalScroll(id="action-body"):
                # A step dated by what it records (remedy: the filing, the decision …) may leave the date empty.
                optional_on = STEP_TABLE[self.action].default_on is not None
                on_label = Text(ON_LABELS.get(self.action, "日期"))
                if not optional_on:
                    on_label.append(" *", style="bold red")
                yield Horizontal(Label(on_label, classes="field-label"),
                                 Input(value="" if optional_on else self.ctx.today().isoformat(), id="o-on",
                                       compact=True,
                                       placeholder="可不填：以所记录的日期为准" if optional_on else "YYYY-MM-DD"),
                                 classes="field-row")
                specs = dict(self.specs)
                for name, spec in self.specs:
                    if name == "ground" and "withheld" in specs:
                        continue  # shown beside each withheld part
                    if spec.kind == "bool":
                        yield Horizontal(Label("", classes="field-label"), self._widget(name, spec),
                                         classes="field-row", id=f"row-{name}")
                        continue
                    if spec.kind in ("multi", "multichoice"):
                        for i in range(MULTI_ROWS):
                            widgets = [self._widget(name, spec, i)]
                            if name == "withheld" and "ground" in specs:
                                widgets.append(self._widget("ground", specs["ground"], i))
                            yield Horizontal(Label(self._label(spec, spec.required and i == 0, f" {i + 1}"),
                                                   classes="field-label"), *widgets,
                                             classes="field-row", id=f"row-{name}-{i}")
                        continue
                    yield Horizontal(Label(self._label(spec, spec.required), classes="field-label"),
                                     self._widget(name, spec), classes="field-row", id=f"row-{name}")
                if self.action in COMMENT_REQUIRED:
                    label = Text("退回意见").append(" *", style="bold red")
                else:
                    label = Text("审核意见" if self.action == "approve" else "备注")
                yield Horizontal(Label(label, classes="field-label"), Input(id="o-note", compact=True),
                                 classes="field-row")
            yield Static("", id="form-hint")
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定（Ctrl+S）", id="save", variant="primary")
                yield Button("取消（Esc）", id="cancel")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#form-hint").display = False
        if self.action == "decide":
            self._show_outcome_fields(None)
        widgets = [w for w in self.query("#action-body Input, #action-body Select, #action-body Checkbox")
                   if w.display and (w.parent is None or w.parent.display)]
        # Start on the first field after the date (the date is usually today).
        (widgets[1] if len(widgets) > 1 else widgets[0]).focus()
        self._initial = self._values()

    # -- the decide form follows the outcome --------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if self.action == "decide" and event.select.id == "o-outcome":
            outcome = None if event.value is Select.NULL else str(event.value)
            self._show_outcome_fields(outcome)

    def _show_outcome_fields(self, outcome: str | None) -> None:
        wanted = set(OUTCOME_FIELDS.get(outcome or "", ()))
        required = set(OUTCOME_REQUIRED_FIELDS.get(outcome or "", ()))
        for name, spec in self.specs:
            if name in ("outcome", "ground"):
                continue
            rows = ([f"row-{name}-{i}" for i in range(MULTI_ROWS)] if spec.kind in ("multi", "multichoice")
                    else [f"row-{name}"])
            for i, row_id in enumerate(rows):
                for row in self.query(f"#{row_id}"):
                    row.display = name in wanted
                    label = row.query_one(Label)
                    label.update(self._label(spec, name in required and i == 0,
                                             f" {i + 1}" if len(rows) > 1 else ""))
        hint = self.query_one("#form-hint", Static)
        if outcome in OUTCOME_GROUND:
            hint.update(Text("不予公开的理由即办理结果本身；请填写所需证据（带 * 者必填）。", style="dim"))
            hint.display = True
        elif outcome == "partially_disclosed":
            hint.update(Text("逐项写明不予公开的部分，并为每项选择理由。", style="dim"))
            hint.display = True
        else:
            hint.display = False

    # -- reading ---------------------------------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for w in self.query("#action-body Input, #action-body Select, #action-body Checkbox"):
            if isinstance(w, Select):
                out[w.id or ""] = None if w.value is Select.NULL else w.value
            elif isinstance(w, (Input, Checkbox)):  # what the selector above matches
                out[w.id or ""] = w.value
        return out

    def _dirty(self) -> bool:
        now = self._values()
        return any(now.get(k) != self._initial.get(k) for k in now)

    def _read(self) -> tuple[str, dict[str, Any], str]:
        """(on, options by field name, comment). Hidden fields of the decide form are not sent."""
        on = self.query_one("#o-on", Input).value.strip()
        options: dict[str, Any] = {}
        for name, spec in self.specs:
            row = self.query(f"#row-{name}") or self.query(f"#row-{name}-0")
            if name not in ("outcome", "ground") and row and not row.first().display:
                continue
            if spec.kind in ("multi", "multichoice"):
                values = []
                for i in range(MULTI_ROWS):
                    widget = self.query_one(f"#o-{name}-{i}")
                    value: Any
                    if isinstance(widget, Select):
                        value = None if widget.value is Select.NULL else str(widget.value)
                    else:
                        assert isinstance(widget, Input)  # _widget builds a Select or an Input for a list
                        value = widget.value
                    values.append((value or "").strip() if isinstance(value, str) or value is None else value)
                options[name] = [x for x in values if x]
                continue
            widget = self.query_one(f"#o-{name}")
            if isinstance(widget, Checkbox):
                options[name] = widget.value
            elif isinstance(widget, Select):
                options[name] = None if widget.value is Select.NULL else str(widget.value)
            else:
                assert isinstance(widget, Input)  # _widget builds a Checkbox, a Select or an Input
                options[name] = widget.value.strip() or None
        if self.action == "decide" and "withheld" in options and "ground" in options:
            # Keep each withheld part with its own ground (an empty row drops both).
            pairs = [(self.query_one(f"#o-withheld-{i}", Input).value.strip(),
                      self.query_one(f"#o-ground-{i}", Select).value) for i in range(MULTI_ROWS)]
            options["withheld"] = [p for p, _ in pairs if p]
            options["ground"] = [str(g) for p, g in pairs if p and g is not Select.NULL] if options["withheld"] else []
        comment = self.query_one("#o-note", Input).value.strip()
        return on, options, comment

    # -- saving ----------------------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self._busy:
            return
        on, options, comment = self._read()
        if self.action in CLOSING_STEPS:
            question = [CLOSING_QUESTIONS.get(self.action, "此步骤将办结案件。"), f"日期：{on}", "确认办理？"]

            def answered(yes: bool | None) -> None:
                if yes:
                    self._submit(on, options, comment)

            self.app.push_screen(ConfirmDialog(f"{self.view['number']}　{action_label(self.action)}", question),
                                 answered)
            return
        self._submit(on, options, comment)

    def _submit(self, on: str, options: dict[str, Any], comment: str) -> None:
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
            self.post_message(self.Done(ActionResult(conflict=self.in_form_words(exc.message))))
            return
        except ServiceError as exc:
            self.post_message(self.Failed(exc.message))
            return
        except Exception as exc:
            self.app.post_message(ServiceFailed(exc, action_label(self.action)))
            self.post_message(self.Failed(error_text(exc)))
            return
        notes = [self.in_form_words(str(w)) for w in view.get("warnings") or []]
        self.post_message(self.Done(ActionResult(view=view, notes=notes)))

    def on_action_form_done(self, message: Done) -> None:
        self.dismiss(message.result)

    def on_action_form_failed(self, message: Failed) -> None:
        self._busy = False
        self.query_one("#save", Button).disabled = False
        self._error(message.error)

    def in_form_words(self, text: str) -> str:
        """A service message names command-line flags (--reply-date) and commands; in the form they are the fields'
        labels (this step's first) and the screens and keys that do the same."""
        return service_text(text, self.action)

    def _error(self, text: str) -> None:
        widget = self.query_one("#form-error", Static)
        widget.update(Text(self.in_form_words(text), style="bold red"))
        widget.display = True

    def action_cancel(self) -> None:
        if not self._dirty():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("放弃填写？", ["表单中已填写的内容将不会保存。"], yes="放弃（Y）",
                                           no="继续填写（N）"), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
