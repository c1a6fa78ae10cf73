"""What a decision must contain before it may go to review (spec 05, 09; SPC 2025 Arts. 5–6).

The checks run at `decide` and again at `submit`, so an incomplete reply is found while the case is still with
the clerk — not after both reviews and the head's signature. They are data: each outcome lists the requirements
it is subject to, each requirement says what is missing and the rule it comes from. The reply and the review
sheet print the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from zwgk_tui.domain.codes import OUTCOME_SHORT_LABELS, OUTCOMES
from zwgk_tui.domain.evidence import GROUNDS, OUTCOME_GROUND, SearchRecord


@dataclass(frozen=True)
class DecisionFacts:
    """The proposed decision with everything recorded about the case that bears on it."""

    outcome: str
    reason: str = ""
    provision: str = ""  # Art. 40: how the information is provided (clerk's words)
    delivery: str = ""  # the applicant's chosen way of obtaining information, from registration
    provided_part: str = ""
    withheld_parts: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    secret_marking: str = ""
    kind_of_info: str = ""
    published_where: str = ""
    searches: tuple[SearchRecord, ...] = ()
    responsible_agency: str = ""
    responsible_contact: str = ""
    responsible_unknown: str = ""
    public_interest: str = ""
    earlier_case: str = ""
    earlier_reply_found: bool = False  # the earlier case has an issued (or recorded) reply
    third_party_objected: bool = False  # a consultation answered with view=disagree
    correction_received: bool = False
    explanation_requested: bool = False
    explanation_settled: bool = False  # the applicant answered, or the period lapsed


@dataclass(frozen=True)
class Requirement:
    code: str
    holds: Callable[[DecisionFacts], bool]
    message: str  # what is missing, for the clerk (Chinese)
    basis: str  # where the rule comes from


def _grounds_of(f: DecisionFacts) -> tuple[str, ...]:
    """The grounds the decision rests on: given by the clerk, or for a whole refusal the outcome's own."""
    if f.grounds:
        return f.grounds
    own = OUTCOME_GROUND.get(f.outcome)
    return (own,) if own else ()


def effective_grounds(f: DecisionFacts) -> tuple[str, ...]:
    return _grounds_of(f)


def _details_given(f: DecisionFacts) -> bool:
    return not missing_ground_details(f)


def missing_ground_details(f: DecisionFacts) -> list[str]:
    missing = []
    for code in dict.fromkeys(_grounds_of(f)):
        g = GROUNDS.get(code)
        if g is None or g.detail_option is None:
            continue
        if g.detail_option == "searched":
            ok = bool(f.searches)
        elif g.detail_option == "responsible_agency":
            ok = bool(f.responsible_agency.strip() and f.responsible_contact.strip())
        else:
            ok = bool(str(getattr(f, g.detail_option, "")).strip())
        if not ok:
            missing.append(f"“{g.label}”须记录{g.detail_prompt}")
    return missing


def _one_ground_per_part(f: DecisionFacts) -> bool:
    return bool(f.withheld_parts) and len(f.grounds) == len(f.withheld_parts)


def _own_ground_among(f: DecisionFacts) -> bool:
    own = OUTCOME_GROUND.get(f.outcome)
    return own is None or not f.grounds or own in f.grounds


def _provision_known(f: DecisionFacts) -> bool:
    return bool(f.provision.strip() or f.delivery.strip() or f.published_where.strip())


def _not_held_explained(f: DecisionFacts) -> bool:
    # 36(四): a reasonable search; 36(五): the responsible agency, or why it cannot be determined.
    return bool(f.searches or f.responsible_agency.strip() or f.responsible_unknown.strip())


def _responsible_contact_given(f: DecisionFacts) -> bool:
    # 36(五): an agency that can be determined is named with its contact details.
    return not f.responsible_agency.strip() or bool(f.responsible_contact.strip())


_REG = "《条例》"
_SPC = "最高人民法院法释〔2025〕8号"

R: dict[str, Requirement] = {
    r.code: r
    for r in (
        Requirement("reason", lambda f: bool(f.reason.strip()),
                    "须说明理由（--reason）", _REG + "第三十六条第（三）项"),
        Requirement("provision", _provision_known,
                    "须写明提供信息的方式（--provision），或者登记申请人选择的获取方式", _REG + "第四十条"),
        Requirement("provided_part", lambda f: bool(f.provided_part.strip()),
                    "须写明予以公开的部分（--provided）", _REG + "第三十七条"),
        Requirement("withheld_parts", _one_ground_per_part,
                    "须逐项写明不予公开的部分（--withheld，可重复）及其理由代码（--ground，每个部分一个，按顺序对应）",
                    _REG + "第三十七条"),
        Requirement("grounds_match", _own_ground_among,
                    "理由代码（--ground）须包含与办理结果相同的情形", _REG + "第三十六条第（三）项"),
        Requirement("ground_details", _details_given,
                    "不予公开的理由须有相应证据", _SPC + "第五条"),
        Requirement("not_held_search", _not_held_explained,
                    "须记录合理检索（--searched “范围|检索词|检索人|日期”，可重复）；如属不由本机关负责公开，"
                    "写明负责公开的机关（--responsible-agency）或者无法确定的原因（--responsible-unknown）",
                    _SPC + "第五条第（六）项；" + _REG + "第三十六条第（四）（五）项"),
        Requirement("responsible_contact", _responsible_contact_given,
                    "能够确定负责公开的机关的，须同时告知其联系方式（--responsible-contact）",
                    _REG + "第三十六条第（五）项"),
        Requirement("public_interest", lambda f: not f.third_party_objected or bool(f.public_interest.strip()),
                    "第三方已提出不同意公开的意见，决定公开须写明不公开会对公共利益造成重大影响的理由"
                    "（--public-interest）", _REG + "第十五条、第三十二条"),
        Requirement("earlier_reply", lambda f: bool(f.earlier_case.strip()) and f.earlier_reply_found,
                    "重复申请须指明本申请人此前已答复的案件（--earlier 案件编号），且该案已出具答复书",
                    _REG + "第三十六条第（六）项"),
        Requirement("explanation", lambda f: f.explanation_requested and f.explanation_settled,
                    "须先要求申请人说明理由（explanation-request），并记录其说明或期满未说明（explanation-answered）",
                    _REG + "第三十五条"),
        Requirement("correction", lambda f: f.correction_received,
                    "“补正后申请内容仍不明确”须先告知补正并收到补正（request-correction、correction-received）",
                    _REG + "第三十条"),
    )
}

_WITHHELD_14_16 = tuple(o for o in OUTCOME_GROUND)

# Outcome -> the requirements it is subject to. Outcomes ended by a step of their own (lapses, withdrawal) are
# not decided with `decide` and need nothing here.
OUTCOME_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "disclosed": ("provision", "public_interest"),
    "partially_disclosed": ("provided_part", "withheld_parts", "ground_details", "provision"),
    **{o: ("grounds_match", "ground_details") for o in _WITHHELD_14_16},
    "withheld_inquiry_matter": ("reason",),
    "unavailable_not_held": ("not_held_search", "responsible_contact"),
    "unavailable_needs_creation": ("reason",),
    "unavailable_unclear": ("correction",),
    "not_processed_petition": ("reason",),
    "not_processed_duplicate": ("earlier_reply",),
    "not_processed_publication": (),
    "not_processed_excessive": ("explanation",),
    "not_processed_confirm_reissue": (),
    "other_no_correction": (),
    "other_fee_unpaid": (),
    "other_other": ("reason",),
}
assert set(OUTCOME_REQUIREMENTS) == set(OUTCOMES)

# What the decide form offers per outcome: the options of `decide` (domain/step_options.DecideOptions) that the
# outcome's requirements read, plus the optional ones that make sense for it. "withheld" comes with its "ground".
_DETAIL_FOR_WITHHELD = {
    "withheld_state_secret": ("secret_marking",),
    "withheld_law_prohibited": ("reason",),
    "withheld_security_stability": ("reason",),
    "withheld_third_party": ("reason",),
    "withheld_internal_affairs": ("kind_of_info",),
    "withheld_process_info": ("kind_of_info",),
    "withheld_enforcement_file": ("kind_of_info",),
}
OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    "disclosed": ("provision", "already_published", "published_on", "public_interest", "reason"),
    "partially_disclosed": ("provided", "withheld", "secret_marking", "kind_of_info", "searched",
                            "responsible_agency", "provision", "public_interest", "reason"),
    **{o: (*detail, *(("reason",) if "reason" not in detail else ())) for o, detail in _DETAIL_FOR_WITHHELD.items()},
    "withheld_inquiry_matter": ("reason",),
    "unavailable_not_held": ("searched", "responsible_agency", "responsible_contact", "responsible_unknown",
                             "reason"),
    "unavailable_needs_creation": ("reason",),
    "unavailable_unclear": ("reason",),
    "not_processed_petition": ("reason",),
    "not_processed_duplicate": ("earlier", "reason"),
    "not_processed_publication": ("reason",),
    "not_processed_excessive": ("reason",),
    "not_processed_confirm_reissue": ("reason",),
    "other_no_correction": ("reason",),
    "other_fee_unpaid": ("reason",),
    "other_other": ("reason",),
}
assert set(OUTCOME_FIELDS) == set(OUTCOMES)

# Options a requirement makes mandatory for the outcome (marked * on the form).
OUTCOME_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "partially_disclosed": ("provided", "withheld"),
    **{o: detail for o, detail in _DETAIL_FOR_WITHHELD.items()},
    "withheld_inquiry_matter": ("reason",),
    "unavailable_needs_creation": ("reason",),
    "not_processed_petition": ("reason",),
    "not_processed_duplicate": ("earlier",),
    "other_other": ("reason",),
}


@dataclass(frozen=True)
class Problem:
    requirement: str
    message: str
    basis: str


@dataclass
class DecisionCheck:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def message(self) -> str:
        """All problems in one Chinese sentence list, for exit 2."""
        return "；".join(f"{p.message}（{p.basis}）" for p in self.problems)


def check_decision(f: DecisionFacts) -> DecisionCheck:
    """The problems that keep this decision from going out, and warnings that do not."""
    result = DecisionCheck()
    if f.outcome not in OUTCOMES:
        result.problems.append(Problem("outcome", f"办理结果“{f.outcome}”无效", "国办公开办函〔2021〕30号"))
        return result
    for code in OUTCOME_REQUIREMENTS[f.outcome]:
        req = R[code]
        if req.holds(f):
            continue
        if code == "ground_details":
            for detail in missing_ground_details(f):
                result.problems.append(Problem(code, detail, req.basis))
            continue
        result.problems.append(Problem(code, req.message, req.basis))
    unknown = [g for g in f.grounds if g not in GROUNDS]
    if unknown:
        result.problems.append(Problem(
            "grounds",
            f"理由代码“{'、'.join(unknown)}”无效，可选：" + "、".join(f"{c}（{g.label}）" for c, g in GROUNDS.items()),
            _REG + "第十四条至第十六条",
        ))
    return result


def outcome_label(outcome: str) -> str:
    return OUTCOME_SHORT_LABELS.get(outcome, outcome)
