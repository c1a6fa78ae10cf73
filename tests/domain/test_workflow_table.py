"""The stage machine as a table: every (stage, step) pair allowed or refused, and where it leads."""

from __future__ import annotations

import pytest

from zwgk_tui.domain.workflow import (
    STEPS,
    ReviewSettings,
    StepNotAllowed,
    allowed_actions,
    required_roles,
    target_stage,
)

STAGES = ["registered", "correction_requested", "drafting", "consulting", "awaiting_fee", "office_review",
          "legal_review", "sign_off", "delivering", "closed"]

# stage → {action: target} for every allowed step (default settings: office and legal review on).
# Written out by hand from spec 03; everything not listed is refused.
_ANY = {"correct-date", "amend", "served", "remedy"}  # records about the case, allowed in every stage


def _with_any(stage: str, table: dict[str, str]) -> dict[str, str]:
    return {**table, **{a: stage for a in _ANY}}


ALLOWED = {
    "registered": _with_any("registered", {
        "request-correction": "correction_requested", "consult": "consulting", "fee-notice": "awaiting_fee",
        "extend": "registered", "delay": "registered", "decide": "drafting", "withdraw": "closed",
        "explanation-request": "registered", "explanation-answered": "registered",
    }),
    "correction_requested": _with_any("correction_requested", {
        "correction-received": "drafting", "correction-lapsed": "closed", "withdraw": "closed",
    }),
    "drafting": _with_any("drafting", {
        "request-correction": "correction_requested", "consult": "consulting", "fee-notice": "awaiting_fee",
        "extend": "drafting", "delay": "drafting", "decide": "drafting", "submit": "office_review",
        "withdraw": "closed", "explanation-request": "drafting", "explanation-answered": "drafting",
    }),
    "consulting": _with_any("consulting", {
        "consult-answered": "drafting", "extend": "consulting", "delay": "consulting", "withdraw": "closed",
    }),
    "awaiting_fee": _with_any("awaiting_fee", {
        "fee-paid": "drafting", "fee-lapsed": "closed", "extend": "awaiting_fee", "delay": "awaiting_fee",
        "withdraw": "closed",
    }),
    "office_review": _with_any("office_review", {
        "approve": "legal_review", "return": "drafting", "extend": "office_review", "delay": "office_review",
        "withdraw": "closed",
    }),
    "legal_review": _with_any("legal_review", {
        "approve": "sign_off", "return": "drafting", "extend": "legal_review", "delay": "legal_review",
        "withdraw": "closed",
    }),
    "sign_off": _with_any("sign_off", {
        "sign": "delivering", "return": "drafting", "extend": "sign_off", "delay": "sign_off", "withdraw": "closed",
    }),
    # A signed reply found wrong before it goes out is sent back (issue 10), never delivered falsely.
    "delivering": _with_any("delivering", {
        "deliver": "closed", "return": "drafting", "extend": "delivering", "delay": "delivering",
        "withdraw": "closed",
    }),
    "closed": _with_any("closed", {"reopen": "drafting"}),
}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("action", sorted(STEPS))
def test_every_stage_action_pair(stage, action):
    expected = ALLOWED[stage].get(action)
    if expected is None:
        with pytest.raises(StepNotAllowed) as info:
            target_stage(stage, action)
        # the message names the current stage and what is allowed
        assert stage in str(info.value) and "当前允许" in str(info.value)
        assert action not in allowed_actions(stage)
    else:
        assert target_stage(stage, action) == expected
        assert action in allowed_actions(stage)


@pytest.mark.parametrize(
    ("office", "legal", "path"),
    [
        (True, True, ["office_review", "legal_review", "sign_off"]),
        (True, False, ["office_review", "sign_off"]),
        (False, True, ["legal_review", "sign_off"]),
        (False, False, ["sign_off"]),
    ],
)
def test_review_path_follows_agency_settings(office, legal, path):
    settings = ReviewSettings(office_review=office, legal_review=legal)
    stage = target_stage("drafting", "submit", settings)
    seen = [stage]
    while stage != "sign_off":
        stage = target_stage(stage, "approve", settings)
        seen.append(stage)
    assert seen == path


def test_review_steps_need_the_reviewer_of_that_stage():
    assert required_roles("approve", "office_review") == {"office"}
    assert required_roles("approve", "legal_review") == {"legal"}
    assert required_roles("return", "sign_off") == {"head"}
    assert required_roles("return", "delivering") == {"head", "clerk"}
    assert "approve" not in allowed_actions("office_review", {"clerk"})
    assert "approve" in allowed_actions("office_review", {"office"})
    assert "approve" not in allowed_actions("office_review", {"legal"})
    assert allowed_actions("closed", {"clerk"}) == ["served", "remedy", "correct-date", "amend"]
    assert "reopen" in allowed_actions("closed", {"admin"})


def test_unknown_step():
    with pytest.raises(StepNotAllowed, match="未知的办理步骤"):
        target_stage("drafting", "approve-all")
