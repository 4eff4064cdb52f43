"""Refunds and where their money went; insert and read only."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.models import order_lines, refund_tenders, refunds


class RefundRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> RefundRepository:
        return cls(connection)

    async def refunded_by_rate(self, order_id: UUID) -> dict[Decimal, tuple[int, int]]:
        """What earlier refunds of this order gave back, per tax rate: (gross, tax)."""
        rows = await self._connection.execute(
            sa.select(refunds.c.tax).where(refunds.c.order_id == order_id)
        )
        totals: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0])
        for (tax,) in rows:
            for group in tax:
                totals[Decimal(group["rate"])][0] += group["gross_minor"]
                totals[Decimal(group["rate"])][1] += group["tax_minor"]
        return {rate: (gross, tax) for rate, (gross, tax) in totals.items()}

    async def insert(self, values: dict[str, Any], tenders: list[dict[str, Any]]) -> Any:
        row = (
            await self._connection.execute(
                refunds.insert().values(**values).returning(refunds.c.created_at)
            )
        ).one()
        await self._connection.execute(
            refund_tenders.insert(), [{"refund_id": values["id"], **tender} for tender in tenders]
        )
        return row.created_at

    async def add_refunded_to_line(
        self, order_id: UUID, line_number: int, *, quantity: int, amount_minor: int
    ) -> None:
        await self._connection.execute(
            sa.update(order_lines)
            .where(order_lines.c.order_id == order_id, order_lines.c.line_number == line_number)
            .values(
                refunded_quantity=order_lines.c.refunded_quantity + quantity,
                refunded_minor=order_lines.c.refunded_minor + amount_minor,
            )
        )
