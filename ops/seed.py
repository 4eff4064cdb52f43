"""Two demo tenants, one per region, each with an owner, a manager and a cashier, created
idempotently (a second `make run` reuses them). Passwords and PINs are generated per checkout
and kept in `.state/secrets.json`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from libs.audit.append import Actor, AuditLog
from libs.tenancy.database import TenantDatabase
from services.identity.staff.repository import StaffRepository
from services.identity.staff.secret_hashing import hash_secret
from services.identity.tenants.service import (
    REGIONS,
    create_location,
    create_tenant,
    find_tenant,
)
from services.orders.provisioning import provision_orders, seed_demo_menu

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
        "au",
        _demo_id("tenant/au"),
        _demo_id("location/au"),
        "Harbour Lane Cafe",
        "au",
        "AUD",
        "Surry Hills",
        "Australia/Sydney",
        4,
    ),
    DemoTenant(
        "eu",
        _demo_id("tenant/eu"),
        _demo_id("location/eu"),
        "Spreeblick Bar",
        "eu",
        "EUR",
        "Kreuzberg",
        "Europe/Berlin",
        5,
    ),
)
DEMO_BY_KEY = {demo.key: demo for demo in DEMO_TENANTS}


@dataclass(frozen=True)
class DemoStaff:
    role: str
    display_name: str
    staff_id: uuid.UUID
    email: str
    password: str | None
    pin: str | None


def demo_staff(demo: DemoTenant) -> list[DemoStaff]:
    from ops.state import demo_secret

    domain = f"{demo.key}.demo.halopos.example"
    people = [
        ("owner", "Olive Owner", True, False),
        ("manager", "Max Manager", True, True),
        ("cashier", "Casey Cashier", False, True),
        ("accountant", "Ada Accountant", True, False),
    ]
    return [
        DemoStaff(
            role=role,
            display_name=name,
            staff_id=_demo_id(f"staff/{demo.key}/{role}"),
            email=f"{role}@{domain}",
            password=demo_secret(f"{demo.key}/{role}/password") if password else None,
            pin=demo_secret(f"{demo.key}/{role}/pin", digits=4) if pin else None,
        )
        for role, name, password, pin in people
    ]


async def _seed_staff(database: TenantDatabase, demo: DemoTenant) -> None:
    async with database.provisioning_transaction(demo.tenant_id) as connection:
        staff = StaffRepository.from_connection(connection)
        for person in demo_staff(demo):
            if await staff.get(person.staff_id) is not None:
                continue
            await staff.insert(
                staff_id=person.staff_id,
                email=person.email,
                display_name=person.display_name,
                role=person.role,
                password_hash=await hash_secret(person.password) if person.password else None,
                pin_hash=await hash_secret(person.pin) if person.pin else None,
            )
            await AuditLog.from_connection(connection, service="identity").append(
                actor=SEED,
                action="staff.created",
                resource_type="staff",
                resource_id=str(person.staff_id),
                payload={
                    "email": person.email,
                    "display_name": person.display_name,
                    "role": person.role,
                    "password_set": person.password is not None,
                    "pin_set": person.pin is not None,
                },
            )


async def seed_demo_tenants(identity_database_url: str, orders_database_url: str) -> None:
    database = TenantDatabase(identity_database_url, pool_size=1)
    orders = TenantDatabase(orders_database_url, pool_size=1)
    try:
        for demo in DEMO_TENANTS:
            found = await find_tenant(database, demo.tenant_id) is not None
            if not found:
                await _create_demo(database, demo)
            await _seed_staff(database, demo)
            region = REGIONS[demo.region]
            await provision_orders(
                orders,
                tenant_id=demo.tenant_id,
                region=region,
                currency=demo.currency,
                actor=SEED,
            )
            await seed_demo_menu(orders, tenant_id=demo.tenant_id, region=region, actor=SEED)
    finally:
        await database.dispose()
        await orders.dispose()


async def _create_demo(database: TenantDatabase, demo: DemoTenant) -> None:
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
