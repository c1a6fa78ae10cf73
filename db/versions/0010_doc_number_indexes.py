"""Indexes for the check that a 文号 is not used twice in an agency (every `doc … reply` and `deliver
--reply-number` asks): the documents' numbers (a document's row holds its file, so a scan would read every letter
ever issued) and a partial index on the import events (the numbers a ledger import recorded), so neither the
documents nor the agency's whole history are read.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_IMPORT_WHERE = "action = 'import'"


def upgrade() -> None:
    op.create_index("ix_issued_documents_doc_number", "issued_documents", ["doc_number"])
    op.create_index("ix_events_import", "events", ["case_id"], sqlite_where=sa.text(_IMPORT_WHERE),
                    postgresql_where=sa.text(_IMPORT_WHERE))


def downgrade() -> None:
    op.drop_index("ix_events_import", table_name="events")
    op.drop_index("ix_issued_documents_doc_number", table_name="issued_documents")
