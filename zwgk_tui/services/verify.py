"""`zwgk-tui verify`: is the register what its history says it is?

Without re-running any step: recompute every case's hash chain from the stored rows; check that each event's
"before" snapshot agrees with the state the earlier events left; compare the case row with that state; check the
gapless case numbers (a deleted case leaves a hole) and the database's protective triggers. Read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from zwgk_tui.persistence import chain, security
from zwgk_tui.services.context import ServiceContext

# Case fields a snapshot may hold that change without an event (the deadline moves with the calendar).
DERIVED = frozenset({"due_date", "paused", "due_provisional", "version", "updated_at"})
FIELD_LABELS = {"stage": "阶段", "outcome": "办理结果", "proposed_outcome": "拟办结果", "concluded_on": "办结日期",
                "extension_days": "延长工作日", "number": "编号"}
MAX_PER_CASE = 5
# What every case is before its first event: no outcome, not concluded. The decisive fields of the annual report,
# so a case whose history never concluded it cannot be given an outcome by editing its row. (Other fields are
# compared once an event's snapshot mentions them; events that set case fields must say so in `after`.)
BASELINE: dict[str, Any] = {"outcome": None, "concluded_on": None}


@dataclass
class Problem:
    case: str | None  # "number（agency）", or None for the database as a whole
    message: str


@dataclass
class VerifyReport:
    cases: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_cases(self) -> list[str]:
        return list(dict.fromkeys(p.case for p in self.problems if p.case))

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "cases": self.cases, "events": self.events,
                "problems": [{"case": p.case, "message": p.message} for p in self.problems],
                "broken_cases": self.broken_cases, "warnings": self.warnings}


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _show(value: Any) -> str:
    return "空" if value is None else json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def run(ctx: ServiceContext) -> VerifyReport:
    report = VerifyReport()
    with ctx.db.read() as s:
        ctx.actor(s)  # registered users only, as for every other command
        conn = s.connection()
        dialect = conn.dialect.name
        for name in security.trigger_problems(conn):
            report.problems.append(Problem(None, f"防篡改触发器 {name} 缺失或被停用：有人可能借此修改过办理记录。"
                                                 "请执行 zwgk-tui init 恢复，并查明原因"))
        for name in security.altered_functions(conn):
            if name == "zwgk_step_roles":
                continue  # reported below: differs after every program upgrade until `init`
            report.problems.append(Problem(None, f"数据库中的防篡改函数 {name} 与本程序安装的不一致（被替换或删除）："
                                                 "请由所有者执行 zwgk-tui init 恢复，并查明原因"))
        if security.stale_step_roles(conn):
            report.warnings.append("数据库中的“步骤—角色”对照与本程序不一致（程序已升级？）："
                                   "请由所有者执行 zwgk-tui init 更新")
        events = chain.stream_events(s)
        pending = next(events, None)
        for case in chain.stream_cases(s):
            report.cases += 1
            label = f"{case.number}（{case.agency_code}）"
            # Events of case ids below this one have no case row: the case was deleted under its history.
            while pending is not None and pending[1] < case.id:
                report.problems.append(Problem(f"案件 id {pending[1]}", "有办理记录但案件本身不存在：案件被直接删除"))
                while pending is not None and pending[1] < case.id:
                    report.events += 1
                    pending = next(events, None)
            rows = []
            while pending is not None and pending[1] == case.id:
                rows.append(pending)
                pending = next(events, None)
            report.events += len(rows)
            found = _check_case(case, rows, dialect)
            report.problems += [Problem(label, m) for m in found[:MAX_PER_CASE]]
            if len(found) > MAX_PER_CASE:
                report.problems.append(Problem(label, f"……另有 {len(found) - MAX_PER_CASE} 处问题"))
        while pending is not None:
            orphan = pending[1]
            report.problems.append(Problem(f"案件 id {orphan}", "有办理记录但案件本身不存在：案件被直接删除"))
            while pending is not None and pending[1] == orphan:
                report.events += 1
                pending = next(events, None)
        for code, fmt, year, missing, last in chain.numbering_gaps(s):
            if missing:
                nums = "、".join(_number(fmt, year, n, code) for n in missing[:20])
                more = f" 等 {len(missing)} 个" if len(missing) > 20 else ""
                report.problems.append(Problem(
                    None, f"机关 {code} {year} 年的案件编号不连续："
                          f"缺少 {nums}{more}（已编到第 {last} 号）——案件被删除"))
            else:
                report.problems.append(Problem(
                    None, f"机关 {code} {year} 年的编号计数器（{last}）小于已有案件的编号：计数器被改动过"))
    return report


def _number(fmt: str, year: int, seq: int, code: str) -> str:
    try:
        return fmt.format(year=year, seq=seq, code=code)
    except (KeyError, IndexError, ValueError):
        return f"{year}-{seq}"


@lru_cache(maxsize=4096)
def _snapshot(text: str) -> Any:
    """A parsed state snapshot (shared between equal texts: never mutate the result)."""
    return json.loads(text or "{}")


def _check_case(case: Any, rows: list[Any], dialect: str) -> list[str]:
    if not rows:
        return ["没有任何办理记录（登记记录也没有）：办理记录被删除，或案件被直接插入"]
    found: list[str] = []
    prev = chain.GENESIS
    state: dict[str, Any] = dict(BASELINE)
    for k, row in enumerate(rows, start=1):
        ev_id, action, before_text, after_text, prev_hash, ev_hash = row[0], row[2], row[9], row[10], row[11], row[12]

        def where(k: int = k, ev_id: Any = ev_id, action: str = action) -> str:  # built only for a finding
            return f"第 {k} 条办理记录（#{ev_id} {action}）"

        if not ev_hash:
            found.append(f"{where()}没有校验值：记录绕过本程序写入")
        elif chain.recompute(row, dialect) != ev_hash:
            found.append(f"{where()}的内容与其校验值不符：记录写入后被改动过")
        if prev_hash != prev:
            found.append(f"{where()}与上一条记录衔接不上（校验链断开）：其间的记录被删除、插入或改动过")
        prev = ev_hash
        try:
            before, after = _snapshot(before_text), _snapshot(after_text)
        except ValueError:
            found.append(f"{where()}的状态快照不是有效的 JSON：记录被改动过")
            continue
        if isinstance(before, dict):
            for key, value in before.items():
                if key in DERIVED or key not in state or state[key] == value:
                    continue
                found.append(f"{where()}记载的办理前{FIELD_LABELS.get(key, key)}为 {_show(value)}，"
                             f"但上一条记录之后应为 {_show(state[key])}：其间有未记录的改动")
        if isinstance(after, dict):
            state.update(after)
    columns = case._mapping
    for key, value in state.items():
        if key in DERIVED or key not in columns:
            continue
        actual = _norm(columns[key])
        if actual != value:
            found.append(f"案件的{FIELD_LABELS.get(key, key)}（{key}）为 {_show(actual)}，但办理记录显示应为 "
                         f"{_show(value)}：案件被直接修改过（没有相应的办理记录）")
    return found
