"""The remedy clause: a table outcome by outcome (spec 09), changed only by agency settings, never hard-coded."""

from __future__ import annotations

import pytest

from zwgk_tui.domain.codes import OUTCOMES
from zwgk_tui.domain.remedy import (
    PARTIAL_ARTS_14_16,
    REMEDY_RULES,
    Clause,
    RemedyError,
    RemedySettings,
    body_warnings,
    check_body,
    effective_rule,
    override_warnings,
    parse_overrides,
    remedy_clause,
    remedy_subject,
    remedy_text,
    setting_hint,
)

BODY = "某县人民政府"
COURT = "某县人民法院"
SETTINGS = RemedySettings(BODY, COURT)

GENERAL = (
    "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议，"
    "也可以自收到本答复之日起6个月内向某县人民法院提起行政诉讼。"
)
FIRST = (
    "如对本答复不服，应当先自收到本答复之日起60日内向某县人民政府申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
)
ONLY = "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议。"

# The table of spec 09, written out by hand: outcome -> clause.
EXPECTED: dict[str, str] = {
    "disclosed": GENERAL,
    "partially_disclosed": GENERAL,  # withheld on other grounds (see the partial tests below)
    "withheld_state_secret": FIRST,
    "withheld_law_prohibited": FIRST,
    "withheld_security_stability": FIRST,
    "withheld_third_party": FIRST,
    "withheld_internal_affairs": FIRST,
    "withheld_process_info": FIRST,
    "withheld_enforcement_file": FIRST,
    "withheld_inquiry_matter": ONLY,  # 36(七) is not a refusal under Arts. 14-16; courts do not hear it
    "unavailable_not_held": GENERAL,
    "unavailable_needs_creation": ONLY,  # Art. 38
    "unavailable_unclear": GENERAL,
    "not_processed_petition": ONLY,  # Art. 39
    "not_processed_duplicate": ONLY,  # repeat request
    "not_processed_publication": ONLY,
    "not_processed_excessive": GENERAL,
    "not_processed_confirm_reissue": GENERAL,
    "other_no_correction": GENERAL,
    "other_fee_unpaid": GENERAL,
    "other_other": GENERAL,
}


def test_the_table_covers_every_outcome():
    assert set(EXPECTED) == set(OUTCOMES)
    assert set(OUTCOMES) <= set(REMEDY_RULES)


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_every_outcome_gets_the_clause_of_spec_09(outcome):
    subject = remedy_subject("reply", outcome, ["not_held"] if outcome == "partially_disclosed" else [])
    clause = remedy_text(subject, SETTINGS)
    assert clause == EXPECTED[outcome]
    assert "上级主管部门" not in clause
    assert "3个月" not in clause and "三个月" not in clause


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_every_rule_names_its_basis(outcome):
    basis = REMEDY_RULES[outcome].basis
    assert "行政复议法" in basis or "法释〔2025〕8号" in basis
    if EXPECTED[outcome] == FIRST:
        assert "第二十三条第一款第（四）项" in basis and "第一条第（二）项" in basis
    if EXPECTED[outcome] == ONLY:
        assert "法释〔2025〕8号第十条" in basis


@pytest.mark.parametrize(
    ("grounds", "expected"),
    [
        (["third_party"], FIRST),
        (["not_held", "state_secret"], FIRST),  # any part on Arts. 14-16
        (["process_info"], FIRST),
        (["not_held"], GENERAL),
        (["not_this_agency", "needs_creation"], GENERAL),
        (["inquiry_matter"], GENERAL),
        ([], FIRST),  # older decisions without grounds: the reconsideration-first wording they always had
    ],
)
def test_partial_disclosure_depends_on_the_withheld_grounds(grounds, expected):
    subject = remedy_subject("reply_partially_disclosed", "partially_disclosed", grounds)
    assert (subject == PARTIAL_ARTS_14_16) is (expected == FIRST)
    assert remedy_text(subject, SETTINGS) == expected


def test_reconsideration_first_and_only_need_no_court():
    assert remedy_text("withheld_third_party", RemedySettings(BODY, "")) == FIRST
    assert remedy_text("not_processed_duplicate", RemedySettings(BODY, "")) == ONLY


@pytest.mark.parametrize(
    "kind",
    [
        "receipt",
        "correction_notice",
        "explanation_request",
        "extension_notice",
        "delay_notice",
        "third_party_consultation",
        "agency_consultation",
    ],
)
def test_procedural_notices_carry_no_remedy(kind):
    # Even with no settings at all: a correction notice must not be blocked by a missing court.
    assert remedy_text(kind, RemedySettings("", "")) == ""
    assert "第十条第（二）项" in REMEDY_RULES[kind].basis


def test_fee_notice_offers_no_suit():
    assert remedy_text("fee_notice", SETTINGS, document="fee_notice") == ""
    assert "第十条第（三）项" in REMEDY_RULES["fee_notice"].basis
    with_setting = RemedySettings(BODY, COURT, fee_notice_remedy="reconsideration")
    assert remedy_text("fee_notice", with_setting, document="fee_notice") == (
        "如对本通知不服，可以自收到本通知之日起60日内向某县人民政府申请行政复议。"
    )


def test_fee_notice_cannot_be_overridden_to_a_suit():
    with pytest.raises(RemedyError, match="--fee-notice-remedy"):
        parse_overrides("fee_notice=general")


def test_third_party_decision_keeps_the_general_clause():
    assert remedy_text("third_party_decision", SETTINGS, document="third_party_decision") == (
        "如对本机关的公开决定不服，可以自收到本告知书之日起60日内向某县人民政府申请行政复议，"
        "也可以自收到本告知书之日起6个月内向某县人民法院提起行政诉讼。"
    )


ONLINE = "某县人民政府行政复议网上申请平台 https://fy.example.gov.cn"


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_electronic_service_adds_the_online_channel(outcome):
    subject = remedy_subject("reply", outcome, ["not_held"] if outcome == "partially_disclosed" else [])
    settings = RemedySettings(BODY, COURT, online=ONLINE)
    assert remedy_text(subject, settings, electronic=True) == (
        EXPECTED[outcome] + "行政复议申请也可以通过互联网提交（某县人民政府行政复议网上申请平台 https://fy.example.gov.cn）。"
    )
    assert remedy_text(subject, settings, electronic=False) == EXPECTED[outcome]


def test_electronic_service_without_the_channel_is_refused():
    with pytest.raises(RemedyError, match=r"第二十二条第二款.*reconsideration_online"):
        remedy_text("disclosed", SETTINGS, electronic=True)


def test_no_clause_needs_no_channel():
    assert remedy_text("correction_notice", SETTINGS, electronic=True) == ""


def test_justice_bureau_names_both_bodies():
    settings = RemedySettings("某县人民政府", COURT, second_body="某市司法局")
    assert remedy_text("withheld_process_info", settings) == (
        "如对本答复不服，应当先自收到本答复之日起60日内向某县人民政府或者某市司法局申请行政复议；"
        "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
    )


def test_overrides_are_data():
    overrides = parse_overrides("not_processed_duplicate=general; withheld_inquiry_matter = reconsideration_first")
    assert overrides == {
        "not_processed_duplicate": Clause.GENERAL,
        "withheld_inquiry_matter": Clause.RECONSIDERATION_FIRST,
    }
    settings = RemedySettings(BODY, COURT, overrides=overrides)
    assert remedy_text("not_processed_duplicate", settings) == GENERAL
    assert remedy_text("withheld_inquiry_matter", settings) == FIRST
    assert remedy_text("not_processed_petition", settings) == ONLY  # untouched rows keep the table
    rule = effective_rule("not_processed_duplicate", overrides)
    assert rule.clause is Clause.GENERAL and "机关设置已调整" in rule.basis
    warnings = override_warnings(overrides)
    assert len(warnings) == 2 and "not_processed_duplicate" in warnings[0]
    assert override_warnings(parse_overrides("disclosed=general")) == []  # same as the table: nothing to say


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("duplicate=general", "不是处理结果代码"),
        ("disclosed=sue", "告知方式“sue”无效"),
        ("disclosed", "应写作"),
    ],
)
def test_bad_overrides_are_refused_with_the_rule(text, message):
    with pytest.raises(RemedyError, match=message):
        parse_overrides(text)


@pytest.mark.parametrize("outcome", ["disclosed", "withheld_process_info"])
def test_missing_body_is_an_error_not_a_fallback(outcome):
    with pytest.raises(RemedyError, match="行政复议机关"):
        remedy_clause(outcome, "  ", COURT)


def test_missing_court_is_an_error_for_the_general_clause():
    with pytest.raises(RemedyError, match="人民法院"):
        remedy_clause("not_processed_excessive", BODY, "")


@pytest.mark.parametrize(
    "body",
    [
        "上级主管部门或者本级人民政府",
        "某县人民政府或者某市住房和城乡建设局",
        "上一级主管部门",
        "本级人民政府",
    ],
)
def test_obsolete_or_generic_bodies_are_refused(body):
    with pytest.raises(RemedyError, match=r"具体|全称"):
        check_body(body)


def test_court_must_be_a_court():
    with pytest.raises(RemedyError, match="人民法院全称"):
        remedy_clause("disclosed", BODY, "某县人民政府")


def test_setting_hint_names_the_command_and_agency():
    assert setting_hint("zj") == (
        "请先设置：zwgk-tui agency set zj --reconsideration-body 复议机关全称 --court 人民法院全称"
    )


# --- who hears the reconsideration (复议法 Arts. 24, 27, 28): warnings, never refusals -----------------------


def test_a_department_naming_a_city_bureau_is_warned():
    warnings = body_warnings("department", "某县自然资源局", "某市自然资源局")
    assert len(warnings) == 1
    assert "“某市自然资源局”不是人民政府" in warnings[0] and "第二十四条" in warnings[0]


def test_a_department_naming_its_government_is_fine():
    assert body_warnings("department", "某县自然资源局", "某县人民政府") == []


def test_a_vertical_agency_names_its_superior_department():
    assert body_warnings("vertical", "某县税务局", "某市税务局") == []
    assert "第二十七条" in body_warnings("vertical", "某县税务局", "某县人民政府")[0]


def test_a_government_cannot_name_itself():
    warnings = body_warnings("government", "某县人民政府", "某县人民政府")
    assert any("不能是本机关自己" in w for w in warnings)
    assert body_warnings("government", "某县人民政府", "某市人民政府") == []


def test_justice_bureau_two_bodies():
    assert body_warnings("justice_bureau", "某县司法局", "某县人民政府", "某市司法局") == []
    assert "--second-reconsideration-body" in body_warnings("justice_bureau", "某县司法局", "某县人民政府")[0]
    assert "上一级司法行政部门" in body_warnings("justice_bureau", "某县司法局", "某县人民政府", "某市财政局")[0]
