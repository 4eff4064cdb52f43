"""POS sign-in for tests: staff with PINs added by an owner, a device activated at a new
location with an activation code, and clients whose requests come from a chosen address."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from clients.dpop import DeviceKey
from clients.session import Device, DPoPAuth, activate
from libs.tenancy.database import TenantDatabase
from services.identity.tenants.service import create_location
from tests.support.tokens import PUBLIC_URL

PIN = "482916"


@dataclass
class Till:
    """A business's owner, a device activated at its venue, and a cashier with a PIN."""

    tenant: uuid.UUID
    owner: DPoPAuth
    device: Device
    key: DeviceKey
    cashier: str


async def staff_member(
    client: httpx.AsyncClient, owner: DPoPAuth, role: str, pin: str = PIN
) -> dict[str, Any]:
    response = await client.post(
        "/v1/staff",
        json={
            "email": f"{uuid.uuid4().hex[:12]}@example.com",
            "display_name": "Sam",
            "role": role,
            "pin": pin,
        },
        auth=owner,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def activate_at(
    client: httpx.AsyncClient, database: TenantDatabase, owner: DPoPAuth, tenant: uuid.UUID
) -> tuple[Device, DeviceKey]:
    location = await create_location(
        database,
        tenant_id=tenant,
        name="Front bar",
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=4,
    )
    code = await client.post(
        "/v1/devices/activation-codes",
        json={"location_id": str(location.location_id)},
        auth=owner,
    )
    assert code.status_code == 201, code.text
    key = DeviceKey.generate()
    device = await activate(client, code=code.json()["code"], key=key, public_url=PUBLIC_URL)
    return device, key


def client_from(app: FastAPI, address: str) -> httpx.AsyncClient:
    """A client whose requests come from `address` (the peer address the service sees)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://identity")
