"""SQL for orders, their lines and payments. SQLAlchemy Core; asyncpg directly for the
multi-row writes on the till's path.

Nothing here names a tenant: the connection is tenant-bound and row-level security filters,
while `tenant_id` columns default to the transaction's tenant.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.database import driver_connection
from services.orders.models import (
    menu_item_location_prices,
    menu_item_modifier_groups,
    menu_items,
    modifier_groups,
    modifiers,
    order_lines,
    orders,
    payments,
    settings,
)
from services.orders.orders.schemas import Order, OrderLine, Payment


@dataclass(frozen=True, slots=True)
class BusinessSettings:
    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int


@dataclass(frozen=True, slots=True)
class SellableItem:
    id: UUID
    name: str
    price_minor: int
    tax_category_id: UUID
    archived: bool
    modifier_group_ids: frozenset[UUID]


@dataclass(frozen=True, slots=True)
class SellableModifier:
    id: UUID
    group_id: UUID
    name: str
    price_minor: int
    archived: bool


@dataclass(frozen=True, slots=True)
class ModifierGroupRule:
    id: UUID
    name: str
    min_choices: int
    max_choices: int


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: bytes
    status_code: int
    body: dict[str, Any]


_ORDER_COLUMNS = [column for column in orders.c if column.name != "tenant_id"]
_LINE_COLUMNS = [column for column in order_lines.c if column.name != "tenant_id"]
_PAYMENT_COLUMNS = [column for column in payments.c if column.name != "tenant_id"]

UPDATE_PRICED_LINES = """
    UPDATE orders.order_lines AS line
       SET gross_minor = priced.gross_minor, discount_minor = priced.discount_minor,
           service_charge_minor = priced.service_charge_minor, total_minor = priced.total_minor
      FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
           AS priced(line_number, gross_minor, discount_minor, service_charge_minor, total_minor)
     WHERE line.order_id = $1 AND line.line_number = priced.line_number
"""


def _discount(kind: str | None, value: int | None) -> dict[str, Any] | None:
    return {"kind": kind, "value": value} if kind is not None else None


class OrderRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> OrderRepository:
        return cls(connection)

    # -- what the menu and settings say, for pricing --------------------------------------

    async def settings(self) -> BusinessSettings:
        row = (
            await self._connection.execute(
                sa.select(
                    settings.c.currency,
                    settings.c.prices_include_tax,
                    settings.c.cash_rounding_minor,
                )
            )
        ).one()
        return BusinessSettings(*row)

    async def sellable_items(
        self, item_ids: Collection[UUID], *, location_id: UUID | None
    ) -> dict[UUID, SellableItem]:
        """The items with the price this location charges (its own price, if it has one)."""
        if not item_ids:
            return {}
        venue_price = (
            sa.select(menu_item_location_prices.c.price_minor)
            .where(
                menu_item_location_prices.c.item_id == menu_items.c.id,
                menu_item_location_prices.c.location_id == location_id,
            )
            .scalar_subquery()
        )
        groups = (
            sa.select(sa.func.array_agg(menu_item_modifier_groups.c.group_id))
            .where(menu_item_modifier_groups.c.item_id == menu_items.c.id)
            .scalar_subquery()
        )
        rows = await self._connection.execute(
            sa.select(
                menu_items.c.id,
                menu_items.c.name,
                sa.func.coalesce(venue_price, menu_items.c.price_minor),
                menu_items.c.tax_category_id,
                menu_items.c.archived_at.is_not(None),
                groups,
            ).where(menu_items.c.id.in_(list(item_ids)))
        )
        return {
            row[0]: SellableItem(row[0], row[1], row[2], row[3], row[4], frozenset(row[5] or ()))
            for row in rows
        }

    async def sellable_modifiers(
        self, modifier_ids: Collection[UUID]
    ) -> dict[UUID, SellableModifier]:
        if not modifier_ids:
            return {}
        rows = await self._connection.execute(
            sa.select(
                modifiers.c.id,
                modifiers.c.group_id,
                modifiers.c.name,
                modifiers.c.price_minor,
                modifiers.c.archived_at.is_not(None),
            ).where(modifiers.c.id.in_(list(modifier_ids)))
        )
        return {row[0]: SellableModifier(*row) for row in rows}

    async def modifier_group_rules(self, group_ids: Collection[UUID]) -> list[ModifierGroupRule]:
        if not group_ids:
            return []
        rows = await self._connection.execute(
            sa.select(
                modifier_groups.c.id,
                modifier_groups.c.name,
                modifier_groups.c.min_choices,
                modifier_groups.c.max_choices,
            ).where(
                modifier_groups.c.id.in_(list(group_ids)), modifier_groups.c.archived_at.is_(None)
            )
        )
        return [ModifierGroupRule(*row) for row in rows]

    # -- orders ------------------------------------------------------------------------------

    async def insert(self, values: dict[str, Any]) -> bool:
        """Insert an order; False when an order with this id exists already (a retry)."""
        created = (
            await self._connection.execute(
                insert(orders).values(**values).on_conflict_do_nothing().returning(orders.c.id)
            )
        ).first()
        return created is not None

    async def insert_lines(self, order_id: UUID, lines: Sequence[dict[str, Any]]) -> None:
        if lines:
            await self._connection.execute(
                order_lines.insert(), [{"order_id": order_id, **line} for line in lines]
            )

    async def update(self, order_id: UUID, values: dict[str, Any]) -> None:
        """Write an order the caller holds locked; every change bumps its version."""
        await self._connection.execute(
            sa.update(orders)
            .where(orders.c.id == order_id)
            .values(**values, version=orders.c.version + 1, updated_at=sa.func.now())
        )

    async def update_line(self, order_id: UUID, line_number: int, values: dict[str, Any]) -> None:
        await self._connection.execute(
            sa.update(order_lines)
            .where(order_lines.c.order_id == order_id, order_lines.c.line_number == line_number)
            .values(**values)
        )

    async def update_priced_lines(self, order_id: UUID, lines: Sequence[OrderLine]) -> None:
        if not lines:
            return
        driver = await driver_connection(self._connection)
        await driver.execute(
            UPDATE_PRICED_LINES,
            order_id,
            [line.line_number for line in lines],
            [line.gross_minor for line in lines],
            [line.discount_minor for line in lines],
            [line.service_charge_minor for line in lines],
            [line.total_minor for line in lines],
        )

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Order | None:
        query = sa.select(*_ORDER_COLUMNS).where(orders.c.id == order_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return (await self._complete([row]))[0]

    async def page(self, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Order]:
        """Newest first; `after` is the (created_at, id) of the last order already seen."""
        query = sa.select(*_ORDER_COLUMNS).order_by(orders.c.created_at.desc(), orders.c.id.desc())
        if after is not None:
            query = query.where(sa.tuple_(orders.c.created_at, orders.c.id) < sa.tuple_(*after))
        rows = (await self._connection.execute(query.limit(limit))).all()
        return await self._complete(rows)

    async def _complete(self, rows: Sequence[sa.Row[Any]]) -> list[Order]:
        """Orders with their lines and payments: three queries for any number of orders."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        lines: dict[UUID, list[OrderLine]] = defaultdict(list)
        for line in await self._connection.execute(
            sa.select(*_LINE_COLUMNS)
            .where(order_lines.c.order_id.in_(ids))
            .order_by(order_lines.c.order_id, order_lines.c.line_number)
        ):
            fields = line._asdict()
            order_id = fields.pop("order_id")
            fields["discount"] = _discount(
                fields.pop("discount_kind"), fields.pop("discount_value")
            )
            lines[order_id].append(OrderLine.model_validate(fields))
        taken: dict[UUID, list[Payment]] = defaultdict(list)
        for payment in await self._connection.execute(
            sa.select(*_PAYMENT_COLUMNS)
            .where(payments.c.order_id.in_(ids))
            .order_by(payments.c.created_at, payments.c.id)
        ):
            fields = payment._asdict()
            taken[fields.pop("order_id")].append(Payment.model_validate(fields))
        completed = []
        for row in rows:
            fields = row._asdict()
            fields["discount"] = _discount(
                fields.pop("discount_kind"), fields.pop("discount_value")
            )
            fields.pop("updated_at")
            fields["balance_minor"] = row.total_minor + row.rounding_minor - row.paid_minor
            completed.append(
                Order.model_validate({**fields, "lines": lines[row.id], "payments": taken[row.id]})
            )
        return completed

    # -- payments ----------------------------------------------------------------------------

    async def insert_payment(self, values: dict[str, Any]) -> Payment:
        row = (
            await self._connection.execute(
                payments.insert().values(**values).returning(*_PAYMENT_COLUMNS)
            )
        ).one()
        fields = row._asdict()
        fields.pop("order_id")
        return Payment.model_validate(fields)

    async def add_refunded_to_payment(self, payment_id: UUID, amount_minor: int) -> None:
        await self._connection.execute(
            sa.update(payments)
            .where(payments.c.id == payment_id)
            .values(refunded_minor=payments.c.refunded_minor + amount_minor)
        )


def tax_json(groups: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "rate": str(Decimal(group.rate).quantize(Decimal("0.001"))),
            "net_minor": group.net_minor,
            "tax_minor": group.tax_minor,
            "gross_minor": group.gross_minor,
        }
        for group in groups
    ]


class IdempotencyRepository:
    """Stored first responses, by Idempotency-Key (asyncpg directly: every till write)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> IdempotencyRepository:
        return cls(connection)

    async def take_turn(self, key: str) -> None:
        """Wait for any other transaction holding this tenant's key; held until commit."""
        driver = await driver_connection(self._connection)
        await driver.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended("
            "current_setting('app.tenant_id') || ':' || $1, 0))",
            key,
        )

    async def find(self, key: str) -> StoredResponse | None:
        driver = await driver_connection(self._connection)
        row = await driver.fetchrow(
            "SELECT request_hash, status_code, response::text FROM orders.idempotency_keys "
            "WHERE key = $1",
            key,
        )
        if row is None:
            return None
        return StoredResponse(row["request_hash"], row["status_code"], json.loads(row["response"]))

    async def remember(self, *, key: str, request_hash: bytes, status_code: int, body: Any) -> bool:
        """Store the response for a key; False if a concurrent request stored one first."""
        driver = await driver_connection(self._connection)
        stored = await driver.fetchval(
            "INSERT INTO orders.idempotency_keys (key, request_hash, status_code, response) "
            "VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (tenant_id, key) DO NOTHING "
            "RETURNING true",
            key,
            request_hash,
            status_code,
            json.dumps(body),
        )
        return bool(stored)
