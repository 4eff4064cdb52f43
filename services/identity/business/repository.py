from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.business.schemas import Location
from services.identity.models import locations, tenants


class BusinessRepository(Repository):
    """The signed-in business's registry row and its venues (RLS shows only its own)."""

    async def get(self) -> sa.Row[Any] | None:
        return (await self._connection.execute(sa.select(tenants))).first()

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
