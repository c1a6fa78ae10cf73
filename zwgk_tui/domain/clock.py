"""The statutory clock of one request (spec 02 "The clock of one case").

Counting rule: a period "自收到申请之日起N个工作日" starts on the day after (期间开始的当日不计入), so the reply
is due on the N-th *counted* working day after the clock start. Counted means: a working day of the calendar
that does not fall inside a pause, where a pause opened on S and closed on E excludes the working days d
with S < d <= E (consultation of a third party or another agency, Art. 32/34; a fee notice when the agency's
rule switch says so). A corrected application restarts the clock from its receipt (Art. 30); an extension
adds counted days (Art. 33); an Art. 35 delay replaces the due date by the date the agency set.

Everything here is index arithmetic on the calendar's sorted list of working-day ordinals: a working day
has an index, a pause (S, E] is the half-open index range [bisect(S), bisect(E)), and "the n-th counted day"
is a walk over the few pauses, never over days. bisect(x) itself is read from the calendar's prefix-count
table (one list index). The per-day walk only runs to write the explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from zwgk_tui.domain.calendar import RANGE_END, RANGE_START, WorkCalendar, default_calendar, weekday_name


class ClockRuleError(ValueError):
    """A step that the Regulations do not allow; the message (Chinese) names the value and the rule."""


@dataclass(frozen=True)
class RuleSet:
    code: str  # "2019" / "2008"
    name: str
    effective_from: date
    reply_days: int
    max_extension_days: int
    correction_notice_days: int = 7
    consultation_days: int = 15
    fee_payment_days: int = 20


RULES_2019 = RuleSet(
    code="2019",
    name="2019年修订条例",
    effective_from=date(2019, 5, 15),
    reply_days=20,
    max_extension_days=20,
)
# The 2008 Regulations (Art. 24): 15 + 15 working days. They had no fixed correction or consultation
# period; the defaults above are kept so that old cases still show comparable dates.
RULES_2008 = RuleSet(
    code="2008",
    name="2008年条例",
    effective_from=date(2008, 5, 1),
    reply_days=15,
    max_extension_days=15,
)
RULE_SETS: dict[str, RuleSet] = {"2019": RULES_2019, "2008": RULES_2008}


def rules_for(received: date) -> RuleSet:
    """The Regulations that govern an application received on `received`."""
    return RULES_2019 if received >= RULES_2019.effective_from else RULES_2008


EVENT_KINDS = (
    "correction_requested",
    "correction_received",
    "correction_lapsed",
    "pause_start",
    "pause_end",
    "extension",
    "delay",
    "concluded",
)
PAUSE_KINDS = ("third_party", "agency", "fee")
CONSULTATION_KINDS = ("third_party", "agency")

STATUSES = (
    "overdue",
    "due_soon",
    "normal",
    "paused",
    "awaiting_correction",
    "concluded_on_time",
    "concluded_late",
)
STATUS_LABELS: dict[str, str] = {
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "normal": "正常",
    "paused": "暂停计时",
    "awaiting_correction": "待补正",
    "concluded_on_time": "按期办结",
    "concluded_late": "逾期办结",
}
PAUSE_KIND_LABELS: dict[str, str] = {
    "third_party": "征求第三方意见",
    "agency": "征求其他机关意见",
    "fee": "收费通知待缴费",
}


@dataclass(frozen=True)
class ClockEvent:
    kind: str  # one of EVENT_KINDS
    on: date
    pause_kind: str | None = None  # "third_party" | "agency" | "fee" (pause_start / pause_end)
    days: int | None = None  # extension
    until: date | None = None  # delay (the Art. 35 date)
    note: str | None = None  # e.g. whom the consultation went to


@dataclass(frozen=True)
class Deadline:
    """The deadlines of one case as of a day.

    Fields after correction_notice_due have defaults so that compute_deadline can store only what differs
    from them (see _make_deadline); build it with keywords if you build one by hand.
    """

    received: date
    rules: RuleSet
    clock_start: date  # receipt, or the corrected application's receipt
    correction_notice_due: date  # 7th working day after receipt
    correction_pending: bool = False  # correction requested, not yet received: the reply clock is stopped
    paused: bool = False
    pause_kind: str | None = None
    pause_since: date | None = None
    consultation_due: date | None = None  # 15th working day after an open consultation's start
    fee_payment_due: date | None = None  # 20th working day after an open fee notice
    base_due: date | None = None  # the reply_days-th counted working day (no extension); None while unknown
    extension_days: int = 0
    due: date | None = None  # final; None while paused (unless an Art. 35 date is set) or awaiting correction
    provisional: bool = False  # due (or base/projected due) falls in a year without official calendar data
    working_days_used: int = 0  # counted working days up to min(today, concluded_on)
    working_days_left: int | None = None  # counted working days after today up to due; negative when overdue
    status: str = "normal"  # one of STATUSES
    concluded_on: date | None = None
    explanation: list[str] = field(default_factory=list)  # readable steps (Chinese); empty if explain=False
    delayed_until: date | None = None  # the Art. 35 date, if one was set
    projected_due: date | None = None  # while paused: the due date if the pause ended today
    extended_due: date | None = None  # reply_days + extension counted days (before any Art. 35 date)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None


_DEADLINE_NEW = object.__new__
_SETATTR = object.__setattr__


def _make_deadline(values: dict[str, object]) -> Deadline:
    # A frozen dataclass __init__ with 23 fields costs more than the whole computation (one
    # object.__setattr__ per field, ~2 µs), and the register recomputes every open case. So the instance
    # gets its __dict__ in one step, holding only the values that differ from the class defaults; the other
    # fields resolve to those defaults as class attributes (eq, repr, asdict and replace all use getattr).
    d = _DEADLINE_NEW(Deadline)
    _SETATTR(d, "__dict__", values)
    return d


def _fmt(d: date) -> str:
    return f"{d.isoformat()}（{weekday_name(d)}）"


def _fmt_span(a: date, b: date) -> str:
    if a == b:
        return _fmt(a)
    tail = b.strftime("%m-%d") if a.year == b.year else b.isoformat()
    return f"{a.isoformat()} 至 {tail}"


def _range_error(what: str) -> ValueError:
    return ValueError(
        f"{what}超出工作日历的范围（{RANGE_START.isoformat()} 至 {RANGE_END.isoformat()}），无法计算期限。请核对日期。"
    )


def _by_on(e: ClockEvent) -> date:
    return e.on


_BASE = RANGE_START.toordinal()
_SPAN = RANGE_END.toordinal() - _BASE + 1
_DATE_MIN = date.min
_FROM_2019 = RULES_2019.effective_from


class _Unsorted(Exception):
    """Events came out of date order: replay them sorted."""


class _Trace:
    """What the explanation needs from the replay of the events."""

    __slots__ = ("closed", "ext", "history", "open")

    def __init__(
        self,
        history: list[tuple[ClockEvent, tuple[date, date, str] | None]],
        closed: list[tuple[date, date, str]],
        open_: dict[str, date],
        ext: int,
    ) -> None:
        self.history = history
        self.closed = closed
        self.open = open_
        self.ext = ext


def compute_deadline(
    received: date,
    events: Sequence[ClockEvent],
    calendar: WorkCalendar,
    *,
    today: date,
    rules: RuleSet | None = None,
    fee_pauses_clock: bool = True,
    due_soon_days: int = 5,
    explain: bool = True,
) -> Deadline:
    """The deadlines of one case as of `today`.

    `events` may come in any order; they are replayed by date (stable for equal dates). Structurally
    impossible histories (a pause closed that was never opened, a pause ending before it starts, an unknown
    kind) raise ClockRuleError; legal questions (a second extension, an extension after the due date) are for
    the check_* guards before a step is recorded, so an imported history is still computed as it happened.
    Steps after a correction_received belong to the restarted clock: earlier pauses, extensions and delays
    are dropped with the old clock. A step after "concluded" means the case was reopened. A pause still
    open at the conclusion is taken to end on the conclusion day. An Art. 35 date stays the due date while
    a pause is open (it is a date the agency set, not a count).

    With explain=False no day-by-day walk is made: the whole computation is a handful of list indexes
    (the calendar's prefix counts are bisect_right answered in one step) and a loop over the pauses.
    """
    if rules is None:
        rules = RULES_2019 if received >= _FROM_2019 else RULES_2008
    upto = calendar._upto
    ords = calendar._ords
    wdates = calendar._wdates
    nords = len(ords)
    r = received.toordinal() - _BASE
    if r < 0 or r >= _SPAN:
        raise _range_error(f"收到申请日期 {received.isoformat()} ")
    rec_idx = upto[r]
    corr_i = rec_idx + rules.correction_notice_days - 1
    if corr_i >= nords:
        raise _range_error(f"收到申请日期 {received.isoformat()} 的补正告知期限")

    # -- replay the events ------------------------------------------------------------------------
    start = received
    start_idx = rec_idx
    gaps: list[tuple[int, int]] | None = None  # closed pauses that stop the clock, as index ranges [a, b)
    closed: list[tuple[date, date, str]] = []
    open_: dict[str, date] | None = None
    ext = 0
    delay: date | None = None
    concluded: date | None = None
    pending = False
    history: list[tuple[ClockEvent, tuple[date, date, str] | None]] | None = [] if explain else None
    last = _DATE_MIN
    try:
        for e in events:
            on = e.on
            if on < last:
                raise _Unsorted
            last = on
            k = e.kind
            if concluded is not None and k != "concluded":
                concluded = None  # a later step means the case was reopened
            span = None
            if k == "pause_start":
                pk = e.pause_kind
                if pk not in PAUSE_KINDS:
                    raise ClockRuleError(f"暂停类型“{pk}”无效，应为 third_party、agency 或 fee。")
                if open_ is None:
                    open_ = {pk: on}
                elif pk in open_:
                    raise ClockRuleError(
                        f"{on.isoformat()}：{PAUSE_KIND_LABELS[pk]}的暂停自 {open_[pk].isoformat()} 起尚未结束，"
                        "同类暂停同一时间只能有一个。"
                    )
                else:
                    open_[pk] = on
            elif k == "pause_end":
                pk = e.pause_kind
                s = open_.pop(pk, None) if open_ and pk is not None else None
                if s is None or pk is None:
                    raise ClockRuleError(
                        f"{on.isoformat()}：结束暂停（{pk}）之前没有对应的开始暂停，无法计算期限。"
                    )
                if on < s:
                    raise ClockRuleError(
                        f"暂停结束日期 {on.isoformat()} 早于开始日期 {s.isoformat()}，请核对日期。"
                    )
                if history is not None:
                    span = (s, on, pk)
                if pk != "fee" or fee_pauses_clock:
                    so = s.toordinal() - _BASE
                    eo = on.toordinal() - _BASE
                    a = upto[so] if 0 <= so < _SPAN else (0 if so < 0 else nords)
                    b = upto[eo] if 0 <= eo < _SPAN else (0 if eo < 0 else nords)
                    if b > a:
                        if gaps is None:
                            gaps = [(a, b)]
                        else:
                            gaps.append((a, b))
                    if span is not None:
                        closed.append(span)
            elif k == "extension":
                days = e.days
                if days is None or days < 1:
                    raise ClockRuleError(f"{on.isoformat()}：延长天数“{days}”无效，应为正整数。")
                ext += days
            elif k == "delay":
                if e.until is None:
                    raise ClockRuleError(f"{on.isoformat()}：依第三十五条延期须写明确定的答复日期。")
                delay = e.until
            elif k == "correction_requested":
                pending = True
            elif k == "correction_received":
                # Art. 30: the reply period runs from the corrected application; what ran before is gone.
                start = on
                so = on.toordinal() - _BASE
                start_idx = upto[so] if 0 <= so < _SPAN else (0 if so < 0 else nords)
                pending = False
                gaps = None
                closed = []
                if open_:
                    # A consultation or fee notice still out goes on stopping the new clock.
                    open_ = dict.fromkeys(open_, on)
                ext = 0
                delay = None
            elif k == "correction_lapsed" or k == "concluded":
                concluded = on
            else:
                raise ClockRuleError(f"未知的期限事件“{k}”。")
            if history is not None:
                history.append((e, span))
    except (_Unsorted, ClockRuleError) as exc:
        # Replay in date order; an error met before the disorder showed up may be the disorder's doing.
        if isinstance(exc, ClockRuleError) and all(a.on <= b.on for a, b in pairwise(events)):
            raise
        return compute_deadline(
            received,
            sorted(events, key=_by_on),
            calendar,
            today=today,
            rules=rules,
            fee_pauses_clock=fee_pauses_clock,
            due_soon_days=due_soon_days,
            explain=explain,
        )

    if open_ and concluded is not None:
        # Replied while a pause was still open: the pause ran until the reply.
        for pk, s in open_.items():
            if pk != "fee" or fee_pauses_clock:
                so = s.toordinal() - _BASE
                eo = concluded.toordinal() - _BASE
                a = upto[so] if 0 <= so < _SPAN else (0 if so < 0 else nords)
                b = upto[eo] if 0 <= eo < _SPAN else (0 if eo < 0 else nords)
                if b > a:
                    gaps = [(a, b)] if gaps is None else [*gaps, (a, b)]
                closed.append((s, concluded, pk))
        open_ = None

    # -- counting ----------------------------------------------------------------------------------
    asof = today if concluded is None or today < concluded else concluded
    t = asof.toordinal() - _BASE
    t_idx = upto[t] if 0 <= t < _SPAN else (0 if t < 0 else nords)
    if gaps is not None and (len(gaps) > 1 or gaps[0][0] < start_idx):
        gaps = _clean_gaps(gaps, start_idx)

    extras: dict[str, object] = {}
    paused = False
    if open_:
        paused = _open_pauses(open_, rules, calendar, fee_pauses_clock, extras)
        if paused:
            # The open pause runs up to `asof` for what has been used; the due date is not known.
            a_list = list(gaps or ())
            for pk, s in open_.items():
                if pk != "fee" or fee_pauses_clock:
                    so = s.toordinal() - _BASE
                    a_list.append((upto[so] if 0 <= so < _SPAN else (0 if so < 0 else nords), t_idx))
            gaps = _clean_gaps(a_list, start_idx)

    total = rules.reply_days + ext
    used = 0
    if t_idx > start_idx:
        used = t_idx - start_idx
        if gaps:
            for a, b in gaps:
                if b > t_idx:  # hot path: a builtin call costs more than the branch
                    b = t_idx
                if b > a:
                    used -= b - a

    guess_from = calendar._first_guessed_ordinal
    provisional = False
    base_due = extended_due = due = None
    left: int | None = None
    if pending:
        pass
    else:
        if not gaps:
            i = start_idx + total - 1
        elif len(gaps) == 1:
            # The usual case, inlined: one pause [a, b) at or after the start.
            a, b = gaps[0]
            i = start_idx + total - 1 if total <= a - start_idx else b + total - (a - start_idx) - 1
        else:
            i = _nth(start_idx, gaps, total)
        if i >= nords:
            raise _range_error("答复期限")
        o = ords[i]
        if o >= guess_from:
            provisional = True
        if paused:
            extras["projected_due"] = wdates[i]
        else:
            extended_due = wdates[i]
            if ext:
                j = _nth(start_idx, gaps, rules.reply_days) if gaps else start_idx + rules.reply_days - 1
                base_due = wdates[j]
                if ords[j] >= guess_from:
                    provisional = True
            else:
                base_due = extended_due
            due = extended_due
        left = total - used
        if delay is not None:
            due = delay
            extras["delayed_until"] = delay
            u = delay.toordinal() - _BASE
            u_idx = upto[u] if 0 <= u < _SPAN else (0 if u < 0 else nords)
            left = _counted(t_idx, u_idx, gaps) if u_idx >= t_idx else -_counted(u_idx, t_idx, gaps)
            if delay.year > calendar.last_official_year:
                provisional = True

    if concluded is not None:
        status = "concluded_late" if due is not None and concluded > due else "concluded_on_time"
        extras["concluded_on"] = concluded
    elif pending:
        status = "awaiting_correction"
    elif due is not None and today > due:
        status = "overdue"
    elif paused:
        status = "paused"
    elif left is not None and left <= due_soon_days:
        status = "due_soon"
    else:
        status = "normal"

    values: dict[str, object] = {
        "received": received,
        "rules": rules,
        "clock_start": start,
        "correction_notice_due": wdates[corr_i],
        "base_due": base_due,
        "due": due,
        "working_days_used": used,
        "working_days_left": left,
        "status": status,
        "explanation": [],
        "extended_due": extended_due,
    }
    if ext:
        values["extension_days"] = ext
    if provisional:
        values["provisional"] = True
    if pending:
        values["correction_pending"] = True
    if extras:
        values.update(extras)
    # _make_deadline, inlined (see there).
    d = _DEADLINE_NEW(Deadline)
    _SETATTR(d, "__dict__", values)
    if history is not None:
        d.explanation.extend(
            _explain(d, _Trace(history, closed, open_ or {}, ext), calendar, fee_pauses_clock, today)
        )
    return d


def _open_pauses(
    open_: dict[str, date],
    rules: RuleSet,
    calendar: WorkCalendar,
    fee_pauses: bool,
    extras: dict[str, object],
) -> bool:
    """Fill the open-pause fields; True if one of the open pauses stops the reply clock."""
    paused = False
    for pk, s in sorted(open_.items(), key=lambda kv: kv[1]):
        if pk == "fee":
            extras["fee_payment_due"] = calendar.nth_working_day_after(s, rules.fee_payment_days)
            if not fee_pauses:
                continue
        elif "consultation_due" not in extras:
            extras["consultation_due"] = calendar.nth_working_day_after(s, rules.consultation_days)
        if not paused:
            paused = True
            extras["paused"] = True
            extras["pause_kind"] = pk
            extras["pause_since"] = s
    return paused


def _clean_gaps(gaps: list[tuple[int, int]], start_idx: int) -> list[tuple[int, int]]:
    """Clip index ranges to the clock start, drop empty ones, merge overlaps (pauses of different kinds)."""
    if len(gaps) == 1:
        a, b = gaps[0]
        if a >= start_idx:
            return gaps
        return [(start_idx, b)] if b > start_idx else []
    out = sorted((max(start_idx, a), b) for a, b in gaps if b > start_idx)
    merged: list[tuple[int, int]] = []
    for a, b in out:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _nth(start_idx: int, gaps: list[tuple[int, int]] | None, n: int) -> int:
    """Index of the n-th counted working day from start_idx (inclusive), skipping the gaps."""
    cur = start_idx
    for a, b in gaps or ():
        avail = a - cur
        if n <= avail:
            return cur + n - 1
        if avail > 0:
            n -= avail
        cur = max(cur, b)
    return cur + n - 1


def _counted(lo: int, hi: int, gaps: list[tuple[int, int]] | None) -> int:
    """Counted working days with index in [lo, hi)."""
    if hi <= lo:
        return 0
    n = hi - lo
    for a, b in gaps or ():
        a = max(a, lo)
        b = min(b, hi)
        if b > a:
            n -= b - a
    return n


def _explain(dl: Deadline, tr: _Trace, cal: WorkCalendar, fee_pauses: bool, today: date) -> list[str]:
    """The derivation a clerk can check against a printed calendar, one step per line."""
    rules = dl.rules
    start = dl.clock_start
    total = rules.reply_days + tr.ext
    lines = [
        (
            f"{_fmt(dl.received)} 收到申请，适用{rules.name}：自收到申请的次日起计算，"
            f"{rules.reply_days}个工作日内答复；补正告知期限为第{rules.correction_notice_days}个工作日 "
            f"{dl.correction_notice_due.isoformat()}。"
        )
    ]
    for e, _span in tr.history:
        if e.kind == "correction_requested":
            lines.append(f"{_fmt(e.on)} 发出补正告知书，答复期限停止计算（第三十条）。")
        elif e.kind == "correction_received":
            lines.append(
                f"{_fmt(e.on)} 收到补正后的申请，答复期限自该日起重新计算{rules.reply_days}个工作日"
                "（第三十条），此前的计时不再计入。"
            )
    concluded = dl.concluded_on
    if dl.correction_pending:
        lines.append("待补正：答复期限停止计算，收到补正后的申请之日起重新计算。")
        if concluded is not None:
            lines.append(f"{_fmt(concluded)} 补正期限届满，申请人未补正，视为放弃申请，不再处理。")
        return lines

    # Walk the counting span once, day by day (only here: the explanation is on request).
    end = (concluded or today) if dl.paused or dl.extended_due is None else dl.extended_due
    start_o = start.toordinal()
    end_o = end.toordinal()
    clock_pauses = [(s.toordinal(), e.toordinal()) for s, e, _k in tr.closed]
    if concluded is None:
        clock_pauses += [
            (s.toordinal(), max(end_o, s.toordinal()))
            for pk, s in tr.open.items()
            if pk != "fee" or fee_pauses
        ]

    def in_pause(o: int) -> bool:
        return any(s < o <= e for s, e in clock_pauses)

    by_day: dict[int, list[str]] = {}

    def add(o: int, text: str) -> None:
        by_day.setdefault(o, []).append(text)

    count = 0
    count_upto: dict[int, int] = {}  # day -> counted days so far (for "已计N日" on the day a pause opens)
    run: list[int] = []

    def flush_run() -> None:
        if run and not all(in_pause(o) for o in run):
            infos = [cal.day_info(date.fromordinal(o)) for o in run]
            label = next((i.name for i in infos if i.kind == "holiday" and i.name), None)
            label = label or next((i.name for i in infos if i.name), None)
            if label:
                n = len(run)
                days = f"，共{n}天" if n > 1 else ""
                when = _fmt_span(date.fromordinal(run[0]), date.fromordinal(run[-1]))
                add(run[0], f"{when} {label}，不计{days}。")
        run.clear()

    for o in range(start_o + 1, end_o + 1):
        d = date.fromordinal(o)
        if not cal.is_working_day(d):
            run.append(o)
            count_upto[o] = count
            continue
        flush_run()
        if not in_pause(o):
            count += 1
            if count == 1:
                add(o, f"{_fmt(d)} 第1日。")
            elif count == rules.reply_days and tr.ext:
                add(o, f"{_fmt(d)} 第{count}日，原答复期限（未延长时）届满日。")
            elif d.weekday() >= 5:
                add(o, f"{_fmt(d)} 调休上班日，计入（第{count}日）。")
        count_upto[o] = count
    flush_run()

    for e, span in tr.history:
        o = e.on.toordinal()
        if e.on < start:
            continue
        used_then = count_upto.get(o, count)
        if e.kind == "pause_start":
            who = f"（{e.note}）" if e.note else ""
            if e.pause_kind == "fee":
                if fee_pauses:
                    add(o, f"{_fmt(e.on)} 发出收费通知{who}，暂停计时（已计{used_then}日）。")
                else:
                    add(o, f"{_fmt(e.on)} 发出收费通知{who}；按本机关规定，缴费期间照常计时。")
            else:
                what = PAUSE_KIND_LABELS.get(e.pause_kind or "", "征求意见")
                add(o, f"{_fmt(e.on)} 发出征求意见书，{what}{who}，暂停计时（已计{used_then}日）。")
        elif e.kind == "pause_end" and span is not None:
            s, en, pk = span
            if pk == "fee" and not fee_pauses:
                add(o, f"{_fmt(en)} 申请人缴费。")
                continue
            first = max(s, start)
            skipped = cal.working_days_between(first, en)
            what = "申请人缴费" if pk == "fee" else "收到意见（或征求意见期满）"
            if skipped:
                span_txt = _fmt_span(first + timedelta(days=1), en)
                add(o, f"{_fmt(en)} {what}，恢复计时；{span_txt} 期间的{skipped}个工作日不计。")
            else:
                add(o, f"{_fmt(en)} {what}，恢复计时。")
        elif e.kind == "extension":
            add(
                o,
                f"{_fmt(e.on)} 经政府信息公开工作机构负责人同意，延长答复期限{e.days}个工作日（第三十三条），"
                f"期限共{total}个工作日。",
            )
        elif e.kind == "delay" and e.until is not None:
            add(o, f"{_fmt(e.on)} 依第三十五条确定答复期限为 {_fmt(e.until)}。")

    ended = {span for _e, span in tr.history if span is not None}
    for s, en, pk in tr.closed:
        if (s, en, pk) not in ended and en >= start:
            # A pause still open when the reply went out (see compute_deadline).
            first = max(s, start)
            skipped = cal.working_days_between(first, en)
            add(
                en.toordinal(),
                f"{_fmt(en)} 答复时{PAUSE_KIND_LABELS.get(pk, pk)}尚未结束，暂停计至当日；"
                f"{_fmt_span(first + timedelta(days=1), en)} 期间的{skipped}个工作日不计。",
            )

    for o in sorted(by_day):
        lines.extend(by_day[o])

    if dl.paused:
        lines.append(
            f"暂停计时中（{PAUSE_KIND_LABELS.get(dl.pause_kind or '', '')}，自 {dl.pause_since} 起）："
            f"已计{dl.working_days_used}个工作日，尚余{dl.working_days_left}个工作日，答复期限待恢复计时后确定。"
        )
        if dl.consultation_due is not None:
            lines.append(
                f"被征求意见方的答复期限：{_fmt(dl.consultation_due)}（第{rules.consultation_days}个工作日）。"
            )
        if dl.projected_due is not None:
            lines.append(f"如今日恢复计时，答复期限为 {_fmt(dl.projected_due)}。")
    elif dl.extended_due is not None:
        suffix = "，答复期限届满" if dl.delayed_until is None else ""
        lines.append(f"{_fmt(dl.extended_due)} 第{total}日{suffix}。")
    if dl.delayed_until is not None:
        lines.append(f"答复期限：{_fmt(dl.delayed_until)}（依第三十五条确定的日期）。")
    if dl.fee_payment_due is not None:
        lines.append(
            f"缴费期限：{_fmt(dl.fee_payment_due)}（发出收费通知次日起第{rules.fee_payment_days}个工作日）。"
        )
    if concluded is not None:
        due = dl.due
        if due is not None and concluded > due:
            late = cal.working_days_between(due, concluded)
            lines.append(f"{_fmt(concluded)} 答复办结，超过期限{late}个工作日。")
        else:
            lines.append(f"{_fmt(concluded)} 答复办结，在期限内。")
    if dl.provisional:
        lines.append(
            f"注意：工作日历只有{cal.last_official_year}年及以前的正式安排，之后的节假日是推算的，"
            "此期限为暂定；国务院公布次年安排后请导入通知。"
        )
    return lines


def quick_deadlines(received: date, calendar: WorkCalendar, rules: RuleSet | None = None) -> dict[str, Any]:
    """The `deadline --received` calculator: dates for a receipt with no further events."""
    if rules is None:
        rules = rules_for(received)
    corr = calendar.nth_working_day_after(received, rules.correction_notice_days)
    reply = calendar.nth_working_day_after(received, rules.reply_days)
    extended = calendar.nth_working_day_after(received, rules.reply_days + rules.max_extension_days)
    return {
        "received": received,
        "correction_notice_due": corr,
        "reply_due": reply,
        "extended_due": extended,
        "provisional": any(calendar.is_provisional(d) for d in (corr, reply, extended)),
    }


def extended_due_if(
    received: date,
    events: Sequence[ClockEvent],
    calendar: WorkCalendar,
    days: int,
    *,
    today: date,
    rules: RuleSet | None = None,
    fee_pauses_clock: bool = True,
) -> date | None:
    """The due date an extension of `days` approved today would give (None while it is unknown)."""
    d = compute_deadline(
        received,
        [*events, ClockEvent("extension", today, days=days)],
        calendar,
        today=today,
        rules=rules,
        fee_pauses_clock=fee_pauses_clock,
        explain=False,
    )
    return d.due


# -- guards for the service layer --------------------------------------------------------------------


def check_extension(deadline: Deadline, days: int, on: date, already_extended: bool) -> None:
    """Refuse an extension the Regulations do not allow (Art. 33 ¶2); return None if it is allowed.

    Allowed: 1..max_extension_days working days, once, approved on or before the current due date, in any
    open stage — also while a pause is open (the due date is then unknown, so there is nothing to be late
    for). Refused while the case awaits a correction (the reply clock is not running) or is concluded.
    """
    r = deadline.rules
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= r.max_extension_days:
        raise ClockRuleError(
            f"延长天数 {days} 无效：延长的期限最长不得超过{r.max_extension_days}个工作日"
            f"（{r.name}），请填写 1 至 {r.max_extension_days} 之间的整数。"
        )
    if already_extended or deadline.extension_days > 0:
        raise ClockRuleError("本申请已经延长过一次答复期限，依规定只能延长一次。")
    if deadline.concluded_on is not None:
        raise ClockRuleError(f"本申请已于 {deadline.concluded_on.isoformat()} 办结，不能再延长答复期限。")
    if deadline.correction_pending:
        raise ClockRuleError("申请待补正，答复期限停止计算，无需延长；收到补正后的申请后重新计算期限。")
    if on < deadline.clock_start:
        raise ClockRuleError(
            f"延长批准日期 {on.isoformat()} 早于计时起点 {deadline.clock_start.isoformat()}，请核对日期。"
        )
    if deadline.due is not None and on > deadline.due:
        raise ClockRuleError(
            f"延长批准日期 {on.isoformat()} 晚于答复期限 {deadline.due.isoformat()}："
            "延长须在期限届满前经负责人同意并告知申请人（第三十三条）。"
        )


def check_correction_request(
    received: date,
    on: date,
    already_requested: bool,
    *,
    calendar: WorkCalendar | None = None,
    rules: RuleSet | None = None,
) -> list[str]:
    """Check a correction notice (Art. 30: one notice, within 7 working days of receipt).

    Refuses (ClockRuleError) a second notice and a notice dated before the receipt. A notice after the
    7th working day is recorded as it happened — refusing it would only make the register lie — and the
    returned list carries a warning (Chinese) to show the clerk and keep with the case.
    """
    if already_requested:
        raise ClockRuleError("本申请已经发出过补正告知，依第三十条只能一次性告知补正。")
    if on < received:
        raise ClockRuleError(
            f"补正告知日期 {on.isoformat()} 早于收到申请日期 {received.isoformat()}，请核对日期。"
        )
    cal = calendar or default_calendar()
    r = rules or rules_for(received)
    due = cal.nth_working_day_after(received, r.correction_notice_days)
    if on > due:
        late = cal.working_days_between(due, on)
        return [
            (
                f"补正告知日期 {on.isoformat()} 晚于法定期限 {due.isoformat()}（收到申请之日起"
                f"{r.correction_notice_days}个工作日内，第三十条），逾期{late}个工作日。"
            )
        ]
    return []


def check_delay(deadline: Deadline, until: date, on: date) -> None:
    """Refuse an Art. 35 date that is not after the day it is set, or a delay on a closed case."""
    if deadline.concluded_on is not None:
        raise ClockRuleError(f"本申请已于 {deadline.concluded_on.isoformat()} 办结，不能再确定延期答复日期。")
    if until <= on:
        raise ClockRuleError(
            f"依第三十五条确定的答复日期 {until.isoformat()} 应晚于告知日期 {on.isoformat()}。"
        )
