from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.identity.staff import service
from services.identity.staff.repository import StaffRepository
from services.identity.staff.schemas import StaffCreate, StaffMember, StaffPage, StaffUpdate

router = APIRouter(prefix="/v1/staff", tags=["staff"])

NOT_FOUND = problems(service.StaffNotFound)
# Giving a role or locations the caller may not give (services/identity/staff/service.py).
GRANTS = problems(
    *service.REFUSALS.values(), service.LocationsOwnersOnly, service.OutsideYourLocations
)


@router.post(
    "",
    status_code=201,
    dependencies=[requires(Permission.STAFF_WRITE)],
    responses=merge_responses(problems(service.LocationNotFound, service.EmailTaken), GRANTS),
)
async def create_staff(
    body: StaffCreate, connection: TenantConnection, principal: CurrentPrincipal
) -> StaffMember:
    """Add a staff member with a role, the venues they work at and, for the till, a PIN. Only
    roles and venues the caller may give are accepted."""
    return await service.create_staff(
        staff=StaffRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        request=body,
    )


@router.get("", dependencies=[requires(Permission.STAFF_READ)])
async def list_staff(
    connection: TenantConnection,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> StaffPage:
    """The business's staff, newest first, a page at a time (`next_cursor`)."""
    return await service.list_staff(
        staff=StaffRepository.from_connection(connection), limit=limit, cursor=cursor
    )


@router.get("/{staff_id}", dependencies=[requires(Permission.STAFF_READ)], responses=NOT_FOUND)
async def get_staff(staff_id: UUID, connection: TenantConnection) -> StaffMember:
    """One staff member of the business: role, venues, status and version."""
    return await service.get_staff(
        staff=StaffRepository.from_connection(connection), staff_id=staff_id
    )


@router.patch(
    "/{staff_id}",
    dependencies=[requires(Permission.STAFF_WRITE)],
    responses=merge_responses(
        NOT_FOUND,
        GRANTS,
        problems(service.LocationNotFound, service.StaleVersion, service.LastOwner),
    ),
)
async def update_staff(
    staff_id: UUID, body: StaffUpdate, connection: TenantConnection, principal: CurrentPrincipal
) -> StaffMember:
    """Change a name or role, reset the PIN (`pin`), or deactivate (`active: false`); nothing
    is ever deleted."""
    return await service.update_staff(
        staff=StaffRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        staff_id=staff_id,
        request=body,
    )
