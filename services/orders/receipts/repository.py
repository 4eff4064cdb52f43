"""Receipts: read only here (the sale's unit of work writes them: services/orders/sale/).
The grants allow nothing but INSERT and SELECT, and a trigger refuses the rest."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.orders.models import receipts, registers
from services.orders.receipts.schemas import Receipt

_COLUMNS = [column for column in receipts.c if column.name != "tenant_id"]
# A receipt belongs to the venue of the register that issued it.
# RLS keeps both tables to the session's business, so the join names only the register.
_AT_REGISTER = receipts.join(registers, registers.c.device_id == receipts.c.register_id)


def _reached(query: sa.Select[Any], venues: Collection[UUID] | None) -> sa.Select[Any]:
    if venues is None:
        return query
    return query.select_from(_AT_REGISTER).where(registers.c.location_id.in_(list(venues)))


class ReceiptRepository(Repository):
    async def get(
        self, receipt_id: UUID, *, venues: Collection[UUID] | None = None
    ) -> Receipt | None:
        """A receipt issued at one of `venues` (None: any venue of the business)."""
        query = _reached(sa.select(*_COLUMNS).where(receipts.c.id == receipt_id), venues)
        row = (await self._connection.execute(query)).first()
        return Receipt.model_validate(row._asdict()) if row else None

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        venues: Collection[UUID] | None = None,
    ) -> list[Receipt]:
        query = _reached(
            sa.select(*_COLUMNS).order_by(receipts.c.issued_at.desc(), receipts.c.id.desc()),
            venues,
        )
        if after is not None:
            query = query.where(sa.tuple_(receipts.c.issued_at, receipts.c.id) < sa.tuple_(*after))
        rows = await self._connection.execute(query.limit(limit))
        return [Receipt.model_validate(row._asdict()) for row in rows]
