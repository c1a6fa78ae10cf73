"""Reading a register's cells: headers, dates, outcome words, the 复议/诉讼 and 收费 cells (pure domain)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from zwgk_tui.domain import register_table as rt
from zwgk_tui.domain.codes import OUTCOME_SHORT_LABELS, OUTCOMES, REMEDY_KINDS, REMEDY_RESULTS


@pytest.mark.parametrize(("header", "field"), [
    ("收到时间", "received"), ("受理日期", "received"), ("登记日期", "received"), (" 收到日期 ", "received"),
    ("申请人", "applicant"), ("申请人姓名（名称）", "applicant"), ("申请人姓名(名称)", "applicant"),
    ("申请内容", "content"), ("所需信息", "content"), ("申请公开内容", "content"),
    ("答复日期", "concluded"), ("办结日期", "concluded"),
    ("答复类型", "outcome"), ("处理结果", "outcome"), ("办理结果", "outcome"),
    ("复议/诉讼", "remedies"), ("答复用时（工作日）", "reply_days"), ("序号", None), ("备注", None),
])
def test_headers_by_synonyms(header, field):
    assert rt.field_for_header(header) == field


@pytest.mark.parametrize(("cell", "expected"), [
    ("2025-03-03", date(2025, 3, 3)), ("2025/3/3", date(2025, 3, 3)), ("2025.3.3", date(2025, 3, 3)),
    ("2025年3月3日", date(2025, 3, 3)), ("２０２５年３月３日", date(2025, 3, 3)), ("20250303", date(2025, 3, 3)),
    ("2025-03-03 14:30", date(2025, 3, 3)), ("2025/3/3 9:05:00", date(2025, 3, 3)),
    (45719, date(2025, 3, 3)), (45719.5, date(2025, 3, 3)), ("45719", date(2025, 3, 3)), (20250303, date(2025, 3, 3)),
    (datetime(2025, 3, 3, 10, 0), date(2025, 3, 3)), (date(2025, 3, 3), date(2025, 3, 3)),
])
def test_dates_as_registers_hold_them(cell, expected):
    assert rt.cell_date(cell, "收到日期") == expected


@pytest.mark.parametrize(("cell", "message"), [
    ("2025-02-30", "收到日期 2025-02-30 无效：2025年2月只有28天"),
    ("3月3日", "无法识别的收到日期“3月3日”"),
    (True, "不是日期"),
])
def test_bad_dates_say_why(cell, message):
    with pytest.raises(rt.CellError, match=message):
        rt.cell_date(cell, "收到日期")


def test_every_outcome_is_read_back_from_its_labels():
    for code, (group, leaf) in OUTCOMES.items():
        assert rt.outcome_code(code) == code
        assert rt.outcome_code(OUTCOME_SHORT_LABELS[code]) == code
        assert rt.outcome_code(leaf) == code
        assert rt.outcome_code(f"{group} {leaf}" if leaf != group else group) == code


@pytest.mark.parametrize(("word", "code"), [
    ("属于国家秘密", "withheld_state_secret"), ("不予公开（涉及国家秘密）", "withheld_state_secret"),
    ("不予公开-过程性信息", "withheld_process_info"), ("无法提供·信息不存在", "unavailable_not_held"),
    ("同意公开", "disclosed"), ("申请人撤回", "other_other"), ("2.重复申请", "not_processed_duplicate"),
])
def test_outcome_words_in_use(word, code):
    assert rt.outcome_code(word) == code


def test_outcome_words_are_not_read_across_families():
    # "不予公开" followed by a word of another family must not become that family's outcome.
    with pytest.raises(rt.CellError):
        rt.outcome_code("不予公开·信息不存在")
    with pytest.raises(rt.CellError, match="不够具体"):
        rt.outcome_code("无法提供")


def test_mapping_words_come_first():
    assert rt.outcome_code("同意", {"同意": "disclosed"}) == "disclosed"
    assert rt.applicant_type_code("群众", {"群众": "natural_person"}) == "natural_person"


def test_remedy_cell_reads_what_clerks_write():
    assert rt.parse_remedies("无") == []
    assert rt.parse_remedies("行政复议2025年5月6日，维持；行政诉讼 2025-08-01 审理中") == [
        rt.RemedyCell("reconsideration", date(2025, 5, 6), "upheld"),
        rt.RemedyCell("litigation_after_reconsideration", date(2025, 8, 1), "pending"),
    ]
    assert rt.parse_remedies("直接起诉 2025-06-01 撤销 2025-09-30") == [
        rt.RemedyCell("litigation_direct", date(2025, 6, 1), "corrected", date(2025, 9, 30))]
    with pytest.raises(rt.CellError, match="缺少申请（起诉）日期"):
        rt.parse_remedies("行政复议 维持")


def test_fee_cell_reads_back():
    assert rt.parse_fees("2025-03-10 按量×120 30元 逾期未缴") == [
        rt.FeeCell("per_page", 120, 30, date(2025, 3, 10), lapsed=True)]
    with pytest.raises(rt.CellError, match="收费“100元”无法识别"):
        rt.parse_fees("100元")


def test_masked_names():
    assert rt.mask_name("张三", "natural_person") == "张*"
    assert rt.mask_name("欧阳娜娜", "natural_person") == "欧***"
    assert rt.mask_name("某某有限公司", "business") == "某某有限公司"


# ---------------------------------------------------------------------------------------------------------------
# Properties: what the export writes the import reads back; no cell makes the readers fail other than by CellError


days = st.dates(min_value=date(2008, 5, 1), max_value=date(2030, 12, 31))
remedies = st.builds(
    lambda kind, filed, result, later: rt.RemedyCell(kind, filed, result, None if result == "pending" else later),
    st.sampled_from(sorted(REMEDY_KINDS)), days, st.sampled_from(sorted(REMEDY_RESULTS)), days,
).filter(lambda r: r.decided_on is None or r.decided_on >= r.filed_on)
fees = st.builds(
    lambda method, qty, amount, noticed, state, paid_amount: rt.FeeCell(
        method, qty, amount, noticed,
        paid_on=noticed if state == "paid" else None, paid_amount=paid_amount if state == "paid" else 0,
        lapsed=state == "lapsed"),
    st.sampled_from(["per_request", "per_page"]), st.integers(1, 5000), st.integers(1, 100_000), days,
    st.sampled_from(["paid", "lapsed", "pending"]), st.integers(0, 100_000),
)


@given(st.lists(remedies, max_size=4))
def test_remedy_cell_round_trip(items):
    # A direct suit written after a reconsideration in the same cell is still "直接起诉", so it reads back as is.
    assert rt.parse_remedies(rt.format_remedies(items)) == items


@given(st.lists(fees, max_size=4))
def test_fee_cell_round_trip(items):
    assert rt.parse_fees(rt.format_fees(items)) == items


cells = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**9, 10**9), st.floats(allow_nan=True),
                  st.booleans(), st.dates(), st.datetimes())


@given(cells)
@example(float("nan"))
@example(float("inf"))
@example(1e300)
@example("1e400")
@example(-1)
def test_cell_readers_fail_only_with_a_reason(cell):
    for read in (lambda c: rt.cell_date(c, "日期"), rt.outcome_code, rt.applicant_type_code, rt.channel_code,
                 rt.delivery_code, rt.parse_remedies, rt.parse_fees, lambda c: rt.cell_int(c, "数"),
                 lambda c: rt.cell_yes_no(c, "是否逾期")):
        try:
            read(cell)
        except rt.CellError as exc:
            assert str(exc)
    rt.header_key(cell)
    rt.cell_text(cell)
