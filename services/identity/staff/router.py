from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.problems import problem_doc

from libs.audit.append import AuditLog
from libs.rbac import Permission
from services.identity.staff import service
from services.identity.staff.repository import StaffRepository
from services.identity.staff.schemas import StaffCreate, StaffMember, StaffPage, StaffUpdate

router = APIRouter(prefix="/v1/staff", tags=["staff"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: problem_doc("No such staff member in this business")
}


@router.post(
    "",
    status_code=201,
    dependencies=[requires(Permission.STAFF_WRITE)],
    responses={
        404: problem_doc("A location in `location_ids` is not this business's"),
        409: problem_doc("The e-mail is taken in this business"),
    },
)
async def create_staff(
    body: StaffCreate, connection: TenantConnection, principal: CurrentPrincipal
) -> StaffMember:
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
    return await service.list_staff(
        staff=StaffRepository.from_connection(connection), limit=limit, cursor=cursor
    )


@router.get("/{staff_id}", dependencies=[requires(Permission.STAFF_READ)], responses=NOT_FOUND)
async def get_staff(staff_id: UUID, connection: TenantConnection) -> StaffMember:
    return await service.get_staff(
        staff=StaffRepository.from_connection(connection), staff_id=staff_id
    )


@router.patch(
    "/{staff_id}",
    dependencies=[requires(Permission.STAFF_WRITE)],
    responses={
        **NOT_FOUND,
        409: problem_doc("Stale version, or the last active owner would be removed"),
    },
)
async def update_staff(
    staff_id: UUID, body: StaffUpdate, connection: TenantConnection, principal: CurrentPrincipal
) -> StaffMember:
    """Change a name or role, or deactivate (`active: false`); nothing is ever deleted."""
    return await service.update_staff(
        staff=StaffRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        staff_id=staff_id,
        request=body,
    )
