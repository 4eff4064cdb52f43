"""The order transaction in plain SQL over asyncpg: the ceiling every other scenario is
compared with.

It writes what a sale writes, as the fewest statements that can: the priced order and its
lines in one round trip, then the services' own audit head and event statements. What the
service adds on top is HTTP, token verification, validation, reading the menu, the shift and
the tax rates, repricing, the Idempotency-Key lookup and store, and SQLAlchemy around the
transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from bench.load import Operation
from libs.audit.append import (
    ADVANCE_HEAD,
    INSERT_EVENT,
    INSERT_EVENT_PARAMETERS,
    Actor,
    insert_parameters,
    new_entry,
)
from libs.audit.chain import GENESIS_HASH

# The order and its lines, already priced (no tax: the ceiling is about writes, not pricing).
INSERT_ORDER_WITH_LINES = """
    WITH new_order AS (
        INSERT INTO orders.orders (id, status, currency, total_minor, subtotal_minor, created_by)
        VALUES ($1, 'open', $2, $3, $3, $4)
        RETURNING id
    )
    INSERT INTO orders.order_lines
        (order_id, line_number, name, quantity, unit_price_minor, gross_minor, total_minor)
    SELECT new_order.id, line.number, line.name, line.quantity, line.price, line.amount,
           line.amount
      FROM new_order,
           unnest($5::int[], $6::text[], $7::int[], $8::bigint[], $9::bigint[])
           AS line(number, name, quantity, price, amount)
"""

_BIND_TENANT = "SELECT set_config('app.tenant_id', $1, true)"


async def create_order(
    connection: asyncpg.Connection,
    *,
    tenant_id: UUID,
    subject: str,
    currency: str,
    lines: Sequence[tuple[str, int, int]],
) -> None:
    """What POST /v1/orders writes, in one transaction: the order, its lines, an audit row."""
    order_id = uuid.uuid4()
    names, quantities, prices = zip(*lines, strict=True)
    total = sum(quantity * price for _, quantity, price in lines)
    async with connection.transaction():
        await connection.execute(_BIND_TENANT, str(tenant_id))
        await connection.execute(
            INSERT_ORDER_WITH_LINES,
            order_id,
            currency,
            total,
            subject,
            list(range(1, len(lines) + 1)),
            names,
            quantities,
            prices,
            [quantity * price for _, quantity, price in lines],
        )
        head = await connection.fetchrow(ADVANCE_HEAD, GENESIS_HASH)
        entry = new_entry(
            tenant_id=head["tenant_id"],
            seq=head["seq"],
            service="orders",
            actor=Actor(type="cashier", id=subject),
            action="order.opened",
            resource_type="order",
            resource_id=str(order_id),
            payload={"currency": currency, "total_minor": total, "line_count": len(lines)},
            request_id=None,
        )
        values = insert_parameters(entry, prev_hash=head["hash"])
        await connection.execute(INSERT_EVENT, *(values[name] for name in INSERT_EVENT_PARAMETERS))


def order_operation(
    pool: asyncpg.Pool,
    tenants: Sequence[UUID],
    *,
    subject: str,
    currency: str,
    lines: Sequence[tuple[str, int, int]],
) -> Operation:
    async def operation(number: int) -> str | None:
        async with pool.acquire() as connection:
            await create_order(
                connection,
                tenant_id=tenants[number % len(tenants)],
                subject=subject,
                currency=currency,
                lines=lines,
            )
        return None

    return operation
