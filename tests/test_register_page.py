"""The register's fast page (persistence.register_page: SQL compiled once, run on a pooled connection) gives the
same rows, in the same order, and the same count as the ORM query it replaces, for every filter a clerk uses."""

from __future__ import annotations

from datetime import date

import pytest

from zwgk_tui.persistence import repo
from zwgk_tui.persistence.register_page import register_page
from zwgk_tui.services import demo
from zwgk_tui.services.context import ServiceContext

FILTERS = [
    repo.CaseFilter(),
    repo.CaseFilter(open_only=True),
    repo.CaseFilter(closed_only=True),
    repo.CaseFilter(overdue_before=date(2025, 3, 20)),
    repo.CaseFilter(due_by=date(2025, 3, 27)),
    repo.CaseFilter(paused_only=True),
    repo.CaseFilter(stage="drafting"),
    repo.CaseFilter(agency_ids=(2,)),
    repo.CaseFilter(agency_ids=(1, 3), open_only=True),
    repo.CaseFilter(agency_code="zjj"),
    repo.CaseFilter(applicant_type="business"),
    repo.CaseFilter(year=2024),
    repo.CaseFilter(search="补偿"),
    repo.CaseFilter(search="2025-00"),
    repo.CaseFilter(search="不存在的词"),
]


@pytest.fixture
def ctx(db_url, monkeypatch):
    monkeypatch.setenv("ZWGK_TODAY", "2025-03-20")
    ctx = ServiceContext.open(db_url, "clerk")
    demo.generate(ctx, 600, 7)
    yield ctx
    ctx.db.dispose()


def test_register_page_equals_the_orm_query(ctx):
    for f in FILTERS:
        with ctx.db.read() as s:
            expected_total = repo.count_cases(s, f)
            pages = [(limit, offset) for limit, offset in ((100, 0), (7, 0), (7, 14), (50, 550), (None, 0))]
            for limit, offset in pages:
                expected = [tuple(r) for r in repo.list_case_rows(s, f, limit=limit, offset=offset)]
                rows, total = register_page(ctx.db, f, limit=limit, offset=offset, count=True)
                assert rows == expected, (f, limit, offset)
                assert total == expected_total, (f, limit, offset)
                assert register_page(ctx.db, f, limit=limit, offset=offset)[1] is None
