"""SQL for orders: SQLAlchemy Core on the till's write path (the ORM costs ~4x the CPU).

Nothing here names a tenant: the connection is tenant-bound and row-level security filters,
while `tenant_id` columns default to the transaction's tenant.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.database import driver_connection
from services.orders.models import order_lines, orders
from services.orders.orders.schemas import Order, OrderLine

_ORDER_COLUMNS = (
    orders.c.id,
    orders.c.location_id,
    orders.c.status,
    orders.c.currency,
    orders.c.total_minor,
    orders.c.created_by,
    orders.c.created_at,
    orders.c.version,
)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: bytes
    status_code: int
    body: dict[str, Any]


# The order and its lines in one round trip. Lines are written only if the order was:
# a client retrying an offline order id gets no new row at all.
INSERT_ORDER_WITH_LINES = """
    WITH new_order AS (
        INSERT INTO orders.orders (id, location_id, status, currency, total_minor, created_by)
        VALUES ($1, $2, 'open', $3, $4, $5)
        ON CONFLICT (tenant_id, id) DO NOTHING
        RETURNING id, created_at, version
    ), new_lines AS (
        INSERT INTO orders.order_lines
            (order_id, line_number, name, quantity, unit_price_minor, total_minor)
        SELECT new_order.id, line.*
          FROM new_order,
               unnest($6::int[], $7::text[], $8::int[], $9::bigint[], $10::bigint[])
               AS line(line_number, name, quantity, unit_price_minor, total_minor)
    )
    SELECT created_at, version FROM new_order
"""


class OrderRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> OrderRepository:
        return cls(connection)

    async def insert(
        self,
        *,
        order_id: UUID,
        location_id: UUID | None,
        currency: str,
        total_minor: int,
        created_by: str,
        lines: list[OrderLine],
    ) -> Order | None:
        """Insert an order and its lines; None when an order with this id already exists.

        The till's hot path, so asyncpg directly (in the same tenant-bound transaction)."""
        driver = await driver_connection(self._connection)
        created = await driver.fetchrow(
            INSERT_ORDER_WITH_LINES,
            order_id,
            location_id,
            currency,
            total_minor,
            created_by,
            [line.line_number for line in lines],
            [line.name for line in lines],
            [line.quantity for line in lines],
            [line.unit_price_minor for line in lines],
            [line.total_minor for line in lines],
        )
        if created is None:
            return None
        return Order(
            id=order_id,
            location_id=location_id,
            status="open",
            currency=currency,
            total_minor=total_minor,
            created_by=created_by,
            created_at=created["created_at"],
            version=created["version"],
            lines=lines,
        )

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Order | None:
        query = sa.select(*_ORDER_COLUMNS).where(orders.c.id == order_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return (await self._with_lines([row]))[0]

    async def set_status(self, order_id: UUID, *, status: str, version: int) -> Order | None:
        """Move the order to `status` if it is still at `version`; None if it changed first."""
        row = (
            await self._connection.execute(
                sa.update(orders)
                .where(orders.c.id == order_id, orders.c.version == version)
                .values(status=status, version=orders.c.version + 1)
                .returning(*_ORDER_COLUMNS)
            )
        ).first()
        if row is None:
            return None
        return (await self._with_lines([row]))[0]

    async def page(self, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Order]:
        """Newest first; `after` is the (created_at, id) of the last order already seen."""
        query = sa.select(*_ORDER_COLUMNS).order_by(orders.c.created_at.desc(), orders.c.id.desc())
        if after is not None:
            query = query.where(sa.tuple_(orders.c.created_at, orders.c.id) < sa.tuple_(*after))
        rows = (await self._connection.execute(query.limit(limit))).all()
        return await self._with_lines(rows)

    async def _with_lines(self, rows: Sequence[sa.Row[*tuple[Any, ...]]]) -> list[Order]:
        if not rows:
            return []
        lines_by_order: dict[UUID, list[OrderLine]] = defaultdict(list)
        line_rows = await self._connection.execute(
            sa.select(order_lines)
            .where(order_lines.c.order_id.in_([row.id for row in rows]))
            .order_by(order_lines.c.order_id, order_lines.c.line_number)
        )
        for line in line_rows:
            lines_by_order[line.order_id].append(
                OrderLine(
                    line_number=line.line_number,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price_minor=line.unit_price_minor,
                    total_minor=line.total_minor,
                )
            )
        return [Order(**row._asdict(), lines=lines_by_order[row.id]) for row in rows]


class IdempotencyRepository:
    """Stored first responses, by Idempotency-Key (asyncpg directly: every till write)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> IdempotencyRepository:
        return cls(connection)

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

    async def remember(
        self, *, key: str, request_hash: bytes, status_code: int, body: dict[str, Any]
    ) -> bool:
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
