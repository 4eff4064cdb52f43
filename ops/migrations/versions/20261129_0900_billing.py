"""Billing: the tenant's Stripe customer and subscription, the webhook inbox, and who may read
the tenant's entitlement.

- `billing.accounts`: one row per tenant, made when its owner first starts a checkout.
- `billing.stripe_events`: verified webhook events, stored once by id under the tenant they
  name and applied by the billing worker; never deleted (no DELETE grant). The worker learns
  which tenants have events waiting from `billing.tenants_with_pending_events()`, which
  reveals only their ids, on the pattern of `audit.tenants_awaiting_checkpoint()`: it runs as
  the owner with a setting only it turns on, and a read-only policy for the owner alone
  honours that setting.
- The billing role reads the tenant registry (the tenant's name and currency, for Stripe).
- Every other service and the gateway may read `tenant_id`, `status` and `grace_until` of
  `billing.accounts` (column grants; row-level security as everywhere): the entitlement they
  enforce (libs/billing/entitlement.py).

Revision ID: 20261129_0900
Revises: 20261128_0900
Create Date: 2026-11-29 09:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.config import GATEWAY_ROLE, OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_table

revision = "20261129_0900"
down_revision = "20261128_0900"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
STATUSES = (
    "incomplete",
    "incomplete_expired",
    "trialing",
    "active",
    "past_due",
    "canceled",
    "unpaid",
    "paused",
)
# Set only by billing.tenants_with_pending_events(), for its own duration.
SCAN_SETTING = "halopos.billing_event_scan"
ENTITLEMENT_READERS = (
    "halopos_identity",
    "halopos_orders",
    "halopos_audit",
    "halopos_reports",
    "halopos_bridge",
    GATEWAY_ROLE,
)


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    statuses = ", ".join(f"'{status}'" for status in STATUSES)
    accounts = tenant_table(
        "accounts",
        metadata,
        sa.Column("stripe_customer_id", sa.Text(), nullable=False),
        sa.Column("subscription_id", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("price_id", sa.Text(), nullable=True),
        sa.Column("plan_name", sa.Text(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("billing_interval", sa.Text(), nullable=True),
        sa.Column("current_period_end", TS, nullable=True),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("subscription_created", TS, nullable=True),
        sa.Column("past_due_since", TS, nullable=True),
        sa.Column("grace_until", TS, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("created_at", TS, nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.text("now()")),
        primary_key=(),
        constraints=(
            sa.CheckConstraint(f"status IS NULL OR status IN ({statuses})", name="status"),
            sa.CheckConstraint("(status IS NULL) = (subscription_id IS NULL)", name="subscription"),
            sa.CheckConstraint("amount_minor IS NULL OR amount_minor >= 0", name="amount"),
            sa.CheckConstraint("(status = 'past_due') = (grace_until IS NOT NULL)", name="grace"),
        ),
        schema="billing",
    )
    events = tenant_table(
        "stripe_events",
        metadata,
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("object_id", sa.Text(), nullable=False),
        sa.Column("stripe_created", TS, nullable=False),
        sa.Column("livemode", sa.Boolean(), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("received_at", TS, nullable=False, server_default=sa.text("clock_timestamp()")),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("processed_at", TS, nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        primary_key=("id",),
        constraints=(
            sa.CheckConstraint("(processed_at IS NULL) = (outcome IS NULL)", name="outcome"),
        ),
        schema="billing",
    )
    sa.Index(
        "ix_stripe_events_pending",
        events.c.tenant_id,
        events.c.received_at,
        postgresql_where=events.c.processed_at.is_(None),
    )
    return [accounts, events]


STATEMENTS = (
    f"CREATE POLICY pending_scan ON billing.stripe_events FOR SELECT TO {OWNER_ROLE} "
    f"USING (current_setting('{SCAN_SETTING}', true) = 'on')",
    """
CREATE FUNCTION billing.tenants_with_pending_events() RETURNS SETOF uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('{SCAN_SETTING}', 'on', true);
    RETURN QUERY
        SELECT DISTINCT event.tenant_id FROM billing.stripe_events AS event
         WHERE event.processed_at IS NULL;
    PERFORM set_config('{SCAN_SETTING}', 'off', true);
END $$
""".replace("{SCAN_SETTING}", SCAN_SETTING),
    "REVOKE ALL ON FUNCTION billing.tenants_with_pending_events() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION billing.tenants_with_pending_events() TO halopos_billing",
    "GRANT SELECT, INSERT, UPDATE ON billing.accounts TO halopos_billing",
    "GRANT SELECT, INSERT ON billing.stripe_events TO halopos_billing",
    "GRANT UPDATE (attempts, processed_at, outcome, last_error) ON billing.stripe_events "
    "TO halopos_billing",
    "GRANT USAGE ON SCHEMA identity TO halopos_billing",
    "GRANT SELECT ON identity.tenants TO halopos_billing",
    *(f"GRANT USAGE ON SCHEMA billing TO {role}" for role in ENTITLEMENT_READERS),
    *(
        f"GRANT SELECT (tenant_id, status, grace_until) ON billing.accounts TO {role}"
        for role in ENTITLEMENT_READERS
    ),
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for table in _tables():
        create_tenant_table(table)
    for statement in STATEMENTS:
        op.execute(statement)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for role in ENTITLEMENT_READERS:
        op.execute(f"REVOKE USAGE ON SCHEMA billing FROM {role}")
    op.execute("REVOKE SELECT ON identity.tenants FROM halopos_billing")
    op.execute("REVOKE USAGE ON SCHEMA identity FROM halopos_billing")
    op.execute("DROP FUNCTION billing.tenants_with_pending_events()")
    op.execute("DROP TABLE billing.stripe_events")
    op.execute("DROP TABLE billing.accounts")
    op.execute("RESET ROLE")
