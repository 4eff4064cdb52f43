"""Tables of the orders service (schema `orders`).

Money is integer minor units in the business's currency; tax rates are exact decimals
(percent). Menu and tax rows are archived or superseded, never deleted; receipts are never
changed (INSERT and SELECT only, and a trigger refuses UPDATE and DELETE).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.sales import day_facts
from libs.tenancy.schema import NAMING_CONVENTION, tenant_fk, tenant_table

metadata = sa.MetaData(schema="orders", naming_convention=NAMING_CONVENTION)
_TS = sa.DateTime(timezone=True)
_MONEY = sa.BigInteger()
# Percent with three decimals: 10.000 (GST), 19.000 and 7.000 (German VAT), 5.500 (French).
TAX_RATE = sa.Numeric(6, 3)
# The sequence every catalog version is taken from (settings.catalog_version).
CATALOG_VERSIONS = "orders.catalog_versions"


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", _TS, nullable=False, server_default=sa.func.now())


def _updated_at() -> sa.Column[object]:
    return sa.Column("updated_at", _TS, nullable=False, server_default=sa.func.now())


def _version() -> sa.Column[object]:
    return sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))


def _archived_at() -> sa.Column[object]:
    return sa.Column("archived_at", _TS, nullable=True)


# ---------------------------------------------------------------------------------------------
# Business settings and tax (services/orders/tax/)

# One row per business, written at provisioning: its currency, whether menu prices include
# tax, and the cash rounding step (5 for AUD: there are no 1c or 2c coins).
settings = tenant_table(
    "settings",
    metadata,
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("prices_include_tax", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column(
        "cash_rounding_minor", sa.SmallInteger(), nullable=False, server_default=sa.text("1")
    ),
    _version(),
    # Changes, in the same transaction, with every write to what a sale is priced or taxed
    # with (triggers on the menu and tax tables and on this row's pricing columns take the
    # next value of one sequence): the key of the cached menu snapshot
    # (services/orders/menu/snapshot.py). A sequence never hands out a value twice, so a
    # version that was rolled back is never seen again.
    sa.Column(
        "catalog_version",
        sa.BigInteger(),
        nullable=False,
        server_default=sa.text(f"nextval('{CATALOG_VERSIONS}'::regclass)"),
    ),
    # When GST or VAT falls due, which decides the tax period a sale is reported in
    # (docs/reports.md, "Tax periods"): 'accrual' (AU accrual basis; DE Soll-Versteuerung) or
    # 'cash' (AU cash basis; DE Ist-Versteuerung).
    sa.Column("tax_basis", sa.Text(), nullable=False, server_default="accrual"),
    # The business's tax number as its tax reports print it: an ABN in Australia, a USt-IdNr.
    # or Steuernummer in Germany (libs/sales/tax_ids.py). None until the owner gives it.
    sa.Column("tax_id", sa.Text(), nullable=True),
    sa.Column("updated_by", sa.Text(), nullable=True),
    _updated_at(),
    primary_key=(),
    constraints=(
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        sa.CheckConstraint("cash_rounding_minor IN (1, 5, 10)", name="cash_rounding_minor"),
        sa.CheckConstraint("tax_basis IN ('accrual', 'cash')", name="tax_basis"),
    ),
    schema="orders",
)

# What a menu item is taxed as: "GST" and "GST-free" in Australia, "standard" and "reduced"
# VAT in Germany. The rate itself lives in tax_rates, by the date it takes effect.
tax_categories = tenant_table(
    "tax_categories",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("code", sa.Text(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    _created_at(),
    _archived_at(),
    primary_key=("id",),
    constraints=(
        sa.UniqueConstraint("tenant_id", "code"),
        sa.CheckConstraint("code ~ '^[a-z0-9][a-z0-9-]{0,39}$'", name="code"),
    ),
    schema="orders",
)

# Rates by effective date, insert-only: a change is a new row effective from a future moment,
# so a sale is always taxed at the rate in force when it was made, never retroactively.
tax_rates = tenant_table(
    "tax_rates",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("tax_category_id", sa.Uuid(), nullable=False),
    sa.Column("rate_percent", TAX_RATE, nullable=False),
    sa.Column("effective_from", _TS, nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    _created_at(),
    primary_key=("id",),
    constraints=(
        tenant_fk(("tax_category_id",), "orders.tax_categories", ("id",)),
        sa.UniqueConstraint("tenant_id", "tax_category_id", "effective_from"),
        sa.CheckConstraint("rate_percent >= 0 AND rate_percent < 100", name="rate_percent"),
    ),
    schema="orders",
)

# ---------------------------------------------------------------------------------------------
# Menu (services/orders/menu/)

menu_categories = tenant_table(
    "menu_categories",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
    # Where the category's items are made: its lines print there when the order is fired
    # (None: nothing to prepare, e.g. retail items).
    sa.Column("printer_role", sa.Text(), nullable=True),
    _version(),
    _created_at(),
    _updated_at(),
    _archived_at(),
    primary_key=("id",),
    constraints=(sa.CheckConstraint("printer_role IN ('kitchen', 'bar')", name="printer_role"),),
    schema="orders",
)

menu_items = tenant_table(
    "menu_items",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("category_id", sa.Uuid(), nullable=False),
    sa.Column("tax_category_id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    # In the business's pricing basis: tax-inclusive or tax-exclusive (settings).
    sa.Column("price_minor", _MONEY, nullable=False),
    sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
    _version(),
    _created_at(),
    _updated_at(),
    _archived_at(),
    primary_key=("id",),
    constraints=(
        tenant_fk(("category_id",), "orders.menu_categories", ("id",)),
        tenant_fk(("tax_category_id",), "orders.tax_categories", ("id",)),
        sa.CheckConstraint("price_minor >= 0", name="price_minor"),
    ),
    schema="orders",
)

# A venue that charges differently (an airport bar) overrides an item's price.
menu_item_location_prices = tenant_table(
    "menu_item_location_prices",
    metadata,
    sa.Column("item_id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("price_minor", _MONEY, nullable=False),
    primary_key=("item_id", "location_id"),
    constraints=(
        tenant_fk(("item_id",), "orders.menu_items", ("id",)),
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        sa.CheckConstraint("price_minor >= 0", name="price_minor"),
    ),
    schema="orders",
)

# Prices by the moment they take effect, insert-only like tax_rates: an item's price
# (location_id null) or a venue's own price for it, or a modifier's price. A sale is priced as
# it was when it happened, also when it is uploaded from an offline till after a change. A
# change made now is recorded by triggers from the price columns above (menu_items,
# modifiers, menu_item_location_prices), whoever writes them; one scheduled for later is
# inserted here directly. A venue row without a price ends the venue's own price: from then
# on the item's price applies there again.
menu_prices = tenant_table(
    "menu_prices",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("item_id", sa.Uuid(), nullable=True),
    sa.Column("modifier_id", sa.Uuid(), nullable=True),
    sa.Column("location_id", sa.Uuid(), nullable=True),
    sa.Column("price_minor", _MONEY, nullable=True),
    sa.Column("effective_from", _TS, nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    _created_at(),
    primary_key=("id",),
    constraints=(
        tenant_fk(("item_id",), "orders.menu_items", ("id",)),
        tenant_fk(("modifier_id",), "orders.modifiers", ("id",)),
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        # One price per thing, venue and moment (a null is a value here: the business-wide
        # price of an item is one thing).
        sa.UniqueConstraint(
            "tenant_id",
            "item_id",
            "modifier_id",
            "location_id",
            "effective_from",
            postgresql_nulls_not_distinct=True,
        ),
        sa.CheckConstraint("num_nonnulls(item_id, modifier_id) = 1", name="priced"),
        sa.CheckConstraint("modifier_id IS NULL OR location_id IS NULL", name="modifier_venue"),
        sa.CheckConstraint("price_minor IS NOT NULL OR location_id IS NOT NULL", name="removal"),
        sa.CheckConstraint("price_minor >= 0", name="price_minor"),
    ),
    schema="orders",
)

modifier_groups = tenant_table(
    "modifier_groups",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("min_choices", sa.SmallInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("max_choices", sa.SmallInteger(), nullable=False, server_default=sa.text("1")),
    _version(),
    _created_at(),
    _updated_at(),
    _archived_at(),
    primary_key=("id",),
    constraints=(
        sa.CheckConstraint(
            "min_choices >= 0 AND max_choices >= 1 AND min_choices <= max_choices",
            name="choices",
        ),
    ),
    schema="orders",
)

# A modifier is taxed with the item it modifies.
modifiers = tenant_table(
    "modifiers",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("group_id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("price_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
    _version(),
    _created_at(),
    _updated_at(),
    _archived_at(),
    primary_key=("id",),
    constraints=(
        tenant_fk(("group_id",), "orders.modifier_groups", ("id",)),
        sa.CheckConstraint("price_minor >= 0", name="price_minor"),
    ),
    schema="orders",
)

menu_item_modifier_groups = tenant_table(
    "menu_item_modifier_groups",
    metadata,
    sa.Column("item_id", sa.Uuid(), nullable=False),
    sa.Column("group_id", sa.Uuid(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
    primary_key=("item_id", "group_id"),
    constraints=(
        tenant_fk(("item_id",), "orders.menu_items", ("id",)),
        tenant_fk(("group_id",), "orders.modifier_groups", ("id",)),
    ),
    schema="orders",
)

# ---------------------------------------------------------------------------------------------
# Registers and shifts (services/orders/shifts/)

# A POS device selling at a location, numbered per business (R1, R2, ...) on its first shift.
# `last_receipt_number` is taken with the row locked, in the receipt's own transaction, so the
# numbers of one register have no gaps and no repeats.
registers = tenant_table(
    "registers",
    metadata,
    sa.Column("device_id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("last_receipt_number", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    _created_at(),
    primary_key=("device_id",),
    constraints=(
        tenant_fk(("device_id",), "identity.devices", ("id",)),
        sa.UniqueConstraint("tenant_id", "number"),
        sa.CheckConstraint("number > 0", name="number"),
    ),
    schema="orders",
)

shifts = tenant_table(
    "shifts",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False, server_default="open"),
    sa.Column("opening_float_minor", _MONEY, nullable=False),
    sa.Column("opened_by", sa.Text(), nullable=False),
    sa.Column("opened_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("closed_by", sa.Text(), nullable=True),
    sa.Column("closed_at", _TS, nullable=True),
    # The manager who approved closing someone else's shift.
    sa.Column("force_closed_by", sa.Text(), nullable=True),
    # The Z report as issued at close (libs/sales/shift_report.py).
    sa.Column("z_report", JSONB(), nullable=True),
    _version(),
    primary_key=("id",),
    constraints=(
        tenant_fk(("register_id",), "orders.registers", ("device_id",)),
        sa.CheckConstraint("status IN ('open', 'closed')", name="status"),
        sa.CheckConstraint("opening_float_minor >= 0", name="opening_float_minor"),
    ),
    schema="orders",
)
# One open shift per register.
sa.Index(
    "ix_shifts_open_register",
    shifts.c.tenant_id,
    shifts.c.register_id,
    unique=True,
    postgresql_where=shifts.c.status == "open",
)
sa.Index("ix_shifts_location_closed", shifts.c.tenant_id, shifts.c.location_id, shifts.c.closed_at)

cash_movements = tenant_table(
    "cash_movements",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("shift_id", sa.Uuid(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("amount_minor", _MONEY, nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    _created_at(),
    primary_key=("id",),
    constraints=(
        tenant_fk(("shift_id",), "orders.shifts", ("id",)),
        sa.CheckConstraint("kind IN ('paid_in', 'paid_out')", name="kind"),
        sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
    ),
    schema="orders",
)
sa.Index("ix_cash_movements_shift", cash_movements.c.tenant_id, cash_movements.c.shift_id)

# ---------------------------------------------------------------------------------------------
# Orders, payments, receipts, refunds (services/orders/ordering/, payments/, refunds/)

orders = tenant_table(
    "orders",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=True),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    # What the customer owes: goods after discounts, service charge, tax if exclusive, tip.
    sa.Column("total_minor", _MONEY, nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("created_at", _TS, nullable=False, server_default=sa.func.now()),
    _version(),
    # Orders from before the POS core (20261124) have no shift or register.
    sa.Column("shift_id", sa.Uuid(), nullable=True),
    sa.Column("register_id", sa.Uuid(), nullable=True),
    sa.Column("table_name", sa.Text(), nullable=True),
    sa.Column("covers", sa.SmallInteger(), nullable=True),
    sa.Column("prices_include_tax", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("discount_kind", sa.Text(), nullable=True),
    sa.Column("discount_value", _MONEY, nullable=True),
    sa.Column("service_charge_bps", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("subtotal_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("discount_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("service_charge_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("tax_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    # Tax per rate: [{"rate": "10.000", "net_minor", "tax_minor", "gross_minor"}, ...]
    sa.Column("tax", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("tip_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    # Cash rounding (AUD to 5c): an explicit adjustment, never a change of price or tax.
    sa.Column("rounding_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("paid_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("refunded_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("closed_at", _TS, nullable=True),
    sa.Column("updated_at", _TS, nullable=False, server_default=sa.func.now()),
    # A card refund started and waiting for the terminal (services/orders/sale/commands.py).
    sa.Column("pending_refund", JSONB(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("shift_id",), "orders.shifts", ("id",)),
        sa.CheckConstraint("status IN ('open', 'closed', 'voided')", name="status"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        sa.CheckConstraint("discount_kind IN ('percent', 'amount')", name="discount_kind"),
        sa.CheckConstraint("covers > 0", name="covers"),
        sa.CheckConstraint("refunded_minor <= paid_minor", name="refunded_minor"),
    ),
    schema="orders",
)
sa.Index("ix_orders_created", orders.c.tenant_id, orders.c.created_at.desc(), orders.c.id.desc())
sa.Index("ix_orders_shift", orders.c.tenant_id, orders.c.shift_id)
# Business days of a location (services/reports): sales and voids by when they were settled.
sa.Index("ix_orders_location_closed", orders.c.tenant_id, orders.c.location_id, orders.c.closed_at)

order_lines = tenant_table(
    "order_lines",
    metadata,
    sa.Column("order_id", sa.Uuid(), nullable=False),
    sa.Column("line_number", sa.Integer(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("quantity", sa.Integer(), nullable=False),
    # Item plus chosen modifiers, per unit, as the menu priced them when the line was added.
    sa.Column("unit_price_minor", _MONEY, nullable=False),
    # After line and order discounts (services/orders/pricing.py).
    sa.Column("total_minor", _MONEY, nullable=False),
    sa.Column("item_id", sa.Uuid(), nullable=True),
    # [{"id", "name", "price_minor"}]: what was chosen, as it was named and priced then.
    sa.Column("modifiers", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("tax_category_id", sa.Uuid(), nullable=True),
    sa.Column("tax_rate", TAX_RATE, nullable=False, server_default=sa.text("0")),
    sa.Column("discount_kind", sa.Text(), nullable=True),
    sa.Column("discount_value", _MONEY, nullable=True),
    sa.Column("gross_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("discount_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("service_charge_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("status", sa.Text(), nullable=False, server_default="active"),
    sa.Column("void_reason", sa.Text(), nullable=True),
    sa.Column("refunded_quantity", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("refunded_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("added_by", sa.Text(), nullable=True),
    sa.Column("added_at", _TS, nullable=False, server_default=sa.func.now()),
    # When the line was sent to its kitchen or bar printer (None: not yet, or nowhere to go).
    sa.Column("fired_at", _TS, nullable=True),
    primary_key=("order_id", "line_number"),
    constraints=(
        tenant_fk(("order_id",), "orders.orders", ("id",)),
        tenant_fk(("item_id",), "orders.menu_items", ("id",)),
        sa.CheckConstraint("quantity > 0", name="quantity"),
        sa.CheckConstraint("unit_price_minor >= 0", name="unit_price_minor"),
        sa.CheckConstraint("status IN ('active', 'voided')", name="status"),
        sa.CheckConstraint("discount_kind IN ('percent', 'amount')", name="discount_kind"),
        sa.CheckConstraint("refunded_quantity BETWEEN 0 AND quantity", name="refunded_quantity"),
        sa.CheckConstraint("refunded_minor >= 0", name="refunded_minor"),
    ),
    schema="orders",
)

# The few voided lines, for the reports' void totals (services/reports).
sa.Index(
    "ix_order_lines_voided",
    order_lines.c.tenant_id,
    order_lines.c.order_id,
    postgresql_where=order_lines.c.status == "voided",
)

# Approved, declined and timed-out attempts alike: a card declined is a fact of the sale.
# Only approved payments count towards the order. Never a card number: scheme, last 4, auth
# code and the terminal's reference are all a terminal reports.
payments = tenant_table(
    "payments",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("order_id", sa.Uuid(), nullable=False),
    sa.Column("shift_id", sa.Uuid(), nullable=False),
    sa.Column("tender", sa.Text(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    # Applied to the order (cash: after rounding; never more than was owed).
    sa.Column("amount_minor", _MONEY, nullable=False),
    sa.Column("tendered_minor", _MONEY, nullable=True),
    sa.Column("change_minor", _MONEY, nullable=True),
    sa.Column("rounding_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("scheme", sa.Text(), nullable=True),
    sa.Column("last4", sa.String(4), nullable=True),
    sa.Column("auth_code", sa.Text(), nullable=True),
    sa.Column("terminal_reference", sa.Text(), nullable=True),
    sa.Column("refunded_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    sa.Column("created_by", sa.Text(), nullable=False),
    _created_at(),
    # Card only. 'terminal': the server took it through the terminal itself; 'unverified': a
    # till recorded it offline (store and forward) with the terminal's evidence, and no
    # settlement has confirmed it yet; 'settlement': its shift's card settlement matched.
    sa.Column("card_verification", sa.Text(), nullable=True),
    # The terminal's evidence of an offline card payment: which terminal, and when it
    # authorised (the till's record of the terminal's time).
    sa.Column("terminal_id", sa.Text(), nullable=True),
    sa.Column("authorised_at", _TS, nullable=True),
    # The Idempotency-Key of the request that started a card payment: a retry of that request
    # resumes the payment (a pending one is resolved through the terminal) instead of
    # charging again.
    sa.Column("request_key", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("order_id",), "orders.orders", ("id",)),
        tenant_fk(("shift_id",), "orders.shifts", ("id",)),
        sa.CheckConstraint("tender IN ('cash', 'card')", name="tender"),
        # 'pending': a card payment recorded before the terminal was asked; it is resolved to
        # one of the others, never left behind (services/orders/sale/commands.py).
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'declined', 'timed_out')", name="status"
        ),
        sa.CheckConstraint(
            "card_verification IN ('terminal', 'unverified', 'settlement')",
            name="card_verification",
        ),
        sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
        sa.CheckConstraint("last4 ~ '^[0-9]{4}$'", name="last4"),
        sa.CheckConstraint("refunded_minor BETWEEN 0 AND amount_minor", name="refunded_minor"),
    ),
    schema="orders",
)
sa.Index("ix_payments_order", payments.c.tenant_id, payments.c.order_id)
sa.Index("ix_payments_shift", payments.c.tenant_id, payments.c.shift_id)
sa.Index("ix_payments_created", payments.c.tenant_id, payments.c.created_at)

refunds = tenant_table(
    "refunds",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("order_id", sa.Uuid(), nullable=False),
    # The shift whose drawer the cash came out of (not necessarily the sale's).
    sa.Column("shift_id", sa.Uuid(), nullable=False),
    sa.Column("reason_code", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("amount_minor", _MONEY, nullable=False),
    sa.Column("tax_minor", _MONEY, nullable=False),
    # [{"line_number", "quantity", "amount_minor"}] for a refund by line; [] by amount.
    sa.Column("lines", JSONB(), nullable=False),
    sa.Column("tax", JSONB(), nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("approved_by", sa.Text(), nullable=True),
    _created_at(),
    # Cash handed back is rounded like cash taken (AUD to 5c, the mirror image of the sale's
    # rounding): money out = amount + rounding, which is what the refund's tenders add up to.
    sa.Column("rounding_minor", _MONEY, nullable=False, server_default=sa.text("0")),
    primary_key=("id",),
    constraints=(
        tenant_fk(("order_id",), "orders.orders", ("id",)),
        tenant_fk(("shift_id",), "orders.shifts", ("id",)),
        sa.CheckConstraint("amount_minor > 0", name="amount_minor"),
    ),
    schema="orders",
)

sa.Index("ix_refunds_created", refunds.c.tenant_id, refunds.c.created_at)
# A shift's X and Z reports read what came out of its drawer.
sa.Index("ix_refunds_shift", refunds.c.tenant_id, refunds.c.shift_id)

# Where each refunded amount went back to: the tender it was paid with.
refund_tenders = tenant_table(
    "refund_tenders",
    metadata,
    sa.Column("refund_id", sa.Uuid(), nullable=False),
    sa.Column("payment_id", sa.Uuid(), nullable=False),
    sa.Column("shift_id", sa.Uuid(), nullable=False),
    sa.Column("tender", sa.Text(), nullable=False),
    sa.Column("amount_minor", _MONEY, nullable=False),
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
    schema="orders",
)
sa.Index("ix_refund_tenders_shift", refund_tenders.c.tenant_id, refund_tenders.c.shift_id)

# Immutable: INSERT and SELECT grants only, and a trigger refuses UPDATE and DELETE. A refund
# is a new receipt that names the original.
receipts = tenant_table(
    "receipts",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    # '' for the numbers the server takes at close; 'O' for the register's offline series,
    # which the till numbers itself while it has no network (services/orders/sync/).
    sa.Column("series", sa.Text(), nullable=False, server_default=sa.text("''")),
    sa.Column("sequence", sa.BigInteger(), nullable=False),
    # "R1-000123" (or "R1-O-000045" offline): the register, its series and the gapless
    # sequence within that series.
    sa.Column("number", sa.Text(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("order_id", sa.Uuid(), nullable=False),
    sa.Column("shift_id", sa.Uuid(), nullable=False),
    sa.Column("refund_id", sa.Uuid(), nullable=True),
    sa.Column("original_receipt_id", sa.Uuid(), nullable=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("total_minor", _MONEY, nullable=False),
    # Lines, taxes per rate, payments and totals as they were at issue.
    sa.Column("snapshot", JSONB(), nullable=False),
    sa.Column("issued_by", sa.Text(), nullable=False),
    sa.Column("issued_at", _TS, nullable=False, server_default=sa.func.now()),
    primary_key=("id",),
    constraints=(
        tenant_fk(("register_id",), "orders.registers", ("device_id",)),
        tenant_fk(("order_id",), "orders.orders", ("id",)),
        tenant_fk(("shift_id",), "orders.shifts", ("id",)),
        tenant_fk(("refund_id",), "orders.refunds", ("id",)),
        tenant_fk(("original_receipt_id",), "orders.receipts", ("id",)),
        sa.UniqueConstraint("tenant_id", "register_id", "series", "sequence"),
        sa.UniqueConstraint("tenant_id", "number"),
        sa.CheckConstraint("kind IN ('sale', 'refund')", name="kind"),
        sa.CheckConstraint("series IN ('', 'O')", name="series"),
        sa.CheckConstraint(
            "(kind = 'sale') = (refund_id IS NULL AND original_receipt_id IS NULL)",
            name="refund_references_original",
        ),
    ),
    schema="orders",
)
sa.Index("ix_receipts_order", receipts.c.tenant_id, receipts.c.order_id)

# Idempotency-Key replays: the first response to a key is returned again for the same request.
idempotency_keys = tenant_table(
    "idempotency_keys",
    metadata,
    sa.Column("key", sa.Text(), nullable=False),
    sa.Column("request_hash", sa.LargeBinary(), nullable=False),
    sa.Column("status_code", sa.SmallInteger(), nullable=False),
    sa.Column("response", JSONB(), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=("key",),
    schema="orders",
)

# Where a manager's override starts, per business (services/orders/limits/). No row: the
# defaults, 0 everywhere: every void, refund and discount needs an override.
override_limits = tenant_table(
    "override_limits",
    metadata,
    sa.Column("void_limit_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("refund_limit_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("discount_limit_bps", sa.Integer(), nullable=False, server_default=sa.text("0")),
    # Up to this amount, an action that needs a manager's override online may be done offline
    # on a manager's word at the till, for review (0: never offline).
    sa.Column(
        "offline_approval_limit_minor",
        sa.BigInteger(),
        nullable=False,
        server_default=sa.text("0"),
    ),
    sa.Column("updated_by", sa.Text(), nullable=True),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=(),
    constraints=(
        sa.CheckConstraint("void_limit_minor >= 0", name="void_limit_minor"),
        sa.CheckConstraint("refund_limit_minor >= 0", name="refund_limit_minor"),
        sa.CheckConstraint("discount_limit_bps BETWEEN 0 AND 10000", name="discount_limit_bps"),
        sa.CheckConstraint(
            "offline_approval_limit_minor >= 0", name="offline_approval_limit_minor"
        ),
    ),
    schema="orders",
)

# ---------------------------------------------------------------------------------------------
# Z report issues (services/orders/shifts/): the first at close, a new version whenever a sale
# that happened in the shift arrives after it closed (offline sync). Insert-only, like receipts.

z_reports = tenant_table(
    "z_reports",
    metadata,
    sa.Column("shift_id", sa.Uuid(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("report", JSONB(), nullable=False),
    # "close", or "late-arrival" for a re-issue.
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("issued_by", sa.Text(), nullable=False),
    sa.Column("issued_at", _TS, nullable=False, server_default=sa.func.now()),
    primary_key=("shift_id", "version"),
    constraints=(
        tenant_fk(("shift_id",), "orders.shifts", ("id",)),
        sa.CheckConstraint("version > 0", name="version"),
    ),
    schema="orders",
)

# ---------------------------------------------------------------------------------------------
# Offline sync (services/orders/sync/)

# Every operation a device uploads, stored once by its client-generated id. `status` is
# `pending` until the device's earlier operations have arrived (they are applied in the
# device's sequence order), then `applied` or `rejected`, with `result` (what the operation
# made, or the problem).
sync_operations = tenant_table(
    "sync_operations",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("device_id", sa.Uuid(), nullable=False),
    sa.Column("sequence", sa.BigInteger(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("staff_id", sa.Uuid(), nullable=True),
    # The device's clock when it happened, and ours when it arrived.
    sa.Column("occurred_at", _TS, nullable=True),
    sa.Column("received_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("uploaded_by", sa.Text(), nullable=False),
    # SHA-256 of the operation's canonical JSON: a replay must say the same thing.
    sa.Column("content_hash", sa.LargeBinary(), nullable=False),
    sa.Column("content", JSONB(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("result", JSONB(), nullable=True),
    sa.Column("settled_at", _TS, nullable=True),
    # `waiting`: the device's cursor has passed it, and it waits for a sale another till has
    # not uploaded yet (a refund of it); applied when that order arrives.
    sa.Column("waiting_for", sa.Uuid(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("device_id",), "identity.devices", ("id",)),
        sa.UniqueConstraint("tenant_id", "device_id", "sequence"),
        sa.CheckConstraint(
            "status IN ('pending', 'waiting', 'applied', 'rejected')", name="status"
        ),
        sa.CheckConstraint("(status = 'waiting') = (waiting_for IS NOT NULL)", name="waiting"),
        sa.CheckConstraint("sequence > 0", name="sequence"),
        sa.CheckConstraint("octet_length(content_hash) = 32", name="content_hash"),
    ),
    schema="orders",
)

sa.Index(
    "ix_sync_operations_waiting",
    sync_operations.c.tenant_id,
    sync_operations.c.waiting_for,
    postgresql_where=sync_operations.c.status == "waiting",
)

# How far each device's operations have been applied: every sequence up to
# `applied_through` is settled (applied or rejected).
sync_devices = tenant_table(
    "sync_devices",
    metadata,
    sa.Column("device_id", sa.Uuid(), nullable=False),
    sa.Column("applied_through", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("last_received_at", _TS, nullable=False, server_default=sa.func.now()),
    primary_key=("device_id",),
    constraints=(tenant_fk(("device_id",), "identity.devices", ("id",)),),
    schema="orders",
)

# What a manager or an auditor must look at after a sync. Resolved, never deleted.
sync_flags = tenant_table(
    "sync_flags",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("device_id", sa.Uuid(), nullable=False),
    sa.Column("operation_id", sa.Uuid(), nullable=True),
    sa.Column("resource_type", sa.Text(), nullable=False),
    sa.Column("resource_id", sa.Text(), nullable=False),
    sa.Column("details", JSONB(), nullable=False),
    sa.Column("raised_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("resolved_at", _TS, nullable=True),
    sa.Column("resolved_by", sa.Text(), nullable=True),
    sa.Column("resolution", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("device_id",), "identity.devices", ("id",)),
        tenant_fk(("operation_id",), "orders.sync_operations", ("id",)),
    ),
    schema="orders",
)
sa.Index(
    "ix_sync_flags_open",
    sync_flags.c.tenant_id,
    sync_flags.c.raised_at.desc(),
    sync_flags.c.id.desc(),
    postgresql_where=sync_flags.c.resolved_at.is_(None),
)
sa.Index(
    "ix_sync_flags_raised",
    sync_flags.c.tenant_id,
    sync_flags.c.raised_at.desc(),
    sync_flags.c.id.desc(),
)

# Actions a till did offline on a manager's word (a void, refund, discount or force-close that
# needs an override online), accepted up to the business's offline approval limit: a manager
# confirms or disputes each one online. Reviewed, never deleted.
offline_approvals = tenant_table(
    "offline_approvals",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("operation_id", sa.Uuid(), nullable=False),
    sa.Column("device_id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    # void, refund, discount, shift_force_close (libs/auth/overrides.py: OverrideAction)
    sa.Column("action", sa.Text(), nullable=False),
    sa.Column("resource_type", sa.Text(), nullable=False),
    sa.Column("resource_id", sa.Text(), nullable=False),
    sa.Column("amount_minor", _MONEY, nullable=False),
    sa.Column("limit_minor", _MONEY, nullable=False),
    # What the till claims: who did it and which manager approved. Claims, never the actor.
    sa.Column("claimed_staff_id", sa.Uuid(), nullable=False),
    sa.Column("claimed_approver_id", sa.Uuid(), nullable=False),
    sa.Column("uploaded_by", sa.Text(), nullable=False),
    sa.Column("occurred_at", _TS, nullable=False),
    sa.Column("raised_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("status", sa.Text(), nullable=False, server_default="pending"),
    sa.Column("reviewed_by", sa.Text(), nullable=True),
    sa.Column("reviewed_at", _TS, nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("operation_id",), "orders.sync_operations", ("id",)),
        tenant_fk(("device_id",), "identity.devices", ("id",)),
        sa.CheckConstraint(
            "action IN ('void', 'refund', 'discount', 'shift_force_close')", name="action"
        ),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'disputed')", name="status"),
        sa.CheckConstraint("amount_minor >= 0", name="amount_minor"),
        sa.CheckConstraint("(status = 'pending') = (reviewed_at IS NULL)", name="reviewed"),
    ),
    schema="orders",
)
sa.Index(
    "ix_offline_approvals_pending",
    offline_approvals.c.tenant_id,
    offline_approvals.c.raised_at.desc(),
    offline_approvals.c.id.desc(),
    postgresql_where=offline_approvals.c.status == "pending",
)
sa.Index(
    "ix_offline_approvals_raised",
    offline_approvals.c.tenant_id,
    offline_approvals.c.raised_at.desc(),
    offline_approvals.c.id.desc(),
)

# ---------------------------------------------------------------------------------------------
# Daily facts (libs/sales/day_facts.py): per location, day and register, what the sales and
# refunds of the day add up to, kept current by the orders unit of work in each sale's own
# transaction, so the reports read days instead of orders. Every amount is additive (a
# change adds its difference); the register (the order's, or the shift's the money went
# through; the nil UUID when there is none) is in every key, so two tills of one venue never
# write the same row. Their amount columns are the facts' own (libs/sales/day_facts.py
# `DAY_SALES` ...), so the tables and the arithmetic that fills them name them once.


def _facts(*names: str) -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.BigInteger(), nullable=False, server_default=sa.text("0"))
        for name in names
    ]


day_sales = tenant_table(
    "day_sales",
    metadata,
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("business_day", sa.Date(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    *_facts(*day_facts.DAY_SALES.values),
    primary_key=("location_id", "business_day", "register_id"),
    schema="orders",
)
day_tenders = tenant_table(
    "day_tenders",
    metadata,
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("business_day", sa.Date(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    sa.Column("tender", sa.Text(), nullable=False),
    *_facts(*day_facts.DAY_TENDERS.values),
    primary_key=("location_id", "business_day", "register_id", "tender"),
    schema="orders",
)
# Tax per rate, three ways (`attribution`): the business day of the close ('business', the
# daily summary's), and the location's calendar date by the accrual and the cash basis (the
# BAS's and the VAT summary's: docs/reports.md, "Tax periods"). Keyed attribution first, so a
# tax period reads one range of its basis.
day_tax = tenant_table(
    "day_tax",
    metadata,
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("attribution", sa.Text(), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    sa.Column("refund", sa.Boolean(), nullable=False),
    sa.Column("rate", TAX_RATE, nullable=False),
    *_facts(*day_facts.DAY_TAX.values),
    primary_key=("location_id", "attribution", "day", "register_id", "refund", "rate"),
    constraints=(
        sa.CheckConstraint("attribution IN ('business', 'accrual', 'cash')", name="attribution"),
    ),
    schema="orders",
)
# Items sold (active lines of closed orders) and refunded (by line; a refund by amount under
# the nil item and an empty name). The category is the menu's at read time.
day_items = tenant_table(
    "day_items",
    metadata,
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("business_day", sa.Date(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    sa.Column("item_id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    *_facts(*day_facts.DAY_ITEMS.values),
    primary_key=("location_id", "business_day", "register_id", "item_id", "name"),
    schema="orders",
)
day_modifiers = tenant_table(
    "day_modifiers",
    metadata,
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("business_day", sa.Date(), nullable=False),
    sa.Column("register_id", sa.Uuid(), nullable=False),
    sa.Column("modifier_id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    *_facts(*day_facts.DAY_MODIFIERS.values),
    primary_key=("location_id", "business_day", "register_id", "modifier_id", "name"),
    schema="orders",
)
