from __future__ import annotations

from fastapi import APIRouter
from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection

from libs.audit.append import AuditLog
from libs.rbac import Permission
from services.orders.limits import service
from services.orders.limits.repository import LimitsRepository
from services.orders.limits.schemas import OverrideLimits, OverrideLimitsUpdate

router = APIRouter(prefix="/v1/settings/override-limits", tags=["settings"])


@router.get("", dependencies=[requires(Permission.OVERRIDE_LIMITS_READ)])
async def get_override_limits(connection: TenantConnection) -> OverrideLimits:
    """Where this business's manager overrides start; the till reads them to know when to
    ask a manager before voiding, refunding or discounting."""
    return await service.get_limits(limits=LimitsRepository.from_connection(connection))


@router.patch("", dependencies=[requires(Permission.OVERRIDE_LIMITS_WRITE)])
async def update_override_limits(
    body: OverrideLimitsUpdate, connection: TenantConnection, principal: CurrentPrincipal
) -> OverrideLimits:
    """Owners change one or more limits; the change, before and after, is audited."""
    return await service.update_limits(
        limits=LimitsRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        request=body,
    )
