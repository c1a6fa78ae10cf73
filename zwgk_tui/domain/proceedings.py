"""Proceedings after a reply (复议、诉讼) and the agency's own deadlines in them (spec 09), as data with citations.

A proceeding is a record with its dates (filed, copy received, accepted, answered, decided …). Each row of
DEADLINE_RULES says what falls due, from which of those dates, how long the period is (working days, or calendar
days moved past rest days at the end), which date fulfils it, and the law. `deadlines()` applies the table to one
proceeding; it explains each date the way the reply deadline is explained, one line per step, so a clerk can
check it against a printed calendar.

Periods: 复议法 Art. 88 ¶2 makes its "三日、五日、七日、十日" working days; longer periods are calendar days and,
when the last day is a rest day, end on the first working day after it (复议法 Art. 88 ¶1 and 行政诉讼法
Art. 101 apply the Civil Procedure Law's rules on periods). The first day of a period is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from zwgk_tui.domain.calendar import WorkCalendar, weekday_name
from zwgk_tui.domain.codes import REMEDY_KINDS, REMEDY_RESULTS
from zwgk_tui.domain.remedy import REMEDY_RULES, Clause, remedy_subject

FUYI = "《中华人民共和国行政复议法》"
XINGSU = "《中华人民共和国行政诉讼法》"
SPC_2025 = "法释〔2025〕8号"
ROLL_FORWARD = "期间届满的最后一日是法定休假日的，以休假日后的第一日为届满日期"

RECONSIDERATION = "reconsideration"
LITIGATION_KINDS = frozenset({"litigation_direct", "litigation_after_reconsideration"})

# The dates of a proceeding (the record's fields), with their labels.
FACT_LABELS: dict[str, str] = {
    "filed": "申请复议/起诉日期",
    "copy_received": "收到申请书副本/起诉状副本",
    "accepted": "复议机关受理",
    "answered": "提交答复（答辩）和证据",
    "decided": "收到复议决定书、判决书或裁定书",
    "complied": "按决定/判决公开",
    "opinion_received": "收到行政复议意见书",
    "reported": "报送纠正情况",
}


def fact_label(name: str, kind: str) -> str:
    """A date's label for this kind of proceeding (复议申请书副本 or 起诉状副本)."""
    if name == "copy_received":
        return "收到起诉状副本" if kind in LITIGATION_KINDS else "收到行政复议申请书副本"
    if name == "answered":
        return "提交答辩状和证据" if kind in LITIGATION_KINDS else "提交书面答复和证据"
    return FACT_LABELS[name]


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    what: str  # the clerk's label
    kinds: frozenset[str]
    start: str  # the fact the period runs from
    days: int
    working: bool  # working days (复议法 Art. 88 ¶2) or calendar days rolled past rest days
    done: str  # the fact that fulfils it
    basis: str
    own: bool = True  # the agency's own duty (False: the reviewing body's, shown for information)
    simplified: bool | None = None  # only for the simplified (True) or the ordinary (False) procedure
    needs_disclose_order: bool = False
    extension_days: int = 0  # added when the body extends its period
    consequence: str = ""


_ALL_KINDS = frozenset(REMEDY_KINDS)

DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        "answer", "提交书面答复和证据、依据", frozenset({RECONSIDERATION}), "copy_received", 10, True, "answered",
        FUYI + "第四十八条、第八十八条第二款", simplified=False,
        consequence="逾期未提交的，视为该行政行为没有证据、依据（" + FUYI + "第七十条）",
    ),
    DeadlineRule(
        "answer", "提交书面答复和证据、依据（简易程序）", frozenset({RECONSIDERATION}), "copy_received", 5, True,
        "answered", FUYI + "第五十四条、第八十八条第二款", simplified=True,
        consequence="逾期未提交的，视为该行政行为没有证据、依据（" + FUYI + "第七十条）",
    ),
    DeadlineRule(
        "defence", "提交答辩状和证据、规范性文件", LITIGATION_KINDS, "copy_received", 15, False, "answered",
        XINGSU + "第六十七条",
        consequence="不提供或者无正当理由逾期提供证据的，视为没有相应证据（" + XINGSU + "第三十四条第二款）",
    ),
    DeadlineRule(
        "decision", "复议机关作出决定的期限", frozenset({RECONSIDERATION}), "accepted", 60, False, "decided",
        FUYI + "第六十二条第一款", own=False, simplified=False, extension_days=30,
    ),
    DeadlineRule(
        "decision", "复议机关作出决定的期限（简易程序）", frozenset({RECONSIDERATION}), "accepted", 30, False,
        "decided",
        FUYI + "第六十二条第二款", own=False, simplified=True,
    ),
    DeadlineRule(
        "compliance", "按决定/判决公开政府信息", _ALL_KINDS, "decided", 20, True, "complied",
        SPC_2025 + "第十一条", needs_disclose_order=True,
    ),
    DeadlineRule(
        "opinion_report", "报送纠正情况（行政复议意见书）", frozenset({RECONSIDERATION}), "opinion_received", 60,
        False, "reported", FUYI + "第七十六条",
    ),
)

DEADLINE_LABELS: dict[str, str] = {r.code: r.what for r in DEADLINE_RULES}

# The record's columns, for the history of a proceeding's changes.
COLUMN_LABELS: dict[str, str] = {
    "filed_on": "申请/起诉日期", "copy_received_on": "收到副本", "simplified": "简易程序", "accepted_on": "受理",
    "extended": "延长审理期限", "answered_on": "提交答复/答辩", "result": "结果", "decided_on": "审结",
    "disclose_order": "责令公开", "complied_on": "已公开", "opinion_received_on": "收到复议意见书",
    "reported_on": "已报送纠正情况",
}


@dataclass(frozen=True)
class ProceedingFacts:
    """A proceeding as the deadlines need it (the fields of the record)."""

    kind: str
    filed: date
    result: str = "pending"
    copy_received: date | None = None
    simplified: bool = False
    accepted: date | None = None
    extended: bool = False
    answered: date | None = None
    decided: date | None = None
    disclose_order: bool = False
    complied: date | None = None
    opinion_received: date | None = None
    reported: date | None = None

    def fact(self, name: str) -> date | None:
        value = getattr(self, name)
        return value if isinstance(value, date) else None


@dataclass(frozen=True)
class ProceedingDeadline:
    code: str
    what: str
    due: date
    basis: str
    own: bool
    start: date
    done_on: date | None = None
    explanation: tuple[str, ...] = field(default_factory=tuple)

    @property
    def open(self) -> bool:
        return self.done_on is None

    def status(self, today: date) -> str:
        if self.done_on is not None:
            return "late" if self.done_on > self.due else "done"
        return "overdue" if today > self.due else "open"


def _fmt(d: date) -> str:
    return f"{d.isoformat()}（{weekday_name(d)}）"


def _span(a: date, b: date) -> str:
    if a == b:
        return _fmt(a)
    return f"{a.isoformat()} 至 {b.strftime('%m-%d') if a.year == b.year else b.isoformat()}"


def _rest_runs(cal: WorkCalendar, start: date, end: date) -> list[str]:
    """Lines for the named rest days (holidays) and make-up working days inside (start, end]."""
    lines: list[str] = []
    d = start + timedelta(days=1)
    run: list[date] = []

    def flush() -> None:
        if run:
            infos = [cal.day_info(x) for x in run]
            label = next((i.name for i in infos if i.kind == "holiday" and i.name), None)
            if label:
                n = f"，共{len(run)}天" if len(run) > 1 else ""
                lines.append(f"{_span(run[0], run[-1])} {label}，休息{n}。")
            run.clear()

    while d <= end:
        if cal.is_working_day(d):
            flush()
            if d.weekday() >= 5:
                lines.append(f"{_fmt(d)} 调休上班日，计入。")
        else:
            run.append(d)
        d += timedelta(days=1)
    flush()
    return lines


def period_end(cal: WorkCalendar, start: date, days: int, working: bool) -> tuple[date, list[str]]:
    """The last day of a period of `days` from `start` (the first day not counted), with its derivation."""
    if working:
        due = cal.nth_working_day_after(start, days)
        lines = [f"{_fmt(start)} 起算，自次日起第{days}个工作日为 {_fmt(due)}。"]
        lines += _rest_runs(cal, start, due)
        return due, lines
    nominal = start + timedelta(days=days)
    lines = [f"{_fmt(start)} 起算，自次日起第{days}日为 {_fmt(nominal)}。"]
    due = nominal
    if not cal.is_working_day(nominal):
        due = cal.next_working_day(nominal)
        info = cal.day_info(nominal)
        why = info.name or "休息日"
        lines.append(f"{_fmt(nominal)} 为{why}（休息日），顺延至休息日后的第一个工作日 {_fmt(due)}。")
    return due, lines


def _applies(rule: DeadlineRule, p: ProceedingFacts) -> bool:
    if p.kind not in rule.kinds:
        return False
    if rule.simplified is not None and rule.simplified != p.simplified:
        return False
    return not (rule.needs_disclose_order and not (p.disclose_order and p.result == "corrected"))


def deadlines(p: ProceedingFacts, cal: WorkCalendar) -> list[ProceedingDeadline]:
    """Every deadline of the proceeding whose starting date is known, in the order of the table."""
    out: list[ProceedingDeadline] = []
    for rule in DEADLINE_RULES:
        start = p.fact(rule.start)
        if start is None or not _applies(rule, p):
            continue
        days = rule.days + (rule.extension_days if p.extended else 0)
        due, lines = period_end(cal, start, days, rule.working)
        unit = "个工作日" if rule.working else "日"
        head = (f"自{fact_label(rule.start, p.kind)}之日（{start.isoformat()}）起{days}{unit}"
                + ("（含延长30日）" if p.extended and rule.extension_days else "") + f"，依据{rule.basis}。")
        explanation = [head, *lines]
        if not rule.working and len(lines) > 1:
            explanation.append(f"顺延依据：{FUYI}第八十八条第一款、{XINGSU}第一百零一条（适用民事诉讼法关于期间的规定）。")
        if rule.consequence:
            explanation.append(rule.consequence + "。")
        done = p.fact(rule.done)
        if done is not None:
            late = cal.working_days_between(due, done) if rule.working else (done - due).days
            verdict = "在期限内" if done <= due else f"超过期限{late}{'个工作日' if rule.working else '日'}"
            explanation.append(f"{_fmt(done)} {fact_label(rule.done, p.kind)}，{verdict}。")
        out.append(ProceedingDeadline(rule.code, rule.what, due, rule.basis, rule.own, start, done,
                                      tuple(explanation)))
    return out


def missing_dates(p: ProceedingFacts) -> list[str]:
    """What the clerk still has to record before a deadline can be computed (one line each)."""
    out = []
    if p.copy_received is None and p.answered is None:
        what = "答辩期限（15日）" if p.kind in LITIGATION_KINDS else "答复和举证期限（" + (
            "5" if p.simplified else "10") + "个工作日）"
        out.append(f"尚未记录收到{'起诉状' if p.kind in LITIGATION_KINDS else '复议申请书'}副本的日期"
                   f"（--copy-received），{what}自该日起算")
    if p.kind == RECONSIDERATION and p.accepted is None and p.result == "pending":
        out.append("尚未记录复议机关受理日期（--accepted），无法推算复议决定期限")
    if p.disclose_order and p.result == "corrected" and p.decided is None:
        out.append("尚未记录审结日期（--decided），履行期限自该日起算")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Result at a date (table 四 counts each proceeding as it stood on 31 December)


def result_as_of(result: str, decided_on: date | None, day: date) -> str:
    """The result as known on `day`: a proceeding decided after it was still pending then."""
    if result != "pending" and (decided_on is None or decided_on <= day):
        return result
    return "pending"


# ---------------------------------------------------------------------------------------------------------------
# Reconsideration first (复议法 Art. 23(1)(四); SPC 2025 Art. 1(二))


def reconsideration_first(outcome: str | None, grounds: Iterable[str] = ()) -> bool:
    """Whether the reply (outcome and the grounds of its withheld parts) is a refusal under Arts. 14–16, which
    must go to reconsideration before a suit: the same table the reply's remedy clause is taken from."""
    if not outcome:
        return False
    rule = REMEDY_RULES.get(remedy_subject("reply", outcome, grounds))
    return rule is not None and rule.clause is Clause.RECONSIDERATION_FIRST


DIRECT_SUIT_WARNING = (
    f"注意：本案答复属于依《条例》第十四条、第十五条、第十六条不予公开，依{FUYI}第二十三条第一款第（四）项，"
    f"应当先申请行政复议，对复议决定不服的才可以提起行政诉讼（复议前置；{SPC_2025}第一条第（二）项）。"
    "未经复议直接起诉的，人民法院一般不予受理。已按实际情况登记本诉讼。"
)


# ---------------------------------------------------------------------------------------------------------------
# Labels


def kind_label(kind: str) -> str:
    return REMEDY_KINDS.get(kind, kind)


def result_label(result: str) -> str:
    return REMEDY_RESULTS.get(result, result)


def facts_from(values: Mapping[str, object]) -> ProceedingFacts:
    """ProceedingFacts from a mapping with the record's names (filed_on, copy_received_on …)."""

    def d(key: str) -> date | None:
        v = values.get(key)
        return v if isinstance(v, date) else None

    filed = d("filed_on")
    assert filed is not None
    return ProceedingFacts(
        kind=str(values.get("kind") or ""), filed=filed, result=str(values.get("result") or "pending"),
        copy_received=d("copy_received_on"), simplified=bool(values.get("simplified")), accepted=d("accepted_on"),
        extended=bool(values.get("extended")), answered=d("answered_on"), decided=d("decided_on"),
        disclose_order=bool(values.get("disclose_order")), complied=d("complied_on"),
        opinion_received=d("opinion_received_on"), reported=d("reported_on"),
    )
