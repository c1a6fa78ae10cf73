"""A published annual report and what has changed since (issue 12), and the re-replies listed apart.

Pure: facts about cases, proceedings and fee notices come in; the cases behind each cell of the national tables,
the differences between two such maps, a digest and the rounds after a reopen come out.

A cell key names its table, row and column: "table3.disclosed.natural_person", "table4.reconsideration.pending",
"fees.notices". Table 三's 总计 column and （七）总计 row are sums and are not keyed; a case is listed under its
reference "编号（机关代码）", a proceeding under "编号（机关代码）#编号".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zwgk_tui.domain.annual_report import (
    APPLICANT_COLUMNS,
    COLUMN_LABELS,
    REMEDY_KIND_ORDER,
    REMEDY_RESULT_ORDER,
    TABLE3_ROWS,
    TABLE4_KIND_LABELS,
    TABLE4_RESULT_LABELS,
    year_bounds,
)
from zwgk_tui.domain.proceedings import result_as_of

TABLE3_CELL_ROWS: tuple[str, ...] = tuple(r.key for r in TABLE3_ROWS if r.key != "concluded_total")
CONCLUDING_ACTIONS = frozenset({"deliver", "withdraw", "correction-lapsed", "fee-lapsed", "import"})
_CLOSES_WITH = {"withdraw": "other_other", "correction-lapsed": "other_no_correction",
                "fee-lapsed": "other_fee_unpaid"}


def case_ref(number: str, agency: str) -> str:
    return f"{number}（{agency}）"


@dataclass(frozen=True)
class CaseFact:
    number: str
    agency: str
    applicant_type: str
    received_on: date
    first_concluded_on: date | None
    first_outcome: str | None

    @property
    def ref(self) -> str:
        return case_ref(self.number, self.agency)


@dataclass(frozen=True)
class ProceedingFact:
    number: str
    agency: str
    proceeding_id: int
    kind: str
    filed_on: date
    result: str
    decided_on: date | None

    @property
    def ref(self) -> str:
        return f"{case_ref(self.number, self.agency)}#{self.proceeding_id}"


@dataclass(frozen=True)
class FeeFact:
    number: str
    agency: str
    noticed_on: date
    paid_on: date | None


def cell_cases(year: int, cases: Iterable[CaseFact], proceedings: Iterable[ProceedingFact] = (),
               fees: Iterable[FeeFact] = ()) -> dict[str, list[str]]:
    """The cases behind every cell of year `year`'s tables, counted exactly as the report counts them
    (spec 04 with first conclusions; table 四 with each proceeding's result as of 31 December)."""
    start, end = year_bounds(year)
    cells: dict[str, list[str]] = {}

    def put(key: str, ref: str) -> None:
        cells.setdefault(key, []).append(ref)

    for c in cases:
        col = c.applicant_type
        concluded = c.first_concluded_on
        if c.received_on > end or (concluded is not None and concluded < start):
            continue
        if start <= c.received_on:
            put(f"table3.new.{col}", c.ref)
        elif concluded is None or concluded >= start:
            put(f"table3.carried_in.{col}", c.ref)
        if concluded is not None and start <= concluded <= end:
            put(f"table3.{c.first_outcome}.{col}", c.ref)
        elif concluded is None or concluded > end:
            put(f"table3.carried_out.{col}", c.ref)
    for p in proceedings:
        if start <= p.filed_on <= end:
            put(f"table4.{p.kind}.{result_as_of(p.result, p.decided_on, end)}", p.ref)
    for f in fees:
        ref = case_ref(f.number, f.agency)
        if start <= f.noticed_on <= end:
            put("fees.notices", ref)
        if f.paid_on is not None and start <= f.paid_on <= end:
            put("fees.payments", ref)
    return {k: sorted(v) for k, v in sorted(cells.items())}


def counts_from_cells(cells: Mapping[str, Sequence[str]]) -> dict[str, int]:
    return {k: len(v) for k, v in cells.items()}


def report_counts(report: Mapping[str, Any]) -> dict[str, int]:
    """The same keys as `cell_cases`, read from a report's numbers (zeros left out)."""
    out: dict[str, int] = {}
    for row in TABLE3_CELL_ROWS:
        for i, col in enumerate(APPLICANT_COLUMNS):
            n = int(report["table3"][row][i])
            if n:
                out[f"table3.{row}.{col}"] = n
    for kind in REMEDY_KIND_ORDER:
        for result in REMEDY_RESULT_ORDER:
            n = int(report["table4"][kind][result])
            if n:
                out[f"table4.{kind}.{result}"] = n
    return out


def cell_label(key: str) -> str:
    """The cell as a person finds it in the printed tables: "表三 （一）予以公开 · 自然人"."""
    table, _, rest = key.partition(".")
    if table == "table3":
        row_key, _, col = rest.rpartition(".")
        row = next((r for r in TABLE3_ROWS if r.key == row_key), None)
        label = row.full_label if row else row_key
        return f"表三 {label} · {COLUMN_LABELS.get(col, col)}"
    if table == "table4":
        kind, _, result = rest.partition(".")
        return f"表四 {TABLE4_KIND_LABELS.get(kind, kind)} · {TABLE4_RESULT_LABELS.get(result, result)}"
    return {"fees.notices": "收费通知（件）", "fees.payments": "缴费（件）"}.get(key, key)


@dataclass(frozen=True)
class CellChange:
    key: str
    published: int
    current: int
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def label(self) -> str:
        return cell_label(self.key)

    def as_json(self) -> dict[str, Any]:
        return {"cell": self.key, "label": self.label, "published": self.published, "current": self.current,
                "added": list(self.added), "removed": list(self.removed)}


def _cell_order(key: str) -> tuple[int, int, int]:
    table, _, rest = key.partition(".")
    if table == "table3":
        row, _, col = rest.rpartition(".")
        rows = list(TABLE3_CELL_ROWS)
        cols = list(APPLICANT_COLUMNS)
        return (0, rows.index(row) if row in rows else 99, cols.index(col) if col in cols else 99)
    if table == "table4":
        kind, _, result = rest.partition(".")
        kinds, results = list(REMEDY_KIND_ORDER), list(REMEDY_RESULT_ORDER)
        return (1, kinds.index(kind) if kind in kinds else 99, results.index(result) if result in results else 99)
    return (2, 0, 0 if key == "fees.notices" else 1)


def diff_cells(published: Mapping[str, Sequence[str]], current: Mapping[str, Sequence[str]]) -> list[CellChange]:
    """Every cell whose cases differ, in the order of the printed tables."""
    out = []
    for key in sorted(set(published) | set(current), key=_cell_order):
        before, after = set(published.get(key, ())), set(current.get(key, ()))
        if before != after:
            out.append(CellChange(key, len(before), len(after), tuple(sorted(after - before)),
                                  tuple(sorted(before - after))))
    return out


def digest(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a publication (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Carried in against the previous year's published 四


@dataclass(frozen=True)
class CarriedMismatch:
    column: str
    reference: int
    current: int

    def message(self, source: str) -> str:
        return (f"“{COLUMN_LABELS[self.column]}”列：第二项（上年结转）{self.current}，"
                f"{source}的结转下年度为 {self.reference}")


def carried_mismatches(reference: Sequence[int], current: Sequence[int]) -> list[CarriedMismatch]:
    """Columns where this year's 二 differs from the reference (the six applicant columns)."""
    return [CarriedMismatch(col, int(reference[i]), int(current[i])) for i, col in enumerate(APPLICANT_COLUMNS)
            if int(reference[i]) != int(current[i])]


# ---------------------------------------------------------------------------------------------------------------
# Re-replies: the rounds after a reopen


@dataclass(frozen=True)
class HistoryEvent:
    id: int
    action: str
    on: date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Round:
    """A round after a reopen: from the reopen to its conclusion (None while open)."""

    number: int  # 2 for the first re-reply round
    reopened_on: date
    reason: str
    concluded_on: date | None
    outcome: str | None
    reply_number: str = ""  # the 文号 of the reply that concluded the round, "" when none is recorded


def reply_number(data: Mapping[str, Any]) -> str:
    """The 文号 a concluding event records: the reply delivered (`deliver` stores the tool's own reply's number or
    the one given with --reply-number) or the 答复文号 of an imported row."""
    return str(data.get("reply_number") or data.get("doc_number") or "")


def effective_dates(events: Sequence[HistoryEvent]) -> dict[int, date]:
    dates = {e.id: e.on for e in events}
    for e in events:
        if e.action == "correct-date":
            target = e.data.get("event_id")
            if target in dates and e.data.get("to"):
                dates[int(target)] = date.fromisoformat(str(e.data["to"]))
    return dates


def later_rounds(events: Sequence[HistoryEvent]) -> list[Round]:
    """The rounds a case went through after each reopen, in order (events in recorded order)."""
    dates = effective_dates(events)
    rounds: list[Round] = []
    current: dict[str, Any] | None = None
    decided: str | None = None
    for e in events:
        if e.action == "reopen":
            if current is not None:
                rounds.append(Round(**current))
            current = {"number": len(rounds) + 2, "reopened_on": dates[e.id], "reason": str(e.data.get("reason", "")),
                       "concluded_on": None, "outcome": None, "reply_number": ""}
        elif e.action == "decide":
            decided = e.data.get("outcome")
        elif current is not None and e.action in CONCLUDING_ACTIONS and current["concluded_on"] is None:
            current["concluded_on"] = dates[e.id]
            current["outcome"] = e.data.get("outcome") or _CLOSES_WITH.get(e.action) or decided
            current["reply_number"] = reply_number(e.data)
    if current is not None:
        rounds.append(Round(**current))
    return rounds
