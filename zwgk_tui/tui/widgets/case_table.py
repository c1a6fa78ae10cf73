"""The register's table: a row-cursor DataTable where Home and End go to the first and last row."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class CaseTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "第一行", show=False, id="table.first"),
        Binding("end", "scroll_bottom", "最后一行", show=False, id="table.last"),
    ]
