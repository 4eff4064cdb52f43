"""The daily facts' SQL (libs/sales/day_facts.py computes them): one statement writes every
fact a unit of work adds, and `rebuild` recomputes a business's facts from its stored orders.

The write is one round trip however many tables it touches: a data-modifying CTE per table,
each `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE SET x = x + EXCLUDED.x`, rows
in key order (libs/sales/day_facts.py `by_table`), so two tills adding to the same row wait
for each other in one order and never deadlock.

Nothing here names a tenant: the connection is tenant-bound, and `tenant_id` defaults to the
transaction's tenant. (`rebuild` runs for one tenant at a time in a bound transaction too.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from libs.sales import day_facts
from libs.sales.business_days import BusinessCalendar
from libs.sales.day_facts import (
    TABLES,
    Facts,
    FactTable,
    LineState,
    PaymentState,
    RefundedLine,
    RefundState,
    SaleState,
    tax_groups,
)

_KEY_TYPES = {
    "location_id": "uuid",
    "business_day": "date",
    "day": "date",
    "register_id": "uuid",
    "tender": "text",
    "attribution": "text",
    "refund": "bool",
    "rate": "numeric",
    "item_id": "uuid",
    "modifier_id": "uuid",
    "name": "text",
}


def _upsert(table: FactTable, first: int) -> str:
    columns = [*table.keys, *table.values]
    arrays = ", ".join(
        f"${first + index}::{_KEY_TYPES.get(name, 'int8')}[]" for index, name in enumerate(columns)
    )
    adds = ", ".join(f"{name} = target.{name} + EXCLUDED.{name}" for name in table.values)
    names = ", ".join(columns)
    return (
        f"INSERT INTO orders.{table.name} AS target ({names}) "
        f"SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT (tenant_id, {', '.join(table.keys)}) DO UPDATE SET {adds}"
    )


def _statement() -> str:
    parts, first = [], 1
    for table in TABLES:
        parts.append(f"{table.name} AS ({_upsert(table, first)})")
        first += len(table.keys) + len(table.values)
    return "WITH " + ", ".join(parts) + " SELECT 1"


# Every fact table in one statement (an empty table's arrays insert nothing).
ADD_FACTS = _statement()


def arguments(facts: Facts) -> list[list[Any]]:
    """`ADD_FACTS`'s arguments: one array per column of each table, rows in key order."""
    tables = day_facts.by_table(facts)
    arrays: list[list[Any]] = []
    for table in TABLES:
        rows = tables[table.name]
        width = len(table.keys) + len(table.values)
        columns: list[list[Any]] = [[] for _ in range(width)]
        for key, values in rows:
            for column, value in zip(columns, (*key, *values), strict=True):
                column.append(value)
        arrays.extend(columns)
    return arrays


async def add_facts(driver: asyncpg.Connection, facts: Facts) -> None:
    """Add `facts` to the days, in one round trip (none when there is nothing to add)."""
    if facts:
        await driver.execute(ADD_FACTS, *arguments(facts))


# ---------------------------------------------------------------------------------------------
# Location calendars. A location's zone and cutoff never change once it is created
# (identity.locations has no update path), so a process reads each once.

CALENDAR = """
    SELECT id, time_zone, business_day_cutoff_hour FROM identity.locations
     WHERE id = ANY($1::uuid[])
"""


class Calendars:
    """Each location's calendar, read once per process, by (tenant, location)."""

    def __init__(self) -> None:
        self._known: dict[tuple[UUID, UUID], BusinessCalendar] = {}

    async def get(
        self, driver: asyncpg.Connection, tenant_id: UUID, locations: set[UUID]
    ) -> dict[UUID, BusinessCalendar]:
        missing = [location for location in locations if (tenant_id, location) not in self._known]
        if missing:
            for row in await driver.fetch(CALENDAR, missing):
                self._known[(tenant_id, row["id"])] = BusinessCalendar.of(
                    row["time_zone"], row["business_day_cutoff_hour"]
                )
        return {
            location: self._known[(tenant_id, location)]
            for location in locations
            if (tenant_id, location) in self._known
        }


# The process's calendars (they never change, so they are never read again).
CALENDARS = Calendars()


# ---------------------------------------------------------------------------------------------
# Rebuilding from stored orders: the backfill of the migration that made the tables, the
# bench's load, and an operator's repair all run this, through the same pure functions the
# unit of work uses.

STORED_SALES = """
    SELECT o.location_id, o.register_id, o.status, o.closed_at, coalesce(o.covers, 0) AS covers,
           o.subtotal_minor, o.discount_minor, o.service_charge_minor, o.tip_minor,
           o.rounding_minor, o.total_minor, o.tax::text AS tax,
           (SELECT json_agg(json_build_array(
                       l.line_number, l.item_id, l.name, l.quantity, l.gross_minor,
                       l.discount_minor, l.service_charge_minor, l.total_minor, l.status,
                       l.modifiers))::text
              FROM orders.order_lines AS l
             WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id) AS lines,
           (SELECT json_agg(json_build_array(
                       p.id, p.created_at, p.status, p.tender, p.amount_minor, s.register_id))::text
              FROM orders.payments AS p
              JOIN orders.shifts AS s ON s.tenant_id = p.tenant_id AND s.id = p.shift_id
             WHERE p.tenant_id = o.tenant_id AND p.order_id = o.id) AS payments
      FROM orders.orders AS o
     WHERE o.location_id IS NOT NULL
"""
STORED_REFUNDS = """
    SELECT s.location_id, s.register_id, r.created_at, r.amount_minor, r.tax_minor,
           r.tax::text AS tax, r.lines::text AS lines,
           (SELECT json_object_agg(l.line_number, l.item_id)::text
              FROM orders.order_lines AS l
             WHERE l.tenant_id = r.tenant_id AND l.order_id = r.order_id) AS items,
           (SELECT json_agg(json_build_array(t.tender, t.amount_minor, ts.register_id))::text
              FROM orders.refund_tenders AS t
              JOIN orders.shifts AS ts ON ts.tenant_id = t.tenant_id AND ts.id = t.shift_id
             WHERE t.tenant_id = r.tenant_id AND t.refund_id = r.id) AS tenders
      FROM orders.refunds AS r
      JOIN orders.shifts AS s ON s.tenant_id = r.tenant_id AND s.id = r.shift_id
"""
ALL_CALENDARS = "SELECT id, time_zone, business_day_cutoff_hour FROM identity.locations"


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value else None


def _modifiers(chosen: list[dict[str, Any]] | None) -> tuple[tuple[UUID | None, str, int], ...]:
    return tuple(
        (_uuid(modifier.get("id")), modifier["name"], int(modifier["price_minor"]))
        for modifier in chosen or ()
    )


def stored_sale(row: Mapping[str, Any]) -> SaleState:
    lines = json.loads(row["lines"]) if row["lines"] else []
    payments = json.loads(row["payments"]) if row["payments"] else []
    return SaleState(
        location_id=row["location_id"],
        register_id=row["register_id"],
        status=row["status"],
        closed_at=row["closed_at"],
        covers=row["covers"],
        subtotal_minor=row["subtotal_minor"],
        discount_minor=row["discount_minor"],
        service_charge_minor=row["service_charge_minor"],
        tip_minor=row["tip_minor"],
        rounding_minor=row["rounding_minor"],
        total_minor=row["total_minor"],
        tax=tax_groups(json.loads(row["tax"])),
        lines=tuple(
            LineState(
                line_number=number,
                item_id=_uuid(item),
                name=name,
                quantity=quantity,
                gross_minor=gross,
                discount_minor=discount,
                service_charge_minor=service,
                total_minor=total,
                active=status == "active",
                modifiers=_modifiers(modifiers),
            )
            for (
                number,
                item,
                name,
                quantity,
                gross,
                discount,
                service,
                total,
                status,
                modifiers,
            ) in lines
        ),
        payments=tuple(
            PaymentState(
                id=UUID(payment_id),
                created_at=datetime.fromisoformat(created_at),
                approved=status == "approved",
                tender=tender,
                amount_minor=amount,
                register_id=_uuid(register),
            )
            for payment_id, created_at, status, tender, amount, register in payments
        ),
    )


def stored_refund(row: Mapping[str, Any]) -> RefundState:
    items = json.loads(row["items"]) if row["items"] else {}
    tenders = json.loads(row["tenders"]) if row["tenders"] else []
    return RefundState(
        location_id=row["location_id"],
        register_id=row["register_id"],
        created_at=row["created_at"],
        amount_minor=row["amount_minor"],
        tax_minor=row["tax_minor"],
        tax=tax_groups(json.loads(row["tax"])),
        lines=tuple(
            RefundedLine(
                item_id=_uuid(items.get(str(line["line_number"]))),
                name=line["name"],
                quantity=line["quantity"],
                amount_minor=line["amount_minor"],
            )
            for line in json.loads(row["lines"])
        ),
        tenders=tuple((tender, amount, _uuid(register)) for tender, amount, register in tenders),
    )


async def rebuild(driver: asyncpg.Connection, *, batch: int = 2000) -> int:
    """Recompute the bound tenant's facts from its stored orders and refunds, replacing what
    the tables held; returns how many fact rows it wrote. Runs inside the caller's
    transaction (a cursor needs one)."""
    calendars = {
        row["id"]: BusinessCalendar.of(row["time_zone"], row["business_day_cutoff_hour"])
        for row in await driver.fetch(ALL_CALENDARS)
    }
    for table in TABLES:
        await driver.execute(f"DELETE FROM orders.{table.name}")
    facts: Facts = {}
    async for row in driver.cursor(STORED_SALES, prefetch=batch):
        day_facts.add(facts, day_facts.sale_facts(stored_sale(row), calendars[row["location_id"]]))
    async for row in driver.cursor(STORED_REFUNDS, prefetch=batch):
        refund = stored_refund(row)
        day_facts.add(facts, day_facts.refund_facts(refund, calendars[refund.location_id]))
    facts = day_facts.nonzero(facts)
    keys = list(facts)
    for start in range(0, len(keys), 5000):
        await add_facts(driver, {key: facts[key] for key in keys[start : start + 5000]})
    return len(facts)
