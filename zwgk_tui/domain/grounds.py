"""Grounds for withholding a part of the requested information, as data with their citation (spec 09).

One row per ground code. ``decide --ground CODE`` records one withheld part per code; the reply and the review
sheet print each part with its statutory situation (``statement``), the evidence (``detail``, e.g. 密级和保密期限)
and the exact article (``citation``). Arts. 14–16 are the refusals that make reconsideration come before a suit
(复议法 Art. 23(1)(四); SPC 2025 Art. 1(二)); the other four codes are the grounds a partial disclosure may rest
on for the rest of the request (Art. 37 applies the reply rules of Art. 36 part by part).
"""

from __future__ import annotations

from dataclasses import dataclass

REGULATION = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class Ground:
    code: str
    citation: str  # exact article / paragraph / item
    statement: str  # the statutory situation, a predicate of "该部分信息…" / "您申请公开的政府信息…"
    verdict: str  # what the agency does with the part ("不予公开", "无法提供" …)
    arts_14_16: bool  # a refusal under Arts. 14–16 (复议前置)
    detail_label: str = ""  # the evidence this ground needs (SPC 2025 Arts. 5–6); "" = none required
    detail_format: str = "，{detail}"  # how the evidence follows the statement
    outcome: str = ""  # the withheld_* outcome a whole refusal on this ground is counted as
    label: str = ""  # short label for screens and choices
    # The `decide` option that must carry this ground's evidence when the decision is made (domain/decision.py),
    # and what that evidence is, for the message when it is missing. A ground whose statement suffices in the
    # letter may still need the clerk's reasons on record (the harm, the law, the third party's interest).
    detail_option: str | None = None
    detail_prompt: str = ""


GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground(
            "state_secret",
            REGULATION + "第十四条",
            "属于依法确定为国家秘密的政府信息",
            "不予公开",
            True,
            detail_label="密级和保密期限（密级标识）",
            detail_format="（密级和保密期限：{detail}）",
            outcome="withheld_state_secret",
            label="国家秘密",
            detail_option="secret_marking",
            detail_prompt="密级标识和保密期限（--secret-marking，如“机密★10年”）",
        ),
        Ground(
            "law_prohibited",
            REGULATION + "第十四条",
            "属于法律、行政法规禁止公开的政府信息",
            "不予公开",
            True,
            outcome="withheld_law_prohibited",
            label="法律、行政法规禁止公开",
            detail_option="reason",
            detail_prompt="禁止公开的法律、行政法规名称及条款（--reason）",
        ),
        Ground(
            "security_stability",
            REGULATION + "第十四条",
            "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
            "不予公开",
            True,
            outcome="withheld_security_stability",
            label="三安全一稳定",
            detail_option="reason",
            detail_prompt="公开可能造成的危害或者说明理由（--reason）",
        ),
        Ground(
            "third_party",
            REGULATION + "第十五条",
            "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
            "不予公开",
            True,
            outcome="withheld_third_party",
            label="第三方合法权益",
            detail_option="reason",
            detail_prompt="涉及的商业秘密、个人隐私等第三方权益（--reason）",
        ),
        Ground(
            "internal_affairs",
            REGULATION + "第十六条第一款",
            "属于行政机关的人事管理、后勤管理、内部工作流程等方面的内部事务信息",
            "不予公开",
            True,
            detail_label="信息类别（人事管理、后勤管理、内部工作流程）",
            detail_format="，具体为{detail}",
            outcome="withheld_internal_affairs",
            label="内部事务信息",
            detail_option="kind_of_info",
            detail_prompt="属于人事管理、后勤管理还是内部工作流程信息（--kind-of-info）",
        ),
        Ground(
            "process_info",
            REGULATION + "第十六条第二款",
            "属于行政机关在履行行政管理职能过程中形成的过程性信息",
            "不予公开",
            True,
            detail_label="信息类别（讨论记录、过程稿、磋商信函、请示报告）",
            detail_format="，具体为{detail}",
            outcome="withheld_process_info",
            label="过程性信息",
            detail_option="kind_of_info",
            detail_prompt="属于讨论记录、过程稿、磋商信函还是请示报告（--kind-of-info）",
        ),
        Ground(
            "enforcement_file",
            REGULATION + "第十六条第二款",
            "属于行政执法案卷信息",
            "不予公开",
            True,
            detail_label="信息类别（当事人信息、调查笔录、询问笔录等）",
            detail_format="，具体为{detail}",
            outcome="withheld_enforcement_file",
            label="行政执法案卷信息",
            detail_option="kind_of_info",
            detail_prompt="案卷中的何种材料，如调查笔录、询问笔录、当事人信息（--kind-of-info）",
        ),
        # Grounds for the rest of a partial disclosure (not refusals under Arts. 14–16).
        Ground(
            "not_held",
            REGULATION + "第三十六条第（四）项",
            "经检索，本机关未制作或者获取该政府信息",
            "无法提供",
            False,
            label="经检索不存在",
            detail_option="searched",
            detail_prompt="检索记录（--searched）",
        ),
        Ground(
            "not_this_agency",
            REGULATION + "第三十六条第（五）项",
            "不属于本机关负责公开的政府信息",
            "无法提供",
            False,
            label="不属于本机关负责公开",
            detail_option="responsible_agency",
            detail_prompt="负责公开的机关及其联系方式（--responsible-agency、--responsible-contact）",
        ),
        Ground(
            "needs_creation",
            REGULATION + "第三十八条",
            "需要本机关对现有政府信息进行加工、分析",
            "不予提供",
            False,
            label="需要另行制作",
        ),
        Ground(
            "inquiry_matter",
            REGULATION + "第三十六条第（七）项",
            "属于行政查询事项，有关法律、行政法规对该信息的获取有特别规定",
            "请依照有关法律、行政法规的规定办理",
            False,
            label="行政查询事项",
        ),
    )
}

GROUND_CODES: tuple[str, ...] = tuple(GROUNDS)
ARTS_14_16_GROUNDS = frozenset(code for code, g in GROUNDS.items() if g.arts_14_16)
# withheld_* outcome -> its ground (withheld_inquiry_matter is 36(七), not Arts. 14–16).
GROUND_OF_OUTCOME: dict[str, str] = {g.outcome: code for code, g in GROUNDS.items() if g.outcome}
