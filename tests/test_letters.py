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


def test_third_party_decision_is_refused_when_the_third_party_agreed(cli, tmp_path):
    n = consulted_and_signed(cli, "--outcome", "disclosed", "--provision", "当面领取", view="agree")
    r = cli("doc", n, "third_party_decision", "-o", str(tmp_path / "x.docx"), ok=False)
    assert r.exit_code == 2
    assert "第三方没有表示不同意公开（记录的意见为“同意公开”），不需要出具依申请公开告知书" in r.stderr
    assert not (tmp_path / "x.docx").exists()


# --- 3. Drafts at any stage; agency settings before the signature; the fee payment route ---------------------


def test_reply_draft_with_a_missing_setting_warns_and_marks_the_gap(cli, tmp_path):
    cli.set_up_agency()
    cli("agency", "set", "default", "--reconsideration-online", "")  # no internet channel for reconsideration
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


# --- 2. The 送达回证 as it was served -------------------------------------------------------------------------


def test_service_receipt_prints_the_recorded_method_and_no_os_login(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    for step, on, *opts in (("decide", "2025-03-10", "--outcome", "withheld_process_info",
                             "--kind-of-info", "请示报告"),
                            ("submit", "2025-03-11"), ("approve", "2025-03-12"), ("approve", "2025-03-13"),
                            ("sign", "2025-03-14")):
        act(cli, n, step, on, *opts)
    cli("doc", n, "reply", "-o", str(tmp_path / "r.docx"))
    act(cli, n, "deliver", "2025-03-17", "--method", "courier")
    path = cli("doc", n, "service_receipt", "-o", str(tmp_path / "s.docx")).stdout.strip()
    cells = Document(path).tables[0].rows[5].cells
    assert [c.text for c in cells] == ["送达方式", "快递送达（非邮政企业）", "送达人", ""]


def test_service_receipt_names_a_registered_server():
    data = dataclasses.replace(BASE, kind="service_receipt", service_method="in_person", served_by="李四",
                               served_document_title="某县住房和城乡建设局政府信息公开申请答复书",
                               served_document_number="某县住建依公开〔2025〕3号")
    rows = [[c.text for c in r.cells] for r in Document(_bytes_io(render_document(data))).tables[0].rows]
    assert ["送达方式", "直接送达", "送达人", "李四"] in rows


def _bytes_io(content: bytes):
    import io

    return io.BytesIO(content)


# --- 4. The third party's salutation as recorded; no register labels in titles ------------------------------


def test_third_party_type_decides_the_salutation(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    act(cli, n, "consult", "2025-03-04", "--to", "王记", "--to-type", "organisation")
    text = text_of(cli("doc", n, "third_party_consultation", "-o", str(tmp_path / "c.docx")).stdout.strip())
    assert "本机关认为该政府信息公开后可能损害贵单位的合法权益" in text and "您" not in text
    assert "某县住房和城乡建设局政府信息公开申请征求意见书" in text.replace("\n", "") and "（给" not in text
    r = act(cli, n, "consult", "2025-03-04", "--to", "李某", "--to-type", "robot", ok=False)
    assert r.exit_code == 2


def test_third_party_type_overrides_the_guess_from_the_name():
    data = dataclasses.replace(BASE, kind="third_party_consultation", consult_to="某建筑工程有限公司",
                               consult_to_type="natural_person")
    assert any("可能损害您的合法权益" in p for p in paragraphs(render_document(data)))
    guessed = dataclasses.replace(data, consult_to_type="")
    assert any("可能损害贵单位的合法权益" in p for p in paragraphs(render_document(guessed)))


# --- 6. The 补正 sentence follows what is missing ------------------------------------------------------------


def test_correction_notice_says_what_is_missing():
    data = dataclasses.replace(BASE, kind="correction_notice", correction_items="请提供身份证复印件。",
                               correction_days=10, correction_missing=("identity",))
    paras = paragraphs(render_document(data))
    assert (
        "经审查，您的申请未提供申请人的身份证明。根据《中华人民共和国政府信息公开条例》第二十九条第二款第（一）项、"
        "第三十条的规定，现一次性告知您需要补正的事项如下："
    ) in paras
    assert not any("内容不明确" in p for p in paras)
    unclear = paragraphs(render_document(dataclasses.replace(data, correction_missing=("content",))))
    assert (
        "经审查，您的申请内容不明确，本机关无法据此确定您所申请公开的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十条的规定，现一次性告知您需要补正的事项如下："
    ) in unclear
    unstated = paragraphs(render_document(dataclasses.replace(data, correction_missing=())))
    assert any(p.startswith("经审查，您的申请需要补正。根据") for p in unstated)


def test_request_correction_records_what_is_missing(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    act(cli, n, "request-correction", "2025-03-05", "--items", "请提供身份证复印件", "--correct-days", "10",
        "--missing", "identity")
    text = text_of(cli("doc", n, "correction_notice", "-o", str(tmp_path / "c.docx")).stdout.strip())
    assert "经审查，您的申请未提供申请人的身份证明。" in text


# --- 7. Reasons beside what they justify; the search behind 36(五) ------------------------------------------


def test_partial_disclosure_reason_has_a_lead_in():
    from test_documents_replies import INPUTS

    from zwgk_tui.documents.model import WithheldPart

    data = dataclasses.replace(INPUTS["partially_disclosed"], reason="环评报告含企业工艺参数，属商业秘密",
                               withheld=(WithheldPart("企业工艺参数", "third_party"),))
    paras = paragraphs(render_document(data))
    i = paras.index("二、不予公开的部分及理由：")
    assert paras[i + 2] == "不予公开该部分的具体理由：环评报告含企业工艺参数，属商业秘密。"


def test_not_this_agency_reply_states_the_search():
    from test_documents_replies import INPUTS

    from zwgk_tui.documents.model import SearchRecord

    data = dataclasses.replace(INPUTS["unavailable_not_this_agency"],
                               searches=(SearchRecord("本机关档案室", "老旧小区", "李四", None),))
    assert (
        "本机关对您申请公开的政府信息进行了检索：由李四在本机关档案室中以“老旧小区”为检索词进行检索。"
        "经检索，您申请公开的政府信息不属于本机关负责公开的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关为某县财政局，联系方式：某县人民路2号，"
        "0527-87654321，您可以向该机关提出申请。"
    ) in paragraphs(render_document(data))


# --- 5. A short letter is set on one page; a long one flows on the official grid ----------------------------


def _pitch(content: bytes) -> str:
    import io
    import re

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    match = re.search(r'w:linePitch="(\d+)"', xml)
    assert match
    return match.group(1)


def test_a_short_letter_is_tightened_to_one_page_and_a_long_one_is_not():
    from test_documents_replies import INPUTS

    consult = dataclasses.replace(BASE, kind="third_party_consultation", consult_to="某建筑工程有限公司")
    pitch = int(_pitch(render_document(consult)))
    assert 500 <= pitch < 579  # GB/T 9704 7.3.5.4: line spacing adjusted so the signature stays with the text
    assert _pitch(render_document(INPUTS["partially_disclosed"])) == "579"
    assert _pitch(render_document(INPUTS["disclosed"])) == "579"
