"""Applications received online (依申请公开在线办理系统): an inbox between the online system and the register.

`import_file` loads the system's export (our JSON shape, docs/intake.md, or a csv with the same fields) into
the inbox; nothing is registered yet. Art. 31(三): an application made over the internet is received on the day
the agency and the applicant confirm it, so `confirm` registers the case with that day as the receipt date (and
the day it arrived online kept as the arrival date). `reject` keeps spam and duplicates on record with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from zwgk_tui.domain import register_table as rt
from zwgk_tui.domain import validation as v
from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, DELIVERY_METHOD_LABELS
from zwgk_tui.persistence import register_queries as q
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.models import IntakeItem
from zwgk_tui.services import cases
from zwgk_tui.services.context import CHINA_TZ, Actor, ServiceContext, china_time, now_in_china
from zwgk_tui.services.errors import Conflict, InvalidInput, NotPermitted

FORMAT = "zwgk-intake"
DEFAULT_SOURCE = "在线办理系统"
STATUS_LABELS = {"new": "待确认", "confirmed": "已登记", "rejected": "已退回"}
MAX_REASON_CHARS = 500

# CSV headers (the JSON fields, flattened; Chinese headers of the online systems' own exports also read).
CSV_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "申请编号", "受理编号", "申请单号"),
    "submitted_at": ("submitted_at", "提交时间", "申请时间", "提交日期"),
    "agency": ("agency", "机关", "机关代码"),
    "type": ("applicant_type", "type", "申请人类型"),
    "name": ("name", "applicant", "申请人", "申请人姓名", "申请人姓名（名称）", "申请人姓名或名称"),
    "id_number": ("id_number", "身份证明", "证件号码", "身份证号码", "统一社会信用代码"),
    "legal_representative": ("legal_representative", "法定代表人", "负责人"),
    "contact_person": ("contact_person", "联系人"),
    "phone": ("phone", "联系电话", "电话"),
    "email": ("email", "电子邮箱", "邮箱"),
    "address": ("address", "通信地址", "地址"),
    "postcode": ("postcode", "邮政编码", "邮编"),
    "content": ("content", "所需信息", "申请内容", "所需政府信息", "申请公开的政府信息"),
    "items": ("items", "申请事项数", "事项数"),
    "form": ("form", "形式要求", "信息的形式要求"),
    "delivery": ("delivery", "获取方式", "获取信息的方式"),
    "note": ("note", "备注"),
}


def _key(text: str) -> str:
    return rt.header_key(text)


_CSV_INDEX = {_key(name): f for f, names in CSV_FIELDS.items() for name in names}


# ---------------------------------------------------------------------------------------------------------------
# Import


@dataclass
class IntakeProblem:
    index: int  # 1-based position in the file (a csv's data rows are counted from its line 2)
    external_id: str
    message: str


@dataclass
class IntakeImportReport:
    file: str
    source: str
    records: int = 0
    added: int = 0
    skipped: list[str] = field(default_factory=list)  # already in the inbox
    errors: list[IntakeProblem] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "source": self.source, "records": self.records, "added": self.added,
                "skipped": self.skipped, "dry_run": self.dry_run,
                "errors": [{"index": e.index, "id": e.external_id, "message": e.message} for e in self.errors]}


def import_file(ctx: ServiceContext, path: str | os.PathLike[str], *, source: str | None = None,
                dry_run: bool = False) -> IntakeImportReport:
    """Load the applications of a file into the inbox: all of them, or none when one is wrong. Applications
    already in the inbox (same source and id) are skipped, so the online system's overlapping exports can be
    loaded again and again."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise InvalidInput(f"找不到文件“{p}”")
    suffix = p.suffix.lower()
    if suffix == ".json":
        file_source, records = _read_json(p)
    elif suffix in (".csv", ".txt"):
        file_source, records = None, _read_csv(p)
    else:
        raise InvalidInput(f"不支持的文件类型“{suffix or p.name}”：网上申请请用 .json（格式见 docs/intake.md）或 .csv")
    src = (source or file_source or DEFAULT_SOURCE).strip()[:200]
    report = IntakeImportReport(file=p.name, source=src, records=len(records), dry_run=dry_run)
    if not records:
        raise InvalidInput(f"“{p.name}”中没有申请")
    today = ctx.today()
    now = now_in_china()
    with (ctx.db.read() if dry_run else ctx.db.write()) as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"clerk"}, "导入网上申请")
        agencies = {a.code: a for a in repo.agencies(s)}
        rows: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        for index, rec in enumerate(records, start=1):
            problems: list[str] = []
            row = _check_record(ctx, rec, agencies, actor, today, problems)
            ext = str(rec.get("id") or "").strip()
            if ext and ext in seen:
                problems.append(f"编号“{ext}”与第 {seen[ext]} 条重复")
            if ext:
                seen.setdefault(ext, index)
            if problems:
                report.errors += [IntakeProblem(index, ext, m) for m in problems]
                continue
            assert row is not None
            rows.append(row)
        if report.errors:
            return report
        existing = q.intake_external_ids(s, src, [r["external_id"] for r in rows])
        report.skipped = [r["external_id"] for r in rows if r["external_id"] in existing]
        fresh = [r for r in rows if r["external_id"] not in existing]
        report.added = len(fresh)
        if dry_run or not fresh:
            return report
        for r in fresh:
            r.update(source=src, file_name=p.name[:300], status="new", imported_at=now, imported_by=actor.name,
                     decided_by="", reason="")
        q.insert_rows(s, IntakeItem, fresh)
    return report


def _read_json(p: Path) -> tuple[str | None, list[dict[str, Any]]]:
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"无法读取“{p.name}”：{exc}") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"“{p.name}”不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}") from exc
    if isinstance(data, list):
        data = {"applications": data}
    if not isinstance(data, dict) or not isinstance(data.get("applications"), list):
        raise InvalidInput(f"“{p.name}”的格式不对：应为 {{\"format\": \"{FORMAT}\", \"applications\": [ … ]}}"
                           "（见 docs/intake.md）")
    fmt = data.get("format")
    if fmt is not None and fmt != FORMAT:
        raise InvalidInput(f"“{p.name}”的 format 为“{fmt}”，应为“{FORMAT}”（见 docs/intake.md）")
    version = data.get("version", 1)
    if version != 1:
        raise InvalidInput(f"“{p.name}”的 version 为 {version}，本程序只读 version 1（见 docs/intake.md）")
    out = []
    for rec in data["applications"]:
        if not isinstance(rec, dict):
            raise InvalidInput(f"“{p.name}”的 applications 中每一项都应是一个对象（{{…}}）")
        flat = {k: val for k, val in rec.items() if k != "applicant"}
        applicant = rec.get("applicant") or {}
        if not isinstance(applicant, dict):
            raise InvalidInput(f"“{p.name}”中申请“{rec.get('id', '')}”的 applicant 应是一个对象")
        flat.update({k: val for k, val in applicant.items()})
        flat["_raw"] = rec
        out.append(flat)
    source = data.get("source")
    return (str(source) if source else None), out


def _read_csv(p: Path) -> list[dict[str, Any]]:
    raw = p.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(f"无法识别“{p.name}”的文字编码：请另存为 UTF-8 或 GBK 编码的 csv")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        return []
    header = [_CSV_INDEX.get(_key(h)) for h in rows[0]]
    if "name" not in header or "content" not in header or "id" not in header:
        raise InvalidInput(f"“{p.name}”的第一行应是列名，至少有 id（编号）、name（申请人）、content（所需信息）"
                           "三列（见 docs/intake.md）")
    out = []
    for r in rows[1:]:
        rec: dict[str, Any] = {f: cell.strip() for f, cell in zip(header, r, strict=False) if f and cell.strip()}
        rec["_raw"] = {h: c for h, c in zip(rows[0], r, strict=False)}
        out.append(rec)
    return out


def _submitted(value: Any) -> tuple[datetime | None, date]:
    """When the application arrived: an ISO timestamp (taken in Beijing time when it has no zone) or a date."""
    if isinstance(value, str) and ("T" in value or ":" in value):
        try:
            moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError as exc:
            raise rt.CellError(f"提交时间“{value}”无效：应为 2025-03-18T21:14:05+08:00 或 2025-03-18") from exc
        moment = moment.replace(tzinfo=CHINA_TZ) if moment.tzinfo is None else moment.astimezone(CHINA_TZ)
        return moment, moment.date()
    return None, rt.cell_date(value, "提交时间")


def _check_record(ctx: ServiceContext, rec: dict[str, Any], agencies: dict[str, Any], actor: Actor, today: date,
                  problems: list[str]) -> dict[str, Any] | None:
    ext = str(rec.get("id") or "").strip()
    if not ext:
        problems.append("缺少编号 id（在线办理系统中的申请编号，用于避免重复导入）")
    elif len(ext) > 100:
        problems.append("编号 id 超过100个字符")
    submitted_at, arrived = None, None
    if rt.is_blank(rec.get("submitted_at")):
        problems.append("缺少提交时间 submitted_at（申请到达之日）")
    else:
        try:
            submitted_at, arrived = _submitted(rec["submitted_at"])
            if arrived > today:
                problems.append(f"提交时间 {arrived.isoformat()} 晚于今天 {today.isoformat()}")
        except rt.CellError as exc:
            problems.append(str(exc))
    atype = "natural_person"
    if not rt.is_blank(rec.get("type")):
        try:
            atype = rt.applicant_type_code(rec["type"])
        except rt.CellError as exc:
            problems.append(str(exc))
    delivery = ""
    if not rt.is_blank(rec.get("delivery")):
        try:
            delivery = rt.delivery_code(rec["delivery"])
        except rt.CellError as exc:
            problems.append(str(exc))
    items = 1
    if not rt.is_blank(rec.get("items")):
        try:
            items = rt.cell_int(rec["items"], "申请事项数 items", low=1, high=1000)
        except rt.CellError as exc:
            problems.append(str(exc))
    agency_id = None
    code = str(rec.get("agency") or "").strip()
    if code:
        agency = agencies.get(code)
        if agency is None:
            problems.append(f"机关代码“{code}”不存在，已有：{'、'.join(agencies) or '无'}")
        elif not actor.sees_all() and agency.id != actor.agency_id:
            problems.append(f"用户“{actor.name}”只能导入本机关的网上申请，不能导入“{agency.name}”的")
        else:
            agency_id = agency.id
    text = {k: str(rec.get(k) or "").strip() for k in ("name", "id_number", "phone", "email", "address", "postcode",
                                                        "content", "form")}
    try:
        fields, _missing = cases.validate_new_case(ctx, cases.NewCase(
            applicant=text["name"], applicant_type=atype, channel="online", received=arrived or today,
            content=text["content"], id_number=text["id_number"], phone=text["phone"], email=text["email"],
            address=text["address"], postcode=text["postcode"], delivery=delivery, form_requested=text["form"],
            item_count=items,
        ))
    except InvalidInput as exc:
        problems.append(exc.message)
        return None
    if problems or arrived is None:
        return None
    raw = rec.get("_raw") or {}
    return {
        "external_id": ext, "agency_id": agency_id, "submitted_at": submitted_at, "arrived_on": arrived,
        "applicant_name": fields["name"], "applicant_type": fields["type"], "id_number": fields["id_number"],
        "phone": fields["phone"], "email": fields["email"], "address": fields["address"],
        "postcode": fields["postcode"],
        "content": fields["content"], "form_requested": fields["form_requested"], "delivery": fields["delivery"],
        "item_count": fields["item_count"], "payload": json.loads(json.dumps(raw, ensure_ascii=False, default=str)),
    }


# ---------------------------------------------------------------------------------------------------------------
# Reading the inbox


def _visible(actor: Actor) -> tuple[int, ...] | None:
    return None if actor.sees_all() else (actor.agency_id or -1,)


def item_view(item: IntakeItem, *, reveal: bool = False, case_number: str | None = None,
              agency_code: str | None = None) -> dict[str, Any]:
    payload = item.payload or {}
    raw_applicant = payload.get("applicant")
    applicant: dict[str, Any] = raw_applicant if isinstance(raw_applicant, dict) else {}
    return {
        "id": item.id,
        "source": item.source,
        "external_id": item.external_id,
        "agency": agency_code,
        "status": item.status,
        "status_label": STATUS_LABELS.get(item.status, item.status),
        "submitted_at": china_time(item.submitted_at).isoformat() if item.submitted_at else None,
        "arrived_on": item.arrived_on.isoformat(),
        "applicant": {
            "name": item.applicant_name,
            "type": item.applicant_type,
            "type_label": APPLICANT_TYPE_LABELS.get(item.applicant_type, item.applicant_type),
            "id_number": item.id_number if reveal else v.mask_id(item.id_number),
            "phone": item.phone if reveal else v.mask_phone(item.phone),
            "email": item.email,
            "address": item.address if reveal else ("（已隐藏）" if item.address else ""),
            "postcode": item.postcode,
            "legal_representative": str(applicant.get("legal_representative") or payload.get(
                "legal_representative") or ""),
            "contact_person": str(applicant.get("contact_person") or payload.get("contact_person") or ""),
        },
        "content": item.content,
        "form_requested": item.form_requested,
        "delivery": item.delivery,
        "delivery_label": DELIVERY_METHOD_LABELS.get(item.delivery, item.delivery) if item.delivery else "",
        "item_count": item.item_count,
        "missing_elements": _missing(item),
        "file_name": item.file_name,
        "imported_by": item.imported_by,
        "decided_on": item.decided_on.isoformat() if item.decided_on else None,
        "decided_by": item.decided_by,
        "reason": item.reason,
        "case_number": case_number,
    }


def _missing(item: IntakeItem) -> list[str]:
    """Art. 29 elements the online form left empty (a reason to ask for correction once registered)."""
    out = []
    if not item.id_number:
        out.append("身份证明")
    if not (item.phone or item.email or item.address):
        out.append("联系方式")
    if not (item.delivery or item.form_requested):
        out.append("形式要求、获取方式")
    return out


def list_items(ctx: ServiceContext, *, status: str | None = "new", limit: int | None = None) -> list[dict[str, Any]]:
    if status is not None and status not in STATUS_LABELS:
        raise InvalidInput(f"状态“{status}”无效，可选：" + "、".join(f"{k}（{lb}）" for k, lb in STATUS_LABELS.items()))
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        codes = {a.id: a.code for a in repo.agencies(s)}
        items = q.intake_items(s, statuses=[status] if status else None, agency_ids=_visible(actor), limit=limit)
        numbers = _case_numbers(s, items)
        return [item_view(i, case_number=numbers.get(i.id), agency_code=codes.get(i.agency_id or 0)) for i in items]


def _case_numbers(s: Any, items: list[IntakeItem]) -> dict[int, str]:
    numbers = q.case_numbers(s, [i.case_id for i in items if i.case_id is not None])
    return {i.id: numbers[i.case_id] for i in items if i.case_id in numbers}


def count_new(ctx: ServiceContext) -> int:
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        return q.count_intake(s, "new", _visible(actor))


def show_item(ctx: ServiceContext, item_id: int | str, *, reveal: bool = False) -> dict[str, Any]:
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        item = _item(s, actor, item_id)
        codes = {a.id: a.code for a in repo.agencies(s)}
        return item_view(item, reveal=reveal, case_number=_case_numbers(s, [item]).get(item.id),
                         agency_code=codes.get(item.agency_id or 0))


def _item(s: Any, actor: Actor, item_id: int | str, *, lock: bool = False) -> IntakeItem:
    try:
        ident = int(str(item_id).strip().lstrip("#"))
    except ValueError as exc:
        raise InvalidInput(f"“{item_id}”不是收件箱中的序号（见 zwgk-tui intake list 第一列）") from exc
    item = q.intake_item_for_update(s, ident) if lock else s.get(IntakeItem, ident)
    if item is None:
        raise InvalidInput(f"收件箱中没有序号为 {ident} 的网上申请（见 zwgk-tui intake list --all）")
    if not actor.sees_all() and item.agency_id is not None and item.agency_id != actor.agency_id:
        raise NotPermitted(f"用户“{actor.name}”只能处理本机关的网上申请")
    return item


def _decided_already(s: Any, item: IntakeItem) -> Conflict:
    when = item.decided_on.isoformat() if item.decided_on else ""
    if item.status == "confirmed":
        number = _case_numbers(s, [item]).get(item.id, "")
        return Conflict(f"网上申请 {item.id} 已由 {item.decided_by} 于 {when} 确认登记为案件 {number}")
    return Conflict(f"网上申请 {item.id} 已由 {item.decided_by} 于 {when} 退回：{item.reason}")


# ---------------------------------------------------------------------------------------------------------------
# Deciding


def confirm(ctx: ServiceContext, item_id: int | str, on: str | date, *, agency: str | None = None) -> cases.Registered:
    """Register the application as a case received on `on`, the day it was confirmed with the applicant
    (Art. 31(三)); the day it arrived online is kept as the arrival date. One transaction with the inbox item."""
    try:
        confirmed = v.parse_date(on, "确认日期（--on）") if not isinstance(on, date) else on
    except v.ValidationError as exc:
        raise InvalidInput(exc.message) from exc
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        item = _item(s, actor, item_id, lock=True)
        if item.status != "new":
            raise _decided_already(s, item)
        if confirmed < item.arrived_on:
            raise InvalidInput(
                f"确认日期 {confirmed.isoformat()} 早于申请到达之日 {item.arrived_on.isoformat()}："
                "《条例》第三十一条第三项，网上申请以双方确认之日为收到申请之日，不会早于到达"
            )
        code = agency
        if code is None and item.agency_id is not None:
            code = next((a.code for a in repo.agencies(s) if a.id == item.agency_id), None)
        inp = cases.NewCase(
            applicant=item.applicant_name, applicant_type=item.applicant_type, channel="online", received=confirmed,
            content=item.content, agency=code, id_number=item.id_number, phone=item.phone, email=item.email,
            address=item.address, postcode=item.postcode, delivery=item.delivery, form_requested=item.form_requested,
            item_count=item.item_count, arrived=item.arrived_on,
        )
        fields, missing = cases.validate_new_case(ctx, inp)
        result = cases.register_in(ctx, s, inp, fields, missing, event_data={
            "intake": {"id": item.id, "source": item.source, "external_id": item.external_id},
        })
        registered = repo.cases_by_number(s, result.number, result.case["agency"])
        if not q.set_intake_decided(s, item.id, {
            "status": "confirmed", "decided_on": confirmed, "decided_at": now_in_china(), "decided_by": actor.name,
            "case_id": registered[0].id if registered else None,
        }):
            s.refresh(item)
            raise _decided_already(s, item)
    return result


def reject(ctx: ServiceContext, item_id: int | str, reason: str, *, on: str | date | None = None) -> dict[str, Any]:
    """Set an application aside (spam, a duplicate of one already registered, a test): kept with the reason."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("退回须写明理由：--reason “重复提交，已按 2025-0012 登记”")
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(f"理由过长（{len(text)} 字），请控制在 {MAX_REASON_CHARS} 字以内")
    today = ctx.today()
    try:
        day = today if on is None else (on if isinstance(on, date) else v.parse_date(on, "退回日期（--on）"))
    except v.ValidationError as exc:
        raise InvalidInput(exc.message) from exc
    if day > today:
        raise InvalidInput(f"退回日期 {day.isoformat()} 晚于今天 {today.isoformat()}")
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"clerk"}, "退回网上申请")
        item = _item(s, actor, item_id, lock=True)
        if item.status != "new":
            raise _decided_already(s, item)
        if not q.set_intake_decided(s, item.id, {
            "status": "rejected", "decided_on": day, "decided_at": now_in_china(), "decided_by": actor.name,
            "reason": text,
        }):
            s.refresh(item)
            raise _decided_already(s, item)
        s.refresh(item)
        return item_view(item)
