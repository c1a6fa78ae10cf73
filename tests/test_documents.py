"""Documents as a clerk would read them: text, law, remedy, format, and templates agencies can edit safely."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from zwgk_tui.documents import (
    DOCUMENT_KINDS,
    DOCUMENTED_VARIABLES,
    KINDS,
    AgencyInfo,
    ApplicantInfo,
    DocumentError,
    DocumentInput,
    ReviewOpinion,
    build_context,
    check_template,
    default_template_dir,
    render_document,
    template_path,
    write_atomically,
)
from zwgk_tui.documents.kinds import TEMPLATE_KINDS
from zwgk_tui.domain.cn_format import _yuan_in_capitals, article_cn, cn_date, cn_number, cn_yuan
from zwgk_tui.domain.codes import OUTCOMES

ROOT = Path(__file__).resolve().parents[1]

AGENCY = AgencyInfo(
    code="zj",
    name="某县住房和城乡建设局",
    address="某县人民路1号",
    phone="0527-12345678",
    contact="王明",
    postcode="223800",
    reconsideration_body="某县人民政府",
    court="某县人民法院",
)
APPLICANT = ApplicantInfo(
    name="张三",
    type="natural_person",
    id_number="110101199003074514",
    phone="13800000000",
    address="某县幸福路8号",
)
CONTENT = "2024年度某县老旧小区改造项目的招标文件及中标通知书"

BASE = DocumentInput(
    kind="reply",
    doc_number="某县住建依公开〔2025〕3号",
    issued_on=date(2025, 3, 28),
    agency=AGENCY,
    applicant=APPLICANT,
    case_number="2025-0007",
    received_on=date(2025, 3, 3),
    channel="online",
    content=CONTENT,
    form_requested="纸质复印件",
    delivery="mail",
    due_date=date(2025, 3, 31),
    drafter="李四",
)

# What a clerk enters for each kind before printing it.
KIND_DATA: dict[str, dict] = {
    "registration_form": {},
    "receipt": {},
    "correction_notice": {
        "correction_items": "请写明所需招标文件对应的项目名称或者项目编号。",
        "correct_by": date(2025, 3, 21),
    },
    "explanation_request": {"correct_by": date(2025, 3, 21)},
    "extension_notice": {
        "extension_days": 20,
        "extended_due": date(2025, 4, 29),
        "extension_reason": "申请公开的信息涉及多个项目，需要调取档案核查",
    },
    "delay_notice": {
        "delay_until": date(2025, 6, 30),
        "delay_reason": "需要检索的档案数量较大",
        "explanation_requested_on": date(2025, 3, 5),
        "explanation_answer": "用于课题研究",
    },
    "third_party_consultation": {"consult_to": "某建筑工程有限公司", "consult_due": date(2025, 4, 1)},
    "third_party_decision": {
        "consult_to": "某建筑工程有限公司",
        "consult_sent_on": date(2025, 3, 10),
        "third_party_view": "disagree",
        "third_party_opinion": "涉及商业秘密",
        "public_interest": "该项目使用财政资金，中标价格涉及重大公共利益",
    },
    "agency_consultation": {"consult_to": "某县财政局", "consult_due": date(2025, 4, 1)},
    "fee_notice": {
        "fee_method": "per_request",
        "fee_quantity": 35,
        "fee_amount": 3000,
        "fee_breakdown": (
            "第1—10件：10件×0元＝0元",
            "第11—30件：20件×100元＝2,000元",
            "第31—35件：5件×200元＝1,000元",
        ),
        "fee_payment_due": date(2025, 4, 30),
        "fee_payment_route": "通过非税收入缴款码缴入国库",
    },
    "review_sheet": {
        "outcome": "withheld_process_info",
        "reason": "该信息系研究过程中形成的讨论记录",
        "reviews": (
            ReviewOpinion("office_review", "赵六", date(2025, 3, 20), "同意"),
            ReviewOpinion("legal_review", "钱七", date(2025, 3, 21), "处理意见合法"),
            ReviewOpinion("sign_off", "孙八", date(2025, 3, 24), "同意签发"),
        ),
    },
}

# What a clerk enters for each outcome of a reply.
OUTCOME_DATA: dict[str, dict] = {
    "disclosed": {},
    "partially_disclosed": {
        "provided_part": "招标文件",
        "withheld_part": "中标通知书中投标人的身份证号码",
        "reason": "该部分属于个人隐私，公开会对第三方合法权益造成损害",
    },
    "unavailable_not_held": {},
    "unavailable_needs_creation": {},
    "unavailable_unclear": {"corrected_on": date(2025, 3, 12)},
    "not_processed_petition": {},
    "not_processed_duplicate": {
        "earlier_reply_number": "某县住建依公开〔2025〕1号",
        "earlier_reply_date": date(2025, 2, 10),
        "earlier_case_number": "2025-0002",
    },
    "not_processed_publication": {"provision_method": "该书可在新华书店购买"},
    "not_processed_excessive": {"explanation_requested_on": date(2025, 3, 5), "explanation_lapsed": True},
    "not_processed_confirm_reissue": {},
    "other_no_correction": {"correct_by": date(2025, 3, 21)},
    "other_fee_unpaid": {"fee_payment_due": date(2025, 4, 30)},
    "other_other": {"reason": "您已于2025年3月10日书面撤回该申请，本机关终止办理"},
}
for _outcome in OUTCOMES:
    if _outcome.startswith("withheld_"):
        OUTCOME_DATA[_outcome] = {"reason": "具体理由由承办人填写"}

# Decision sentence and default citation each outcome's reply must contain.
DECISIONS: dict[str, tuple[str, str]] = {
    "disclosed": ("本机关决定予以公开", "《中华人民共和国政府信息公开条例》第三十六条第（二）项"),
    "partially_disclosed": ("本机关决定部分公开", "第三十七条"),
    "withheld_state_secret": ("属于依法确定为国家秘密的政府信息", "第十四条、第三十六条第（三）项"),
    "withheld_law_prohibited": ("属于法律、行政法规禁止公开的政府信息", "第十四条、第三十六条第（三）项"),
    "withheld_security_stability": ("公开后可能危及国家安全、公共安全、经济安全、社会稳定", "第十四条"),
    "withheld_third_party": ("公开会对第三方合法权益造成损害", "第十五条、第三十六条第（三）项"),
    "withheld_internal_affairs": ("内部工作流程等方面的内部事务信息", "第十六条第一款、第三十六条第（三）项"),
    "withheld_process_info": ("过程性信息", "第十六条第二款、第三十六条第（三）项"),
    "withheld_enforcement_file": ("属于行政执法案卷信息", "第十六条第二款、第三十六条第（三）项"),
    "withheld_inquiry_matter": ("请您依照有关法律、行政法规的规定办理", "第三十六条第（七）项"),
    "unavailable_not_held": ("您申请公开的政府信息不存在", "第三十六条第（四）项"),
    "unavailable_needs_creation": ("进行加工、分析", "第三十八条"),
    "unavailable_unclear": ("补正后的申请内容仍不明确", "第二十九条第二款第（二）项、第三十条"),
    "not_processed_petition": ("不作为政府信息公开申请处理", "第三十九条第一款"),
    "not_processed_duplicate": ("不予重复处理", "第三十六条第（六）项"),
    "not_processed_publication": ("该书可在新华书店购买", "第三十九条第二款"),
    "not_processed_excessive": ("本机关不予处理", "第三十五条"),
    "not_processed_confirm_reissue": ("确认或者重新出具", "第二条"),
    "other_no_correction": ("视为放弃", "第三十条"),
    "other_fee_unpaid": ("视为放弃", "《政府信息公开信息处理费管理办法》"),
    "other_other": ("本机关终止办理", ""),
}

GENERAL_REMEDY = (
    "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议，"
    "也可以自收到本答复之日起6个月内向某县人民法院提起行政诉讼。"
)
FIRST_REMEDY = (
    "如对本答复不服，应当先自收到本答复之日起60日内向某县人民政府申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
)
ONLY_REMEDY = "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议。"
# Courts do not hear these (SPC 2025 Art. 10): reconsideration only.
NOT_HEARD = {
    "not_processed_duplicate",
    "withheld_inquiry_matter",
    "unavailable_needs_creation",
    "not_processed_petition",
    "not_processed_publication",
}


def expected_remedy(outcome: str) -> str:
    if outcome in NOT_HEARD:
        return ONLY_REMEDY
    if outcome.startswith("withheld_") or outcome == "partially_disclosed":
        return FIRST_REMEDY
    return GENERAL_REMEDY


def make(kind: str = "reply", outcome: str | None = None, **changes) -> DocumentInput:
    data = dict(KIND_DATA.get(kind, {}))
    if outcome is not None:
        data["outcome"] = outcome
        data.update(OUTCOME_DATA[outcome])
    data.update(changes)
    return dataclasses.replace(BASE, kind=kind, **data)


def paragraphs(docx: bytes) -> list[str]:
    """Every paragraph's text, body and table cells, in order."""
    doc = Document(io.BytesIO(docx))
    out = []
    for block in doc.element.body.iter(qn("w:p")):
        out.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
    return out


def text(docx: bytes) -> str:
    return "\n".join(paragraphs(docx))


def table_cells(doc) -> list[str]:
    """Texts of the first table's cells as stored (a merged cell once), paragraphs joined by newlines."""
    out = []
    for tc in doc.tables[0]._tbl.iter(qn("w:tc")):
        paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
        out.append("\n".join(paras))
    return out


def document_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").decode("utf-8")


def flat(docx: bytes) -> str:
    """All text with paragraph breaks removed, for sentences that may wrap over runs."""
    return "".join(paragraphs(docx))


# --- every kind --------------------------------------------------------------------------------------------

ALL_CASES = [(k, None) for k in DOCUMENT_KINDS if k != "reply"] + [("reply", o) for o in OUTCOMES]


@pytest.mark.parametrize(("kind", "outcome"), ALL_CASES, ids=[f"{k}-{o}" if o else k for k, o in ALL_CASES])
def test_every_kind_renders_with_case_facts(kind, outcome):
    docx = render_document(make(kind, outcome))
    body = flat(docx)
    entry = KINDS[kind] if kind != "reply" else KINDS[template_path(kind, outcome, None).stem]
    assert entry.printed_title in body
    assert "（给" not in body  # no register label such as "（给第三方）" in the printed title
    if kind != "third_party_decision":  # the third party is told of the consultation, not of the receipt
        assert "2025年3月3日" in body  # received (Art. 31), no leading zeros
    if kind != "service_receipt":  # the 送达回证 names the document served, not the request
        assert CONTENT in body
    assert "某县住房和城乡建设局" in body
    if kind not in ("registration_form", "review_sheet", "service_receipt"):
        assert "2025年3月28日" in body  # issue date
    if entry.to_applicant:
        assert "张三：" in paragraphs(docx)
    # no template syntax left behind
    assert "{{" not in body and "{%" not in body and "}}" not in body and "%}" not in body


@pytest.mark.parametrize(("kind", "outcome"), ALL_CASES, ids=[f"{k}-{o}" if o else k for k, o in ALL_CASES])
def test_no_stray_empty_paragraphs(kind, outcome):
    doc = Document(io.BytesIO(render_document(make(kind, outcome))))
    # Body paragraphs (tables are forms: blank cells for handwriting are intended).
    texts = [p.text for p in doc.paragraphs]
    assert all(t.strip() for t in texts), texts


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_reply_decision_articles_and_remedy(outcome):
    docx = render_document(make("reply", outcome))
    body = flat(docx)
    decision, article = DECISIONS[outcome]
    assert decision in body
    assert article in body
    expected = expected_remedy(outcome)
    assert expected in body
    assert all(other not in body for other in {GENERAL_REMEDY, FIRST_REMEDY, ONLY_REMEDY} - {expected})
    assert "上级主管部门" not in body
    assert "3个月" not in body
    assert "某县住建依公开〔2025〕3号" in body
    assert "联系人：王明；联系电话：0527-12345678" in body


def test_reply_receipt_sentence_with_correction_date():
    docx = render_document(make("reply", "disclosed", corrected_on=date(2025, 3, 10)))
    assert (
        "本机关于2025年3月3日收到您提出的政府信息公开申请（登记编号：2025-0007），"
        "并于2025年3月10日收到您补正后的申请。您申请公开的内容为：“" + CONTENT + "”。"
    ) in flat(docx)


def test_reply_receipt_sentence_without_correction():
    body = flat(render_document(make("reply", "disclosed")))
    assert "本机关于2025年3月3日收到您提出的政府信息公开申请（登记编号：2025-0007）。" in body
    assert "补正后的申请" not in body


def test_disclosure_says_how_information_is_provided():
    body = flat(render_document(make("reply", "disclosed")))
    assert "第四十条" in body
    assert "现按照您申请时选择的邮寄方式，以纸质复印件形式向您提供该政府信息。" in body
    own = flat(
        render_document(make("reply", "disclosed", provision_method="现以电子邮件方式发送至您提供的邮箱。"))
    )
    assert "现以电子邮件方式发送至您提供的邮箱。" in own
    assert "。。" not in own


def test_disclosure_already_published_cites_36_1():
    # An older record: only a flag and the way to obtain it.
    body = flat(
        render_document(
            make(
                "reply", "disclosed", already_published=True, provision_method="该信息已在本机关门户网站公开"
            )
        )
    )
    assert "第三十六条第（一）项" in body
    assert "现告知您获取该政府信息的方式和途径：该信息已在本机关门户网站公开。" in body
    assert "本机关决定予以公开" not in body


def test_partial_disclosure_states_both_parts_and_why():
    body = flat(render_document(make("reply", "partially_disclosed")))
    assert "一、予以公开的部分：招标文件。" in body
    assert "二、不予公开的部分：中标通知书中投标人的身份证号码。" in body
    assert "不予公开的理由：该部分属于个人隐私，公开会对第三方合法权益造成损害。" in body


def test_not_this_agency_names_the_responsible_agency():
    body = flat(
        render_document(
            make(
                "reply",
                "unavailable_not_held",
                responsible_agency="某县财政局",
                responsible_contact="0527-87654321",
            )
        )
    )
    assert "不属于本机关负责公开的政府信息" in body
    assert "第三十六条第（五）项" in body
    assert "负责公开该政府信息的行政机关为某县财政局，联系方式：0527-87654321，您可以向该机关提出申请。" in body
    assert "不存在" not in body


def test_not_this_agency_without_a_known_agency_says_why():
    with pytest.raises(DocumentError, match="无法确定的，须说明原因"):
        render_document(make("reply", "unavailable_not_held", not_this_agency=True))
    body = flat(
        render_document(
            make(
                "reply",
                "unavailable_not_held",
                not_this_agency=True,
                responsible_unknown_reason="该信息涉及多个部门的职责，本机关无法确定其制作机关",
            )
        )
    )
    assert "第三十六条第（五）项" in body
    assert (
        "负责公开该政府信息的行政机关无法确定，原因是：该信息涉及多个部门的职责，本机关无法确定其制作机关。"
    ) in body


def test_not_this_agency_needs_the_contact_of_a_named_agency():
    with pytest.raises(DocumentError, match="联系方式"):
        render_document(make("reply", "unavailable_not_held", responsible_agency="某县财政局"))


def test_clerk_articles_override_the_default():
    body = flat(
        render_document(
            make("reply", "withheld_third_party", articles="《中华人民共和国政府信息公开条例》第十五条")
        )
    )
    assert "根据《中华人民共和国政府信息公开条例》第十五条的规定，本机关决定不予公开。" in body


def test_clerk_citation_is_not_doubled():
    body = flat(
        render_document(
            make(
                "reply",
                "withheld_third_party",
                articles="根据《中华人民共和国政府信息公开条例》第十五条的规定。",
            )
        )
    )
    assert "根据《中华人民共和国政府信息公开条例》第十五条的规定，本机关决定不予公开。" in body
    assert "根据根据" not in body and "的规定的规定" not in body


# What a reply must contain is checked at `decide` (tests/test_record.py), not when the signed reply is made.


def test_reply_without_decision_is_refused():
    with pytest.raises(DocumentError, match="尚未作出处理决定"):
        render_document(make("reply", None))


def test_reply_template_named_directly_must_match_the_decision():
    assert "本机关决定不予公开" in flat(render_document(make("reply_withheld", "withheld_state_secret")))
    with pytest.raises(DocumentError, match="应使用 reply_disclosed"):
        render_document(make("reply_withheld", "disclosed"))


def test_unknown_kind_is_refused():
    with pytest.raises(DocumentError, match="未知的文书种类：answer"):
        render_document(make("answer"))


def test_missing_remedy_settings_refuse_the_reply():
    data = make("reply", "disclosed", agency=dataclasses.replace(AGENCY, reconsideration_body=""))
    with pytest.raises(DocumentError, match="agency set zj --reconsideration-body"):
        render_document(data)


def test_missing_remedy_settings_do_not_block_a_correction_notice():
    data = make("correction_notice", agency=dataclasses.replace(AGENCY, reconsideration_body="", court=""))
    assert "视为放弃申请" in flat(render_document(data))


# --- notices -----------------------------------------------------------------------------------------------


def test_correction_notice_items_period_and_consequence():
    items = "1. 请写明项目名称或者项目编号；\n2. 请提供身份证明。"
    docx = render_document(make("correction_notice", correction_items=items))
    paras = paragraphs(docx)
    # each item is a paragraph of its own (indented like the body), not a line break
    assert "1. 请写明项目名称或者项目编号；" in paras
    assert "2. 请提供身份证明。" in paras
    body = flat(docx)
    assert "第三十条" in body and "一次性告知" in body
    assert "请您于2025年3月21日前向本机关提交补正后的申请。" in body
    assert "视为放弃申请，本机关不再处理该政府信息公开申请" in body
    assert "申请行政复议" not in body  # procedural: no remedy clause


def test_correction_notice_requires_items_and_period():
    with pytest.raises(DocumentError, match="补正的事项"):
        render_document(make("correction_notice", correction_items=""))
    with pytest.raises(DocumentError, match="补正期限"):
        render_document(make("correction_notice", correct_by=None))


def test_extension_notice_new_due_date():
    body = flat(render_document(make("extension_notice")))
    assert "第三十三条第二款" in body
    assert "经本机关政府信息公开工作机构负责人同意" in body
    assert "答复期限延长20个工作日，本机关将于2025年4月29日前作出答复" in body
    assert "（2025年3月31日前）" in body


def test_delay_notice_date_and_reason():
    body = flat(render_document(make("delay_notice")))
    assert "第三十五条" in body
    assert "因需要检索的档案数量较大" in body
    assert "确定延迟答复的期限为2025年6月30日前" in body


def test_third_party_consultation_limit_consequence_and_privacy():
    docx = render_document(make("third_party_consultation"))
    body = flat(docx)
    assert "某建筑工程有限公司：" in paragraphs(docx)
    assert "第三十二条" in body
    assert "15个工作日内（2025年4月1日前）" in body
    assert "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开" in body
    assert "张三" not in body  # the applicant's identity is not the third party's business
    assert "110101199003074514" not in body


def test_third_party_decision_content_reason_and_remedy():
    body = flat(render_document(make("third_party_decision")))
    assert "不公开该政府信息可能对公共利益造成重大影响" in body
    assert "贵单位不同意公开，具体意见为：涉及商业秘密。" in body
    assert "二、决定公开的理由：该项目使用财政资金，中标价格涉及重大公共利益。" in body
    assert "如对本机关的公开决定不服，可以自收到本告知书之日起60日内向某县人民政府申请行政复议" in body


def test_agency_consultation_silence_is_consent():
    body = flat(render_document(make("agency_consultation")))
    assert "某县财政局：" in body
    assert "第三十四条" in body and "15个工作日内" in body and "逾期未提出意见的，视为同意公开" in body


def test_fee_notice_basis_standard_amount_route_limit_and_remedy():
    docx = render_document(make("fee_notice"))
    body = flat(docx)
    assert "第四十二条" in body and "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）" in body
    assert "按件计收" in body and "11—30件（含30件）的部分，100元/件" in body
    assert "计费数量35件，应缴纳信息处理费3,000元（大写：人民币叁仟元整）" in body
    assert "第31—35件：5件×200元＝1,000元" in paragraphs(docx)
    assert "四、缴纳方式：通过非税收入缴款码缴入国库。" in body
    assert "自收到本通知次日起20个工作日内（2025年4月30日前）缴纳" in body
    assert "逾期未缴纳的，视为放弃申请" in body
    # A fee decision is not heard on its own (SPC 2025 Art. 10(三)): no clause by default, never a suit.
    assert "申请行政复议" not in body and "提起行政诉讼" not in body


def test_fee_notice_by_volume_uses_the_page_bands():
    body = flat(render_document(make("fee_notice", fee_method="per_page", fee_quantity=250, fee_amount=4700)))
    assert "按量计收" in body and "201页以上的部分，40元/页" in body
    assert "计费数量250页，应缴纳信息处理费4,700元（大写：人民币肆仟柒佰元整）" in body
    assert "100元/件" not in body


def test_receipt_states_the_reply_period():
    body = flat(render_document(make("receipt")))
    assert "通过互联网方式提出的政府信息公开申请，登记编号为2025-0007" in body
    assert "自收到申请之日起20个工作日内予以答复（即2025年3月31日前）" in body


def test_review_sheet_is_a_table_with_opinions_names_and_dates():
    doc = Document(io.BytesIO(render_document(make("review_sheet"))))
    assert len(doc.tables) == 1
    cells = table_cells(doc)
    assert "不予公开·过程性信息" in cells
    joined = "\n".join(cells)
    for name, day, opinion in (
        ("赵六", "2025年3月20日", "同意"),
        ("钱七", "2025年3月21日", "处理意见合法"),
        ("孙八", "2025年3月24日", "同意签发"),
    ):
        assert f"签名：{name}　　日期：{day}" in joined
        assert opinion in joined
    assert "政府办审核意见" in cells and "法制审核意见" in cells and "负责人签发意见" in cells


def test_review_sheet_keeps_a_returned_and_approved_trail():
    reviews = (
        ReviewOpinion("legal_review", "钱七", date(2025, 3, 19), "退回：请补充理由"),
        ReviewOpinion("legal_review", "钱七", date(2025, 3, 21), "同意"),
    )
    doc = Document(io.BytesIO(render_document(make("review_sheet", reviews=reviews))))
    joined = "\n".join(table_cells(doc))
    assert "退回：请补充理由（钱七，2025年3月19日）" in joined
    assert "同意（钱七，2025年3月21日）" in joined
    assert "签名：钱七　　日期：2025年3月21日" in joined


def test_review_sheet_before_any_review_leaves_room_to_sign():
    doc = Document(io.BytesIO(render_document(make("review_sheet", reviews=()))))
    joined = "\n".join(table_cells(doc))
    assert joined.count("签名：　　日期：") == 3


def test_registration_form_is_a_table_with_the_application():
    doc = Document(io.BytesIO(render_document(make("registration_form"))))
    assert len(doc.tables) == 1
    cells = table_cells(doc)
    for value in (
        "2025-0007",
        "互联网",
        "张三",
        "自然人",
        "110101199003074514",
        CONTENT,
        "纸质复印件",
        "邮寄",
        "2025年3月31日",
    ):
        assert value in cells


# --- the applicant's text is data --------------------------------------------------------------------------


def test_applicant_text_is_printed_literally():
    hostile = "A & B <代理> {{ 7*7 }} {% if true %}x{% endif %}"
    docx = render_document(
        make("reply", "disclosed", content=hostile, applicant=dataclasses.replace(APPLICANT, name="<某&某>"))
    )
    body = flat(docx)
    assert hostile in body
    assert "<某&某>：" in paragraphs(docx)
    assert "49" not in body
    # escaped once in the XML, not twice
    assert "A &amp; B &lt;代理&gt;" in document_xml(docx)


def test_control_characters_cannot_break_the_document():
    docx = render_document(make("reply", "disclosed", content="第一行\x07第二行\x0c\x00"))
    assert "第一行第二行" in flat(docx)


# --- format ------------------------------------------------------------------------------------------------


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


@pytest.mark.parametrize("code", TEMPLATE_KINDS)
def test_page_is_a4_with_gbt9704_margins(code):
    xml = (default_template_dir() / KINDS[code].template).read_bytes()
    with zipfile.ZipFile(io.BytesIO(xml)) as z:
        doc_xml = z.read("word/document.xml").decode()
    size = re.search(r"<w:pgSz [^>]*>", doc_xml).group(0)
    assert f'w:w="{_twips(210)}"' in size and f'w:h="{_twips(297)}"' in size
    margins = re.search(r"<w:pgMar [^>]*>", doc_xml).group(0)
    expected = {"top": _twips(37), "bottom": _twips(35), "left": _twips(28), "right": _twips(26)}
    assert expected == {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
    for side, value in expected.items():
        assert f'w:{side}="{value}"' in margins


def _style_value(paragraph, getter):
    """A paragraph property as Word resolves it: the paragraph's own, else its style's, else the base's."""
    value = getter(paragraph)
    style = paragraph.style
    while value is None and style is not None:
        value = getter(style)
        style = style.base_style
    return value


def _east_asian_font(paragraph) -> str | None:
    def get(obj):
        element = obj._p if hasattr(obj, "_p") else obj.element
        rpr = element.find(qn("w:rPr")) if hasattr(obj, "_p") else element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        return fonts.get(qn("w:eastAsia")) if fonts is not None else None

    return _style_value(paragraph, get)


def test_rendered_reply_keeps_margins_fonts_and_line_pitch():
    docx = render_document(make("reply", "withheld_process_info"))
    doc = Document(io.BytesIO(docx))
    section = doc.sections[0]
    assert (section.top_margin.twips, section.bottom_margin.twips) == (2098, 1984)
    assert (section.left_margin.twips, section.right_margin.twips) == (1587, 1474)
    # 信函格式: the 文号 at the right edge under the letterhead's red line, then the title with the agency name.
    number, title, addressee = doc.paragraphs[:3]
    assert number.text == "某县住建依公开〔2025〕3号" and number.alignment == 2
    assert number.style.name == "发文字号"
    assert title.text == "某县住房和城乡建设局\n政府信息公开申请答复书"  # 21 characters: broken after the name
    assert title.style.name == "Title"  # shown as “标题” in Chinese Word/WPS
    assert _style_value(title, lambda o: o.paragraph_format.alignment) == 1  # centred
    assert _east_asian_font(title) == "方正小标宋简体"
    assert title.style.font.size.pt == 22
    assert addressee.text == "张三：" and addressee.style.name == "主送"
    body = [p for p in doc.paragraphs[3:] if p.style.name == "Normal"]
    assert body
    for paragraph in body:
        assert _east_asian_font(paragraph) == "仿宋_GB2312"
        assert all(run.font.size is None for run in paragraph.runs)  # no direct formatting: the style rules
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # signature block: agency name centred over the date, the date four characters in, contact note last
    texts = [p.text for p in doc.paragraphs]
    assert texts[-3:] == [
        "某县住房和城乡建设局",
        "2025年3月28日",
        "（联系人：王明；联系电话：0527-12345678）",
    ]
    name, day, note = doc.paragraphs[-3:]
    assert (name.style.name, day.style.name, note.style.name) == ("落款", "成文日期", "附注")
    day_right = day.style.element.pPr.find(qn("w:ind")).get(qn("w:rightChars"))
    assert day_right == "400"
    # 2025年3月28日 is 6.5 characters wide (digits are half width), the name 10: 4 + (6.5 - 10) / 2 = 2.25.
    assert name._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "225"


def test_letterhead_in_red_with_the_double_line():
    doc = Document(io.BytesIO(render_document(make("reply", "disclosed"))))
    header = doc.sections[0].first_page_header
    assert [p.text for p in header.paragraphs] == ["某县住房和城乡建设局"]
    mark = header.paragraphs[0]
    assert mark.style.name == "发文机关标志"
    assert mark.style.font.color.rgb == RGBColor(0xFF, 0x00, 0x00)
    assert mark.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    border = mark.style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (border.get(qn("w:val")), border.get(qn("w:color"))) == ("thickThinSmallGap", "FF0000")


def test_letterhead_off_puts_the_number_under_the_title():
    agency = dataclasses.replace(AGENCY, letterhead=False)
    doc = Document(io.BytesIO(render_document(make("reply", "disclosed", agency=agency))))
    assert [p.text for p in doc.sections[0].first_page_header.paragraphs] == [""]
    assert [p.text for p in doc.paragraphs[:2]] == ["某县住房和城乡建设局\n政府信息公开申请答复书",
                                                     "某县住建依公开〔2025〕3号"]
    assert doc.paragraphs[1].style.name == "发文字号"
    assert _style_value(doc.paragraphs[1], lambda o: o.paragraph_format.alignment) == 1


def test_receipt_without_a_number_has_no_number_line():
    for letterhead in (True, False):
        agency = dataclasses.replace(AGENCY, letterhead=letterhead)
        doc = Document(io.BytesIO(render_document(make("receipt", doc_number="", agency=agency))))
        assert doc.paragraphs[0].text == "某县住房和城乡建设局\n政府信息公开申请接收回执"
        assert doc.paragraphs[1].text == "张三："
        assert "依公开" not in text(render_document(make("receipt", doc_number="", agency=agency)))


def test_long_title_breaks_after_the_agency_name():
    doc = Document(io.BytesIO(render_document(make("reply", "disclosed"))))
    assert doc.paragraphs[1].text == "某县住房和城乡建设局\n政府信息公开申请答复书"
    short = dataclasses.replace(AGENCY, name="某县财政局")
    doc = Document(io.BytesIO(render_document(make("reply", "disclosed", agency=short))))
    assert doc.paragraphs[1].text == "某县财政局政府信息公开申请答复书"
    assert "<w:br/>" not in doc.paragraphs[1]._p.xml


@pytest.mark.parametrize("code", TEMPLATE_KINDS)
def test_every_template_has_the_named_styles_and_fonts(code):
    path = default_template_dir() / KINDS[code].template
    doc = Document(path)
    names = {s.name for s in doc.styles}
    assert {"Normal", "Title", "落款", "成文日期", "附注", "主送", "发文字号", "发文机关标志", "表格文字"} <= names
    used = {p.style.name for p in doc.paragraphs if not p.text.startswith("{%p")}
    assert "Title" in used
    if not KINDS[code].internal and code != "service_receipt":  # 送达回证 is a form the applicant signs
        assert {"落款", "成文日期"} <= used
    with zipfile.ZipFile(path) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    for font, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")):
        assert f'w:name="{font}"' in fonts
        assert f'<w:altName w:val="{alt}"/>' in fonts.split(f'w:name="{font}"', 1)[1].split("</w:font>", 1)[0]


def test_draft_is_marked_has_no_number_and_a_blank_date():
    docx = render_document(make("reply", "disclosed", draft=True, issued_on=None))
    doc = Document(io.BytesIO(docx))
    headers = [doc.sections[0].first_page_header, doc.sections[0].header, doc.sections[0].even_page_header]
    for header in headers:
        assert "草　稿（未经签发，不得作为正式文书送达）" in [p.text for p in header.paragraphs]
    assert "依公开" not in text(docx)
    assert doc.paragraphs[0].text == "某县住房和城乡建设局\n政府信息公开申请答复书"
    assert [p.text for p in doc.paragraphs][-2] == "　　年　月　日"
    dated = Document(io.BytesIO(render_document(make("reply", "disclosed", draft=True))))
    assert [p.text for p in dated.paragraphs][-2] == "2025年3月28日"
    # an issued document is not marked
    plain = Document(io.BytesIO(render_document(make("reply", "disclosed"))))
    assert all("草" not in p.text for p in plain.sections[0].first_page_header.paragraphs)


def test_issued_document_needs_a_date():
    with pytest.raises(DocumentError, match="成文日期"):
        render_document(make("reply", "disclosed", issued_on=None))


def test_templates_are_built_from_the_script(tmp_path):
    """templates/docx/ is exactly what tools/build_templates.py produces (reviewable as code)."""
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for code in TEMPLATE_KINDS:
        name = KINDS[code].template
        assert (tmp_path / name).read_bytes() == (ROOT / "templates" / "docx" / name).read_bytes(), name


# --- templates: checking, overrides, variables -------------------------------------------------------------


@pytest.mark.parametrize("code", TEMPLATE_KINDS)
def test_default_templates_use_only_documented_variables(code):
    assert check_template(default_template_dir() / KINDS[code].template) == []


def _template(path: Path, *lines: str) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(path)
    return path


def test_misspelt_variable_is_reported_by_name(tmp_path):
    _template(tmp_path / "reply_withheld.docx", "{{ applicant_nmae }}：", "{{ remedy_clause }}")
    problems = check_template(tmp_path / "reply_withheld.docx")
    assert problems == ["未登记的变量：applicant_nmae（是否应为 applicant_name？）"]
    with pytest.raises(DocumentError, match="applicant_nmae"):
        render_document(make("reply", "withheld_process_info"), override_dir=tmp_path)


def test_misspelt_attribute_fails_strictly_at_render(tmp_path):
    # Attributes of a documented variable cannot be checked statically; StrictUndefined names them.
    _template(tmp_path / "review_sheet.docx", "{{ review_steps.legal_review.opinon }}")
    assert check_template(tmp_path / "review_sheet.docx") == []
    with pytest.raises(DocumentError, match="opinon"):
        render_document(make("review_sheet"), override_dir=tmp_path)


def test_syntax_error_is_reported_with_the_paragraph(tmp_path):
    _template(tmp_path / "receipt.docx", "您好", "{% if corrected_on %}补正{{ corrected_on }}")
    problems = check_template(tmp_path / "receipt.docx")
    assert len(problems) == 1 and problems[0].startswith("模板语法错误")
    assert "补正" in problems[0]
    with pytest.raises(DocumentError, match="模板语法错误"):
        render_document(make("receipt"), override_dir=tmp_path)


def test_not_a_docx_is_reported(tmp_path):
    (tmp_path / "receipt.docx").write_text("not a document")
    assert check_template(tmp_path / "receipt.docx") == ["不是有效的 Word 文档（.docx）"]


def test_check_is_redone_when_the_template_changes(tmp_path):
    path = _template(tmp_path / "receipt.docx", "{{ applicant_nmae }}")
    assert check_template(path)
    _template(path, "{{ applicant_name }}，您好，这是修改后的模板")
    assert check_template(path) == []


def test_agency_override_wins_for_its_kind_only(tmp_path):
    _template(tmp_path / "reply_withheld.docx", "本局自定义答复 {{ applicant_name }}", "{{ remedy_clause }}")
    assert template_path("reply", "withheld_state_secret", tmp_path) == tmp_path / "reply_withheld.docx"
    body = flat(render_document(make("reply", "withheld_state_secret"), override_dir=tmp_path))
    assert "本局自定义答复 张三" in body and FIRST_REMEDY in body
    # kinds the agency did not override come from the defaults
    assert template_path("receipt", None, tmp_path) == default_template_dir() / "receipt.docx"
    assert "政府信息公开申请接收回执" in flat(render_document(make("receipt"), override_dir=tmp_path))


def test_missing_override_folder_is_an_error(tmp_path):
    with pytest.raises(DocumentError, match="模板目录不存在"):
        template_path("receipt", None, tmp_path / "nowhere")


def test_reply_template_by_family():
    expected = {
        "disclosed": "reply_disclosed.docx",
        "partially_disclosed": "reply_partially_disclosed.docx",
        "withheld_third_party": "reply_withheld.docx",
        "unavailable_not_held": "reply_unavailable.docx",
        "not_processed_duplicate": "reply_not_processed.docx",
        "other_fee_unpaid": "reply_other.docx",
    }
    for outcome, name in expected.items():
        assert template_path("reply", outcome, None).name == name


def test_context_has_exactly_the_documented_variables():
    for kind, outcome in ALL_CASES:
        assert set(build_context(make(kind, outcome))) == set(DOCUMENTED_VARIABLES), (kind, outcome)


def test_documented_variables_match_docs_templates_md():
    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    section = doc.split("## 可用变量", 1)[1]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.+?) \|$", section, flags=re.MULTILINE))
    assert rows == DOCUMENTED_VARIABLES


# --- writing files -----------------------------------------------------------------------------------------


def test_write_atomically_replaces_whole_file(tmp_path):
    target = tmp_path / "答复书.docx"
    target.write_bytes(b"old")
    content = render_document(make("reply", "disclosed"))
    write_atomically(target, content)
    assert target.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["答复书.docx"]  # no temporary file left


def test_write_atomically_reports_an_unwritable_path(tmp_path):
    with pytest.raises(DocumentError, match="无法写入文件"):
        write_atomically(tmp_path / "missing-folder" / "a.docx", b"x")
    (tmp_path / "dir.docx").mkdir()
    with pytest.raises(DocumentError, match="无法写入文件"):
        write_atomically(tmp_path / "dir.docx", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.docx"]


# --- Chinese formatting ------------------------------------------------------------------------------------


def test_cn_date_has_no_leading_zeros():
    assert cn_date(date(2025, 3, 3)) == "2025年3月3日"
    assert cn_date(date(2024, 10, 12)) == "2024年10月12日"
    assert cn_date(None) == ""


def test_cn_yuan_and_capitals():
    assert cn_yuan(3000) == "3,000元"
    assert cn_yuan(4700) == "4,700元"
    assert cn_yuan(100) == "100元"
    assert _yuan_in_capitals(3000) == "叁仟元整"
    assert _yuan_in_capitals(4700) == "肆仟柒佰元整"
    assert _yuan_in_capitals(10005) == "壹万零伍元整"
    assert _yuan_in_capitals(30500) == "叁万零伍佰元整"
    assert _yuan_in_capitals(100) == "壹佰元整"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (10, "十"),
        (14, "十四"),
        (20, "二十"),
        (36, "三十六"),
        (42, "四十二"),
        (101, "一百零一"),
        (110, "一百一十"),
    ],
)
def test_cn_number(n, expected):
    assert cn_number(n) == expected


def test_article_citations():
    assert article_cn(36, item=3) == "第三十六条第（三）项"
    assert article_cn(16, paragraph=2) == "第十六条第二款"
    assert article_cn(29, paragraph=2, item=2) == "第二十九条第二款第（二）项"
    assert article_cn(42) == "第四十二条"
