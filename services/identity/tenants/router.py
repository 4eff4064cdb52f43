"""The business and its venues, as a signed-in client sees them: which currency its amounts are
in, whose tax law its books follow, and the venues the caller reaches with their time zones
and business-day cutoffs. Read-only: businesses and venues are provisioned by an operator
(tenants/service.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from libs.api.authentication import CurrentPrincipal
from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.problems import problems
from libs.rbac import Permission
from services.identity.tenants.repository import TenantRepository
from services.identity.tenants.schemas import Business, Location, LocationPage
from services.identity.tenants.service import REGIONS, LocationNotFound

router = APIRouter(tags=["business"])

# The region a business chose, by the data region its rows are kept in.
_REGION_OF = {data_region: region for region, data_region in REGIONS.items()}


@router.get("/v1/business", dependencies=[requires(Permission.BUSINESS_READ)])
async def get_business(connection: TenantConnection, principal: CurrentPrincipal) -> Business:
    """The signed-in business: its name, region, data region and currency."""
    row = await TenantRepository.from_connection(connection).get_tenant()
    assert row is not None, "a verified session names a provisioned business"
    return Business(
        id=principal.tenant_id,
        name=row.name,
        region=_REGION_OF[row.region],
        data_region=row.region,
        currency=row.currency,
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
    rows = await TenantRepository.from_connection(connection).page_locations(
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        within=principal.venues,
    )
    items, next_cursor = cut_page(rows, limit, lambda row: encode_cursor(row.created_at, row.id))
    return LocationPage(items=items, next_cursor=next_cursor)


@router.get(
    "/v1/locations/{location_id}",
    dependencies=[requires(Permission.BUSINESS_READ)],
    responses=problems(LocationNotFound),
)
async def get_location(
    location_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> Location:
    """One venue this session reaches."""
    if not principal.reaches(location_id):
        raise LocationNotFound()
    rows = await TenantRepository.from_connection(connection).page_locations(
        limit=1, after=None, within=frozenset({location_id})
    )
    if not rows:
        raise LocationNotFound()
    return rows[0]
