"""A new business's orders settings and its region's tax categories, written when the
operator provisions the tenant (the `halopos` CLI, the demo seed), through the orders
service's own database login.

Defaults a venue owner expects on day one: in Australia, GST at 10% and GST-free, prices
tax-inclusive, cash rounded to 5c; in Germany (eu-central-1), standard VAT at 19% and reduced
at 7%, prices tax-inclusive. An owner changes any of it through `/v1/tax`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from libs.audit.append import Actor, AuditLog
from libs.tenancy.database import TenantDatabase
from services.orders.models import (
    menu_categories,
    menu_item_modifier_groups,
    menu_items,
    modifier_groups,
    modifiers,
    settings,
    tax_categories,
    tax_rates,
)

# Since before any sale this platform will see: the rate applies to every sale.
SINCE_ALWAYS = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DefaultTax:
    code: str
    name: str
    rate_percent: Decimal


REGIONAL_TAX = {
    "ap-southeast-2": (
        DefaultTax("gst", "GST", Decimal("10")),
        DefaultTax("gst-free", "GST-free", Decimal("0")),
    ),
    "eu-central-1": (
        DefaultTax("standard", "Standard rate VAT", Decimal("19")),
        DefaultTax("reduced", "Reduced rate VAT", Decimal("7")),
    ),
}
# No 1c or 2c coins in Australia since 1992: cash totals round to 5c.
CASH_ROUNDING_MINOR = {"AUD": 5}


async def provision_orders(
    database: TenantDatabase, *, tenant_id: UUID, region: str, currency: str, actor: Actor
) -> None:
    """Idempotent: a business that has its settings already is left as it is."""
    async with database.provisioning_transaction(tenant_id) as connection:
        created = (
            await connection.execute(
                insert(settings)
                .values(currency=currency, cash_rounding_minor=CASH_ROUNDING_MINOR.get(currency, 1))
                .on_conflict_do_nothing()
                .returning(settings.c.currency)
            )
        ).first()
        if created is None:
            return
        for default in REGIONAL_TAX[region]:
            category_id = uuid.uuid4()
            await connection.execute(
                tax_categories.insert().values(id=category_id, code=default.code, name=default.name)
            )
            await connection.execute(
                tax_rates.insert().values(
                    id=uuid.uuid4(),
                    tax_category_id=category_id,
                    rate_percent=default.rate_percent,
                    effective_from=SINCE_ALWAYS,
                    created_by=actor.id,
                )
            )
        await AuditLog.from_connection(connection, service="orders").append(
            actor=actor,
            action="orders.provisioned",
            resource_type="settings",
            resource_id=str(tenant_id),
            payload={
                "currency": currency,
                "prices_include_tax": True,
                "cash_rounding_minor": CASH_ROUNDING_MINOR.get(currency, 1),
                "tax": [
                    {"code": d.code, "name": d.name, "rate_percent": str(d.rate_percent)}
                    for d in REGIONAL_TAX[region]
                ],
            },
        )


# The demo businesses' menus (ops/seed.py): (name, price, tax code, takes milk).
DEMO_MENUS = {
    "ap-southeast-2": (
        "Cafe",
        (
            ("Flat white", 450, "gst", True),
            ("Banana bread", 650, "gst", False),
            ("Bread roll", 300, "gst-free", False),
        ),
    ),
    "eu-central-1": (
        "Bar",
        (
            ("Kaffee", 320, "standard", True),
            ("Pils 0,5 l", 480, "standard", False),
            ("Brezel", 250, "reduced", False),
        ),
    ),
}


async def seed_demo_menu(
    database: TenantDatabase, *, tenant_id: UUID, region: str, actor: Actor
) -> None:
    """A small menu for a demo business, once (a business with any menu is left alone)."""
    category_name, items = DEMO_MENUS[region]
    async with database.provisioning_transaction(tenant_id) as connection:
        if (await connection.execute(select(menu_categories.c.id).limit(1))).first():
            return
        taxes = dict(
            (await connection.execute(select(tax_categories.c.code, tax_categories.c.id))).all()
        )
        category_id, group_id = uuid.uuid4(), uuid.uuid4()
        await connection.execute(
            # Made at the counter or the bar: a demo sale prints a bar ticket and a receipt.
            menu_categories.insert().values(id=category_id, name=category_name, printer_role="bar")
        )
        await connection.execute(
            modifier_groups.insert().values(id=group_id, name="Milk", min_choices=0, max_choices=1)
        )
        await connection.execute(
            modifiers.insert().values(
                id=uuid.uuid4(), group_id=group_id, name="Oat milk", price_minor=50
            )
        )
        for position, (name, price_minor, tax_code, takes_milk) in enumerate(items):
            item_id = uuid.uuid4()
            await connection.execute(
                menu_items.insert().values(
                    id=item_id,
                    category_id=category_id,
                    tax_category_id=taxes[tax_code],
                    name=name,
                    price_minor=price_minor,
                    position=position,
                )
            )
            if takes_milk:
                await connection.execute(
                    menu_item_modifier_groups.insert().values(item_id=item_id, group_id=group_id)
                )
        await AuditLog.from_connection(connection, service="orders").append(
            actor=actor,
            action="menu.seeded",
            resource_type="menu_category",
            resource_id=str(category_id),
            payload={
                "printer_role": "bar",
                "items": [{"name": n, "price_minor": p, "tax": t} for n, p, t, _ in items],
            },
        )
