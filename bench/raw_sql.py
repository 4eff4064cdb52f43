"""The order transaction in plain SQL over asyncpg: the ceiling every other scenario is
compared with.

The audit statements are compiled from libs/audit/append.py's own, so the ceiling cannot
drift from what the services run, and the entry is hashed with libs.audit.chain so each row
passes the chain-link trigger.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import TextClause
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from bench.load import Operation
from libs.audit.append import ADVANCE_HEAD, INSERT_EVENT, Actor, insert_parameters, new_entry
from libs.audit.chain import GENESIS_HASH

_BIND_TENANT = "SELECT set_config('app.tenant_id', $1, true)"
_INSERT_ORDER = """
    INSERT INTO orders.orders (id, status, currency, total_minor, created_by)
    VALUES ($1, 'open', $2, $3, $4)
"""
_INSERT_LINES = """
    INSERT INTO orders.order_lines
        (order_id, line_number, name, quantity, unit_price_minor, total_minor)
    SELECT $1, number, name, quantity, unit_price, quantity * unit_price
      FROM unnest($2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY
           AS line(name, quantity, unit_price, number)
"""


@dataclass(frozen=True)
class _Compiled:
    """A SQLAlchemy text() statement in asyncpg's $n form, with its parameter order."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: TextClause) -> _Compiled:
        dialect = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]
        compiled = statement.compile(dialect=dialect)
        return cls(str(compiled), tuple(compiled.positiontup or ()))

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[name] for name in self.names]


_ADVANCE_HEAD = _Compiled.of(ADVANCE_HEAD)
_INSERT_EVENT = _Compiled.of(INSERT_EVENT)


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
        await connection.execute(_INSERT_ORDER, order_id, currency, total, subject)
        await connection.execute(_INSERT_LINES, order_id, names, quantities, prices)
        head = await connection.fetchrow(
            _ADVANCE_HEAD.sql, *_ADVANCE_HEAD.arguments({"genesis": GENESIS_HASH})
        )
        entry = new_entry(
            tenant_id=head["tenant_id"],
            seq=head["seq"],
            service="orders",
            actor=Actor(type="cashier", id=subject),
            action="order.created",
            resource_type="order",
            resource_id=str(order_id),
            payload={"currency": currency, "total_minor": total, "line_count": len(lines)},
            request_id=None,
        )
        values = insert_parameters(entry, prev_hash=head["hash"])
        await connection.execute(_INSERT_EVENT.sql, *_INSERT_EVENT.arguments(values))


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
