"""The statutory clock of one case.

Every expected date below was worked out by hand on a printed calendar (the reasoning is in the comments)
and cross-checked against the chinese_calendar package; none is computed by the code under test.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from zwgk_tui.domain.calendar import WorkCalendar, default_calendar
from zwgk_tui.domain.clock import (
    RULES_2008,
    RULES_2019,
    ClockEvent,
    ClockRuleError,
    Deadline,
    check_correction_request,
    check_delay,
    check_extension,
    compute_deadline,
    extended_due_if,
    quick_deadlines,
    rules_for,
)
from zwgk_tui.domain.holiday_notice import parse_notice

# MADE-UP TEST DATA (虚构，仅供测试): there is no 2027 notice yet. Compared with the package's guess for 2027
# it adds 2027-02-11 as a day off and 2027-02-13 (Sat) as a make-up working day.
FAKE_2027 = """国务院办公厅关于2027年部分节假日安排的通知（测试用虚构数据）
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月13日（周六）上班。
"""


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


def pause(kind: str, start: date, end: date | None = None, note: str | None = None) -> list[ClockEvent]:
    evs = [ClockEvent("pause_start", start, pause_kind=kind, note=note)]
    if end is not None:
        evs.append(ClockEvent("pause_end", end, pause_kind=kind))
    return evs


# --- golden dates and the hand-built table ----------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "c7", "r20", "e40"),
    [
        (date(2024, 9, 20), date(2024, 9, 30), date(2024, 10, 23), date(2024, 11, 20)),
        (date(2024, 9, 27), date(2024, 10, 12), date(2024, 10, 30), date(2024, 11, 27)),
        (date(2025, 1, 20), date(2025, 2, 5), date(2025, 2, 21), date(2025, 3, 21)),
        (date(2025, 9, 26), date(2025, 10, 13), date(2025, 10, 30), date(2025, 11, 27)),
        (date(2026, 2, 6), date(2026, 2, 24), date(2026, 3, 12), date(2026, 4, 10)),
        (date(2026, 9, 25), date(2026, 10, 12), date(2026, 10, 29), date(2026, 11, 26)),
    ],
)
def test_golden_dates_spec02(cal: WorkCalendar, received: date, c7: date, r20: date, e40: date) -> None:
    q = quick_deadlines(received, cal)
    assert q == {
        "received": received,
        "correction_notice_due": c7,
        "reply_due": r20,
        "extended_due": e40,
        "provisional": False,
    }
    d = compute_deadline(received, [], cal, today=received)
    assert (d.correction_notice_due, d.due, d.base_due) == (c7, r20, r20)
    extended = compute_deadline(received, [ClockEvent("extension", received, days=20)], cal, today=received)
    assert extended.due == e40


# received, rules, 7th working day, reply due. Reasoning per row (d1, d2, ... = counted working days).
HAND_TABLE = [
    # 2019 rules start on 2019-05-15 (Wed). 5/16 d1 .. 5/24 d7; 6/7 端午 (Fri) skipped; 6/13 d20.
    (date(2019, 5, 15), "2019", date(2019, 5, 24), date(2019, 6, 13)),
    # The day before: 2008 rules, 15 days. 5/15 d1 .. 5/23 d7; 6/3 d14, 6/4 d15.
    (date(2019, 5, 14), "2008", date(2019, 5, 23), date(2019, 6, 4)),
    # 2008 rules across 劳动节 2019 (5/1-5/4 off; 4/28 Sun and 5/5 Sun make-up): 4/28 d1, 4/29 d2, 4/30 d3,
    # 5/5 d4, 5/6-5/8 d5-d7, ..., 5/20 d15.
    (date(2019, 4, 26), "2008", date(2019, 5, 8), date(2019, 5, 20)),
    # National Day 2019 (10/1-10/7; 9/29 Sun, 10/12 Sat make-up): 9/29 d1, 9/30 d2, 10/8-10/11 d3-d6,
    # 10/12 (Sat) d7; 10/30 d20.
    (date(2019, 9, 27), "2019", date(2019, 10, 12), date(2019, 10, 30)),
    # Across 元旦 2020 (1/1 only) and the 2020-01-19 make-up Sunday: 12/31 d1, 1/2 d2 ... 1/9 d7;
    # 1/19 (Sun) d14, 1/20-1/23 d15-d18, Spring Festival 1/24-2/2 (extended), 2/3 d19, 2/4 d20.
    (date(2019, 12, 30), "2019", date(2020, 1, 9), date(2020, 2, 4)),
    # Friday before the make-up Sunday 2020-01-19: 1/19 d1, 1/20-1/23 d2-d5, 2/3 d6, 2/4 d7; 2/21 d20.
    (date(2020, 1, 17), "2019", date(2020, 2, 4), date(2020, 2, 21)),
    # The 2020 extension: 1/21-1/23 d1-d3, 1/24-2/2 off (2/1 was to be a make-up Saturday; cancelled),
    # 2/3 d4 ... 2/6 d7; 2/25 d20.
    (date(2020, 1, 20), "2019", date(2020, 2, 6), date(2020, 2, 25)),
    # National Day + Mid-Autumn 2020 (10/1-10/8; 9/27 Sun, 10/10 Sat make-up): 9/27 d1 .. 9/30 d4,
    # 10/9 d5, 10/10 d6, 10/12 d7; 10/29 d20.
    (date(2020, 9, 25), "2019", date(2020, 10, 12), date(2020, 10, 29)),
    # Spring Festival 2021 (2/11-2/17; 2/7 Sun, 2/20 Sat make-up): 2/9 d1, 2/10 d2, 2/18 d3, 2/19 d4,
    # 2/20 d5, 2/22 d6, 2/23 d7; 3/12 d20.
    (date(2021, 2, 8), "2019", date(2021, 2, 23), date(2021, 3, 12)),
    # 劳动节 2021 (5/1-5/5; 5/8 Sat make-up): 5/6 d1, 5/7 d2, 5/8 d3, 5/10-5/13 d4-d7; 6/1 d20.
    (date(2021, 4, 30), "2019", date(2021, 5, 13), date(2021, 6, 1)),
    # Mid-Autumn 2021 (9/19-9/21; 9/18 Sat make-up) then National Day (10/1-10/7; 9/26 Sun, 10/9 Sat):
    # 9/18 d1, 9/22-9/24 d2-d4, 9/26 d5, 9/27 d6, 9/28 d7, ..., 10/8 d10, 10/9 d11, 10/21 d20.
    (date(2021, 9, 17), "2019", date(2021, 9, 28), date(2021, 10, 21)),
    # Spring Festival 2022 (1/31-2/6; make-up 1/29 Sat and 1/30 Sun): 1/29 d1, 1/30 d2, 2/7-2/11 d3-d7;
    # 3/2 d20.
    (date(2022, 1, 28), "2019", date(2022, 2, 11), date(2022, 3, 2)),
    # 清明 2022 (4/3-4/5; 4/2 Sat make-up) and 4/24 Sun make-up for 劳动节: 4/2 d1, 4/6-4/8 d2-d4,
    # 4/11-4/13 d5-d7; 4/24 d15, 4/25-4/29 d16-d20.
    (date(2022, 4, 1), "2019", date(2022, 4, 13), date(2022, 4, 29)),
    # Spring Festival 2023 (1/21-1/27; 1/28 Sat, 1/29 Sun make-up): 1/28 d1, 1/29 d2, 1/30-2/3 d3-d7;
    # 2/22 d20.
    (date(2023, 1, 20), "2019", date(2023, 2, 3), date(2023, 2, 22)),
    # Mid-Autumn + National Day 2023 (9/29-10/6; 10/7 Sat, 10/8 Sun make-up): 10/7 d1, 10/8 d2,
    # 10/9-10/13 d3-d7; 11/1 d20.
    (date(2023, 9, 28), "2019", date(2023, 10, 13), date(2023, 11, 1)),
    # 2024-02-09 (除夕) is a working day: 2/9 d1, 2/10-2/17 off, 2/18 (Sun) d2, 2/19-2/23 d3-d7; 3/13 d20.
    (date(2024, 2, 8), "2019", date(2024, 2, 23), date(2024, 3, 13)),
    # Received on a holiday (2024-10-03): 10/8 d1 .. 10/11 d4, 10/12 (Sat) d5, 10/14 d6, 10/15 d7; 11/1 d20.
    (date(2024, 10, 3), "2019", date(2024, 10, 15), date(2024, 11, 1)),
    # Received on a Saturday before the make-up Sunday 2025-01-26: 1/26 d1, 1/27 d2, 1/28-2/4 off,
    # 2/5-2/7 d3-d5, 2/8 (Sat) d6, 2/10 d7; 2/27 d20.
    (date(2025, 1, 25), "2019", date(2025, 2, 10), date(2025, 2, 27)),
    # Received on a make-up Sunday (2025-04-27): 4/28-4/30 d1-d3, 5/1-5/5 off, 5/6-5/9 d4-d7; 5/28 d20.
    (date(2025, 4, 27), "2019", date(2025, 5, 9), date(2025, 5, 28)),
    # Spring Festival 2026 (2/15-2/23; 2/14 Sat, 2/28 Sat make-up): 2/14 d1, 2/24-2/27 d2-d5, 2/28 d6,
    # 3/2 d7; 3/19 d20.
    (date(2026, 2, 13), "2019", date(2026, 3, 2), date(2026, 3, 19)),
    # 劳动节 2026 (5/1-5/5; 5/9 Sat make-up): 5/6-5/8 d1-d3, 5/9 d4, 5/11-5/13 d5-d7; 6/1 d20.
    (date(2026, 4, 30), "2019", date(2026, 5, 13), date(2026, 6, 1)),
    # 中秋 2026-09-25 (Fri) and National Day (10/1-10/7; 9/20 Sun, 10/10 Sat make-up): 9/20 d1,
    # 9/21-9/24 d2-d5, 9/28 d6, 9/29 d7, 9/30 d8, 10/8 d9, 10/9 d10, 10/10 d11, 10/22 d20.
    (date(2026, 9, 18), "2019", date(2026, 9, 29), date(2026, 10, 22)),
]


@pytest.mark.parametrize(("received", "rules", "c7", "due"), HAND_TABLE, ids=[str(r[0]) for r in HAND_TABLE])
def test_hand_built_table(cal: WorkCalendar, received: date, rules: str, c7: date, due: date) -> None:
    d = compute_deadline(received, [], cal, today=received)
    assert d.rules.code == rules
    assert d.correction_notice_due == c7
    assert d.due == due
    assert d.provisional is False


# --- the spec scenario ------------------------------------------------------------------------------

SCENARIO = pause("third_party", date(2025, 3, 10), date(2025, 3, 24), note="某某公司")


def test_scenario_third_party_pause(cal: WorkCalendar) -> None:
    # Days 1-5 are 3/4-3/7 and 3/10; 3/11-3/24 not counted; 4/4 清明; day 20 is 4/15.
    d = compute_deadline(date(2025, 3, 3), SCENARIO, cal, today=date(2025, 4, 1))
    assert d.due == date(2025, 4, 15)
    assert d.base_due == date(2025, 4, 15)
    assert d.correction_notice_due == date(2025, 3, 12)
    assert d.paused is False
    # used by 4/1: 3/4-3/7, 3/10 (5) + 3/25-3/28, 3/31, 4/1 (6) = 11
    assert (d.working_days_used, d.working_days_left) == (11, 9)
    assert d.status == "normal"


def test_scenario_explanation_shows_each_step(cal: WorkCalendar) -> None:
    lines = compute_deadline(date(2025, 3, 3), SCENARIO, cal, today=date(2025, 4, 1)).explanation
    text = "\n".join(lines)
    assert lines[0].startswith("2025-03-03（周一） 收到申请")
    assert "2025-03-04（周二） 第1日。" in lines
    assert "2025-03-10（周一） 发出征求意见书，征求第三方意见（某某公司），暂停计时（已计5日）。" in lines
    assert (
        "2025-03-24（周一） 收到意见（或征求意见期满），恢复计时；2025-03-11 至 03-24 期间的10个工作日不计。"
        in lines
    )
    assert "2025-04-04 至 04-06 清明节，不计，共3天。" in lines
    assert lines[-1] == "2025-04-15（周二） 第20日，答复期限届满。"
    # in date order
    assert text.index("第1日") < text.index("暂停计时") < text.index("恢复计时") < text.index("清明节")


def test_explanation_mentions_make_up_days_and_extension(cal: WorkCalendar) -> None:
    # Received Sunday 2025-04-20; 4/27 (Sun) is a make-up day; 劳动节 5/1-5/5.
    # 4/21-4/25 d1-d5, 4/27 d6, 4/28-4/30 d7-d9, 5/6-5/9 d10-d13, 5/12-5/16 d14-d18, 5/19 d19, 5/20 d20.
    # +20: 5/21-5/23 d21-d23, 5/26-5/30 d24-d28, 端午 5/31-6/2, 6/3-6/6 d29-d32, 6/9-6/13 d33-d37,
    # 6/16-6/18 d38-d40.
    events = [ClockEvent("extension", date(2025, 5, 10), days=20)]
    d = compute_deadline(date(2025, 4, 20), events, cal, today=date(2025, 5, 12))
    assert d.base_due == date(2025, 5, 20)
    assert d.due == date(2025, 6, 18)
    assert d.extension_days == 20
    lines = d.explanation
    assert "2025-04-27（周日） 调休上班日，计入（第6日）。" in lines
    assert "2025-05-01 至 05-05 劳动节，不计，共5天。" in lines
    assert "2025-05-20（周二） 第20日，原答复期限（未延长时）届满日。" in lines
    assert any(
        line.startswith("2025-05-10（周六） 经政府信息公开工作机构负责人同意，延长答复期限20个工作日")
        for line in lines
    )
    assert "2025-05-31 至 06-02 端午节，不计，共3天。" in lines
    assert lines[-1] == "2025-06-18（周三） 第40日，答复期限届满。"


# --- pauses -----------------------------------------------------------------------------------------


def test_open_consultation(cal: WorkCalendar) -> None:
    d = compute_deadline(date(2025, 3, 3), SCENARIO[:1], cal, today=date(2025, 3, 20))
    assert d.paused is True
    assert d.status == "paused"
    assert d.due is None and d.base_due is None
    assert (d.pause_kind, d.pause_since) == ("third_party", date(2025, 3, 10))
    assert (d.working_days_used, d.working_days_left) == (5, 15)
    # 15th working day after 3/10: 3/11-3/14 (4), 3/17-3/21 (9), 3/24-3/28 (14), 3/31 (15)
    assert d.consultation_due == date(2025, 3, 31)
    # Resumed on 3/21 (day 6): 3/21, 3/24-3/28, 3/31-4/3 (15), 4/7-4/11 (20)
    assert d.projected_due == date(2025, 4, 11)
    assert any("暂停计时中" in line and "已计5个工作日，尚余15个工作日" in line for line in d.explanation)


def test_agency_consultation_counts_like_third_party(cal: WorkCalendar) -> None:
    events = pause("agency", date(2025, 3, 10), date(2025, 3, 24))
    assert compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 3)).due == date(2025, 4, 15)


def test_fee_pause_switch(cal: WorkCalendar) -> None:
    events = pause("fee", date(2025, 3, 10), date(2025, 3, 24))
    on = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 3))
    off = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 3), fee_pauses_clock=False)
    assert on.due == date(2025, 4, 15)  # like the consultation scenario
    assert off.due == date(2025, 3, 31)  # plain 20 working days: 3/4-3/7, 3/10-3/28, 3/31
    assert any("申请人缴费，恢复计时" in line for line in on.explanation)
    assert any("缴费期间照常计时" in line for line in off.explanation)


def test_open_fee_notice(cal: WorkCalendar) -> None:
    events = pause("fee", date(2025, 3, 10))
    on = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 12))
    # 20th working day after 3/10: 3/11-3/14, 3/17-3/21, 3/24-3/28, 3/31-4/3 (18), 4/7, 4/8
    assert on.fee_payment_due == date(2025, 4, 8)
    assert (on.paused, on.pause_kind, on.due, on.status) == (True, "fee", None, "paused")
    off = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 12), fee_pauses_clock=False)
    assert off.fee_payment_due == date(2025, 4, 8)
    assert (off.paused, off.due, off.status) == (False, date(2025, 3, 31), "normal")


def test_overlapping_pauses_are_not_counted_twice(cal: WorkCalendar) -> None:
    # Consultation 3/10-3/24 and fee 3/17-3/31 overlap: nothing counts from 3/11 to 3/31.
    # 5 days by 3/10, then 4/1-4/3 d6-d8, 4/7-4/11 d9-d13, 4/14-4/18 d14-d18, 4/21 d19, 4/22 d20.
    events = [
        ClockEvent("pause_start", date(2025, 3, 10), pause_kind="third_party"),
        ClockEvent("pause_start", date(2025, 3, 17), pause_kind="fee"),
        ClockEvent("pause_end", date(2025, 3, 24), pause_kind="third_party"),
        ClockEvent("pause_end", date(2025, 3, 31), pause_kind="fee"),
    ]
    assert compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 3)).due == date(2025, 4, 22)


def test_events_in_any_order(cal: WorkCalendar) -> None:
    d = compute_deadline(date(2025, 3, 3), list(reversed(SCENARIO)), cal, today=date(2025, 4, 1))
    assert d.due == date(2025, 4, 15)


# --- correction, extension, delay, rules --------------------------------------------------------------


def test_correction_restarts_the_clock(cal: WorkCalendar) -> None:
    received = date(2025, 3, 3)
    events = [
        *pause("third_party", date(2025, 3, 4), date(2025, 3, 5)),  # before the restart: irrelevant
        ClockEvent("correction_requested", date(2025, 3, 5)),
    ]
    waiting = compute_deadline(received, events, cal, today=date(2025, 3, 10))
    assert waiting.correction_pending is True
    assert waiting.status == "awaiting_correction"
    assert waiting.due is None and waiting.working_days_left is None
    assert any("答复期限停止计算" in line for line in waiting.explanation)

    events.append(ClockEvent("correction_received", date(2025, 3, 20)))
    d = compute_deadline(received, events, cal, today=date(2025, 3, 20))
    # 3/21 d1, 3/24-3/28 d2-d6, 3/31-4/3 d7-d10, 4/4 清明, 4/7-4/11 d11-d15, 4/14-4/18 d16-d20
    assert d.clock_start == date(2025, 3, 20)
    assert d.due == date(2025, 4, 18)
    assert d.correction_notice_due == date(2025, 3, 12)  # still from the first receipt
    assert d.correction_pending is False
    assert (d.working_days_used, d.working_days_left) == (0, 20)
    assert any("收到补正后的申请，答复期限自该日起重新计算20个工作日" in line for line in d.explanation)


def test_consultation_open_across_the_restart_keeps_stopping_the_clock(cal: WorkCalendar) -> None:
    # Restart on 3/20 (due 4/18 as above); the consultation answered on 3/25 covers 3/21, 3/24, 3/25:
    # 4/21 d21, 4/22 d22, 4/23 d23 -> due 4/23.
    events = [
        ClockEvent("pause_start", date(2025, 3, 4), pause_kind="agency"),
        ClockEvent("correction_requested", date(2025, 3, 5)),
        ClockEvent("correction_received", date(2025, 3, 20)),
        ClockEvent("pause_end", date(2025, 3, 25), pause_kind="agency"),
    ]
    d = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 25))
    assert d.due == date(2025, 4, 23)


def test_correction_lapsed_ends_the_case(cal: WorkCalendar) -> None:
    events = [
        ClockEvent("correction_requested", date(2025, 3, 5)),
        ClockEvent("correction_lapsed", date(2025, 3, 25)),
    ]
    d = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 4, 30))
    assert d.concluded_on == date(2025, 3, 25)
    assert d.status == "concluded_on_time"
    assert d.due is None


def test_extension_by_five(cal: WorkCalendar) -> None:
    # 3/31 is day 20; +5: 4/1-4/3 d21-d23, 4/4 清明, 4/7 d24, 4/8 d25.
    events = [ClockEvent("extension", date(2025, 3, 28), days=5)]
    d = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 28))
    assert (d.base_due, d.due, d.extended_due, d.extension_days) == (
        date(2025, 3, 31), date(2025, 4, 8), date(2025, 4, 8), 5,
    )  # fmt: skip


def test_extension_after_a_pause(cal: WorkCalendar) -> None:
    # Scenario (due 4/15) + 20: 4/16-4/18 d21-d23, 4/21-4/25 d24-d28, 4/27 (Sun) d29, 4/28-4/30 d30-d32,
    # 5/1-5/5 off, 5/6-5/9 d33-d36, 5/12-5/15 d37-d40.
    events = [*SCENARIO, ClockEvent("extension", date(2025, 4, 14), days=20)]
    d = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 4, 14))
    assert d.base_due == date(2025, 4, 15)
    assert d.due == date(2025, 5, 15)


def test_delay_sets_the_date(cal: WorkCalendar) -> None:
    events = [ClockEvent("delay", date(2025, 3, 20), until=date(2025, 6, 30), note="申请数量过大")]
    d = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 4, 20))
    assert d.due == date(2025, 6, 30)
    assert d.delayed_until == date(2025, 6, 30)
    assert d.base_due == date(2025, 3, 31)
    # Working days 4/21 .. 6/30: April 4/21-4/25, 4/27, 4/28-4/30 (9); May 5/6-5/30 (19);
    # June 6/3-6/30 without 6/2 (20) = 48
    assert d.working_days_left == 48
    assert d.status == "normal"
    assert any("依第三十五条确定答复期限为 2025-06-30（周一）" in line for line in d.explanation)
    late = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 7, 1))
    assert (late.status, late.working_days_left) == ("overdue", -1)


def test_rules_by_receipt_date() -> None:
    assert rules_for(date(2019, 5, 14)) is RULES_2008
    assert rules_for(date(2019, 5, 15)) is RULES_2019
    assert (RULES_2008.reply_days, RULES_2008.max_extension_days) == (15, 15)
    assert (RULES_2019.reply_days, RULES_2019.max_extension_days) == (20, 20)


def test_2008_rules(cal: WorkCalendar) -> None:
    q = quick_deadlines(date(2019, 5, 14), cal)
    # 15th: 6/4 (table above); +15: 6/5 d16, 6/6 d17, 6/7 端午, 6/10-6/14 d18-d22, 6/17-6/21 d23-d27,
    # 6/24 d28, 6/25 d29, 6/26 d30.
    assert (q["reply_due"], q["extended_due"]) == (date(2019, 6, 4), date(2019, 6, 26))
    # An old case can carry its rule set explicitly.
    d = compute_deadline(date(2025, 3, 3), [], cal, today=date(2025, 3, 3), rules=RULES_2008)
    assert d.due == date(2025, 3, 24)  # 3/4-3/7, 3/10-3/14, 3/17-3/21, 3/24 = 15


# --- status -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status", "used", "left"),
    [
        (date(2025, 3, 1), "normal", 0, 20),  # before receipt (a date typed ahead)
        (date(2025, 3, 3), "normal", 0, 20),
        (date(2025, 3, 20), "normal", 13, 7),  # left: 3/21, 3/24-3/28, 3/31
        (date(2025, 3, 22), "normal", 14, 6),  # Saturday
        (date(2025, 3, 24), "due_soon", 15, 5),
        (date(2025, 3, 31), "due_soon", 20, 0),  # due today
        (date(2025, 4, 1), "overdue", 21, -1),
        (date(2025, 4, 7), "overdue", 24, -4),  # 4/1-4/3 and 4/7; 4/4 清明 not counted
    ],
)
def test_status_on_fixed_days(cal: WorkCalendar, today: date, status: str, used: int, left: int) -> None:
    d = compute_deadline(date(2025, 3, 3), [], cal, today=today)
    assert d.due == date(2025, 3, 31)
    assert (d.status, d.working_days_used, d.working_days_left) == (status, used, left)


def test_due_soon_threshold_is_configurable(cal: WorkCalendar) -> None:
    d = compute_deadline(date(2025, 3, 3), [], cal, today=date(2025, 3, 20), due_soon_days=7)
    assert d.status == "due_soon"


def test_concluded(cal: WorkCalendar) -> None:
    on_time = compute_deadline(
        date(2025, 3, 3), [ClockEvent("concluded", date(2025, 3, 28))], cal, today=date(2025, 6, 1)
    )
    assert (on_time.status, on_time.concluded_on, on_time.working_days_used) == (
        "concluded_on_time", date(2025, 3, 28), 19,
    )  # fmt: skip
    late = compute_deadline(
        date(2025, 3, 3), [ClockEvent("concluded", date(2025, 4, 2))], cal, today=date(2025, 6, 1)
    )
    assert (late.status, late.working_days_used) == ("concluded_late", 22)
    assert late.explanation[-1] == "2025-04-02（周三） 答复办结，超过期限2个工作日。"
    # Replied during an open consultation: the pause ends with the reply. 3/11-3/14 are not counted, so the
    # due date is the 24th working day: 3/31 d20, 4/1-4/3 d21-d23, 4/4 清明, 4/7 d24.
    during = compute_deadline(
        date(2025, 3, 3),
        [*SCENARIO[:1], ClockEvent("concluded", date(2025, 3, 14))],
        cal,
        today=date(2025, 6, 1),
    )
    assert (during.status, during.paused, during.due) == ("concluded_on_time", False, date(2025, 4, 7))
    assert (during.working_days_used, during.consultation_due) == (5, None)


def test_reopened_after_conclusion(cal: WorkCalendar) -> None:
    events = [ClockEvent("concluded", date(2025, 3, 20)), ClockEvent("extension", date(2025, 3, 25), days=5)]
    d = compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 25))
    assert d.concluded_on is None
    assert d.due == date(2025, 4, 8)


# --- provisional ------------------------------------------------------------------------------------


def test_provisional_after_last_official_year(cal: WorkCalendar) -> None:
    # 12/16-12/18 d1-d3, 12/21-12/25 d4-d8, 12/28-12/31 d9-d12, 1/1 元旦, 1/4-1/8 d13-d17, 1/11-1/13 d18-d20.
    received = date(2026, 12, 15)
    d = compute_deadline(received, [], cal, today=received)
    assert d.due == date(2027, 1, 13)
    assert d.provisional is True
    assert any("此期限为暂定" in line for line in d.explanation)
    q = quick_deadlines(received, cal)
    assert q["provisional"] is True
    assert q["correction_notice_due"] == date(2026, 12, 24)

    notice = parse_notice(FAKE_2027)
    official = WorkCalendar(notice.overrides(), official_years=[notice.year])
    final = compute_deadline(received, [], official, today=received)
    assert final.due == date(2027, 1, 13)
    assert final.provisional is False
    assert quick_deadlines(received, official)["provisional"] is False


def test_imported_notice_moves_a_due_date(cal: WorkCalendar) -> None:
    notice = parse_notice(FAKE_2027)
    official = WorkCalendar(notice.overrides(), official_years=[2027])
    changes = cal.changes_against(official, date(2027, 1, 1), date(2027, 12, 31))
    changed = [(d, new.working) for d, _old, new in changes]
    assert changed == [(date(2027, 2, 11), False), (date(2027, 2, 13), True)]
    # Received 2027-02-12 (Fri). Package guess: 2/15 d1 ... 3/12 d20.
    # Fake notice: 2/13 (Sat) d1, 2/15-2/19 d2-d6, 2/22-2/26 d7-d11, 3/1-3/5 d12-d16, 3/8-3/11 d17-d20.
    before = compute_deadline(date(2027, 2, 12), [], cal, today=date(2027, 2, 12))
    after = compute_deadline(date(2027, 2, 12), [], official, today=date(2027, 2, 12))
    assert (before.due, before.provisional) == (date(2027, 3, 12), True)
    assert (after.due, after.provisional) == (date(2027, 3, 11), False)


def test_paused_case_near_year_end_is_provisional(cal: WorkCalendar) -> None:
    events = pause("third_party", date(2026, 12, 10))
    d = compute_deadline(date(2026, 12, 1), events, cal, today=date(2026, 12, 20))
    assert d.due is None
    assert d.projected_due is not None and d.projected_due.year == 2027
    assert d.provisional is True


# --- malformed histories ----------------------------------------------------------------------------


def test_pause_end_without_start(cal: WorkCalendar) -> None:
    with pytest.raises(ClockRuleError, match="没有对应的开始暂停"):
        events = [ClockEvent("pause_end", date(2025, 3, 5), pause_kind="fee")]
        compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 5))


def test_pause_twice_of_one_kind(cal: WorkCalendar) -> None:
    events = [*pause("agency", date(2025, 3, 5)), *pause("agency", date(2025, 3, 6))]
    with pytest.raises(ClockRuleError, match="同类暂停同一时间只能有一个"):
        compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 6))


def test_unknown_kinds(cal: WorkCalendar) -> None:
    with pytest.raises(ClockRuleError, match="未知的期限事件"):
        events = [ClockEvent("holiday", date(2025, 3, 5))]
        compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 5))
    with pytest.raises(ClockRuleError, match="暂停类型"):
        events = [ClockEvent("pause_start", date(2025, 3, 5), pause_kind="x")]
        compute_deadline(date(2025, 3, 3), events, cal, today=date(2025, 3, 5))


def test_receipt_outside_the_calendar(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        compute_deadline(date(1999, 1, 4), [], cal, today=date(1999, 1, 4))


# --- the Deadline object ----------------------------------------------------------------------------


def test_deadline_behaves_like_a_frozen_dataclass(cal: WorkCalendar) -> None:
    d = compute_deadline(date(2025, 3, 3), SCENARIO, cal, today=date(2025, 4, 1), explain=False)
    assert d.explanation == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.due = date(2025, 1, 1)  # type: ignore[misc]
    as_dict = dataclasses.asdict(d)
    assert as_dict["due"] == date(2025, 4, 15)
    assert as_dict["pause_kind"] is None
    rebuilt = Deadline(**{f.name: getattr(d, f.name) for f in dataclasses.fields(Deadline)})
    assert rebuilt == d
    assert dataclasses.replace(d, status="overdue").status == "overdue"
    assert d.status_label == "正常"
    assert d.is_open


def test_explain_flag_changes_only_the_explanation(cal: WorkCalendar) -> None:
    a = compute_deadline(date(2025, 3, 3), SCENARIO, cal, today=date(2025, 4, 1))
    b = compute_deadline(date(2025, 3, 3), SCENARIO, cal, today=date(2025, 4, 1), explain=False)
    assert a.explanation and not b.explanation
    assert dataclasses.replace(a, explanation=[]) == b


def test_extended_due_if(cal: WorkCalendar) -> None:
    assert extended_due_if(date(2025, 3, 3), [], cal, 5, today=date(2025, 3, 28)) == date(2025, 4, 8)
    assert extended_due_if(date(2025, 3, 3), SCENARIO[:1], cal, 5, today=date(2025, 3, 28)) is None


# --- guards -----------------------------------------------------------------------------------------


def _open(cal: WorkCalendar, events: list[ClockEvent] | None = None) -> Deadline:
    """A case received 2025-03-03 (due 2025-03-31 without events), as of 2025-03-20."""
    return compute_deadline(date(2025, 3, 3), events or [], cal, today=date(2025, 3, 20))


def test_check_extension_allows_the_lawful_one(cal: WorkCalendar) -> None:
    check_extension(_open(cal), 20, date(2025, 3, 20), already_extended=False)
    check_extension(_open(cal), 1, date(2025, 3, 31), already_extended=False)  # on the due date itself
    # During a consultation the due date is unknown: allowed.
    check_extension(_open(cal, SCENARIO[:1]), 20, date(2025, 3, 20), already_extended=False)


@pytest.mark.parametrize(
    ("days", "on", "already", "message"),
    [
        (0, date(2025, 3, 20), False, "延长天数 0 无效"),
        (21, date(2025, 3, 20), False, "延长天数 21 无效：延长的期限最长不得超过20个工作日"),
        (10, date(2025, 3, 20), True, "只能延长一次"),
        (10, date(2025, 4, 1), False, "延长批准日期 2025-04-01 晚于答复期限 2025-03-31"),
        (10, date(2025, 3, 1), False, "早于计时起点"),
    ],
)
def test_check_extension_refusals(
    cal: WorkCalendar, days: int, on: date, already: bool, message: str
) -> None:
    with pytest.raises(ClockRuleError, match=message):
        check_extension(_open(cal), days, on, already_extended=already)


def test_check_extension_other_refusals(cal: WorkCalendar) -> None:
    extended = _open(cal, [ClockEvent("extension", date(2025, 3, 10), days=3)])
    with pytest.raises(ClockRuleError, match="只能延长一次"):
        check_extension(extended, 3, date(2025, 3, 20), already_extended=False)
    pending = _open(cal, [ClockEvent("correction_requested", date(2025, 3, 5))])
    with pytest.raises(ClockRuleError, match="待补正"):
        check_extension(pending, 3, date(2025, 3, 20), already_extended=False)
    closed = _open(cal, [ClockEvent("concluded", date(2025, 3, 10))])
    with pytest.raises(ClockRuleError, match="已于 2025-03-10 办结"):
        check_extension(closed, 3, date(2025, 3, 20), already_extended=False)
    old = compute_deadline(date(2019, 5, 14), [], cal, today=date(2019, 5, 20))
    with pytest.raises(ClockRuleError, match="最长不得超过15个工作日"):
        check_extension(old, 16, date(2019, 5, 20), already_extended=False)


def test_check_correction_request(cal: WorkCalendar) -> None:
    assert check_correction_request(date(2025, 3, 3), date(2025, 3, 12), False, calendar=cal) == []
    warnings = check_correction_request(date(2025, 3, 3), date(2025, 3, 14), False, calendar=cal)
    assert warnings == [
        "补正告知日期 2025-03-14 晚于法定期限 2025-03-12（收到申请之日起7个工作日内，第三十条），逾期2个工作日。"
    ]
    with pytest.raises(ClockRuleError, match="只能一次性告知补正"):
        check_correction_request(date(2025, 3, 3), date(2025, 3, 5), True, calendar=cal)
    with pytest.raises(ClockRuleError, match="早于收到申请日期 2025-03-03"):
        check_correction_request(date(2025, 3, 3), date(2025, 3, 1), False)


def test_check_delay(cal: WorkCalendar) -> None:
    check_delay(_open(cal), date(2025, 6, 30), date(2025, 3, 20))
    with pytest.raises(ClockRuleError, match="应晚于告知日期"):
        check_delay(_open(cal), date(2025, 3, 20), date(2025, 3, 20))
