"""Partial index on the due date of open cases: the register's default view, overdue and due-soon filters.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_open_due", "cases", ["due_date"],
        sqlite_where=sa.text("stage != 'closed'"), postgresql_where=sa.text("stage <> 'closed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_open_due", table_name="cases")
