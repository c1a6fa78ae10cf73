"""The case file (一案一档) as one zip: an index (目录.docx) of every issued document with 文号, date and SHA-256, the
events with their actors, the evidence behind the decision and the service records; the issued files themselves
(void ones apart, under 作废/), the registration form and the review sheet as they read now, and a manifest.

What an agency hands to a reconsideration body or a court when asked to prove what it did (spec 09).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

from zwgk_tui.documents.dossier_index import DossierIndex, render_index
from zwgk_tui.documents.kinds import KINDS
from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    OUTCOME_SHORT_LABELS,
    SERVED_WHAT,
    SERVICE_METHODS,
    STAGE_LABELS,
)
from zwgk_tui.domain.event_text import describe_event
from zwgk_tui.domain.grounds import GROUNDS
from zwgk_tui.domain.workflow import STEPS
from zwgk_tui.persistence import repo
from zwgk_tui.services.cases import case_view, find_case
from zwgk_tui.services.context import ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput
from zwgk_tui.services.outputs import output_path

STATUS_LABELS = {"issued": "有效", "void": "作废"}
INTERNAL_FORMS = ("registration_form", "review_sheet")


def _evidence_lines(decide: dict[str, Any]) -> list[str]:
    lines = []
    if decide.get("outcome"):
        lines.append(f"拟定办理结果：{OUTCOME_SHORT_LABELS.get(decide['outcome'], decide['outcome'])}")
    parts = decide.get("withheld_parts") or []
    for i, code in enumerate(decide.get("grounds") or []):
        g = GROUNDS.get(code)
        if g is None:
            continue
        part = f"“{parts[i]}”" if i < len(parts) else "所申请信息"
        lines.append(f"{part}：{g.statement}（{g.citation}）")
    for key, label in (("secret_marking", "密级和保密期限"), ("kind_of_info", "信息种类"), ("reason", "理由"),
                       ("published_where", "已主动公开的位置"), ("published_on", "主动公开日期"),
                       ("responsible_agency", "负责公开的机关"), ("responsible_contact", "其联系方式"),
                       ("responsible_unknown", "无法确定负责机关的原因"), ("public_interest", "公共利益理由"),
                       ("provision_method", "提供方式"), ("provided_part", "予以公开的部分"),
                       ("earlier_case", "此前答复的案件"), ("earlier_reply_number", "此前答复书文号")):
        if decide.get(key):
            lines.append(f"{label}：{decide[key]}")
    for search in decide.get("searches") or []:
        lines.append(f"检索：{search.get('on', '')} {search.get('by', '')} 在 {search.get('scope', '')} "
                     f"以“{search.get('terms', '')}”检索")
    return lines


def _service_lines(events: list[dict[str, Any]]) -> list[str]:
    lines = []
    for e in events:
        d = e.get("data") or {}
        if e["action"] == "deliver":
            method = SERVICE_METHODS.get(d.get("method", ""), d.get("method", ""))
            line = f"{e['on']} 答复书送达：{method}"
            if d.get("tracking"):
                line += f"，邮件号码 {d['tracking']}（{e['on']} 交邮）"
            if d.get("reply_number"):
                line += f"，答复书 {d['reply_number']}"
            lines.append(line)
        elif e["action"] == "served":
            lines.append(f"{e['on']} {SERVED_WHAT.get(d.get('what', ''), '')}送达对方")
        elif d.get("served"):
            lines.append(f"{d['served']} {STEPS[e['action']].label if e['action'] in STEPS else e['action']}"
                         "的文书送达对方")
    return lines


def build(ctx: ServiceContext, number: str, agency_code: str | None = None) -> tuple[str, bytes]:
    """(suggested file name, zip bytes) of the case file."""
    from zwgk_tui.services import documents

    files: list[tuple[str, bytes]] = []
    with ctx.db.read() as s:
        actor = ctx.actor(s)
        case = find_case(ctx, s, number, agency_code)
        ctx.require_case_access(actor, case)
        view = case_view(ctx, s, case, reveal=False, actor=actor)
        stored = {d.id: d for d in repo.documents_of(s, case.id)}
        decide: dict[str, Any] = next((e["data"] for e in reversed(view["events"]) if e["action"] == "decide"), {})
        doc_rows = []
        for i, d in enumerate(view["documents"], start=1):
            doc = stored[d["id"]]
            if doc.origin == "external":
                name = "（系统外制作，无文件）"
            else:
                folder = "作废/" if doc.status == "void" else ""
                name = f"{folder}{doc.file_name}"
                files.append((name, doc.content))
            status = STATUS_LABELS.get(doc.status, doc.status) + (f"：{doc.void_reason}" if doc.void_reason else "")
            title = KINDS[doc.kind].title if doc.kind in KINDS else doc.kind
            doc_rows.append((str(i), title, doc.doc_number or "（无文号）", doc.issued_on.isoformat(), status, name,
                             doc.sha256 or "—"))
        notes = []
        for kind in INTERNAL_FORMS:
            try:
                content = documents.render_internal(ctx, s, case, kind)
            except InvalidInput as exc:
                notes.append(f"未能生成{kind}：{exc.message}")
                continue
            files.append((f"内部/{case.number}-{kind}.docx", content))
        ap = view["applicant"]
        summary = (
            ("机关", f"{view['agency_name']}（{view['agency']}）"),
            ("申请人", f"{ap['name']}（{APPLICANT_TYPE_LABELS.get(ap['type'], ap['type'])}），"
                       f"证件号 {ap['id_number'] or '未提供'}"),
            ("收到申请", f"{view['received_on']}（{CHANNEL_LABELS.get(view['channel'], view['channel'])}）"),
            ("申请内容", view["content"]
             + (f"（补正后：{view['clarified_content']}）" if view["clarified_content"] else "")),
            ("阶段", STAGE_LABELS.get(view["stage"], view["stage"])),
            ("办理结果", OUTCOME_SHORT_LABELS.get(view["outcome"] or "", "尚未办结")),
            ("答复期限", view["deadline"]["due"] or "—"),
            ("办结日期", view["concluded_on"] or "—"),
        )
        events = tuple(
            (e["on"], "登记" if e["action"] == "register" else STEPS[e["action"]].label if e["action"] in STEPS
             else e["action"], e["by"], (e["at"] or "")[:16].replace("T", " "), describe_event(e))
            for e in view["events"]
        )
        proceedings = tuple(f"{r['filed_on']} {r['kind']} {r['result']}"
                            + (f"（{r['decided_on']}）" if r.get("decided_on") else "") for r in view["remedies"])
        index = DossierIndex(
            agency_name=view["agency_name"], case_number=view["number"], summary=summary, documents=tuple(doc_rows),
            events=events, evidence=tuple(_evidence_lines(decide)), service=tuple(_service_lines(view["events"])),
            proceedings=proceedings, made_on=now_in_china().strftime("%Y-%m-%d %H:%M"), notes=tuple(notes),
        )
    files.insert(0, ("目录.docx", render_index(index)))
    manifest = {"case": view["number"], "agency": view["agency"],
                "files": [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in files]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files:
            z.writestr(f"{view['number']}/{name}", content)
        z.writestr(f"{view['number']}/manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return f"{view['number']}-案卷.zip", buffer.getvalue()


def export(ctx: ServiceContext, number: str, output: str | None, agency_code: str | None = None, *,
           force: bool = False) -> dict[str, Any]:
    name, content = build(ctx, number, agency_code)
    if output and not str(output).lower().endswith(".zip") and not Path(output).expanduser().is_dir():
        raise InvalidInput(f"案卷文件“{output}”应以 .zip 结尾")
    path = output_path(ctx, output, name, force=force, content=content)
    from zwgk_tui.documents.render import DocumentError, write_atomically

    try:
        write_atomically(path, content)
        os.chmod(path, 0o600)  # the case file holds the applicant's personal data
    except (DocumentError, OSError) as exc:
        raise InvalidInput(str(exc)) from exc
    return {"path": str(path), "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
