"""The audit tables (schema `audit`), shared by every writer through `libs.audit.append`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.tenancy.schema import NAMING_CONVENTION, tenant_table

metadata = sa.MetaData(schema="audit", naming_convention=NAMING_CONVENTION)

events = tenant_table(
    "events",
    metadata,
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column(
        "recorded_at",
        sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.text("clock_timestamp()"),
    ),
    sa.Column("service", sa.Text(), nullable=False),
    sa.Column("actor_type", sa.Text(), nullable=False),
    sa.Column("actor_id", sa.Text(), nullable=False),
    sa.Column("action", sa.Text(), nullable=False),
    sa.Column("resource_type", sa.Text(), nullable=False),
    sa.Column("resource_id", sa.Text(), nullable=False),
    sa.Column("request_id", sa.Text(), nullable=True),
    sa.Column("payload", JSONB(), nullable=False),
    sa.Column("prev_hash", sa.LargeBinary(), nullable=False),
    sa.Column("hash", sa.LargeBinary(), nullable=False),
    primary_key=("seq",),
    constraints=(
        sa.UniqueConstraint("tenant_id", "prev_hash"),
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("seq > 0", name="seq"),
        sa.CheckConstraint("octet_length(hash) = 32 AND octet_length(prev_hash) = 32", name="hash"),
    ),
    schema="audit",
)
sa.Index("ix_events_occurred", events.c.tenant_id, events.c.occurred_at)

# The tenant's latest seq and hash; its row lock serialises one tenant's appends.
chain_heads = tenant_table(
    "chain_heads",
    metadata,
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("hash", sa.LargeBinary(), nullable=False),
    primary_key=(),
    schema="audit",
)

# Signed statements of a tenant's chain at a size (docs/audit-chain.md); append-only.
checkpoints = tenant_table(
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
