"""The government office's oversight (报备, 每周汇总, 纠错率) and much-requested information (Art. 44).

- `board`: per agency, the requests filed with the office this week and the state of its open cases today;
- `weekly`: the weekly summary, each agency's new requests with due dates and status (docx/xlsx by exports);
- `hot_topics`: requests asking for the same information, grouped, with who asked and where it was published;
- `record_proactive`: the information of some cases was published proactively (an event per case, one
  transaction), and `proactive_summary` counts it for the annual report's narrative.

The office sees every agency, a clerk only their own (the scope rules of services/context.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zwgk_tui.domain import agenda as ag
from zwgk_tui.domain import validation as v
from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, OUTCOME_SHORT_LABELS, STAGE_LABELS
from zwgk_tui.domain.register_table import mask_name
from zwgk_tui.persistence import office_queries as q
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Case, Event
from zwgk_tui.services.agenda import visible_scope
from zwgk_tui.services.context import ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput

DUE_SOON_DAYS = 5  # the office's column: "due within 5 working days"
WEEKLY_FORMATS: dict[str, str] = {"docx": "Word", "xlsx": "Excel", "json": "JSON"}
HOT_TOPICS_LIMIT = 200
WHERE_MAX_CHARS = 300


def check_week(ctx: ServiceContext, week: str | None) -> tuple[date, date]:
    """Monday and Sunday of --week (default: this week)."""
    if week is None or not week.strip():
        monday = ctx.today() - timedelta(days=ctx.today().weekday())
        return monday, ag.end_of_week(monday)
    try:
        return ag.parse_week(week)
    except ag.WeekError as exc:
        raise InvalidInput(str(exc)) from exc


# ---------------------------------------------------------------------------------------------------------------
# Board


@dataclass
class BoardRow:
    agency: str
    name: str
    received: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    office_review: int = 0
    legal_review: int = 0
    proceedings: int = 0
    decided: int = 0
    corrected: int = 0

    @property
    def correction_rate(self) -> float | None:
        return ag.correction_rate(self.corrected, self.decided)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "correction_rate": self.correction_rate}


@dataclass
class Board:
    week: str
    monday: date
    sunday: date
    today: date
    year: int
    rows: list[BoardRow]
    total: BoardRow

    @property
    def title(self) -> str:
        return ag.week_title(self.monday)

    def as_json(self) -> dict[str, Any]:
        return {
            "week": self.week, "from": self.monday.isoformat(), "to": self.sunday.isoformat(),
            "as_of": self.today.isoformat(), "proceedings_year": self.year,
            "agencies": [r.as_json() for r in self.rows], "total": self.total.as_json(),
        }


def board(ctx: ServiceContext, week: str | None = None, agency: str | None = None) -> Board:
    monday, sunday = check_week(ctx, week)
    today = ctx.today()
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        agency_ids, _ = visible_scope(ctx, s, actor, agency, "汇总")
        return _board(ctx, s, agency_ids, monday, sunday, today)


def _board(ctx: ServiceContext, s: Session, agency_ids: tuple[int, ...] | None, monday: date, sunday: date,
           today: date) -> Board:
    cal = ctx.calendar(s)
    year = monday.isocalendar().year
    counts = q.board_counts(s, agency_ids, (monday, sunday), today, cal.nth_working_day_after(today, DUE_SOON_DAYS))
    procs = q.proceeding_counts(s, agency_ids, date(year, 1, 1), min(sunday, date(year, 12, 31)))
    rows = []
    for a in q.visible_agencies(s, agency_ids):
        c = counts.get(a.id, q.BoardCounts())
        p = procs.get(a.id, (0, 0, 0))
        rows.append(BoardRow(a.code, a.name, c.received, c.open, c.overdue, c.due_soon, c.office_review,
                             c.legal_review, *p))
    total = BoardRow("", "合计", *(sum(getattr(r, f) for r in rows) for f in (
        "received", "open", "overdue", "due_soon", "office_review", "legal_review", "proceedings", "decided",
        "corrected")))
    return Board(ag.week_of(monday), monday, sunday, today, year, rows, total)


# ---------------------------------------------------------------------------------------------------------------
# Weekly summary


@dataclass
class WeeklyAgency:
    agency: str
    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Weekly:
    board: Board
    agencies: list[WeeklyAgency]

    def as_json(self) -> dict[str, Any]:
        return {**self.board.as_json(),
                "requests": [{"agency": a.agency, "name": a.name, "rows": a.rows} for a in self.agencies]}


def _status(r: Any, today: date) -> str:
    stage = str(STAGE_LABELS.get(r.stage, r.stage))
    if r.stage == "closed":
        return f"已办结（{OUTCOME_SHORT_LABELS.get(r.outcome or '', r.outcome or '')}）"
    if r.due_date is None:
        return f"{stage}，{'待补正' if r.stage == 'correction_requested' else '暂停计时'}"
    if r.due_date < today:
        return f"{stage}，已逾期"
    return stage


def weekly(ctx: ServiceContext, week: str | None = None, agency: str | None = None) -> Weekly:
    monday, sunday = check_week(ctx, week)
    today = ctx.today()
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        agency_ids, _ = visible_scope(ctx, s, actor, agency, "汇总")
        b = _board(ctx, s, agency_ids, monday, sunday, today)
        rows = q.received_between(s, agency_ids, monday, sunday)
    by_code = {r.agency: WeeklyAgency(r.agency, r.name) for r in b.rows}
    for r in rows:
        by_code[r.agency].rows.append({
            "number": r.number,
            "received_on": r.received_on.isoformat(),
            "applicant_type": r.applicant_type,
            "applicant_type_label": APPLICANT_TYPE_LABELS.get(r.applicant_type, r.applicant_type),
            "applicant": mask_name(r.applicant_name or "", r.applicant_type or ""),
            "subject": " ".join((r.content or "").split()),
            "due_date": r.due_date.isoformat() if r.due_date else None,
            "provisional": bool(r.due_provisional),
            "stage": r.stage,
            "status": _status(r, today),
        })
    return Weekly(b, list(by_code.values()))


def check_weekly_format(fmt: str | None, output: str | None) -> str:
    value = (fmt or "").strip().lower()
    if not value and output:
        value = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if value not in WEEKLY_FORMATS:
        raise InvalidInput(f"输出格式“{fmt or value}”无效，可选：" + "、".join(
            f"{k}（{name}）" for k, name in WEEKLY_FORMATS.items()))
    return value


def weekly_file_name(w: Weekly, fmt: str) -> str:
    return f"依申请公开每周汇总-{w.board.week}.{fmt}"


def export_weekly(ctx: ServiceContext, week: str | None, fmt: str | None, output: str | None, *,
                  force: bool = False, agency: str | None = None) -> tuple[Any, Weekly]:
    """Write the weekly summary; returns (path, the summary)."""
    import json

    from zwgk_tui.exports import office_export
    from zwgk_tui.services.outfile import write_file

    kind = check_weekly_format(fmt, output)
    w = weekly(ctx, week, agency)
    if kind == "json":
        text = json.dumps(w.as_json(), ensure_ascii=False, indent=2) + "\n"
        def write_json(p: Path) -> None:
            p.write_text(text, encoding="utf-8")

        path = write_file(ctx, output, weekly_file_name(w, kind), write_json, force=force)
    elif kind == "xlsx":
        path = write_file(ctx, output, weekly_file_name(w, kind), lambda p: office_export.weekly_xlsx(w, p),
                          force=force)
    else:
        path = write_file(ctx, output, weekly_file_name(w, kind), lambda p: office_export.weekly_docx(w, p),
                          force=force)
    return path, w


# ---------------------------------------------------------------------------------------------------------------
# Much-requested information (Art. 44) and proactive disclosure


@dataclass
class HotTopic:
    content: str
    requests: int
    applicants: int
    first: date
    last: date
    agencies: list[str]
    cases: list[tuple[str, str]]  # (agency code, case number) in order of receipt
    published: list[dict[str, str]]  # {"on", "where", "by"} of proactive records on any of its cases

    def as_json(self) -> dict[str, Any]:
        return {
            "content": self.content, "requests": self.requests, "applicants": self.applicants,
            "first_received": self.first.isoformat(), "last_received": self.last.isoformat(),
            "agencies": self.agencies, "cases": [{"agency": a, "number": n} for a, n in self.cases],
            "published": self.published,
        }


def check_year(ctx: ServiceContext, year: Any) -> int:
    today = ctx.today()
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise InvalidInput(f"年度“{year}”不是整数年份（如 {today.year}）") from None
    if not 2008 <= y <= today.year:
        raise InvalidInput(f"年度 {y} 超出范围：应在 2008 至 {today.year} 之间")
    return y


def hot_topics(ctx: ServiceContext, year: Any, min_applicants: Any = 2, agency: str | None = None) -> list[HotTopic]:
    """Groups of requests received in `year` asking for the same information, by at least `min_applicants`
    different applicants (Art. 44 speaks of several applicants; one person asking again is a repeat, 36(六))."""
    y = check_year(ctx, year)
    try:
        n = int(min_applicants)
    except (TypeError, ValueError):
        raise InvalidInput(f"--min “{min_applicants}”不是整数：应为 2 以上的申请人数") from None
    if not 2 <= n <= 10_000:
        raise InvalidInput(f"--min {n} 无效：多人申请至少为 2 个不同申请人（《条例》第四十四条）")
    start, end = date(y, 1, 1), date(y, 12, 31)
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        agency_ids, _ = visible_scope(ctx, s, actor, agency, "申请")
        groups = q.repeated_contents(s, agency_ids, start, end, n, HOT_TOPICS_LIMIT)
        contents = [g.content for g in groups]
        rows = q.cases_with_contents(s, agency_ids, start, end, contents) if contents else []
        published = q.proactive_events(s, [r.id for r in rows])
    by_content: dict[str, list[Any]] = {}
    for r in rows:
        by_content.setdefault(r.content, []).append(r)
    out = []
    for g in groups:
        members = by_content.get(g.content, [])
        seen: set[tuple[str, str]] = set()
        pubs = []
        for r in members:
            for e in published.get(r.id, []):
                where = str((e.data or {}).get("where", ""))
                key = (e.on_date.isoformat(), where)
                if key not in seen:
                    seen.add(key)
                    pubs.append({"on": key[0], "where": where, "by": e.actor})
        out.append(HotTopic(
            content=g.content, requests=int(g.requests), applicants=int(g.applicants), first=g.first, last=g.last,
            agencies=sorted({r.agency for r in members}), cases=[(r.agency, r.number) for r in members],
            published=pubs,
        ))
    return out


@dataclass
class ProactiveResult:
    on: date
    where: str
    recorded: list[tuple[str, str]]  # (agency code, number)
    skipped: list[tuple[str, str]]  # already recorded with the same place


def record_proactive(ctx: ServiceContext, cases: list[str] | list[tuple[str | None, str]], on: str | date,
                     where: str, agency: str | None = None) -> ProactiveResult:
    """Record, as an event on each case, that the information it asked for was published proactively on `on`
    at `where` (Art. 44). All cases or none: one transaction. A case that already records the same place is
    left as it is."""
    from zwgk_tui.services.cases import find_case

    try:
        day = v.parse_date(on, "--on（主动公开日期）")
        place = v.check_text(where, "--where（公开位置）", WHERE_MAX_CHARS, required=True) or ""
    except v.ValidationError as exc:
        raise InvalidInput(exc.message) from exc
    if "\n" in place or "\r" in place:
        raise InvalidInput("--where（公开位置）应为一行：网址或栏目名称")
    keys = [(agency, c) if isinstance(c, str) else (c[0] or agency, c[1]) for c in cases]
    keys = list(dict.fromkeys((a, n.strip()) for a, n in keys if n and n.strip()))
    if not keys:
        raise InvalidInput("请给出案件编号：zwgk-tui proactive 编号… --on 日期 --where 网址")
    today = ctx.today()
    recorded: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"clerk", "office"}, "记录主动公开")
        found: list[Case] = []
        for code, number in keys:
            case = find_case(ctx, s, number, code)
            ctx.require_case_access(actor, case)
            try:
                v.check_event_date(day, case.received_on, today, f"案件 {case.number} 的主动公开")
            except v.ValidationError as exc:
                raise InvalidInput(exc.message) from exc
            found.append(case)
        numbers = [c.number for c in found]
        now = now_in_china()
        for case in found:
            earlier = q.proactive_events(s, [case.id]).get(case.id, [])
            if any(str((e.data or {}).get("where", "")) == place for e in earlier):
                skipped.append((case.agency.code, case.number))
                continue
            s.add(Event(case_id=case.id, action=q.PROACTIVE_ACTION, on_date=day, at=now, actor=actor.name,
                        comment=f"已转为主动公开：{place}", data={"where": place, "cases": numbers},
                        before={}, after={}))
            recorded.append((case.agency.code, case.number))
        s.flush()
    return ProactiveResult(day, place, recorded, skipped)


def proactive_summary(s: Session, start: date, end: date, agency_id: int | None) -> dict[str, Any]:
    """For the annual report's narrative: information published proactively in [start, end] because it was
    requested (Art. 44), and the requests concerned."""
    items, cases = q.proactive_counts(s, start, end, agency_id)
    sentence = (f"本年度将{items}项多人申请的政府信息转为主动公开（涉及申请{cases}件）。" if items
                else "本年度未将依申请公开的政府信息转为主动公开。")
    return {"information": items, "cases": cases, "sentence": sentence}


def visible_agency_codes(ctx: ServiceContext) -> list[str]:
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        return [a.code for a in repo.agencies(s) if actor.sees_all() or a.id == actor.agency_id]
