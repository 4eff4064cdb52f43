"""Two demo tenants, one per region, created idempotently (a second `make run` reuses them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert

from libs.audit.append import Actor, AuditLog
from libs.tenancy.database import TenantDatabase
from services.identity.models import locations, tenants

OPERATOR = Actor(type="operator", id="halopos-seed")


@dataclass(frozen=True)
class DemoTenant:
    key: str
    tenant_id: uuid.UUID
    location_id: uuid.UUID
    name: str
    region: str
    currency: str
    location_name: str
    time_zone: str
    cutoff_hour: int


def _demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://demo.halopos.example/{name}")


DEMO_TENANTS = (
    DemoTenant(
        "au", _demo_id("tenant/au"), _demo_id("location/au"), "Harbour Lane Cafe",
        "ap-southeast-2", "AUD", "Surry Hills", "Australia/Sydney", 4,
    ),
    DemoTenant(
        "eu", _demo_id("tenant/eu"), _demo_id("location/eu"), "Spreeblick Bar",
        "eu-central-1", "EUR", "Kreuzberg", "Europe/Berlin", 5,
    ),
)  # fmt: skip
DEMO_BY_KEY = {demo.key: demo for demo in DEMO_TENANTS}


async def seed_demo_tenants(identity_database_url: str) -> None:
    database = TenantDatabase(identity_database_url, pool_size=1)
    try:
        for demo in DEMO_TENANTS:
            async with database.provisioning_transaction(demo.tenant_id) as connection:
                created = await connection.execute(
                    insert(tenants)
                    .values(
                        tenant_id=demo.tenant_id,
                        name=demo.name,
                        region=demo.region,
                        currency=demo.currency,
                    )
                    .on_conflict_do_nothing()
                    .returning(tenants.c.tenant_id)
                )
                if created.first() is None:
                    continue
                await connection.execute(
                    insert(locations).values(
                        id=demo.location_id,
                        name=demo.location_name,
                        time_zone=demo.time_zone,
                        business_day_cutoff_hour=demo.cutoff_hour,
                    )
                )
                audit = AuditLog.from_connection(connection, service="identity")
                await audit.append(
                    actor=OPERATOR,
                    action="tenant.created",
                    resource_type="tenant",
                    resource_id=str(demo.tenant_id),
                    payload={"name": demo.name, "region": demo.region, "currency": demo.currency},
                )
                await audit.append(
                    actor=OPERATOR,
                    action="location.created",
                    resource_type="location",
                    resource_id=str(demo.location_id),
                    payload={"name": demo.location_name, "time_zone": demo.time_zone},
                )
    finally:
        await database.dispose()
