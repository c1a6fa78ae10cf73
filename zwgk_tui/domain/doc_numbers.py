"""A 文号 names one document of one agency: the rule and how a number already used is described, shared by
`deliver --reply-number` and the register import. Pure."""

from __future__ import annotations

from datetime import date

DOC_NUMBER_RULE = "同一机关的文号不能重复"


def used_by(case_number: str, issued_on: date | None) -> str:
    """Where a number is already used: a document of a case (with its date), or a case imported from a ledger."""
    if issued_on is None:
        return f"案件 {case_number}（由台账导入）"
    return f"案件 {case_number} 的文书（{issued_on.isoformat()}）"
