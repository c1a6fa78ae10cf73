"""The options of every case step, as typed dataclasses (one per step), with their command-line flags and labels.

The command line builds `case act`'s options from these classes and the terminal application builds its forms
from them, so both offer exactly what the service accepts. `parse_options` turns raw values (strings from the
command line or a form) into the typed dataclass, refusing bad values with a Chinese message naming the option.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

# The options' choice tables live in domain/codes.py: everyday commands read them without the step table.
from zwgk_tui.domain.codes import (
    CONSULT_PARTIES,
    CORRECTION_MISSING,
    FEE_METHODS,
    OUTCOME_SHORT_LABELS,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    SERVED_WHAT,
    SERVICE_METHOD_ALIASES,
    SERVICE_METHODS,
    THIRD_PARTY_TYPES,
    THIRD_PARTY_VIEWS,
)
from zwgk_tui.domain.evidence import GROUNDS
from zwgk_tui.domain.validation import (
    FEE_AMOUNT_MAX_YUAN,
    FieldLimit,
    ValidationError,
    check_field,
    parse_date,
)

OptKind = Literal["text", "date", "int", "choice", "bool", "multi", "multichoice"]



@dataclass(frozen=True)
class Opt:
    flag: str
    label: str
    kind: OptKind = "text"
    required: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    placeholder: str = ""
    help: str = ""
    # For "int": the lowest and highest value accepted (every count, day number and amount is non-negative; None
    # above: what a database INTEGER holds).
    minimum: int = 0
    maximum: int | None = None


def opt(flag: str, label: str, kind: OptKind = "text", *, required: bool = False,
        choices: Mapping[str, str] | None = None, aliases: Mapping[str, str] | None = None,
        placeholder: str = "", help: str = "", maximum: int | None = None) -> Any:
    """A dataclass field carrying its command-line flag and label; its default follows its kind."""
    meta = Opt(flag, label, kind, required, dict(choices or {}), dict(aliases or {}), placeholder, help,
               maximum=maximum)
    default: Any
    if kind in ("multi", "multichoice"):
        default = ()
    elif kind == "bool":
        default = False
    elif kind in ("date", "int"):
        default = None
    else:
        default = ""
    return field(default=default, metadata={"opt": meta})


@dataclass(frozen=True)
class StepOptions:
    """Base of every step's options."""


@dataclass(frozen=True)
class NoOptions(StepOptions):
    pass


@dataclass(frozen=True)
class RequestCorrectionOptions(StepOptions):
    items: str = opt("--items", "需要补正的事项", required=True, placeholder="如：请明确所需信息的名称、文号或时间范围")
    missing: tuple[str, ...] = opt("--missing", "申请欠缺的内容", "multichoice", choices=CORRECTION_MISSING,
                                   help="可重复：" + " ".join(CORRECTION_MISSING) + "；告知书据此写明补正的原因")
    correct_days: int | None = opt("--correct-days", "补正期限（收到告知书之日起的工作日数）", "int",
                                   placeholder="如 15")
    correct_by: date | None = opt("--correct-by", "补正期限（具体日期）", "date",
                                  help="旧写法：写明具体截止日期；建议改用 --correct-days")
    served: date | None = opt("--served", "送达日期（申请人收到之日）", "date",
                              help="已知时填写；也可以之后用 served 步骤记录")


@dataclass(frozen=True)
class CorrectionReceivedOptions(StepOptions):
    content: str = opt("--content", "补正后的申请内容", placeholder="申请人补正后的表述（答复书将引用）")


@dataclass(frozen=True)
class ExplanationRequestOptions(StepOptions):
    items: str = opt("--items", "需要说明的事项", required=True,
                     placeholder="如：请说明短期内大量申请的理由（第三十五条）")
    answer_days: int | None = opt("--answer-days", "说明期限（收到告知书之日起的工作日数）", "int", required=True,
                                  placeholder="如 15")
    served: date | None = opt("--served", "送达日期（申请人收到之日）", "date")


@dataclass(frozen=True)
class ExplanationAnsweredOptions(StepOptions):
    answer: str = opt("--answer", "申请人的说明", placeholder="申请人说明的理由")
    lapsed: bool = opt("--lapsed", "期满未说明", "bool")


@dataclass(frozen=True)
class ConsultOptions(StepOptions):
    party: str = opt("--party", "征求对象类型", "choice", choices=CONSULT_PARTIES)
    to: str = opt("--to", "征求意见对象", required=True, placeholder="第三方或机关名称")
    to_type: str = opt("--to-type", "第三方类型（称呼）", "choice", choices=THIRD_PARTY_TYPES,
                       help="自然人称“您”，法人或者其他组织称“贵单位”；不填时按名称推断")
    served: date | None = opt("--served", "送达日期（对方收到之日）", "date")


@dataclass(frozen=True)
class ConsultAnsweredOptions(StepOptions):
    lapsed: bool = opt("--lapsed", "期满未提出意见（15个工作日）", "bool")
    view: str = opt("--view", "对方意见", "choice", choices=THIRD_PARTY_VIEWS)
    opinion: str = opt("--opinion", "意见内容", placeholder="对方书面意见的要点")


@dataclass(frozen=True)
class ServedOptions(StepOptions):
    what: str = opt("--what", "送达的文书", "choice", required=True, choices=SERVED_WHAT)


@dataclass(frozen=True)
class FeeNoticeOptions(StepOptions):
    method: str = opt("--method", "计收方式", "choice", choices=FEE_METHODS)
    pages: int | None = opt("--pages", "页数（按量计收）", "int")
    amount: int | None = opt("--amount", "金额（元）", "int", placeholder="留空则按标准计算",
                             maximum=FEE_AMOUNT_MAX_YUAN)
    served: date | None = opt("--served", "送达日期（申请人收到之日）", "date")


@dataclass(frozen=True)
class FeePaidOptions(StepOptions):
    amount: int | None = opt("--amount", "实缴金额（元）", "int", placeholder="留空则为通知金额",
                             maximum=FEE_AMOUNT_MAX_YUAN)


@dataclass(frozen=True)
class ExtendOptions(StepOptions):
    days: int | None = opt("--days", "延长工作日数", "int", required=True, placeholder="不超过20")
    approved_by: str = opt("--approved-by", "批准的负责人", required=True)
    reason: str = opt("--reason", "延期理由", required=True)


@dataclass(frozen=True)
class DelayOptions(StepOptions):
    until: date | None = opt("--until", "确定的答复日期", "date", required=True)
    reason: str = opt("--reason", "延迟理由", required=True)


@dataclass(frozen=True)
class DecideOptions(StepOptions):
    # Field order is the form's order: what the outcome is, what is withheld and on what evidence, then how the
    # information is provided, and the clerk's own reasons last.
    outcome: str = opt("--outcome", "办理结果", "choice", required=True, choices=OUTCOME_SHORT_LABELS)
    provided: str = opt("--provided", "予以公开的部分", placeholder="如：项目清单", help="部分公开时")
    withheld: tuple[str, ...] = opt("--withheld", "不予公开的部分", "multi", placeholder="如：中标价格",
                                    help="可重复，每项对应一个 --ground")
    ground: tuple[str, ...] = opt("--ground", "理由", "multichoice", choices={c: g.label for c, g in GROUNDS.items()},
                                  help="不予公开的理由代码，可重复：" + " ".join(GROUNDS))
    secret_marking: str = opt("--secret-marking", "密级和保密期限", placeholder="如：机密★10年")
    kind_of_info: str = opt("--kind-of-info", "信息种类", placeholder="如：请示报告、人事管理信息、调查笔录")
    searched: tuple[str, ...] = opt("--searched", "检索记录", "multi",
                                    placeholder="范围|检索词|检索人|日期，如：本局档案室|清单|李四|2025-03-12",
                                    help="“范围|检索词|检索人|日期”，可重复")
    already_published: str = opt("--already-published", "已主动公开的位置",
                                 placeholder="如：本局门户网站“政府信息公开—重点领域”栏目",
                                 help="第三十六条第（一）项")
    published_on: date | None = opt("--published-on", "主动公开日期", "date")
    responsible_agency: str = opt("--responsible-agency", "负责公开的机关", help="第三十六条第（五）项")
    responsible_contact: str = opt("--responsible-contact", "负责机关联系方式", placeholder="电话或地址")
    responsible_unknown: str = opt("--responsible-unknown", "无法确定负责机关的原因")
    public_interest: str = opt("--public-interest", "公共利益理由", help="第三方不同意公开而决定公开时")
    earlier: str = opt("--earlier", "此前答复的案件编号", help="重复申请")
    provision: str = opt("--provision", "提供方式", placeholder="如：现以电子邮件方式向您提供", help="第四十条")
    reason: str = opt("--reason", "理由", placeholder="不予公开、不予处理等须说明理由")


@dataclass(frozen=True)
class DeliverOptions(StepOptions):
    method: str = opt("--method", "送达方式", "choice", choices=SERVICE_METHODS, aliases=SERVICE_METHOD_ALIASES)
    tracking: str = opt("--tracking", "邮件号码（邮寄时）")
    reply_number: str = opt("--reply-number", "系统外制作的答复书文号")
    reply_date: date | None = opt("--reply-date", "系统外答复书的成文日期", "date")


@dataclass(frozen=True)
class RemedyOptions(StepOptions):
    """A proceeding: `--kind K --filed D` creates one (its number is printed); `--proceeding N …` updates it.
    The 0.1 spelling `--kind K --result R --on D` still works where it is unambiguous (spec 07)."""

    proceeding: int | None = opt("--proceeding", "已登记的复议/诉讼", "int",
                                 help="更新已登记的复议、诉讼（编号见 case show）；新登记时不填")
    kind: str = opt("--kind", "类型（新登记）", "choice", choices=REMEDY_KINDS)
    filed: date | None = opt("--filed", "申请/起诉日期", "date")
    copy_received: date | None = opt("--copy-received", "收到副本日期", "date",
                                     help="收到行政复议申请书副本或起诉状副本之日：答复（答辩）期限自该日起算")
    simplified: bool = opt("--simplified", "复议适用简易程序（答复期限5个工作日）", "bool")
    accepted: date | None = opt("--accepted", "复议受理日期", "date")
    extended: bool = opt("--extended", "复议机关决定延长审理期限（30日）", "bool")
    answered: date | None = opt("--answered", "答复/答辩提交日期", "date",
                                help="提交书面答复（答辩状）和证据、依据之日")
    result: str = opt("--result", "结果", "choice", choices=REMEDY_RESULTS)
    decided: date | None = opt("--decided", "审结日期", "date",
                                help="收到复议决定书、判决书或裁定书之日")
    disclose_order: bool = opt("--disclose-order", "决定或判决责令公开（履行期限20个工作日）", "bool")
    complied: date | None = opt("--complied", "按决定公开日期", "date")
    opinion_received: date | None = opt("--opinion-received", "收到复议意见书日期", "date",
                                        help="自收到之日起60日内报送纠正情况")
    reported: date | None = opt("--reported", "报送纠正情况日期", "date")


@dataclass(frozen=True)
class ReopenOptions(StepOptions):
    reason: str = opt("--reason", "重新打开的理由", required=True)


@dataclass(frozen=True)
class CorrectDateOptions(StepOptions):
    event: int | None = opt("--event", "要更正的记录编号", "int", required=True)
    reason: str = opt("--reason", "更正理由", required=True)


@dataclass(frozen=True)
class AmendOptions(StepOptions):
    reason: str = opt("--reason", "更正理由", required=True)
    applicant: str = opt("--applicant", "申请人姓名或名称")
    id_number: str = opt("--id-number", "身份证号码或统一社会信用代码")
    phone: str = opt("--phone", "联系电话")
    email: str = opt("--email", "电子邮箱")
    address: str = opt("--address", "通信地址")
    postcode: str = opt("--postcode", "邮政编码")
    content: str = opt("--content", "申请内容")
    items: int | None = opt("--items", "申请事项数", "int")


STEP_OPTIONS: dict[str, type[StepOptions]] = {
    "request-correction": RequestCorrectionOptions,
    "correction-received": CorrectionReceivedOptions,
    "correction-lapsed": NoOptions,
    "explanation-request": ExplanationRequestOptions,
    "explanation-answered": ExplanationAnsweredOptions,
    "consult": ConsultOptions,
    "consult-answered": ConsultAnsweredOptions,
    "served": ServedOptions,
    "fee-notice": FeeNoticeOptions,
    "fee-paid": FeePaidOptions,
    "fee-lapsed": NoOptions,
    "extend": ExtendOptions,
    "delay": DelayOptions,
    "decide": DecideOptions,
    "submit": NoOptions,
    "approve": NoOptions,
    "return": NoOptions,
    "sign": NoOptions,
    "deliver": DeliverOptions,
    "withdraw": NoOptions,
    "remedy": RemedyOptions,
    "reopen": ReopenOptions,
    "correct-date": CorrectDateOptions,
    "amend": AmendOptions,
}

# What `--on` means for each step (form labels; the command line says it in --help).
ON_LABELS: dict[str, str] = {
    "request-correction": "告知日期",
    "correction-received": "收到补正日期",
    "correction-lapsed": "认定日期",
    "explanation-request": "告知日期",
    "explanation-answered": "收到说明（或认定期满）日期",
    "consult": "发出征求意见日期",
    "consult-answered": "收到意见日期",
    "served": "对方收到之日",
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
    "deliver": "送达日期（邮寄为交邮之日）",
    "withdraw": "撤回日期",
    "remedy": "记录日期",
    "reopen": "重新打开日期",
    "correct-date": "更正后的日期",
    "amend": "更正日期",
}

# Steps that end a case: the terminal application asks for confirmation first.
CLOSING_STEPS = frozenset({"deliver", "withdraw", "correction-lapsed", "fee-lapsed"})

# Steps whose date records a fact about the past or about a record rather than the next step of the case: they
# are not held to the order of the round (and do not move it).
ORDER_EXEMPT_STEPS = frozenset({"correct-date", "remedy", "amend", "served",
                                "proactive"})  # proactive: recorded by services/office.py, not a step

# Steps whose comment is required (the opinion of a return).
COMMENT_REQUIRED = {"return": "退回须写明意见：--comment “退回理由”"}


def option_specs(cls: type[StepOptions]) -> list[tuple[str, Opt]]:
    """(field name, Opt) for each option of a step, in declaration order."""
    return [(f.name, f.metadata["opt"]) for f in dataclasses.fields(cls) if "opt" in f.metadata]


def option_help(name: str) -> str:
    """What a flag means in each step that takes it: "request-correction：需要补正的事项；amend：申请事项数"."""
    by_label: dict[str, list[str]] = {}
    for action, cls in STEP_OPTIONS.items():
        for field_name, spec in option_specs(cls):
            if field_name == name:
                by_label.setdefault(_label_with_help(spec), []).append(action)
    return "；".join(f"{'、'.join(actions)}：{label}" for label, actions in by_label.items())


def _label_with_help(spec: Opt) -> str:
    return f"{spec.label}（{spec.help}）" if spec.help else spec.label


def all_option_specs() -> dict[str, tuple[Opt, list[str]]]:
    """Every field name used by any step → (its first Opt, the steps using it). The command line offers one flag
    per field name; a flag shared by several steps means the same kind of value in each."""
    out: dict[str, tuple[Opt, list[str]]] = {}
    for action, cls in STEP_OPTIONS.items():
        for name, spec in option_specs(cls):
            if name in out:
                out[name][1].append(action)
            else:
                out[name] = (spec, [action])
    return out


def _is_blank(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not any(not _is_blank(v) for v in value)
    return False


def _convert(name: str, spec: Opt, value: Any) -> Any:
    if spec.kind == "bool":
        return bool(value)
    if spec.kind in ("multi", "multichoice"):
        items = value if isinstance(value, (list, tuple)) else [value]
        texts = tuple(str(v).strip() for v in items if v is not None and str(v).strip())
        if spec.kind == "multichoice":
            return tuple(_choice(spec, t) for t in texts)
        return texts
    if spec.kind == "date":
        if isinstance(value, date):
            return value
        return parse_date(str(value), f"{spec.flag}（{spec.label}）", name)
    if spec.kind == "int":
        if isinstance(value, bool):
            raise ValidationError(f"{spec.flag}（{spec.label}）应为整数", name)
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            try:
                number = int(text)
            except ValueError:
                raise ValidationError(f"{spec.flag}（{spec.label}）“{text}”不是整数", name) from None
        check_field(name, number, FieldLimit(f"{spec.flag}（{spec.label}）", min_value=spec.minimum,
                                             max_value=spec.maximum))
        return number
    if spec.kind == "choice":
        return _choice(spec, str(value).strip())
    return str(value).strip()


def _choice(spec: Opt, text: str) -> str:
    text = spec.aliases.get(text, text)
    if text not in spec.choices:
        listed = "、".join(f"{k}（{v}）" for k, v in spec.choices.items())
        raise ValidationError(f"{spec.flag}“{text}”无效，可选：{listed}", spec.flag)
    return text


def parse_options(action: str, raw: Mapping[str, Any]) -> StepOptions:
    """The typed options of `action` from raw values keyed by field name.

    Values for options the step does not take are refused (naming the step's own options), so a flag that would
    be silently ignored — a date meant for another step — never goes unnoticed. Blank values count as absent.
    """
    cls = STEP_OPTIONS[action]
    specs = dict(option_specs(cls))
    foreign = [k for k, v in raw.items() if k not in specs and not _is_blank(v)]
    if foreign:
        flags = {name: spec.flag for name, (spec, _) in all_option_specs().items()}
        given = "、".join(flags.get(k, k) for k in foreign)
        own = "、".join(s.flag for s in specs.values()) or "（无）"
        raise ValidationError(f"步骤 {action} 不接受选项 {given}。该步骤的选项：{own}", foreign[0])
    values: dict[str, Any] = {}
    missing = []
    for name, spec in specs.items():
        value = raw.get(name)
        if _is_blank(value):
            if spec.required:
                missing.append(f"{spec.flag}（{spec.label}）")
            continue
        values[name] = _convert(name, spec, value)
    if missing:
        raise ValidationError("缺少 " + "、".join(missing), "options")
    return cls(**values)
