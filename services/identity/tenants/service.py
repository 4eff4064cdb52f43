"""Tenant and location provisioning, for operators (the `halopos` CLI) and the demo seed.

Not reachable over HTTP: creating a tenant is the one moment a tenant id is chosen rather
than read from a verified session, so it happens only from the operator's command line. What a
signed-in client reads of its business and venues is services/identity/business/.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from libs.audit.append import Actor, AuditLog
from libs.tenancy.database import TenantDatabase
from services.identity.tenants.repository import TenantRepository

# Where each region's tenant data lives (one cell per region).
REGIONS = {"au": "ap-southeast-2", "eu": "eu-central-1"}
CURRENCIES = {"au": {"AUD"}, "eu": {"EUR"}}
OPERATOR = Actor(type="operator", id="halopos-cli")


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
