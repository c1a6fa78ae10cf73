"""Letters a clerk found wrong (review of the documents): the Art. 32 letter to a third party only with a decision
that discloses; drafts at any stage with their gaps as warnings; agency settings found before the head's
signature; the 送达回证 as it was served; the third party's salutation; the 补正 sentence; where the reasons of a
partial disclosure stand; the search behind a 36(五) reply.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest
from docx import Document
from test_documents import BASE, paragraphs
from test_record import act

from zwgk_tui.documents import DocumentError, render_document
from zwgk_tui.documents.render import render_draft


def text_of(path: str | Path) -> str:
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def consulted_and_signed(cli, *decide: str, view: str = "disagree") -> str:
    cli.set_up_agency()
    n = cli.new_case("2025-03-03", "张三", "某化工企业环境影响评价报告")
    act(cli, n, "consult", "2025-03-04", "--to", "某化工有限公司")
    act(cli, n, "consult-answered", "2025-03-07", "--view", view, "--opinion", "涉及企业工艺参数")
    act(cli, n, "decide", "2025-03-10", *decide)
    for step, on in (("submit", "2025-03-11"), ("approve", "2025-03-12"), ("approve", "2025-03-13"),
                     ("sign", "2025-03-14")):
        act(cli, n, step, on)
    return n


# --- 1. The Art. 32 letter to the third party goes only with a decision to disclose ----------------------------


def test_third_party_decision_is_refused_when_the_decision_withholds(cli, tmp_path):
    n = consulted_and_signed(cli, "--outcome", "withheld_third_party", "--reason", "环评报告含企业工艺参数，属商业秘密")
    r = cli("doc", n, "third_party_decision", "-o", str(tmp_path / "x.docx"), ok=False)
    assert r.exit_code == 2
    assert "本次办理结果为“不予公开·第三方权益”，没有决定公开涉及第三方的政府信息，不能出具依申请公开告知书" in r.stderr
    assert "第十五条、第三十二条" in r.stderr
    assert not (tmp_path / "x.docx").exists()
    assert cli("case", "show", n, "--json").json()["documents"] == []
    # A draft is made, with the same reason as a warning.
    draft = cli("doc", n, "third_party_decision", "--draft", "-o", str(tmp_path / "d.docx"))
    assert "不能出具依申请公开告知书" in draft.stderr


def test_third_party_decision_is_refused_when_the_third_partys_part_is_withheld(cli, tmp_path):
    n = consulted_and_signed(cli, "--outcome", "partially_disclosed", "--provided", "环评结论",
                             "--withheld", "企业工艺参数", "--ground", "third_party", "--provision", "当面领取",
                             "--reason", "工艺参数属商业秘密")
    r = cli("doc", n, "third_party_decision", "-o", str(tmp_path / "x.docx"), ok=False)
    assert r.exit_code == 2 and "部分公开" in r.stderr and "不能出具依申请公开告知书" in r.stderr


def test_third_party_decision_goes_with_a_disclosure_over_the_objection(cli, tmp_path):
    n = consulted_and_signed(cli, "--outcome", "disclosed", "--provision", "当面领取",
                             "--public-interest", "该企业排放关系周边居民健康")
    path = cli("doc", n, "third_party_decision", "-o", str(tmp_path / "t.docx")).stdout.strip()
    text = text_of(path)
    assert "本机关决定予以公开" in text and "二、决定公开的理由：该企业排放关系周边居民健康。" in text
    assert "（给第三方）" not in text


# --- 3. Drafts at any stage; agency settings before the signature; the fee payment route ---------------------


def test_reply_draft_with_a_missing_setting_warns_and_marks_the_gap(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03", "张三", "2024年老旧小区改造项目清单", "--delivery", "email",
                     "--email", "zhangsan@example.com")
    act(cli, n, "decide", "2025-03-10", "--outcome", "disclosed", "--provision", "现以电子邮件方式向您提供")
    r = cli("doc", n, "reply", "--draft", "-o", str(tmp_path / "d.docx"))
    assert r.exit_code == 0
    assert "互联网" in r.stderr and "--reconsideration-online" in r.stderr
    text = text_of(tmp_path / "d.docx")
    assert "【待补：救济途径告知" in text and "本机关决定予以公开" in text
    with zipfile.ZipFile(tmp_path / "d.docx") as z:
        assert any("草　稿" in z.read(name).decode() for name in z.namelist() if "header" in name)
    # The same gap is found at submit, before both reviews and the head's signature.
    r = act(cli, n, "submit", "2025-03-11", ok=False)
    assert r.exit_code == 2 and "zwgk-tui agency set default --reconsideration-online" in r.stderr
    cli("agency", "set", "default", "--reconsideration-online", "某县人民政府行政复议网上申请平台")
    act(cli, n, "submit", "2025-03-11")


def test_fee_notice_step_needs_the_payment_route(cli, tmp_path):
    cli.set_up_agency()
    cli("agency", "set", "default", "--fee-payment-route", "")
    n = cli.new_case("2025-03-03")
    r = act(cli, n, "fee-notice", "2025-03-05", "--method", "per_request", "--amount", "300", ok=False)
    assert r.exit_code == 2 and "zwgk-tui agency set default --fee-payment-route" in r.stderr


def test_fee_notice_without_a_route_names_the_setting():
    data = dataclasses.replace(BASE, kind="fee_notice", fee_method="per_request", fee_quantity=35, fee_amount=3000,
                               fee_payment_route="")
    with pytest.raises(DocumentError, match="zwgk-tui agency set zj --fee-payment-route"):
        render_document(data)
    content, warnings = render_draft(data)
    assert any("--fee-payment-route" in w for w in warnings)
    assert "四、缴纳方式：【待补：缴纳方式】。" in paragraphs(content)
