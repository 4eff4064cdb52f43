"""The business's override limits: one row per tenant, created with its defaults on first
change; until then the defaults (every guarded action needs an override) apply."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from libs.tenancy.repository import Repository
from services.orders.limits.schemas import OverrideLimits
from services.orders.models import override_limits

_LIMITS = (
    override_limits.c.void_limit_minor,
    override_limits.c.refund_limit_minor,
    override_limits.c.discount_limit_bps,
    override_limits.c.offline_approval_limit_minor,
)
DEFAULT_LIMITS = OverrideLimits(
    void_limit_minor=0, refund_limit_minor=0, discount_limit_bps=0, offline_approval_limit_minor=0
)


class LimitsRepository(Repository):
    async def current(self) -> OverrideLimits:
        row = (await self._connection.execute(sa.select(*_LIMITS))).first()
        return OverrideLimits.model_validate(row._asdict()) if row else DEFAULT_LIMITS

    async def current_for_update(self) -> OverrideLimits:
        """The limits, locked until the transaction ends (the row is created with the
        defaults if need be): concurrent changes take turns, each auditing what it saw."""
        await self._connection.execute(insert(override_limits).on_conflict_do_nothing())
        row = (await self._connection.execute(sa.select(*_LIMITS).with_for_update())).one()
        return OverrideLimits.model_validate(row._asdict())

    async def update(self, changes: dict[str, Any], *, updated_by: str) -> OverrideLimits:
        row = (
            await self._connection.execute(
                sa.update(override_limits)
                .values(**changes, updated_by=updated_by, updated_at=sa.func.now())
                .returning(*_LIMITS)
            )
        ).one()
        return OverrideLimits.model_validate(row._asdict())
