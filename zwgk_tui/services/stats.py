"""The annual report's statistics (spec 04): table 三, table 四, fees and reply times for one year.

Counted from the cases' dates only, so a past year's figures do not depend on the day they are produced. A report
whose identity 一 + 二 = 三（七） + 四 fails, or that would count a contradictory case row, is refused with the
cases at fault named: reports must be right by construction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from zwgk_tui.domain import annual_report as ar
from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, OUTCOMES
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


def annual_report(ctx: ServiceContext, year: int, agency_code: str | None = None, *,
                  strict: bool = True) -> dict[str, Any]:
    """The report in the JSON shape of spec 07 (plus agency_name, working_time and fee details).

    strict=False returns a failing report with identity_holds false and the faults listed instead of raising
    (for screens that show what is wrong)."""
    y = check_year(ctx, year)
    start, end = ar.year_bounds(y)
    with ctx.db.read() as s:
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
                    f"用户“{actor.name}”只能统计本机关的数据，不能统计“{agency.name}”（全部机关的年报由政府办统计）"
                )
            if agency is None:
                agency = s.get(Agency, actor.agency_id)
        agency_id = agency.id if agency is not None else None
        counts = stats_queries.table3_counts(s, start, end, agency_id, _REPLY_OUTCOMES, _TYPES, _OUTCOMES)
        table3 = ar.build_table3(counts.new, counts.carried_in, counts.concluded, counts.carried_out)
        failures = table3.identity_failures()
        faults: list[dict[str, Any]] = []
        if failures or counts.unplaced or counts.suspicious:
            faults = _faults(s, start, end, agency_id)
        table4 = ar.build_table4(stats_queries.table4_counts(s, start, end, agency_id))
        fee_row = stats_queries.fee_counts(s, start, end, agency_id)
        proactive = _proactive(s, start, end, agency_id)
        agency_view = (agency.code, agency.name) if agency is not None else (None, None)

    if strict and (failures or faults):
        raise InvalidInput(_refusal(y, agency_view[0], failures, faults), detail={"faults": faults})

    fees = ar.Fees(fee_row["notices"], fee_row["billed"], fee_row["collected"],
                   {k: v for k, v in fee_row.items() if k not in ("notices", "billed", "collected")})
    wt = ar.build_working_time(counts.reply_days, counts.replied_late, counts.office_review_days,
                               counts.legal_review_days, counts.replies)
    report: dict[str, Any] = {
        "year": y,
        "agency": agency_view[0],
        "columns": list(ar.COLUMNS),
        "table3": table3.as_json(),
        "table4": table4.as_json(),
        "fees": fees.as_json(),
        "identity_holds": not failures and not faults,
        "agency_name": agency_view[1] or "全部机关",
        "working_time": wt.as_json(),
        "fees_sentence": fees.sentence(),
        "proactive": proactive,
    }
    if not strict:
        report["identity_failures"] = [f.message for f in failures]
        report["faults"] = faults
    return report


def _proactive(s: Any, start: Any, end: Any, agency_id: int | None) -> dict[str, Any]:
    """Requested information published proactively in the year (Art. 44), for the narrative section."""
    from zwgk_tui.services.office import proactive_summary

    return proactive_summary(s, start, end, agency_id)


def _faults(s: Any, start: Any, end: Any, agency_id: int | None) -> list[dict[str, Any]]:
    rows = stats_queries.faulty_cases(s, start, end, agency_id, _TYPES, _OUTCOMES, limit=MAX_FAULTS_SHOWN + 1)
    out = []
    for r in rows:
        reasons = ar.case_faults(r.stage, r.outcome, r.received_on, r.concluded_on, r.applicant_type)
        out.append({"number": r.number, "agency": r.agency, "reasons": reasons})
    return out


def _refusal(year: int, agency: str | None, failures: list[ar.IdentityFailure],
             faults: list[dict[str, Any]]) -> str:
    scope = f"机关 {agency} " if agency else ""
    lines = []
    if failures:
        lines.append(f"{scope}{year} 年度统计不能输出：勾稽关系（第一项 + 第二项 = 第三项 + 第四项）不成立——")
        lines += [f"  {f.message}" for f in failures]
    else:
        lines.append(f"{scope}{year} 年度统计不能输出：以下案件的数据相互矛盾，统计结果将不可靠——")
    if faults:
        lines.append("有问题的案件：")
        for f in faults[:MAX_FAULTS_SHOWN]:
            lines.append(f"  {f['number']}（{f['agency']}）：" + "；".join(f["reasons"]))
        if len(faults) > MAX_FAULTS_SHOWN:
            lines.append("  ……另有更多案件，请先更正以上案件后重新统计")
        lines.append("请用 zwgk-tui case show 编号 --agency 机关代码 核对，以更正日期或重新打开等步骤修正后再统计。")
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


def export(ctx: ServiceContext, year: int, agency_code: str | None, fmt: str, path: str | os.PathLike[str]) -> Path:
    """Write the report as csv/xlsx/docx/json to `path` (atomically); nothing is written if it is refused."""
    from zwgk_tui import exports

    fmt = check_format(fmt)
    if fmt not in FILE_FORMATS:
        raise InvalidInput(f"格式“{fmt}”不能写入文件，可选：" + "、".join(FILE_FORMATS))
    target = check_output_path(path)
    report = annual_report(ctx, year, agency_code)
    try:
        return exports.write(report, fmt, target)
    except OSError as exc:
        raise InvalidInput(f"无法写入“{target}”：{exc.strerror or exc}") from exc
