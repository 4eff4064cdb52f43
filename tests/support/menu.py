"""Building a menu through the orders API as a business's owner, and a cashier signed in on
a device at a new venue of the business."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from clients.dpop import DeviceKey
from libs.rbac import Role
from tests.support.database import Connect
from tests.support.tills import register_device
from tests.support.tokens import TokenFactory


@dataclass
class Venue:
    """A business with its owner signed in to the back office, and its tax categories."""

    tenant: uuid.UUID
    owner: httpx.Auth
    tax: dict[str, str]


async def created(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], auth: httpx.Auth
) -> dict[str, Any]:
    response = await client.post(path, json=body, auth=auth)
    assert response.status_code == 201, response.text
    assert response.headers["etag"] == f'"{response.json()["version"]}"'
    result: dict[str, Any] = response.json()
    return result


async def category(
    client: httpx.AsyncClient, venue: Venue, name: str, position: int = 0
) -> dict[str, Any]:
    body = {"name": name, "position": position}
    return await created(client, "/v1/menu/categories", body, venue.owner)


async def item(
    client: httpx.AsyncClient, venue: Venue, category_id: str, name: str, **fields: Any
) -> dict[str, Any]:
    body = {
        "category_id": category_id,
        "tax_category_id": venue.tax["gst"],
        "name": name,
        "price_minor": 550,
    } | fields
    return await created(client, "/v1/menu/items", body, venue.owner)


async def a_cashier_at_a_venue(
    connect_as: Connect, token: TokenFactory, tenant: uuid.UUID
) -> tuple[httpx.Auth, uuid.UUID]:
    key = DeviceKey.generate()
    location_id, device_id = await register_device(connect_as, tenant, key)
    cashier = token(
        tenant, Role.CASHIER, "staff-cashier", key=key, location_id=location_id, device_id=device_id
    )
    return cashier, location_id
