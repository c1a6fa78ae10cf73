"""Publishing the annual report (issue 12): a published year is frozen, later changes of the data are listed
against it, and the next year's 上年结转 is checked against its 结转下年度.

- `publish` stores the report, the cases behind every cell and a SHA-256 of both;
- `report` is what `stats --year Y` shows: the published report of a published year (with the differences of
  today's data, 发布后变动), else today's count;
- `record_opening` records, for the first year in the tool, the previous year's published 结转下年度;
- the government's name for a multi-agency report is an installation setting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.domain import annual_report as ar
from zwgk_tui.domain import publication as pub
from zwgk_tui.persistence import publication_queries as pq
from zwgk_tui.persistence.models import OpeningBalance, Publication
from zwgk_tui.services import stats
from zwgk_tui.services.context import ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput

PUBLISH_ROLES = frozenset({"head", "office", "admin"})
SETTINGS_ROLES = frozenset({"office", "admin"})
MAX_NAME = 100


def cells_now(s: Session, year: int, agency_id: int | None) -> dict[str, list[str]]:
    """The cases behind every cell of `year` as the data stands today."""
    start, end = ar.year_bounds(year)
    return pub.cell_cases(year, pq.case_facts(s, start, end, agency_id),
                          pq.proceeding_facts(s, start, end, agency_id), pq.fee_facts(s, start, end, agency_id))


def _payload(year: int, scope: str, report: dict[str, Any], cells: dict[str, list[str]]) -> dict[str, Any]:
    """What the SHA-256 covers: the published figures and the cases behind them."""
    return {"year": year, "scope": scope, "table3": report["table3"], "table4": report["table4"],
            "fees": report["fees"], "cells": cells}


def _check_cells(report: dict[str, Any], cells: dict[str, list[str]]) -> None:
    """The case lists must add up to the report's numbers (two counts of the same data): refuse otherwise."""
    from_cells = {k: n for k, n in pub.counts_from_cells(cells).items() if not k.startswith("fees.")}
    expected = pub.report_counts(report)
    bad = sorted(set(from_cells.items()) ^ set(expected.items()))
    fees_ok = len(cells.get("fees.notices", [])) == report["fees"]["notices"]
    if bad or not fees_ok:
        keys = "、".join(sorted({k for k, _ in bad})) or "收费通知"
        raise InvalidInput(f"年报数字与逐案清单核对不一致（{keys}），未发布。请报告此问题。")


def publication_info(p: Publication) -> dict[str, Any]:
    return {
        "id": p.id, "year": p.year, "scope": p.scope, "published_on": p.published_on.isoformat(),
        "published_at": p.published_at.isoformat() if p.published_at else None, "published_by": p.published_by,
        "sha256": p.sha256, "status": p.status, "reason": p.reason,
        "sha256_ok": pub.digest(_payload(p.year, p.scope, p.report, p.cells)) == p.sha256,
    }


def publish(ctx: ServiceContext, year: Any, agency_code: str | None = None, *, republish: bool = False,
            reason: str = "") -> dict[str, Any]:
    y = stats.check_year(ctx, year)
    today = ctx.today()
    if y >= today.year:
        raise InvalidInput(f"{y} 年度尚未结束（今天是 {today.isoformat()}），不能发布：年度报告在次年发布"
                           "（《条例》第四十九条：部门1月31日前报送，政府3月31日前公布）")
    reason = (reason or "").strip()
    if republish and not reason:
        raise InvalidInput("更正发布须写明理由：--reason “更正的内容和原因”")
    report = stats.annual_report(ctx, y, agency_code)  # refuses a report whose identity fails
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, PUBLISH_ROLES, "发布年度报告")
        scope = stats.resolve_scope(ctx, s, agency_code, what="发布")
        existing = pq.current_publication(s, y, scope.key)
        if existing is not None and not republish:
            raise InvalidInput(
                f"{y} 年度报告（{scope.text}）已于 {existing.published_on.isoformat()} 由 {existing.published_by} 发布"
                f"（SHA-256 {existing.sha256[:12]}…），发布后数字不再变动。"
                "确需更正发布的，请加 --republish --reason 理由"
            )
        if existing is None and republish:
            raise InvalidInput(f"{y} 年度报告尚未发布，无需更正发布：去掉 --republish 即可发布")
        cells = cells_now(s, y, scope.agency_id)
        _check_cells(report, cells)
        digest = pub.digest(_payload(y, scope.key, report, cells))
        if existing is not None:
            existing.status = "superseded"
        row = Publication(year=y, scope=scope.key, agency_id=scope.agency_id, published_on=today,
                          published_at=now_in_china(), published_by=actor.name, report=report, cells=cells,
                          sha256=digest, status="current", reason=reason)
        s.add(row)
        s.flush()
        info = publication_info(row)
    info.update({"scope_text": report.get("scope"), "cells": sum(len(v) for v in cells.values()),
                 "republished": existing is not None, "superseded": existing.id if existing is not None else None})
    return info


def report(ctx: ServiceContext, year: Any, agency_code: str | None = None, *, current: bool = False,
           strict: bool = True) -> dict[str, Any]:
    """The report `stats --year Y` shows. For a published year: the published report, with "publication" and
    "changes_since_publication" (the cells today's data would change, with the cases causing each change);
    `current=True` gives today's count instead (still naming the publication). Unpublished: today's count."""
    y = stats.check_year(ctx, year)
    with ctx.db.read() as s:
        scope = stats.resolve_scope(ctx, s, agency_code)
        p = pq.current_publication(s, y, scope.key)
        if p is not None and not current:
            published = dict(p.report)
            published["publication"] = publication_info(p)
            changes = pub.diff_cells(p.cells or {}, cells_now(s, y, scope.agency_id))
            published["changes_since_publication"] = [c.as_json() for c in changes]
            return published
        info = publication_info(p) if p is not None else None
    rep = stats.annual_report(ctx, y, agency_code, strict=strict)
    rep["publication"] = info
    return rep


def state(ctx: ServiceContext, year: Any, agency_code: str | None = None) -> dict[str, Any]:
    """Whether the year is published, and how many cells today's data would change (for screens)."""
    rep = report(ctx, year, agency_code, strict=False)
    return {"publication": rep.get("publication"), "changes": rep.get("changes_since_publication") or []}


# ---------------------------------------------------------------------------------------------------------------
# Opening balance (first year in the tool)


@dataclass(frozen=True)
class Carried:
    columns: tuple[int, ...]  # the six applicant columns
    year: int | None = None  # the report's year, when the file says it

    @property
    def total(self) -> int:
        return sum(self.columns)


def _numbers(values: list[Any], what: str) -> Carried:
    nums: list[int] = []
    for v in values:
        if isinstance(v, bool):
            raise InvalidInput(f"{what}：“{v}”不是件数")
        try:
            n = int(str(v).strip())
        except ValueError:
            raise InvalidInput(f"{what}：“{v}”不是整数件数") from None
        if n < 0 or n > 10_000_000:
            raise InvalidInput(f"{what}：件数 {n} 无效")
        nums.append(n)
    cols = len(ar.APPLICANT_COLUMNS)
    if len(nums) not in (cols, cols + 1):
        raise InvalidInput(f"{what}：应为{cols}个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他），"
                           f"可再加总计，共 {len(nums)} 个")
    if len(nums) == cols + 1 and sum(nums[:cols]) != nums[cols]:
        raise InvalidInput(f"{what}：总计 {nums[cols]} 不等于各列之和 {sum(nums[:cols])}")
    return Carried(tuple(nums[:cols]))


def parse_values(text: str) -> Carried:
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p.strip()]
    return _numbers(parts, "--carried")


def read_opening_file(path: str | Path) -> Carried:
    """The 结转下年度 row of a published report: this tool's JSON (`stats --format json`) or a spreadsheet with
    a row labelled 四、结转下年度继续办理 followed by the numbers (this tool's xlsx or the report's own table)."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise InvalidInput(f"找不到文件“{p}”")
    suffix = p.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8-sig"))
            row = data["table3"]["carried_out"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"“{p.name}”不是本工具导出的年报 JSON（缺少 table3.carried_out）") from exc
        carried = _numbers(list(row), p.name)
        year = data.get("year") if isinstance(data, dict) else None
        return Carried(carried.columns, int(year) if isinstance(year, int) else None)
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:
            raise InvalidInput(f"无法读取“{p.name}”：不是有效的 xlsx 文件") from exc
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                texts = [str(c) for c in row if isinstance(c, str)]
                if any("结转下年度" in t for t in texts):
                    numbers = [c for c in row if isinstance(c, (int, float)) and not isinstance(c, bool)]
                    return _numbers([int(n) for n in numbers], f"{p.name}（{ws.title}）")
        raise InvalidInput(f"“{p.name}”中找不到“四、结转下年度继续办理”一行")
    raise InvalidInput(f"文件“{p.name}”格式不支持：请用本工具导出的 .json 或 .xlsx 年报")


def record_opening(ctx: ServiceContext, year: Any, agency_code: str | None = None, *, file: str | None = None,
                   values: str | None = None) -> dict[str, Any]:
    """Record the previous year's published 结转下年度 as the reference for `year`'s 上年结转."""
    y = stats.check_year(ctx, year)
    if bool(file) == bool(values):
        raise InvalidInput("请给出上年年报文件（--file 上年年报.json 或 .xlsx），或者直接写出数字"
                           "（--carried 自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他[,总计]），二者选一")
    carried = read_opening_file(file) if file else parse_values(values or "")
    if carried.year is not None and carried.year != y - 1:
        raise InvalidInput(f"文件是 {carried.year} 年的年报；{y} 年的期初数应取 {y - 1} 年年报的“结转下年度”")
    source = Path(file).name if file else "命令行录入"
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, PUBLISH_ROLES, "录入期初数")
        scope = stats.resolve_scope(ctx, s, agency_code, what="录入")
        row = pq.opening_balance(s, y, scope.key)
        replaced = row is not None
        if row is None:
            row = OpeningBalance(year=y, scope=scope.key, agency_id=scope.agency_id, carried={},
                                 recorded_at=now_in_china(), recorded_by=actor.name)
            s.add(row)
        row.carried = {"columns": list(carried.columns), "total": carried.total}
        row.source = source
        row.recorded_at = now_in_china()
        row.recorded_by = actor.name
        published_before = pq.current_publication(s, y - 1, scope.key) is not None
        text = scope.text
    warnings = []
    if published_before:
        warnings.append(f"本工具中已有 {y - 1} 年的发布记录，核对时以其为准，期初数不再使用")
    return {"year": y, "scope": text, "columns": list(carried.columns), "total": carried.total, "source": source,
            "replaced": replaced, "warnings": warnings}


# ---------------------------------------------------------------------------------------------------------------
# The government's name


def government_name(ctx: ServiceContext) -> str:
    with ctx.db.read() as s:
        return pq.get_setting(s, stats.GOVERNMENT_NAME_KEY)


def set_government_name(ctx: ServiceContext, name: str) -> str:
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        raise InvalidInput(f"政府名称过长（{len(name)} 字），最多 {MAX_NAME} 字")
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, SETTINGS_ROLES, "设置政府名称")
        pq.set_setting(s, stats.GOVERNMENT_NAME_KEY, name)
    return name
