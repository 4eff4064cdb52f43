"""The business and its venues as a signed-in client reads them: which currency its amounts
are in, whose tax law its books follow, and the venues the session reaches. Read-only:
businesses and venues are provisioned by an operator (services/identity/tenants/)."""

from __future__ import annotations

from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.auth.principal import Principal
from libs.problems import NotFound
from services.identity.business.repository import BusinessRepository
from services.identity.business.schemas import Business, Location, LocationPage
from services.identity.tenants.service import REGIONS

# The region a business chose, by the data region its rows are kept in.
_REGION_OF = {data_region: region for region, data_region in REGIONS.items()}


class LocationNotFound(NotFound):
    """A venue this business does not have, or that the session does not reach: answered
    alike, so neither says whether it exists."""

    code = "location-not-found"
    title = "No such location"


async def get_business(*, businesses: BusinessRepository, principal: Principal) -> Business:
    row = await businesses.get()
    assert row is not None, "a verified session names a provisioned business"
    return Business(
        id=principal.tenant_id,
        name=row.name,
        region=_REGION_OF[row.region],
        data_region=row.region,
        currency=row.currency,
    )


async def list_locations(
    *, businesses: BusinessRepository, principal: Principal, limit: int, cursor: str | None
) -> LocationPage:
    rows = await businesses.page_locations(
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        within=principal.venues,
    )
    items, next_cursor = cut_page(rows, limit, lambda row: encode_cursor(row.created_at, row.id))
    return LocationPage(items=items, next_cursor=next_cursor)


async def get_location(
    *, businesses: BusinessRepository, principal: Principal, location_id: UUID
) -> Location:
    # A venue out of reach is answered like one that does not exist, before any lookup.
    if not principal.reaches(location_id):
        raise LocationNotFound()
    rows = await businesses.page_locations(limit=1, after=None, within=frozenset({location_id}))
    if not rows:
        raise LocationNotFound()
    return rows[0]
