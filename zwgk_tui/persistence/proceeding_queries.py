"""Queries on proceedings (the `remedies` table) across cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from zwgk_tui.persistence.models import Agency, Case, RemedyProceeding

R = RemedyProceeding


def with_open_duties(session: Session, agency_ids: tuple[int, ...] | None) -> list[Any]:
    """Proceedings with a deadline that may still be open: an answer not yet filed after the copy arrived, a
    decision still pending after acceptance, an order to disclose not yet complied with, a 复议意见书 not yet
    reported on. Rows carry the proceeding's columns plus the case number and agency code."""
    open_duty = or_(
        and_(R.copy_received_on.is_not(None), R.answered_on.is_(None)),
        and_(R.accepted_on.is_not(None), R.result == "pending"),
        and_(R.disclose_order.is_(True), R.complied_on.is_(None)),
        and_(R.opinion_received_on.is_not(None), R.reported_on.is_(None)),
    )
    q = (
        select(R.id, R.kind, R.filed_on, R.result, R.copy_received_on, R.simplified, R.accepted_on, R.extended,
               R.answered_on, R.decided_on, R.disclose_order, R.complied_on, R.opinion_received_on, R.reported_on,
               Case.number, Agency.code.label("agency_code"), Case.applicant_name, Case.applicant_type,
               Case.content, Case.stage)
        .join(Case, Case.id == R.case_id)
        .join(Agency, Agency.id == R.agency_id)
        .where(open_duty)
        .order_by(R.id)
    )
    if agency_ids is not None:
        q = q.where(R.agency_id.in_(agency_ids))
    return list(session.execute(q))
