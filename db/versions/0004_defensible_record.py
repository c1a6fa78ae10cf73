"""A record the agency can defend: the applicant's particulars per application, the clarified request, service
dates of letters, and issued documents tied to the step that authorises them (issued / void).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_APPLICANT_COLUMNS = (
    ("applicant_name", "name", 200),
    ("applicant_id_number", "id_number", 40),
    ("applicant_phone", "phone", 40),
    ("applicant_email", "email", 120),
    ("applicant_address", "address", 300),
    ("applicant_postcode", "postcode", 20),
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for column, _, length in _APPLICANT_COLUMNS:
            batch.add_column(sa.Column(column, sa.String(length), nullable=False, server_default=""))
        batch.add_column(sa.Column("clarified_content", sa.Text(), nullable=False, server_default=""))
    # Until now the particulars lived on the (shared) applicant row: copy them to every case as they read today.
    for column, source, _ in _APPLICANT_COLUMNS:
        op.execute(
            f"UPDATE cases SET {column} = COALESCE((SELECT applicants.{source} FROM applicants "
            f"WHERE applicants.id = cases.applicant_id), '')"
        )
    with op.batch_alter_table("pauses") as batch:
        batch.add_column(sa.Column("served_on", sa.Date(), nullable=True))
    with op.batch_alter_table("fee_notices") as batch:
        batch.add_column(sa.Column("served_on", sa.Date(), nullable=True))
    with op.batch_alter_table("issued_documents") as batch:
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(10), nullable=False, server_default="issued"))
        batch.add_column(sa.Column("void_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("voided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(10), nullable=False, server_default="tool"))


def downgrade() -> None:
    with op.batch_alter_table("issued_documents") as batch:
        for column in ("origin", "voided_on", "void_reason", "status", "event_id"):
            batch.drop_column(column)
    with op.batch_alter_table("fee_notices") as batch:
        batch.drop_column("served_on")
    with op.batch_alter_table("pauses") as batch:
        batch.drop_column("served_on")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("clarified_content")
        for column, _, _ in reversed(_APPLICANT_COLUMNS):
            batch.drop_column(column)
