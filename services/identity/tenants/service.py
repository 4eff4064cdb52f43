"""Tenant and location provisioning, for operators (the `halopos` CLI) and the demo seed; and
the business and its venues as a signed-in client reads them (tenants/router.py).

Provisioning is not reachable over HTTP: creating a tenant is the one moment a tenant id is
chosen rather than read from a verified session, so it happens only from the operator's
command line.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import NotFound
from libs.tenancy.database import TenantDatabase
from services.identity.tenants import schemas
from services.identity.tenants.repository import TenantRepository

# Where each region's tenant data lives (one cell per region).
REGIONS = {"au": "ap-southeast-2", "eu": "eu-central-1"}
CURRENCIES = {"au": {"AUD"}, "eu": {"EUR"}}
# The region a business chose, by the data region its rows are kept in.
_REGION_OF = {data_region: region for region, data_region in REGIONS.items()}
OPERATOR = Actor(type="operator", id="halopos-cli")


class LocationNotFound(NotFound):
    """A venue this business does not have, or that the session does not reach: answered
    alike, so neither says whether it exists."""

    code = "location-not-found"
    title = "No such location"


class InvalidProvisioning(ValueError):
    """The operator's input was refused; nothing was created."""


@dataclass(frozen=True)
class Tenant:
    tenant_id: UUID
    name: str
    region: str
    currency: str
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {key: str(value) for key, value in asdict(self).items()}


@dataclass(frozen=True)
class Location:
    tenant_id: UUID
    location_id: UUID
    name: str
    time_zone: str
    business_day_cutoff_hour: int

    def as_json(self) -> dict[str, Any]:
        return {
            key: value if isinstance(value, int) else str(value)
            for key, value in asdict(self).items()
        }


async def create_tenant(
    database: TenantDatabase,
    *,
    name: str,
    region: str,
    currency: str,
    tenant_id: UUID | None = None,
    actor: Actor = OPERATOR,
) -> Tenant:
    name = name.strip()
    if not name:
        raise InvalidProvisioning("a tenant needs a name")
    if region not in REGIONS:
        raise InvalidProvisioning(f"region must be one of {sorted(REGIONS)}, not {region!r}")
    if currency not in CURRENCIES[region]:
        raise InvalidProvisioning(
            f"a {region} tenant trades in {sorted(CURRENCIES[region])}, not {currency!r}"
        )
    tenant_id = tenant_id or uuid.uuid4()
    async with database.provisioning_transaction(tenant_id) as connection:
        created_at = await TenantRepository(connection).insert_tenant(
            name=name, region=REGIONS[region], currency=currency
        )
        tenant = Tenant(tenant_id, name, REGIONS[region], currency, created_at)
        await AuditLog.from_connection(connection, service="identity").append(
            actor=actor,
            action="tenant.created",
            resource_type="tenant",
            resource_id=str(tenant_id),
            payload={"name": name, "region": tenant.region, "currency": currency},
        )
    return tenant


async def find_tenant(database: TenantDatabase, tenant_id: UUID) -> Tenant | None:
    async with database.provisioning_transaction(tenant_id) as connection:
        row = await TenantRepository(connection).get_tenant()
    return Tenant(tenant_id, row.name, row.region, row.currency, row.created_at) if row else None


async def create_location(
    database: TenantDatabase,
    *,
    tenant_id: UUID,
    name: str,
    time_zone: str,
    business_day_cutoff_hour: int,
    location_id: UUID | None = None,
    actor: Actor = OPERATOR,
) -> Location:
    name = name.strip()
    if not name:
        raise InvalidProvisioning("a location needs a name")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidProvisioning(f"{time_zone!r} is not an IANA time zone") from None
    if not 0 <= business_day_cutoff_hour <= 23:
        raise InvalidProvisioning("the business-day cutoff hour is 0 to 23 (venue-local)")
    location = Location(
        tenant_id, location_id or uuid.uuid4(), name, time_zone, business_day_cutoff_hour
    )
    async with database.provisioning_transaction(tenant_id) as connection:
        repository = TenantRepository(connection)
        if await repository.get_tenant() is None:
            raise InvalidProvisioning(f"no tenant {tenant_id}")
        await repository.insert_location(
            location_id=location.location_id,
            name=name,
            time_zone=time_zone,
            business_day_cutoff_hour=business_day_cutoff_hour,
        )
        await AuditLog.from_connection(connection, service="identity").append(
            actor=actor,
            action="location.created",
            resource_type="location",
            resource_id=str(location.location_id),
            payload={
                "name": name,
                "time_zone": time_zone,
                "business_day_cutoff_hour": business_day_cutoff_hour,
            },
        )
    return location


# -- what a signed-in client reads ------------------------------------------------------------


async def get_business(*, tenants: TenantRepository, principal: Principal) -> schemas.Business:
    row = await tenants.get_tenant()
    assert row is not None, "a verified session names a provisioned business"
    return schemas.Business(
        id=principal.tenant_id,
        name=row.name,
        region=_REGION_OF[row.region],
        data_region=row.region,
        currency=row.currency,
    )


async def list_locations(
    *, tenants: TenantRepository, principal: Principal, limit: int, cursor: str | None
) -> schemas.LocationPage:
    rows = await tenants.page_locations(
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        within=principal.venues,
    )
    items, next_cursor = cut_page(rows, limit, lambda row: encode_cursor(row.created_at, row.id))
    return schemas.LocationPage(items=items, next_cursor=next_cursor)


async def get_location(
    *, tenants: TenantRepository, principal: Principal, location_id: UUID
) -> schemas.Location:
    # A venue out of reach is answered like one that does not exist, before any lookup.
    if not principal.reaches(location_id):
        raise LocationNotFound()
    rows = await tenants.page_locations(limit=1, after=None, within=frozenset({location_id}))
    if not rows:
        raise LocationNotFound()
    return rows[0]
