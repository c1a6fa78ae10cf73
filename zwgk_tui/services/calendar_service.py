"""The working-day calendar as the agency keeps it: status, year view, overrides, State Council notices, and the
recomputation of every open case's deadlines after a change (listing the ones that moved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from zwgk_tui.domain import validation as v
from zwgk_tui.domain.calendar import CalendarOverride, WorkCalendar
from zwgk_tui.domain.clock import quick_deadlines
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import CalendarOverrideRow, CalendarYear
from zwgk_tui.services.clockbridge import deadline_for, store_deadline
from zwgk_tui.services.context import ServiceContext, load_calendar, now_in_china
from zwgk_tui.services.errors import InvalidInput

if TYPE_CHECKING:  # the notice parser is imported by the import commands only (deadline starts faster)
    from zwgk_tui.domain.holiday_notice import ParsedNotice

KIND_LABELS = {"workday": "工作日", "weekend": "休息日", "holiday": "节假日", "makeup_workday": "调休上班"}


def _date(text: str | date, label: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return v.parse_date(text, label)
    except v.ValidationError as exc:
        raise InvalidInput(exc.message) from exc


def quick_deadline(ctx: ServiceContext, received: str | date) -> dict[str, Any]:
    d = _date(received, "收到申请日期")
    cal = ctx.calendar()
    try:
        return quick_deadlines(d, cal)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def status(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.db.read() as s:
        cal = ctx.calendar(s)
        return {
            "source": cal.source,
            "package_version": cal.package_version,
            "package_last_official_year": cal.package_last_official_year,
            "last_official_year": cal.last_official_year,
            "imported_years": [{"year": y.year, "title": y.title} for y in repo.calendar_years(s)],
            "overrides": [
                {"date": o.day.isoformat(), "working": o.working, "note": o.note, "source": o.source}
                for o in repo.calendar_overrides(s)
            ],
        }


def year_view(ctx: ServiceContext, year: int) -> dict[str, Any]:
    cal = ctx.calendar()
    if not 2000 <= year <= 2045:
        raise InvalidInput(f"年份 {year} 超出日历范围（2000–2045）")
    months = []
    for m in range(1, 13):
        weeks = []
        for week in cal.month_grid(year, m):
            weeks.append([
                None if d is None else {"date": d.day.isoformat(), "working": d.working, "kind": d.kind,
                                        "name": d.name, "overridden": d.overridden}
                for d in week
            ])
        months.append({"month": m, "weeks": weeks})
    return {"year": year, "provisional": year > cal.last_official_year, "last_official_year": cal.last_official_year,
            "months": months}


@dataclass
class MovedCase:
    number: str
    agency: str
    old_due: date | None
    new_due: date | None


def _recompute_open_cases(ctx: ServiceContext, s: Session, new_cal: WorkCalendar, *, store: bool = True
                          ) -> list[MovedCase]:
    """Every open case's deadline under `new_cal`; the ones whose due date (or its provisional mark) changes are
    returned. With store=False nothing is written (the preview before an import)."""
    moved = []
    today = ctx.today()
    for case in repo.open_cases(s):
        events = repo.events_of(s, case.id)
        dl = deadline_for(case, events, new_cal, today, fee_pauses_clock=case.agency.fee_pauses_clock,
                          due_soon_days=case.agency.due_soon_days, explain=False)
        if dl.due != case.due_date or dl.provisional != case.due_provisional:
            moved.append(MovedCase(case.number, case.agency.code, case.due_date, dl.due))
        if store:
            store_deadline(case, dl)
    return moved


def set_day(ctx: ServiceContext, day: str | date, working: bool, note: str) -> dict[str, Any]:
    d = _date(day, "日期")
    if not note.strip():
        raise InvalidInput("请用 --note 写明依据（如“国务院办公厅通知”或本地通知文号）")
    with ctx.db.write() as s:
        ctx.require_role(ctx.actor(s), {"admin"}, "修改日历")
        old = load_calendar(s)
        try:
            before = old.day_info(d)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        row = repo.calendar_override_on(s, d)
        if row is None:
            row = CalendarOverrideRow(day=d, working=working, note=note.strip(), source="手工设置",
                                      created_at=now_in_china(), created_by=ctx.user_name)
            s.add(row)
        else:
            row.working, row.note, row.source = working, note.strip(), "手工设置"
        s.flush()
        new = load_calendar(s)
        moved = _recompute_open_cases(ctx, s, new)
    ctx.invalidate_calendar()
    return {"date": d, "before": before, "working": working, "moved": moved}


@dataclass
class ImportPreview:
    notice: ParsedNotice
    changes: list[tuple[date, Any, Any]]  # (day, old DayInfo, new DayInfo)
    moved: list[MovedCase]
    already_official: bool


def read_notice_file(path: str) -> str:
    p = Path(path).expanduser()
    if not p.is_file():
        raise InvalidInput(f"找不到通知文件“{path}”")
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"无法读取“{path}”：请保存为 UTF-8 或 GBK 编码的文本文件")


def preview_import(ctx: ServiceContext, text: str, year: int | None = None) -> ImportPreview:
    from zwgk_tui.domain.holiday_notice import NoticeParseError, parse_notice

    try:
        notice = parse_notice(text, year)
    except NoticeParseError as exc:
        raise InvalidInput(str(exc)) from exc
    with ctx.db.read() as s:
        old = load_calendar(s)
        new = _with_notice(old, notice)
        lo = min([*notice.days_off, *notice.workdays, date(notice.year, 1, 1)])
        hi = max([*notice.days_off, *notice.workdays, date(notice.year, 12, 31)])
        changes = old.changes_against(new, lo, hi)
        moved = _recompute_open_cases(ctx, s, new, store=False)
    return ImportPreview(notice, changes, moved, already_official=notice.year <= old.last_official_year)


def _with_notice(cal: WorkCalendar, notice: ParsedNotice) -> WorkCalendar:
    overrides = {o.day: o for o in cal.overrides}
    year = notice.year
    # The notice is the whole truth for its year: the package's guesses for that year are replaced by the
    # notice's days. Weekday defaults stay as they are; every day the notice names is set explicitly.
    for o in notice.overrides():
        overrides[o.day] = o
    for d, old in _guessed_holidays(cal, year, notice):
        overrides[d] = CalendarOverride(day=d, working=True, note="通知未列为假日", source=notice.title)
        del old
    years = set(cal.official_years) | {year}
    return WorkCalendar(overrides.values(), official_years=years, package=cal.package)


def _guessed_holidays(cal: WorkCalendar, year: int, notice: ParsedNotice) -> list[tuple[date, Any]]:
    """Weekdays the package marks as holidays in `year` that the notice does not list as days off."""
    if year <= cal.package_last_official_year:
        return []
    named = set(notice.days_off)
    out = []
    d = date(year, 1, 1)
    from datetime import timedelta

    while d.year == year:
        info = cal.day_info(d)
        if info.kind == "holiday" and d.weekday() < 5 and d not in named and not info.overridden:
            out.append((d, info))
        d += timedelta(days=1)
    return out


def apply_import(ctx: ServiceContext, text: str, year: int | None = None) -> tuple[ImportPreview, list[MovedCase]]:
    preview = preview_import(ctx, text, year)
    notice = preview.notice
    with ctx.db.write() as s:
        ctx.require_role(ctx.actor(s), {"admin"}, "导入节假日通知")
        old = load_calendar(s)
        new = _with_notice(old, notice)
        existing = {r.day: r for r in repo.calendar_overrides(s)}
        now = now_in_china()
        for o in new.overrides:
            if o.source != notice.title:
                continue
            row = existing.get(o.day)
            if row is None:
                s.add(CalendarOverrideRow(day=o.day, working=o.working, note=o.note, source=o.source, created_at=now,
                                          created_by=ctx.user_name))
            else:
                row.working, row.note, row.source = o.working, o.note, o.source
        year_row = s.get(CalendarYear, notice.year)
        if year_row is None:
            s.add(CalendarYear(year=notice.year, title=notice.title, imported_at=now))
        else:
            year_row.title, year_row.imported_at = notice.title, now
        s.flush()
        moved = _recompute_open_cases(ctx, s, load_calendar(s))
    ctx.invalidate_calendar()
    return preview, moved
