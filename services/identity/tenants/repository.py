from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.models import locations, tenants


class TenantRepository(Repository):
    """The tenant's own registry row and its locations (RLS shows only the bound tenant)."""

    async def insert_tenant(self, *, name: str, region: str, currency: str) -> datetime:
        created_at: datetime = await self._connection.scalar(
            sa.insert(tenants)
            .values(name=name, region=region, currency=currency)
            .returning(tenants.c.created_at)
        )
        return created_at

    async def get_tenant(self) -> sa.Row[Any] | None:
        return (await self._connection.execute(sa.select(tenants))).first()

    async def insert_location(
        self, *, location_id: UUID, name: str, time_zone: str, business_day_cutoff_hour: int
    ) -> None:
        await self._connection.execute(
            sa.insert(locations).values(
                id=location_id,
                name=name,
                time_zone=time_zone,
                business_day_cutoff_hour=business_day_cutoff_hour,
            )
        )
