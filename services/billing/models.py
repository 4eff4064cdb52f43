"""Tables of the billing service (schema `billing`).

- `accounts`: one row per tenant once its owner first starts a checkout: the Stripe customer,
  and the subscription as Stripe last told us (re-fetched, never taken from an event's
  snapshot). Every service and the gateway may read three of its columns (`tenant_id`,
  `status`, `grace_until`): what they need to decide the tenant's entitlement
  (libs/billing/entitlement.py), under the same row-level security.
- `stripe_events`: the webhook inbox. A verified event is stored once by its id (`ON CONFLICT
  DO NOTHING`) under the tenant it names, and applied later by the worker
  (services/billing/worker.py), which records the outcome. Rows are never deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.tenancy.schema import NAMING_CONVENTION, tenant_table

metadata = sa.MetaData(schema="billing", naming_convention=NAMING_CONVENTION)
TS = sa.DateTime(timezone=True)

# Stripe's subscription statuses (https://docs.stripe.com/api/subscriptions/object#status).
SUBSCRIPTION_STATUSES = (
    "incomplete",
    "incomplete_expired",
    "trialing",
    "active",
    "past_due",
    "canceled",
    "unpaid",
    "paused",
)

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
    # Stripe's `created` of the subscription above: a newer one replaces an ended one.
    sa.Column("subscription_created", TS, nullable=True),
    # When the subscription was first seen past due, and when its grace period ends.
    sa.Column("past_due_since", TS, nullable=True),
    sa.Column("grace_until", TS, nullable=True),
    sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    sa.Column("created_at", TS, nullable=False, server_default=sa.text("now()")),
    sa.Column("updated_at", TS, nullable=False, server_default=sa.text("now()")),
    primary_key=(),
    constraints=(
        sa.CheckConstraint(
            "status IS NULL OR status IN ("
            + ", ".join(f"'{status}'" for status in SUBSCRIPTION_STATUSES)
            + ")",
            name="status",
        ),
        sa.CheckConstraint("(status IS NULL) = (subscription_id IS NULL)", name="subscription"),
        sa.CheckConstraint("amount_minor IS NULL OR amount_minor >= 0", name="amount"),
        sa.CheckConstraint("(status = 'past_due') = (grace_until IS NOT NULL)", name="grace"),
    ),
    schema="billing",
)

stripe_events = tenant_table(
    "stripe_events",
    metadata,
    sa.Column("id", sa.Text(), nullable=False),
    sa.Column("type", sa.Text(), nullable=False),
    sa.Column("object_id", sa.Text(), nullable=False),
    sa.Column("stripe_created", TS, nullable=False),
    sa.Column("livemode", sa.Boolean(), nullable=False),
    # The event exactly as Stripe sent it (its signature was checked before it was stored).
    sa.Column("payload", JSONB(), nullable=False),
    sa.Column("received_at", TS, nullable=False, server_default=sa.text("clock_timestamp()")),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("processed_at", TS, nullable=True),
    sa.Column("outcome", sa.Text(), nullable=True),
    sa.Column("last_error", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(sa.CheckConstraint("(processed_at IS NULL) = (outcome IS NULL)", name="outcome"),),
    schema="billing",
)
sa.Index(
    "ix_stripe_events_pending",
    stripe_events.c.tenant_id,
    stripe_events.c.received_at,
    postgresql_where=stripe_events.c.processed_at.is_(None),
)
