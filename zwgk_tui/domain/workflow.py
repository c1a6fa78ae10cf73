"""The stage machine: which step may be taken in which stage, by which roles, and where it leads.

One table (STEPS), tested as a table. Stage (process) and outcome (legal result) are separate fields; the
outcome is set only when a case closes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zwgk_tui.domain.codes import OPEN_STAGES, STAGE_LABELS, Stage

S = Stage


@dataclass(frozen=True)
class ReviewSettings:
    office_review: bool = True
    legal_review: bool = True


@dataclass(frozen=True)
class StepRule:
    action: str
    label: str
    from_stages: frozenset[str]
    roles: frozenset[str]
    # Target stage; None = stays where it is; "review" = computed from the agency's review settings.
    to: str | None
    closes_with: str | None = None  # the outcome a closing step sets by itself


def _stages(*stages: Stage) -> frozenset[str]:
    return frozenset(s.value for s in stages)


_OPEN = frozenset(OPEN_STAGES)
_BEFORE_REVIEW = _stages(S.REGISTERED, S.DRAFTING)

STEPS: dict[str, StepRule] = {
    r.action: r
    for r in [
        StepRule("request-correction", "告知补正", _BEFORE_REVIEW, frozenset({"clerk"}), S.CORRECTION_REQUESTED),
        StepRule("correction-received", "收到补正", _stages(S.CORRECTION_REQUESTED), frozenset({"clerk"}), S.DRAFTING),
        StepRule(
            "correction-lapsed", "逾期未补正", _stages(S.CORRECTION_REQUESTED), frozenset({"clerk"}), S.CLOSED,
            closes_with="other_no_correction",
        ),
        StepRule("explanation-request", "要求说明理由", _BEFORE_REVIEW, frozenset({"clerk"}), None),
        StepRule("explanation-answered", "收到说明/期满未说明", _BEFORE_REVIEW, frozenset({"clerk"}), None),
        StepRule("consult", "征求意见", _BEFORE_REVIEW, frozenset({"clerk"}), S.CONSULTING),
        StepRule("consult-answered", "收到意见", _stages(S.CONSULTING), frozenset({"clerk"}), S.DRAFTING),
        StepRule("served", "记录送达日期", _OPEN | _stages(S.CLOSED), frozenset({"clerk"}), None),
        StepRule("fee-notice", "发出收费通知", _BEFORE_REVIEW, frozenset({"clerk"}), S.AWAITING_FEE),
        StepRule("fee-paid", "已缴费", _stages(S.AWAITING_FEE), frozenset({"clerk"}), S.DRAFTING),
        StepRule(
            "fee-lapsed", "逾期未缴费", _stages(S.AWAITING_FEE), frozenset({"clerk"}), S.CLOSED,
            closes_with="other_fee_unpaid",
        ),
        StepRule("extend", "延期答复", _OPEN - _stages(S.CORRECTION_REQUESTED), frozenset({"clerk", "head"}), None),
        StepRule("delay", "延迟答复（第三十五条）", _OPEN - _stages(S.CORRECTION_REQUESTED), frozenset({"clerk"}),
                 None),
        StepRule("decide", "拟定办理结果", _BEFORE_REVIEW, frozenset({"clerk"}), S.DRAFTING),
        StepRule("submit", "提交审核", _stages(S.DRAFTING), frozenset({"clerk"}), "review"),
        StepRule("approve", "审核通过", _stages(S.OFFICE_REVIEW, S.LEGAL_REVIEW), frozenset({"office", "legal"}),
                 "review"),
        StepRule(
            # From delivering too: a signed reply found wrong before it goes out is sent back (and voided), never
            # "delivered" falsely to be reopened.
            "return", "退回修改", _stages(S.OFFICE_REVIEW, S.LEGAL_REVIEW, S.SIGN_OFF, S.DELIVERING),
            frozenset({"office", "legal", "head"}), S.DRAFTING,
        ),
        StepRule("sign", "签发", _stages(S.SIGN_OFF), frozenset({"head"}), S.DELIVERING),
        StepRule("deliver", "送达", _stages(S.DELIVERING), frozenset({"clerk"}), S.CLOSED),
        StepRule("withdraw", "申请人撤回", _OPEN, frozenset({"clerk"}), S.CLOSED, closes_with="other_other"),
        # A proceeding may also be brought against a case still open (逾期不答复).
        StepRule("remedy", "记录复议/诉讼", _OPEN | _stages(S.CLOSED), frozenset({"clerk", "office", "admin"}), None),
        StepRule("reopen", "重新打开", _stages(S.CLOSED), frozenset({"admin"}), S.DRAFTING),
        StepRule("correct-date", "更正日期", _OPEN | _stages(S.CLOSED), frozenset({"clerk", "admin"}), None),
        StepRule("amend", "更正登记信息", _OPEN | _stages(S.CLOSED), frozenset({"clerk", "admin"}), None),
    ]
}

# Which role acts in a review stage (approve / return are shared steps, the stage says whose turn it is).
REVIEW_STAGE_ROLE = {S.OFFICE_REVIEW.value: "office", S.LEGAL_REVIEW.value: "legal", S.SIGN_OFF.value: "head"}
# A signed reply not yet sent may be sent back by the head who signed it or by the clerk who finds the error.
RETURN_FROM_DELIVERING_ROLES = frozenset({"head", "clerk"})


class StepNotAllowed(ValueError):
    """A step that the case's current stage does not allow (exit 2)."""


def allowed_actions(stage: str, roles: Iterable[str] | None = None) -> list[str]:
    """Steps allowed in `stage`, for a user with `roles` (None = any role)."""
    held = None if roles is None else set(roles)
    out = []
    for rule in STEPS.values():
        if stage not in rule.from_stages:
            continue
        if held is not None and not (required_roles(rule.action, stage) & held):
            continue
        out.append(rule.action)
    return out


def required_roles(action: str, stage: str) -> frozenset[str]:
    rule = STEPS[action]
    if action in ("approve", "return") and stage in REVIEW_STAGE_ROLE:
        return frozenset({REVIEW_STAGE_ROLE[stage]})
    if action == "return" and stage == S.DELIVERING.value:
        return RETURN_FROM_DELIVERING_ROLES
    return rule.roles


def describe_allowed(stage: str) -> str:
    acts = allowed_actions(stage)
    return "、".join(f"{a}（{STEPS[a].label}）" for a in acts) or "无"


def target_stage(stage: str, action: str, settings: ReviewSettings = ReviewSettings()) -> str:
    """The stage after `action`; raises StepNotAllowed naming the current stage and what is allowed."""
    rule = STEPS.get(action)
    if rule is None:
        raise StepNotAllowed(f"未知的办理步骤“{action}”。可用步骤：{'、'.join(STEPS)}")
    if stage not in rule.from_stages:
        raise StepNotAllowed(
            f"案件当前处于“{STAGE_LABELS.get(stage, stage)}”（{stage}），不能执行“{rule.label}”（{action}）。"
            f"当前允许：{describe_allowed(stage)}"
        )
    if rule.to is None:
        return stage
    if rule.to == "review":
        return _next_review_stage(stage, settings)
    return rule.to


def _next_review_stage(stage: str, settings: ReviewSettings) -> str:
    order = []
    if settings.office_review:
        order.append(S.OFFICE_REVIEW.value)
    if settings.legal_review:
        order.append(S.LEGAL_REVIEW.value)
    order.append(S.SIGN_OFF.value)
    if stage == S.DRAFTING.value:
        return order[0]
    if stage in order:
        return order[order.index(stage) + 1]
    # A review step switched off while a case sat in it: move on to the next enabled one.
    if stage == S.OFFICE_REVIEW.value:
        return S.LEGAL_REVIEW.value if settings.legal_review else S.SIGN_OFF.value
    return S.SIGN_OFF.value
