"""The order transaction in plain SQL over asyncpg: the ceiling every other scenario is
compared with.

It writes what a sale writes, as the fewest statements that can: the priced order and its
lines in one round trip, then the audit entry chained onto the tenant's head (advance the
head under its row lock, insert the event and move the head's hash). What the service adds on
top is HTTP, token verification, validation, reading the menu, the shift and the tax rates,
repricing, the Idempotency-Key lookup and store, and its database layer around the
transaction.

The statements are this module's own, as libs/audit/append.py wrote them before issue 20, not
imported: the ceiling must stay the same while the service's own append changes, or a
before/after comparison would divide by different things. The entry is hashed by the chain
specification's code (libs/audit/chain.py, docs/audit-chain.md), so the audit service's
verifier accepts what it writes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from bench.load import Operation
from libs.audit.chain import GENESIS_HASH, entry_hash, format_timestamp
from tests.support.database import BIND_TENANT

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


# Claims the next sequence number and returns the hash it must link to; the first entry of a
# tenant creates the head. RLS binds the head row to the transaction's tenant.
ADVANCE_HEAD = """
    INSERT INTO audit.chain_heads (seq, hash) VALUES (1, $1)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = audit.chain_heads.seq + 1
    RETURNING tenant_id, seq, hash
"""
INSERT_EVENT = """
    WITH event AS (
        INSERT INTO audit.events (seq, id, occurred_at, service, actor_type, actor_id, action,
                                  resource_type, resource_id, request_id, payload,
                                  prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
    )
    UPDATE audit.chain_heads SET hash = $13 WHERE seq = $1
"""


def _event(
    *,
    tenant_id: UUID,
    seq: int,
    prev_hash: bytes,
    subject: str,
    order_id: UUID,
    payload: dict[str, Any],
) -> tuple[Any, ...]:
    """INSERT_EVENT's parameters: the entry as the chain specification hashes it."""
    event_id, occurred_at = uuid.uuid4(), datetime.now(UTC)
    entry: dict[str, Any] = {
        "tenant_id": str(tenant_id),
        "seq": seq,
        "id": str(event_id),
        "occurred_at": format_timestamp(occurred_at),
        "service": "orders",
        "actor_type": "cashier",
        "actor_id": subject,
        "action": "order.opened",
        "resource_type": "order",
        "resource_id": str(order_id),
        "request_id": None,
        "payload": payload,
    }
    digest = entry_hash(prev_hash, entry)
    return (
        # The stored time is the hashed one: microseconds, as format_timestamp writes it.
        seq,
        event_id,
        occurred_at,
        entry["service"],
        entry["actor_type"],
        entry["actor_id"],
        entry["action"],
        entry["resource_type"],
        entry["resource_id"],
        None,
        json.dumps(payload),
        prev_hash,
        digest,
    )


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
        await connection.execute(BIND_TENANT, str(tenant_id))
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
        event = _event(
            tenant_id=head["tenant_id"],
            seq=head["seq"],
            prev_hash=head["hash"],
            subject=subject,
            order_id=order_id,
            payload={"currency": currency, "total_minor": total, "line_count": len(lines)},
        )
        await connection.execute(INSERT_EVENT, *event)


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
