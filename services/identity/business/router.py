"""The business and its venues, as a signed-in client sees them: which currency its amounts are
in, whose tax law its books follow, and the venues the caller reaches with their time zones
and business-day cutoffs (service.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.problems import problems
from libs.rbac import Permission
from services.identity.business import service
from services.identity.business.repository import BusinessRepository
from services.identity.business.schemas import Business, Location, LocationPage

router = APIRouter(tags=["business"])


@router.get("/v1/business", dependencies=[requires(Permission.BUSINESS_READ)])
async def get_business(connection: TenantConnection, principal: CurrentPrincipal) -> Business:
    """The signed-in business: its name, region, data region and currency."""
    return await service.get_business(
        businesses=BusinessRepository.from_connection(connection), principal=principal
    )


@router.get("/v1/locations", dependencies=[requires(Permission.BUSINESS_READ)])
async def list_locations(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> LocationPage:
    """The venues this session reaches (a till: its own; a manager: those they work at; an
    owner or accountant: all), oldest first, a page at a time (`next_cursor`)."""
    return await service.list_locations(
        businesses=BusinessRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/v1/locations/{location_id}",
    dependencies=[requires(Permission.BUSINESS_READ)],
    responses=problems(service.LocationNotFound),
)
async def get_location(
    location_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> Location:
    """One venue this session reaches."""
    return await service.get_location(
        businesses=BusinessRepository.from_connection(connection),
        principal=principal,
        location_id=location_id,
    )
