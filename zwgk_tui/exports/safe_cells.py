"""User text in the spreadsheets and CSV files the tool writes, kept as text (no formula injection).

An applicant named ``=1+1`` or a request reading ``=HYPERLINK("http://evil","点我")`` must reach the clerk's
Excel as the words typed, never as a live formula. Every xlsx and csv writer of the tool goes through this
module:

- xlsx: a cell holding text is stored as a string cell (data type "s"); openpyxl would otherwise store any
  text starting with "=" as a formula and "#N/A" and the like as error values.
- csv: a text cell starting with = + - @, a tab or a carriage return gets a leading apostrophe (the OWASP
  rule for CSV injection), which spreadsheet programs show as text. `register import` reads its own export
  back with `csv_unescape`, so the round trip gives the original text.

No openpyxl import at module level (a cell is anything with `value` and `data_type`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

# The characters that make a spreadsheet program read a CSV cell as a formula (OWASP "CSV Injection").
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


class _Cell(Protocol):
    value: Any
    data_type: str


def csv_text(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run as a formula gets a leading apostrophe; others as given."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return ESCAPE + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_text(v) for v in values]


def csv_unescape(value: Any) -> Any:
    """The text a CSV cell written by `csv_text` stood for (the apostrophe goes when a formula character
    follows it)."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def as_text(cell: _Cell) -> _Cell:
    """Store a cell's text value as a string (never a formula or an error value); other values as they are."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """`ws.cell(row, column, value)` with text kept as text."""
    return as_text(ws.cell(row, column, value))


def write_only_cell(ws: Any, value: Any) -> Any:
    """A cell for a write-only worksheet (`Workbook(write_only=True)`), text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    return as_text(WriteOnlyCell(ws, value=value))
