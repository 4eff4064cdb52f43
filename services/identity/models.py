"""Tables of the identity service (schema `identity`)."""

from __future__ import annotations

import sqlalchemy as sa

from libs.tenancy.schema import NAMING_CONVENTION, tenant_table

metadata = sa.MetaData(schema="identity", naming_convention=NAMING_CONVENTION)

# One row per tenant, visible only to that tenant: tenant_id is the tenant's own id.
tenants = tenant_table(
    "tenants",
    metadata,
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("region", sa.Text(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=(),
    constraints=(
        sa.CheckConstraint("region IN ('ap-southeast-2', 'eu-central-1')", name="region"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
    ),
    schema="identity",
)

locations = tenant_table(
    "locations",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("time_zone", sa.Text(), nullable=False),
    sa.Column("business_day_cutoff_hour", sa.SmallInteger(), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=("id",),
    constraints=(
        sa.CheckConstraint(
            "business_day_cutoff_hour BETWEEN 0 AND 23", name="business_day_cutoff_hour"
        ),
    ),
    schema="identity",
)

staff = tenant_table(
    "staff",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("email", sa.Text(), nullable=False),
    sa.Column("display_name", sa.Text(), nullable=False),
    sa.Column("role", sa.Text(), nullable=False),
    # argon2id hashes; never returned, logged or audited.
    sa.Column("password_hash", sa.Text(), nullable=True),
    sa.Column("pin_hash", sa.Text(), nullable=True),
    sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    primary_key=("id",),
    constraints=(
        sa.UniqueConstraint("tenant_id", "email"),
        sa.CheckConstraint("role IN ('owner', 'manager', 'cashier', 'accountant')", name="role"),
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
    ),
    schema="identity",
)
