"""Offline sync: the server side of the till's offline queue.

- `orders.sync_operations`: every operation a device uploads, once, by its client-generated
  id, with the device's sequence number, its device-local time and the server's receive
  time, the digest of its content (a replay with other content is refused), and what came
  of it (`pending` until the device's earlier operations arrive, then `applied` or
  `rejected`, with the result or the problem).
- `orders.sync_devices`: how far each device's operations have been applied, in order.
- `orders.sync_flags`: what a reviewer must look at (a client total the server disagrees
  with, a gap in a register's offline receipt numbers, a card payment uploaded too late, a
  sale added to a shift that was already closed...). Resolved, never deleted.
- `orders.z_reports`: every issue of a shift's Z report. The first is written at close; a
  sale that arrives after the close re-issues it as a new version. Insert-only, like
  receipts.
- Receipts get a `series`: '' for numbers the server takes at close, 'O' for the numbers a
  till issues offline from its own series (`R1-O-000001`). Each series of a register is
  gapless on its own.
- `identity.staff.deactivated_at`: when a staff member left the roster, so an operation a
  till recorded offline is checked against the roster as it was when it happened. The
  orders service may read who is on the roster (id, role, dates), nothing else.

Revision ID: 20261127_0900
Revises: 20261126_0900
Create Date: 2026-11-27 09:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261127_0900"
down_revision = "20261126_0900"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    sa.Table(
        "devices",
        metadata,
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("id", sa.Uuid()),
        schema="identity",
    )
    sa.Table(
        "shifts",
        metadata,
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("id", sa.Uuid()),
        schema="orders",
    )
    operations = tenant_table(
        "sync_operations",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", TS, nullable=True),
        sa.Column("received_at", TS, nullable=False, server_default=NOW),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.LargeBinary(), nullable=False),
        sa.Column("content", JSONB(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("result", JSONB(), nullable=True),
        sa.Column("settled_at", TS, nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("device_id",), "identity.devices", ("id",)),
            sa.UniqueConstraint("tenant_id", "device_id", "sequence"),
            sa.CheckConstraint("status IN ('pending', 'applied', 'rejected')", name="status"),
            sa.CheckConstraint("sequence > 0", name="sequence"),
            sa.CheckConstraint("octet_length(content_hash) = 32", name="content_hash"),
        ),
        schema="orders",
    )
    devices = tenant_table(
        "sync_devices",
        metadata,
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("applied_through", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_received_at", TS, nullable=False, server_default=NOW),
        primary_key=("device_id",),
        constraints=(tenant_fk(("device_id",), "identity.devices", ("id",)),),
        schema="orders",
    )
    flags = tenant_table(
        "sync_flags",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("operation_id", sa.Uuid(), nullable=True),
        sa.Column("resource_type", sa.Text(), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("details", JSONB(), nullable=False),
        sa.Column("raised_at", TS, nullable=False, server_default=NOW),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("device_id",), "identity.devices", ("id",)),
            tenant_fk(("operation_id",), "orders.sync_operations", ("id",)),
        ),
        schema="orders",
    )
    z_reports = tenant_table(
        "z_reports",
        metadata,
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("report", JSONB(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("issued_at", TS, nullable=False, server_default=NOW),
        primary_key=("shift_id", "version"),
        constraints=(
            tenant_fk(("shift_id",), "orders.shifts", ("id",)),
            sa.CheckConstraint("version > 0", name="version"),
        ),
        schema="orders",
    )
    sa.Index(
        "ix_sync_flags_open",
        flags.c.tenant_id,
        flags.c.raised_at.desc(),
        flags.c.id.desc(),
        postgresql_where=flags.c.resolved_at.is_(None),
    )
    sa.Index("ix_sync_flags_raised", flags.c.tenant_id, flags.c.raised_at.desc(), flags.c.id.desc())
    return [operations, devices, flags, z_reports]


Z_REPORTS_IMMUTABLE = (
    """
CREATE FUNCTION orders.refuse_z_report_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued Z reports are never changed (a new version is issued): '
        '% refused on %.%', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$
""",
    "REVOKE ALL ON FUNCTION orders.refuse_z_report_change() FROM PUBLIC",
    "CREATE TRIGGER z_reports_immutable BEFORE UPDATE OR DELETE ON orders.z_reports "
    "FOR EACH ROW EXECUTE FUNCTION orders.refuse_z_report_change()",
    "CREATE TRIGGER z_reports_no_truncate BEFORE TRUNCATE ON orders.z_reports "
    "FOR EACH STATEMENT EXECUTE FUNCTION orders.refuse_z_report_change()",
)

GRANTS = (
    "GRANT SELECT, INSERT, UPDATE ON orders.sync_operations, orders.sync_devices, "
    "orders.sync_flags TO halopos_orders",
    "GRANT SELECT, INSERT ON orders.z_reports TO halopos_orders",
    # Who was on the roster when an offline operation happened.
    "GRANT SELECT (tenant_id, id, role, active, created_at, deactivated_at) ON identity.staff "
    "TO halopos_orders",
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.add_column("staff", sa.Column("deactivated_at", TS, nullable=True), schema="identity")
    for table in _tables():
        create_tenant_table(table)
    for statement in (*Z_REPORTS_IMMUTABLE, *GRANTS):
        op.execute(statement)
    op.add_column(
        "receipts",
        sa.Column("series", sa.Text(), nullable=False, server_default=sa.text("''")),
        schema="orders",
    )
    op.create_check_constraint(
        "ck_receipts_series", "receipts", "series IN ('', 'O')", schema="orders"
    )
    op.drop_constraint(
        "uq_receipts_tenant_id_register_id_sequence", "receipts", schema="orders", type_="unique"
    )
    op.create_unique_constraint(
        "uq_receipts_tenant_id_register_id_series_sequence",
        "receipts",
        ["tenant_id", "register_id", "series", "sequence"],
        schema="orders",
    )
    op.execute("RESET ROLE")

    # As the migrating superuser, across tenants (forced row-level security would hide them
    # from the owner role): the Z reports already issued are their first version, and staff
    # already deactivated left the roster at their last change.
    op.execute(
        "INSERT INTO orders.z_reports (tenant_id, shift_id, version, report, reason, issued_by,"
        " issued_at) SELECT tenant_id, id, 1, z_report || '{\"version\": 1}'::jsonb, 'close',"
        " closed_by, closed_at FROM orders.shifts WHERE status = 'closed'"
    )
    op.execute(
        "UPDATE orders.shifts SET z_report = z_report || '{\"version\": 1}'::jsonb"
        " WHERE status = 'closed'"
    )
    op.execute("UPDATE identity.staff SET deactivated_at = updated_at WHERE NOT active")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.drop_constraint(
        "uq_receipts_tenant_id_register_id_series_sequence",
        "receipts",
        schema="orders",
        type_="unique",
    )
    op.create_unique_constraint(
        "uq_receipts_tenant_id_register_id_sequence",
        "receipts",
        ["tenant_id", "register_id", "sequence"],
        schema="orders",
    )
    op.drop_constraint("ck_receipts_series", "receipts", schema="orders", type_="check")
    op.drop_column("receipts", "series", schema="orders")
    op.execute("REVOKE SELECT ON identity.staff FROM halopos_orders")
    for table in reversed(_tables()):
        op.execute(f"DROP TABLE orders.{table.name}")
    op.execute("DROP FUNCTION orders.refuse_z_report_change()")
    op.drop_column("staff", "deactivated_at", schema="identity")
    op.execute("RESET ROLE")
