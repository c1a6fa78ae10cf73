"""Information processing fee: spec 06 examples, band edges, breakdown text, capitals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_tui.domain.fees import (
    FeeBand,
    FeeError,
    FeeQuote,
    format_yuan,
    per_page_quote,
    per_request_quote,
    quote,
    split_items,
    yuan_in_capitals,
)

# --- spec 06 worked examples --------------------------------------------------------------------------------


def test_spec_example_35_requests_in_a_month_cost_3000():
    q = per_request_quote(0, 35)
    assert q.total == 3000
    assert q.method == "per_request"
    assert q.quantity == 35
    assert [(b.first, b.last, b.rate, b.count, b.amount) for b in q.bands] == [
        (1, 10, 0, 10, 0),
        (11, 30, 100, 20, 2000),
        (31, 40, 200, 5, 1000),
    ]


def test_spec_example_250_pages_cost_4700():
    q = per_page_quote(250)
    assert q.total == 4700
    assert q.method == "per_page"
    assert q.quantity == 250
    assert [(b.first, b.last, b.rate, b.count, b.amount) for b in q.bands] == [
        (1, 30, 0, 30, 0),
        (31, 100, 10, 70, 700),
        (101, 200, 20, 100, 2000),
        (201, None, 40, 50, 2000),
    ]


# --- band edges ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "expected"),
    [
        (0, 0),  # 1st
        (9, 0),  # 10th: last free one
        (10, 100),  # 11th
        (29, 100),  # 30th
        (30, 200),  # 31st
        (39, 200),  # 40th
        (40, 300),  # 41st
        (49, 300),  # 50th
        (50, 400),  # 51st
        (99, 800),  # 100th: band 91–100
        (100, 900),  # 101st
    ],
)
def test_per_request_single_request_at_band_edges(earlier, expected):
    assert per_request_quote(earlier, 1).total == expected
    assert per_request_quote(earlier).total == expected  # new_requests defaults to 1


@pytest.mark.parametrize(
    ("pages", "expected"),
    [(1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_per_page_band_edges(pages, expected):
    assert per_page_quote(pages).total == expected


def test_per_request_continues_the_month_count():
    # the applicant already had 45 requests this month; 20 more are numbered 46..65
    q = per_request_quote(45, 20)
    assert q.total == 5 * 300 + 10 * 400 + 5 * 500 == 8000
    assert q.first_unit == 46 and q.last_unit == 65
    assert [b.count for b in q.bands] == [5, 10, 5]


def test_only_bands_with_units_are_listed():
    assert [b.first for b in per_request_quote(12, 3).bands] == [11]
    assert [b.first for b in per_page_quote(20).bands] == [1]


# --- text ---------------------------------------------------------------------------------------------------


def test_breakdown_lines_for_35_requests():
    assert per_request_quote(0, 35).breakdown() == [
        "第1–10件：10件，免费",
        "第11–30件：20件 × 100元 = 2,000元",
        "第31–40件（即第31–35件）：5件 × 200元 = 1,000元",
    ]


def test_breakdown_lines_for_250_pages():
    assert per_page_quote(250).breakdown() == [
        "第1–30页：30页，免费",
        "第31–100页：70页 × 10元 = 700元",
        "第101–200页：100页 × 20元 = 2,000元",
        "第201页起（即第201–250页）：50页 × 40元 = 2,000元",
    ]


def test_breakdown_names_the_single_request_billed():
    assert per_request_quote(29, 1).breakdown() == ["第11–30件（即第30件）：1件 × 100元 = 100元"]


def test_summaries():
    assert per_request_quote(0, 35).summary() == "按件计收：本月第1–35件，共35件，应收3,000元（叁仟元整）"
    assert per_request_quote(10).summary() == "按件计收：本月第11件，应收100元（壹佰元整）"
    assert per_request_quote(3).summary() == "按件计收：本月第4件，在免费范围内，不收费"
    assert per_page_quote(250).summary() == "按量计收：共250页，应收4,700元（肆仟柒佰元整）"
    assert per_page_quote(30).summary() == "按量计收：共30页，在免费范围内，不收费"


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0元"), (7, "7元"), (700, "700元"), (3000, "3,000元"), (4700, "4,700元"), (1234567, "1,234,567元")],
)
def test_format_yuan(amount, text):
    assert format_yuan(amount) == text


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        (0, "零元整"),
        (1, "壹元整"),
        (10, "壹拾元整"),
        (15, "壹拾伍元整"),
        (40, "肆拾元整"),
        (100, "壹佰元整"),
        (101, "壹佰零壹元整"),
        (110, "壹佰壹拾元整"),
        (700, "柒佰元整"),
        (720, "柒佰贰拾元整"),
        (1010, "壹仟零壹拾元整"),
        (2700, "贰仟柒佰元整"),
        (2740, "贰仟柒佰肆拾元整"),
        (3000, "叁仟元整"),
        (3005, "叁仟零伍元整"),
        (4700, "肆仟柒佰元整"),
        (10000, "壹万元整"),
        (10010, "壹万零壹拾元整"),
        (100500, "壹拾万零伍佰元整"),
        (107000, "壹拾万柒仟元整"),
        (100000000, "壹亿元整"),
        (100010000, "壹亿零壹万元整"),
        (123456789, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
    ],
)
def test_yuan_in_capitals(amount, capitals):
    assert yuan_in_capitals(amount) == capitals


# --- errors -------------------------------------------------------------------------------------------------


def test_negative_earlier_count_is_refused_in_chinese():
    with pytest.raises(FeeError, match="本月此前已计的申请件数不能为负数，实际为 -1"):
        per_request_quote(-1, 1)


def test_zero_new_requests_refused():
    with pytest.raises(FeeError, match="本次计费的申请件数至少为1，实际为 0"):
        per_request_quote(5, 0)


@pytest.mark.parametrize("pages", [0, -3])
def test_zero_or_negative_pages_refused(pages):
    with pytest.raises(FeeError, match=f"页数至少为1，实际为 {pages}"):
        per_page_quote(pages)


@pytest.mark.parametrize("bad", [2.5, "10", True, None])
def test_non_integer_counts_refused(bad):
    with pytest.raises(FeeError, match="应为整数"):
        per_page_quote(bad)


def test_unknown_method_refused_listing_both():
    with pytest.raises(FeeError) as err:
        quote("both", 10)
    assert "计费方式“both”无效" in err.value.message
    assert "per_request（按件计收）" in err.value.message
    assert "per_page（按量计收）" in err.value.message


def test_quote_dispatches():
    assert quote("per_request", 35) == per_request_quote(0, 35)
    assert quote("per_request", 1, earlier_in_month=30).total == 200
    assert quote("per_page", 250).total == 4700


def test_split_items():
    assert split_items(1) == 1
    assert split_items(4) == 4
    with pytest.raises(FeeError, match="可分拆的事项数至少为1，实际为 0"):
        split_items(0)


def test_split_request_is_billed_as_several():
    # one letter with 4 separable items after 9 earlier requests this month: 10th free, 11th–13th 100 each
    assert per_request_quote(9, split_items(4)).total == 300


def test_capitals_refuse_negative():
    with pytest.raises(FeeError, match="金额不能为负数"):
        yuan_in_capitals(-5)


def test_quote_is_a_value():
    q = per_page_quote(31)
    assert isinstance(q, FeeQuote)
    assert isinstance(q.bands[0], FeeBand)
    with pytest.raises(AttributeError):
        q.total = 0  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------------------------


def _unit_price_request(n: int) -> int:
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 200 + 100 * ((n - 31) // 10)


def _unit_price_page(n: int) -> int:
    return 0 if n <= 30 else 10 if n <= 100 else 20 if n <= 200 else 40


@given(st.integers(0, 300), st.integers(1, 200))
def test_per_request_is_the_sum_of_unit_prices(earlier, new):
    q = per_request_quote(earlier, new)
    assert q.total == sum(_unit_price_request(n) for n in range(earlier + 1, earlier + new + 1))
    assert sum(b.count for b in q.bands) == new
    assert all(b.count > 0 for b in q.bands)


@given(st.integers(0, 300), st.integers(1, 100), st.integers(1, 100))
def test_per_request_is_additive_within_a_month(earlier, a, b):
    assert (
        per_request_quote(earlier, a).total + per_request_quote(earlier + a, b).total
        == per_request_quote(earlier, a + b).total
    )


@given(st.integers(1, 2000))
def test_per_page_is_the_sum_of_unit_prices(pages):
    q = per_page_quote(pages)
    assert q.total == sum(_unit_price_page(n) for n in range(1, pages + 1))
    assert sum(b.count for b in q.bands) == pages


@given(st.integers(1, 10**9))
def test_capitals_always_end_with_yuan_zheng_and_use_only_capitals(amount):
    text = yuan_in_capitals(amount)
    assert text.endswith("元整")
    assert set(text) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元整")
    assert "零零" not in text
    assert not text.startswith("零")
