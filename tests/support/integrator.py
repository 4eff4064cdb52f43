"""What an integrator is handed before writing a line of code, for the generated client's
tests (tests/clients/): a business whose owner set up a venue with a menu, a cashier with a
PIN, and a single-use activation code for the till. The owner's side goes through the
gateway as the back office would (staff, activation code); the venue and its menu are
arranged as the services' own roles, as the other tests do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.tenants.service import create_location
from tests.support.database import Connect, Provision
from tests.support.sessions import PIN, staff_member
from tests.support.tills import Menu, stock_menu
from tests.support.tokens import TokenFactory


@dataclass(frozen=True)
class HandedOver:
    """What the owner gives the till's integrator: a code, a cashier and their PIN."""

    tenant: uuid.UUID
    location_id: uuid.UUID
    activation_code: str
    cashier_id: str
    pin: str
    menu: Menu


async def a_venue_ready_for_a_till(
    gateway: httpx.AsyncClient,
    identity: TenantDatabase,
    *,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
) -> HandedOver:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    location = await create_location(
        identity,
        tenant_id=tenant,
        name="Front bar",
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=4,
    )
    menu = await stock_menu(connect_as, tenant)
    cashier = await staff_member(gateway, owner, "cashier")
    code = await gateway.post(
        "/v1/devices/activation-codes",
        json={"location_id": str(location.location_id)},
        auth=owner,
    )
    assert code.status_code == 201, code.text
    return HandedOver(tenant, location.location_id, code.json()["code"], cashier["id"], PIN, menu)
