"""Arranging tills for tests: a location with an activated device, written through the
identity service's own role (tests read and arrange data as the services do, never as a
superuser)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import Role
from tests.support.database import Connect, as_service, as_tenant
from tests.support.tokens import TokenFactory


async def new_location(
    connect_as: Connect, tenant: uuid.UUID, name: str = "Front bar"
) -> uuid.UUID:
    """A venue of the business in Sydney, its business day ending at 3 in the morning."""
    location_id = uuid.uuid4()
    connection = await connect_as("identity")
    async with as_tenant(connection, tenant):
        await connection.execute(
            "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour) "
            "VALUES ($1, $2, 'Australia/Sydney', 3)",
            location_id,
            name,
        )
    return location_id


async def register_device(
    connect_as: Connect,
    tenant: uuid.UUID,
    key: DeviceKey,
    *,
    status: str = "active",
    location_id: uuid.UUID | None = None,
    name: str = "Till 1",
    activated_by: str = "test",
) -> tuple[uuid.UUID, uuid.UUID]:
    """An activated device with `key` at a new location (or at `location_id`): (location
    id, device id)."""
    location_id = location_id or await new_location(connect_as, tenant)
    device_id = uuid.uuid4()
    connection = await connect_as("identity")
    async with as_tenant(connection, tenant):
        await connection.execute(
            "INSERT INTO identity.devices "
            "(id, location_id, name, key_thumbprint, public_jwk, activated_by, status) "
            "VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)",
            device_id,
            location_id,
            name,
            key.thumbprint(),
            json.dumps(key.public_jwk()),
            activated_by,
            status,
        )
    return location_id, device_id


@dataclass(frozen=True)
class Menu:
    """A café's menu: coffee (GST, with an optional milk choice) and a GST-free bread roll
    in Australia; the same shape with standard and reduced VAT in Germany."""

    category_id: uuid.UUID
    coffee_id: uuid.UUID  # 450, taxed at the standard rate (GST 10% / VAT 19%)
    bread_id: uuid.UUID  # 300, GST-free / reduced VAT 7%
    milk_group_id: uuid.UUID  # choose 0 or 1
    oat_milk_id: uuid.UUID  # +50


@dataclass(frozen=True)
class OpenTill:
    """A staff member signed in on an activated device whose register has an open shift."""

    tenant: uuid.UUID
    location_id: uuid.UUID
    device_id: uuid.UUID
    key: DeviceKey
    staff: DPoPAuth
    subject: str
    shift_id: uuid.UUID
    menu: Menu


TAX_CODES = {"au": ("gst", "gst-free"), "eu": ("standard", "reduced")}


async def stock_menu(connect_as: Connect, tenant: uuid.UUID, region: str = "au") -> Menu:
    standard, reduced = TAX_CODES[region]
    menu = Menu(*(uuid.uuid4() for _ in range(5)))
    await as_service(
        connect_as,
        "orders",
        tenant,
        """
        WITH tax AS (SELECT code, id FROM orders.tax_categories),
        category AS (INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Cafe')),
        items AS (
            INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor)
            SELECT $2::uuid, $1::uuid, id, 'Flat white', 450 FROM tax WHERE code = $6
            UNION ALL
            SELECT $3::uuid, $1::uuid, id, 'Bread roll', 300 FROM tax WHERE code = $7
        ),
        grp AS (INSERT INTO orders.modifier_groups (id, name, min_choices, max_choices)
                VALUES ($4, 'Milk', 0, 1)),
        modifier AS (INSERT INTO orders.modifiers (id, group_id, name, price_minor)
                     VALUES ($5, $4, 'Oat milk', 50))
        INSERT INTO orders.menu_item_modifier_groups (item_id, group_id) VALUES ($2, $4)
        """,
        menu.category_id,
        menu.coffee_id,
        menu.bread_id,
        menu.milk_group_id,
        menu.oat_milk_id,
        standard,
        reduced,
    )
    return menu


async def stock_items(
    connect_as: Connect, tenant: uuid.UUID, items: Sequence[tuple[str, int]], *, tax_code: str
) -> tuple[uuid.UUID, ...]:
    """A one-category menu of `items` (name, price) all taxed as `tax_code`, as the benches
    stock their venues; the items' ids, in the same order."""
    category_id = uuid.uuid4()
    item_ids = tuple(uuid.uuid4() for _ in items)
    connection = await connect_as("orders")
    async with as_tenant(connection, tenant):
        await connection.execute(
            "INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Cafe')", category_id
        )
        await connection.execute(
            """
            INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor)
            SELECT item.id, $2, tax.id, item.name, item.price_minor
            FROM unnest($3::uuid[], $4::text[], $5::bigint[]) AS item (id, name, price_minor),
                 orders.tax_categories AS tax
            WHERE tax.code = $1
            """,
            tax_code,
            category_id,
            item_ids,
            [name for name, _ in items],
            [price for _, price in items],
        )
    return item_ids


async def open_shift(
    connect_as: Connect,
    tenant: uuid.UUID,
    device_id: uuid.UUID,
    location_id: uuid.UUID,
    opened_by: str,
    float_minor: int = 20_000,
) -> uuid.UUID:
    """Register the device as the business's next register and open a shift on it."""
    shift_id = uuid.uuid4()
    await as_service(
        connect_as,
        "orders",
        tenant,
        """
        WITH register AS (
            INSERT INTO orders.registers (device_id, location_id, number)
            SELECT $1, $2, coalesce(max(number), 0) + 1 FROM orders.registers
            RETURNING device_id
        )
        INSERT INTO orders.shifts (id, register_id, location_id, opening_float_minor, opened_by)
        SELECT $3, device_id, $2, $4, $5 FROM register
        """,
        device_id,
        location_id,
        shift_id,
        float_minor,
        opened_by,
    )
    return shift_id


async def open_till(
    connect_as: Connect,
    token: TokenFactory,
    tenant: uuid.UUID,
    *,
    region: str = "au",
    role: Role = Role.CASHIER,
    subject: str | None = None,
    menu: Menu | None = None,
    location_id: uuid.UUID | None = None,
) -> OpenTill:
    """A device (at a new venue, or at `location_id`) with an open shift and a menu, and
    `role` signed in on it."""
    key = DeviceKey.generate()
    location_id, device_id = await register_device(connect_as, tenant, key, location_id=location_id)
    subject = subject or str(uuid.uuid4())
    staff = token(tenant, role, subject, key=key, location_id=location_id, device_id=device_id)
    shift_id = await open_shift(connect_as, tenant, device_id, location_id, subject)
    menu = menu or await stock_menu(connect_as, tenant, region)
    return OpenTill(tenant, location_id, device_id, key, staff, subject, shift_id, menu)


def coffee_order(till: OpenTill, **fields: Any) -> dict[str, Any]:
    """Two flat whites (one with oat milk) and a bread roll: 450 + 500 + 300 = 1250."""
    lines = [
        {"item_id": str(till.menu.coffee_id), "quantity": 1},
        {"item_id": str(till.menu.coffee_id), "modifier_ids": [str(till.menu.oat_milk_id)]},
        {"item_id": str(till.menu.bread_id)},
    ]
    return {"lines": lines, **fields}


# -- printing (tests/orders/test_printing.py) -------------------------------------------------


@dataclass(frozen=True)
class Stations:
    """Where the menu is made: the café category's items (coffee, bread) in the kitchen, a
    beer at the bar, and coffee beans off the shelf (a category with no printer)."""

    beer_id: uuid.UUID  # Pale ale 900, taxed at the standard rate
    beans_id: uuid.UUID  # Coffee beans 1800, standard rate, prints nowhere


async def stock_stations(
    connect_as: Connect, tenant: uuid.UUID, menu: Menu, region: str = "au"
) -> Stations:
    stations = Stations(uuid.uuid4(), uuid.uuid4())
    bar, shelf = uuid.uuid4(), uuid.uuid4()
    connection = await connect_as("orders")
    async with as_tenant(connection, tenant):
        await connection.execute(
            "UPDATE orders.menu_categories SET printer_role = 'kitchen' WHERE id = $1",
            menu.category_id,
        )
        await connection.execute(
            "INSERT INTO orders.menu_categories (id, name, printer_role) "
            "VALUES ($1, 'Drinks', 'bar'), ($2, 'Retail', NULL)",
            bar,
            shelf,
        )
        await connection.execute(
            """
            INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor)
            SELECT $1::uuid, $2::uuid, id, 'Pale ale', 900 FROM orders.tax_categories
             WHERE code = $5
            UNION ALL
            SELECT $3::uuid, $4::uuid, id, 'Coffee beans', 1800 FROM orders.tax_categories
             WHERE code = $5
            """,
            stations.beer_id,
            bar,
            stations.beans_id,
            shelf,
            TAX_CODES[region][0],
        )
    return stations


async def name_venue(
    connect_as: Connect,
    tenant: uuid.UUID,
    location_id: uuid.UUID,
    *,
    business: str,
    venue: str,
    time_zone: str,
) -> None:
    """Rename the business and the till's location, and move it to `time_zone`."""
    connection = await connect_as("identity")
    async with as_tenant(connection, tenant):
        await connection.execute("UPDATE identity.tenants SET name = $1", business)
        await connection.execute(
            "UPDATE identity.locations SET name = $2, time_zone = $3 WHERE id = $1",
            location_id,
            venue,
            time_zone,
        )


async def print_jobs(connect_as: Connect, tenant: uuid.UUID) -> list[dict[str, Any]]:
    """The business's print jobs, read as the bridge service reads them (the orders service
    may only insert them)."""
    rows = await as_service(
        connect_as,
        "bridge",
        tenant,
        "SELECT id, location_id, printer_role, kind, summary, order_id, receipt_id, "
        "register_number, body, status, created_by FROM bridge.print_jobs "
        "ORDER BY created_at, printer_role, id",
    )
    return [dict(row) for row in rows]
