"""Override limits: per business, the amount up to which a cashier voids, refunds or
discounts without a manager's override.

Revision ID: 20261123_1700
Revises: 20261123_1400
Create Date: 2026-11-23 17:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_table

revision = "20261123_1700"
down_revision = "20261123_1400"
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    limits = tenant_table(
        "override_limits",
        metadata,
        sa.Column("void_limit_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column(
            "refund_limit_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")
        ),
        sa.Column("discount_limit_bps", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
        primary_key=(),
        constraints=(
            sa.CheckConstraint("void_limit_minor >= 0", name="void_limit_minor"),
            sa.CheckConstraint("refund_limit_minor >= 0", name="refund_limit_minor"),
            sa.CheckConstraint("discount_limit_bps BETWEEN 0 AND 10000", name="discount_limit_bps"),
        ),
        schema="orders",
    )
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    create_tenant_table(limits)
    op.execute("GRANT SELECT, INSERT, UPDATE ON orders.override_limits TO halopos_orders")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute("DROP TABLE orders.override_limits")
