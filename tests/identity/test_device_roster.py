"""The roster a till reads before anyone has signed in on it (`GET /v1/devices/roster`),
against the real Postgres: proven by the device's key as PIN sign-in is, scoped to the
device's own business and venue, and holding nothing but what a PIN pad shows."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import Device, DPoPAuth
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from tests.identity.test_staff_locations import new_location, till_at
from tests.support.database import Provision
from tests.support.sessions import PIN
from tests.support.tokens import PUBLIC_URL, TokenFactory

PATH = "/v1/devices/roster"


class Venue:
    """A business with two venues, its owner, and a till at the front bar."""

    def __init__(self, tenant: uuid.UUID, owner: DPoPAuth, front: uuid.UUID, garden: uuid.UUID):
        self.tenant, self.owner, self.front, self.garden = tenant, owner, front, garden
        self.till: tuple[Device, DeviceKey]


async def _venue(
    client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
    databases: dict[str, TenantDatabase],
) -> Venue:
    tenant = await provision()
    venue = Venue(
        tenant,
        token(tenant, Role.OWNER),
        await new_location(databases, tenant, "Front bar"),
        await new_location(databases, tenant, "Beer garden"),
    )
    venue.till = await till_at(client, venue, venue.front)  # type: ignore[arg-type]
    return venue


@pytest.fixture
async def venue(
    identity_client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> Venue:
    return await _venue(identity_client, provision, token, service_databases)


async def _add(
    client: httpx.AsyncClient, owner: DPoPAuth, role: str, name: str, **fields: Any
) -> dict[str, Any]:
    created = await client.post(
        "/v1/staff",
        json={
            "email": f"{uuid.uuid4().hex[:10]}@harbourlane.example",
            "display_name": name,
            "role": role,
            **fields,
        },
        auth=owner,
    )
    assert created.status_code == 201, created.text
    member: dict[str, Any] = created.json()
    return member


async def _roster(
    client: httpx.AsyncClient,
    till: tuple[Device, DeviceKey],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    device, key = till
    return await client.get(
        PATH,
        headers={"X-Device": device.device, **(headers or {})},
        auth=DPoPAuth(key, public_url=PUBLIC_URL),
    )


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code, response.text
    return body


async def test_a_till_lists_who_may_sign_in_at_its_venue_and_nothing_more(
    identity_client: httpx.AsyncClient, venue: Venue
) -> None:
    owner = venue.owner
    everywhere = await _add(identity_client, owner, "cashier", "Ana", pin=PIN)
    front = await _add(
        identity_client, owner, "manager", "Ben", pin=PIN, location_ids=[str(venue.front)]
    )
    await _add(identity_client, owner, "cashier", "Cy", pin=PIN, location_ids=[str(venue.garden)])
    await _add(identity_client, owner, "accountant", "Dee")  # no PIN: cannot sign in here
    leaver = await _add(identity_client, owner, "cashier", "Eve", pin=PIN)

    first = await _roster(identity_client, venue.till)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["location_id"] == str(venue.front) == venue.till[0].location_id
    assert body["staff"] == [
        {"id": member["id"], "display_name": member["display_name"], "role": member["role"]}
        for member in (everywhere, front, leaver)
    ]
    assert first.headers["ETag"] == f'"{body["version"]}"'

    # Unchanged: 304, with a fresh proof and no body.
    unchanged = await _roster(identity_client, venue.till, {"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304, unchanged.text
    assert unchanged.content == b""
    assert unchanged.headers["ETag"] == first.headers["ETag"]

    # Deactivated: gone from the roster, and the version moves on.
    left = await identity_client.patch(
        f"/v1/staff/{leaver['id']}",
        json={"version": leaver["version"], "active": False},
        auth=owner,
    )
    assert left.status_code == 200, left.text
    after = await _roster(identity_client, venue.till, {"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200, after.text
    assert [member["id"] for member in after.json()["staff"]] == [everywhere["id"], front["id"]]
    assert after.json()["version"] != body["version"]


async def test_another_businesss_till_sees_nothing_of_this_one(
    identity_client: httpx.AsyncClient,
    venue: Venue,
    provision: Provision,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    ours = await _add(identity_client, venue.owner, "cashier", "Ana", pin=PIN)
    other = await _venue(identity_client, provision, token, service_databases)
    theirs = await _add(identity_client, other.owner, "cashier", "Zed", pin=PIN)

    their_roster = await _roster(identity_client, other.till)
    assert [member["id"] for member in their_roster.json()["staff"]] == [theirs["id"]]
    assert ours["id"] not in their_roster.text

    # Their till naming our business (or our device) with its own key is refused, as is ours
    # signed by their key: the business and venue come from the device record only.
    device, key = other.till
    ours_device, _ = venue.till
    forged = Device(
        device.device.replace(other.tenant.hex, venue.tenant.hex),
        device.device_id,
        device.location_id,
    )
    for till in ((forged, key), (ours_device, key)):
        _problem(await _roster(identity_client, till), 401, "device-not-recognised")
    _problem(
        await identity_client.get(
            PATH, headers={"X-Device": "hpd_nonsense"}, auth=DPoPAuth(key, public_url=PUBLIC_URL)
        ),
        401,
        "device-not-recognised",
    )


async def test_a_revoked_till_gets_no_roster(
    identity_client: httpx.AsyncClient, venue: Venue
) -> None:
    await _add(identity_client, venue.owner, "cashier", "Ana", pin=PIN)
    device, _ = venue.till
    revoked = await identity_client.post(f"/v1/devices/{device.device_id}/revoke", auth=venue.owner)
    assert revoked.status_code == 200, revoked.text
    refused = _problem(await _roster(identity_client, venue.till), 403, "device-revoked")
    assert "staff" not in refused


async def test_a_bad_or_replayed_proof_is_refused(
    identity_client: httpx.AsyncClient, venue: Venue
) -> None:
    device, key = venue.till
    headers = {"X-Device": device.device}
    missing = await identity_client.get(PATH, headers=headers)
    _problem(missing, 401, "invalid-dpop-proof")

    wrong_url = key.proof("GET", f"{PUBLIC_URL}/v1/staff")
    _problem(
        await identity_client.get(PATH, headers={**headers, "DPoP": wrong_url}),
        401,
        "invalid-dpop-proof",
    )

    proof = key.proof("GET", f"{PUBLIC_URL}{PATH}")
    first = await identity_client.get(PATH, headers={**headers, "DPoP": proof})
    assert first.status_code == 200, first.text
    replayed = _problem(
        await identity_client.get(PATH, headers={**headers, "DPoP": proof}),
        401,
        "invalid-dpop-proof",
    )
    assert replayed["check"] == "replayed"
