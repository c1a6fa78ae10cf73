"""The cases behind each cell of a report, the differences since publication, the digest, and re-reply rounds
(domain/publication.py), with hand-built facts."""

from __future__ import annotations

from datetime import date

from zwgk_tui.domain.publication import (
    CaseFact,
    FeeFact,
    HistoryEvent,
    ProceedingFact,
    carried_mismatches,
    cell_cases,
    cell_label,
    diff_cells,
    digest,
    later_rounds,
)

D = date


def test_each_case_lands_in_the_cells_the_report_counts_it_in() -> None:
    cases = [
        CaseFact("2024-0009", "ja", "natural_person", D(2024, 12, 20), D(2025, 1, 10), "disclosed"),  # carried in
        CaseFact("2025-0001", "ja", "business", D(2025, 3, 3), D(2025, 3, 20), "withheld_process_info"),
        CaseFact("2025-0002", "ja", "natural_person", D(2025, 12, 29), None, None),  # carried out
        CaseFact("2023-0001", "ja", "research", D(2023, 11, 1), D(2026, 2, 1), "disclosed"),  # open all of 2025
        CaseFact("2024-0001", "ja", "natural_person", D(2024, 1, 5), D(2024, 2, 1), "disclosed"),  # not in 2025
    ]
    procs = [ProceedingFact("2025-0001", "ja", 7, "reconsideration", D(2025, 4, 1), "upheld", D(2026, 1, 15))]
    fees = [FeeFact("2025-0001", "ja", D(2025, 3, 5), D(2025, 3, 10))]
    cells = cell_cases(2025, cases, procs, fees)
    assert cells == {
        "fees.notices": ["2025-0001（ja）"],
        "fees.payments": ["2025-0001（ja）"],
        "table3.carried_in.natural_person": ["2024-0009（ja）"],
        "table3.carried_in.research": ["2023-0001（ja）"],
        "table3.carried_out.natural_person": ["2025-0002（ja）"],
        "table3.carried_out.research": ["2023-0001（ja）"],
        "table3.disclosed.natural_person": ["2024-0009（ja）"],
        "table3.new.business": ["2025-0001（ja）"],
        "table3.new.natural_person": ["2025-0002（ja）"],
        "table3.withheld_process_info.business": ["2025-0001（ja）"],
        "table4.reconsideration.pending": ["2025-0001（ja）#7"],  # decided in January 2026
    }


def test_differences_name_the_cases_in_table_order() -> None:
    published = {"table3.new.natural_person": ["A（ja）"], "table4.reconsideration.pending": ["B（ja）#1"]}
    current = {"table3.new.natural_person": ["A（ja）", "C（ja）"], "table3.carried_out.natural_person": ["C（ja）"],
               "table4.reconsideration.pending": ["B（ja）#1"]}
    changes = diff_cells(published, current)
    assert [(c.key, c.published, c.current, c.added, c.removed) for c in changes] == [
        ("table3.new.natural_person", 1, 2, ("C（ja）",), ()),
        ("table3.carried_out.natural_person", 0, 1, ("C（ja）",), ()),
    ]
    assert changes[0].label == "表三 一、本年新收政府信息公开申请数量 · 自然人"
    assert cell_label("table3.withheld_state_secret.business") == "表三 （三）不予公开 1.属于国家秘密 · 商业企业"
    assert cell_label("table4.litigation_direct.upheld") == "表四 未经复议直接起诉 · 结果维持"
    assert diff_cells(published, published) == []


def test_digest_is_canonical() -> None:
    assert digest({"b": 1, "a": [1, 2]}) == digest({"a": [1, 2], "b": 1})
    assert digest({"a": 1}) != digest({"a": 2}) and len(digest({})) == 64


def test_carried_in_against_the_reference() -> None:
    assert carried_mismatches([2, 0, 0, 0, 1, 0], [2, 0, 0, 0, 1, 0]) == []
    [m] = carried_mismatches([2, 0, 0, 0, 1, 0], [3, 0, 0, 0, 1, 0])
    assert m.column == "natural_person" and "第二项（上年结转）3" in m.message("2024 年已发布年报")


def test_rounds_after_each_reopen_with_corrected_dates() -> None:
    events = [
        HistoryEvent(1, "register", D(2024, 12, 2)),
        HistoryEvent(2, "decide", D(2024, 12, 18), {"outcome": "withheld_third_party"}),
        HistoryEvent(3, "deliver", D(2024, 12, 20), {"outcome": "withheld_third_party"}),
        HistoryEvent(4, "reopen", D(2025, 1, 20), {"reason": "复议纠正"}),
        HistoryEvent(5, "decide", D(2025, 2, 5), {"outcome": "disclosed"}),
        HistoryEvent(6, "deliver", D(2025, 2, 10), {}),
        HistoryEvent(7, "reopen", D(2025, 3, 3), {"reason": "诉讼纠正"}),
        HistoryEvent(8, "correct-date", D(2025, 3, 4), {"event_id": 6, "to": "2025-02-11"}),
    ]
    rounds = later_rounds(events)
    assert [(r.number, r.reopened_on, r.concluded_on, r.outcome, r.reason) for r in rounds] == [
        (2, D(2025, 1, 20), D(2025, 2, 11), "disclosed", "复议纠正"),
        (3, D(2025, 3, 3), None, None, "诉讼纠正"),
    ]
