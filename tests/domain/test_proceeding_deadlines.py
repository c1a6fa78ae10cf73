"""The agency's deadlines in a reconsideration or suit (spec 09), with dates counted by hand across 国庆 2025.

国庆节、中秋节 2025: 10-01 to 10-08 off; 09-28 (Sunday) and 10-11 (Saturday) are make-up working days.
"""

from __future__ import annotations

from datetime import date

import pytest

from zwgk_tui.domain.calendar import default_calendar
from zwgk_tui.domain.proceedings import (
    DEADLINE_RULES,
    ProceedingFacts,
    deadlines,
    missing_dates,
    reconsideration_first,
    result_as_of,
)

CAL = default_calendar()
D = date


def due(p: ProceedingFacts, code: str) -> date:
    [dl] = [d for d in deadlines(p, CAL) if d.code == code]
    return dl.due


def test_reconsideration_answer_10_working_days_over_national_day() -> None:
    # Copy received Monday 2025-09-29. Working days after it: 09-30 (1); 10-01…10-08 off; 10-09 (2), 10-10 (3),
    # 10-11 Saturday make-up (4), 10-13 (5), 10-14 (6), 10-15 (7), 10-16 (8), 10-17 (9), 10-20 (10).
    p = ProceedingFacts("reconsideration", D(2025, 9, 26), copy_received=D(2025, 9, 29))
    [dl] = [d for d in deadlines(p, CAL) if d.code == "answer"]
    assert dl.due == D(2025, 10, 20)
    assert "第四十八条" in dl.basis and "第八十八条第二款" in dl.basis
    text = "\n".join(dl.explanation)
    assert "2025-10-01 至 10-08 国庆节" in text and "2025-10-11（周六） 调休上班日" in text
    assert "第七十条" in text  # the consequence of missing it
    assert dl.own and dl.open and dl.status(D(2025, 10, 20)) == "open" and dl.status(D(2025, 10, 21)) == "overdue"


def test_simplified_procedure_answer_5_working_days() -> None:
    # 09-30 (1), 10-09 (2), 10-10 (3), 10-11 make-up (4), 10-13 (5).
    p = ProceedingFacts("reconsideration", D(2025, 9, 26), copy_received=D(2025, 9, 29), simplified=True)
    assert due(p, "answer") == D(2025, 10, 13)
    assert "第五十四条" in next(d for d in deadlines(p, CAL) if d.code == "answer").basis


@pytest.mark.parametrize(("kind",), [("litigation_direct",), ("litigation_after_reconsideration",)])
def test_defence_15_days_from_the_complaint_copy(kind: str) -> None:
    # 2025-09-29 + 15 days = 10-14 (Tuesday, a working day).
    assert due(ProceedingFacts(kind, D(2025, 9, 20), copy_received=D(2025, 9, 29)), "defence") == D(2025, 10, 14)
    # 2025-09-16 + 15 days = 10-01, a holiday: the first day after the holiday, 10-09.
    p = ProceedingFacts(kind, D(2025, 9, 10), copy_received=D(2025, 9, 16))
    [dl] = deadlines(p, CAL)
    assert dl.due == D(2025, 10, 9)
    assert "第六十七条" in dl.basis
    assert any("顺延" in line and "2025-10-09" in line for line in dl.explanation)


def test_expected_decision_60_days_plus_30_on_extension_or_30_simplified() -> None:
    base = {"kind": "reconsideration", "filed": D(2025, 9, 20), "accepted": D(2025, 9, 26)}
    [dl] = [d for d in deadlines(ProceedingFacts(**base), CAL) if d.code == "decision"]  # type: ignore[arg-type]
    assert dl.due == D(2025, 11, 25) and not dl.own  # 09-26 + 60 days
    assert due(ProceedingFacts(**base, extended=True), "decision") == D(2025, 12, 25)  # type: ignore[arg-type]
    # 09-26 + 30 days = 10-26, a Sunday: Monday 10-27.
    assert due(ProceedingFacts(**base, simplified=True), "decision") == D(2025, 10, 27)  # type: ignore[arg-type]


def test_order_to_disclose_20_working_days() -> None:
    # Decision received 2025-09-29: 09-30 (1), 10-09 (2), 10-10 (3), 10-11 (4), 10-13…10-17 (5-9),
    # 10-20…10-24 (10-14), 10-27…10-31 (15-19), 11-03 (20).
    p = ProceedingFacts("reconsideration", D(2025, 8, 1), result="corrected", decided=D(2025, 9, 29),
                        disclose_order=True)
    assert due(p, "compliance") == D(2025, 11, 3)
    [dl] = [d for d in deadlines(p, CAL) if d.code == "compliance"]
    assert "法释〔2025〕8号第十一条" in dl.basis
    done = ProceedingFacts("reconsideration", D(2025, 8, 1), result="corrected", decided=D(2025, 9, 29),
                           disclose_order=True, complied=D(2025, 11, 4))
    [late] = [d for d in deadlines(done, CAL) if d.code == "compliance"]
    assert late.status(D(2025, 12, 1)) == "late" and "超过期限1个工作日" in late.explanation[-1]
    # No order to disclose, or not corrected: no compliance deadline.
    assert [d.code for d in deadlines(ProceedingFacts("litigation_direct", D(2025, 8, 1), result="corrected",
                                                      decided=D(2025, 9, 29)), CAL)] == []
    assert [d.code for d in deadlines(ProceedingFacts("litigation_direct", D(2025, 8, 1), result="upheld",
                                                      decided=D(2025, 9, 29), disclose_order=True), CAL)] == []


def test_opinion_report_60_days() -> None:
    # 复议意见书 received Saturday 2025-08-02: + 60 days = 10-01 (holiday) → 10-09.
    p = ProceedingFacts("reconsideration", D(2025, 5, 6), result="upheld", decided=D(2025, 7, 1),
                        opinion_received=D(2025, 8, 2))
    assert due(p, "opinion_report") == D(2025, 10, 9)
    assert "第七十六条" in next(d for d in deadlines(p, CAL) if d.code == "opinion_report").basis


def test_answered_closes_the_deadline_and_says_whether_in_time() -> None:
    p = ProceedingFacts("reconsideration", D(2025, 9, 26), copy_received=D(2025, 9, 29), answered=D(2025, 10, 17))
    [dl] = deadlines(p, CAL)
    assert not dl.open and dl.done_on == D(2025, 10, 17) and dl.status(D(2025, 12, 1)) == "done"
    assert dl.explanation[-1].endswith("在期限内。")


def test_nothing_is_computed_without_the_dates_and_the_clerk_is_told_which() -> None:
    p = ProceedingFacts("reconsideration", D(2025, 9, 26))
    assert deadlines(p, CAL) == []
    missing = missing_dates(p)
    assert any("--copy-received" in m for m in missing) and any("--accepted" in m for m in missing)
    assert any("--copy-received" in m and "15日" in m for m in missing_dates(ProceedingFacts("litigation_direct",
                                                                                             D(2025, 9, 1))))


def test_every_rule_cites_its_law() -> None:
    for rule in DEADLINE_RULES:
        assert "《中华人民共和国" in rule.basis or "法释〔2025〕8号" in rule.basis, rule.code
        assert "第" in rule.basis and "条" in rule.basis


@pytest.mark.parametrize(
    ("result", "decided", "expected"),
    [("upheld", D(2025, 12, 31), "upheld"), ("upheld", D(2026, 1, 5), "pending"), ("pending", None, "pending"),
     ("corrected", None, "corrected")],
)
def test_result_as_of_the_year_end(result: str, decided: date | None, expected: str) -> None:
    assert result_as_of(result, decided, D(2025, 12, 31)) == expected


@pytest.mark.parametrize(
    ("outcome", "grounds", "first"),
    [("withheld_process_info", [], True), ("withheld_third_party", [], True), ("withheld_state_secret", [], True),
     ("partially_disclosed", ["third_party"], True), ("partially_disclosed", ["not_held"], False),
     ("disclosed", [], False), ("unavailable_not_held", [], False), ("withheld_inquiry_matter", [], False),
     (None, [], False)],
)
def test_reconsideration_first_follows_the_remedy_table(outcome: str | None, grounds: list[str], first: bool) -> None:
    assert reconsideration_first(outcome, grounds) is first


def test_proceeding_and_publication_rules_are_pure() -> None:
    import subprocess
    import sys

    code = ("import sys, zwgk_tui.domain.proceedings, zwgk_tui.domain.publication, zwgk_tui.domain.annual_report\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'textual', 'typer', 'docx'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
