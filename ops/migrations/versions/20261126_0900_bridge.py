"""Bridge: tokens for the venue's print Bridges and the print queue they poll.

- `bridge.tokens` and `bridge.token_secrets` (digests only) are managed by the bridge
  service; the gateway may read them, to verify a Bridge's token before routing.
- `bridge.print_jobs` is written by the orders service (INSERT only, in the transaction of
  the receipt, kitchen order or reprint that causes the job) and leased and acknowledged by
  the bridge service. A row trigger NOTIFYs `bridge_print_jobs` with `<tenant>:<location>`
  whenever a job becomes available, so a waiting poll answers at once.
- Menu categories name the printer their items go to (kitchen or bar); order lines record
  when they were sent there.
- The orders service may read a location's name and time zone and the business's name, for
  what a receipt prints at its top.

Revision ID: 20261126_0900
Revises: 20261125_0900
Create Date: 2026-11-26 09:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import GATEWAY_ROLE, OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261126_0900"
down_revision = "20261125_0900"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
CHANNEL = "bridge_print_jobs"


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    for schema, name in (("identity", "locations"), ("orders", "orders"), ("orders", "receipts")):
        sa.Table(
            name,
            metadata,
            sa.Column("tenant_id", sa.Uuid()),
            sa.Column("id", sa.Uuid()),
            schema=schema,
        )
    tokens = tenant_table(
        "tokens",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("hint", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("rotated_at", TS, nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("revoked_by", sa.Text(), nullable=True),
        sa.Column("last_used_at", TS, nullable=True),
        sa.Column("last_used_address", sa.Text(), nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("location_id",), "identity.locations", ("id",)),
            sa.CheckConstraint("char_length(name) BETWEEN 1 AND 100", name="name"),
        ),
        schema="bridge",
    )
    secrets = tenant_table(
        "token_secrets",
        metadata,
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.Column("token_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("expires_at", TS, nullable=True),
        primary_key=("digest",),
        constraints=(
            tenant_fk(("token_id",), "bridge.tokens", ("id",)),
            sa.CheckConstraint("octet_length(digest) = 32", name="digest"),
        ),
        schema="bridge",
    )
    jobs = tenant_table(
        "print_jobs",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("printer_role", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("receipt_id", sa.Uuid(), nullable=True),
        sa.Column("register_number", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("available_at", TS, nullable=False, server_default=NOW),
        sa.Column("leased_by", sa.Uuid(), nullable=True),
        sa.Column("leased_at", TS, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("location_id",), "identity.locations", ("id",)),
            tenant_fk(("order_id",), "orders.orders", ("id",)),
            tenant_fk(("receipt_id",), "orders.receipts", ("id",)),
            sa.CheckConstraint(
                "printer_role IN ('receipt', 'kitchen', 'bar')", name="printer_role"
            ),
            sa.CheckConstraint("kind IN ('receipt', 'kitchen_ticket', 'reprint')", name="kind"),
            sa.CheckConstraint(
                "status IN ('queued', 'printed', 'failed', 'expired')", name="status"
            ),
            sa.CheckConstraint("attempts >= 0", name="attempts"),
        ),
        schema="bridge",
    )
    sa.Index("ix_token_secrets_token", secrets.c.tenant_id, secrets.c.token_id)
    sa.Index(
        "ix_print_jobs_queue",
        jobs.c.tenant_id,
        jobs.c.location_id,
        jobs.c.available_at,
        postgresql_where=jobs.c.status == "queued",
    )
    sa.Index("ix_print_jobs_created", jobs.c.tenant_id, jobs.c.created_at.desc(), jobs.c.id.desc())
    return [tokens, secrets, jobs]


NOTIFY = (
    f"""
CREATE FUNCTION bridge.notify_print_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', NEW.tenant_id::text || ':' || NEW.location_id::text);
    RETURN NULL;
END $$
""",
    "REVOKE ALL ON FUNCTION bridge.notify_print_job() FROM PUBLIC",
    # Delivered at commit, so a woken poll finds the job. A lease moves `available_at` into
    # the future and wakes nobody; a job put back (a failed print, a retry) wakes the Bridge.
    "CREATE TRIGGER print_jobs_notify AFTER INSERT OR UPDATE ON bridge.print_jobs "
    "FOR EACH ROW WHEN (NEW.status = 'queued' AND NEW.available_at <= now()) "
    "EXECUTE FUNCTION bridge.notify_print_job()",
)

GRANTS = (
    "GRANT SELECT, INSERT, UPDATE ON bridge.tokens, bridge.token_secrets TO halopos_bridge",
    "GRANT SELECT, UPDATE ON bridge.print_jobs TO halopos_bridge",
    "GRANT USAGE ON SCHEMA bridge TO halopos_orders",
    "GRANT INSERT ON bridge.print_jobs TO halopos_orders",
    f"GRANT USAGE ON SCHEMA bridge TO {GATEWAY_ROLE}",
    f"GRANT SELECT ON bridge.tokens, bridge.token_secrets TO {GATEWAY_ROLE}",
    # What a receipt prints at its top: the business and the venue, in the venue's time.
    "GRANT USAGE ON SCHEMA identity TO halopos_orders",
    "GRANT SELECT (tenant_id, name) ON identity.tenants TO halopos_orders",
    "GRANT SELECT (tenant_id, id, name, time_zone) ON identity.locations TO halopos_orders",
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for table in _tables():
        create_tenant_table(table)
    for statement in (*NOTIFY, *GRANTS):
        op.execute(statement)
    op.add_column(
        "menu_categories", sa.Column("printer_role", sa.Text(), nullable=True), schema="orders"
    )
    op.create_check_constraint(
        "ck_menu_categories_printer_role",
        "menu_categories",
        "printer_role IN ('kitchen', 'bar')",
        schema="orders",
    )
    op.add_column("order_lines", sa.Column("fired_at", TS, nullable=True), schema="orders")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.drop_column("order_lines", "fired_at", schema="orders")
    op.drop_constraint(
        "ck_menu_categories_printer_role", "menu_categories", schema="orders", type_="check"
    )
    op.drop_column("menu_categories", "printer_role", schema="orders")
    for statement in (
        "REVOKE SELECT ON identity.tenants, identity.locations FROM halopos_orders",
        "REVOKE USAGE ON SCHEMA identity FROM halopos_orders",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA bridge FROM {GATEWAY_ROLE}, halopos_orders",
        f"REVOKE USAGE ON SCHEMA bridge FROM {GATEWAY_ROLE}, halopos_orders",
        "DROP TABLE bridge.print_jobs, bridge.token_secrets, bridge.tokens",
        "DROP FUNCTION bridge.notify_print_job()",
    ):
        op.execute(statement)
    op.execute("RESET ROLE")
