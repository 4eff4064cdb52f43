"""Daily facts: per location, day and register, what the sales and refunds add up to, kept
current by the orders service in each sale's own transaction (libs/sales/day_facts.py), so
the reports read days instead of orders (docs/reports.md, "Daily facts").

- `orders.day_sales`, `day_tenders`, `day_tax`, `day_items`, `day_modifiers`: tenant tables
  (row-level security like every orders table) of additive columns. The orders role reads,
  inserts and updates them (a change adds its difference); the reports role reads them.
- The facts are filed under the business day the location's calendar gives: the orders role
  reads a location's cutoff since 20261207_1500.

The backfill: every business's facts are computed here, from the orders, payments and
refunds already stored, by `services.orders.day_facts.rebuild` — the same pure functions the
unit of work adds each sale's difference with, so facts written before and after this
revision are the same arithmetic. It runs as the owner role with each tenant bound in turn,
so row-level security scopes every read and write to that tenant, inside this migration's
transaction: the tables never exist without their facts (a backfill left to a later job
would leave reports reading empty days in between, and one written again in SQL would be a
second definition to keep equal). A business's year is a few minutes at most (the bench's
500,000 orders: see bench/results/reports.md).

Revision ID: 20261207_1645
Revises: 20261207_1630
Create Date: 2026-12-07 16:45
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_table

revision = "20261207_1645"
down_revision = "20261207_1630"
branch_labels = None
depends_on = None

TABLES = ("day_sales", "day_tenders", "day_tax", "day_items", "day_modifiers")


def _facts(*names: str) -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.BigInteger(), nullable=False, server_default=sa.text("0"))
        for name in names
    ]


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")

    def at() -> tuple[sa.Column[object], ...]:
        return (
            sa.Column("location_id", sa.Uuid(), nullable=False),
            sa.Column("business_day", sa.Date(), nullable=False),
            sa.Column("register_id", sa.Uuid(), nullable=False),
        )

    day_keys = ("location_id", "business_day", "register_id")
    sales = tenant_table(
        "day_sales",
        metadata,
        *at(),
        *_facts(
            "orders",
            "covers",
            "gross_sales_minor",
            "discounts_minor",
            "service_charges_minor",
            "tips_minor",
            "rounding_minor",
            "voided_orders",
            "voided_orders_minor",
            "voided_lines",
            "voided_lines_minor",
            "refunds",
            "refunds_minor",
            "refunds_tax_minor",
        ),
        primary_key=day_keys,
        schema="orders",
    )
    tenders = tenant_table(
        "day_tenders",
        metadata,
        *at(),
        sa.Column("tender", sa.Text(), nullable=False),
        *_facts("payments", "paid_minor", "refunded_minor"),
        primary_key=(*day_keys, "tender"),
        schema="orders",
    )
    tax = tenant_table(
        "day_tax",
        metadata,
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("register_id", sa.Uuid(), nullable=False),
        sa.Column("refund", sa.Boolean(), nullable=False),
        sa.Column("rate", sa.Numeric(6, 3), nullable=False),
        *_facts("net_minor", "tax_minor", "gross_minor"),
        primary_key=("location_id", "attribution", "day", "register_id", "refund", "rate"),
        constraints=(
            sa.CheckConstraint(
                "attribution IN ('business', 'accrual', 'cash')", name="attribution"
            ),
        ),
        schema="orders",
    )
    items = tenant_table(
        "day_items",
        metadata,
        *at(),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        *_facts(
            "quantity",
            "gross_sales_minor",
            "discounts_minor",
            "service_charges_minor",
            "net_sales_minor",
            "refunded_quantity",
            "refunds_minor",
        ),
        primary_key=(*day_keys, "item_id", "name"),
        schema="orders",
    )
    modifiers = tenant_table(
        "day_modifiers",
        metadata,
        *at(),
        sa.Column("modifier_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        *_facts("quantity", "gross_minor"),
        primary_key=(*day_keys, "modifier_id", "name"),
        schema="orders",
    )
    return [sales, tenders, tax, items, modifiers]


def _backfill(tenants: list[object]) -> None:
    """Each business's facts from its stored sales, one tenant bound at a time.

    This calls today's `rebuild`, not a copy frozen with this revision. While the fact tables
    keep this revision's shape that is what keeps one definition; a later revision that
    changes their columns, or what a fact means, must rebuild the facts itself (truncate and
    call `rebuild` again) and give this one a frozen copy of the arithmetic, or a fresh
    database migrated through here would be written with columns it does not have yet."""
    from services.orders.day_facts import rebuild

    bind = op.get_bind()
    driver = bind.connection.driver_connection
    for tenant in tenants:
        bind.execute(
            sa.text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant)}
        )
        await_only(rebuild(driver))
    bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))


def upgrade() -> None:
    # Read as the migrating superuser: the owner sees no tenant's rows until one is bound.
    tenants = [
        row[0] for row in op.get_bind().execute(sa.text("SELECT tenant_id FROM orders.settings"))
    ]
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for table in _tables():
        create_tenant_table(table)
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON orders.{table.name} TO halopos_orders")
        op.execute(f"GRANT SELECT ON orders.{table.name} TO halopos_reports")
    _backfill(tenants)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for table in reversed(TABLES):
        op.drop_table(table, schema="orders")
    op.execute("RESET ROLE")
