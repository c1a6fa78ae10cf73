"""Tamper evidence and identities: hash-chained events (recorded_by, prev_hash, hash), users.login (SQLite), and
on PostgreSQL the server-side stamping of the acting login, the step → role check and the role set-up functions.

Existing events are chained here, oldest first per case (the append-only triggers are lifted for the backfill
only, inside this transaction).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_by", sa.String(length=80), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=False, server_default=""))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login", sa.String(length=80), nullable=True))
    op.create_index("ix_users_login", "users", ["login"], unique=True)

    from zwgk_tui.persistence import chain, security

    if not sqlite:
        # Functions first: the backfill asks the server who is migrating (zwgk_privileged).
        security.install(bind)
    _backfill(bind, chain, sqlite)
    security.install(bind)


def _backfill(bind: sa.engine.Connection, chain, sqlite: bool) -> None:  # type: ignore[no-untyped-def]
    if sqlite:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS events_no_update")
    else:
        bind.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER events_append_only")
    result = bind.execute(sa.text(
        "SELECT id, case_id, action, on_date, at, actor, comment, CAST(data AS TEXT), CAST(before AS TEXT), "
        "CAST(after AS TEXT) FROM events ORDER BY case_id, id"
    ).execution_options(stream_results=True, yield_per=5000))
    dialect = bind.dialect.name
    prev_case, prev = None, chain.GENESIS
    updates: list[dict[str, object]] = []
    for ev_id, case_id, action, on_date, at, actor, comment, data, before, after in result:
        if case_id != prev_case:
            prev_case, prev = case_id, chain.GENESIS
        # Who really acted is unknown for the past: recorded_by stays empty.
        h = chain.event_hash(prev, case_id, action, chain.canonical_day(on_date), chain.canonical_moment(at, dialect),
                             actor, "", comment or "", data, before, after)
        updates.append({"i": ev_id, "p": prev, "h": h})
        prev = h
    # Written after reading: the cursor is not disturbed by updates under it.
    for lo in range(0, len(updates), 5000):
        bind.execute(sa.text("UPDATE events SET prev_hash = :p, hash = :h WHERE id = :i"), updates[lo:lo + 5000])
    if sqlite:
        from zwgk_tui.persistence.security import SQLITE_TRIGGERS

        bind.exec_driver_sql(SQLITE_TRIGGERS["events_no_update"])
    else:
        bind.exec_driver_sql("ALTER TABLE events ENABLE TRIGGER events_append_only")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in ("events_stamp_actor", "events_step_role"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON events")
        op.execute("DROP TRIGGER IF EXISTS issued_documents_stamp_actor ON issued_documents")
        op.execute("DROP TRIGGER IF EXISTS calendar_overrides_stamp_created_by ON calendar_overrides")
    op.drop_index("ix_users_login", table_name="users")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("login")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("recorded_by")
