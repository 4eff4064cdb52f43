"""The outbox table (schema `webhooks`): what the writers record for integrators.

`messages` is written by the orders and reports services, INSERT only, in the transaction of
the event itself (outbox.py), and read by the webhooks service, which fans each message out to
the business's endpoints (services/webhooks/worker.py) and marks it `fanned_out_at`. The rest
of the schema (endpoints, deliveries, attempts) is the webhooks service's own
(services/webhooks/models.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.tenancy.schema import NAMING_CONVENTION, tenant_table

metadata = sa.MetaData(schema="webhooks", naming_convention=NAMING_CONVENTION)
TS = sa.DateTime(timezone=True)

messages = tenant_table(
    "messages",
    metadata,
    # The `webhook-id` every delivery of the message carries, the same on every retry, so a
    # receiver can drop what it has seen.
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("event_type", sa.Text(), nullable=False),
    sa.Column("payload", JSONB(), nullable=False),
    # When the event happened (the writer's clock; for an offline sale, the till's).
    sa.Column("occurred_at", TS, nullable=False),
    sa.Column("recorded_at", TS, nullable=False, server_default=sa.text("clock_timestamp()")),
    # When the worker made a delivery per subscribed endpoint; NULL: not yet.
    sa.Column("fanned_out_at", TS, nullable=True),
    primary_key=("id",),
    schema="webhooks",
)
sa.Index(
    "ix_messages_waiting",
    messages.c.tenant_id,
    messages.c.recorded_at,
    postgresql_where=messages.c.fanned_out_at.is_(None),
)
