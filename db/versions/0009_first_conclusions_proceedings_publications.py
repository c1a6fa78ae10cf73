"""Annual-report figures that stay true after publication (issue 12) and proceedings with deadlines (issue 15).

- cases.first_outcome / first_concluded_on: the conclusion table 三 counts (the first one; a reopen never changes
  it), backfilled from the history: the current conclusion, or for reopened cases the first concluding event;
- the stats indexes now follow first_concluded_on (same names, new definitions), plus a small partial index on
  the reopen events;
- remedies: the dates the agency's deadlines run from (copy received, accepted, answered, complied, opinion
  received, reported) and the procedure flags;
- publications (a published report, frozen), opening_balances (the first year's reference), app_settings.

Revision ID: 0009
Revises: 0008
"""
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_CONCLUDING = ("deliver", "withdraw", "correction-lapsed", "fee-lapsed", "import")
_CLOSES_WITH = {"withdraw": "other_other", "correction-lapsed": "other_no_correction",
                "fee-lapsed": "other_fee_unpaid"}
_REOPEN_WHERE = "action = 'reopen'"
_PROACTIVE_WHERE = "action = 'proactive'"


def _stats_indexes(dialect: str) -> None:
    op.create_index("ix_cases_received_stats", "cases",
                    ["received_on", "applicant_type", "first_concluded_on", "agency_id"])
    if dialect == "sqlite":
        op.create_index("ix_cases_span", "cases",
                        [sa.text("(julianday(first_concluded_on) - julianday(received_on))")])
    else:
        op.create_index("ix_cases_span", "cases", [sa.text("(first_concluded_on - received_on)")])


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _backfill(bind: Any) -> None:
    op.execute("UPDATE cases SET first_outcome = outcome, first_concluded_on = concluded_on "
               "WHERE concluded_on IS NOT NULL")
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                      sa.column("action", sa.String), sa.column("on_date", sa.Date), sa.column("data", sa.JSON))
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("first_outcome", sa.String),
                     sa.column("first_concluded_on", sa.Date))
    reopened = sa.select(events.c.case_id).where(events.c.action == "reopen").distinct()
    rows = bind.execute(
        sa.select(events.c.id, events.c.case_id, events.c.action, events.c.on_date, events.c.data)
        .where(events.c.case_id.in_(reopened)).order_by(events.c.case_id, events.c.id)
    ).all()
    by_case: dict[int, list[Any]] = {}
    for row in rows:
        by_case.setdefault(row.case_id, []).append(row)
    for case_id, history in by_case.items():
        dates = {e.id: _as_date(e.on_date) for e in history}
        for e in history:
            data = e.data or {}
            if e.action == "correct-date" and data.get("event_id") in dates:
                dates[int(data["event_id"])] = _as_date(data.get("to"))
        first = next((e for e in history if e.action in _CONCLUDING), None)
        reopen = next(e for e in history if e.action == "reopen")
        outcome = on = None
        if first is not None:
            data = first.data or {}
            outcome = data.get("outcome") or _CLOSES_WITH.get(first.action)
            on = dates[first.id]
        outcome = outcome or (reopen.data or {}).get("outcome")
        on = on or _as_date((reopen.data or {}).get("concluded_on"))
        if outcome and on:
            bind.execute(sa.update(cases).where(cases.c.id == case_id)
                         .values(first_outcome=outcome, first_concluded_on=on))


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    # The old stats indexes go first: an expression index cannot be reflected by the batch operation.
    op.drop_index("ix_cases_span", table_name="cases", if_exists=True)
    op.drop_index("ix_cases_received_stats", table_name="cases", if_exists=True)
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("first_outcome", sa.String(40), nullable=True))
        batch.add_column(sa.Column("first_concluded_on", sa.Date(), nullable=True))
    _backfill(bind)
    _stats_indexes(dialect)
    op.create_index("ix_cases_first_concluded", "cases", ["first_concluded_on", "agency_id"])
    op.create_index("ix_events_reopen", "events", ["case_id"], sqlite_where=sa.text(_REOPEN_WHERE),
                    postgresql_where=sa.text(_REOPEN_WHERE))
    # The few proactive publications of requested information (Art. 44), for the annual report's narrative.
    op.create_index("ix_events_proactive", "events", ["on_date", "case_id"], sqlite_where=sa.text(_PROACTIVE_WHERE),
                    postgresql_where=sa.text(_PROACTIVE_WHERE))

    with op.batch_alter_table("remedies") as batch:
        for name in ("copy_received_on", "accepted_on", "answered_on", "complied_on", "opinion_received_on",
                     "reported_on"):
            batch.add_column(sa.Column(name, sa.Date(), nullable=True))
        for name in ("simplified", "extended", "disclose_order"):
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("warning", sa.Text(), nullable=False, server_default=""))

    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_publications_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
    )
    op.create_index("ix_publications_year_scope", "publications", ["year", "scope"])
    op.create_table(
        "opening_balances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("carried", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_opening_balances_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_balances")),
        sa.UniqueConstraint("year", "scope", name="uq_opening_balances_year_scope"),
    )
    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_settings")),
    )


def downgrade() -> None:
    op.drop_table("app_settings")
    op.drop_table("opening_balances")
    op.drop_index("ix_publications_year_scope", table_name="publications")
    op.drop_table("publications")
    with op.batch_alter_table("remedies") as batch:
        for name in ("warning", "disclose_order", "extended", "simplified", "reported_on", "opinion_received_on",
                     "complied_on", "answered_on", "accepted_on", "copy_received_on"):
            batch.drop_column(name)
    op.drop_index("ix_events_proactive", table_name="events")
    op.drop_index("ix_events_reopen", table_name="events")
    op.drop_index("ix_cases_first_concluded", table_name="cases")
    op.drop_index("ix_cases_span", table_name="cases")
    op.drop_index("ix_cases_received_stats", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("first_concluded_on")
        batch.drop_column("first_outcome")
    # Back to the definitions of 0002.
    op.create_index("ix_cases_received_stats", "cases", ["received_on", "applicant_type", "concluded_on", "agency_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_cases_span", "cases", [sa.text("(julianday(concluded_on) - julianday(received_on))")])
    else:
        op.create_index("ix_cases_span", "cases", [sa.text("(concluded_on - received_on)")])
