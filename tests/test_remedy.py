"""The remedy clause: built from the agency's settings and the outcome, never a hard-coded body (spec 05)."""

from __future__ import annotations

import pytest

from zwgk_tui.domain.codes import OUTCOMES, RECONSIDERATION_FIRST_OUTCOMES
from zwgk_tui.domain.remedy import (
    KINDS_WITH_REMEDY,
    RemedyError,
    notice_remedy_clause,
    reconsideration_first,
    remedy_clause,
    setting_hint,
)

BODY = "某县人民政府"
COURT = "某县人民法院"

GENERAL = (
    "如对本答复不服，可以自收到本答复之日起60日内向某县人民政府申请行政复议，"
    "也可以自收到本答复之日起6个月内向某县人民法院提起行政诉讼。"
)
FIRST = (
    "如对本答复不服，应当先自收到本答复之日起60日内向某县人民政府申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
)


def test_general_clause_exact_wording():
    assert remedy_clause("disclosed", BODY, COURT) == GENERAL


def test_reconsideration_first_exact_wording():
    assert remedy_clause("withheld_state_secret", BODY, COURT) == FIRST


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_every_outcome_gets_the_wording_the_law_requires(outcome):
    clause = remedy_clause(outcome, BODY, COURT)
    expected_first = outcome.startswith("withheld_") or outcome == "partially_disclosed"
    assert reconsideration_first(outcome) is expected_first
    assert clause == (FIRST if expected_first else GENERAL)
    assert "上级主管部门" not in clause
    assert "3个月" not in clause and "三个月" not in clause


def test_partial_disclosure_is_reconsideration_first_as_the_spec_says():
    assert "partially_disclosed" in RECONSIDERATION_FIRST_OUTCOMES
    assert remedy_clause("partially_disclosed", BODY, COURT) == FIRST


def test_reconsideration_first_needs_no_court():
    assert remedy_clause("withheld_third_party", BODY, "") == FIRST


@pytest.mark.parametrize("outcome", ["disclosed", "withheld_process_info"])
def test_missing_body_is_an_error_not_a_fallback(outcome):
    with pytest.raises(RemedyError, match="行政复议机关"):
        remedy_clause(outcome, "  ", COURT)


def test_missing_court_is_an_error_for_the_general_clause():
    with pytest.raises(RemedyError, match="人民法院"):
        remedy_clause("not_processed_duplicate", BODY, "")


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
    with pytest.raises(RemedyError, match="具体|全称"):
        remedy_clause("disclosed", body, COURT)


def test_court_must_be_a_court():
    with pytest.raises(RemedyError, match="人民法院全称"):
        remedy_clause("disclosed", BODY, "某县人民政府")


def test_setting_hint_names_the_command_and_agency():
    assert setting_hint("zj") == (
        "请先设置：zwgk-tui agency set zj --reconsideration-body 复议机关全称 --court 人民法院全称"
    )


def test_notices_with_a_remedy():
    assert set(KINDS_WITH_REMEDY) == {"fee_notice", "third_party_decision"}
    fee = notice_remedy_clause("fee_notice", BODY, COURT)
    assert fee == (
        "如对本通知不服，可以自收到本通知之日起60日内向某县人民政府申请行政复议，"
        "也可以自收到本通知之日起6个月内向某县人民法院提起行政诉讼。"
    )
    third = notice_remedy_clause("third_party_decision", BODY, COURT)
    assert third.startswith(
        "如对本机关的公开决定不服，可以自收到本告知书之日起60日内向某县人民政府申请行政复议"
    )
    assert "6个月内向某县人民法院提起行政诉讼" in third


@pytest.mark.parametrize(
    "kind",
    [
        "registration_form",
        "receipt",
        "correction_notice",
        "explanation_request",
        "extension_notice",
        "delay_notice",
        "third_party_consultation",
        "agency_consultation",
        "review_sheet",
    ],
)
def test_procedural_notices_carry_no_remedy(kind):
    # Even with no settings at all: a correction notice must not be blocked by a missing court.
    assert notice_remedy_clause(kind, "", "") == ""


def test_notice_with_remedy_needs_the_settings():
    with pytest.raises(RemedyError):
        notice_remedy_clause("fee_notice", "", COURT)
