"""`zwgk-tui doc`: issuing, storing and reprinting documents for a case."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

SETTINGS = ["agency", "set", "default", "--name", "某县住房和城乡建设局", "--short-name", "某住建",
            "--reconsideration-body", "某县人民政府", "--court", "某县人民法院", "--phone", "0551-12345678"]


def document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_reply_is_filled_from_the_case_and_reprinted_identically(cli, tmp_path):
    cli(*SETTINGS)
    n = cli.new_case("2025-03-03", "A & B <公司>", "关于 {{ 7*7 }} & <代理> 的批复", "--id-number",
                     "91350100M000100Y43", type="business")
    r = cli("doc", n, "reply", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "decide" in r.stderr
    cli("case", "act", n, "decide", "--on", "2025-03-10", "--outcome", "withheld_process_info",
        "--reason", "属于内部讨论记录")
    r = cli("doc", n, "reply", "-o", str(tmp_path / "reply.docx"))
    path = Path(r.stdout.strip())
    xml = document_text(path)
    assert "某住建依公开〔2025〕1号" in xml
    assert "2025年3月3日" in xml
    assert "A &amp; B &lt;公司&gt;" in xml
    assert "{{ 7*7 }} &amp; &lt;代理&gt;" in xml and "49" not in xml
    assert "应当先自收到本答复之日起60日内向某县人民政府申请行政复议" in xml
    assert "第三十六条第（三）项" in xml
    assert "{{" not in xml.replace("{{ 7*7 }}", "") and "{%" not in xml
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    view = cli("case", "show", n, "--json").json()
    assert view["documents"][0]["sha256"] == digest
    assert view["documents"][0]["doc_number"] == "某住建依公开〔2025〕1号"
    # the agency edits its template: a reprint is still the document the applicant holds
    override = tmp_path / "tpl"
    override.mkdir()
    from zwgk_tui.documents.render import default_template_dir

    shutil.copy(default_template_dir() / "receipt.docx", override / "reply_withheld.docx")
    cli("agency", "set", "default", "--template-dir", str(override))
    again = Path(cli("doc", n, "reply", "-o", str(tmp_path / "again.docx")).stdout.strip())
    assert hashlib.sha256(again.read_bytes()).hexdigest() == digest
    fresh = Path(cli("doc", n, "reply", "--new", "-o", str(tmp_path / "fresh.docx")).stdout.strip())
    assert hashlib.sha256(fresh.read_bytes()).hexdigest() != digest
    assert "查询办理情况时，请提供上述登记编号" in document_text(fresh)  # the agency's template was used


def test_bad_doc_requests_exit_2(cli, tmp_path):
    cli(*SETTINGS)
    n = cli.new_case("2025-03-03")
    r = cli("doc", n, "memo", ok=False)
    assert r.exit_code == 2 and "receipt" in r.stderr
    r = cli("doc", "2025-9999", "receipt", ok=False)
    assert r.exit_code == 2 and "2025-9999" in r.stderr
    r = cli("doc", n, "receipt", "-o", str(tmp_path / "no" / "dir" / "x.docx"), ok=False)
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert cli("case", "show", n, "--json").json()["documents"] == []


def test_missing_remedy_settings_are_named(cli, tmp_path):
    n = cli.new_case("2025-03-03")
    cli("case", "act", n, "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision",
        "以电子邮件发送")
    r = cli("doc", n, "reply", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "--reconsideration-body" in r.stderr


def test_template_check_reports_unknown_variables(cli, tmp_path):
    r = cli("template", "check")
    assert "均可使用" in r.stdout
    import docx

    d = docx.Document()
    d.add_paragraph("{{ applicant_nmae }}")
    bad = tmp_path / "bad.docx"
    d.save(bad)
    r = cli("template", "check", str(bad), ok=False)
    assert r.exit_code == 2 and "applicant_nmae" in r.stdout
