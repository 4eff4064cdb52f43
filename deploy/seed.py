"""Two demo tenants, one per region, created idempotently (a second `make run` reuses them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from libs.audit.append import Actor
from libs.tenancy.database import TenantDatabase
from services.identity.tenants.service import create_location, create_tenant, find_tenant

SEED = Actor(type="operator", id="halopos-seed")


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
        "au", "AUD", "Surry Hills", "Australia/Sydney", 4,
    ),
    DemoTenant(
        "eu", _demo_id("tenant/eu"), _demo_id("location/eu"), "Spreeblick Bar",
        "eu", "EUR", "Kreuzberg", "Europe/Berlin", 5,
    ),
)  # fmt: skip
DEMO_BY_KEY = {demo.key: demo for demo in DEMO_TENANTS}


async def seed_demo_tenants(identity_database_url: str) -> None:
    database = TenantDatabase(identity_database_url, pool_size=1)
    try:
        for demo in DEMO_TENANTS:
            if await find_tenant(database, demo.tenant_id) is not None:
                continue
            await create_tenant(
                database,
                name=demo.name,
                region=demo.region,
                currency=demo.currency,
                tenant_id=demo.tenant_id,
                actor=SEED,
            )
            await create_location(
                database,
                tenant_id=demo.tenant_id,
                name=demo.location_name,
                time_zone=demo.time_zone,
                business_day_cutoff_hour=demo.cutoff_hour,
                location_id=demo.location_id,
                actor=SEED,
            )
    finally:
        await database.dispose()
