"""POS core: business settings and tax rates by effective date, the menu, registers and
shifts, priced orders, payments, refunds and immutable receipts.

Existing businesses get their region's default tax categories (GST and GST-free in
Australia; standard and reduced VAT in Germany) and settings; existing orders keep their
totals and are treated as tax-inclusive at 0% (they predate tax configuration).

Revision ID: 20261124_0900
Revises: 20261123_1700
Create Date: 2026-11-24 09:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261124_0900"
down_revision = "20261123_1700"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
MONEY = sa.BigInteger()
RATE = sa.Numeric(6, 3)
NOW = sa.text("now()")
ZERO = sa.text("0")


def _created() -> sa.Column[object]:
    return sa.Column("created_at", TS, nullable=False, server_default=NOW)


def _edited() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.Column("archived_at", TS, nullable=True),
    ]


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    for schema, name in (("identity", "locations"), ("identity", "devices"), ("orders", "orders")):
        sa.Table(
            name,
            metadata,
            sa.Column("tenant_id", sa.Uuid()),
            sa.Column("id", sa.Uuid()),
            schema=schema,
        )
    t = "orders"
    settings = tenant_table(
        "settings",
        metadata,
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column(
            "cash_rounding_minor", sa.SmallInteger(), nullable=False, server_default=sa.text("1")
        ),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        primary_key=(),
        constraints=(
            sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
            sa.CheckConstraint("cash_rounding_minor IN (1, 5, 10)", name="cash_rounding_minor"),
        ),
        schema=t,
    )
    tax_categories = tenant_table(
        "tax_categories",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        _created(),
        sa.Column("archived_at", TS, nullable=True),
        primary_key=("id",),
        constraints=(
            sa.UniqueConstraint("tenant_id", "code"),
            sa.CheckConstraint("code ~ '^[a-z0-9][a-z0-9-]{0,39}$'", name="code"),
        ),
        schema=t,
    )
    tax_rates = tenant_table(
        "tax_rates",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tax_category_id", sa.Uuid(), nullable=False),
        sa.Column("rate_percent", RATE, nullable=False),
        sa.Column("effective_from", TS, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        _created(),
        primary_key=("id",),
        constraints=(
            tenant_fk(("tax_category_id",), "orders.tax_categories", ("id",)),
            sa.UniqueConstraint("tenant_id", "tax_category_id", "effective_from"),
            sa.CheckConstraint("rate_percent >= 0 AND rate_percent < 100", name="rate_percent"),
        ),
        schema=t,
    )
    menu_categories = tenant_table(
        "menu_categories",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default=ZERO),
        *_edited(),
        primary_key=("id",),
        schema=t,
    )
    menu_items = tenant_table(
        "menu_items",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("tax_category_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("price_minor", MONEY, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default=ZERO),
        *_edited(),
        primary_key=("id",),
        constraints=(
            tenant_fk(("category_id",), "orders.menu_categories", ("id",)),
            tenant_fk(("tax_category_id",), "orders.tax_categories", ("id",)),
            sa.CheckConstraint("price_minor >= 0", name="price_minor"),
        ),
        schema=t,
    )
    location_prices = tenant_table(
        "menu_item_location_prices",
        metadata,
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("price_minor", MONEY, nullable=False),
        primary_key=("item_id", "location_id"),
        constraints=(
            tenant_fk(("item_id",), "orders.menu_items", ("id",)),
            tenant_fk(("location_id",), "identity.locations", ("id",)),
            sa.CheckConstraint("price_minor >= 0", name="price_minor"),
        ),
        schema=t,
    )
    modifier_groups = tenant_table(
        "modifier_groups",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("min_choices", sa.SmallInteger(), nullable=False, server_default=ZERO),
        sa.Column("max_choices", sa.SmallInteger(), nullable=False, server_default=sa.text("1")),
        *_edited(),
        primary_key=("id",),
        constraints=(
            sa.CheckConstraint(
                "min_choices >= 0 AND max_choices >= 1 AND min_choices <= max_choices",
                name="choices",
            ),
        ),
        schema=t,
    )
    modifiers = tenant_table(
        "modifiers",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("price_minor", MONEY, nullable=False, server_default=ZERO),
        sa.Column("position", sa.Integer(), nullable=False, server_default=ZERO),
        *_edited(),
        primary_key=("id",),
        constraints=(
            tenant_fk(("group_id",), "orders.modifier_groups", ("id",)),
            sa.CheckConstraint("price_minor >= 0", name="price_minor"),
        ),
        schema=t,
    )
    item_groups = tenant_table(
        "menu_item_modifier_groups",
        metadata,
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default=ZERO),
        primary_key=("item_id", "group_id"),
        constraints=(
            tenant_fk(("item_id",), "orders.menu_items", ("id",)),
            tenant_fk(("group_id",), "orders.modifier_groups", ("id",)),
        ),
        schema=t,
    )
    registers = tenant_table(
        "registers",
        metadata,
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("last_receipt_number", sa.BigInteger(), nullable=False, server_default=ZERO),
        _created(),
        primary_key=("device_id",),
        constraints=(
            tenant_fk(("device_id",), "identity.devices", ("id",)),
            sa.UniqueConstraint("tenant_id", "number"),
            sa.CheckConstraint("number > 0", name="number"),
        ),
        schema=t,
    )
    shifts = tenant_table(
        "shifts",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("register_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="open"),
        sa.Column("opening_float_minor", MONEY, nullable=False),
        sa.Column("opened_by", sa.Text(), nullable=False),
        sa.Column("opened_at", TS, nullable=False, server_default=NOW),
        sa.Column("closed_by", sa.Text(), nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("force_closed_by", sa.Text(), nullable=True),
        sa.Column("z_report", JSONB(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        primary_key=("id",),
        constraints=(
            tenant_fk(("register_id",), "orders.registers", ("device_id",)),
            sa.CheckConstraint("status IN ('open', 'closed')", name="status"),
            sa.CheckConstraint("opening_float_minor >= 0", name="opening_float_minor"),
        ),
        schema=t,
    )
    sa.Index(
        "ix_shifts_open_register",
        shifts.c.tenant_id,
        shifts.c.register_id,
        unique=True,
        postgresql_where=shifts.c.status == "open",
    )
    cash_movements = tenant_table(
        "cash_movements",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("amount_minor", MONEY, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        _created(),
        primary_key=("id",),
        constraints=(
            tenant_fk(("shift_id",), "orders.shifts", ("id",)),
            sa.CheckConstraint("kind IN ('paid_in', 'paid_out')", name="kind"),
            sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
        ),
        schema=t,
    )
    payments = tenant_table(
        "payments",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("tender", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("amount_minor", MONEY, nullable=False),
        sa.Column("tendered_minor", MONEY, nullable=True),
        sa.Column("change_minor", MONEY, nullable=True),
        sa.Column("rounding_minor", MONEY, nullable=False, server_default=ZERO),
        sa.Column("scheme", sa.Text(), nullable=True),
        sa.Column("last4", sa.String(4), nullable=True),
        sa.Column("auth_code", sa.Text(), nullable=True),
        sa.Column("terminal_reference", sa.Text(), nullable=True),
        sa.Column("refunded_minor", MONEY, nullable=False, server_default=ZERO),
        sa.Column("created_by", sa.Text(), nullable=False),
        _created(),
        primary_key=("id",),
        constraints=(
            tenant_fk(("order_id",), "orders.orders", ("id",)),
            tenant_fk(("shift_id",), "orders.shifts", ("id",)),
            sa.CheckConstraint("tender IN ('cash', 'card')", name="tender"),
            sa.CheckConstraint("status IN ('approved', 'declined', 'timed_out')", name="status"),
            sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
            sa.CheckConstraint("last4 ~ '^[0-9]{4}$'", name="last4"),
            sa.CheckConstraint("refunded_minor BETWEEN 0 AND amount_minor", name="refunded_minor"),
        ),
        schema=t,
    )
    sa.Index("ix_payments_order", payments.c.tenant_id, payments.c.order_id)
    sa.Index("ix_payments_shift", payments.c.tenant_id, payments.c.shift_id)
    refunds = tenant_table(
        "refunds",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("reason_code", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("amount_minor", MONEY, nullable=False),
        sa.Column("tax_minor", MONEY, nullable=False),
        sa.Column("lines", JSONB(), nullable=False),
        sa.Column("tax", JSONB(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=True),
        _created(),
        primary_key=("id",),
        constraints=(
            tenant_fk(("order_id",), "orders.orders", ("id",)),
            tenant_fk(("shift_id",), "orders.shifts", ("id",)),
            sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
        ),
        schema=t,
    )
    refund_tenders = tenant_table(
        "refund_tenders",
        metadata,
        sa.Column("refund_id", sa.Uuid(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("tender", sa.Text(), nullable=False),
        sa.Column("amount_minor", MONEY, nullable=False),
        sa.Column("terminal_reference", sa.Text(), nullable=True),
        sa.Column("auth_code", sa.Text(), nullable=True),
        primary_key=("refund_id", "payment_id"),
        constraints=(
            tenant_fk(("refund_id",), "orders.refunds", ("id",)),
            tenant_fk(("payment_id",), "orders.payments", ("id",)),
            tenant_fk(("shift_id",), "orders.shifts", ("id",)),
            sa.CheckConstraint("tender IN ('cash', 'card')", name="tender"),
            sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
        ),
        schema=t,
    )
    sa.Index("ix_refund_tenders_shift", refund_tenders.c.tenant_id, refund_tenders.c.shift_id)
    receipts = tenant_table(
        "receipts",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("register_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("refund_id", sa.Uuid(), nullable=True),
        sa.Column("original_receipt_id", sa.Uuid(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total_minor", MONEY, nullable=False),
        sa.Column("snapshot", JSONB(), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("issued_at", TS, nullable=False, server_default=NOW),
        primary_key=("id",),
        constraints=(
            tenant_fk(("register_id",), "orders.registers", ("device_id",)),
            tenant_fk(("order_id",), "orders.orders", ("id",)),
            tenant_fk(("shift_id",), "orders.shifts", ("id",)),
            tenant_fk(("refund_id",), "orders.refunds", ("id",)),
            tenant_fk(("original_receipt_id",), "orders.receipts", ("id",)),
            sa.UniqueConstraint("tenant_id", "register_id", "sequence"),
            sa.UniqueConstraint("tenant_id", "number"),
            sa.CheckConstraint("kind IN ('sale', 'refund')", name="kind"),
            sa.CheckConstraint(
                "(kind = 'sale') = (refund_id IS NULL AND original_receipt_id IS NULL)",
                name="refund_references_original",
            ),
        ),
        schema=t,
    )
    sa.Index("ix_receipts_order", receipts.c.tenant_id, receipts.c.order_id)
    return [
        settings,
        tax_categories,
        tax_rates,
        menu_categories,
        menu_items,
        location_prices,
        modifier_groups,
        modifiers,
        item_groups,
        registers,
        shifts,
        cash_movements,
        payments,
        refunds,
        refund_tenders,
        receipts,
    ]


ORDER_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("shift_id", sa.Uuid(), nullable=True),
    sa.Column("register_id", sa.Uuid(), nullable=True),
    sa.Column("table_name", sa.Text(), nullable=True),
    sa.Column("covers", sa.SmallInteger(), nullable=True),
    sa.Column("prices_include_tax", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("discount_kind", sa.Text(), nullable=True),
    sa.Column("discount_value", MONEY, nullable=True),
    sa.Column("service_charge_bps", sa.Integer(), nullable=False, server_default=ZERO),
    sa.Column("subtotal_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("discount_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("service_charge_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("tax_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("tax", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("tip_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("rounding_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("paid_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("refunded_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("closed_at", TS, nullable=True),
    sa.Column("updated_at", TS, nullable=False, server_default=NOW),
)
LINE_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("item_id", sa.Uuid(), nullable=True),
    sa.Column("modifiers", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("tax_category_id", sa.Uuid(), nullable=True),
    sa.Column("tax_rate", RATE, nullable=False, server_default=ZERO),
    sa.Column("discount_kind", sa.Text(), nullable=True),
    sa.Column("discount_value", MONEY, nullable=True),
    sa.Column("gross_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("discount_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("service_charge_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("status", sa.Text(), nullable=False, server_default="active"),
    sa.Column("void_reason", sa.Text(), nullable=True),
    sa.Column("refunded_quantity", sa.Integer(), nullable=False, server_default=ZERO),
    sa.Column("refunded_minor", MONEY, nullable=False, server_default=ZERO),
    sa.Column("added_by", sa.Text(), nullable=True),
    sa.Column("added_at", TS, nullable=False, server_default=NOW),
)

# Regional defaults for businesses that exist already (new ones get the same at provisioning,
# services/orders/tax/defaults.py): (region, code, name, rate percent).
DEFAULT_TAX = (
    ("ap-southeast-2", "gst", "GST", "10"),
    ("ap-southeast-2", "gst-free", "GST-free", "0"),
    ("eu-central-1", "standard", "Standard rate VAT", "19"),
    ("eu-central-1", "reduced", "Reduced rate VAT", "7"),
)

RECEIPTS_IMMUTABLE = (
    """
CREATE FUNCTION orders.refuse_receipt_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'receipts are never changed: % refused on %.%',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
""",
    "REVOKE ALL ON FUNCTION orders.refuse_receipt_change() FROM PUBLIC",
    "CREATE TRIGGER receipts_immutable BEFORE UPDATE OR DELETE ON orders.receipts "
    "FOR EACH ROW EXECUTE FUNCTION orders.refuse_receipt_change()",
    "CREATE TRIGGER receipts_no_truncate BEFORE TRUNCATE ON orders.receipts "
    "FOR EACH STATEMENT EXECUTE FUNCTION orders.refuse_receipt_change()",
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for table in _tables():
        create_tenant_table(table)
    for column in ORDER_COLUMNS:
        op.add_column("orders", column, schema="orders")
    for column in LINE_COLUMNS:
        op.add_column("order_lines", column, schema="orders")
    op.create_foreign_key(
        "fk_orders_tenant_id_shift_id_shifts",
        "orders",
        "shifts",
        ["tenant_id", "shift_id"],
        ["tenant_id", "id"],
        source_schema="orders",
        referent_schema="orders",
    )
    op.create_foreign_key(
        "fk_order_lines_tenant_id_item_id_menu_items",
        "order_lines",
        "menu_items",
        ["tenant_id", "item_id"],
        ["tenant_id", "id"],
        source_schema="orders",
        referent_schema="orders",
    )
    checks = (
        ("orders", "discount_kind", "discount_kind IN ('percent', 'amount')"),
        ("orders", "covers", "covers > 0"),
        ("orders", "refunded_minor", "refunded_minor <= paid_minor"),
        ("order_lines", "status", "status IN ('active', 'voided')"),
        ("order_lines", "discount_kind", "discount_kind IN ('percent', 'amount')"),
        ("order_lines", "refunded_quantity", "refunded_quantity BETWEEN 0 AND quantity"),
        ("order_lines", "refunded_minor", "refunded_minor >= 0"),
    )
    for table_name, name, condition in checks:
        op.create_check_constraint(
            op.f(f"ck_{table_name}_{name}"), table_name, condition, schema="orders"
        )
    op.create_index("ix_orders_shift", "orders", ["tenant_id", "shift_id"], schema="orders")
    for statement in RECEIPTS_IMMUTABLE:
        op.execute(statement)

    grants = {
        "SELECT, INSERT, UPDATE": "orders.settings, orders.tax_categories, "
        "orders.menu_categories, orders.menu_items, orders.menu_item_location_prices, "
        "orders.modifier_groups, orders.modifiers, orders.registers, orders.shifts, "
        "orders.payments",
        # Unlinking a modifier group or a venue price is a real delete; nothing else is.
        "DELETE": "orders.menu_item_modifier_groups, orders.menu_item_location_prices",
        "SELECT, INSERT": "orders.tax_rates, orders.cash_movements, orders.refunds, "
        "orders.refund_tenders, orders.receipts, orders.menu_item_modifier_groups",
    }
    for privileges, tables in grants.items():
        op.execute(f"GRANT {privileges} ON {tables} TO halopos_orders")
    op.execute("RESET ROLE")

    # As the migrating superuser: existing businesses' rows, across tenants. Row-level
    # security (forced even for the owner) would hide them from the owner role.
    for region, code, name, rate in DEFAULT_TAX:
        op.execute(
            sa.text(
                "WITH category AS ("
                " INSERT INTO orders.tax_categories (tenant_id, id, code, name)"
                " SELECT tenant_id, gen_random_uuid(), :code, :name FROM identity.tenants"
                " WHERE region = :region RETURNING tenant_id, id)"
                " INSERT INTO orders.tax_rates"
                " (tenant_id, id, tax_category_id, rate_percent, effective_from, created_by)"
                " SELECT tenant_id, gen_random_uuid(), id, CAST(:rate AS numeric),"
                " '2000-01-01T00:00:00Z', 'migration' FROM category"
            ).bindparams(region=region, code=code, name=name, rate=rate)
        )
    op.execute(
        "INSERT INTO orders.settings (tenant_id, currency, cash_rounding_minor) "
        "SELECT tenant_id, currency, CASE currency WHEN 'AUD' THEN 5 ELSE 1 END "
        "FROM identity.tenants"
    )
    op.execute("UPDATE orders.order_lines SET gross_minor = total_minor")
    op.execute(
        "UPDATE orders.orders SET subtotal_minor = total_minor, tax = jsonb_build_array("
        "jsonb_build_object('rate', '0.000', 'net_minor', total_minor, 'tax_minor', 0,"
        " 'gross_minor', total_minor))"
    )


def downgrade() -> None:
    for table, name in (
        ("orders", "fk_orders_tenant_id_shift_id_shifts"),
        ("order_lines", "fk_order_lines_tenant_id_item_id_menu_items"),
    ):
        op.drop_constraint(name, table, schema="orders", type_="foreignkey")
    op.drop_index("ix_orders_shift", "orders", schema="orders")
    for name in ("discount_kind", "covers", "refunded_minor"):
        op.drop_constraint(f"ck_orders_{name}", "orders", schema="orders", type_="check")
    for name in ("status", "discount_kind", "refunded_quantity", "refunded_minor"):
        op.drop_constraint(f"ck_order_lines_{name}", "order_lines", schema="orders", type_="check")
    for column in ORDER_COLUMNS:
        op.drop_column("orders", column.name, schema="orders")
    for column in LINE_COLUMNS:
        op.drop_column("order_lines", column.name, schema="orders")
    for table in reversed(_tables()):
        op.execute(f"DROP TABLE orders.{table.name}")
    op.execute("DROP FUNCTION orders.refuse_receipt_change()")
