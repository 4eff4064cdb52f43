"""Reports: what the reports service may read, its period closures, and the indexes its
rollups range over.

- The reports role reads the sales, refunds, payments, shifts and Z reports of the orders
  schema, the locations (time zone and business-day cutoff) and the tenant registry, and the
  audit log's head (the position its figures were read at). SELECT only, under the same
  row-level security as everyone else: it sees one tenant per transaction.
- `reports.period_closures`: a closed day, month or year of a location, with its totals and
  the running totals since the location's first closure, each with its SHA-256; the closure's
  audit entry carries both digests, so the chain vouches for what was closed. Insert-only, like
  the Z reports: a late sale re-closes the period as a new version.
- The reports service appends those audit entries, so it becomes an audit writer.
- Indexes for business-day ranges: orders by location and close time, payments and refunds by
  time, shifts by location and close time; and the voided lines alone.

Revision ID: 20261128_0900
Revises: 20261127_0900
Create Date: 2026-11-28 09:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261128_0900"
down_revision = "20261127_0900"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    sa.Table(
        "locations",
        metadata,
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("id", sa.Uuid()),
        schema="identity",
    )
    closures = tenant_table(
        "period_closures",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("totals", JSONB(), nullable=False),
        sa.Column("cumulative", JSONB(), nullable=False),
        sa.Column("totals_sha256", sa.LargeBinary(), nullable=False),
        sa.Column("cumulative_sha256", sa.LargeBinary(), nullable=False),
        sa.Column("previous_id", sa.Uuid(), nullable=True),
        sa.Column("audit_through_seq", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.Text(), nullable=False),
        sa.Column("closed_at", TS, nullable=False, server_default=sa.text("now()")),
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
    return [closures]


CLOSURES_IMMUTABLE = (
    """
CREATE FUNCTION reports.refuse_closure_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'period closures are never changed (a new version is issued): '
        '% refused on %.%', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$
""",
    "REVOKE ALL ON FUNCTION reports.refuse_closure_change() FROM PUBLIC",
    "CREATE TRIGGER period_closures_immutable BEFORE UPDATE OR DELETE ON reports.period_closures "
    "FOR EACH ROW EXECUTE FUNCTION reports.refuse_closure_change()",
    "CREATE TRIGGER period_closures_no_truncate BEFORE TRUNCATE ON reports.period_closures "
    "FOR EACH STATEMENT EXECUTE FUNCTION reports.refuse_closure_change()",
)

# What the figures are made of, read-only. Not the idempotency keys, the sync queue, the
# menu's modifiers or the staff: nothing a report prints comes from them.
READS = (
    "identity.tenants, identity.locations",
    "orders.settings, orders.orders, orders.order_lines, orders.payments, orders.refunds, "
    "orders.refund_tenders, orders.shifts, orders.cash_movements, orders.registers, "
    "orders.z_reports, orders.menu_items, orders.menu_categories",
)

GRANTS = (
    "GRANT USAGE ON SCHEMA identity, orders, audit TO halopos_reports",
    *(f"GRANT SELECT ON {tables} TO halopos_reports" for tables in READS),
    "GRANT SELECT, INSERT ON reports.period_closures TO halopos_reports",
    "GRANT SELECT, INSERT ON audit.events TO halopos_reports",
    "GRANT SELECT, INSERT, UPDATE ON audit.chain_heads TO halopos_reports",
)

INDEXES = (
    ("ix_orders_location_closed", "orders", ["tenant_id", "location_id", "closed_at"]),
    ("ix_payments_created", "payments", ["tenant_id", "created_at"]),
    ("ix_refunds_created", "refunds", ["tenant_id", "created_at"]),
    ("ix_shifts_location_closed", "shifts", ["tenant_id", "location_id", "closed_at"]),
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for table in _tables():
        create_tenant_table(table)
    for name, indexed, columns in INDEXES:
        op.create_index(name, indexed, columns, schema="orders")
    # The few voided lines, without reading every line of the period (bench/reports.py).
    op.create_index(
        "ix_order_lines_voided",
        "order_lines",
        ["tenant_id", "order_id"],
        schema="orders",
        postgresql_where=sa.text("status = 'voided'"),
    )
    for statement in (*CLOSURES_IMMUTABLE, *GRANTS):
        op.execute(statement)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for tables in READS:
        op.execute(f"REVOKE SELECT ON {tables} FROM halopos_reports")
    op.execute("REVOKE ALL ON audit.events, audit.chain_heads FROM halopos_reports")
    op.execute("REVOKE USAGE ON SCHEMA identity, orders, audit FROM halopos_reports")
    op.drop_index("ix_order_lines_voided", "order_lines", schema="orders")
    for name, indexed, _ in reversed(INDEXES):
        op.drop_index(name, indexed, schema="orders")
    op.execute("DROP TABLE reports.period_closures")
    op.execute("DROP FUNCTION reports.refuse_closure_change()")
    op.execute("RESET ROLE")
