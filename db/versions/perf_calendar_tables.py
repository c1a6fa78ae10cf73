"""Cached working-day tables (calendar_tables): commands read the finished table instead of importing `holidays`.

Revision ID: perf_calendar_tables
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "perf_calendar_tables"
down_revision = "0003"
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


def downgrade() -> None:
    op.drop_table("calendar_tables")
