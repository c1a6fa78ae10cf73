"""One step on a case: a form built from the step's options (domain/step_options.py, the same table the command
line reads), sent to `cases.act` in a worker with the version the clerk saw, so a concurrent change comes back as
a conflict instead of being overwritten.

The decide form shows exactly the fields the chosen outcome needs (domain/decision.OUTCOME_FIELDS) and, for a
partial disclosure, the evidence each chosen ground needs (domain/grounds.GROUNDS); a hidden field keeps what was
typed in it but is not sent. A repeatable option (withheld parts with their grounds, searches) starts with one row
and takes any number more (Ctrl+N or the button under its rows), as the service does. Steps that close a case ask
for confirmation; Esc on a form with something typed in asks before discarding it.
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
from zwgk_tui.domain.evidence import GROUNDS, OUTCOME_GROUND
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

# How many rows a repeatable option starts with; Ctrl+N (or its button) adds more, without limit, as the command line
# takes any number.
INITIAL_ROWS = 1
ADD_LABELS = {"withheld": "＋ 再加一个不予公开的部分（Ctrl+N）", "searched": "＋ 再加一条检索记录（Ctrl+N）"}


def ground_evidence(ground: str) -> tuple[str, ...]:
    """The `decide` options that carry the evidence a ground needs (domain/decision.missing_ground_details reads
    the same: a responsible agency is named with its contact details)."""
    g = GROUNDS.get(ground)
    if g is None or g.detail_option is None:
        return ()
    if g.detail_option == "responsible_agency":
        return ("responsible_agency", "responsible_contact")
    return (g.detail_option,)


# Evidence options of a partial disclosure that are offered only for a ground that needs them ("reason" is the
# clerk's own reasons as well, and always offered).
EVIDENCE_FIELDS = frozenset(f for code in GROUNDS for f in ground_evidence(code)) - {"reason"}

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
        Binding("ctrl+n", "add_row", "再加一项", priority=True, id="action.add_row"),
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
        # Rows of each repeatable option now on the form (withheld carries ground beside it).
        self.rows: dict[str, int] = {name: INITIAL_ROWS for name, spec in self.specs
                                     if spec.kind in ("multi", "multichoice") and not self._paired(name)}

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

    def _paired(self, name: str) -> bool:
        """`ground` is shown beside each withheld part, not as a list of its own."""
        return name == "ground" and any(n == "withheld" for n, _ in self.specs)

    def _multi_row(self, name: str, spec: Opt, index: int, required: bool = False) -> Horizontal:
        widgets = [self._widget(name, spec, index)]
        if name == "withheld" and self._paired("ground"):
            widgets.append(self._widget("ground", dict(self.specs)["ground"], index))
        return Horizontal(Label(self._label(spec, required and index == 0, f" {index + 1}"), classes="field-label"),
                          *widgets, classes=f"field-row rows-{name}", id=f"row-{name}-{index}")

    def _add_button_row(self, name: str) -> Horizontal:
        return Horizontal(Label("", classes="field-label"),
                          Button(ADD_LABELS.get(name, "＋ 再加一项（Ctrl+N）"), id=f"add-{name}", compact=True,
                                 classes="add-row"),
                          classes="field-row", id=f"row-add-{name}")

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
                for name, spec in self.specs:
                    if self._paired(name):
                        continue  # shown beside each withheld part
                    if spec.kind == "bool":
                        yield Horizontal(Label("", classes="field-label"), self._widget(name, spec),
                                         classes="field-row", id=f"row-{name}")
                        continue
                    if spec.kind in ("multi", "multichoice"):
                        for i in range(self.rows[name]):
                            yield self._multi_row(name, spec, i, spec.required)
                        yield self._add_button_row(name)
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

    # Lines of the screen the form's fixed parts take: the footer, the box's border, title and stage line, the
    # buttons with the space above them; the hint and the error take at most their CSS max-height.
    FIXED_LINES = 9
    HINT_LINES = 2
    ERROR_LINES = 5
    BODY_MAX_LINES = 18

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#form-hint").display = False
        self._fit_body()
        if self.action == "decide":
            self._show_outcome_fields(None)
        widgets = [w for w in self.query("#action-body Input, #action-body Select, #action-body Checkbox")
                   if w.display and (w.parent is None or w.parent.display)]
        # Start on the first field after the date (the date is usually today).
        (widgets[1] if len(widgets) > 1 else widgets[0]).focus()
        self._initial = self._values()

    # -- the decide form follows the outcome and the grounds ------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if self.action == "decide" and (event.select.id == "o-outcome"
                                        or (event.select.id or "").startswith("o-ground-")):
            if event.select.id == "o-outcome":
                self.query_one("#form-error").display = False  # a refusal of the outcome chosen before
            self._show_outcome_fields(self._outcome())

    def _outcome(self) -> str | None:
        value = self.query_one("#o-outcome", Select).value
        return None if value is Select.NULL else str(value)

    def chosen_grounds(self) -> list[str]:
        """The grounds chosen beside the withheld parts, in order (empty rows left out)."""
        out = []
        for select in self.query(".rows-withheld Select"):
            assert isinstance(select, Select)  # the ground beside each withheld part
            if select.value is not Select.NULL:
                out.append(str(select.value))
        return out

    def outcome_fields(self, outcome: str | None) -> tuple[set[str], set[str]]:
        """(fields shown, fields marked required) for `outcome` with the grounds chosen now."""
        wanted = set(OUTCOME_FIELDS.get(outcome or "", ()))
        required = set(OUTCOME_REQUIRED_FIELDS.get(outcome or "", ()))
        if outcome == "partially_disclosed":
            evidence = {f for g in self.chosen_grounds() for f in ground_evidence(g)}
            wanted = (wanted - EVIDENCE_FIELDS) | evidence
            required |= evidence
        return wanted, required

    def _show_outcome_fields(self, outcome: str | None) -> None:
        wanted, required = self.outcome_fields(outcome)
        for name, spec in self.specs:
            if name == "outcome" or self._paired(name):
                continue
            if name in self.rows:
                for i, row in enumerate(self.query(f".rows-{name}")):
                    row.display = name in wanted
                    row.query_one(Label).update(self._label(spec, name in required and i == 0, f" {i + 1}"))
                self.query_one(f"#row-add-{name}").display = name in wanted
                continue
            for row in self.query(f"#row-{name}"):
                row.display = name in wanted
                row.query_one(Label).update(self._label(spec, name in required))
        hint = self.query_one("#form-hint", Static)
        if outcome in OUTCOME_GROUND:
            hint.update(Text("不予公开的理由即办理结果本身；请填写所需证据（带 * 者必填）。", style="dim"))
            hint.display = True
        elif outcome == "partially_disclosed":
            hint.update(Text("每个不予公开的部分选一个理由，Ctrl+N 再加一项；理由所需的证据随之列出。", style="dim"))
            hint.display = True
        else:
            hint.display = False
        self._fit_body()
        self.refresh_bindings()

    def on_resize(self) -> None:
        self._fit_body()

    def _fit_body(self) -> None:
        """The fields scroll within what the screen leaves once the fixed parts, the hint and the error are shown,
        so the buttons stay on screen at 80×24 (the keys Ctrl+S and Esc work regardless)."""
        reserved = self.FIXED_LINES
        if self.query_one("#form-hint").display:
            reserved += self.HINT_LINES
        if self.query_one("#form-error").display:
            reserved += self.ERROR_LINES
        lines = max(3, min(self.BODY_MAX_LINES, self.size.height - reserved))
        self.query_one("#action-body").styles.max_height = lines

    # -- more rows for a repeatable option ---------------------------------------------------------------------
    def _shown_lists(self) -> list[str]:
        return [name for name in self.rows if self.query_one(f"#row-add-{name}").display]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_row":
            return bool(self._shown_lists()) if self.is_mounted else False
        return True

    async def action_add_row(self, name: str | None = None) -> None:
        """Ctrl+N: one more row for the list the cursor is in (else the first list shown)."""
        shown = self._shown_lists()
        if name is None:
            focused = self.focused
            row = next((a for a in (focused.ancestors_with_self if focused else []) if isinstance(a, Horizontal)
                        and any(c.startswith("rows-") for c in a.classes)), None)
            in_list = next((c.removeprefix("rows-") for c in (row.classes if row else ()) if c.startswith("rows-")),
                           None)
            name = in_list if in_list in shown else (shown[0] if shown else None)
        if name is None or name not in self.rows:
            return
        spec = dict(self.specs)[name]
        index = self.rows[name]
        if spec.kind == "multichoice" and index >= len(spec.choices):
            self.notify(f"“{spec.label}”的可选项已全部列出", timeout=3)
            return
        self.rows[name] = index + 1
        row = self._multi_row(name, spec, index)
        await self.query_one("#action-body", VerticalScroll).mount(row, before=self.query_one(f"#row-add-{name}"))
        row.query("Input, Select").first().focus()

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
        # A row added since the form opened counts only once something is typed or chosen in it.
        return any(now.get(k) != self._initial.get(k) if k in self._initial else bool(now.get(k)) for k in now)

    def _read(self) -> tuple[str, dict[str, Any], str]:
        """(on, options by field name, comment). Hidden fields of the decide form are not sent."""
        on = self.query_one("#o-on", Input).value.strip()
        options: dict[str, Any] = {}
        # What the decide form shows follows the outcome and grounds chosen now (read from the fields themselves, not
        # from the rows' display, which may not have caught up with a choice made a moment ago).
        wanted = self.outcome_fields(self._outcome())[0] if self.action == "decide" else None
        for name, spec in self.specs:
            if wanted is not None and name not in ("outcome", "ground") and name not in wanted:
                continue
            if spec.kind in ("multi", "multichoice"):
                values = []
                for i in range(self.rows.get(name, self.rows.get("withheld", 0))):
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
                      self.query_one(f"#o-ground-{i}", Select).value) for i in range(self.rows["withheld"])]
            options["withheld"] = [p for p, _ in pairs if p]
            options["ground"] = [str(g) for p, g in pairs if p and g is not Select.NULL] if options["withheld"] else []
        elif self.action == "decide":
            options["ground"] = []  # grounds chosen beside withheld parts now hidden belong to another outcome
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
        widget.scroll_home(animate=False)
        self._fit_body()

    def action_cancel(self) -> None:
        if not self._dirty():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("放弃填写？", ["表单中已填写的内容将不会保存。"], yes="放弃（Y）",
                                           no="继续填写（N）"), answered)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif (event.button.id or "").startswith("add-"):
            await self.action_add_row((event.button.id or "").removeprefix("add-"))
        else:
            self.action_cancel()
