"""Every outcome's reply, from a hand-built DocumentInput, against hand-written text: the decision with its
ground and article, the evidence (spec 09), the remedy clause; plus salutation, electronic service and the
review sheet. One case per outcome code (21), and the variants of 36(一), 36(五) and disclosure over an objection.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from docx import Document
from test_documents import AGENCY, APPLICANT, BASE, paragraphs, table_cells

from zwgk_tui.documents import DocumentError, DocumentInput, render_document
from zwgk_tui.documents.model import SearchRecord, WithheldPart
from zwgk_tui.documents.render import completeness_problems
from zwgk_tui.domain.codes import OUTCOMES

RECEIVED = (
    "本机关于2025年3月3日收到您提出的政府信息公开申请（登记编号：2025-0007）。"
    "您申请公开的内容为：“2024年度某县老旧小区改造项目的招标文件及中标通知书”。"
)
GENERAL = (
    "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议，"
    "也可以自收到本答复之日起6个月内向某县人民法院提起行政诉讼。"
)
FIRST = (
    "如对本答复不服，应当先自收到本答复之日起60日内向某县人民政府申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
)
ONLY = "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议。"


def reply(outcome: str, **changes) -> DocumentInput:
    return dataclasses.replace(BASE, kind="reply", outcome=outcome, **changes)


INPUTS: dict[str, DocumentInput] = {
    "disclosed": reply("disclosed"),
    "disclosed_published": reply(
        "disclosed", published_where="某县人民政府门户网站“政府信息公开”专栏", published_on=date(2025, 1, 10)
    ),
    "disclosed_objection": reply(
        "disclosed",
        consult_sent_on=date(2025, 3, 5),
        third_party_view="disagree",
        third_party_opinion="涉及投标报价",
        public_interest="该项目使用财政资金，中标价格关系公共利益",
    ),
    "partially_disclosed": reply(
        "partially_disclosed",
        provided_part="招标文件",
        withheld=(
            WithheldPart("中标通知书中投标人的身份证号码", "third_party"),
            WithheldPart("评标委员会的评审记录", "process_info", detail="评标过程中形成的讨论记录"),
        ),
    ),
    "withheld_state_secret": reply(
        "withheld_state_secret", withheld=(WithheldPart("", "state_secret", detail="机密★10年"),)
    ),
    "withheld_law_prohibited": reply(
        "withheld_law_prohibited",
        withheld=(
            WithheldPart(
                "", "law_prohibited", detail="《中华人民共和国统计法》第三十九条禁止泄露统计调查对象的个人信息"
            ),
        ),
    ),
    "withheld_security_stability": reply(
        "withheld_security_stability",
        withheld=(
            WithheldPart("", "security_stability", detail="该信息涉及供水设施的布防位置，公开后可能危及公共安全"),
        ),
    ),
    "withheld_third_party": reply(
        "withheld_third_party",
        consult_sent_on=date(2025, 3, 5),
        third_party_view="disagree",
        third_party_opinion="涉及商业秘密",
        withheld=(WithheldPart("", "third_party", detail="中标企业的成本测算资料属于商业秘密"),),
    ),
    "withheld_internal_affairs": reply(
        "withheld_internal_affairs",
        withheld=(WithheldPart("", "internal_affairs", detail="本机关干部考核的内部工作流程"),),
    ),
    "withheld_process_info": reply(
        "withheld_process_info", withheld=(WithheldPart("", "process_info", detail="2025年1月8日局务会讨论记录"),)
    ),
    "withheld_enforcement_file": reply(
        "withheld_enforcement_file",
        withheld=(WithheldPart("", "enforcement_file", detail="行政处罚案卷中的调查笔录和询问笔录"),),
    ),
    "withheld_inquiry_matter": reply(
        "withheld_inquiry_matter", reason="不动产登记资料的查询，依照《不动产登记资料查询暂行办法》办理。"
    ),
    "unavailable_not_held": reply(
        "unavailable_not_held",
        searches=(
            SearchRecord("本机关档案室文书档案", "老旧小区 招标", "李四", date(2025, 3, 12)),
            SearchRecord("本机关办公自动化系统", "中标通知书", "王五", date(2025, 3, 13)),
        ),
    ),
    "unavailable_not_this_agency": reply(
        "unavailable_not_held", responsible_agency="某县财政局", responsible_contact="某县人民路2号，0527-87654321"
    ),
    "unavailable_needs_creation": reply("unavailable_needs_creation"),
    "unavailable_unclear": reply(
        "unavailable_unclear", corrected_on=date(2025, 3, 12), clarified_content="老旧小区改造的有关文件"
    ),
    "not_processed_petition": reply("not_processed_petition"),
    "not_processed_duplicate": reply(
        "not_processed_duplicate",
        earlier_reply_number="某县住建依公开〔2025〕1号",
        earlier_reply_date=date(2025, 2, 10),
        earlier_case_number="2025-0002",
    ),
    "not_processed_publication": reply("not_processed_publication", provision_method="该年鉴可在某县图书馆查阅"),
    "not_processed_excessive": reply(
        "not_processed_excessive", explanation_requested_on=date(2025, 3, 5), explanation_answer="我需要了解全县情况"
    ),
    "not_processed_confirm_reissue": reply("not_processed_confirm_reissue"),
    "other_no_correction": reply("other_no_correction", correct_by=date(2025, 3, 21)),
    "other_fee_unpaid": reply("other_fee_unpaid", fee_payment_due=date(2025, 4, 30)),
    "other_other": reply("other_other", reason="您已于2025年3月10日书面撤回该申请，本机关终止办理"),
}

# The body of each reply between the receipt sentence and the remedy clause, as the applicant reads it.
DECISIONS: dict[str, list[str]] = {
    "disclosed": [
        "经审查，您申请公开的政府信息属于可以公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关决定予以公开。",
        "根据《中华人民共和国政府信息公开条例》第四十条的规定，现按照您申请时选择的邮寄方式，以纸质复印件形式向您提供该政府信息。",
    ],
    "disclosed_published": [
        "经审查，您申请公开的政府信息本机关已于2025年1月10日主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，现告知您获取该政府信息的方式和途径：您可以通过某县人民政府门户网站“政府信息公开”专栏获取。",
    ],
    "disclosed_objection": [
        "经审查，您申请公开的政府信息属于可以公开的政府信息。本机关已依法书面征求第三方的意见，第三方不同意公开。本机关认为不公开可能对公共利益造成重大影响，理由是：该项目使用财政资金，中标价格关系公共利益。根据《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（二）项的规定，本机关决定予以公开。",
        "根据《中华人民共和国政府信息公开条例》第四十条的规定，现按照您申请时选择的邮寄方式，以纸质复印件形式向您提供该政府信息。",
    ],
    "partially_disclosed": [
        "经审查，您申请公开的政府信息含有不应当公开的内容，但是能够作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关决定部分公开，具体如下：",
        "一、予以公开的部分：招标文件。根据《中华人民共和国政府信息公开条例》第四十条的规定，现按照您申请时选择的邮寄方式，以纸质复印件形式向您提供该政府信息。",
        "二、不予公开的部分及理由：",
        "（一）中标通知书中投标人的身份证号码：涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据《中华人民共和国政府信息公开条例》第十五条的规定，不予公开。",
        "（二）评标委员会的评审记录：属于行政机关在履行行政管理职能过程中形成的过程性信息，具体为评标过程中形成的讨论记录。根据《中华人民共和国政府信息公开条例》第十六条第二款的规定，不予公开。",
    ],
    "withheld_state_secret": [
        "经审查，您申请公开的政府信息属于依法确定为国家秘密的政府信息（密级和保密期限：机密★10年）。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_law_prohibited": [
        "经审查，您申请公开的政府信息属于法律、行政法规禁止公开的政府信息，《中华人民共和国统计法》第三十九条禁止泄露统计调查对象的个人信息。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_security_stability": [
        "经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，该信息涉及供水设施的布防位置，公开后可能危及公共安全。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_third_party": [
        "经审查，您申请公开的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，中标企业的成本测算资料属于商业秘密。本机关已依法书面征求第三方的意见，第三方不同意公开（涉及商业秘密）。根据《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_internal_affairs": [
        "经审查，您申请公开的政府信息属于行政机关的人事管理、后勤管理、内部工作流程等方面的内部事务信息，具体为本机关干部考核的内部工作流程。根据《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_process_info": [
        "经审查，您申请公开的政府信息属于行政机关在履行行政管理职能过程中形成的过程性信息，具体为2025年1月8日局务会讨论记录。根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_enforcement_file": [
        "经审查，您申请公开的政府信息属于行政执法案卷信息，具体为行政处罚案卷中的调查笔录和询问笔录。根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。",
    ],
    "withheld_inquiry_matter": [
        "经审查，您申请获取的信息属于行政查询事项，有关法律、行政法规对该信息的获取有特别规定。不动产登记资料的查询，依照《不动产登记资料查询暂行办法》办理。根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。",
    ],
    "unavailable_not_held": [
        "本机关对您申请公开的政府信息进行了检索：2025年3月12日由李四在本机关档案室文书档案中以“老旧小区 招标”"
        "为检索词进行检索；2025年3月13日由王五在本机关办公自动化系统中以“中标通知书”为检索词进行检索。"
        "经检索，本机关未制作或者获取您申请公开的政府信息。"
        "根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，现告知您：您申请公开的政府信息不存在。",
    ],
    "unavailable_not_this_agency": [
        "经审查，您申请公开的政府信息不属于本机关负责公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关为某县财政局，联系方式：某县人民路2号，0527-87654321，您可以向该机关提出申请。",
    ],
    "unavailable_needs_creation": [
        "经审查，本机关没有与您的申请相对应的现成政府信息，提供该信息需要本机关对现有政府信息进行加工、分析。根据《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予提供。",
    ],
    "unavailable_unclear": [
        "经审查，您补正后的申请内容仍不明确，本机关无法据此确定您所申请公开的政府信息。根据《中华人民共和国政府信息公开条例》第二十九条第二款第（二）项、第三十条的规定，本机关无法向您提供。您可以在明确所需政府信息的名称、文号或者其他特征性描述后重新提出申请。",
    ],
    "not_processed_petition": [
        "经审查，您的申请实质上是以政府信息公开申请的形式进行信访、投诉、举报等活动。根据《中华人民共和国政府信息公开条例》第三十九条第一款的规定，本机关不作为政府信息公开申请处理。您可以通过信访、投诉、举报等相应渠道提出。",
    ],
    "not_processed_duplicate": [
        "本机关已于2025年2月10日就您此前提出的政府信息公开申请（登记编号：2025-0002）作出答复（某县住建依公开〔2025〕1号）。经审查，您此次申请公开的是相同的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（六）项的规定，本机关不予重复处理。",
    ],
    "not_processed_publication": [
        "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据《中华人民共和国政府信息公开条例》第三十九条第二款的规定，现告知您获取的途径：该年鉴可在某县图书馆查阅。",
    ],
    "not_processed_excessive": [
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关于2025年3月5日要求您说明申请理由。您说明的理由为：“我需要了解全县情况”。经审查，本机关认为您的申请理由不合理。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予处理。",
    ],
    "not_processed_confirm_reissue": [
        "经审查，您的申请是要求本机关对您已经获取的信息予以确认或者重新出具，不属于获取政府信息的申请。根据《中华人民共和国政府信息公开条例》第二条的规定，本机关不作为政府信息公开申请处理。",
    ],
    "other_no_correction": [
        "本机关已书面告知您需要补正的事项和补正期限（2025年3月21日前）。您无正当理由逾期未补正。根据《中华人民共和国政府信息公开条例》第三十条的规定，您的申请视为放弃，本机关不再处理该政府信息公开申请。",
    ],
    "other_fee_unpaid": [
        "本机关已向您发出政府信息公开信息处理费收费通知书，您未在收到通知书次日起20个工作日内（2025年4月30日前）缴纳费用。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，您的申请视为放弃，本机关不再处理该政府信息公开申请。",
    ],
    "other_other": [
        "您已于2025年3月10日书面撤回该申请，本机关终止办理。",
    ],
}

REMEDIES: dict[str, str] = {
    "disclosed": GENERAL,
    "disclosed_published": GENERAL,
    "disclosed_objection": GENERAL,
    "partially_disclosed": FIRST,  # its withheld parts rest on Arts. 15 and 16
    "withheld_state_secret": FIRST,
    "withheld_law_prohibited": FIRST,
    "withheld_security_stability": FIRST,
    "withheld_third_party": FIRST,
    "withheld_internal_affairs": FIRST,
    "withheld_process_info": FIRST,
    "withheld_enforcement_file": FIRST,
    "withheld_inquiry_matter": ONLY,
    "unavailable_not_held": GENERAL,
    "unavailable_not_this_agency": GENERAL,
    "unavailable_needs_creation": ONLY,
    "unavailable_unclear": GENERAL,
    "not_processed_petition": ONLY,
    "not_processed_duplicate": ONLY,
    "not_processed_publication": ONLY,
    "not_processed_excessive": GENERAL,
    "not_processed_confirm_reissue": GENERAL,
    "other_no_correction": GENERAL,
    "other_fee_unpaid": GENERAL,
    "other_other": GENERAL,
}


def test_every_outcome_code_has_a_case():
    assert {data.outcome for data in INPUTS.values()} == set(OUTCOMES)
    assert set(INPUTS) == set(DECISIONS) == set(REMEDIES)


@pytest.mark.parametrize("case", sorted(INPUTS))
def test_reply_states_decision_evidence_article_and_remedy(case):
    paras = paragraphs(render_document(INPUTS[case]))
    start = paras.index("张三：")
    if case == "unavailable_unclear":
        assert paras[start + 1] == (
            "本机关于2025年3月3日收到您提出的政府信息公开申请（登记编号：2025-0007），并于2025年3月12日收到您补正后"
            "的申请。补正后的申请内容为：“老旧小区改造的有关文件”。"
        )
    else:
        assert paras[start + 1] == RECEIVED
    remedy = paras.index(REMEDIES[case])
    assert paras[start + 2 : remedy] == DECISIONS[case]
    assert paras[remedy + 1 :] == ["某县住房和城乡建设局", "2025年3月28日", "（联系人：王明；联系电话：0527-12345678）"]
    assert completeness_problems(INPUTS[case]) == []


# --- evidence the reply may not assert without ----------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "changes", "message"),
    [
        ("not_processed_duplicate", {"earlier_reply_number": ""}, "此前答复的文号和日期"),
        ("not_processed_duplicate", {"earlier_reply_date": None}, "此前答复的文号和日期"),
        ("not_processed_excessive", {"explanation_requested_on": None}, "explanation-request"),
        ("not_processed_excessive", {"explanation_answer": ""}, "逾期未说明"),
        ("unavailable_not_this_agency", {"responsible_contact": ""}, "联系方式"),
        ("disclosed_objection", {"public_interest": ""}, "公共利益理由"),
        ("withheld_state_secret", {"withheld": (WithheldPart("", "state_secret"),)}, "密级和保密期限"),
        ("withheld_process_info", {"withheld": (WithheldPart("", "process_info"),)}, "讨论记录、过程稿"),
        ("withheld_enforcement_file", {"withheld": (WithheldPart("", "enforcement_file"),)}, "调查笔录"),
        ("withheld_internal_affairs", {"withheld": (WithheldPart("", "internal_affairs"),)}, "人事管理"),
        ("partially_disclosed", {"withheld": (WithheldPart("", "third_party"),)}, "不予公开的部分是什么"),
        ("unavailable_not_held", {"searches": (SearchRecord(""),)}, "检索范围"),
        ("withheld_process_info", {"withheld": (WithheldPart("", "secret"),)}, "未知的不予公开依据代码：secret"),
    ],
)
def test_missing_evidence_is_refused_naming_it(case, changes, message):
    data = dataclasses.replace(INPUTS[case], **changes)
    with pytest.raises(DocumentError, match=message):
        render_document(data)
    assert any(message.split("：")[0] in problem for problem in completeness_problems(data))


def test_excessive_with_a_lapsed_explanation():
    data = dataclasses.replace(INPUTS["not_processed_excessive"], explanation_answer="", explanation_lapsed=True)
    paras = paragraphs(render_document(data))
    assert (
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关于2025年3月5日要求您说明申请理由。您未在规定期限内"
        "说明理由，本机关认为您的申请理由不合理。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予"
        "处理。"
    ) in paras


def test_not_held_without_a_search_record_does_not_claim_a_search():
    # An older decision: the reply does not assert a search that is not on record.
    paras = paragraphs(render_document(reply("unavailable_not_held")))
    assert (
        "经审查，本机关未制作或者获取您申请公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（四）项"
        "的规定，现告知您：您申请公开的政府信息不存在。"
    ) in paras
    assert not any("经检索" in p for p in paras)


def test_several_withheld_grounds_on_a_whole_refusal():
    data = reply(
        "withheld_third_party",
        withheld=(
            WithheldPart("投标人的身份证号码", "third_party"),
            WithheldPart("评标专家名单", "state_secret", detail="秘密★5年"),
        ),
    )
    paras = paragraphs(render_document(data))
    start = paras.index(RECEIVED)
    assert paras[start + 1 : start + 5] == [
        "经审查，您申请公开的政府信息含有下列不予公开的内容：",
        (
            "（一）投标人的身份证号码：涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据《中华人民共和国"
            "政府信息公开条例》第十五条的规定，不予公开。"
        ),
        (
            "（二）评标专家名单：属于依法确定为国家秘密的政府信息（密级和保密期限：秘密★5年）。根据《中华人民共和国"
            "政府信息公开条例》第十四条的规定，不予公开。"
        ),
        "根据《中华人民共和国政府信息公开条例》第十五条、第十四条、第三十六条第（三）项的规定，本机关决定不予公开。",
    ]
    assert paras[start + 5] == FIRST


def test_partial_disclosure_on_other_grounds_keeps_the_general_clause():
    data = reply(
        "partially_disclosed",
        provided_part="招标文件",
        withheld=(WithheldPart("2019年的中标通知书", "not_held"),),
        searches=(SearchRecord("本机关档案室2019年文书档案", "中标通知书", "李四", date(2025, 3, 12)),),
    )
    paras = paragraphs(render_document(data))
    assert (
        "（一）2019年的中标通知书：经检索，本机关未制作或者获取该政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（四）项的规定，无法提供。"
    ) in paras
    assert (
        "本机关对您申请公开的政府信息进行了检索：2025年3月12日由李四在本机关档案室2019年文书档案中以“中标通知书”"
        "为检索词进行检索。"
    ) in paras
    assert GENERAL in paras and FIRST not in paras


def test_responsible_agency_unknown_says_why():
    data = reply(
        "unavailable_not_held",
        not_this_agency=True,
        responsible_unknown_reason="该信息涉及多个部门的职责，本机关无法确定其制作机关",
    )
    assert (
        "经审查，您申请公开的政府信息不属于本机关负责公开的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关无法确定，原因是：该信息涉及多个部门的"
        "职责，本机关无法确定其制作机关。"
    ) in paragraphs(render_document(data))


# --- addressing, electronic service --------------------------------------------------------------------------


def test_an_organisation_is_addressed_as_guidanwei():
    company = dataclasses.replace(APPLICANT, name="某建筑工程有限公司", type="business")
    paras = paragraphs(render_document(dataclasses.replace(INPUTS["unavailable_not_held"], applicant=company)))
    assert "某建筑工程有限公司：" in paras
    assert (
        "本机关于2025年3月3日收到贵单位提出的政府信息公开申请（登记编号：2025-0007）。"
        "贵单位申请公开的内容为：“2024年度某县老旧小区改造项目的招标文件及中标通知书”。"
    ) in paras
    assert any(p.endswith("现告知贵单位：贵单位申请公开的政府信息不存在。") for p in paras)
    assert not any("您" in p for p in paras)
    assert not any("您（单位）" in p for p in paragraphs(render_document(INPUTS["disclosed"])))


def test_a_person_is_addressed_as_nin():
    paras = paragraphs(render_document(INPUTS["disclosed"]))
    assert RECEIVED in paras and not any("贵单位" in p for p in paras)


ONLINE = "某县人民政府行政复议网上申请平台（https://fy.example.gov.cn）"


@pytest.mark.parametrize("method", ["email", "online"])
@pytest.mark.parametrize("case", sorted(INPUTS))
def test_electronic_service_gives_the_online_channel(case, method):
    agency = dataclasses.replace(AGENCY, reconsideration_online=ONLINE)
    data = dataclasses.replace(INPUTS[case], agency=agency, service_method=method)
    paras = paragraphs(render_document(data))
    assert REMEDIES[case] + "行政复议申请也可以通过互联网提交（" + ONLINE + "）。" in paras


@pytest.mark.parametrize("method", ["in_person", "post", "fax", "courier", ""])
def test_other_service_gives_no_online_channel(method):
    agency = dataclasses.replace(AGENCY, reconsideration_online=ONLINE)
    data = dataclasses.replace(INPUTS["disclosed"], agency=agency, service_method=method)
    paras = paragraphs(render_document(data))
    assert GENERAL in paras and not any("互联网提交" in p for p in paras)


def test_electronic_service_without_the_channel_is_refused_naming_the_setting():
    data = dataclasses.replace(INPUTS["withheld_process_info"], service_method="email")
    with pytest.raises(DocumentError) as caught:
        render_document(data)
    message = str(caught.value)
    assert "第二十二条第二款" in message and "reconsideration_online" in message
    assert "zwgk-tui agency set zj --reconsideration-online" in message


def test_electronic_service_of_a_procedural_notice_needs_no_channel():
    data = dataclasses.replace(
        BASE, kind="extension_notice", extension_days=20, extended_due=date(2025, 4, 29), service_method="email"
    )
    assert "本机关将于2025年4月29日前作出答复" in "".join(paragraphs(render_document(data)))


# --- agency rules ------------------------------------------------------------------------------------------


def test_agency_overrides_change_the_clause():
    agency = dataclasses.replace(AGENCY, remedy_overrides="not_processed_duplicate=general")
    paras = paragraphs(render_document(dataclasses.replace(INPUTS["not_processed_duplicate"], agency=agency)))
    assert GENERAL in paras and ONLY not in paras


def test_justice_bureau_gives_both_bodies():
    agency = dataclasses.replace(
        AGENCY, name="某县司法局", kind="justice_bureau", second_reconsideration_body="某市司法局"
    )
    paras = paragraphs(render_document(dataclasses.replace(INPUTS["disclosed"], agency=agency)))
    assert (
        "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府或者某市司法局申请行政复议，"
        "也可以自收到本答复之日起6个月内向某县人民法院提起行政诉讼。"
    ) in paras
    # a second body is ignored for other kinds (the settings refuse it anyway)
    department = dataclasses.replace(agency, kind="department")
    assert GENERAL in paragraphs(render_document(dataclasses.replace(INPUTS["disclosed"], agency=department)))


def test_fee_notice_clause_is_an_agency_setting():
    fee = {
        "kind": "fee_notice",
        "fee_method": "per_request",
        "fee_quantity": 35,
        "fee_amount": 3000,
        "fee_payment_route": "通过非税收入缴款码缴入国库",
    }
    plain = "".join(paragraphs(render_document(dataclasses.replace(BASE, **fee))))
    assert "行政复议" not in plain and "行政诉讼" not in plain
    agency = dataclasses.replace(AGENCY, fee_notice_remedy="reconsideration")
    paras = paragraphs(render_document(dataclasses.replace(BASE, agency=agency, **fee)))
    assert "如对本通知不服，可以自收到本通知之日起60日内向某县人民政府申请行政复议。" in paras
    assert not any("行政诉讼" in p for p in paras)


# --- the other side's periods ---------------------------------------------------------------------------


def test_periods_print_a_last_day_only_when_service_is_known():
    consult = dataclasses.replace(BASE, kind="third_party_consultation", consult_to="某建筑工程有限公司")
    text = "".join(paragraphs(render_document(consult)))
    assert "请贵单位自收到本征求意见书之日起15个工作日内向本机关提出是否同意公开的书面意见" in text
    served = "".join(paragraphs(render_document(dataclasses.replace(consult, consult_due=date(2025, 4, 1)))))
    assert "请贵单位自收到本征求意见书之日起15个工作日内（2025年4月1日前）向本机关提出" in served

    fee = dataclasses.replace(
        BASE,
        kind="fee_notice",
        fee_method="per_request",
        fee_quantity=35,
        fee_amount=3000,
        fee_payment_route="通过非税收入缴款码缴入国库",
    )
    assert any(
        p.startswith("五、缴纳期限：请您自收到本通知次日起20个工作日内缴纳。逾期未缴纳的")
        for p in paragraphs(render_document(fee))
    )

    correction = dataclasses.replace(
        BASE, kind="correction_notice", correction_items="请写明项目名称。", correction_days=10
    )
    assert any(
        p.startswith("请您自收到本告知书之日起10个工作日内向本机关提交补正后的申请。")
        for p in paragraphs(render_document(correction))
    )


def test_a_person_as_third_party_is_addressed_as_nin():
    consult = dataclasses.replace(BASE, kind="third_party_consultation", consult_to="李某某")
    text = "".join(paragraphs(render_document(consult)))
    assert "可能损害您的合法权益" in text and "贵单位" not in text


def test_third_party_decision_states_the_view_and_the_public_interest():
    data = dataclasses.replace(
        BASE,
        kind="third_party_decision",
        consult_to="某建筑工程有限公司",
        consult_sent_on=date(2025, 3, 5),
        third_party_view="disagree",
        third_party_opinion="涉及投标报价，属于商业秘密",
        public_interest="该项目使用财政资金，中标价格关系公共利益",
    )
    paras = paragraphs(render_document(data))
    assert (
        "本机关于2025年3月5日就一份政府信息公开申请（登记编号：2025-0007）所涉政府信息书面征求了贵单位的意见。"
        "贵单位不同意公开，具体意见为：涉及投标报价，属于商业秘密。"
    ) in paras
    assert "二、决定公开的理由：该项目使用财政资金，中标价格关系公共利益。" in paras
    silent = paragraphs(render_document(dataclasses.replace(data, third_party_view="none", third_party_opinion="")))
    assert any("贵单位未在规定期限内提出意见。" in p for p in silent)


def test_delay_notice_states_the_recorded_request():
    data = dataclasses.replace(
        BASE,
        kind="delay_notice",
        delay_until=date(2025, 6, 30),
        explanation_requested_on=date(2025, 3, 5),
        explanation_answer="用于课题研究",
    )
    assert (
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关于2025年3月5日要求您说明申请理由，您已说明理由。"
        "经审查，本机关认为您的申请理由合理，但无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。"
        "根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关确定延迟答复的期限为2025年6月30日前，"
        "届时将依法作出答复。"
    ) in paragraphs(render_document(data))
    with pytest.raises(DocumentError, match="explanation-request"):
        render_document(dataclasses.replace(data, explanation_requested_on=None))


def test_explanation_request_notice_period():
    data = dataclasses.replace(BASE, kind="explanation_request", explanation_days=10)
    assert any(
        "请您自收到本告知书之日起10个工作日内以书面形式向本机关说明申请理由。" in p
        for p in paragraphs(render_document(data))
    )


# --- the review sheet ----------------------------------------------------------------------------------------


def test_review_sheet_prints_the_evidence_with_citations_and_the_remedy_basis():
    data = dataclasses.replace(
        INPUTS["partially_disclosed"],
        kind="review_sheet",
        searches=(SearchRecord("本机关档案室文书档案", "招标", "李四", date(2025, 3, 12)),),
    )
    cells = "\n".join(table_cells(Document(io.BytesIO(render_document(data)))))
    assert (
        "不予公开：（一）中标通知书中投标人的身份证号码：涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。"
        "根据《中华人民共和国政府信息公开条例》第十五条的规定，不予公开。"
    ) in cells
    assert "第十六条第二款的规定，不予公开。" in cells
    assert "检索：2025年3月12日由李四在本机关档案室文书档案中以“招标”为检索词进行检索" in cells
    assert FIRST in cells
    assert (
        "（依据：《中华人民共和国行政复议法》第二十三条第一款第（四）项、第二款；法释〔2025〕8号第一条第（二）项）"
        in cells
    )


def test_review_sheet_shows_why_the_reply_cannot_yet_be_issued():
    agency = dataclasses.replace(AGENCY, reconsideration_body="")
    data = dataclasses.replace(INPUTS["disclosed"], kind="review_sheet", agency=agency)
    cells = "\n".join(table_cells(Document(io.BytesIO(render_document(data)))))
    assert "（答复的救济途径尚不能生成：本机关尚未设置行政复议机关" in cells
