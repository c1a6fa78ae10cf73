"""What falls due (domain/agenda.py): the rules as data, dates counted by hand on the official calendar, the order
of the agenda, and ISO weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_tui.domain import agenda as ag
from zwgk_tui.domain.calendar import default_calendar

CAL = default_calendar()


def test_every_rule_names_its_provision_and_whose_period_it_is():
    for kind, rule in ag.DUE_RULES.items():
        assert rule.kind == kind
        assert rule.party in (ag.AGENCY, ag.APPLICANT, ag.CONSULTED)
        if kind != "proceeding":
            assert rule.basis.startswith("《"), kind
            assert rule.counted and rule.on_lapse
    # The other side's periods run from service (spec 09); the agency's own do not.
    assert {k for k, r in ag.DUE_RULES.items() if r.served_from} == {
        "correction_period", "consultation_period", "fee_payment", "explanation_period"}
    assert all(r.party != ag.AGENCY for r in ag.DUE_RULES.values() if r.served_from)
    assert ag.DUE_RULES["consultation_period"].basis == "《条例》第三十二条、第三十四条"
    assert ag.DUE_RULES["extension_decision"].basis == "《条例》第三十三条第二款"


@pytest.mark.parametrize(("received", "due"), [
    # spec 02's golden table, 7-working-day column
    (date(2024, 9, 20), date(2024, 9, 30)),
    (date(2024, 9, 27), date(2024, 10, 12)),  # a make-up Saturday
    (date(2025, 1, 20), date(2025, 2, 5)),
    (date(2025, 9, 26), date(2025, 10, 13)),
    (date(2026, 2, 6), date(2026, 2, 24)),
    (date(2026, 9, 25), date(2026, 10, 12)),
])
def test_correction_notice_limit(received, due):
    assert ag.correction_notice_due(CAL, received) == due


def test_other_sides_period_needs_its_date_of_service():
    assert ag.period_end(CAL, None, 15) is None
    # consultation served Tue 2025-09-30: 15 working days over 国庆 (10/1-10/8 off, Sat 10/11 worked):
    # 9/30 not counted; 10/9 (1), 10/10 (2), 10/11 (3), 10/13-17 (8), 10/20-24 (13), 10/27 (14), 10/28 (15)
    assert ag.period_end(CAL, date(2025, 9, 30), 15) == date(2025, 10, 28)
    # fee notice served Tue 2025-03-04: 20 working days -> Tue 2025-04-01
    assert ag.period_end(CAL, date(2025, 3, 4), 20) == date(2025, 4, 1)


@pytest.mark.parametrize(("today", "due", "left"), [
    (date(2025, 3, 20), date(2025, 3, 20), 0),
    (date(2025, 3, 20), date(2025, 3, 21), 1),
    (date(2025, 3, 20), date(2025, 3, 24), 2),  # the weekend does not count
    (date(2025, 3, 20), date(2025, 3, 10), -8),
    (date(2025, 4, 3), date(2025, 4, 7), 1),  # 4/4-4/6 清明
    (date(2025, 9, 30), date(2025, 10, 9), 1),  # 国庆 10/1-10/8
    (date(2025, 10, 10), date(2025, 10, 13), 2),  # Saturday 10/11 is a make-up working day
])
def test_working_days_left(today, due, left):
    assert ag.working_days_left(CAL, today, due) == left


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2019, 1, 1), date(2026, 12, 1)), st.integers(0, 30))
def test_working_days_left_agrees_with_the_calendar(today, offset):
    due = today + timedelta(days=offset)
    assert ag.working_days_left(CAL, today, due) == CAL.working_days_between(today, due)
    assert ag.working_days_left(CAL, due, today) == -CAL.working_days_between(today, due)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2019, 1, 15), date(2026, 12, 1)))
def test_latest_receipt_bounds_exactly_the_notices_due_by_then(until):
    bound = ag.latest_receipt_for_notice_by(CAL, until)
    assert ag.correction_notice_due(CAL, bound) <= until
    assert ag.correction_notice_due(CAL, bound + timedelta(days=1)) > until


def _item(kind, due, number="2025-0001", status=ag.LATER, since=None):
    return ag.AgendaItem(kind=kind, number=number, agency="a", due=due, what=kind, basis="", status=status,
                         since=since)


def test_classify_says_overdue_for_the_agency_and_lapsed_for_the_other_side():
    today = date(2025, 3, 20)
    reply = ag.classify(_item("reply_due", date(2025, 3, 10)), CAL, today, 5)
    assert (reply.status, reply.days_left) == (ag.OVERDUE, -8)
    period = ag.classify(_item("correction_period", date(2025, 3, 17)), CAL, today, 5)
    assert (period.status, period.days_left) == (ag.LAPSED, -3)
    assert ag.classify(_item("reply_due", today), CAL, today, 5).status == ag.TODAY
    assert ag.classify(_item("reply_due", date(2025, 3, 27)), CAL, today, 5).status == ag.SOON  # 5 left
    assert ag.classify(_item("reply_due", date(2025, 3, 28)), CAL, today, 5).status == ag.LATER  # 6 left
    undated = ag.classify(_item("fee_payment", None), CAL, today, 5)
    assert (undated.status, undated.days_left) == (ag.NO_DATE, None)


def test_order_passed_first_then_by_day_then_waiting_for_service():
    today = date(2025, 3, 20)
    items = [ag.classify(i, CAL, today, 5) for i in (
        _item("fee_payment", None, "2025-0009", since=date(2025, 3, 12)),
        _item("reply_due", date(2025, 3, 20), "2025-0001"),
        _item("consultation_period", None, "2025-0008", since=date(2025, 3, 4)),
        _item("correction_period", date(2025, 3, 17), "2025-0005"),
        _item("extension_decision", date(2025, 3, 20), "2025-0001"),
        _item("reply_due", date(2025, 3, 10), "2025-0002"),
        _item("reply_due", date(2025, 3, 21), "2025-0003"),
    )]
    assert [(i.kind, i.number) for i in ag.ordered(items)] == [
        ("reply_due", "2025-0002"),
        ("correction_period", "2025-0005"),
        ("extension_decision", "2025-0001"),  # the decision comes before the reply it would postpone
        ("reply_due", "2025-0001"),
        ("reply_due", "2025-0003"),
        ("consultation_period", "2025-0008"),  # the older letter first
        ("fee_payment", "2025-0009"),
    ]
    assert [i.number for i in ag.within(items, date(2025, 3, 20))] == [
        "2025-0009", "2025-0001", "2025-0008", "2025-0005", "2025-0001", "2025-0002"]


@pytest.mark.parametrize(("text", "monday", "sunday"), [
    ("2025-W11", date(2025, 3, 10), date(2025, 3, 16)),
    ("2025-w01", date(2024, 12, 30), date(2025, 1, 5)),
    ("2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
    ("2025W9", date(2025, 2, 24), date(2025, 3, 2)),
])
def test_iso_weeks(text, monday, sunday):
    assert ag.parse_week(text) == (monday, sunday)
    assert ag.week_of(monday) == ag.week_of(sunday)


@pytest.mark.parametrize(("text", "fragment"), [
    ("2025-11", "应写成 YYYY-Www"),
    ("", "应写成 YYYY-Www"),
    ("2025-W53", "2025 年只有第 1 至第 52 周"),
    ("2025-W00", "2025 年只有第 1 至第 52 周"),
])
def test_bad_weeks_are_named(text, fragment):
    with pytest.raises(ag.WeekError) as info:
        ag.parse_week(text)
    assert fragment in str(info.value)


def test_week_title_and_correction_rate():
    assert ag.week_title(date(2025, 3, 10)) == "2025年第11周（3月10日至3月16日）"
    assert ag.week_title(date(2024, 12, 30)) == "2025年第1周（2024年12月30日至1月5日）"
    assert ag.correction_rate(1, 2) == 0.5
    assert ag.correction_rate(0, 0) is None


def test_the_rules_module_is_pure():
    import subprocess
    import sys

    code = ("import sys, zwgk_tui.domain.agenda\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'textual', 'typer', 'docx')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
