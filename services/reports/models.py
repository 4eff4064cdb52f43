"""Tables of the reports service (schema `reports`).

The reports service owns only its period closures; everything else it reads from the orders
and identity schemas (read-only grants, the same row-level security). The tables it reads are
declared in `services/orders/models.py` and `services/identity/models.py`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.tenancy.schema import NAMING_CONVENTION, tenant_fk, tenant_table

metadata = sa.MetaData(schema="reports", naming_convention=NAMING_CONVENTION)

# A closed day, month or year of a location. Insert-only (a trigger refuses UPDATE and DELETE):
# a sale recorded offline that reaches the server after its day was closed re-closes the
# period as the next version, and every version is kept.
period_closures = tenant_table(
    "period_closures",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("first_day", sa.Date(), nullable=False),
    sa.Column("last_day", sa.Date(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    # The period's totals, and the running totals since the location's first closure of
    # this kind: services/reports/closures.py. The digests are SHA-256 over their canonical
    # JSON, and the closure's audit entry carries them.
    sa.Column("totals", JSONB(), nullable=False),
    sa.Column("cumulative", JSONB(), nullable=False),
    sa.Column("totals_sha256", sa.LargeBinary(), nullable=False),
    sa.Column("cumulative_sha256", sa.LargeBinary(), nullable=False),
    # The closure whose running totals this one continues (None: the first).
    sa.Column("previous_id", sa.Uuid(), nullable=True),
    # The audit log's head when the figures were read: they include exactly the entries
    # up to it.
    sa.Column("audit_through_seq", sa.BigInteger(), nullable=False),
    # "close", or "late-arrival" for a re-close.
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("closed_by", sa.Text(), nullable=False),
    sa.Column(
        "closed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=("id",),
    constraints=(
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        tenant_fk(("previous_id",), "reports.period_closures", ("id",)),
        sa.UniqueConstraint("tenant_id", "location_id", "kind", "first_day", "version"),
        sa.CheckConstraint("kind IN ('day', 'month', 'year')", name="kind"),
        sa.CheckConstraint("last_day >= first_day", name="days"),
        sa.CheckConstraint("version > 0", name="version"),
        sa.CheckConstraint("reason IN ('close', 'late-arrival')", name="reason"),
        sa.CheckConstraint(
            "octet_length(totals_sha256) = 32 AND octet_length(cumulative_sha256) = 32",
            name="digests",
        ),
    ),
    schema="reports",
)
