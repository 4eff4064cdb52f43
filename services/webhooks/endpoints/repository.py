"""The endpoints' SQL, in the request's tenant-bound transaction (row-level security decides
what it sees; no statement names a tenant)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.webhooks.models import endpoints


@dataclass(frozen=True, slots=True)
class EndpointRow:
    id: UUID
    url: str
    description: str
    event_types: list[str]
    status: str
    disabled_reason: str | None
    disabled_at: datetime | None
    secret_ciphertext: bytes
    previous_secret_ciphertext: bytes | None
    previous_secret_expires_at: datetime | None
    failing_since: datetime | None
    exhausted_in_a_row: int
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


_COLUMNS = [endpoints.c[name] for name in EndpointRow.__dataclass_fields__]


def _row(row: Any) -> EndpointRow:
    values = dict(row._mapping)
    values["secret_ciphertext"] = bytes(values["secret_ciphertext"])
    if values["previous_secret_ciphertext"] is not None:
        values["previous_secret_ciphertext"] = bytes(values["previous_secret_ciphertext"])
    values["event_types"] = list(values["event_types"])
    return EndpointRow(**values)


class EndpointRepository(Repository):
    async def insert(
        self,
        *,
        endpoint_id: UUID,
        url: str,
        description: str,
        event_types: list[str],
        secret_ciphertext: bytes,
        created_by: str,
    ) -> EndpointRow:
        row = (
            await self._connection.execute(
                sa.insert(endpoints)
                .values(
                    id=endpoint_id,
                    url=url,
                    description=description,
                    event_types=event_types,
                    status="enabled",
                    secret_ciphertext=secret_ciphertext,
                    created_by=created_by,
                )
                .returning(*_COLUMNS)
            )
        ).one()
        return _row(row)

    async def get(self, endpoint_id: UUID, *, for_update: bool = False) -> EndpointRow | None:
        query = sa.select(*_COLUMNS).where(endpoints.c.id == endpoint_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return _row(row) if row is not None else None

    async def page(self, *, limit: int, after: tuple[datetime, UUID] | None) -> list[EndpointRow]:
        """Oldest first: an owner's endpoints are few, and read in the order they were made."""
        query = sa.select(*_COLUMNS).order_by(endpoints.c.created_at, endpoints.c.id).limit(limit)
        if after is not None:
            query = query.where(sa.tuple_(endpoints.c.created_at, endpoints.c.id) > after)
        return [_row(row) for row in await self._connection.execute(query)]

    async def update(self, endpoint_id: UUID, changes: Mapping[str, Any]) -> EndpointRow:
        """Change a row this transaction holds (read `for_update`), moving its version."""
        row = (
            await self._connection.execute(
                sa.update(endpoints)
                .where(endpoints.c.id == endpoint_id)
                .values(**changes, version=endpoints.c.version + 1, updated_at=sa.func.now())
                .returning(*_COLUMNS)
            )
        ).one()
        return _row(row)

    async def rotate(
        self, endpoint_id: UUID, *, secret_ciphertext: bytes, previous: bytes, grace: timedelta
    ) -> EndpointRow:
        changes: dict[str, Any] = {"secret_ciphertext": secret_ciphertext}
        if grace > timedelta(0):
            changes["previous_secret_ciphertext"] = previous
            changes["previous_secret_expires_at"] = sa.func.now() + grace
        else:
            changes["previous_secret_ciphertext"] = None
            changes["previous_secret_expires_at"] = None
        return await self.update(endpoint_id, changes)

    async def disable(self, endpoint_id: UUID, *, reason: str) -> EndpointRow:
        return await self.update(
            endpoint_id,
            {"status": "disabled", "disabled_reason": reason, "disabled_at": sa.func.now()},
        )

    async def enable(self, endpoint_id: UUID) -> EndpointRow:
        """Enabled again, its failure evidence forgotten."""
        return await self.update(
            endpoint_id,
            {
                "status": "enabled",
                "disabled_reason": None,
                "disabled_at": None,
                "failing_since": None,
                "exhausted_in_a_row": 0,
            },
        )

    async def delete(self, endpoint_id: UUID) -> None:
        await self._connection.execute(sa.delete(endpoints).where(endpoints.c.id == endpoint_id))
