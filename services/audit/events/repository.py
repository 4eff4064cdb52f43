from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.models import events


class AuditEventRepository:
    """Read-only: the audit service's role holds SELECT on the audit log and nothing else."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> AuditEventRepository:
        return cls(connection)

    async def page(self, *, after_seq: int, limit: int) -> Sequence[sa.Row[Any]]:
        query = (
            sa.select(*(column for column in events.columns if column.name != "tenant_id"))
            .where(events.c.seq > after_seq)
            .order_by(events.c.seq)
            .limit(limit)
        )
        return (await self._connection.execute(query)).all()
