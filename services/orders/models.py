"""Tables of the orders service (schema `orders`). Money is integer minor units."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.tenancy.schema import NAMING_CONVENTION, tenant_fk, tenant_table

metadata = sa.MetaData(schema="orders", naming_convention=NAMING_CONVENTION)

orders = tenant_table(
    "orders",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=True),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("total_minor", sa.BigInteger(), nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    primary_key=("id",),
    constraints=(
        sa.CheckConstraint("status IN ('open', 'closed', 'voided')", name="status"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
    ),
    schema="orders",
)
sa.Index("ix_orders_created", orders.c.tenant_id, orders.c.created_at.desc(), orders.c.id.desc())

order_lines = tenant_table(
    "order_lines",
    metadata,
    sa.Column("order_id", sa.Uuid(), nullable=False),
    sa.Column("line_number", sa.Integer(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("quantity", sa.Integer(), nullable=False),
    sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("total_minor", sa.BigInteger(), nullable=False),
    primary_key=("order_id", "line_number"),
    constraints=(
        tenant_fk(("order_id",), "orders.orders", ("id",)),
        sa.CheckConstraint("quantity > 0", name="quantity"),
        sa.CheckConstraint("unit_price_minor >= 0", name="unit_price_minor"),
    ),
    schema="orders",
)

# Idempotency-Key replays: the first response to a key is returned again for the same request.
idempotency_keys = tenant_table(
    "idempotency_keys",
    metadata,
    sa.Column("key", sa.Text(), nullable=False),
    sa.Column("request_hash", sa.LargeBinary(), nullable=False),
    sa.Column("status_code", sa.SmallInteger(), nullable=False),
    sa.Column("response", JSONB(), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=("key",),
    schema="orders",
)

# Where a manager's override starts, per business (services/orders/limits/). No row: the
# defaults, 0 everywhere: every void, refund and discount needs an override.
override_limits = tenant_table(
    "override_limits",
    metadata,
    sa.Column("void_limit_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("refund_limit_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("discount_limit_bps", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("updated_by", sa.Text(), nullable=True),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=(),
    constraints=(
        sa.CheckConstraint("void_limit_minor >= 0", name="void_limit_minor"),
        sa.CheckConstraint("refund_limit_minor >= 0", name="refund_limit_minor"),
        sa.CheckConstraint("discount_limit_bps BETWEEN 0 AND 10000", name="discount_limit_bps"),
    ),
    schema="orders",
)
