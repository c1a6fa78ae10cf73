"""Indexes for the annual-report queries: received-in-year by type, and the span of long-running cases.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_received_stats", "cases", ["received_on", "applicant_type", "concluded_on", "agency_id"],
                    if_not_exists=True)
    # Finds the few cases open through a whole year without scanning every later conclusion (an expression
    # index: its SQL differs by engine).
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_cases_span", "cases", [sa.text("(julianday(concluded_on) - julianday(received_on))")],
                        if_not_exists=True)
    else:
        op.create_index("ix_cases_span", "cases", [sa.text("(concluded_on - received_on)")], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_cases_span", table_name="cases")
    op.drop_index("ix_cases_received_stats", table_name="cases")
