"""Staff: the people of a tenant, their role and their (hashed) credentials.

Revision ID: 20261123_1215
Revises: 20261123_1200
Create Date: 2026-11-23 12:15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_table

revision = "20261123_1215"
down_revision = "20261123_1200"
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    ts = sa.DateTime(timezone=True)
    # The registry table, so the new table's foreign key resolves in this metadata.
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    staff = tenant_table(
        "staff",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("pin_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", ts, nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", ts, nullable=False, server_default=sa.text("now()")),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        primary_key=("id",),
        constraints=(
            sa.UniqueConstraint("tenant_id", "email"),
            sa.CheckConstraint(
                "role IN ('owner', 'manager', 'cashier', 'accountant')", name="role"
            ),
            sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
        ),
        schema="identity",
    )
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    create_tenant_table(staff)
    op.execute("GRANT SELECT, INSERT, UPDATE ON identity.staff TO halopos_identity")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute("DROP TABLE identity.staff")
