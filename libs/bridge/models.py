"""The bridge tables (schema `bridge`): the venue Bridges' tokens and their print queue.

The bridge service manages tokens and leases jobs; the orders service only inserts jobs, in
the transaction of the event that causes them (libs/bridge/queue.py); the gateway only reads
tokens, to verify the one a Bridge presents (libs/bridge/token_verifier.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from libs.tenancy.schema import NAMING_CONVENTION, tenant_fk, tenant_table

metadata = sa.MetaData(schema="bridge", naming_convention=NAMING_CONVENTION)
_TS = sa.DateTime(timezone=True)

PRINTER_ROLES = ("receipt", "kitchen", "bar")
JOB_KINDS = ("receipt", "kitchen_ticket", "reprint")
JOB_STATUSES = ("queued", "printed", "failed", "expired")

# One Bridge of one location. Its secrets are in `token_secrets`; the token itself is never
# stored, only a SHA-256 digest of it.
tokens = tenant_table(
    "tokens",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    # The last four characters of the current secret, so an owner can tell tokens apart.
    sa.Column("hint", sa.Text(), nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("created_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("rotated_at", _TS, nullable=True),
    sa.Column("revoked_at", _TS, nullable=True),
    sa.Column("revoked_by", sa.Text(), nullable=True),
    sa.Column("last_used_at", _TS, nullable=True),
    sa.Column("last_used_address", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        sa.CheckConstraint("char_length(name) BETWEEN 1 AND 100", name="name"),
    ),
    schema="bridge",
)

# The digests a token is accepted by: the current one (no expiry) and, for the grace period
# after a rotation, the previous ones.
token_secrets = tenant_table(
    "token_secrets",
    metadata,
    sa.Column("digest", sa.LargeBinary(), nullable=False),
    sa.Column("token_id", sa.Uuid(), nullable=False),
    sa.Column("created_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("expires_at", _TS, nullable=True),
    primary_key=("digest",),
    constraints=(
        tenant_fk(("token_id",), "bridge.tokens", ("id",)),
        sa.CheckConstraint("octet_length(digest) = 32", name="digest"),
    ),
    schema="bridge",
)
sa.Index("ix_token_secrets_token", token_secrets.c.tenant_id, token_secrets.c.token_id)

# A print job: ESC/POS bytes for one printer role at one location. `queued` jobs are leased
# by a poll (`available_at` moves to the end of the lease) until acknowledged `printed`, or
# parked `failed` after too many attempts, or `expired` when too old to be worth printing.
print_jobs = tenant_table(
    "print_jobs",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("printer_role", sa.Text(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    # What a person sees in the backoffice: "Receipt R1-000123", "Kitchen: table 4".
    sa.Column("summary", sa.Text(), nullable=False),
    sa.Column("order_id", sa.Uuid(), nullable=True),
    sa.Column("receipt_id", sa.Uuid(), nullable=True),
    # The register the job was caused at, for a Bridge that has a receipt printer per till.
    sa.Column("register_number", sa.Integer(), nullable=True),
    sa.Column("body", sa.LargeBinary(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False, server_default="queued"),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("available_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("leased_by", sa.Uuid(), nullable=True),
    sa.Column("leased_at", _TS, nullable=True),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("created_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("expires_at", _TS, nullable=False),
    sa.Column("finished_at", _TS, nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        tenant_fk(("order_id",), "orders.orders", ("id",)),
        tenant_fk(("receipt_id",), "orders.receipts", ("id",)),
        sa.CheckConstraint(
            f"printer_role IN {PRINTER_ROLES!r}".replace('"', "'"), name="printer_role"
        ),
        sa.CheckConstraint(f"kind IN {JOB_KINDS!r}".replace('"', "'"), name="kind"),
        sa.CheckConstraint(f"status IN {JOB_STATUSES!r}".replace('"', "'"), name="status"),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
    ),
    schema="bridge",
)
# The lease query: a location's queued jobs, oldest first.
sa.Index(
    "ix_print_jobs_queue",
    print_jobs.c.tenant_id,
    print_jobs.c.location_id,
    print_jobs.c.available_at,
    postgresql_where=print_jobs.c.status == "queued",
)
# The backoffice list: a business's jobs, newest first.
sa.Index(
    "ix_print_jobs_created",
    print_jobs.c.tenant_id,
    print_jobs.c.created_at.desc(),
    print_jobs.c.id.desc(),
)
