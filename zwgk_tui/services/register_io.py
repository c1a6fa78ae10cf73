"""The register (台账) in and out: `register export` and `register import`.

Export streams the filtered cases into an xlsx or csv file, one row per case. Import reads an agency's existing
台账 (its own headers, title rows, dates as text or Excel serials), checks every row and writes all of them in one
transaction or none. Closed cases keep their dates and outcome (an `import` event records the row it came from);
open cases are registered as new ones and their deadlines computed.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import tomllib
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_tui.domain import publication as pub
from zwgk_tui.domain import register_table as rt
from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.clock import ClockEvent, compute_deadline, rules_for
from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    CHANNELS_NEEDING_CONFIRMATION,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    REMEDY_KINDS,
    STAGE_LABELS,
)
from zwgk_tui.domain.doc_numbers import DOC_NUMBER_RULE, used_by
from zwgk_tui.exports.safe_cells import csv_unescape
from zwgk_tui.persistence import register_queries as q
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import Agency, Applicant, Case, Event, FeeNotice, RemedyProceeding
from zwgk_tui.services import cases
from zwgk_tui.services.context import (
    DEFAULT_AGENCY_CODE,
    Actor,
    ServiceContext,
    ensure_default_agency,
    now_in_china,
)
from zwgk_tui.services.errors import InvalidInput, NotPermitted
from zwgk_tui.services.outputs import output_path

FORMATS = {"xlsx": "Excel", "csv": "CSV"}
MAX_ERRORS_SHOWN = 200

# ---------------------------------------------------------------------------------------------------------------
# Output files


def check_output(ctx: ServiceContext, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Where an export may be written: not a directory, not the database itself, an existing file only with
    force, never the database or another SQLite file."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise InvalidInput(f"输出路径“{p}”是一个目录，请给出文件名（如 {p / '登记簿.xlsx'}）")
    return output_path(ctx, p, p.name, force=force)  # the project's one output policy (services/outputs.py)


def write_private(path: Path, write: Callable[[Path], int]) -> int:
    """Write through a temporary file in the target's directory, readable by the owner only (the register holds
    applicants' names and, with --reveal, their contacts), then rename it into place."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                    suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        n = write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


# ---------------------------------------------------------------------------------------------------------------
# Export


@dataclass
class ExportResult:
    path: Path
    fmt: str
    rows: int
    reveal: bool


def format_for(path: str | os.PathLike[str], fmt: str | None) -> str:
    if fmt:
        value = fmt.strip().lower()
        if value not in FORMATS:
            raise InvalidInput(f"导出格式“{fmt}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in FORMATS.items()))
        return value
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInput(f"无法从文件名“{path}”判断格式，请加 --format xlsx 或 --format csv")
    return suffix


def default_file_name(ctx: ServiceContext, fmt: str = "xlsx") -> str:
    return f"登记簿-{ctx.today().isoformat()}.{fmt}"


def export(ctx: ServiceContext, output: str | os.PathLike[str], fmt: str | None = None, *, reveal: bool = False,
           force: bool = False, open_only: bool = False, closed_only: bool = False, overdue: bool = False,
           due_within: int | None = None, agency: str | None = None, stage: str | None = None,
           applicant_type: str | None = None, year: int | None = None, search: str | None = None,
           paused: bool = False) -> ExportResult:
    """The register as a file: the cases `case list` would show with the same filters, oldest first."""
    fmt = format_for(output, fmt)
    target = check_output(ctx, output, force=force)
    _check_filters(open_only, closed_only, due_within, stage, applicant_type)
    today = ctx.today()
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        if agency and repo.agency_by_code(s, agency) is None:
            raise InvalidInput(f"机关代码“{agency}”不存在")
        cal = ctx.calendar(s)
        f = repo.CaseFilter(
            open_only=open_only, closed_only=closed_only, overdue_before=today if overdue else None,
            due_by=cal.nth_working_day_after(today, due_within) if due_within is not None else None,
            stage=stage, agency_ids=None if actor.sees_all() else (actor.agency_id or -1,), agency_code=agency,
            applicant_type=applicant_type, year=year, search=(search or "").strip() or None, paused_only=paused,
        )
        several = not agency and actor.sees_all() and q.agency_count(s) > 1
        columns = [c for c in rt.EXPORT_COLUMNS if c.field != "agency" or several]
        if reveal:
            columns += list(rt.PERSONAL_COLUMNS)
        rows = _export_rows(s, f, today, reveal)
        try:
            if fmt == "xlsx":
                from zwgk_tui.exports.register_export import write_xlsx as writer
            else:
                from zwgk_tui.exports.register_export import write_csv as writer
            n = write_private(target, lambda tmp: writer(tmp, columns, rows))
        except OSError as exc:
            raise InvalidInput(f"无法写入“{target}”：{exc.strerror or exc}") from exc
    return ExportResult(target, fmt, n, reveal)


def _check_filters(open_only: bool, closed_only: bool, due_within: int | None, stage: str | None,
                   applicant_type: str | None) -> None:
    # The same refusals as `case list` (cases.list_cases), so the two commands accept the same filters.
    if open_only and closed_only:
        raise InvalidInput("--open 与 --closed 不能同时使用")
    if due_within is not None and not 0 <= due_within <= 200:
        raise InvalidInput(f"--due-within {due_within} 无效：应为 0 至 200 个工作日")
    if stage and stage not in STAGE_LABELS:
        raise InvalidInput(f"阶段“{stage}”无效，可选：" + "、".join(f"{k}（{lb}）" for k, lb in STAGE_LABELS.items()))
    if applicant_type and applicant_type not in APPLICANT_TYPE_LABELS:
        raise InvalidInput(f"申请人类型“{applicant_type}”无效，可选：" + "、".join(APPLICANT_TYPE_LABELS))


def _export_rows(s: Any, f: repo.CaseFilter, today: date, reveal: bool) -> Iterator[dict[str, Any]]:
    for batch in q.export_batches(s, f):
        ids = [r.id for r in batch]
        registered = q.registered_by(s, ids)
        history = q.round_events(s, ids)
        docs = q.reply_doc_numbers(s, ids)
        remedies = q.remedies_of_cases(s, ids)
        fees = q.fees_of_cases(s, ids)
        for r in batch:
            events = history.get(r.id, [])
            rounds = _numbered_rounds(pub.later_rounds(events), docs.get(r.id, ""))
            # A conclusion recorded without its number (a delivery recorded before deliveries kept it) falls back
            # on the reply issued for the case; a reopen voids the replies before it, so that one belongs to the
            # last round and never to the first conclusion of a reopened case.
            doc_number = _counted_reply_number(events) or ("" if rounds else docs.get(r.id, ""))
            yield _export_row(r, today, reveal, registered.get(r.id), doc_number, rounds,
                              remedies.get(r.id, []), fees.get(r.id, []))


def _counted_reply_number(events: list[pub.HistoryEvent]) -> str:
    """The number of the reply delivered at the case's first (counted) conclusion: the tool's own reply or one
    made outside it (`deliver --reply-number`), or the 答复文号 of an imported row."""
    first = next((e for e in events if e.action in pub.CONCLUDING_ACTIONS), None)
    return pub.reply_number(first.data) if first is not None else ""


def _numbered_rounds(rounds: list[pub.Round], issued: str) -> list[pub.Round]:
    """The rounds with their replies' numbers: each as its concluding event records it, and for a concluded last
    round recorded without one, the reply issued (not voided) for the case."""
    if rounds and issued and rounds[-1].concluded_on is not None and not rounds[-1].reply_number:
        return [*rounds[:-1], replace(rounds[-1], reply_number=issued)]
    return rounds


def _export_row(r: Any, today: date, reveal: bool, registered: str | None, doc_number: str | None,
                rounds: list[pub.Round], remedies: list[RemedyProceeding],
                fees: list[FeeNotice]) -> dict[str, Any]:
    closed = r.stage == "closed"
    # Reply-time figures describe the counted (first) conclusion, also while a reopened round is open.
    counted = r.first_concluded_on is not None
    if counted:
        late = None if r.replied_late is None else ("是" if r.replied_late else "否")
    else:
        late = "是" if r.due_date is not None and r.due_date < today else "否"
    due: Any = r.due_date
    if due is None and not closed:
        due = "暂停计时" if r.paused else ""
    reopened = bool(rounds) or (
        counted and (r.first_concluded_on, r.first_outcome) != (r.concluded_on, r.outcome))
    row = {
        "number": r.number,
        "agency": r.agency_name,
        "received": r.received_on,
        "applicant": r.applicant if reveal else rt.mask_name(r.applicant, r.applicant_type),
        "applicant_type": APPLICANT_TYPE_LABELS.get(r.applicant_type, r.applicant_type),
        "channel": CHANNEL_LABELS.get(r.channel, r.channel),
        "content": r.content,
        "handler": r.submitted_by or registered or "",
        "stage": STAGE_LABELS.get(r.stage, r.stage),
        "due": due,
        "concluded": r.concluded_on,
        "outcome": OUTCOME_SHORT_LABELS.get(r.outcome, r.outcome) if r.outcome else "",
        "doc_number": doc_number or "",
        "reply_days": r.working_days_to_reply if counted else None,
        "late": late,
        "remedies": rt.format_remedies(
            rt.RemedyCell(p.kind, p.filed_on, p.result, p.decided_on) for p in remedies if p.kind in REMEDY_KINDS
        ),
        "office_days": r.office_review_days if counted else None,
        "legal_days": r.legal_review_days if counted else None,
        "fees": rt.format_fees(
            rt.FeeCell(x.method, x.quantity, x.amount, x.noticed_on, x.paid_on, x.paid_amount, x.lapsed)
            for x in fees if x.method in rt.FEE_METHOD_WORDS
        ),
        "form": r.form_requested,
        "delivery": DELIVERY_METHOD_LABELS.get(r.delivery, r.delivery) if r.delivery else "",
        "items": r.item_count,
        "first_concluded": r.first_concluded_on if reopened else None,
        "first_outcome": (OUTCOME_SHORT_LABELS.get(r.first_outcome, r.first_outcome)
                          if reopened and r.first_outcome else ""),
        "rounds": rt.format_rounds(
            rt.RoundCell(x.reopened_on, x.reason, x.concluded_on, x.outcome, x.reply_number) for x in rounds),
    }
    if reveal:
        row.update(id_number=r.id_number, phone=r.phone, email=r.email, address=r.address, postcode=r.postcode)
    return row


# ---------------------------------------------------------------------------------------------------------------
# Import: the mapping file


@dataclass
class Mapping_:
    """A mapping file (TOML) for a register whose headers or words the built-in tables do not know."""

    columns: dict[str, str] = field(default_factory=dict)  # header → field (or "ignore")
    outcomes: dict[str, str] = field(default_factory=dict)  # word → outcome code
    applicant_types: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    delivery: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # applicant_type, channel: when the column is absent
    sheet: str | None = None
    header_row: int | None = None


_MAP_SECTIONS = ("columns", "outcomes", "applicant_types", "channels", "delivery", "defaults", "table")


def load_mapping(path: str | os.PathLike[str] | None) -> Mapping_:
    m = Mapping_()
    if path is None:
        return m
    p = Path(path).expanduser()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"找不到映射文件“{p}”") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"无法读取映射文件“{p}”：{exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"映射文件“{p}”不是有效的 TOML：{exc}（格式见 README“导入台账”）") from exc
    unknown = [k for k in data if k not in _MAP_SECTIONS]
    if unknown:
        raise InvalidInput(f"映射文件“{p}”有未知的节 [{'、'.join(unknown)}]，可用："
                           + "、".join(f"[{s}]" for s in _MAP_SECTIONS))
    for section in _MAP_SECTIONS:
        if section in data and not isinstance(data[section], dict):
            raise InvalidInput(f"映射文件“{p}”的 {section} 应为一节 [{section}]")
    for header, target in data.get("columns", {}).items():
        f = rt.field_from_mapping_value(str(target))
        if f is None:
            raise InvalidInput(
                f"映射文件 [columns] 中“{header}” = “{target}”：不认识的字段。可用：ignore、"
                + "、".join(f"{k}（{v}）" for k, v in rt.FIELD_LABELS.items())
            )
        m.columns[str(header)] = f
    for header, target in data.get("outcomes", {}).items():
        try:
            m.outcomes[str(header)] = rt.outcome_code(target)
        except rt.CellError as exc:
            raise InvalidInput(f"映射文件 [outcomes] 中“{header}”：{exc}") from exc
    checks: dict[str, Callable[[Any], str]] = {"applicant_types": rt.applicant_type_code,
                                                "channels": rt.channel_code, "delivery": rt.delivery_code}
    for section, check in checks.items():
        for word, target in data.get(section, {}).items():
            try:
                getattr(m, section)[str(word)] = check(target)
            except rt.CellError as exc:
                raise InvalidInput(f"映射文件 [{section}] 中“{word}”：{exc}") from exc
    for key, value in data.get("defaults", {}).items():
        if key not in ("applicant_type", "channel"):
            raise InvalidInput(f"映射文件 [defaults] 只能设置 applicant_type、channel，不能设置“{key}”")
        try:
            m.defaults[key] = (rt.applicant_type_code if key == "applicant_type" else rt.channel_code)(value)
        except rt.CellError as exc:
            raise InvalidInput(f"映射文件 [defaults] {key}：{exc}") from exc
    table = data.get("table", {})
    if "sheet" in table:
        m.sheet = str(table["sheet"])
    if "header_row" in table:
        if not isinstance(table["header_row"], int) or table["header_row"] < 1:
            raise InvalidInput("映射文件 [table] header_row 应为正整数（表头所在的行号）")
        m.header_row = table["header_row"]
    return m


# ---------------------------------------------------------------------------------------------------------------
# Import: reading the file


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)
    other_sheets: list[str] = field(default_factory=list)


def read_table(path: Path, sheet: str | None) -> Sheet:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInput(f"找不到文件“{path}”")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return Sheet(path.name, list(enumerate(_read_csv(path), start=1)))
    if suffix in (".xls", ".et", ".ods", ".wps"):
        raise InvalidInput(f"不能直接读取 {suffix} 文件：请在 Excel 或 WPS 中“另存为” .xlsx（或 .csv）后再导入")
    raise InvalidInput(f"不支持的文件类型“{suffix or path.name}”：台账请用 .xlsx 或 .csv")


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput(f"无法读取“{path.name}”：不是有效的 xlsx 文件（{exc}）") from exc
    try:
        names = list(wb.sheetnames)
        if sheet is not None:
            if sheet not in names:
                raise InvalidInput(f"工作簿“{path.name}”中没有工作表“{sheet}”，有：" + "、".join(names))
            ws = wb[sheet]
        else:
            ws = wb[names[0]]
        # An apostrophe-escaped csv cell stays escaped when the file is saved as xlsx: read it the same way.
        rows = [(i, [csv_unescape(c) for c in r])
                for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        return Sheet(ws.title, rows, [n for n in names if n != ws.title])
    finally:
        wb.close()


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    # Excel on Chinese Windows saves csv as GB18030 (GBK) unless told otherwise; ours carry a UTF-8 BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(f"无法识别“{path.name}”的文字编码：请另存为 UTF-8 或 GBK 编码的 csv")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # Our export writes text a spreadsheet would run as a formula with a leading apostrophe: read it back.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[csv_unescape(c) for c in r] for r in rows]


HEADER_SCAN_ROWS = 30


def find_header(sheet: Sheet, mapping: Mapping_) -> tuple[int, dict[int, str]]:
    """The header row (its index in sheet.rows) and column → field. Title rows above it (merged cells in Excel,
    a register's name, the period it covers) are passed over: the header is the row naming the most fields."""
    if mapping.header_row is not None:
        for i, (number, cells) in enumerate(sheet.rows):
            if number == mapping.header_row:
                cols = rt.match_header_row(cells, mapping.columns)
                _require_fields(cols, sheet, number)
                return i, cols
        raise InvalidInput(f"映射文件指定表头在第 {mapping.header_row} 行，但工作表只有 {len(sheet.rows)} 行")
    best: tuple[int, dict[int, str]] | None = None
    for i, (_number, cells) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        cols = rt.match_header_row(cells, mapping.columns)
        if best is None or len(cols) > len(best[1]):
            best = (i, cols)
    if best is None or not all(f in best[1].values() for f in rt.REQUIRED_FIELDS):
        names = "、".join(f"“{rt.FIELD_LABELS[f]}”" for f in rt.REQUIRED_FIELDS)
        raise InvalidInput(
            f"在“{sheet.name}”的前 {HEADER_SCAN_ROWS} 行找不到表头：需要有 {names} 三列"
            "（也认得 收到时间、受理日期、申请人姓名（名称）、所需信息 等写法）。"
            "列名不同时，请用 --map 映射文件说明（格式见 README“导入台账”）"
        )
    return best


def _require_fields(cols: dict[int, str], sheet: Sheet, number: int) -> None:
    missing = [rt.FIELD_LABELS[f] for f in rt.REQUIRED_FIELDS if f not in cols.values()]
    if missing:
        raise InvalidInput(f"“{sheet.name}”第 {number} 行的表头缺少：{'、'.join(missing)}"
                           "（请在映射文件 [columns] 中说明）")


# ---------------------------------------------------------------------------------------------------------------
# Import: rows


@dataclass
class RowProblem:
    row: int
    message: str


@dataclass
class ImportRow:
    """One checked row, ready to be written."""

    row: int
    values: dict[str, str]  # the row as read (header → text), kept in the import event
    fields: dict[str, Any]  # cases.validate_new_case's normalised registration fields
    missing: list[str]
    agency: Agency
    number: str
    handler: str
    stage_text: str
    concluded: date | None = None
    outcome: str | None = None
    reply_days: int | None = None
    late: bool | None = None
    office_days: int = 0
    legal_days: int = 0
    doc_number: str = ""
    remedies: list[rt.RemedyCell] = field(default_factory=list)
    fees: list[rt.FeeCell] = field(default_factory=list)
    # The conclusion table 三 counts (the first) and the rounds after a reopen; without a reopen the first
    # conclusion is the current one (concluded, outcome), which is None while the case is open.
    first_concluded: date | None = None
    first_outcome: str | None = None
    rounds: list[rt.RoundCell] = field(default_factory=list)
    seq: int = 0
    assigned_number: str = ""


@dataclass
class ImportReport:
    file: str
    sheet: str
    header_row: int
    columns: list[tuple[str, str]]  # (header as written, field label)
    unused: list[str]
    rows: int = 0
    closed: int = 0
    open: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    renumbered: int = 0
    first_number: str = ""
    last_number: str = ""
    dry_run: bool = False
    written: bool = False
    agencies: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "sheet": self.sheet, "header_row": self.header_row,
            "columns": [{"header": h, "field": f} for h, f in self.columns], "unused": self.unused,
            "rows": self.rows, "closed": self.closed, "open": self.open,
            "errors": [{"row": e.row, "message": e.message} for e in self.errors], "warnings": self.warnings,
            "renumbered": self.renumbered, "dry_run": self.dry_run, "written": self.written,
            "agencies": self.agencies,
        }


_SKIP_FIRST_CELL = ("合计", "总计", "小计", "填表说明", "说明", "注：", "注:", "备注：", "制表", "填表人")


def import_register(ctx: ServiceContext, path: str | os.PathLike[str], *, mapping: str | os.PathLike[str] | None = None,
                    dry_run: bool = False, agency: str | None = None, sheet: str | None = None) -> ImportReport:
    """Check every row of the register and, unless dry_run or a row is wrong, write them all in one transaction.

    The report lists each wrong row with its number (as the spreadsheet shows it) and the reasons; when there are
    any, nothing is written."""
    file = Path(path).expanduser()
    m = load_mapping(mapping)
    table = read_table(file, sheet or m.sheet)
    header_index, cols = find_header(table, m)
    header_number, header_cells = table.rows[header_index]
    report = ImportReport(
        file=file.name, sheet=table.name, header_row=header_number,
        columns=[(rt.cell_text(header_cells[i]), rt.FIELD_LABELS[f]) for i, f in sorted(cols.items())],
        unused=[rt.cell_text(c) for i, c in enumerate(header_cells) if i not in cols and not rt.is_blank(c)],
        dry_run=dry_run,
    )
    if table.other_sheets and sheet is None and m.sheet is None:
        report.warnings.append(f"只读取了第一个工作表“{table.name}”；工作簿还有：{'、'.join(table.other_sheets)}"
                               "（用 --sheet 名称 导入其他工作表）")
    today = ctx.today()
    # The calendar first: building it may store the working-day table from another connection, and a read session
    # whose snapshot predates that write could not then write even the rolled-back rows of a dry run.
    ctx.calendar()
    # A dry run reads only (the session is never committed), so it leaves the database exactly as it was.
    with (ctx.db.read() if dry_run else ctx.db.write()) as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"admin"}, "导入台账（导入的已办结案件不经审核、签发，须由管理员执行）")
        forced = _agency_for_import(s, actor, agency)
        agencies = _Agencies(s, actor, forced)
        cal = ctx.calendar(s)
        checked: list[ImportRow] = []
        guessed: Counter[str] = Counter()
        defaulted_channel = 0
        masked = 0
        for number, cells in table.rows[header_index + 1:]:
            cells_by_field = {f: cells[i] if i < len(cells) else None for i, f in cols.items()}
            if all(rt.is_blank(c) for c in cells):
                continue
            first = next((rt.cell_text(c) for c in cells if not rt.is_blank(c)), "")
            if first.startswith(_SKIP_FIRST_CELL) and rt.is_blank(cells_by_field.get("content")):
                report.warnings.append(f"第 {number} 行（“{first[:20]}”）不是案件，已跳过")
                continue
            report.rows += 1
            values = {rt.cell_text(header_cells[i]) or f"第{i + 1}列": rt.cell_text(c)
                      for i, c in enumerate(cells) if i < len(header_cells) and not rt.is_blank(c)}
            problems: list[str] = []
            row = _check_row(ctx, actor, number, cells_by_field, values, m, agencies, today, cal, problems)
            if problems:
                report.errors += [RowProblem(number, p) for p in problems]
                continue
            assert row is not None
            if "applicant_type" not in cols.values() and not m.defaults.get("applicant_type"):
                guessed[row.fields["type"]] += 1
            if "channel" not in cols.values() and not m.defaults.get("channel"):
                defaulted_channel += 1
            if "*" in row.fields["name"]:
                masked += 1
            checked.append(row)
        if not report.rows:
            raise InvalidInput(f"“{file.name}”的表头（第 {header_number} 行）之下没有案件行")
        _check_duplicates(s, checked, report)
        _check_doc_numbers(s, checked, report)
        if guessed:
            report.warnings.append(
                "表中没有申请人类型一列：已按申请人名称推断（" + "、".join(
                    f"{APPLICANT_TYPE_LABELS[t]} {n} 件" for t, n in guessed.most_common())
                + "），年报按类型统计，请核对；或在映射文件 [defaults] 中指定 applicant_type")
        if defaulted_channel:
            report.warnings.append(f"表中没有申请渠道一列：{defaulted_channel} 件按“当面提交”记录")
        if masked:
            report.warnings.append(f"{masked} 件的申请人姓名含“*”（打码导出的台账）：同姓的申请人将无法区分。"
                                   "迁移数据请用 register export --reveal 导出")
        if report.errors:
            return report
        _assign_numbers(s, checked, report)
        report.closed = sum(1 for r in checked if r.outcome)
        report.open = len(checked) - report.closed
        report.agencies = sorted({r.agency.code for r in checked})
        if report.open:
            moved = [r for r in checked if not r.outcome and r.stage_text]
            if moved:
                report.warnings.append(f"{len(moved)} 件在办案件按“已登记”导入（原阶段记在办理记录中），"
                                       "答复期限按收到日期重新计算；请逐件核对并补记办理步骤")
        if dry_run:
            return report
        _write(ctx, s, actor, cal, checked, file.name, today)
        report.written = True
    return report


def _agency_for_import(s: Any, actor: Actor, code: str | None) -> Agency | None:
    if code is None:
        return None
    if code == DEFAULT_AGENCY_CODE:
        ensure_default_agency(s)  # a new database has its default agency once something needs it
    agency = repo.agency_by_code(s, code)
    if agency is None:
        known = "、".join(a.code for a in repo.agencies(s)) or "无"
        raise InvalidInput(f"机关代码“{code}”不存在。已有：{known}（用 zwgk-tui agency add 添加）")
    if not actor.sees_all() and agency.id != actor.agency_id:
        raise NotPermitted(f"用户“{actor.name}”只能导入到本机关，不能导入到“{agency.name}”")
    return agency


class _Agencies:
    """The agency of each row: the one forced with --agency, else the one its 机关 cell names (looked up once per
    name), else the user's own (or the default agency)."""

    def __init__(self, s: Any, actor: Actor, forced: Agency | None) -> None:
        self.s, self.actor, self.forced = s, actor, forced
        self.named: dict[str, Agency | None] = {}
        self.own: Agency | None = None

    def by_name(self, text: str) -> Agency | None:
        if text not in self.named:
            self.named[text] = q.agency_named(self.s, text)
        return self.named[text]

    def fallback(self) -> Agency:
        if self.own is None:
            self.own = (self.s.get(Agency, self.actor.agency_id) if self.actor.agency_id is not None
                        else ensure_default_agency(self.s))
        assert self.own is not None
        return self.own


def _check_row(ctx: ServiceContext, actor: Actor, number: int, cells: dict[str, Any], values: dict[str, str],
               m: Mapping_, agencies: _Agencies, today: date, cal: WorkCalendar,
               problems: list[str]) -> ImportRow | None:
    def get(name: str) -> Any:
        value = cells.get(name)
        return None if rt.is_blank(value) else value

    def attempt(check: Callable[[], Any]) -> Any:
        try:
            return check()
        except rt.CellError as exc:
            problems.append(str(exc))
            return None

    received = attempt(lambda: rt.cell_date(get("received"), "收到日期")) if get("received") is not None else None
    if get("received") is None:
        problems.append("缺少收到日期")
    name = rt.cell_text(get("applicant"))
    if get("applicant_type") is not None:
        atype = attempt(lambda: rt.applicant_type_code(get("applicant_type"), m.applicant_types)) or ""
    else:
        atype = m.defaults.get("applicant_type") or rt.guess_applicant_type(name)
    if get("channel") is not None:
        channel = attempt(lambda: rt.channel_code(get("channel"), m.channels)) or ""
    else:
        channel = m.defaults.get("channel") or "in_person"
    delivery = attempt(lambda: rt.delivery_code(get("delivery"), m.delivery)) if get("delivery") is not None else ""
    items = (attempt(lambda: rt.cell_int(get("items"), "申请事项数", low=1, high=1000))
             if get("items") is not None else 1)
    concluded = attempt(lambda: rt.cell_date(get("concluded"), "办结日期")) if get("concluded") is not None else None
    outcome = attempt(lambda: rt.outcome_code(get("outcome"), m.outcomes)) if get("outcome") is not None else None
    reply_days = (attempt(lambda: rt.cell_int(get("reply_days"), "答复用时（工作日）", high=2000))
                  if get("reply_days") is not None else None)
    late = attempt(lambda: rt.cell_yes_no(get("late"), "是否逾期")) if get("late") is not None else None
    office_days = (attempt(lambda: rt.cell_int(get("office_days"), "政府办审核用时", high=2000))
                   if get("office_days") is not None else 0)
    legal_days = (attempt(lambda: rt.cell_int(get("legal_days"), "法制审核用时", high=2000))
                  if get("legal_days") is not None else 0)
    remedies = attempt(lambda: rt.parse_remedies(get("remedies"))) or []
    fees = attempt(lambda: rt.parse_fees(get("fees"))) or []
    first_concluded = (attempt(lambda: rt.cell_date(get("first_concluded"), "首次办结日期"))
                       if get("first_concluded") is not None else None)
    first_outcome = (attempt(lambda: rt.outcome_code(get("first_outcome"), m.outcomes))
                     if get("first_outcome") is not None else None)
    rounds: list[rt.RoundCell] = attempt(lambda: rt.parse_rounds(get("rounds"), m.outcomes)) or []
    stage_text = rt.cell_text(get("stage"))

    agency = agencies.forced
    if agency is None and get("agency") is not None:
        agency = agencies.by_name(rt.cell_text(get("agency")))
        if agency is None:
            problems.append(f"机关“{rt.cell_text(get('agency'))}”不存在：先用 zwgk-tui agency add 添加，"
                            "或用 --agency 代码 把全部案件导入一个机关")
    if agency is None and not problems:
        agency = agencies.fallback()
    if agency is not None and not actor.sees_all() and agency.id != actor.agency_id:
        problems.append(f"用户“{actor.name}”只能导入本机关的案件，不能导入“{agency.name}”的案件")

    fields: dict[str, Any] = {}
    missing: list[str] = []
    try:
        # Without a receipt date (already reported) today stands in, so the other fields are still checked.
        fields, missing = cases.validate_new_case(ctx, cases.NewCase(
            applicant=name, applicant_type=atype or "natural_person", channel=channel or "in_person",
            received=received or today, content=rt.cell_text(get("content")),
            id_number=rt.cell_text(get("id_number")), phone=rt.cell_text(get("phone")),
            email=rt.cell_text(get("email")), address=rt.cell_text(get("address")),
            postcode=rt.cell_text(get("postcode")), delivery=delivery or "", form_requested=rt.cell_text(get("form")),
            item_count=items or 1,
        ))
    except InvalidInput as exc:
        problems.append(exc.message)

    closed_stage = stage_text and rt.stage_code(stage_text) == "closed"
    if concluded is not None or outcome is not None:
        if outcome is None and get("outcome") is None:
            problems.append("有办结日期但没有办理结果：年报按办理结果统计已办结的案件")
        if concluded is None and get("concluded") is None:
            problems.append("有办理结果但没有办结日期（答复送达之日）")
        if stage_text and rt.stage_code(stage_text) not in (None, "closed"):
            problems.append(f"阶段为“{stage_text}”（未办结），却有办结日期或办理结果")
    elif closed_stage:
        problems.append("阶段为“已办结”，但没有办结日期和办理结果")
    if concluded is not None and received is not None:
        if concluded < received:
            problems.append(f"办结日期 {concluded.isoformat()} 早于收到日期 {received.isoformat()}")
        if concluded > today:
            problems.append(f"办结日期 {concluded.isoformat()} 晚于今天 {today.isoformat()}")
    is_closed = concluded is not None and outcome is not None
    first_cells = (get("first_concluded"), get("first_outcome"))
    counted = _counted_conclusion(concluded, outcome, first_concluded, first_outcome, rounds,
                                  has_first=any(c is not None for c in first_cells),
                                  missing_first=any(c is None for c in first_cells),
                                  received=received, today=today, problems=problems)
    for r in remedies:
        # Also against a case never answered (逾期不答复, issue 12): a proceeding needs only the application.
        if received is not None and r.filed_on < received:
            problems.append(f"复议/诉讼申请日期 {r.filed_on.isoformat()} 早于收到日期 {received.isoformat()}")
        if r.filed_on > today or (r.decided_on and r.decided_on > today):
            problems.append("复议/诉讼日期晚于今天")
    for fee in fees:
        if received is not None and fee.noticed_on < received:
            problems.append(f"收费通知日期 {fee.noticed_on.isoformat()} 早于收到日期 {received.isoformat()}")
        if fee.noticed_on > today or (fee.paid_on and fee.paid_on > today):
            problems.append("收费日期晚于今天")
        if concluded is not None and fee.noticed_on > concluded:
            problems.append(f"收费通知日期 {fee.noticed_on.isoformat()} 晚于办结日期 {concluded.isoformat()}")
    if received is not None and not problems:
        try:
            compute_deadline(received, [], cal, today=today, rules=rules_for(received), explain=False)
        except ValueError as exc:
            problems.append(str(exc))
    if problems or agency is None:
        return None
    current: tuple[date | None, str | None] = (concluded, outcome) if is_closed else (None, None)
    if counted and rounds:
        current = (rounds[-1].concluded_on, rounds[-1].outcome)
    return ImportRow(
        row=number, values=values, fields=fields, missing=missing, agency=agency,
        number=rt.cell_text(get("number")), handler=rt.cell_text(get("handler")), stage_text=stage_text,
        concluded=current[0], outcome=current[1],
        reply_days=reply_days, late=late, office_days=office_days or 0, legal_days=legal_days or 0,
        doc_number=rt.doc_number_text(get("doc_number")), remedies=remedies, fees=fees,
        first_concluded=counted[0] if counted else None, first_outcome=counted[1] if counted else None,
        rounds=rounds if counted else [],
    )


def _counted_conclusion(concluded: date | None, outcome: str | None, first_concluded: date | None,
                        first_outcome: str | None, rounds: list[rt.RoundCell], *, has_first: bool,
                        missing_first: bool,
                        received: date | None, today: date, problems: list[str]) -> tuple[date, str] | None:
    """The conclusion table 三 counts for a row: 首次办结日期/首次办理结果 of a reopened case, else the row's own
    conclusion. A row with rounds (重新答复) must have it, and its current conclusion must be the last round's.
    Appends the reasons a row is wrong to `problems`."""
    if has_first:
        if first_concluded is None or first_outcome is None:
            if not missing_first:  # else the cell that could not be read is already reported
                return None
            problems.append("首次办结日期与首次办理结果须同时填写")
            return None
        counted: tuple[date, str] | None = (first_concluded, first_outcome)
    elif concluded is not None and outcome is not None and not rounds:
        counted = (concluded, outcome)
    else:
        counted = None
    if rounds and counted is None:
        problems.append("有重新答复记录，但没有首次办结日期和首次办理结果（年报按首次办结统计）")
        return None
    if counted is None:
        return None
    on = counted[0]
    if received is not None and on < received:
        problems.append(f"首次办结日期 {on.isoformat()} 早于收到日期 {received.isoformat()}")
    if on > today:
        problems.append(f"首次办结日期 {on.isoformat()} 晚于今天 {today.isoformat()}")
    if rounds:
        if rounds[0].reopened_on < on:
            problems.append(f"重新打开日期 {rounds[0].reopened_on.isoformat()} 早于首次办结日期 {on.isoformat()}")
        last = rounds[-1]
        if any(r.reopened_on > today or (r.concluded_on and r.concluded_on > today) for r in rounds):
            problems.append("重新答复的日期晚于今天")
        if (last.concluded_on, last.outcome) != (concluded, outcome) and (concluded or outcome):
            problems.append("办结日期、办理结果应与最后一轮重新答复的办结日期、办理结果一致")
    elif has_first and (concluded, outcome) != counted:
        problems.append("首次办结与办结日期、办理结果不同（重新打开过？），但没有重新答复记录（重新打开日期）")
    return counted


def _check_duplicates(s: Any, rows: list[ImportRow], report: ImportReport) -> None:
    """A row already in the database (same agency, receipt date, applicant and content) would be registered twice:
    importing the same register again is refused row by row. Repeats inside the file are only pointed out."""
    by_agency: dict[int, list[ImportRow]] = defaultdict(list)
    for r in rows:
        by_agency[r.agency.id].append(r)
    for agency_id, group in by_agency.items():
        days = [r.fields["received"] for r in group]
        existing = q.case_keys(s, agency_id, min(days), max(days))
        seen: dict[tuple[date, str, str], int] = {}
        for r in group:
            key = (r.fields["received"], r.fields["name"], r.fields["content"])
            if key in existing:
                report.errors.append(RowProblem(
                    r.row, "数据库中已有同一机关、同一收到日期、同一申请人、同一申请内容的案件（是否重复导入？）"))
            elif key in seen:
                report.warnings.append(f"第 {r.row} 行与第 {seen[key]} 行的收到日期、申请人、申请内容相同，"
                                       "按两件申请导入")
            else:
                seen[key] = r.row
    report.errors.sort(key=lambda e: e.row)


def _recorded_numbers(r: ImportRow) -> list[tuple[str, str]]:
    """(文号, what it numbers) for each reply number the import records for a row: the 答复文号 of a concluded row
    (an open row's is not kept) and the number of each concluded re-reply."""
    out: list[tuple[str, str]] = []
    if r.doc_number and r.first_outcome is not None:
        out.append((r.doc_number, "答复文号"))
    for number, rnd in enumerate(r.rounds, start=2):
        if rnd.reply_number and rnd.concluded_on is not None:
            out.append((rnd.reply_number, f"重新答复第{number}轮的文号"))
    return out


def _check_doc_numbers(s: Any, rows: list[ImportRow], report: ImportReport) -> None:
    """A 文号 numbers one document of one agency (deliver refuses a number already used): a number the import
    would record twice within an agency, in the file or against the agency's documents and earlier imports, is
    an error of the row, naming the number, where it is used and the rule."""
    by_agency: dict[int, list[ImportRow]] = defaultdict(list)
    for r in rows:
        by_agency[r.agency.id].append(r)
    for agency_id, group in by_agency.items():
        numbered = [(r, number, what) for r in group for number, what in _recorded_numbers(r)]
        if not numbered:
            continue
        used = repo.doc_numbers_used(s, agency_id, [number for _, number, _ in numbered])
        seen: dict[str, tuple[int, str]] = {}
        for r, number, what in numbered:
            if number in used:
                where = used_by(*used[number])
                report.errors.append(RowProblem(r.row, f"{what}“{number}”已用于{where}，{DOC_NUMBER_RULE}"))
            elif number in seen:
                row, first_what = seen[number]
                other = f"本行{first_what}" if row == r.row else f"第 {row} 行{first_what}"
                report.errors.append(RowProblem(r.row, f"{what}“{number}”与{other}相同，{DOC_NUMBER_RULE}"))
            else:
                seen[number] = (r.row, what)
    report.errors.sort(key=lambda e: e.row)


def _seq_of(agency: Agency, year: int, number: str) -> int | None:
    """The sequence number in `number` if it is written in the agency's own format for that year."""
    digits = "".join(ch if ch.isdigit() else " " for ch in number).split()
    if not digits:
        return None
    seq = int(digits[-1])
    try:
        same = agency.number_format.format(year=year, seq=seq, code=agency.code) == number
    except (KeyError, IndexError, ValueError):
        return None
    return seq if same and seq > 0 else None


def _assign_numbers(s: Any, rows: list[ImportRow], report: ImportReport) -> None:
    """Keep a row's number when it is in the agency's format and still free; give the others the next numbers
    of their receipt year, in order of receipt, so numbers never repeat within an agency and year."""
    groups: dict[tuple[int, int], list[ImportRow]] = defaultdict(list)
    for r in rows:
        groups[(r.agency.id, r.fields["received"].year)].append(r)
    for (agency_id, year), group in groups.items():
        used = q.used_seqs(s, agency_id, year)
        top = max([q.counter_value(s, agency_id, year), *used, 0])
        kept: set[int] = set()
        fresh: list[ImportRow] = []
        for r in group:
            seq = _seq_of(r.agency, year, r.number) if r.number else None
            if seq is not None and seq not in used and seq not in kept:
                r.seq = seq
                kept.add(seq)
            else:
                fresh.append(r)
        top = max([top, *kept])
        for r in sorted(fresh, key=lambda x: (x.fields["received"], x.row)):
            top += 1
            r.seq = top
            if r.number:
                report.renumbered += 1
        for r in group:
            r.assigned_number = r.agency.number_format.format(year=year, seq=r.seq, code=r.agency.code)
    ordered = sorted(rows, key=lambda x: (x.fields["received"], x.seq))
    if ordered:
        report.first_number, report.last_number = ordered[0].assigned_number, ordered[-1].assigned_number
    if report.renumbered:
        report.warnings.append(f"{report.renumbered} 件的原编号与本机关编号格式不符或已被占用，已按收到日期顺序重新编号"
                               "（原编号记在办理记录中）")


# ---------------------------------------------------------------------------------------------------------------
# Import: writing


def conclude_imported(values: dict[str, Any], outcome: str, on: date, *, reply_days: int,
                      replied_late: bool) -> None:
    """A case concluded with `outcome` on `on`, as an imported row states it.

    The one place where an import closes a case: what a conclusion sets on the case row (stage, outcome, date,
    the reply-time figures the annual report reads) is decided here and nowhere else in this module."""
    values.update(
        stage="closed", proposed_outcome=outcome, outcome=outcome, concluded_on=on, stage_since=on,
        working_days_to_reply=reply_days, replied_late=replied_late, paused=False,
        # The conclusion the annual report counts (a new case: this is its first).
        first_outcome=outcome, first_concluded_on=on,
    )


def reopen_imported(values: dict[str, Any], rounds: list[rt.RoundCell]) -> None:
    """The current round of a case imported with re-replies: the last round's conclusion, or open again (办理中,
    as `reopen` leaves a case) when the last round has none. The first conclusion stays the counted one."""
    if not rounds:
        return
    last = rounds[-1]
    if last.concluded_on is not None and last.outcome is not None:
        values.update(outcome=last.outcome, proposed_outcome=last.outcome, concluded_on=last.concluded_on,
                      stage="closed", stage_since=last.concluded_on)
    else:
        values.update(outcome=None, proposed_outcome=None, concluded_on=None, stage="drafting",
                      stage_since=last.reopened_on)


def _round_events(case_id: int, r: ImportRow, provenance: dict[str, Any], now: Any,
                  actor: str) -> list[dict[str, Any]]:
    """A reopen event for each round after the first conclusion and an import event for each round's
    conclusion, so the history, the annual report's re-replies and the next steps see the rounds as `reopen`
    makes them."""
    out: list[dict[str, Any]] = []
    previous = (r.first_outcome, r.first_concluded)
    for number, rnd in enumerate(r.rounds, start=2):
        out.append({
            "case_id": case_id, "action": "reopen", "on_date": rnd.reopened_on, "at": now, "actor": actor,
            "comment": "", "data": {"reason": rnd.reason, "outcome": previous[0],
                                    "concluded_on": previous[1].isoformat() if previous[1] else None,
                                    "import": {**provenance, "round": number}},
            "before": {"stage": "closed"}, "after": {"stage": "drafting"},
        })
        if rnd.concluded_on is not None and rnd.outcome is not None:
            on_text = rnd.concluded_on.isoformat()
            data: dict[str, Any] = {**provenance, "round": number, "outcome": rnd.outcome, "concluded_on": on_text}
            if rnd.reply_number:
                data["doc_number"] = rnd.reply_number  # as the first conclusion's 答复文号 is kept
            out.append({
                "case_id": case_id, "action": "import", "on_date": rnd.concluded_on, "at": now,
                "actor": actor, "comment": "", "data": data,
                "before": {"stage": "drafting"},
                "after": {"stage": "closed", "outcome": rnd.outcome, "concluded_on": on_text},
            })
            previous = (rnd.outcome, rnd.concluded_on)
    return out


def _write(ctx: ServiceContext, s: Any, actor: Actor, cal: WorkCalendar, rows: list[ImportRow], source: str,
           today: date) -> None:
    now = now_in_china()
    applicant_ids = _applicants(s, rows)
    case_ids = q.new_ids(s, Case, len(rows))
    case_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    fee_rows: list[dict[str, Any]] = []
    remedy_rows: list[dict[str, Any]] = []
    for r, case_id in zip(rows, case_ids, strict=True):
        f = r.fields
        agency = r.agency
        received: date = f["received"]
        provenance = {"source": source, "row": r.row}
        if r.number and r.number != r.assigned_number:
            provenance["original_number"] = r.number
        values: dict[str, Any] = {
            "id": case_id, "agency_id": agency.id, "year": received.year, "seq": r.seq, "number": r.assigned_number,
            "applicant_id": applicant_ids[_applicant_key(f, r.row)], "applicant_name": f["name"],
            "applicant_id_number": f["id_number"], "applicant_phone": f["phone"], "applicant_email": f["email"],
            "applicant_address": f["address"], "applicant_postcode": f["postcode"],
            "applicant_type": f["type"], "channel": f["channel"],
            "received_on": received,
            "confirmed_on": received if f["channel"] in CHANNELS_NEEDING_CONFIRMATION else None,
            "content": f["content"], "form_requested": f["form_requested"], "delivery": f["delivery"],
            "item_count": f["item_count"], "missing_elements": "；".join(r.missing), "stage": "registered",
            "submitted_by": r.handler, "stage_since": received, "created_at": now, "updated_at": now, "version": 1,
            # Every row names the same columns (one executemany); a conclusion below fills these in.
            "proposed_outcome": None, "outcome": None, "concluded_on": None, "working_days_to_reply": None,
            "replied_late": None,
            "first_outcome": None, "first_concluded_on": None,
            "office_review_days": 0, "legal_review_days": 0,
        }
        clock = [ClockEvent("concluded", r.concluded)] if r.concluded is not None else []
        dl = compute_deadline(received, clock, cal, today=today, rules=rules_for(received),
                              fee_pauses_clock=agency.fee_pauses_clock, due_soon_days=agency.due_soon_days,
                              explain=False)
        values.update(clock_start=dl.clock_start, due_date=dl.due, due_provisional=dl.provisional,
                      paused=dl.paused or dl.correction_pending, extension_days=dl.extension_days,
                      rules_code=dl.rules.code)
        register_data: dict[str, Any] = {"channel": f["channel"], "missing_elements": r.missing, "import": provenance}
        if r.first_outcome is None:
            register_data["import"] = {**provenance, "row_values": r.values}
            if r.stage_text:
                register_data["import"]["stage"] = r.stage_text
        event_rows.append({
            "case_id": case_id, "action": "register", "on_date": received, "at": now, "actor": actor.name,
            "comment": "", "data": register_data, "before": {},
            "after": {"stage": "registered", "number": r.assigned_number},
        })
        if r.first_outcome is not None and r.first_concluded is not None:
            first, first_on = r.first_outcome, r.first_concluded
            # Reply-time figures are those of the counted (first) conclusion, as the steps keep them.
            first_dl = dl if not r.rounds else compute_deadline(
                received, [ClockEvent("concluded", first_on)], cal, today=today, rules=rules_for(received),
                fee_pauses_clock=agency.fee_pauses_clock, due_soon_days=agency.due_soon_days, explain=False)
            late = r.late if r.late is not None else bool(first_dl.due and first_on > first_dl.due)
            days = r.reply_days if r.reply_days is not None else first_dl.working_days_used
            conclude_imported(values, first, first_on, reply_days=days, replied_late=late)
            values.update(office_review_days=r.office_days, legal_review_days=r.legal_days)
            data = {
                **provenance, "row_values": r.values, "outcome": first,
                "concluded_on": first_on.isoformat(), "reply_days": days, "replied_late": late,
            }
            if r.doc_number:
                data["doc_number"] = r.doc_number
            event_rows.append({
                "case_id": case_id, "action": "import", "on_date": first_on, "at": now, "actor": actor.name,
                "comment": "", "data": data,
                "before": {"stage": "registered"},
                "after": {"stage": "closed", "outcome": first, "concluded_on": first_on.isoformat()},
            })
            event_rows += _round_events(case_id, r, provenance, now, actor.name)
            reopen_imported(values, r.rounds)
        for x in r.fees:
            fee_rows.append({
                "case_id": case_id, "agency_id": agency.id, "method": x.method, "quantity": x.quantity,
                "amount": x.amount,
                "noticed_on": x.noticed_on, "payment_due": cal.nth_working_day_after(x.noticed_on, 20),
                "paid_on": x.paid_on, "paid_amount": x.paid_amount, "lapsed": x.lapsed,
            })
        for p in r.remedies:
            remedy_rows.append({"case_id": case_id, "agency_id": agency.id, "kind": p.kind, "filed_on": p.filed_on,
                                    "result": p.result, "decided_on": p.decided_on, "note": f"自台账导入（{source}）"})
        case_rows.append(values)
    q.insert_rows(s, Case, case_rows)
    q.insert_rows(s, Event, event_rows)
    q.insert_rows(s, FeeNotice, fee_rows)
    q.insert_rows(s, RemedyProceeding, remedy_rows)
    tops: dict[tuple[int, int], int] = defaultdict(int)
    for r in rows:
        key = (r.agency.id, r.fields["received"].year)
        tops[key] = max(tops[key], r.seq)
    for (agency_id, year), top in tops.items():
        q.raise_counter(s, agency_id, year, top)


def _applicant_key(f: Mapping[str, Any], row: int) -> tuple[str, ...]:
    """Who a row's applicant is, by the rule registration uses (services/applicants.py): the ID number / USCC,
    else name + phone; a row with neither is a person of its own (a name alone proves nothing)."""
    if f["id_number"]:
        return ("id", f["id_number"])
    if f["phone"]:
        return ("name_phone", f["name"], f["phone"])
    return ("row", str(row))


def _applicants(s: Any, rows: list[ImportRow]) -> dict[tuple[str, ...], int]:
    """Applicant ids for the rows: an existing person found as registration finds one, else a new record for
    each distinct person of the file. Existing records are never changed."""
    by_id = {a.id_number: a for a in reversed(q.applicants_with_ids(s, [r.fields["id_number"] for r in rows]))}
    by_name_phone = {(a.name, a.phone): a for a in reversed(q.applicants_named(s, [r.fields["name"] for r in rows]))
                     if a.phone}
    out: dict[tuple[str, ...], int] = {}
    new: list[dict[str, Any]] = []
    for r in rows:
        f = r.fields
        key = _applicant_key(f, r.row)
        if key in out:
            continue
        found = by_id.get(f["id_number"]) if f["id_number"] else by_name_phone.get((f["name"], f["phone"]))
        if found is not None:
            out[key] = found.id
            continue
        new.append({"name": f["name"], "type": f["type"], "id_number": f["id_number"], "phone": f["phone"],
                    "email": f["email"], "address": f["address"], "postcode": f["postcode"]})
        out[key] = -len(new)
    ids = q.new_ids(s, Applicant, len(new))
    for row, new_id in zip(new, ids, strict=True):
        row["id"] = new_id
    q.insert_rows(s, Applicant, new)
    return {k: (ids[-v - 1] if v < 0 else v) for k, v in out.items()}

