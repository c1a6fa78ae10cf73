"""Parsing State Council holiday notices into days off and make-up working days.

Expected days are written out by hand from the table of official days in spec 02 (2024-2026) and from the
notices themselves; they are never produced by the parser under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zwgk_tui.domain.calendar import WorkCalendar, default_calendar
from zwgk_tui.domain.holiday_notice import (
    NoticeHoliday,
    NoticeParseError,
    ParsedNotice,
    parse_notice,
)

# --- notice texts ---------------------------------------------------------------------------------
# 2024, 2025, 2026: the items as published (2026 as quoted in spec 02). 2015: the older shape (星期日,
# 与周末连休, 补休). NOTICE_2027_FAKE is MADE-UP TEST DATA — there is no 2027 notice yet.

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
"""

NOTICE_2025 = """国务院办公厅关于2025年部分节假日安排的通知
经国务院批准，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""

NOTICE_2024 = """国务院办公厅关于2024年部分节假日安排的通知
经国务院批准，现将2024年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
"""

NOTICE_2015 = """国务院办公厅关于2015年部分节假日安排的通知
一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。
二、春节：2月18日至24日放假调休，共7天。2月15日（星期日）、2月28日（星期六）上班。
三、清明节：4月5日放假，4月6日（星期一）补休。
四、劳动节：5月1日放假，与周末连休。
五、端午节：6月20日放假，6月22日（星期一）补休。
六、中秋节：9月27日放假。
七、国庆节：10月1日至7日放假调休，共7天。10月10日（星期六）上班。
"""

# The 2019 notice wrote the December days of 元旦 with their years.
NOTICE_2019_HEAD = """国务院办公厅关于2019年部分节假日安排的通知
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。
"""

# MADE-UP TEST DATA (虚构，仅供测试), not a real notice. Full-width digits, half-width parentheses and
# colons, stray spaces and a blank line exercise the parser's tolerance.
NOTICE_2027_FAKE = """国务院办公厅关于２０２７年部分节假日安排的通知（测试用虚构数据）

一、元旦: 1月1日(周五)至3日(周日)放假，共3天。
二、春节：2月5日（农历除夕、周五） 至 11日（农历正月初六、周四）放假调休，共7天。2月13日（周六）上班。
三、清明节：4月5日（周一）放假，与周末连休。
四、劳动节：５月１日（周六）至５日（周三）放假调休，共５天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def span(y: int, m1: int, d1: int, m2: int, d2: int) -> list[date]:
    a, b = date(y, m1, d1), date(y, m2, d2)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


# Spec 02 table of official days, written out.
OFF_2024 = [date(2024, 1, 1), *span(2024, 2, 10, 2, 17), *span(2024, 4, 4, 4, 6), *span(2024, 5, 1, 5, 5),
            date(2024, 6, 10), *span(2024, 9, 15, 9, 17), *span(2024, 10, 1, 10, 7)]  # fmt: skip
WORK_2024 = [date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 7), date(2024, 4, 28), date(2024, 5, 11),
             date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12)]  # fmt: skip
OFF_2025 = [date(2025, 1, 1), *span(2025, 1, 28, 2, 4), *span(2025, 4, 4, 4, 6), *span(2025, 5, 1, 5, 5),
            *span(2025, 5, 31, 6, 2), *span(2025, 10, 1, 10, 8)]  # fmt: skip
WORK_2025 = [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)]
OFF_2026 = [*span(2026, 1, 1, 1, 3), *span(2026, 2, 15, 2, 23), *span(2026, 4, 4, 4, 6),
            *span(2026, 5, 1, 5, 5), *span(2026, 6, 19, 6, 21), *span(2026, 9, 25, 9, 27),
            *span(2026, 10, 1, 10, 7)]  # fmt: skip
WORK_2026 = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
             date(2026, 10, 10)]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "year", "off", "work"),
    [
        (NOTICE_2024, 2024, OFF_2024, WORK_2024),
        (NOTICE_2025, 2025, OFF_2025, WORK_2025),
        (NOTICE_2026, 2026, OFF_2026, WORK_2026),
    ],
    ids=["2024", "2025", "2026"],
)
def test_official_notices_match_spec_table(text: str, year: int, off: list[date], work: list[date]) -> None:
    n = parse_notice(text)
    assert n.year == year
    assert n.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert n.days_off == off
    assert n.workdays == work


def test_2026_holidays_with_lunar_parentheticals() -> None:
    n = parse_notice(NOTICE_2026)
    assert n.holidays == [
        NoticeHoliday("元旦", date(2026, 1, 1), date(2026, 1, 3)),
        NoticeHoliday("春节", date(2026, 2, 15), date(2026, 2, 23)),
        NoticeHoliday("清明节", date(2026, 4, 4), date(2026, 4, 6)),
        NoticeHoliday("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
        NoticeHoliday("端午节", date(2026, 6, 19), date(2026, 6, 21)),
        NoticeHoliday("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
        NoticeHoliday("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
    ]


def test_2025_range_across_months_and_single_day() -> None:
    n = parse_notice(NOTICE_2025)
    assert n.holidays[0] == NoticeHoliday("元旦", date(2025, 1, 1), date(2025, 1, 1))
    assert n.holidays[1] == NoticeHoliday("春节", date(2025, 1, 28), date(2025, 2, 4))
    assert n.holidays[4] == NoticeHoliday("端午节", date(2025, 5, 31), date(2025, 6, 2))
    assert n.holidays[5].name == "国庆节、中秋节"


def test_2024_encouraged_rest_on_new_years_eve_is_not_a_day_off() -> None:
    n = parse_notice(NOTICE_2024)
    assert date(2024, 2, 9) not in n.days_off
    assert date(2024, 2, 9) not in n.workdays
    # The sentence is kept aside so the clerk sees it was not applied.
    assert any("2月9日" in s for s in n.ignored)
    # "与周末连休": only the holiday itself is listed, the weekend is off anyway.
    assert n.holidays[0] == NoticeHoliday("元旦", date(2024, 1, 1), date(2024, 1, 1))
    assert n.holidays[4] == NoticeHoliday("端午节", date(2024, 6, 10), date(2024, 6, 10))


def test_older_shape_with_xingqi_and_buxiu() -> None:
    n = parse_notice(NOTICE_2015)
    assert n.year == 2015
    assert n.days_off == [
        *span(2015, 1, 1, 1, 3),
        *span(2015, 2, 18, 2, 24),
        date(2015, 4, 5), date(2015, 4, 6),
        date(2015, 5, 1),
        date(2015, 6, 20), date(2015, 6, 22),
        date(2015, 9, 27),
        *span(2015, 10, 1, 10, 7),
    ]  # fmt: skip
    assert n.workdays == [date(2015, 1, 4), date(2015, 2, 15), date(2015, 2, 28), date(2015, 10, 10)]
    assert n.holidays[2] == NoticeHoliday("清明节", date(2015, 4, 5), date(2015, 4, 5))
    # 补休 days belong to their holiday in the overrides.
    notes = {o.day: o.note for o in n.overrides()}
    assert notes[date(2015, 4, 6)] == "清明节"
    assert notes[date(2015, 6, 22)] == "端午节"


def test_explicit_years_on_new_year_days() -> None:
    n = parse_notice(NOTICE_2019_HEAD)
    assert n.holidays[0] == NoticeHoliday("元旦", date(2018, 12, 30), date(2019, 1, 1))
    assert n.workdays == [date(2018, 12, 29), date(2019, 2, 2), date(2019, 2, 3)]


def test_new_year_range_starting_in_december_without_years() -> None:
    text = "一、元旦：12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。"
    n = parse_notice(text, year=2019)
    assert n.year == 2019
    assert n.days_off == [date(2018, 12, 30), date(2018, 12, 31), date(2019, 1, 1)]
    assert n.workdays == [date(2018, 12, 29)]
    assert n.title == "2019年部分节假日安排"


def test_range_across_new_year_with_weekdays_and_no_years() -> None:
    # Not a 元旦 item, so only the "end before start" rule can place 12月31日 in 2022; the weekdays are
    # checked after that (2022-12-31 is a Saturday, 2023-01-02 a Monday).
    text = "一、新年假期：12月31日（星期六）至1月2日（星期一）放假调休，共3天。"
    n = parse_notice(text, year=2023)
    assert n.days_off == [date(2022, 12, 31), date(2023, 1, 1), date(2023, 1, 2)]


def test_fake_2027_notice_tolerates_width_and_spacing() -> None:
    n = parse_notice(NOTICE_2027_FAKE)
    assert n.year == 2027
    assert n.holidays == [
        NoticeHoliday("元旦", date(2027, 1, 1), date(2027, 1, 3)),
        NoticeHoliday("春节", date(2027, 2, 5), date(2027, 2, 11)),
        NoticeHoliday("清明节", date(2027, 4, 5), date(2027, 4, 5)),
        NoticeHoliday("劳动节", date(2027, 5, 1), date(2027, 5, 5)),
        NoticeHoliday("端午节", date(2027, 6, 9), date(2027, 6, 9)),
        NoticeHoliday("中秋节", date(2027, 9, 15), date(2027, 9, 15)),
        NoticeHoliday("国庆节", date(2027, 10, 1), date(2027, 10, 7)),
    ]
    assert n.workdays == [
        date(2027, 2, 13), date(2027, 4, 25), date(2027, 5, 8), date(2027, 9, 26), date(2027, 10, 9),
    ]  # fmt: skip


def test_one_paragraph_paste() -> None:
    body = NOTICE_2026.split("如下。\n", 1)[1].split("节假日期间")[0]
    text = "国务院办公厅关于2026年部分节假日安排的通知 " + body.replace("\n", "")
    n = parse_notice(text)
    assert n.days_off == OFF_2026
    assert n.workdays == WORK_2026


def test_hard_wrapped_item_continues_on_next_line() -> None:
    text = (
        "国务院办公厅关于2026年部分节假日安排的通知\n"
        "二、春节：2月15日（农历腊月二十八、周日）至23日（农历\n"
        "正月初七、周一）放假调休，共9天。2月14日（周六）、\n"
        "2月28日（周六）上班。\n"
    )
    n = parse_notice(text)
    assert n.holidays == [NoticeHoliday("春节", date(2026, 2, 15), date(2026, 2, 23))]
    assert n.workdays == [date(2026, 2, 14), date(2026, 2, 28)]


def test_overrides_carry_note_and_source() -> None:
    n = parse_notice(NOTICE_2026)
    ovs = {o.day: o for o in n.overrides()}
    assert len(ovs) == len(OFF_2026) + len(WORK_2026)
    assert ovs[date(2026, 2, 16)].working is False
    assert ovs[date(2026, 2, 16)].note == "春节"
    assert ovs[date(2026, 2, 16)].source == "国务院办公厅关于2026年部分节假日安排的通知"
    assert ovs[date(2026, 2, 14)].working is True
    assert ovs[date(2026, 2, 14)].note == "调休上班"


@pytest.mark.parametrize("text", [NOTICE_2024, NOTICE_2025, NOTICE_2026], ids=["2024", "2025", "2026"])
def test_official_notices_change_nothing_in_the_package_calendar(text: str) -> None:
    n = parse_notice(text)
    cal = WorkCalendar(n.overrides(), official_years=[n.year])
    assert default_calendar().changes_against(cal, date(n.year, 1, 1), date(n.year, 12, 31)) == []


def test_describe_lists_days_for_confirmation() -> None:
    lines = parse_notice(NOTICE_2024).describe()
    assert lines[0] == "国务院办公厅关于2024年部分节假日安排的通知（2024年）"
    assert "春节：2024-02-10（周六） 至 2024-02-17（周六） 放假，共8天" in lines
    assert any(line.startswith("调休上班：2024-02-04（周日）") for line in lines)
    assert any(line.startswith("未作为放假或上班处理：") and "除夕" in line for line in lines)


# --- errors -----------------------------------------------------------------------------------------


def test_no_year_anywhere() -> None:
    with pytest.raises(NoticeParseError, match="未能从通知标题中识别年份"):
        parse_notice("一、元旦：1月1日放假，与周末连休。")


def test_year_argument_conflicts_with_title() -> None:
    with pytest.raises(NoticeParseError, match=r"2026年.*2025年"):
        parse_notice(NOTICE_2026, year=2025)


def test_year_argument_agreeing_with_title_is_fine() -> None:
    assert parse_notice(NOTICE_2026, year=2026).year == 2026


def test_wrong_weekday_names_the_line() -> None:
    text = NOTICE_2026.replace("1月4日（周日）上班", "1月4日（周一）上班")
    with pytest.raises(NoticeParseError) as exc:
        parse_notice(text)
    msg = str(exc.value)
    assert "第4行" in msg
    assert "一、元旦" in msg
    assert "2026-01-04 是周日" in msg


def test_notice_of_the_wrong_year_is_caught_by_weekdays() -> None:
    # The 2026 items under a 2025 title: every weekday is wrong.
    text = NOTICE_2026.replace("2026年", "2025年")
    with pytest.raises(NoticeParseError, match="请核对通知的年份和日期"):
        parse_notice(text)


def test_unreadable_item_names_the_line() -> None:
    text = "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。\n二、清明节：四月四日放假。\n"
    with pytest.raises(NoticeParseError) as exc:
        parse_notice(text)
    assert "第3行" in str(exc.value)
    assert "二、清明节：四月四日放假。" in str(exc.value)


def test_count_mismatch() -> None:
    text = (
        "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共4天。"
    )
    with pytest.raises(NoticeParseError, match=r"共4天.*3天"):
        parse_notice(text)


def test_day_both_off_and_working() -> None:
    text = "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日至3日放假调休，共3天。1月3日上班。"
    with pytest.raises(NoticeParseError, match="2026-01-03 同时被列为放假日"):
        parse_notice(text)


def test_invalid_date() -> None:
    text = "国务院办公厅关于2026年部分节假日安排的通知\n一、春节：2月30日放假。"
    with pytest.raises(NoticeParseError, match="不是有效日期"):
        parse_notice(text)


def test_empty_and_itemless_text() -> None:
    with pytest.raises(NoticeParseError, match="通知内容为空"):
        parse_notice("  \n ")
    with pytest.raises(NoticeParseError, match="未在通知中找到放假安排"):
        parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n节假日期间，各地区要妥善安排好值班。")


def test_parse_error_is_a_value_error() -> None:
    assert issubclass(NoticeParseError, ValueError)
    assert isinstance(parse_notice(NOTICE_2026), ParsedNotice)
