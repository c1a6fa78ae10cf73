"""What falls due on open cases: the kinds of deadline the clerk's agenda lists, as data with their citations,
and the pure rules that date, classify and order the items. Dates in, items out; no I/O.

Two kinds of period appear on the agenda (spec 02, 09):
- the agency's own (reply, 补正 notice, extension decision): past its last day the agency is late;
- the other side's (the applicant's correction, fee and explanation periods, the consulted party's answer): they
  run from the day the letter was **served** on that side, so without a recorded date of service they have no last
  day — the item then asks for the date of service instead; past its last day the period has lapsed and the
  clerk records the step that follows (the clock does not move by itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from zwgk_tui.domain.calendar import RANGE_START, WorkCalendar

AGENCY = "agency"
APPLICANT = "applicant"
CONSULTED = "consulted"


@dataclass(frozen=True)
class DueRule:
    kind: str
    label: str  # the item's name on the agenda
    party: str  # whose period: AGENCY (the agency must act by then), APPLICANT or CONSULTED
    basis: str  # the provision it rests on
    counted: str  # how its last day is counted
    on_lapse: str  # what it means, and what the clerk records, once the last day has passed
    order: int  # items due on the same day: what must be done first comes first
    served_from: str = ""  # `served --what` value when the period runs from service; "" for the agency's own


DUE_RULES: dict[str, DueRule] = {
    r.kind: r
    for r in (
        DueRule(
            "extension_decision", "延期决定", AGENCY, "《条例》第三十三条第二款",
            "需要延长答复期限的，应当在答复期限届满前经政府信息公开工作机构负责人同意并告知申请人，最长20个工作日",
            "答复期限届满后不能再延期", 0,
        ),
        DueRule(
            "correction_notice", "补正告知", AGENCY, "《条例》第三十条",
            "申请内容不明确的，应当自收到申请之日起7个工作日内一次性告知申请人补正",
            "已超过7个工作日，补正告知逾期", 1,
        ),
        DueRule(
            "correction_period", "申请人补正期限", APPLICANT, "《条例》第三十条",
            "本机关确定的合理补正期限，自申请人收到补正告知书之日起计算",
            "期满未补正：可认定逾期未补正（correction-lapsed）", 2, "correction",
        ),
        DueRule(
            "consultation_period", "被征求意见方答复期限", CONSULTED, "《条例》第三十二条、第三十四条",
            "自第三方或其他机关收到征求意见书之日起15个工作日",
            "期满未答复：记录期满（consult-answered --lapsed），恢复计时", 3, "consult",
        ),
        DueRule(
            "fee_payment", "申请人缴费期限", APPLICANT, "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            "自申请人收到收费通知之日起20个工作日",
            "逾期未缴费：可认定逾期未缴费（fee-lapsed）", 4, "fee-notice",
        ),
        DueRule(
            "explanation_period", "申请人说明理由期限", APPLICANT, "《条例》第三十五条",
            "本机关确定的说明期限，自申请人收到说明理由告知书之日起计算",
            "期满未说明：记录期满（explanation-answered --lapsed）", 4, "explanation",
        ),
        DueRule(
            "reply_due", "答复期限", AGENCY, "《条例》第三十三条",
            "自收到申请之日起20个工作日（征求意见、缴费时间不计；延长的加延长的工作日；第三十五条确定的日期）",
            "已逾期答复", 5,
        ),
        DueRule(
            # Reconsideration answers, defences, compliance: the proceeding record gives its own basis.
            "proceeding", "复议诉讼期限", AGENCY, "", "", "已逾期", 6,
        ),
    )
}

CORRECTION_NOTICE_DAYS = 7  # Art. 30
CONSULTATION_DAYS = 15  # Arts. 32, 34
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号
# Stages where deciding on an extension still matters: a signed reply waiting to go out needs none, and while a
# correction is awaited the reply clock stands still.
EXTENSION_STAGES = frozenset({"registered", "drafting", "consulting", "awaiting_fee", "office_review",
                              "legal_review", "sign_off"})

# What the reply due date asks of the case in each stage (the agenda's "next step" for a reply).
REPLY_NEXT_STEP: dict[str, str] = {
    "registered": "审查申请，拟定办理结果",
    "drafting": "拟定答复，提交审核",
    "consulting": "等待被征求意见方答复",
    "awaiting_fee": "等待申请人缴费",
    "office_review": "待政府办审核",
    "legal_review": "待法制审核",
    "sign_off": "待负责人签发",
    "delivering": "已签发，待送达",
}
CONSULTED_PARTY_LABELS = {"third_party": "第三方", "agency": "其他机关"}

# Status of an item on the day the agenda is made.
OVERDUE = "overdue"  # the agency's own period has passed
LAPSED = "lapsed"  # the other side's period has passed: record what follows
TODAY = "today"
SOON = "soon"  # within the agency's due-soon threshold
LATER = "later"
NO_DATE = "no_date"  # the period runs from service and the date of service is not recorded

STATUS_LABELS: dict[str, str] = {
    OVERDUE: "已逾期",
    LAPSED: "已届满",
    TODAY: "今天到期",
    SOON: "即将到期",
    LATER: "未到期",
    NO_DATE: "待记录送达",
}


@dataclass(frozen=True)
class AgendaItem:
    """One thing that falls due on one case (or proceeding)."""

    kind: str  # a DUE_RULES key
    number: str
    agency: str  # agency code
    due: date | None  # None: runs from a service not yet recorded
    what: str  # the line a clerk reads: "答复期限（含延长20个工作日）"
    basis: str
    next_step: str = ""  # what to do about it, in a few words
    command: str = ""  # the command that records it, for the clerk to copy
    applicant: str = ""  # masked where personal
    subject: str = ""
    stage: str = ""
    since: date | None = None  # the letter's date, for an item waiting for its date of service
    provisional: bool = False  # the last day lies in a year without an official calendar
    proceeding_id: int | None = None
    days_left: int | None = None  # working days from today to due; negative once passed
    status: str = LATER
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def rule(self) -> DueRule:
        return DUE_RULES.get(self.kind, DUE_RULES["proceeding"])

    @property
    def party(self) -> str:
        return self.rule.party

    @property
    def passed(self) -> bool:
        return self.status in (OVERDUE, LAPSED)


# ---------------------------------------------------------------------------------------------------------------
# Dates


def correction_notice_due(cal: WorkCalendar, received: date) -> date:
    """The last day to send the one 补正 notice: the 7th working day after receipt (Art. 30)."""
    return cal.nth_working_day_after(received, CORRECTION_NOTICE_DAYS)


def period_end(cal: WorkCalendar, served: date | None, days: int | None) -> date | None:
    """The last day of the other side's period of `days` working days from its receipt; None while unknown."""
    if served is None or not days:
        return None
    return cal.nth_working_day_after(served, days)


def working_days_left(cal: WorkCalendar, today: date, due: date) -> int:
    """Working days after today up to `due` (0 on the day itself); negative, counting the working days since,
    once it has passed. Two reads of the calendar's prefix-count table."""
    upto = cal.working_upto
    base = RANGE_START.toordinal()
    return upto[due.toordinal() - base] - upto[today.toordinal() - base]


def latest_receipt_for_notice_by(cal: WorkCalendar, until: date) -> date:
    """The latest receipt date whose 补正 notice limit falls on or before `until`: lets the query skip every
    registered case whose limit lies beyond the agenda's horizon without computing it."""
    upto = cal.working_upto
    base = RANGE_START.toordinal()
    # Receipt r gives limit ≤ until iff fewer than upto(until) - 6 working days lie on or before r.
    k = upto[until.toordinal() - base] - CORRECTION_NOTICE_DAYS
    ords = cal.working_ordinals
    if k < 0:
        return RANGE_START - timedelta(days=1)
    return date.fromordinal(ords[k] - 1) if k < len(ords) else date.fromordinal(ords[-1])


# ---------------------------------------------------------------------------------------------------------------
# Classification and order


def classify(item: AgendaItem, cal: WorkCalendar, today: date, due_soon_days: int) -> AgendaItem:
    """The item with its working days left and its status as of `today`."""
    if item.due is None:
        return replace(item, days_left=None, status=NO_DATE)
    left = working_days_left(cal, today, item.due)
    if item.due < today:
        status = LAPSED if item.party != AGENCY else OVERDUE
    elif item.due == today:
        status = TODAY
    elif left <= due_soon_days:
        status = SOON
    else:
        status = LATER
    return replace(item, days_left=left, status=status)


def sort_key(item: AgendaItem) -> tuple[int, date, int, str, str]:
    """Passed items first (the oldest first), then the rest by last day, then those waiting for a date of
    service (the oldest letter first); on the same day, what must be done first comes first."""
    if item.due is None:
        return (2, item.since or date.min, item.rule.order, item.agency, item.number)
    return (0 if item.passed else 1, item.due, item.rule.order, item.agency, item.number)


def ordered(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    return sorted(items, key=sort_key)


def within(items: Sequence[AgendaItem], until: date) -> list[AgendaItem]:
    """Items due on or before `until`, and every item without a date (they need action now)."""
    return [i for i in items if i.due is None or i.due <= until]


# ---------------------------------------------------------------------------------------------------------------
# Weeks (the government office counts by ISO week)

_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


class WeekError(ValueError):
    """A week that is not YYYY-Www (the message is Chinese)."""


def parse_week(text: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written 2025-W10."""
    m = _WEEK.match(text or "")
    if not m:
        raise WeekError(f"周次“{text}”无效：应写成 YYYY-Www，如 2025-W10（ISO 周，周一至周日）")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        last = date(year, 12, 28).isocalendar().week
        raise WeekError(f"周次“{text}”无效：{year} 年只有第 1 至第 {last} 周") from None
    return monday, monday + timedelta(days=6)


def week_of(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_title(monday: date) -> str:
    iso = monday.isocalendar()
    sunday = monday + timedelta(days=6)

    def day(d: date) -> str:
        return f"{'' if d.year == iso.year else f'{d.year}年'}{d.month}月{d.day}日"

    return f"{iso.year}年第{iso.week}周（{day(monday)}至{day(sunday)}）"


def end_of_week(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def correction_rate(corrected: int, decided: int) -> float | None:
    """纠错率: proceedings decided against the agency (result corrected) among those decided; None when none
    was decided (a rate over pending cases would say nothing)."""
    return round(corrected / decided, 4) if decided else None
