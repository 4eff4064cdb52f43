from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.models import locations, tenants
from services.identity.tenants.schemas import Location


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

    async def page_locations(
        self, *, limit: int, after: tuple[datetime, UUID] | None, within: frozenset[UUID] | None
    ) -> list[Location]:
        """The business's venues, oldest first (the first venue leads every list), `within`
        those given (None: all of them)."""
        query = sa.select(
            locations.c.id,
            locations.c.name,
            locations.c.time_zone,
            locations.c.business_day_cutoff_hour,
            locations.c.created_at,
        ).order_by(locations.c.created_at, locations.c.id)
        if after is not None:
            query = query.where(
                sa.tuple_(locations.c.created_at, locations.c.id) > sa.tuple_(*after)
            )
        if within is not None:
            query = query.where(locations.c.id.in_(within))
        rows = (await self._connection.execute(query.limit(limit))).all()
        return [Location.model_validate(row._asdict()) for row in rows]
