"""Properties of the calendar and the clock, checked on generated cases (hypothesis).

The only oracles are independent ones: chinese_calendar (test dependency, never used by the product) and a
naive day-by-day walk over `is_working_day` written here.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_tui.domain.calendar import CalendarOverride, WorkCalendar, default_calendar
from zwgk_tui.domain.clock import ClockEvent, compute_deadline

CAL = default_calendar()

receipts = st.dates(min_value=date(2019, 5, 15), max_value=date(2026, 10, 31))
any_receipts = st.dates(min_value=date(2008, 5, 1), max_value=date(2026, 10, 31))


def walk_nth(cal: WorkCalendar, d: date, n: int) -> date:
    """The n-th working day after d, found one day at a time."""
    while n:
        d += timedelta(days=1)
        if cal.is_working_day(d):
            n -= 1
    return d


def test_whole_2015_2026_classification_matches_chinese_calendar() -> None:
    d = date(2015, 1, 1)
    differences = []
    while d <= date(2026, 12, 31):
        if CAL.is_working_day(d) != chinese_calendar.is_workday(d):
            differences.append(d)
        d += timedelta(days=1)
    assert differences == []


def test_naive_weekday_rule_would_be_wrong() -> None:
    # Guard against a regression to "weekday() < 5 and not a holiday": it disagrees on dozens of days.
    d = date(2015, 1, 1)
    naive_wrong = 0
    while d <= date(2026, 12, 31):
        naive = d.weekday() < 5 and CAL.day_info(d).kind != "holiday"
        if naive != chinese_calendar.is_workday(d):
            naive_wrong += 1
        d += timedelta(days=1)
    assert naive_wrong > 50


@given(any_receipts)
def test_no_pauses_due_is_nth_working_day(received: date) -> None:
    d = compute_deadline(received, [], CAL, today=received, explain=False)
    n = d.rules.reply_days
    assert d.due == CAL.nth_working_day_after(received, n)
    assert d.due == walk_nth(CAL, received, n)
    assert CAL.is_working_day(d.due)
    assert d.correction_notice_due == walk_nth(CAL, received, 7)


@given(receipts, st.integers(0, 40), st.integers(0, 40))
def test_pause_moves_due_by_the_working_days_it_covers(received: date, start_off: int, length: int) -> None:
    s = received + timedelta(days=start_off)
    e = s + timedelta(days=length)
    events = [
        ClockEvent("pause_start", s, pause_kind="third_party"),
        ClockEvent("pause_end", e, pause_kind="third_party"),
    ]
    plain = CAL.nth_working_day_after(received, 20)
    d = compute_deadline(received, events, CAL, today=received, explain=False)
    assert d.due is not None and CAL.is_working_day(d.due)
    if s < plain:
        k = CAL.working_days_between(s, e)  # working days the pause covers (S < d <= E)
        expected = CAL.nth_working_day_after(plain, k) if k else plain
        assert d.due == expected
    else:
        assert d.due == plain


pause_specs = st.tuples(
    st.sampled_from(["third_party", "agency", "fee"]), st.integers(0, 30), st.integers(0, 20)
)


@given(receipts, st.lists(pause_specs, max_size=4), st.booleans())
def test_due_matches_a_day_by_day_count(
    received: date, raw: list[tuple[str, int, int]], fee_pauses: bool
) -> None:
    # Pauses of distinct kinds at a time, possibly overlapping: the due date is the 20th day that is a working
    # day and lies in no pause, counted one day at a time.
    events: list[ClockEvent] = []
    spans: list[tuple[date, date]] = []
    last_end: dict[str, date] = {}
    for kind, off, length in raw:
        s = max(received + timedelta(days=off), last_end.get(kind, received))
        e = s + timedelta(days=length)
        last_end[kind] = e
        events += [ClockEvent("pause_start", s, pause_kind=kind), ClockEvent("pause_end", e, pause_kind=kind)]
        if kind != "fee" or fee_pauses:
            spans.append((s, e))
    events.sort(key=lambda ev: ev.on)
    d = compute_deadline(received, events, CAL, today=received, fee_pauses_clock=fee_pauses, explain=False)
    day, counted = received, 0
    while counted < 20:
        day += timedelta(days=1)
        if CAL.is_working_day(day) and not any(s < day <= e for s, e in spans):
            counted += 1
    assert d.due == day


@given(receipts, st.integers(0, 60))
def test_used_plus_left_is_the_period(received: date, offset: int) -> None:
    today = received + timedelta(days=offset)
    d = compute_deadline(received, [], CAL, today=today, explain=False)
    assert d.working_days_used + d.working_days_left == 20
    assert d.working_days_used == CAL.working_days_between(received, today)
    assert (d.status == "overdue") == (today > d.due)


@given(receipts, st.integers(1, 20), st.integers(0, 25))
def test_extension_adds_counted_days(received: date, days: int, pause_len: int) -> None:
    s = received + timedelta(days=3)
    events = [
        ClockEvent("pause_start", s, pause_kind="agency"),
        ClockEvent("pause_end", s + timedelta(days=pause_len), pause_kind="agency"),
    ]
    base = compute_deadline(received, events, CAL, today=received, explain=False)
    ext = compute_deadline(received, [*events, ClockEvent("extension", s, days=days)], CAL, today=received,
                           explain=False)  # fmt: skip
    assert base.due is not None
    assert ext.base_due == base.due
    assert ext.due == CAL.nth_working_day_after(base.due, days)


@given(receipts, st.integers(0, 30), st.integers(0, 30), st.integers(0, 60))
def test_explain_does_not_change_the_numbers(received: date, off: int, length: int, today_off: int) -> None:
    s = received + timedelta(days=off)
    events = [ClockEvent("pause_start", s, pause_kind="third_party")]
    if length % 3:
        events.append(ClockEvent("pause_end", s + timedelta(days=length), pause_kind="third_party"))
    today = received + timedelta(days=today_off)
    a = compute_deadline(received, events, CAL, today=today)
    b = compute_deadline(received, events, CAL, today=today, explain=False)
    assert a.explanation
    assert dataclasses.replace(a, explanation=[]) == b
    # and the order of the events does not matter
    c = compute_deadline(received, list(reversed(events)), CAL, today=today, explain=False)
    assert c == b


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(date(2025, 1, 1), date(2025, 12, 31)), st.booleans()), min_size=1, max_size=15
    ),
    st.dates(date(2024, 12, 1), date(2025, 11, 30)),
    st.integers(1, 45),
)
def test_overridden_calendar_counts_like_a_walk(
    overrides: list[tuple[date, bool]], start: date, n: int
) -> None:
    cal = WorkCalendar([CalendarOverride(d, w, "测试") for d, w in overrides])
    for d, w in dict(overrides).items():
        assert cal.is_working_day(d) is w
    assert cal.nth_working_day_after(start, n) == walk_nth(cal, start, n)
    end = start + timedelta(days=n)
    walk = sum(cal.is_working_day(start + timedelta(days=i)) for i in range(1, n + 1))
    assert cal.working_days_between(start, end) == walk


@pytest.mark.parametrize("year", range(2019, 2027))
def test_every_due_date_of_a_year_is_a_working_day(year: int) -> None:
    d = date(year, 1, 1)
    while d.year == year:
        dl = compute_deadline(d, [], CAL, today=d, explain=False)
        assert dl.due is not None and CAL.is_working_day(dl.due), d
        if dl.due.year <= 2026:  # the oracle has no data beyond
            assert chinese_calendar.is_workday(dl.due), d
        d += timedelta(days=1)
