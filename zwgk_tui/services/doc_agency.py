"""The agency as documents see it: every setting a letter needs, from the Agency row (no session, no I/O)."""

from __future__ import annotations

from zwgk_tui.documents.model import AgencyInfo
from zwgk_tui.persistence.models import Agency


def agency_info(agency: Agency) -> AgencyInfo:
    """AgencyInfo for the renderer: contact details, remedy bodies and rules, letterhead, kind."""
    return AgencyInfo(
        code=agency.code,
        name=agency.name,
        address=agency.address or "",
        phone=agency.phone or "",
        contact=agency.contact or "",
        postcode=agency.postcode or "",
        reconsideration_body=agency.reconsideration_body or "",
        court=agency.court or "",
        email=agency.email or "",
        short_name=agency.short_name or "",
        kind=agency.kind or "department",
        letterhead=True if agency.letterhead is None else bool(agency.letterhead),
        reconsideration_online=agency.reconsideration_online or "",
        second_reconsideration_body=agency.second_reconsideration_body or "",
        fee_notice_remedy=agency.fee_notice_remedy or "none",
        remedy_overrides=agency.remedy_overrides or "",
    )
