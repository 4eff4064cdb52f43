from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from libs.audit.models import checkpoints
from libs.tenancy.repository import Repository

_COLUMNS = [column for column in checkpoints.columns if column.name != "tenant_id"]


class CheckpointRepository(Repository):
    """Append-only, like the log: insert and read, never update or delete."""

    @dataclass(frozen=True, slots=True)
    class Row:
        size: int
        hash: bytes
        origin: str
        key_id: bytes
        note: str
        requested_by: str
        signed_at: datetime

    async def latest(self) -> Row | None:
        newest = await self.page(before_size=None, limit=1)
        return newest[0] if newest else None

    async def all(self) -> list[Row]:
        query = sa.select(*_COLUMNS).order_by(checkpoints.c.size)
        return [self.Row(**row._asdict()) for row in await self._connection.execute(query)]

    async def page(self, *, before_size: int | None, limit: int) -> Sequence[Row]:
        """Newest first."""
        query = sa.select(*_COLUMNS).order_by(checkpoints.c.size.desc()).limit(limit)
        if before_size is not None:
            query = query.where(checkpoints.c.size < before_size)
        return [self.Row(**row._asdict()) for row in await self._connection.execute(query)]

    async def add(
        self, *, size: int, hash: bytes, origin: str, key_id: bytes, note: str, requested_by: str
    ) -> Row:
        values = {
            "size": size,
            "hash": hash,
            "origin": origin,
            "key_id": key_id,
            "note": note,
            "requested_by": requested_by,
        }
        query = sa.insert(checkpoints).values(values).returning(*_COLUMNS)
        return self.Row(**(await self._connection.execute(query)).one()._asdict())

    async def lock(self) -> None:
        """Serialise the tenant's signers (the periodic job and on-demand requests, on any
        replica) until the transaction ends, so two never sign the same new size."""
        key = sa.func.hashtextextended(
            sa.literal("audit.checkpoint:") + sa.func.current_setting("app.tenant_id"), 0
        )
        await self._connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
