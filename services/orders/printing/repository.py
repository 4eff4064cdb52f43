"""SQL for printing: the facts a receipt's header needs, the lines waiting for the kitchen
and bar, and marking them sent. Nothing here names a tenant: the connection is tenant-bound
and row-level security filters, the identity tables' included.

The print jobs themselves are written by libs/bridge/queue.py (the orders role may only
insert them; it cannot read them back).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.bridge.escpos import Venue
from libs.tenancy.repository import Repository
from services.orders.models import menu_categories, menu_items, order_lines, registers

# The identity service's tables, as far as the orders role may read them (column grants:
# the business's name; a location's name and time zone).
_tenants = sa.table("tenants", sa.column("name", sa.Text()), schema="identity")
_locations = sa.table(
    "locations",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.Text()),
    sa.column("time_zone", sa.Text()),
    schema="identity",
)


@dataclass(frozen=True, slots=True)
class RegisterPlace:
    """A register's number and the venue it stands in."""

    number: int
    location_id: UUID


@dataclass(frozen=True, slots=True)
class UnfiredLine:
    line_number: int
    name: str
    quantity: int
    modifiers: tuple[str, ...]
    printer_role: str


class PrintingRepository(Repository):
    async def venue(self, location_id: UUID) -> Venue | None:
        """The business's and the location's names and the location's IANA time zone."""
        business = sa.select(_tenants.c.name).scalar_subquery()
        row = (
            await self._connection.execute(
                sa.select(business, _locations.c.name, _locations.c.time_zone).where(
                    _locations.c.id == location_id
                )
            )
        ).first()
        return Venue(row[0], row[1], row[2]) if row else None

    async def register(self, device_id: UUID) -> RegisterPlace | None:
        row = (
            await self._connection.execute(
                sa.select(registers.c.number, registers.c.location_id).where(
                    registers.c.device_id == device_id
                )
            )
        ).first()
        return RegisterPlace(row[0], row[1]) if row else None

    async def unfired_lines(self, order_id: UUID) -> list[UnfiredLine]:
        """The order's active lines not yet sent whose item's category is made somewhere
        (has a printer role), by line number."""
        rows = await self._connection.execute(
            sa.select(
                order_lines.c.line_number,
                order_lines.c.name,
                order_lines.c.quantity,
                order_lines.c.modifiers,
                menu_categories.c.printer_role,
            )
            .select_from(
                order_lines.join(menu_items, menu_items.c.id == order_lines.c.item_id).join(
                    menu_categories, menu_categories.c.id == menu_items.c.category_id
                )
            )
            .where(
                order_lines.c.order_id == order_id,
                order_lines.c.status == "active",
                order_lines.c.fired_at.is_(None),
                menu_categories.c.printer_role.is_not(None),
            )
            .order_by(order_lines.c.line_number)
        )
        return [
            UnfiredLine(
                line_number=row.line_number,
                name=row.name,
                quantity=row.quantity,
                modifiers=tuple(_modifier_names(row.modifiers)),
                printer_role=row.printer_role,
            )
            for row in rows
        ]

    async def mark_fired(
        self, order_id: UUID, line_numbers: Collection[int], fired_at: datetime
    ) -> None:
        await self._connection.execute(
            sa.update(order_lines)
            .where(
                order_lines.c.order_id == order_id,
                order_lines.c.line_number.in_(list(line_numbers)),
            )
            .values(fired_at=fired_at)
        )


def _modifier_names(modifiers: Any) -> list[str]:
    return [str(modifier["name"]) for modifier in modifiers or []]
