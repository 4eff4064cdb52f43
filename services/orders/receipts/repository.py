"""Receipts: insert and read only (the grants allow nothing else, a trigger refuses the rest)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.models import receipts, registers
from services.orders.receipts.schemas import Receipt

_COLUMNS = [column for column in receipts.c if column.name != "tenant_id"]


class ReceiptRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> ReceiptRepository:
        return cls(connection)

    async def take_number(self, register_id: UUID) -> tuple[int, int]:
        """(register number, next receipt sequence). The register row stays locked until the
        transaction ends, and a rollback gives the number back: no gaps, no repeats."""
        row = (
            await self._connection.execute(
                sa.update(registers)
                .where(registers.c.device_id == register_id)
                .values(last_receipt_number=registers.c.last_receipt_number + 1)
                .returning(registers.c.number, registers.c.last_receipt_number)
            )
        ).one()
        return row[0], row[1]

    async def insert(self, values: dict[str, Any]) -> Receipt:
        row = (
            await self._connection.execute(receipts.insert().values(**values).returning(*_COLUMNS))
        ).one()
        return Receipt.model_validate(row._asdict())

    async def get(self, receipt_id: UUID) -> Receipt | None:
        row = (
            await self._connection.execute(sa.select(*_COLUMNS).where(receipts.c.id == receipt_id))
        ).first()
        return Receipt.model_validate(row._asdict()) if row else None

    async def sale_receipt(self, order_id: UUID) -> Receipt | None:
        row = (
            await self._connection.execute(
                sa.select(*_COLUMNS).where(
                    receipts.c.order_id == order_id, receipts.c.kind == "sale"
                )
            )
        ).first()
        return Receipt.model_validate(row._asdict()) if row else None

    async def page(self, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Receipt]:
        query = sa.select(*_COLUMNS).order_by(receipts.c.issued_at.desc(), receipts.c.id.desc())
        if after is not None:
            query = query.where(sa.tuple_(receipts.c.issued_at, receipts.c.id) < sa.tuple_(*after))
        rows = await self._connection.execute(query.limit(limit))
        return [Receipt.model_validate(row._asdict()) for row in rows]
