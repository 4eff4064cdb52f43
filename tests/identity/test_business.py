"""The business and its venues as a signed-in client reads them (GET /v1/business,
/v1/locations), against the real Postgres through the identity service's own role: each
session sees its own business, and only the venues it reaches."""

from __future__ import annotations

import uuid

import httpx
import pytest

from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.tenants.service import create_location
from tests.support.database import Provision
from tests.support.tokens import TokenFactory


async def venue(
    databases: dict[str, TenantDatabase], tenant: uuid.UUID, name: str, zone: str
) -> uuid.UUID:
    location = await create_location(
        databases["identity"],
        tenant_id=tenant,
        name=name,
        time_zone=zone,
        business_day_cutoff_hour=5,
    )
    return location.location_id


@pytest.fixture
async def two_businesses(
    provision: Provision, service_databases: dict[str, TenantDatabase]
) -> tuple[uuid.UUID, list[uuid.UUID], uuid.UUID, uuid.UUID]:
    """An Australian business with three venues, and a German one with one."""
    ours = await provision("au")
    venues = [
        await venue(service_databases, ours, name, "Australia/Sydney")
        for name in ("Front bar", "Beer garden", "Rooftop")
    ]
    theirs = await provision("eu")
    their_venue = await venue(service_databases, theirs, "Kiez", "Europe/Berlin")
    return ours, venues, theirs, their_venue


async def test_each_session_reads_its_own_business(
    two_businesses: tuple[uuid.UUID, list[uuid.UUID], uuid.UUID, uuid.UUID],
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
) -> None:
    ours, _, theirs, _ = two_businesses
    read = {
        tenant: (await identity_client.get("/v1/business", auth=token(tenant, Role.ACCOUNTANT)))
        for tenant in (ours, theirs)
    }
    assert read[ours].status_code == 200, read[ours].text
    assert {key: read[ours].json()[key] for key in ("id", "region", "data_region", "currency")} == {
        "id": str(ours),
        "region": "au",
        "data_region": "ap-southeast-2",
        "currency": "AUD",
    }
    assert {
        key: read[theirs].json()[key] for key in ("id", "region", "data_region", "currency")
    } == {"id": str(theirs), "region": "eu", "data_region": "eu-central-1", "currency": "EUR"}


async def test_a_session_lists_only_the_venues_it_reaches_a_page_at_a_time(
    two_businesses: tuple[uuid.UUID, list[uuid.UUID], uuid.UUID, uuid.UUID],
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
) -> None:
    ours, venues, _, their_venue = two_businesses
    owner = token(ours, Role.OWNER)
    seen: list[dict[str, object]] = []
    cursor = None
    while True:
        page = await identity_client.get(
            "/v1/locations",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
            auth=owner,
        )
        assert page.status_code == 200, page.text
        seen += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    # Oldest first, each once, and none of the other business's.
    assert [item["id"] for item in seen] == [str(each) for each in venues]
    assert seen[0]["name"] == "Front bar"
    assert seen[0]["time_zone"] == "Australia/Sydney"
    assert seen[0]["business_day_cutoff_hour"] == 5

    # A manager at two venues, and a till at one, see those alone.
    manager = token(ours, Role.MANAGER, venues=frozenset(venues[1:]))
    listed = await identity_client.get("/v1/locations", auth=manager)
    assert [item["id"] for item in listed.json()["items"]] == [str(each) for each in venues[1:]]
    till = token(ours, Role.CASHIER, location_id=venues[2], device_id=uuid.uuid4())
    listed = await identity_client.get("/v1/locations", auth=till)
    assert [item["id"] for item in listed.json()["items"]] == [str(venues[2])]

    # One venue by its id: a venue out of reach and another business's answer alike.
    one = await identity_client.get(f"/v1/locations/{venues[1]}", auth=manager)
    assert one.status_code == 200 and one.json()["name"] == "Beer garden"
    for unreachable in (venues[0], their_venue, uuid.uuid4()):
        refused = await identity_client.get(f"/v1/locations/{unreachable}", auth=manager)
        assert refused.status_code == 404, refused.text
        assert refused.json()["code"] == "location-not-found"
    also_refused = await identity_client.get(f"/v1/locations/{their_venue}", auth=owner)
    assert also_refused.status_code == 404


async def test_a_bad_cursor_is_a_problem(
    two_businesses: tuple[uuid.UUID, list[uuid.UUID], uuid.UUID, uuid.UUID],
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
) -> None:
    ours, _, _, _ = two_businesses
    refused = await identity_client.get(
        "/v1/locations", params={"cursor": "not-a-cursor"}, auth=token(ours, Role.OWNER)
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid-cursor"
