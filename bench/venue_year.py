"""One busy venue's year of trading, written into a migrated database for the reports bench
(bench/reports.py) and for anyone who wants a realistic year to look at.

    .venv/bin/python -m bench.venue_year --database halopos_bench_reports [--orders N]
        [--seed N] [--year YYYY] [--region au|eu]

The CLI prepares the database fresh (dropped, recreated, migrated), generates, and prints the
ids (tenant, location, registers, shifts...) as JSON and how long loading took.

The venue is provisioned as the operator provisions one: the tenant registry
(`create_tenant`), then the orders settings and the region's tax categories
(`provision_orders`), through the identity and orders services' own logins. In Australia:
AUD, prices include GST, cash rounded to 5c, GST 10% and GST-free; in Germany ("eu"): EUR,
VAT 19% and 7%, no cash rounding. One location (Australia/Sydney or Europe/Berlin, business
day ending at 03:00), three activated devices with their registers, a cashier roster and a
manager, and a small menu (coffee, kitchen, bar and bakery; some items GST-free or at the
reduced rate; milk and extra-shot modifiers) are written as the device activation, staff and
menu APIs would leave them, under the same logins.

The year itself is loaded directly, not through the API: 500,000 orders through the API would
take ~20 minutes. It goes in with the admin connection and `COPY` (asyncpg
`copy_records_to_table`), in chunks of days, while the next chunk is generated in a worker
thread. The rows are what the orders service writes:
- 365 business days (venue-local, DST-safe; a sale at 01:30 belongs to the day before), each
  with its share of `orders` (weekends busier), sold from 07:00 to 02:30 the next morning;
  every order's business day is worked out from its instant, as a report must.
- Orders of 1-4 lines (quantities, modifiers on some coffees), priced by
  `services.orders.pricing.price_order` (tax per rate once per invoice, docs/money.md) and
  stored with its per-rate `tax` JSON (`tax_json`, as the service stores it); ~5% with 10%
  off the order, tips on some card payments, covers 1-4, tables on some. ~1% of orders carry a
  voided line; ~1% are voided as a whole (no payment).
- One approved payment per closed order: ~60% card (scheme, last 4, auth code, terminal
  reference), ~40% cash rounded to 5c in Australia (`pricing.cash_rounding`, recorded on the
  order and the payment, tendered and change as the payments service records them), and
  ~0.5% of orders with a declined card attempt first.
- ~1.5% of sales refunded (by line or by amount, their money and tax worked out as the refunds
  service does, with `pricing.allocate` and `pricing.refund_tax`) back to the tender paid
  with, at the register's open shift: some the same day, some days later.
- Two shifts per register per day (06:30-15:00 and 15:00-~02:45), each closed, with a Z
  report (version 1, `orders.z_reports` and the shift's `z_report` column) built by
  `shift_report` / `z_report` (libs/sales/shift_report.py) from the shift's own facts;
  counted equals expected except ~5% of shifts a few dollars out in cash.
After the load, the daily facts the reports read (orders.day_*, libs/sales/day_facts.py) are
built from the loaded orders by the orders service's own `rebuild` (the migration's backfill:
the same arithmetic the unit of work adds each sale's facts with), and ANALYZEd.
Receipts, print jobs, sync operations and audit rows of the sales are NOT written: no report
figure comes from them. (Reports do read the audit log's position, which here holds only
provisioning's entries: that lookup is not measured at a real year's size.)

Everything is deterministic for a `seed`: the same ids, amounts and times every run, except
the devices' keys and the tax category ids, which activation and provisioning make up.
`generate` also returns what it wrote, per business day (`DayFigures`), so a report can be
checked against figures that never went through SQL.

Loading is measured by the CLI: on 2 cores, 500,000 orders (~2 million rows) take 80-100 s,
`ANALYZE` included (bench/results/reports.md has the last run's figure). Generating in Python
is ~60% of it; COPY runs beside it. The foreign keys are not checked row by row during the COPY
(`session_replication_role = replica`, which tripled its time) but once afterwards, one
anti-join per key, and a violation fails the load; if the loaded tables ever get insert
triggers of their own, the load keeps the row-by-row checks so those triggers run.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import calendar
import itertools
import json
import random
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from clients.dpop import DeviceKey
from libs.config import OWNER_ROLE
from libs.sales import shift_report as shift_rules
from libs.sales.day_facts import TABLES
from libs.tenancy.database import TenantDatabase
from ops import database as db
from services.identity.tenants.service import OPERATOR, create_tenant
from services.orders import pricing
from services.orders.day_facts import rebuild
from services.orders.provisioning import provision_orders
from services.orders.sale.rules import tax_json
from tests.support.database import as_tenant, bind_tenant

DATABASE = "halopos_bench_reports"
CUTOFF_HOUR = 3
REGISTERS = 3
OPENING_FLOAT_MINOR = 20_000
DAYS_PER_CHUNK = 10
SCHEMES = ("visa", "mastercard", "amex", "eftpos")
REFUND_REASONS = ("customer_request", "quality_issue", "entered_in_error", "item_unavailable")
VOID_REASONS = ("entered_in_error", "customer_request", "item_unavailable")

# Seconds after the business day's local midnight: sales from 07:00 to 02:30 the next morning.
MORNING_OPENS = 6 * 3600 + 30 * 60
HANDOVER = 15 * 3600
LAST_SALE = 26 * 3600 + 30 * 60
EVENING_CLOSES = 26 * 3600 + 45 * 60
# Sales per hour of the business day (hour 24 is midnight to 01:00, 26 is 02:00-02:30).
HOURLY_WEIGHTS = {
    7: 6,
    8: 9,
    9: 8,
    10: 6,
    11: 7,
    12: 11,
    13: 10,
    14: 6,
    15: 4,
    16: 4,
    17: 6,
    18: 10,
    19: 11,
    20: 9,
    21: 6,
    22: 4,
    23: 3,
    24: 2,
    25: 1.2,
    26: 0.5,
}
# Monday first.
WEEKDAY_WEIGHTS = (0.8, 0.85, 0.9, 1.0, 1.25, 1.4, 1.1)


@dataclass(frozen=True)
class Dish:
    name: str
    category: str
    price_minor: int
    standard_rate: bool  # GST / standard VAT; otherwise GST-free / reduced VAT
    popularity: float
    takes_modifiers: bool = False


@dataclass(frozen=True)
class RegionProfile:
    key: str  # create_tenant's region
    currency: str
    time_zone: str
    standard_code: str
    reduced_code: str
    cash_rounding_minor: int
    menu: tuple[Dish, ...]
    modifiers: tuple[tuple[str, int], ...]


# (name, printer role): what is made where.
CATEGORIES = (("Coffee", "bar"), ("Kitchen", "kitchen"), ("Bar", "bar"), ("Bakery", None))

PROFILES = {
    "au": RegionProfile(
        key="au",
        currency="AUD",
        time_zone="Australia/Sydney",
        standard_code="gst",
        reduced_code="gst-free",
        cash_rounding_minor=5,
        menu=(
            Dish("Flat white", "Coffee", 480, True, 18, True),
            Dish("Latte", "Coffee", 480, True, 12, True),
            Dish("Long black", "Coffee", 430, True, 7, True),
            Dish("Iced latte", "Coffee", 650, True, 4, True),
            Dish("Big breakfast", "Kitchen", 2450, True, 5),
            Dish("Smashed avo", "Kitchen", 1950, True, 5),
            Dish("Burger", "Kitchen", 2290, True, 7),
            Dish("Fish and chips", "Kitchen", 2650, True, 5),
            Dish("Banana bread", "Kitchen", 690, True, 5),
            Dish("Pale ale", "Bar", 1150, True, 8),
            Dish("House wine", "Bar", 1250, True, 6),
            Dish("Orange juice", "Bar", 720, True, 4),
            Dish("Sourdough loaf", "Bakery", 895, False, 3),
            Dish("Bread roll", "Bakery", 320, False, 3),
            Dish("Milk 1 L", "Bakery", 333, False, 2),
        ),
        modifiers=(("Oat milk", 60), ("Extra shot", 50)),
    ),
    "eu": RegionProfile(
        key="eu",
        currency="EUR",
        time_zone="Europe/Berlin",
        standard_code="standard",
        reduced_code="reduced",
        cash_rounding_minor=1,
        menu=(
            Dish("Kaffee", "Coffee", 320, True, 14, True),
            Dish("Cappuccino", "Coffee", 390, True, 10, True),
            Dish("Espresso", "Coffee", 250, True, 6, True),
            Dish("Schnitzel", "Kitchen", 1490, False, 7),
            Dish("Currywurst", "Kitchen", 890, False, 8),
            Dish("Flammkuchen", "Kitchen", 1190, False, 5),
            Dish("Apfelstrudel", "Kitchen", 650, False, 4),
            Dish("Pils 0,5 l", "Bar", 480, True, 14),
            Dish("Weinschorle", "Bar", 550, True, 6),
            Dish("Apfelschorle", "Bar", 360, True, 6),
            Dish("Brezel", "Bakery", 250, False, 5),
            Dish("Brötchen", "Bakery", 95, False, 3),
        ),
        modifiers=(("Hafermilch", 50), ("Extra Shot", 60)),
    ),
}


# ---------------------------------------------------------------------------------------------
# What was generated: ids, and the figures a report over them must show.


@dataclass(frozen=True)
class MenuItem:
    id: UUID
    name: str
    category_id: UUID
    tax_category_id: UUID
    tax_code: str
    rate: Decimal
    price_minor: int
    popularity: float
    takes_modifiers: bool
    fired: bool  # has a kitchen or bar printer


@dataclass(frozen=True)
class Modifier:
    id: UUID
    name: str
    price_minor: int


@dataclass(frozen=True)
class Register:
    device_id: UUID
    number: int


Key = TypeVar("Key")


def _merge(mine: dict[Key, list[int]], theirs: dict[Key, list[int]]) -> None:
    for key, values in theirs.items():
        total = mine.setdefault(key, [0] * len(values))
        for index, value in enumerate(values):
            total[index] += value


@dataclass
class DayFigures:
    """What one business day (or, summed, a period) comes to, worked out while generating.

    Each fact counts on the business day of its own instant: closed (and voided) orders by
    `closed_at`, payments and refunds by `created_at`, shifts by `closed_at`."""

    orders: int = 0  # closed (paid)
    voided_orders: int = 0
    voided_orders_minor: int = 0
    voided_lines: int = 0  # from orders that went on
    voided_lines_minor: int = 0
    covers: int = 0
    gross_sales_minor: int = 0  # subtotal: line amounts before discounts
    discounts_minor: int = 0
    service_charges_minor: int = 0
    tips_minor: int = 0
    rounding_minor: int = 0
    net_sales_minor: int = 0  # order totals, before cash rounding
    tax_minor: int = 0
    # rate -> [net, tax, gross] of closed orders' tax groups.
    tax: dict[Decimal, list[int]] = field(default_factory=dict)
    # tender -> [count, amount] of approved payments.
    payments: dict[str, list[int]] = field(default_factory=dict)
    declined_card_attempts: int = 0
    refunds: int = 0
    refunds_minor: int = 0
    refunds_tax_minor: int = 0
    refund_tax: dict[Decimal, list[int]] = field(default_factory=dict)
    refunds_by_tender: dict[str, int] = field(default_factory=dict)
    # item id -> [quantity, gross, net] of active lines of closed orders.
    items: dict[UUID, list[int]] = field(default_factory=dict)
    # modifier id -> [quantity, gross] chosen on those lines.
    modifiers: dict[UUID, list[int]] = field(default_factory=dict)
    # Shifts closed on the day, from their Z reports.
    shifts: int = 0
    expected_cash_minor: int = 0
    expected_card_minor: int = 0
    counted_cash_minor: int = 0
    counted_card_minor: int = 0

    def add(self, other: DayFigures) -> None:
        for name in (
            "orders",
            "voided_orders",
            "voided_orders_minor",
            "voided_lines",
            "voided_lines_minor",
            "covers",
            "gross_sales_minor",
            "discounts_minor",
            "service_charges_minor",
            "tips_minor",
            "rounding_minor",
            "net_sales_minor",
            "tax_minor",
            "declined_card_attempts",
            "refunds",
            "refunds_minor",
            "refunds_tax_minor",
            "shifts",
            "expected_cash_minor",
            "expected_card_minor",
            "counted_cash_minor",
            "counted_card_minor",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        _merge(self.tax, other.tax)
        _merge(self.payments, other.payments)
        _merge(self.refund_tax, other.refund_tax)
        _merge(self.items, other.items)
        _merge(self.modifiers, other.modifiers)
        for tender, amount in other.refunds_by_tender.items():
            self.refunds_by_tender[tender] = self.refunds_by_tender.get(tender, 0) + amount


@dataclass(frozen=True)
class VenueYear:
    tenant_id: UUID
    location_id: UUID
    region: str
    currency: str
    time_zone: str
    cutoff_hour: int
    year: int
    seed: int
    registers: tuple[Register, ...]
    shift_ids: tuple[UUID, ...]
    tax_categories: dict[str, UUID]
    rates: dict[str, Decimal]
    menu: tuple[MenuItem, ...]
    modifiers: tuple[Modifier, ...]
    staff: tuple[str, ...]  # subjects: cashiers, then the manager
    counts: dict[str, int]
    days: dict[date, DayFigures] = field(repr=False)
    # Tax by calendar date at the venue (`tax`, `refund_tax` only), on the accrual basis: a
    # sale's on the date it was paid (always before its close), a refund's on its own.
    tax_dates: dict[date, DayFigures] = field(repr=False, default_factory=dict)
    # How long building the daily facts from the loaded orders took (`rebuild`).
    facts_seconds: float = 0.0

    def figures(self, first: date, last: date) -> DayFigures:
        """The business days from `first` to `last`, inclusive, summed."""
        total = DayFigures()
        for day, figures in self.days.items():
            if first <= day <= last:
                total.add(figures)
        return total

    def tax_figures(self, first: date, last: date) -> DayFigures:
        """Tax of the calendar dates from `first` to `last` (a tax period), summed."""
        total = DayFigures()
        for day, figures in self.tax_dates.items():
            if first <= day <= last:
                total.add(figures)
        return total

    def as_json(self) -> dict[str, Any]:
        return {
            "tenant_id": str(self.tenant_id),
            "location_id": str(self.location_id),
            "region": self.region,
            "currency": self.currency,
            "time_zone": self.time_zone,
            "business_day_cutoff_hour": self.cutoff_hour,
            "year": self.year,
            "seed": self.seed,
            "registers": [
                {"device_id": str(r.device_id), "number": r.number} for r in self.registers
            ],
            "tax_categories": {code: str(id_) for code, id_ in self.tax_categories.items()},
            "rates": {code: str(rate) for code, rate in self.rates.items()},
            "menu": [
                {
                    "id": str(item.id),
                    "name": item.name,
                    "tax": item.tax_code,
                    "price_minor": item.price_minor,
                }
                for item in self.menu
            ],
            "staff": list(self.staff),
            "counts": self.counts,
            "shift_ids": {
                "count": len(self.shift_ids),
                "first": str(self.shift_ids[0]),
                "last": str(self.shift_ids[-1]),
            },
        }


# ---------------------------------------------------------------------------------------------
# Setup through the services' logins.

# Tax category ids and rates by code, the menu, its modifiers.
Menu = tuple[dict[str, UUID], dict[str, Decimal], tuple[MenuItem, ...], tuple[Modifier, ...]]


FACT_TABLES = tuple(f"orders.{table.name}" for table in TABLES)


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


async def _provision(
    service_urls: Mapping[str, str], profile: RegionProfile, tenant_id: UUID, year: int
) -> None:
    identity = TenantDatabase(service_urls["identity"], pool_size=1)
    orders = TenantDatabase(service_urls["orders"], pool_size=1)
    try:
        tenant = await create_tenant(
            identity,
            name=f"Venue-year {year}",
            region=profile.key,
            currency=profile.currency,
            tenant_id=tenant_id,
        )
        await provision_orders(
            orders,
            tenant_id=tenant.tenant_id,
            region=tenant.region,
            currency=tenant.currency,
            actor=OPERATOR,
        )
    finally:
        await identity.dispose()
        await orders.dispose()


async def _arrange_identity(
    identity_url: str,
    *,
    tenant_id: UUID,
    location_id: UUID,
    profile: RegionProfile,
    registers: Sequence[Register],
    staff: Sequence[tuple[UUID, str]],
) -> None:
    """The location, its activated devices and the staff, as the identity service's login."""
    connection = await asyncpg.connect(identity_url)
    try:
        async with as_tenant(connection, tenant_id):
            await connection.execute(
                "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour)"
                " VALUES ($1, 'The venue', $2, $3)",
                location_id,
                profile.time_zone,
                CUTOFF_HOUR,
            )
            for register in registers:
                key = DeviceKey.generate()
                await connection.execute(
                    "INSERT INTO identity.devices (id, location_id, name, key_thumbprint, "
                    "public_jwk, activated_by) VALUES ($1, $2, $3, $4, $5::jsonb, 'bench')",
                    register.device_id,
                    location_id,
                    f"Till {register.number}",
                    key.thumbprint(),
                    json.dumps(key.public_jwk()),
                )
            for number, (staff_id, role) in enumerate(staff, start=1):
                await connection.execute(
                    "INSERT INTO identity.staff (id, email, display_name, role, created_at) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    staff_id,
                    f"{role}{number}.{staff_id.hex[:8]}@venue-year.example",
                    f"{role.title()} {number}",
                    role,
                    datetime(2000, 1, 1, tzinfo=UTC),
                )
    finally:
        await connection.close()


async def _arrange_orders(
    orders_url: str,
    *,
    tenant_id: UUID,
    location_id: UUID,
    profile: RegionProfile,
    registers: Sequence[Register],
    rng: random.Random,
) -> Menu:
    """The registers and the menu, as the orders service's login; the tax categories and
    rates provisioning created, looked up."""
    connection = await asyncpg.connect(orders_url)
    try:
        async with as_tenant(connection, tenant_id):
            rows = await connection.fetch(
                "SELECT c.code, c.id, r.rate_percent FROM orders.tax_categories c "
                "JOIN orders.tax_rates r ON r.tax_category_id = c.id"
            )
            categories = {row["code"]: row["id"] for row in rows}
            rates = {row["code"]: row["rate_percent"] for row in rows}
            for register in registers:
                await connection.execute(
                    "INSERT INTO orders.registers (device_id, location_id, number) "
                    "VALUES ($1, $2, $3)",
                    register.device_id,
                    location_id,
                    register.number,
                )
            category_ids = {}
            for position, (name, printer_role) in enumerate(CATEGORIES):
                category_ids[name] = _uuid(rng)
                await connection.execute(
                    "INSERT INTO orders.menu_categories (id, name, position, printer_role) "
                    "VALUES ($1, $2, $3, $4)",
                    category_ids[name],
                    name,
                    position,
                    printer_role,
                )
            group_id = _uuid(rng)
            await connection.execute(
                "INSERT INTO orders.modifier_groups (id, name, min_choices, max_choices) "
                "VALUES ($1, 'Extras', 0, 1)",
                group_id,
            )
            modifiers = tuple(
                Modifier(_uuid(rng), name, price) for name, price in profile.modifiers
            )
            for position, modifier in enumerate(modifiers):
                await connection.execute(
                    "INSERT INTO orders.modifiers (id, group_id, name, price_minor, position) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    modifier.id,
                    group_id,
                    modifier.name,
                    modifier.price_minor,
                    position,
                )
            printer_roles = dict(CATEGORIES)
            menu = []
            for position, dish in enumerate(profile.menu):
                code = profile.standard_code if dish.standard_rate else profile.reduced_code
                item = MenuItem(
                    id=_uuid(rng),
                    name=dish.name,
                    category_id=category_ids[dish.category],
                    tax_category_id=categories[code],
                    tax_code=code,
                    rate=rates[code],
                    price_minor=dish.price_minor,
                    popularity=dish.popularity,
                    takes_modifiers=dish.takes_modifiers,
                    fired=printer_roles[dish.category] is not None,
                )
                menu.append(item)
                await connection.execute(
                    "INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, "
                    "price_minor, position) VALUES ($1, $2, $3, $4, $5, $6)",
                    item.id,
                    item.category_id,
                    item.tax_category_id,
                    item.name,
                    item.price_minor,
                    position,
                )
                if item.takes_modifiers:
                    await connection.execute(
                        "INSERT INTO orders.menu_item_modifier_groups (item_id, group_id) "
                        "VALUES ($1, $2)",
                        item.id,
                        group_id,
                    )
    finally:
        await connection.close()
    return categories, rates, tuple(menu), modifiers


# ---------------------------------------------------------------------------------------------
# The year, generated in chunks of days.

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "shifts": (
        "tenant_id",
        "id",
        "register_id",
        "location_id",
        "status",
        "opening_float_minor",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "z_report",
        "version",
    ),
    "z_reports": (
        "tenant_id",
        "shift_id",
        "version",
        "report",
        "reason",
        "issued_by",
        "issued_at",
    ),
    "orders": (
        "tenant_id",
        "id",
        "location_id",
        "status",
        "currency",
        "total_minor",
        "created_by",
        "created_at",
        "version",
        "shift_id",
        "register_id",
        "table_name",
        "covers",
        "prices_include_tax",
        "discount_kind",
        "discount_value",
        "subtotal_minor",
        "discount_minor",
        "tax_minor",
        "tax",
        "tip_minor",
        "rounding_minor",
        "paid_minor",
        "refunded_minor",
        "closed_at",
        "updated_at",
    ),
    "order_lines": (
        "tenant_id",
        "order_id",
        "line_number",
        "name",
        "quantity",
        "unit_price_minor",
        "total_minor",
        "item_id",
        "modifiers",
        "tax_category_id",
        "tax_rate",
        "gross_minor",
        "discount_minor",
        "status",
        "void_reason",
        "refunded_quantity",
        "refunded_minor",
        "added_by",
        "added_at",
        "fired_at",
    ),
    "payments": (
        "tenant_id",
        "id",
        "order_id",
        "shift_id",
        "tender",
        "status",
        "amount_minor",
        "tendered_minor",
        "change_minor",
        "rounding_minor",
        "scheme",
        "last4",
        "auth_code",
        "terminal_reference",
        "refunded_minor",
        "created_by",
        "created_at",
    ),
    "refunds": (
        "tenant_id",
        "id",
        "order_id",
        "shift_id",
        "reason_code",
        "amount_minor",
        "tax_minor",
        "lines",
        "tax",
        "created_by",
        "approved_by",
        "created_at",
    ),
    "refund_tenders": (
        "tenant_id",
        "refund_id",
        "payment_id",
        "shift_id",
        "tender",
        "amount_minor",
        "terminal_reference",
        "auth_code",
    ),
}
# Parents first: every foreign key points at a row already loaded.
LOAD_ORDER = tuple(TABLE_COLUMNS)


@dataclass
class Chunk:
    rows: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {table: [] for table in TABLE_COLUMNS}
    )


@dataclass(frozen=True, slots=True)
class Priced:
    """An order's totals and lines as pricing gives them, cached by what decides them."""

    price: pricing.OrderPrice
    tax_json: str
    tax_facts: tuple[shift_rules.TaxGroupFact, ...]


@lru_cache(maxsize=200_000)
def _price(
    lines: tuple[tuple[int, int, Decimal], ...], discount_bps: int, tip_minor: int
) -> Priced:
    price = pricing.price_order(
        pricing.OrderInput(
            lines=tuple(
                pricing.LineInput(key=n, quantity=q, unit_price_minor=u, tax_rate=rate)
                for n, (q, u, rate) in enumerate(lines, start=1)
            ),
            prices_include_tax=True,
            discount=pricing.Discount("percent", discount_bps) if discount_bps else None,
            tip_minor=tip_minor,
        )
    )
    groups = tax_json(price.tax)
    facts = shift_rules.TaxGroupFact.parse(groups)
    return Priced(price, json.dumps(groups), facts)


@dataclass
class ShiftState:
    id: UUID
    register: Register
    cashier: str
    opened_at: datetime
    closed_at: datetime
    orders: list[shift_rules.OrderFact] = field(default_factory=list)
    voided_line_amounts: list[int] = field(default_factory=list)
    payments: list[shift_rules.PaymentFact] = field(default_factory=list)
    refunds: list[shift_rules.RefundFact] = field(default_factory=list)
    refund_tenders: list[shift_rules.RefundTenderFact] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PendingRefund:
    """A refund decided when its sale was generated, written on the day it happens."""

    id: UUID
    order_id: UUID
    day_index: int
    register_index: int
    evening: bool
    offset_seconds: int  # after the refund day's local midnight
    reason_code: str
    amount_minor: int
    tax_minor: int
    lines_json: str
    tax_json: str
    tax_groups: tuple[tuple[Decimal, int, int, int], ...]  # rate, net, tax, gross
    payment_id: UUID
    tender: str
    terminal_reference: str | None
    auth_code: str | None


class YearGenerator:
    """Rows for the year, a chunk of days at a time (`chunks()`), and the figures per
    business day (`days`). Runs in one thread; every draw comes from one seeded stream."""

    def __init__(
        self,
        *,
        rng: random.Random,
        orders: int,
        year: int,
        tenant_id: UUID,
        location_id: UUID,
        profile: RegionProfile,
        currency: str,
        registers: Sequence[Register],
        menu: Sequence[MenuItem],
        modifiers: Sequence[Modifier],
        cashiers: Sequence[str],
        manager: str,
    ) -> None:
        self.rng = rng
        self.year = year
        self.tenant_id = tenant_id
        self.location_id = location_id
        self.profile = profile
        self.currency = currency
        self.registers = tuple(registers)
        self.menu = tuple(menu)
        self.modifiers = tuple(modifiers)
        self.cashiers = tuple(cashiers)
        self.manager = manager
        self.zone = ZoneInfo(profile.time_zone)
        self.first_day = date(year, 1, 1)
        self.day_count = 366 if calendar.isleap(year) else 365
        self.days: dict[date, DayFigures] = {}
        self.tax_dates: dict[date, DayFigures] = {}
        self.shift_ids: list[UUID] = []
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "orders",
                "closed_orders",
                "voided_orders",
                "order_lines",
                "voided_lines",
                "payments",
                "declined_payments",
                "refunds",
                "shifts",
                "z_reports_off",
            ),
            0,
        )
        self._pending: dict[int, list[PendingRefund]] = {}
        self._starts: dict[date, datetime] = {}
        self._item_weights = list(itertools.accumulate(item.popularity for item in self.menu))
        hours = sorted(HOURLY_WEIGHTS)
        self._hours = hours
        self._hour_weights = list(itertools.accumulate(HOURLY_WEIGHTS[h] for h in hours))
        self._per_day = self._orders_per_day(orders)

    def _orders_per_day(self, orders: int) -> list[int]:
        weights = [
            round(
                1000
                * WEEKDAY_WEIGHTS[(self.first_day + timedelta(days=d)).weekday()]
                * self.rng.uniform(0.85, 1.15)
            )
            for d in range(self.day_count)
        ]
        return pricing.allocate(orders, weights)

    # -- time ----------------------------------------------------------------------------------

    def at(self, day_index: int, offset_seconds: float) -> datetime:
        """The instant of a venue-local wall time, `offset_seconds` after the business day's
        local midnight (a nonexistent wall time in the spring-forward hour lands an hour
        later, as a till's clock would show it)."""
        midnight = datetime.combine(self.first_day + timedelta(days=day_index), datetime.min.time())
        wall = midnight + timedelta(seconds=offset_seconds)
        return wall.replace(tzinfo=self.zone).astimezone(UTC)

    def starts(self, day: date) -> datetime:
        """The instant a business day starts: its cutoff hour, local time (a cutoff in the
        hour the clocks skip is read with the offset before the change: the jump itself)."""
        start = self._starts.get(day)
        if start is None:
            local = datetime.combine(day, datetime.min.time()).replace(hour=CUTOFF_HOUR)
            start = self._starts[day] = local.replace(tzinfo=self.zone).astimezone(UTC)
        return start

    def business_day(self, instant: datetime) -> date:
        """The day whose [start, next start) holds the instant."""
        local = instant.astimezone(self.zone).replace(tzinfo=None)
        day = (local - timedelta(hours=CUTOFF_HOUR)).date()
        if instant < self.starts(day):
            return day - timedelta(days=1)
        if instant >= self.starts(day + timedelta(days=1)):
            return day + timedelta(days=1)
        return day

    def figures(self, instant: datetime) -> DayFigures:
        day = self.business_day(instant)
        figures = self.days.get(day)
        if figures is None:
            figures = self.days[day] = DayFigures()
        return figures

    def tax_figures(self, instant: datetime) -> DayFigures:
        """The tax of the calendar date at the venue that holds `instant`."""
        day = instant.astimezone(self.zone).date()
        figures = self.tax_dates.get(day)
        if figures is None:
            figures = self.tax_dates[day] = DayFigures()
        return figures

    # -- chunks --------------------------------------------------------------------------------

    def chunks(self) -> Iterator[Chunk]:
        for first in range(0, self.day_count, DAYS_PER_CHUNK):
            chunk = Chunk()
            for day_index in range(first, min(first + DAYS_PER_CHUNK, self.day_count)):
                self._day(day_index, chunk)
            yield chunk

    def _day(self, day_index: int, chunk: Chunk) -> None:
        rng = self.rng
        shifts: list[list[ShiftState]] = []
        for register in self.registers:
            pair = []
            for opens, closes in (
                (MORNING_OPENS - rng.randrange(600), HANDOVER),
                (HANDOVER + 5, EVENING_CLOSES + rng.randrange(600)),
            ):
                shift_id = _uuid(rng)
                self.shift_ids.append(shift_id)
                opened_at = self.at(day_index, opens)
                pair.append(
                    ShiftState(
                        id=shift_id,
                        register=register,
                        cashier=rng.choice(self.cashiers),
                        opened_at=opened_at,
                        closed_at=self.at(day_index, closes),
                    )
                )
            shifts.append(pair)
        for _ in range(self._per_day[day_index]):
            self._order(day_index, shifts, chunk)
        for refund in self._pending.pop(day_index, ()):
            self._refund(day_index, refund, shifts, chunk)
        for pair in shifts:
            for shift in pair:
                self._close(shift, chunk)

    # -- one order -----------------------------------------------------------------------------

    def _order(self, day_index: int, shifts: list[list[ShiftState]], chunk: Chunk) -> None:
        rng = self.rng
        tenant = self.tenant_id
        hour = self._hours[
            bisect.bisect_left(self._hour_weights, rng.random() * self._hour_weights[-1])
        ]
        span = 1800 if hour == 26 else 3600
        sold = hour * 3600 + rng.randrange(span)
        evening = sold >= HANDOVER
        opened = sold - rng.randrange(60, 1500)
        opened = max(opened, HANDOVER + 10) if evening else max(opened, MORNING_OPENS + 300)
        register_index = rng.randrange(len(self.registers))
        shift = shifts[register_index][1 if evening else 0]
        register = shift.register
        closed_at = self.at(day_index, sold)
        created_at = self.at(day_index, opened)
        order_id = _uuid(rng)
        figures = self.figures(closed_at)

        # Lines: 1-4 items, mostly one of each; modifiers on some coffees.
        line_count = rng.choices((1, 2, 3, 4), cum_weights=(35, 70, 90, 100))[0]
        chosen: list[tuple[MenuItem, int, Modifier | None]] = []
        for _ in range(line_count):
            item = self.menu[
                bisect.bisect_left(self._item_weights, rng.random() * self._item_weights[-1])
            ]
            quantity = rng.choices((1, 2, 3), cum_weights=(80, 95, 100))[0]
            modifier = None
            if item.takes_modifiers and rng.random() < 0.3:
                modifier = rng.choice(self.modifiers)
            chosen.append((item, quantity, modifier))

        voided = rng.random() < 0.01
        tender = "card" if rng.random() < 0.6 else "cash"
        tip = 0
        if not voided and tender == "card" and rng.random() < 0.2:
            tip = rng.choice((100, 200, 300, 500, 1000))
        discount_bps = 1000 if rng.random() < 0.05 else 0
        priced = _price(
            tuple(
                (quantity, item.price_minor + (modifier.price_minor if modifier else 0), item.rate)
                for item, quantity, modifier in chosen
            ),
            discount_bps,
            tip,
        )
        price = priced.price
        covers = rng.randint(1, 4)
        table_name = f"Table {rng.randint(1, 30)}" if rng.random() < 0.35 else None

        # The sale's lines, and the line voided before payment on ~1% of orders.
        line_rows = []
        for (item, quantity, modifier), line_price in zip(chosen, price.lines, strict=True):
            line_rows.append(
                [
                    tenant,
                    order_id,
                    line_price.key,
                    item.name,
                    quantity,
                    line_price.gross_minor // quantity,
                    line_price.net_minor,
                    item.id,
                    json.dumps(
                        [
                            {
                                "id": str(modifier.id),
                                "name": modifier.name,
                                "price_minor": modifier.price_minor,
                            }
                        ]
                    )
                    if modifier
                    else "[]",
                    item.tax_category_id,
                    item.rate,
                    line_price.gross_minor,
                    line_price.line_discount_minor + line_price.order_discount_minor,
                    "active",
                    None,
                    0,
                    0,
                    shift.cashier,
                    created_at,
                    created_at + timedelta(seconds=30) if item.fired else None,
                ]
            )
        voided_line = None
        if not voided and rng.random() < 0.01:
            item = self.menu[rng.randrange(len(self.menu))]
            amount = item.price_minor
            voided_line = amount
            line_rows.append(
                [
                    tenant,
                    order_id,
                    len(chosen) + 1,
                    item.name,
                    1,
                    amount,
                    amount,
                    item.id,
                    "[]",
                    item.tax_category_id,
                    item.rate,
                    amount,
                    0,
                    "voided",
                    rng.choice(VOID_REASONS),
                    0,
                    0,
                    shift.cashier,
                    created_at,
                    None,
                ]
            )

        self.counts["orders"] += 1
        self.counts["order_lines"] += len(line_rows)
        if voided:
            self.counts["voided_orders"] += 1
            figures.voided_orders += 1
            figures.voided_orders_minor += price.total_minor
            shift.orders.append(
                shift_rules.OrderFact(
                    status="voided",
                    total_minor=price.total_minor,
                    subtotal_minor=price.subtotal_minor,
                    discount_minor=price.discount_minor,
                    tax_minor=price.tax_minor,
                    covers=covers,
                    tax=priced.tax_facts,
                )
            )
            chunk.rows["orders"].append(
                (
                    tenant,
                    order_id,
                    self.location_id,
                    "voided",
                    self.currency,
                    price.total_minor,
                    shift.cashier,
                    created_at,
                    3 + line_count,
                    shift.id,
                    register.device_id,
                    table_name,
                    covers,
                    True,
                    "percent" if discount_bps else None,
                    discount_bps or None,
                    price.subtotal_minor,
                    price.discount_minor,
                    price.tax_minor,
                    priced.tax_json,
                    0,
                    0,
                    0,
                    0,
                    closed_at,
                    closed_at,
                )
            )
            chunk.rows["order_lines"].extend(tuple(row) for row in line_rows)
            return

        # Payment: a declined card attempt first on ~0.5%, then one approved payment.
        payment_rows: list[tuple[Any, ...]] = []
        if rng.random() < 0.005:
            declined_at = closed_at - timedelta(seconds=rng.randrange(40, 120))
            self.counts["declined_payments"] += 1
            self.figures(declined_at).declined_card_attempts += 1
            shift.payments.append(shift_rules.PaymentFact("card", "declined", price.total_minor))
            payment_rows.append(
                (
                    tenant,
                    _uuid(rng),
                    order_id,
                    shift.id,
                    "card",
                    "declined",
                    price.total_minor,
                    None,
                    None,
                    0,
                    None,
                    None,
                    None,
                    f"T{rng.getrandbits(48):012x}",
                    0,
                    shift.cashier,
                    declined_at,
                )
            )
        rounding = 0
        payment_id = _uuid(rng)
        tendered: int | None = None
        change: int | None = None
        scheme: str | None = None
        last4: str | None = None
        auth_code: str | None = None
        reference: str | None = None
        if tender == "cash":
            rounding = pricing.cash_rounding(price.total_minor, self.profile.cash_rounding_minor)
            due = price.total_minor + rounding
            note = rng.choice((0, 500, 1000, 2000, 5000))
            tendered = due if note == 0 else -(-due // note) * note
            change = tendered - due
        else:
            due = price.total_minor
            scheme = rng.choice(SCHEMES)
            last4 = f"{rng.randrange(10_000):04d}"
            auth_code = f"{rng.randrange(1_000_000):06d}"
            reference = f"T{rng.getrandbits(48):012x}"
        paid_at = closed_at - timedelta(seconds=rng.randrange(5, 30))
        shift.payments.append(shift_rules.PaymentFact(tender, "approved", due))
        # By the payment's own instant, as a report buckets payments.
        tally = self.figures(paid_at).payments.setdefault(tender, [0, 0])
        tally[0] += 1
        tally[1] += due

        # A refund of ~1.5% of sales, decided now so the order is written as it ends up.
        refund = None
        if rng.random() < 0.015:
            refund = self._plan_refund(
                day_index,
                sold,
                register_index,
                evening,
                order_id,
                chosen,
                price,
                due,
                payment_id,
                tender,
            )
        refunded = refund.amount_minor if refund else 0
        if refund is not None:
            self._pending.setdefault(refund.day_index, []).append(refund)
            refunded_lines = json.loads(refund.lines_json)
            for done in refunded_lines:
                row = line_rows[done["line_number"] - 1]
                row[15], row[16] = done["quantity"], done["amount_minor"]

        payment_rows.append(
            (
                tenant,
                payment_id,
                order_id,
                shift.id,
                tender,
                "approved",
                due,
                tendered,
                change,
                rounding,
                scheme,
                last4,
                auth_code,
                reference,
                refunded,
                shift.cashier,
                paid_at,
            )
        )
        self.counts["payments"] += 1
        self.counts["closed_orders"] += 1

        version = 3 + line_count + len(payment_rows) + (refund is not None)
        chunk.rows["orders"].append(
            (
                tenant,
                order_id,
                self.location_id,
                "closed",
                self.currency,
                price.total_minor,
                shift.cashier,
                created_at,
                version,
                shift.id,
                register.device_id,
                table_name,
                covers,
                True,
                "percent" if discount_bps else None,
                discount_bps or None,
                price.subtotal_minor,
                price.discount_minor,
                price.tax_minor,
                priced.tax_json,
                price.tip_minor,
                rounding,
                due,
                refunded,
                closed_at,
                self.at(refund.day_index, refund.offset_seconds) if refund else closed_at,
            )
        )
        chunk.rows["order_lines"].extend(tuple(row) for row in line_rows)
        chunk.rows["payments"].extend(payment_rows)

        shift.orders.append(
            shift_rules.OrderFact(
                status="closed",
                total_minor=price.total_minor,
                subtotal_minor=price.subtotal_minor,
                discount_minor=price.discount_minor,
                service_charge_minor=price.service_charge_minor,
                tip_minor=price.tip_minor,
                tax_minor=price.tax_minor,
                rounding_minor=rounding,
                covers=covers,
                tax=priced.tax_facts,
            )
        )
        if voided_line is not None:
            shift.voided_line_amounts.append(voided_line)
            self.counts["voided_lines"] += 1
            figures.voided_lines += 1
            figures.voided_lines_minor += voided_line
        figures.orders += 1
        figures.covers += covers
        figures.gross_sales_minor += price.subtotal_minor
        figures.discounts_minor += price.discount_minor
        figures.service_charges_minor += price.service_charge_minor
        figures.tips_minor += price.tip_minor
        figures.rounding_minor += rounding
        figures.net_sales_minor += price.total_minor
        figures.tax_minor += price.tax_minor
        # Accrual: the earlier of the close and the payment, the payment.
        dated = self.tax_figures(paid_at)
        for group in price.tax:
            for by in (figures, dated):
                total = by.tax.setdefault(group.rate, [0, 0, 0])
                total[0] += group.net_minor
                total[1] += group.tax_minor
                total[2] += group.gross_minor
        for (item, quantity, modifier), line_price in zip(chosen, price.lines, strict=True):
            mix = figures.items.setdefault(item.id, [0, 0, 0])
            mix[0] += quantity
            mix[1] += line_price.gross_minor
            mix[2] += line_price.net_minor
            if modifier is not None:
                chosen_mix = figures.modifiers.setdefault(modifier.id, [0, 0])
                chosen_mix[0] += quantity
                chosen_mix[1] += quantity * modifier.price_minor

    # -- refunds -------------------------------------------------------------------------------

    def _plan_refund(
        self,
        day_index: int,
        sold: int,
        register_index: int,
        evening: bool,
        order_id: UUID,
        chosen: Sequence[tuple[MenuItem, int, Modifier | None]],
        price: pricing.OrderPrice,
        paid: int,
        payment_id: UUID,
        tender: str,
    ) -> PendingRefund | None:
        rng = self.rng
        # When: the same day at the same register (an hour or so later) or 1-10 days later
        # at any register; never past the year's last business day.
        later = rng.random() < 0.45 and day_index + 1 < self.day_count
        if not later:
            offset = sold + rng.randrange(120, 3600)
            if offset >= LAST_SALE:
                if day_index + 1 >= self.day_count:
                    return None
                later = True
        if later:
            days_after = min(rng.randint(1, 10), self.day_count - 1 - day_index)
            refund_register = rng.randrange(len(self.registers))
            offset = rng.randrange(9 * 3600, 21 * 3600)
            refund_evening = offset >= HANDOVER
        else:
            days_after = 0
            refund_register = register_index
            refund_evening = evening or offset >= HANDOVER

        # What: one line, all its units (70%), or an amount (30%), as the refunds service
        # works them out (services/orders/refunds/service.py refund_amounts).
        groups = {group.rate: group for group in price.tax}
        by_rate: dict[Decimal, int] = dict.fromkeys(groups, 0)
        lines_json: list[dict[str, Any]] = []
        if rng.random() < 0.7:
            money: dict[int, int] = {}
            for group in price.tax:
                keys = [
                    line.key
                    for (item, _, _), line in zip(chosen, price.lines, strict=True)
                    if item.rate == group.rate
                ]
                weights = [
                    price.lines[key - 1].net_minor + price.lines[key - 1].service_charge_minor
                    for key in keys
                ]
                money |= dict(zip(keys, pricing.allocate(group.gross_minor, weights), strict=True))
            key = rng.randrange(len(chosen)) + 1
            item, quantity, _ = chosen[key - 1]
            amount = money[key]
            by_rate[item.rate] += amount
            lines_json.append(
                {
                    "line_number": key,
                    "name": item.name,
                    "quantity": quantity,
                    "amount_minor": amount,
                }
            )
            total = sum(by_rate.values())
            if total > paid:
                # Cash rounding took a cent or two off what was paid: off the refund too.
                largest = max(by_rate, key=lambda rate: by_rate[rate])
                by_rate[largest] -= total - paid
        else:
            rates = list(groups)
            asked = min(
                paid, sum(g.gross_minor for g in groups.values()), rng.choice((300, 500, 1000))
            )
            by_rate = dict(
                zip(
                    rates,
                    pricing.allocate(asked, [groups[r].gross_minor for r in rates]),
                    strict=True,
                )
            )
        amount_minor = sum(by_rate.values())
        if amount_minor <= 0:
            return None
        tax_groups = []
        for rate, amount in by_rate.items():
            if amount == 0:
                continue
            group = groups[rate]
            tax_minor = pricing.refund_tax(
                group_gross_minor=group.gross_minor,
                group_tax_minor=group.tax_minor,
                refunded_gross_minor=0,
                refunded_tax_minor=0,
                amount_minor=amount,
            )
            tax_groups.append((rate, amount - tax_minor, tax_minor, amount))
        tax = tax_json(
            [
                pricing.TaxGroup(rate=r, net_minor=n, tax_minor=t, gross_minor=g)
                for r, n, t, g in tax_groups
            ]
        )
        refund = PendingRefund(
            id=_uuid(rng),
            order_id=order_id,
            day_index=day_index + days_after,
            register_index=refund_register,
            evening=refund_evening,
            offset_seconds=offset,
            reason_code=rng.choice(REFUND_REASONS),
            amount_minor=amount_minor,
            tax_minor=sum(t for _, _, t, _ in tax_groups),
            lines_json=json.dumps(lines_json),
            tax_json=json.dumps(tax),
            tax_groups=tuple(tax_groups),
            payment_id=payment_id,
            tender=tender,
            terminal_reference=f"R{rng.getrandbits(48):012x}" if tender == "card" else None,
            auth_code=f"{rng.randrange(1_000_000):06d}" if tender == "card" else None,
        )
        return refund

    def _refund(
        self, day_index: int, refund: PendingRefund, shifts: list[list[ShiftState]], chunk: Chunk
    ) -> None:
        shift = shifts[refund.register_index][1 if refund.evening else 0]
        created_at = self.at(day_index, refund.offset_seconds)
        tenant = self.tenant_id
        chunk.rows["refunds"].append(
            (
                tenant,
                refund.id,
                refund.order_id,
                shift.id,
                refund.reason_code,
                refund.amount_minor,
                refund.tax_minor,
                refund.lines_json,
                refund.tax_json,
                shift.cashier,
                self.manager,
                created_at,
            )
        )
        chunk.rows["refund_tenders"].append(
            (
                tenant,
                refund.id,
                refund.payment_id,
                shift.id,
                refund.tender,
                refund.amount_minor,
                refund.terminal_reference,
                refund.auth_code,
            )
        )
        shift.refunds.append(shift_rules.RefundFact(refund.amount_minor, refund.tax_minor))
        shift.refund_tenders.append(
            shift_rules.RefundTenderFact(refund.tender, refund.amount_minor)
        )
        self.counts["refunds"] += 1
        figures = self.figures(created_at)
        figures.refunds += 1
        figures.refunds_minor += refund.amount_minor
        figures.refunds_tax_minor += refund.tax_minor
        figures.refunds_by_tender[refund.tender] = (
            figures.refunds_by_tender.get(refund.tender, 0) + refund.amount_minor
        )
        dated = self.tax_figures(created_at)
        for rate, net, tax, gross in refund.tax_groups:
            for by in (figures, dated):
                total = by.refund_tax.setdefault(rate, [0, 0, 0])
                total[0] += net
                total[1] += tax
                total[2] += gross

    # -- closing a shift -----------------------------------------------------------------------

    def _close(self, shift: ShiftState, chunk: Chunk) -> None:
        rng = self.rng
        facts = shift_rules.ShiftFacts(
            shift=shift_rules.ShiftHeader(
                id=shift.id,
                register_id=shift.register.device_id,
                register_number=shift.register.number,
                location_id=self.location_id,
                status="open",
                opened_by=shift.cashier,
                opened_at=shift.opened_at,
                opening_float_minor=OPENING_FLOAT_MINOR,
                currency=self.currency,
            ),
            as_of=shift.closed_at,
            orders=shift.orders,
            voided_line_amounts=shift.voided_line_amounts,
            payments=shift.payments,
            refunds=shift.refunds,
            refund_tenders=shift.refund_tenders,
        )
        report = shift_rules.shift_report(facts)
        counted_cash = report.expected.cash
        note = None
        if rng.random() < 0.05:
            counted_cash += rng.choice((-500, -300, -200, -100, 100, 200, 500))
            note = "Counted twice; the difference stands."
            self.counts["z_reports_off"] += 1
        issued = shift_rules.z_report(
            report,
            counted=shift_rules.TenderAmounts(cash=counted_cash, card=report.expected.card),
            closed_by=shift.cashier,
            closed_at=shift.closed_at,
            note=note,
        )
        stored = json.dumps(issued.model_dump(mode="json"))
        tenant = self.tenant_id
        chunk.rows["shifts"].append(
            (
                tenant,
                shift.id,
                shift.register.device_id,
                self.location_id,
                "closed",
                OPENING_FLOAT_MINOR,
                shift.cashier,
                shift.opened_at,
                shift.cashier,
                shift.closed_at,
                stored,
                2,
            )
        )
        chunk.rows["z_reports"].append(
            (tenant, shift.id, 1, stored, "close", shift.cashier, shift.closed_at)
        )
        self.counts["shifts"] += 1
        figures = self.figures(shift.closed_at)
        figures.shifts += 1
        figures.expected_cash_minor += report.expected.cash
        figures.expected_card_minor += report.expected.card
        figures.counted_cash_minor += counted_cash
        figures.counted_card_minor += report.expected.card


# ---------------------------------------------------------------------------------------------
# Loading.


async def _copy(connection: asyncpg.Connection, chunk: Chunk) -> int:
    rows = 0
    for table in LOAD_ORDER:
        records = chunk.rows[table]
        if records:
            await connection.copy_records_to_table(
                table, schema_name="orders", columns=TABLE_COLUMNS[table], records=records
            )
            rows += len(records)
    return rows


_LOADED = tuple(f"orders.{table}" for table in LOAD_ORDER)

# Triggers of our own (not the foreign keys' internal ones) that fire on INSERT into a table
# the load writes: they must run, so with any the foreign keys are checked row by row too.
_INSERT_TRIGGERS = """
    SELECT tgrelid::regclass::text || '.' || tgname FROM pg_trigger
    WHERE NOT tgisinternal AND tgtype & 4 = 4 AND tgrelid = ANY($1::regclass[])
"""
_FOREIGN_KEYS = """
    SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent, conname,
           array_agg(child.attname ORDER BY k.n) AS child_columns,
           array_agg(parent.attname ORDER BY k.n) AS parent_columns
    FROM pg_constraint
    CROSS JOIN LATERAL unnest(conkey, confkey) WITH ORDINALITY AS k (child_key, parent_key, n)
    JOIN pg_attribute child ON child.attrelid = conrelid AND child.attnum = k.child_key
    JOIN pg_attribute parent ON parent.attrelid = confrelid AND parent.attnum = k.parent_key
    WHERE contype = 'f' AND conrelid = ANY($1::regclass[])
    GROUP BY conrelid, confrelid, conname
"""


async def _check_foreign_keys(connection: asyncpg.Connection) -> None:
    """Every foreign key of the loaded tables, checked in one anti-join each (what the
    skipped per-row checks would have refused)."""
    broken = []
    for key in await connection.fetch(_FOREIGN_KEYS, list(_LOADED)):
        children = ", ".join(f"c.{column}" for column in key["child_columns"])
        matches = " AND ".join(
            f"p.{parent} = c.{child}"
            for child, parent in zip(key["child_columns"], key["parent_columns"], strict=True)
        )
        orphans = await connection.fetchval(
            f"SELECT count(*) FROM {key['child']} c WHERE ({children}) IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {key['parent']} p WHERE {matches})"
        )
        if orphans:
            broken.append(f"{key['conname']}: {orphans} rows")
    if broken:
        raise RuntimeError(f"the loaded rows break foreign keys: {'; '.join(broken)}")


async def _load(admin_url: str, generator: YearGenerator) -> int:
    """COPY each chunk while the worker thread generates the next (Postgres works on one
    core, Python on the other), then check the foreign keys and ANALYZE."""
    connection = await asyncpg.connect(admin_url)
    rows = 0
    try:
        # A lost bulk load is reloaded, not recovered: no need to wait for each WAL flush.
        await connection.execute("SET synchronous_commit = off")
        # Checking each row's foreign keys as it arrives triples the COPY time (measured:
        # 15 s against 5.7 s per 100,000 orders); they are checked once, in bulk, after.
        # Unless the tables have insert triggers of their own, which must run.
        bulk_checked = not await connection.fetchval(
            f"SELECT array_agg(t) FROM ({_INSERT_TRIGGERS}) AS triggers (t)", list(_LOADED)
        )
        if bulk_checked:
            await connection.execute("SET session_replication_role = replica")
        chunks = generator.chunks()
        loop = asyncio.get_running_loop()
        following = loop.run_in_executor(None, next, chunks, None)
        while (chunk := await following) is not None:
            following = loop.run_in_executor(None, next, chunks, None)
            rows += await _copy(connection, chunk)
        if bulk_checked:
            await connection.execute("SET session_replication_role = origin")
            await _check_foreign_keys(connection)
        await connection.execute(f"ANALYZE {', '.join(_LOADED)}")
    finally:
        await connection.close()
    return rows


async def build_facts(admin_url: str, tenant_id: UUID) -> float:
    """The daily facts of the loaded year, built by the orders service's own rebuild (the
    function the migration backfills with, over the same pure arithmetic each sale's commit
    uses), as the owner with the tenant bound, then ANALYZEd; returns the seconds it took."""
    started = time.perf_counter()
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute("SET synchronous_commit = off")
        async with connection.transaction():
            await connection.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
            await bind_tenant(connection, tenant_id)
            await rebuild(connection, batch=5000)
        await connection.execute(f"ANALYZE {', '.join(FACT_TABLES)}")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def generate(
    admin_url: str,
    *,
    orders: int = 500_000,
    seed: int = 1,
    year: int = 2025,
    region: str = "au",
    service_urls: Mapping[str, str] | None = None,
) -> VenueYear:
    """Writes one venue's year into the migrated database at `admin_url` and returns its ids
    and figures. The venue is provisioned through the identity and orders logins
    (`service_urls`, or the dev passwords `prepare_database` sets); the year is COPYed in
    with the admin connection."""
    profile = PROFILES[region]
    rng = random.Random(seed)
    urls = dict(service_urls) if service_urls else await db.set_dev_role_passwords(admin_url)
    tenant_id, location_id = _uuid(rng), _uuid(rng)
    registers = tuple(Register(_uuid(rng), number) for number in range(1, REGISTERS + 1))
    staff = [(_uuid(rng), "cashier") for _ in range(6)] + [(_uuid(rng), "manager")]
    await _provision(urls, profile, tenant_id, year)
    await _arrange_identity(
        urls["identity"],
        tenant_id=tenant_id,
        location_id=location_id,
        profile=profile,
        registers=registers,
        staff=staff,
    )
    categories, rates, menu, modifiers = await _arrange_orders(
        urls["orders"],
        tenant_id=tenant_id,
        location_id=location_id,
        profile=profile,
        registers=registers,
        rng=rng,
    )
    subjects = tuple(str(staff_id) for staff_id, _ in staff)
    generator = YearGenerator(
        rng=rng,
        orders=orders,
        year=year,
        tenant_id=tenant_id,
        location_id=location_id,
        profile=profile,
        currency=profile.currency,
        registers=registers,
        menu=menu,
        modifiers=modifiers,
        cashiers=subjects[:-1],
        manager=subjects[-1],
    )
    rows = await _load(admin_url, generator)
    facts_seconds = await build_facts(admin_url, tenant_id)
    return VenueYear(
        tenant_id=tenant_id,
        location_id=location_id,
        region=region,
        currency=profile.currency,
        time_zone=profile.time_zone,
        cutoff_hour=CUTOFF_HOUR,
        year=year,
        seed=seed,
        registers=registers,
        shift_ids=tuple(generator.shift_ids),
        tax_categories=categories,
        rates=rates,
        menu=menu,
        modifiers=modifiers,
        staff=subjects,
        counts={**generator.counts, "rows": rows},
        days=generator.days,
        tax_dates=generator.tax_dates,
        facts_seconds=facts_seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    from ops.platform import prepare_database

    parser = argparse.ArgumentParser(
        prog="python -m bench.venue_year",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database", default=DATABASE, help=f"recreated (default {DATABASE})")
    parser.add_argument("--orders", type=int, default=500_000, help="in the year (500,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--region", choices=sorted(PROFILES), default="au")
    options = parser.parse_args(argv)
    prepared = prepare_database(options.database, fresh=True)
    try:
        started = time.perf_counter()
        venue = asyncio.run(
            generate(
                prepared.admin_url,
                orders=options.orders,
                seed=options.seed,
                year=options.year,
                region=options.region,
                service_urls=prepared.service_urls,
            )
        )
        elapsed = time.perf_counter() - started
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    print(json.dumps({**venue.as_json(), "load_seconds": round(elapsed, 1)}, indent=2))
    print(
        f"venue_year: {venue.counts['orders']:,} orders ({venue.counts['rows']:,} rows) "
        f"loaded in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
