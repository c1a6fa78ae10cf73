"""The working-day calendar: package data, overrides, counting, display helpers.

All expected dates are written by hand (spec 02's tables and a printed calendar), never computed by the
code under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zwgk_tui.domain.calendar import (
    RANGE_END,
    RANGE_START,
    CalendarOverride,
    WorkCalendar,
    default_calendar,
)


def span(y: int, m1: int, d1: int, m2: int, d2: int) -> list[date]:
    a, b = date(y, m1, d1), date(y, m2, d2)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


# Spec 02, "Official days off and make-up days".
OFFICIAL = {
    2024: (
        [date(2024, 1, 1), *span(2024, 2, 10, 2, 17), *span(2024, 4, 4, 4, 6), *span(2024, 5, 1, 5, 5),
         date(2024, 6, 10), *span(2024, 9, 15, 9, 17), *span(2024, 10, 1, 10, 7)],
        [date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 7), date(2024, 4, 28), date(2024, 5, 11),
         date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12)],
    ),
    2025: (
        [date(2025, 1, 1), *span(2025, 1, 28, 2, 4), *span(2025, 4, 4, 4, 6), *span(2025, 5, 1, 5, 5),
         *span(2025, 5, 31, 6, 2), *span(2025, 10, 1, 10, 8)],
        [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)],
    ),
    2026: (
        [*span(2026, 1, 1, 1, 3), *span(2026, 2, 15, 2, 23), *span(2026, 4, 4, 4, 6), *span(2026, 5, 1, 5, 5),
         *span(2026, 6, 19, 6, 21), *span(2026, 9, 25, 9, 27), *span(2026, 10, 1, 10, 7)],
        [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
         date(2026, 10, 10)],
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return default_calendar()


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_official_table_day_by_day(cal: WorkCalendar, year: int) -> None:
    off, work = OFFICIAL[year]
    d = date(year, 1, 1)
    wrong = []
    while d.year == year:
        expected = d in work or (d.weekday() < 5 and d not in off)
        if cal.is_working_day(d) != expected:
            wrong.append(d)
        d += timedelta(days=1)
    assert wrong == []


def test_new_years_eve_2024_is_a_working_day(cal: WorkCalendar) -> None:
    # Only an encouraged rest day: officially a working day.
    info = cal.day_info(date(2024, 2, 9))
    assert info.working is True
    assert info.kind == "workday"


def test_2020_spring_festival_extension(cal: WorkCalendar) -> None:
    # 国办发明电〔2020〕1号 extended the holiday to 2020-02-02; 2020-02-01 had been a make-up Saturday.
    for d in (date(2020, 1, 31), date(2020, 2, 1), date(2020, 2, 2)):
        assert not cal.is_working_day(d), d
    assert cal.day_info(date(2020, 1, 31)).detail == "春节延长假期"
    assert cal.day_info(date(2020, 2, 1)).kind == "holiday"
    assert cal.is_working_day(date(2020, 2, 3))  # Monday: back to work
    assert cal.is_working_day(date(2020, 1, 19))  # the make-up Sunday before the holiday stays
    assert cal.day_info(date(2020, 1, 19)).kind == "makeup_workday"


def test_make_up_days_are_not_plain_weekends(cal: WorkCalendar) -> None:
    # The wrong rule "weekday() < 5 and not a holiday" fails on exactly these days.
    for d in (date(2024, 2, 4), date(2024, 10, 12), date(2025, 4, 27), date(2026, 2, 28)):
        assert d.weekday() >= 5
        assert cal.is_working_day(d)
        assert cal.day_info(d).kind == "makeup_workday"
        assert cal.day_info(d).name == "调休上班"


@pytest.mark.parametrize(
    ("received", "n", "expected"),
    [
        # spec 02 golden dates: 7 / 15 / 20 / 40 working days
        (date(2024, 9, 20), 7, date(2024, 9, 30)),
        (date(2024, 9, 20), 15, date(2024, 10, 16)),
        (date(2024, 9, 20), 20, date(2024, 10, 23)),
        (date(2024, 9, 20), 40, date(2024, 11, 20)),
        (date(2024, 9, 27), 7, date(2024, 10, 12)),
        (date(2024, 9, 27), 15, date(2024, 10, 23)),
        (date(2024, 9, 27), 20, date(2024, 10, 30)),
        (date(2024, 9, 27), 40, date(2024, 11, 27)),
        (date(2025, 1, 20), 7, date(2025, 2, 5)),
        (date(2025, 1, 20), 15, date(2025, 2, 14)),
        (date(2025, 1, 20), 20, date(2025, 2, 21)),
        (date(2025, 1, 20), 40, date(2025, 3, 21)),
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        (date(2025, 9, 26), 15, date(2025, 10, 23)),
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
        (date(2025, 9, 26), 40, date(2025, 11, 27)),
        (date(2026, 2, 6), 7, date(2026, 2, 24)),
        (date(2026, 2, 6), 15, date(2026, 3, 5)),
        (date(2026, 2, 6), 20, date(2026, 3, 12)),
        (date(2026, 2, 6), 40, date(2026, 4, 10)),
        (date(2026, 9, 25), 7, date(2026, 10, 12)),
        (date(2026, 9, 25), 15, date(2026, 10, 22)),
        (date(2026, 9, 25), 20, date(2026, 10, 29)),
        (date(2026, 9, 25), 40, date(2026, 11, 26)),
    ],
)
def test_golden_dates(cal: WorkCalendar, received: date, n: int, expected: date) -> None:
    assert cal.nth_working_day_after(received, n) == expected


def test_counting_starts_the_day_after(cal: WorkCalendar) -> None:
    # Received on a working Monday: day 1 is Tuesday.
    assert cal.nth_working_day_after(date(2025, 3, 3), 1) == date(2025, 3, 4)
    # Received on a Saturday before a make-up Sunday: day 1 is that Sunday.
    assert cal.nth_working_day_after(date(2025, 1, 25), 1) == date(2025, 1, 26)
    # Received on a holiday: the first working day after the holiday.
    assert cal.nth_working_day_after(date(2024, 10, 3), 1) == date(2024, 10, 8)


def test_nth_refuses_zero(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="至少为 1"):
        cal.nth_working_day_after(date(2025, 3, 3), 0)


def test_working_days_between(cal: WorkCalendar) -> None:
    # start < w <= end
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 10)) == 5
    assert cal.working_days_between(date(2025, 3, 10), date(2025, 3, 24)) == 10
    # 2025-04-03 (Thu) .. 2025-04-07 (Mon): 4/4 清明, 4/5-6 weekend -> only 4/7
    assert cal.working_days_between(date(2025, 4, 3), date(2025, 4, 7)) == 1
    # the whole 2024 National Day window, 9/28 (Sat) .. 10/13 (Sun): 9/29, 9/30, 10/8-10/12
    assert cal.working_days_between(date(2024, 9, 28), date(2024, 10, 13)) == 7
    assert cal.working_days_between(date(2025, 3, 10), date(2025, 3, 10)) == 0
    assert cal.working_days_between(date(2025, 3, 10), date(2025, 3, 3)) == 0


def test_day_info_names(cal: WorkCalendar) -> None:
    spring = cal.day_info(date(2024, 2, 10))
    assert (spring.working, spring.kind, spring.name, spring.overridden) == (False, "holiday", "春节", False)
    # The package lists 农历除夕 separately; the run is still 春节.
    assert cal.day_info(date(2025, 1, 28)).name == "春节"
    # A moved rest day carries its holiday's name, with the package text as detail.
    moved = cal.day_info(date(2024, 2, 15))
    assert moved.kind == "holiday"
    assert moved.name == "春节"
    assert moved.detail == "休息日（由 2024-02-04 调休）"
    # A weekend inside a holiday is named after it; a plain weekend is not.
    assert cal.day_info(date(2025, 4, 5)).name == "清明节"
    assert cal.day_info(date(2025, 4, 5)).kind == "weekend"
    assert cal.day_info(date(2025, 3, 8)).name is None
    assert cal.day_info(date(2025, 3, 10)).kind == "workday"
    # Two holidays on one day.
    assert cal.day_info(date(2020, 10, 1)).name == "中秋节、国庆节"


def test_overrides_win(cal: WorkCalendar) -> None:
    local = WorkCalendar(
        [
            CalendarOverride(date(2025, 3, 5), False, "本地停工（测试）", "本地通知"),
            CalendarOverride(date(2025, 3, 8), True, "调休上班", "本地通知"),
        ]
    )
    assert not local.is_working_day(date(2025, 3, 5))
    assert local.is_working_day(date(2025, 3, 8))
    info = local.day_info(date(2025, 3, 5))
    assert (info.kind, info.name, info.overridden) == ("holiday", "本地停工（测试）", True)
    assert local.day_info(date(2025, 3, 8)).kind == "makeup_workday"
    # 2025-03-03 + 5 working days: 3/4, 3/6, 3/7, 3/8 (made working), 3/10
    assert local.nth_working_day_after(date(2025, 3, 3), 5) == date(2025, 3, 10)
    assert local.working_days_between(date(2025, 3, 3), date(2025, 3, 10)) == 5
    # The package calendar is untouched.
    assert cal.is_working_day(date(2025, 3, 5))
    changes = cal.changes_against(local, date(2025, 3, 1), date(2025, 3, 31))
    assert [(d, old.working, new.working) for d, old, new in changes] == [
        (date(2025, 3, 5), True, False),
        (date(2025, 3, 8), False, True),
    ]


def test_later_override_of_the_same_day_wins() -> None:
    local = WorkCalendar(
        [
            CalendarOverride(date(2025, 3, 5), False, "甲"),
            CalendarOverride(date(2025, 3, 5), True, "乙"),
        ]
    )
    assert local.is_working_day(date(2025, 3, 5))
    assert len(local.overrides) == 1


def test_with_overrides_keeps_earlier_ones() -> None:
    a = WorkCalendar([CalendarOverride(date(2025, 3, 5), False, "甲")])
    b = a.with_overrides([CalendarOverride(date(2025, 3, 6), False, "乙")], official_years=[2027])
    assert not b.is_working_day(date(2025, 3, 5))
    assert not b.is_working_day(date(2025, 3, 6))
    assert b.last_official_year == 2027


def test_official_years_and_provisional(cal: WorkCalendar) -> None:
    assert cal.package_version == "0.109"
    assert cal.package_last_official_year == 2026
    assert cal.last_official_year == 2026
    assert cal.source == "holidays 0.109 · China (zh_CN)"
    assert not cal.is_provisional(date(2026, 12, 31))
    assert cal.is_provisional(date(2027, 1, 1))
    ext = WorkCalendar(official_years=[2027])
    assert ext.last_official_year == 2027
    assert not ext.is_provisional(date(2027, 12, 31))
    assert ext.is_provisional(date(2028, 1, 1))
    assert cal.day_info(date(2027, 3, 1)).provisional is True
    assert cal.day_info(date(2026, 3, 2)).provisional is False
    # A gap: 2028 imported without 2027. Counting into 2028 passes through guessed 2027 days.
    gap = WorkCalendar(official_years=[2028])
    assert gap.last_official_year == 2026
    assert gap.is_provisional(date(2028, 6, 1))


def test_month_grid_february_2024(cal: WorkCalendar) -> None:
    grid = cal.month_grid(2024, 2)
    assert len(grid) == 5
    assert all(len(week) == 7 for week in grid)
    # 2024-02-01 is a Thursday; 2024-02-29 a Thursday.
    assert grid[0][:3] == [None, None, None]
    assert grid[0][3] is not None and grid[0][3].day == date(2024, 2, 1)
    assert grid[4][3] is not None and grid[4][3].day == date(2024, 2, 29)
    assert grid[4][4:] == [None, None, None]
    # Week of 2/5: Sunday 2/4 was in the first row, a make-up day.
    assert grid[0][6] is not None and grid[0][6].kind == "makeup_workday"
    assert grid[1][5] is not None and grid[1][5].day == date(2024, 2, 10)
    assert grid[1][5].name == "春节"


def test_month_grid_december_starts_on_monday(cal: WorkCalendar) -> None:
    grid = cal.month_grid(2025, 12)  # 2025-12-01 is a Monday
    assert grid[0][0] is not None and grid[0][0].day == date(2025, 12, 1)
    assert grid[-1][2] is not None and grid[-1][2].day == date(2025, 12, 31)


def test_out_of_range_is_a_readable_error(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        cal.is_working_day(RANGE_START - timedelta(days=1))
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        cal.nth_working_day_after(RANGE_END - timedelta(days=3), 20)
    with pytest.raises(ValueError, match="1999-12-31"):
        cal.day_info(date(1999, 12, 31))
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        WorkCalendar([CalendarOverride(date(2050, 1, 1), False)])


def test_default_calendar_is_cached() -> None:
    assert default_calendar() is default_calendar()


def test_changes_against_itself_is_empty(cal: WorkCalendar) -> None:
    assert cal.changes_against(default_calendar(), date(2024, 1, 1), date(2026, 12, 31)) == []
