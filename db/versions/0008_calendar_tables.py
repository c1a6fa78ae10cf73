"""Cached working-day tables (calendar_tables): commands read the finished table instead of importing `holidays`;
an index on the content of cases for the repeat-request hints of `case new` (it scanned every case).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_tables",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("holidays_version", sa.String(40), nullable=False),
        sa.Column("package_flags", sa.LargeBinary(), nullable=False),
        sa.Column("flags", sa.LargeBinary(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("makeup", sa.Text(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_calendar_tables")),
    )
    op.create_index("ix_cases_content", "cases", ["content"], postgresql_using="hash")


def downgrade() -> None:
    op.drop_index("ix_cases_content", table_name="cases")
    op.drop_table("calendar_tables")
