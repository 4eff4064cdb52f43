"""Override limits: per business, where a manager's approval starts (libs/auth/overrides.py
is the approval itself). Owners set them; anyone at the till reads them, so the POS can ask
for an override before the guarded request rather than after a 403."""

from __future__ import annotations

from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from services.orders.limits.repository import LimitsRepository
from services.orders.limits.schemas import OverrideLimits, OverrideLimitsUpdate


async def get_limits(*, limits: LimitsRepository) -> OverrideLimits:
    return await limits.current()


async def update_limits(
    *,
    limits: LimitsRepository,
    audit: AuditLog,
    principal: Principal,
    request: OverrideLimitsUpdate,
) -> OverrideLimits:
    before = await limits.current_for_update()
    changes = request.model_dump(exclude_unset=True)
    after = await limits.update(changes, updated_by=principal.subject)
    await audit.append(
        actor=Actor.of(principal),
        action="override_limits.changed",
        resource_type="override_limits",
        resource_id=str(principal.tenant_id),
        payload={"before": before.model_dump(), "after": after.model_dump()},
    )
    return after
