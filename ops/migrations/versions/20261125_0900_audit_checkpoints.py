"""Audit checkpoints: signed (size, head hash) statements of each tenant's chain.

`audit.checkpoints` is append-only like the log (grants and the same triggers). The audit
service may now append to the log too: a checkpoint a person asks for is audited.
`audit.tenants_awaiting_checkpoint()` lets the periodic signer learn which tenants have
entries since their latest checkpoint, and nothing else about them. Row-level security is
forced for every role, the owner included, so the function runs as the (NOLOGIN) owner with a
setting only it turns on (for its own duration; a caller that sets it gains nothing, as
the policy names only the owner): a read-only policy on the two tables lets
the owner see every tenant's head and latest checkpoint then, and at no other time. Service
roles can neither become the owner nor benefit from the setting.

Revision ID: 20261125_0900
Revises: 20261124_0900
Create Date: 2026-11-25 09:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_table

revision = "20261125_0900"
down_revision = "20261124_0900"
branch_labels = None
depends_on = None

# Set only by audit.tenants_awaiting_checkpoint(), for its own duration.
SCAN_SETTING = "halopos.checkpoint_scan"


def _checkpoints() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    return tenant_table(
        "checkpoints",
        metadata,
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("key_id", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "signed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("clock_timestamp()"),
        ),
        primary_key=("size",),
        constraints=(
            sa.CheckConstraint("size >= 0", name="size"),
            sa.CheckConstraint("octet_length(hash) = 32", name="hash"),
            sa.CheckConstraint("octet_length(key_id) = 4", name="key_id"),
        ),
        schema="audit",
    )


STATEMENTS = (
    "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation()",
    "CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON audit.checkpoints "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation()",
    *(
        f"CREATE POLICY checkpoint_scan ON audit.{table} FOR SELECT TO {OWNER_ROLE} "
        f"USING (current_setting('{SCAN_SETTING}', true) = 'on')"
        for table in ("chain_heads", "checkpoints")
    ),
    """
CREATE FUNCTION audit.tenants_awaiting_checkpoint() RETURNS SETOF uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('{SCAN_SETTING}', 'on', true);
    RETURN QUERY
        SELECT head.tenant_id FROM audit.chain_heads AS head
         WHERE head.seq > COALESCE(
            (SELECT max(checkpoint.size) FROM audit.checkpoints AS checkpoint
              WHERE checkpoint.tenant_id = head.tenant_id), 0);
    PERFORM set_config('{SCAN_SETTING}', 'off', true);
END $$
""".replace("{SCAN_SETTING}", SCAN_SETTING),
    "REVOKE ALL ON FUNCTION audit.tenants_awaiting_checkpoint() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION audit.tenants_awaiting_checkpoint() TO halopos_audit",
    "GRANT SELECT, INSERT ON audit.checkpoints TO halopos_audit",
    "GRANT INSERT ON audit.events TO halopos_audit",
    "GRANT INSERT, UPDATE ON audit.chain_heads TO halopos_audit",
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    create_tenant_table(_checkpoints())
    for statement in STATEMENTS:
        op.execute(statement)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("REVOKE INSERT, UPDATE ON audit.chain_heads FROM halopos_audit")
    op.execute("REVOKE INSERT ON audit.events FROM halopos_audit")
    op.execute("DROP FUNCTION audit.tenants_awaiting_checkpoint()")
    op.execute("DROP POLICY checkpoint_scan ON audit.chain_heads")  # checkpoints' goes with it
    op.execute("DROP TABLE audit.checkpoints")
    op.execute("RESET ROLE")
