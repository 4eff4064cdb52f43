"""Tables of the webhooks service (schema `webhooks`); the outbox itself, `messages`, is in
libs/webhooks/models.py because the orders and reports services write it.

- `endpoints`: where a business wants its events sent: an https URL, the event types it
  subscribed to, and its signing secret, encrypted (services/webhooks/secrets.py) because
  the sender must sign with it; during a rotation the previous secret too, until it expires.
  `status` is `enabled` or `disabled` (by the owner, or by the worker after repeated failure,
  with the reason); `failing_since` and `exhausted_in_a_row` are the worker's evidence.
- `deliveries`: one per message and subscribed endpoint, made when the worker fans the message
  out; `pending` until a 2xx (`delivered`) or the retry schedule is spent (`failed`).
  `next_attempt_at` is also the claim: a worker that takes a delivery moves it past the send
  timeout first, so no other worker sends it meanwhile.
- `attempts`: every try of a delivery, the delivery log an owner reads.
Deleting an endpoint deletes its deliveries and their attempts; the audit log keeps the story.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from libs.tenancy.schema import NAMING_CONVENTION, tenant_fk, tenant_table

metadata = sa.MetaData(schema="webhooks", naming_convention=NAMING_CONVENTION)
TS = sa.DateTime(timezone=True)

ENDPOINT_STATUSES = ("enabled", "disabled")
DELIVERY_STATUSES = ("pending", "delivered", "failed")

endpoints = tenant_table(
    "endpoints",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("event_types", ARRAY(sa.Text()), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("disabled_reason", sa.Text(), nullable=True),
    sa.Column("disabled_at", TS, nullable=True),
    sa.Column("secret_ciphertext", sa.LargeBinary(), nullable=False),
    sa.Column("previous_secret_ciphertext", sa.LargeBinary(), nullable=True),
    sa.Column("previous_secret_expires_at", TS, nullable=True),
    sa.Column("failing_since", TS, nullable=True),
    sa.Column("exhausted_in_a_row", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("created_at", TS, nullable=False, server_default=sa.text("now()")),
    sa.Column("updated_at", TS, nullable=False, server_default=sa.text("now()")),
    primary_key=("id",),
    constraints=(
        sa.CheckConstraint("status IN ('enabled', 'disabled')", name="status"),
        sa.CheckConstraint("(status = 'disabled') = (disabled_at IS NOT NULL)", name="disabled"),
        sa.CheckConstraint(
            "(previous_secret_ciphertext IS NULL) = (previous_secret_expires_at IS NULL)",
            name="previous_secret",
        ),
    ),
    schema="webhooks",
)
sa.Index("ix_endpoints_created", endpoints.c.tenant_id, endpoints.c.created_at, endpoints.c.id)

deliveries = tenant_table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("endpoint_id", sa.Uuid(), nullable=False),
    sa.Column("message_id", sa.Uuid(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("attempt_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
    # Attempts since the delivery was last replayed: the retry schedule's position.
    sa.Column("attempts_in_round", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("next_attempt_at", TS, nullable=True),
    sa.Column("last_attempt_at", TS, nullable=True),
    sa.Column("delivered_at", TS, nullable=True),
    sa.Column("created_at", TS, nullable=False, server_default=sa.text("clock_timestamp()")),
    primary_key=("id",),
    constraints=(
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        sa.CheckConstraint("(status = 'pending') = (next_attempt_at IS NOT NULL)", name="due"),
        sa.UniqueConstraint("tenant_id", "endpoint_id", "message_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "endpoint_id"],
            ["webhooks.endpoints.tenant_id", "webhooks.endpoints.id"],
            ondelete="CASCADE",
        ),
        tenant_fk(("message_id",), "webhooks.messages", ("id",)),
    ),
    schema="webhooks",
)
sa.Index(
    "ix_deliveries_due",
    deliveries.c.tenant_id,
    deliveries.c.next_attempt_at,
    postgresql_where=deliveries.c.status == "pending",
)
sa.Index(
    "ix_deliveries_log",
    deliveries.c.tenant_id,
    deliveries.c.endpoint_id,
    deliveries.c.created_at,
    deliveries.c.id,
)

attempts = tenant_table(
    "attempts",
    metadata,
    sa.Column("delivery_id", sa.Uuid(), nullable=False),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("attempted_at", TS, nullable=False),
    sa.Column("status_code", sa.SmallInteger(), nullable=True),
    sa.Column("duration_ms", sa.Integer(), nullable=False),
    sa.Column("error", sa.Text(), nullable=True),
    primary_key=("delivery_id", "number"),
    constraints=(
        sa.ForeignKeyConstraint(
            ["tenant_id", "delivery_id"],
            ["webhooks.deliveries.tenant_id", "webhooks.deliveries.id"],
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("number > 0", name="number"),
        sa.CheckConstraint("duration_ms >= 0", name="duration"),
    ),
    schema="webhooks",
)
