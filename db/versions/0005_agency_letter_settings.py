"""Agency settings for letters and remedies: kind of agency, letterhead, online reconsideration channel, second
reconsideration body (justice bureaus), fee-notice remedy, remedy rule overrides (issue 11, spec 09).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Server defaults give existing agencies the defaults of the model (a department, letterhead on, no fee-notice
# clause, the table of spec 09 unchanged).
def _columns() -> list[sa.Column]:
    return [
        sa.Column("kind", sa.String(length=20), nullable=False, server_default="department"),
        sa.Column("letterhead", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("reconsideration_online", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("second_reconsideration_body", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("fee_notice_remedy", sa.String(length=20), nullable=False, server_default="none"),
        sa.Column("remedy_overrides", sa.Text(), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        for column in _columns():
            batch_op.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        for column in reversed(_columns()):
            batch_op.drop_column(column.name)
