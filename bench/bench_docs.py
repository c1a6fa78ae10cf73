"""Benchmark: one reply through render_document vs. a bare docxtpl render of the same template.

Target (spec 08): render_document ≤ 1.5 × the bare render. The bare render is the floor: load the template,
render the same context with an autoescaping Jinja environment, save to memory. What render_document adds
(resolving the template, the cached template check, building the context, the remedy clause) must stay small.

    .venv/bin/python bench/bench_docs.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate
from jinja2 import Environment

from zwgk_tui.documents import (
    AgencyInfo,
    ApplicantInfo,
    DocumentInput,
    build_context,
    render_document,
    template_path,
)

DATA = DocumentInput(
    kind="reply",
    doc_number="某县住建依公开〔2025〕3号",
    issued_on=date(2025, 3, 28),
    agency=AgencyInfo(
        code="zj",
        name="某县住房和城乡建设局",
        phone="0527-12345678",
        contact="王明",
        reconsideration_body="某县人民政府",
        court="某县人民法院",
    ),
    applicant=ApplicantInfo(name="张三", type="natural_person"),
    case_number="2025-0007",
    received_on=date(2025, 3, 3),
    channel="online",
    content="2024年度某县老旧小区改造项目的招标文件及中标通知书",
    delivery="mail",
    outcome="withheld_process_info",
    reason="该信息系本机关在研究制定改造方案过程中形成的内部讨论记录，相关方案尚未作出决定",
)


def bare(path: Path, context: dict) -> bytes:
    template = DocxTemplate(path)
    template.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def ours(data: DocumentInput) -> bytes:
    return render_document(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    path = template_path(DATA.kind, DATA.outcome, None)
    context = build_context(DATA)
    # Warm up both (imports, the first template check, file cache).
    bare(path, context)
    ours(DATA)

    bare_times: list[float] = []
    our_times: list[float] = []
    for round_number in range(args.rounds):
        # Vary the data a little so nothing can be cached across renders by accident.
        data = dataclasses.replace(DATA, case_number=f"2025-{round_number:04d}")
        ctx = dict(context, case_number=data.case_number)
        start = time.perf_counter()
        bare(path, ctx)
        bare_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours(data)
        our_times.append(time.perf_counter() - start)

    bare_ms = statistics.median(bare_times) * 1000
    our_ms = statistics.median(our_times) * 1000
    ratio = our_ms / bare_ms
    print(f"template: {path.name}  rounds: {args.rounds}")
    print(f"bare docxtpl render : {bare_ms:8.2f} ms (median)")
    print(f"render_document     : {our_ms:8.2f} ms (median)")
    print(f"ratio               : {ratio:8.2f}  (target ≤ 1.50) {'OK' if ratio <= 1.5 else 'TOO SLOW'}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
