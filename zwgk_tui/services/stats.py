"""The annual report's statistics (spec 04): table 三, table 四, fees and reply times for one year.

Counted from the cases' dates only, so a past year's figures do not depend on the day they are produced. A report
whose identity 一 + 二 = 三（七） + 四 fails, or that would count a contradictory case row, is refused with the
cases at fault named: reports must be right by construction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.domain import annual_report as ar
from zwgk_tui.domain import publication as pub
from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, OUTCOME_SHORT_LABELS, OUTCOMES
from zwgk_tui.persistence import publication_queries as pq
from zwgk_tui.persistence import repo, stats_queries
from zwgk_tui.persistence.models import Agency
from zwgk_tui.services.context import ServiceContext
from zwgk_tui.services.errors import InvalidInput, NotPermitted

FORMATS: dict[str, str] = {"table": "终端表格", "json": "JSON", "csv": "CSV", "xlsx": "Excel", "docx": "Word"}
FILE_FORMATS = ("json", "csv", "xlsx", "docx")
_TYPES = frozenset(APPLICANT_TYPE_LABELS)
_OUTCOMES = frozenset(OUTCOMES)
_REPLY_OUTCOMES = frozenset(o for o in OUTCOMES if o not in ar.NON_REPLY_OUTCOMES)
MAX_FAULTS_SHOWN = 20


def check_year(ctx: ServiceContext, year: Any) -> int:
    today = ctx.today()
    try:
        y = int(year)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"年度“{year}”不是整数年份（如 {today.year - 1}）") from exc
    if not ar.FIRST_REPORT_YEAR <= y <= today.year:
        raise InvalidInput(
            f"年度 {y} 超出范围：应在 {ar.FIRST_REPORT_YEAR} 至 {today.year} 之间（今天是 {today.isoformat()}）"
        )
    return y


@dataclass
class Scope:
    """Whose report: one agency, or every agency the user sees (the government's report)."""

    agency: Agency | None
    agency_count: int
    government_name: str = ""
    only: Agency | None = None  # the one agency of a one-agency installation

    @property
    def agency_id(self) -> int | None:
        return self.agency.id if self.agency is not None else None

    @property
    def code(self) -> str | None:
        return self.agency.code if self.agency is not None else None

    @property
    def key(self) -> str:
        """The key publications are filed under: a one-agency installation has one report whichever way it is
        asked for."""
        return pq.scope_key(self.code if self.agency_count > 1 else None)

    @property
    def name(self) -> str:
        """The name the report's title carries: the agency; for all agencies of a one-agency installation, that
        agency; otherwise the government (its name when set, else 本级政府)."""
        if self.agency is not None:
            return self.agency.name
        if self.only is not None:
            return self.only.name
        return self.government_name or GOVERNMENT_FALLBACK

    @property
    def text(self) -> str:
        if self.agency is not None and self.agency_count > 1:
            return f"{self.agency.name}（{self.agency.code}）"
        if self.agency is not None or self.only is not None:
            return self.name
        gov = f"{self.government_name}（本级政府）" if self.government_name else GOVERNMENT_FALLBACK
        return f"{gov}，全部{self.agency_count}个机关"


GOVERNMENT_FALLBACK = "本级政府"
GOVERNMENT_NAME_KEY = "government_name"


def resolve_scope(ctx: ServiceContext, s: Session, agency_code: str | None, *, what: str = "统计") -> Scope:
    actor = ctx.actor(s)
    agency = None
    if agency_code:
        agency = repo.agency_by_code(s, agency_code.strip())
        if agency is None:
            known = "、".join(a.code for a in repo.agencies(s)) or "无"
            raise InvalidInput(f"机关代码“{agency_code}”不存在。已有：{known}")
    if not actor.sees_all():
        if agency is not None and agency.id != actor.agency_id:
            raise NotPermitted(
                f"用户“{actor.name}”只能{what}本机关的数据，不能{what}“{agency.name}”（全部机关的年报由政府办统计）"
            )
        if agency is None:
            agency = s.get(Agency, actor.agency_id)
    agencies = repo.agencies(s)
    only = agencies[0] if len(agencies) == 1 else None
    return Scope(agency, len(agencies), pq.get_setting(s, GOVERNMENT_NAME_KEY), only)


def annual_report(ctx: ServiceContext, year: int, agency_code: str | None = None, *,
                  strict: bool = True) -> dict[str, Any]:
    """Today's count of the report in the JSON shape of spec 07 (plus agency_name, working_time, fee details and
    the re-replies), whether or not the year is published (see `report`).

    Each case counts by its first conclusion. The year's 二 is checked against the previous year's published
    四 (or the opening balance of the first year in the tool): a difference is an identity fault naming the cases.
    strict=False returns a failing report with identity_holds false and the faults listed instead of raising
    (for screens that show what is wrong)."""
    y = check_year(ctx, year)
    start, end = ar.year_bounds(y)
    with ctx.db.read() as s:
        scope = resolve_scope(ctx, s, agency_code)
        agency_id = scope.agency_id
        counts = stats_queries.table3_counts(s, start, end, agency_id, _REPLY_OUTCOMES, _TYPES, _OUTCOMES)
        table3 = ar.build_table3(counts.new, counts.carried_in, counts.concluded, counts.carried_out)
        failures = table3.identity_failures()
        faults: list[dict[str, Any]] = []
        if failures or counts.unplaced or counts.suspicious:
            faults = _faults(s, start, end, agency_id)
        carried_failures, carried_faults, reference = _carried_in_check(s, y, scope, table3)
        faults += carried_faults
        table4 = ar.build_table4(stats_queries.table4_counts(s, start, end, agency_id))
        fee_row = stats_queries.fee_counts(s, start, end, agency_id)
        proactive = _proactive(s, start, end, agency_id)
        rereplies = _rereplies(ctx, s, y, agency_id)

    messages = [f.message for f in failures] + carried_failures
    if strict and (messages or faults):
        raise InvalidInput(_refusal(y, scope.code, messages, faults), detail={"faults": faults})

    fees = ar.Fees(fee_row["notices"], fee_row["billed"], fee_row["collected"],
                   {k: v for k, v in fee_row.items() if k not in ("notices", "billed", "collected")})
    wt = ar.build_working_time(counts.reply_days, counts.replied_late, counts.office_review_days,
                               counts.legal_review_days, counts.replies)
    report: dict[str, Any] = {
        "year": y,
        "agency": scope.code,
        "columns": list(ar.COLUMNS),
        "table3": table3.as_json(),
        "table4": table4.as_json(),
        "fees": fees.as_json(),
        "identity_holds": not messages and not faults,
        "agency_name": scope.name,
        "scope": scope.text,
        "working_time": wt.as_json(),
        "fees_sentence": fees.sentence(),
        "proactive": proactive,
        "rereplies": rereplies,
        "carried_in_reference": reference,
    }
    if not strict:
        report["identity_failures"] = messages
        report["faults"] = faults
    return report


def _proactive(s: Any, start: Any, end: Any, agency_id: int | None) -> dict[str, Any]:
    """Requested information published proactively in the year (Art. 44), for the narrative section."""
    from zwgk_tui.services.office import proactive_summary

    return proactive_summary(s, start, end, agency_id)


def _carried_in_check(s: Session, year: int, scope: Scope, table3: ar.Table3
                      ) -> tuple[list[str], list[dict[str, Any]], dict[str, Any] | None]:
    """This year's 二 against the previous year's published 四 (same scope), or the opening balance recorded for
    the first year in the tool. Returns (messages, faults naming the cases, the reference used)."""
    publication = pq.current_publication(s, year - 1, scope.key)
    cells: dict[str, list[str]] | None = None
    if publication is not None:
        reference_row = list(publication.report["table3"]["carried_out"])[: len(ar.APPLICANT_COLUMNS)]
        source = f"{year - 1} 年已发布年报（{publication.published_on.isoformat()} 发布）"
        cells = {k: list(v) for k, v in (publication.cells or {}).items() if k.startswith("table3.carried_out.")}
        reference = {"source": "publication", "year": year - 1, "published_on": publication.published_on.isoformat(),
                     "carried_out": reference_row}
    else:
        opening = pq.opening_balance(s, year, scope.key)
        if opening is None:
            return [], [], None
        reference_row = list(opening.carried["columns"])
        source = f"期初数（{year - 1} 年年报的结转下年度，{opening.source or '手工录入'}）"
        reference = {"source": "opening", "year": year - 1, "carried_out": reference_row,
                     "file": opening.source}
    current = table3.row("carried_in")[: len(ar.APPLICANT_COLUMNS)]
    mismatches = pub.carried_mismatches(reference_row, current)
    if not mismatches:
        return [], [], reference
    messages = [f"第二项（上年结转）与{source}的第四项（结转下年度）不一致："]
    messages += [m.message(source) for m in mismatches]
    start, end = ar.year_bounds(year)
    facts = pq.case_facts(s, start, end, scope.agency_id, carried_in_only=True)
    columns = {m.column for m in mismatches}
    now = {f.ref: f for f in facts if f.applicant_type in columns}
    faults: list[dict[str, Any]] = []
    if cells is not None:
        before = {ref for key, refs in cells.items() if key.rsplit(".", 1)[1] in columns for ref in refs}
        for ref in sorted(set(now) - before):
            f = now[ref]
            first = f"，首次办结 {f.first_concluded_on.isoformat()}" if f.first_concluded_on else "，未办结"
            faults.append(_fault(ref, f"计入本年“上年结转”，但不在{source}的“结转下年度”中"
                                      f"（收到 {f.received_on.isoformat()}{first}）"))
        for ref in sorted(before - set(now)):
            faults.append(_fault(ref, f"计入{source}的“结转下年度”，现不在本年“上年结转”中"
                                      "（收到日期、办结日期或申请人类型已更正？）"))
    else:
        for ref in sorted(now):
            f = now[ref]
            faults.append(_fault(ref, f"计入本年“上年结转”（收到 {f.received_on.isoformat()}），请与期初数核对"))
    return messages, faults, reference


def _fault(ref: str, reason: str) -> dict[str, Any]:
    number, _, agency = ref.rpartition("（")
    return {"number": number, "agency": agency.rstrip("）"), "reasons": [reason]}


def _rereplies(ctx: ServiceContext, s: Session, year: int, agency_id: int | None) -> list[dict[str, Any]]:
    """Re-replies concluded in the year (rounds after a reopen): listed apart, never in table 三. Their reply
    time runs from the reopen date."""
    start, end = ar.year_bounds(year)
    out: list[dict[str, Any]] = []
    cal = None
    for number, code, history in pq.reopened_histories(s, agency_id):
        for r in pub.later_rounds(history):
            if r.concluded_on is None or not start <= r.concluded_on <= end:
                continue
            if cal is None:
                cal = ctx.calendar(s)
            out.append({
                "number": number, "agency": code, "round": r.number, "reopened_on": r.reopened_on.isoformat(),
                "reason": r.reason, "concluded_on": r.concluded_on.isoformat(), "outcome": r.outcome,
                "outcome_label": OUTCOME_SHORT_LABELS.get(r.outcome or "", r.outcome),
                "working_days_from_reopen": cal.working_days_between(r.reopened_on, r.concluded_on),
            })
    return out


def _faults(s: Any, start: Any, end: Any, agency_id: int | None) -> list[dict[str, Any]]:
    rows = stats_queries.faulty_cases(s, start, end, agency_id, _TYPES, _OUTCOMES, limit=MAX_FAULTS_SHOWN + 1)
    out = []
    for r in rows:
        reasons = ar.case_faults(r.stage, r.outcome, r.received_on, r.concluded_on, r.applicant_type,
                                 r.first_outcome, r.first_concluded_on)
        out.append({"number": r.number, "agency": r.agency, "reasons": reasons})
    return out


def _refusal(year: int, agency: str | None, failures: list[str], faults: list[dict[str, Any]]) -> str:
    scope = f"机关 {agency} " if agency else ""
    lines = []
    if failures:
        lines.append(f"{scope}{year} 年度统计不能输出：勾稽关系（第一项 + 第二项 = 第三项 + 第四项）不成立——")
        lines += [f"  {f}" for f in failures]
    else:
        lines.append(f"{scope}{year} 年度统计不能输出：以下案件的数据相互矛盾，统计结果将不可靠——")
    if faults:
        lines.append("有问题的案件：")
        for f in faults[:MAX_FAULTS_SHOWN]:
            lines.append(f"  {f['number']}（{f['agency']}）：" + "；".join(f["reasons"]))
        if len(faults) > MAX_FAULTS_SHOWN:
            lines.append("  ……另有更多案件，请先更正以上案件后重新统计")
        lines.append("请用 zwgk-tui case show 编号 --agency 机关代码 核对，以更正日期或重新打开等步骤修正后再统计。")
        if any("已发布年报" in r for f in faults for r in f["reasons"]):
            lines.append(f"如确属上年已发布年报有误，请更正发布：zwgk-tui stats publish --year {year - 1}"
                         + (f" --agency {agency}" if agency else "") + " --republish --reason 理由")
    else:
        lines.append("未找到单个有问题的案件，请检查数据库是否被直接修改过。")
    return "\n".join(lines)


def default_file_name(year: int, agency_code: str | None, fmt: str) -> str:
    suffix = f"-{agency_code}" if agency_code else ""
    return f"年度报告统计-{year}{suffix}.{fmt}"


def check_format(fmt: str | None) -> str:
    value = (fmt or "table").strip().lower()
    if value not in FORMATS:
        raise InvalidInput(f"输出格式“{fmt}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in FORMATS.items()))
    return value


def check_output_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path).expanduser()
    if p.exists() and p.is_dir():
        raise InvalidInput(f"输出路径“{p}”是一个目录，请给出文件名（如 {p / '年度报告统计.xlsx'}）")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidInput(f"无法写入“{p}”：目录“{parent}”不存在")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInput(f"无法写入“{p}”：没有目录“{parent}”的写权限")
    if p.exists() and not os.access(p, os.W_OK):
        raise InvalidInput(f"无法写入“{p}”：文件只读")
    return p


def export(ctx: ServiceContext, year: int, agency_code: str | None, fmt: str, path: str | os.PathLike[str], *,
           current: bool = False) -> Path:
    """Write the report as csv/xlsx/docx/json to `path` (atomically); nothing is written if it is refused.

    A published year is written as published (its frozen figures); `current` writes today's count."""
    from zwgk_tui import exports
    from zwgk_tui.services import publishing

    fmt = check_format(fmt)
    if fmt not in FILE_FORMATS:
        raise InvalidInput(f"格式“{fmt}”不能写入文件，可选：" + "、".join(FILE_FORMATS))
    target = check_output_path(path)
    report = publishing.report(ctx, year, agency_code, current=current)
    try:
        return exports.write(report, fmt, target)
    except OSError as exc:
        raise InvalidInput(f"无法写入“{target}”：{exc.strerror or exc}") from exc
