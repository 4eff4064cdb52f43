"""Bridge tokens: owners create, list, rotate and revoke them; the secret is shown once, only
its digest is stored, and the verifier the gateway and the bridge service use follows every
rotation and revocation at once.

Against the bridge service in-process on the real database (and, for the last test, the whole
stack on real sockets); rows are read back as the bridge role under row-level security. The
superuser `admin` connection is used for one thing only: moving a secret's expiry into the
past, instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from libs.auth.access_tokens import TokenVerifier
from libs.bridge.token_verifier import BridgeTokenVerifier
from libs.problems import InvalidBridgeToken
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from tests.conftest import LiveStack
from tests.support.bridges import TOKENS, Business, add_location, as_bridge, open_business
from tests.support.database import Connect, Provision, bind_tenant
from tests.support.tokens import TokenFactory

BRIDGE_ADDRESS = "203.0.113.7"


@pytest.fixture(scope="module")
async def client(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> AsyncIterator[httpx.AsyncClient]:
    from services.bridge.app import create_app

    app = create_app(service_databases["bridge"], verifier)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://bridge") as bridge:
        yield bridge


@pytest.fixture
async def business(provision: Provision, connect_as: Connect, token: TokenFactory) -> Business:
    return await open_business(provision, connect_as, token)


@pytest.fixture
async def other_business(
    provision: Provision, connect_as: Connect, token: TokenFactory
) -> Business:
    return await open_business(provision, connect_as, token)


@pytest.fixture
def bridges(service_databases: dict[str, TenantDatabase]) -> BridgeTokenVerifier:
    """The bridge service's verifier (it records use; the gateway's only reads)."""
    return BridgeTokenVerifier(service_databases["bridge"], record_use=True)


async def create(
    client: httpx.AsyncClient, business: Business, name: str = "Mac mini behind the bar"
) -> dict[str, Any]:
    response = await client.post(
        TOKENS, json={"location_id": str(business.location), "name": name}, auth=business.owner
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created: dict[str, Any] = response.json()
    return created


async def rotate(
    client: httpx.AsyncClient, business: Business, token_id: str, grace: int | None = None
) -> dict[str, Any]:
    body = {} if grace is None else {"grace_period_seconds": grace}
    response = await client.post(f"{TOKENS}/{token_id}/rotate", json=body, auth=business.owner)
    assert response.status_code == 200, response.text
    rotated: dict[str, Any] = response.json()
    return rotated


async def accepted(bridges: BridgeTokenVerifier, token: str) -> bool:
    try:
        await bridges.verify(token, address=BRIDGE_ADDRESS)
    except InvalidBridgeToken:
        return False
    return True


def secret_of(token: str) -> str:
    return token.split("_", 2)[2]


async def audit_events(connect_as: Connect, tenant: uuid.UUID) -> list[dict[str, Any]]:
    """The tenant's bridge_token.* audit rows, oldest first, with the id of the transaction
    that wrote each (`xmin`), to compare with the business rows'."""
    found = await as_bridge(
        connect_as,
        tenant,
        "SELECT action, actor_type, actor_id, resource_type, resource_id, service, payload, "
        "xmin::text AS transaction FROM audit.events "
        "WHERE action LIKE 'bridge_token.%' ORDER BY seq",
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in found]


async def wait_for_lock_waiters(connection: asyncpg.Connection, count: int) -> None:
    """Until `count` sessions wait for a lock on a Bridge token's rows. Polled (on a
    connection outside any transaction, which would freeze its view of pg_stat_activity);
    no time limit is asserted, the test run's own timeout applies."""
    waiting = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE '%bridge.token%'"
    )
    while await connection.fetchval(waiting) < count:  # noqa: ASYNC110 - another process
        await asyncio.sleep(0.01)


# -- create, read ----------------------------------------------------------------------------


async def test_the_token_is_shown_once_and_only_its_digest_is_stored(
    client: httpx.AsyncClient,
    business: Business,
    bridges: BridgeTokenVerifier,
    connect_as: Connect,
) -> None:
    created = await create(client, business)
    token = created["token"]
    assert token.startswith(f"hpb_{business.tenant.hex}_")
    assert created["hint"] == token[-4:]
    assert created["location_id"] == str(business.location)
    assert created["name"] == "Mac mini behind the bar"
    assert created["created_by"] == business.owner_subject
    for field in ("rotated_at", "revoked_at", "revoked_by", "last_used_at", "last_used_address"):
        assert created[field] is None, field

    listed = await client.get(TOKENS, auth=business.owner)
    one = await client.get(f"{TOKENS}/{created['id']}", auth=business.owner)
    for response in (listed, one):
        assert response.status_code == 200, response.text
        assert secret_of(token) not in response.text
        assert "digest" not in response.text
    [item] = listed.json()["items"]
    assert "token" not in item
    assert item == one.json() == {key: value for key, value in created.items() if key != "token"}

    # The database holds a 32-byte digest of the token, never the token or its secret.
    secrets = await as_bridge(
        connect_as,
        business.tenant,
        "SELECT digest, expires_at FROM bridge.token_secrets WHERE token_id = $1",
        uuid.UUID(created["id"]),
    )
    assert [(bytes(row["digest"]), row["expires_at"]) for row in secrets] == [
        (hashlib.sha256(token.encode()).digest(), None)
    ]
    [stored] = await as_bridge(
        connect_as, business.tenant, "SELECT t::text AS row FROM bridge.tokens t"
    )
    assert secret_of(token)[:-4] not in stored["row"]

    principal = await bridges.verify(token, address=BRIDGE_ADDRESS)
    assert principal.role is Role.BRIDGE
    assert principal.tenant_id == business.tenant
    assert principal.location_id == business.location
    assert principal.subject == created["id"]

    [used] = (await client.get(TOKENS, auth=business.owner)).json()["items"]
    assert used["last_used_at"] is not None
    assert used["last_used_address"] == BRIDGE_ADDRESS


async def test_a_direct_caller_cannot_choose_the_address_stamped_on_the_token(
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
    business: Business,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`last_used_address` is the gateway's word only when the gateway's secret proves it
    said it (libs/api/request_context.py); from anyone else, the peer's address is taken."""
    from services.bridge.app import create_app
    from tests.support.gateway import trust_the_gateway

    secret = trust_the_gateway(monkeypatch)
    peer, forged = "198.51.100.20", "203.0.113.66"
    app = create_app(service_databases["bridge"], verifier)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(peer, 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://bridge") as direct:
        bridge_token = (await create(direct, business))["token"]

        async def poll_and_read_address(headers: dict[str, str]) -> str:
            polled = await direct.get(
                "/v1/print-jobs",
                params={"wait": 0},
                headers={"Authorization": f"Bearer {bridge_token}", **headers},
            )
            assert polled.status_code == 200, polled.text
            [listed] = (await direct.get(TOKENS, auth=business.owner)).json()["items"]
            address: str = listed["last_used_address"]
            return address

        assert await poll_and_read_address({"X-Forwarded-For": forged}) == peer
        wrong = {"X-Forwarded-For": forged, "X-Halopos-Gateway": secret[::-1]}
        assert await poll_and_read_address(wrong) == peer
        # As the gateway sends it: its secret and the address it saw.
        gateway = {"X-Forwarded-For": forged, "X-Halopos-Gateway": secret}
        assert await poll_and_read_address(gateway) == forged
        assert await poll_and_read_address({"X-Real-IP": forged, "Forwarded": "for=x"}) == peer


async def test_the_list_is_newest_first_in_pages_and_filters_by_location(
    client: httpx.AsyncClient, business: Business, connect_as: Connect
) -> None:
    second_location = await add_location(connect_as, business.tenant)
    elsewhere = Business(business.tenant, second_location, business.owner, business.owner_subject)
    first = await create(client, business, "First")
    second = await create(client, elsewhere, "Second")
    third = await create(client, business, "Third")

    page = (await client.get(TOKENS, params={"limit": 2}, auth=business.owner)).json()
    assert [item["id"] for item in page["items"]] == [third["id"], second["id"]]
    assert page["next_cursor"] is not None
    rest = (
        await client.get(
            TOKENS, params={"limit": 2, "cursor": page["next_cursor"]}, auth=business.owner
        )
    ).json()
    assert [item["id"] for item in rest["items"]] == [first["id"]]
    assert rest["next_cursor"] is None

    at_second = await client.get(
        TOKENS, params={"location_id": str(second_location)}, auth=business.owner
    )
    assert [item["id"] for item in at_second.json()["items"]] == [second["id"]]

    bad_cursor = await client.get(TOKENS, params={"cursor": "nonsense"}, auth=business.owner)
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["code"] == "invalid-cursor"


async def test_another_business_location_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    business: Business,
    other_business: Business,
    connect_as: Connect,
) -> None:
    for location in (other_business.location, uuid.uuid4()):
        response = await client.post(
            TOKENS, json={"location_id": str(location), "name": "Bridge"}, auth=business.owner
        )
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "location-not-found"
    for tenant in (business.tenant, other_business.tenant):
        assert await as_bridge(connect_as, tenant, "SELECT id FROM bridge.tokens") == []
        assert await as_bridge(connect_as, tenant, "SELECT digest FROM bridge.token_secrets") == []
        assert await audit_events(connect_as, tenant) == []


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Bridge"},
        {"location_id": "LOCATION", "name": ""},
        {"location_id": "LOCATION", "name": "x" * 101},
        {"location_id": "LOCATION", "name": "Bridge", "tenant_id": str(uuid.uuid4())},
    ],
    ids=["no location", "empty name", "long name", "unknown field"],
)
async def test_a_malformed_create_is_refused(
    client: httpx.AsyncClient, business: Business, connect_as: Connect, body: dict[str, Any]
) -> None:
    body = {
        key: str(business.location) if value == "LOCATION" else value for key, value in body.items()
    }
    response = await client.post(TOKENS, json=body, auth=business.owner)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation-failed"
    assert await as_bridge(connect_as, business.tenant, "SELECT id FROM bridge.tokens") == []


async def test_a_business_cannot_see_rotate_or_revoke_another_business_token(
    client: httpx.AsyncClient,
    business: Business,
    other_business: Business,
    bridges: BridgeTokenVerifier,
) -> None:
    created = await create(client, business)
    path = f"{TOKENS}/{created['id']}"
    attempts = {
        "get": await client.get(path, auth=other_business.owner),
        "rotate": await client.post(f"{path}/rotate", json={}, auth=other_business.owner),
        "revoke": await client.post(f"{path}/revoke", json={}, auth=other_business.owner),
    }
    for name, response in attempts.items():
        assert response.status_code == 404, (name, response.text)
        assert response.json()["code"] == "bridge-token-not-found", name
    listed = await client.get(TOKENS, auth=other_business.owner)
    assert listed.json() == {"items": [], "next_cursor": None}

    unchanged = (await client.get(path, auth=business.owner)).json()
    assert unchanged["revoked_at"] is None
    assert unchanged["rotated_at"] is None
    assert await accepted(bridges, created["token"])


async def test_only_owners_manage_bridge_tokens(
    client: httpx.AsyncClient, business: Business, token: TokenFactory
) -> None:
    created = await create(client, business)
    for role in (Role.MANAGER, Role.ACCOUNTANT, Role.CASHIER):
        auth = token(business.tenant, role)
        for response in (
            await client.get(TOKENS, auth=auth),
            await client.post(
                TOKENS, json={"location_id": str(business.location), "name": "B"}, auth=auth
            ),
            await client.post(f"{TOKENS}/{created['id']}/revoke", json={}, auth=auth),
        ):
            assert response.status_code == 403, (role, response.text)
    bridge = {"Authorization": f"Bearer {created['token']}"}
    refused = await client.get(TOKENS, headers=bridge)
    assert refused.status_code == 403, refused.text


# -- rotate ----------------------------------------------------------------------------------


async def test_rotating_without_grace_stops_the_old_secret_at_once(
    client: httpx.AsyncClient, business: Business, bridges: BridgeTokenVerifier
) -> None:
    created = await create(client, business)
    assert await accepted(bridges, created["token"])
    rotated = await rotate(client, business, created["id"], grace=0)
    assert rotated["id"] == created["id"]
    assert rotated["token"] != created["token"]
    assert rotated["hint"] == rotated["token"][-4:]
    assert rotated["rotated_at"] is not None
    assert not await accepted(bridges, created["token"])
    assert await accepted(bridges, rotated["token"])
    # No body means the defaults: grace 0.
    again = await client.post(f"{TOKENS}/{created['id']}/rotate", auth=business.owner)
    assert again.status_code == 200, again.text
    assert again.headers["cache-control"] == "no-store"
    assert not await accepted(bridges, rotated["token"])
    assert await accepted(bridges, again.json()["token"])
    shown = (await client.get(f"{TOKENS}/{created['id']}", auth=business.owner)).json()
    assert shown["hint"] == again.json()["token"][-4:]


async def test_rotating_with_grace_keeps_the_old_secret_until_it_ends(
    client: httpx.AsyncClient,
    business: Business,
    bridges: BridgeTokenVerifier,
    connect_as: Connect,
    admin: asyncpg.Connection,
) -> None:
    created = await create(client, business)
    rotated = await rotate(client, business, created["id"], grace=300)
    assert await accepted(bridges, created["token"])
    assert await accepted(bridges, rotated["token"])

    old_digest = hashlib.sha256(created["token"].encode()).digest()
    expiry_query = "SELECT expires_at FROM bridge.token_secrets WHERE digest = $1"
    [before] = await as_bridge(connect_as, business.tenant, expiry_query, old_digest)
    # A second rotation with a longer grace never lengthens what the first one cut short.
    newest = await rotate(client, business, created["id"], grace=3600)
    [after] = await as_bridge(connect_as, business.tenant, expiry_query, old_digest)
    assert after["expires_at"] == before["expires_at"]
    assert await accepted(bridges, newest["token"])
    assert await accepted(bridges, rotated["token"])

    # Arranging time (superuser, arranging only): the first grace period is over.
    await admin.execute(
        "UPDATE bridge.token_secrets SET expires_at = now() - interval '1 second' "
        "WHERE digest = $1",
        old_digest,
    )
    assert not await accepted(bridges, created["token"])
    assert await accepted(bridges, rotated["token"])
    assert await accepted(bridges, newest["token"])


async def test_concurrent_rotations_leave_one_current_secret(
    client: httpx.AsyncClient,
    business: Business,
    bridges: BridgeTokenVerifier,
    connect_as: Connect,
) -> None:
    """Both rotations are made to overlap: the first secret's row is held locked from outside
    until both are waiting. Without the token's lock, each would then miss the other's new
    secret, and both new secrets would stay valid for ever."""
    created = await create(client, business)
    path = f"{TOKENS}/{created['id']}/rotate"
    holder = await connect_as("bridge")
    hold = holder.transaction()
    await hold.start()
    await bind_tenant(holder, business.tenant)
    await holder.execute(
        "SELECT 1 FROM bridge.token_secrets WHERE token_id = $1 FOR UPDATE",
        uuid.UUID(created["id"]),
    )
    rotations = [
        asyncio.create_task(
            client.post(path, json={"grace_period_seconds": 0}, auth=business.owner)
        )
        for _ in range(2)
    ]
    await wait_for_lock_waiters(await connect_as("bridge"), 2)
    await hold.commit()
    responses = await asyncio.gather(*rotations)
    assert [response.status_code for response in responses] == [200, 200]
    tokens = [response.json()["token"] for response in responses]
    current = await as_bridge(
        connect_as,
        business.tenant,
        "SELECT digest FROM bridge.token_secrets WHERE token_id = $1 AND expires_at IS NULL",
        uuid.UUID(created["id"]),
    )
    assert len(current) == 1
    [winner] = [token for token in tokens if await accepted(bridges, token)]
    assert bytes(current[0]["digest"]) == hashlib.sha256(winner.encode()).digest()
    shown = (await client.get(f"{TOKENS}/{created['id']}", auth=business.owner)).json()
    assert shown["hint"] == winner[-4:]
    assert not await accepted(bridges, created["token"])


@pytest.mark.parametrize("grace", [-1, 604_801, "soon"])
async def test_a_grace_period_outside_a_week_is_refused(
    client: httpx.AsyncClient,
    business: Business,
    bridges: BridgeTokenVerifier,
    grace: Any,
) -> None:
    created = await create(client, business)
    response = await client.post(
        f"{TOKENS}/{created['id']}/rotate",
        json={"grace_period_seconds": grace},
        auth=business.owner,
    )
    assert response.status_code == 422, response.text
    assert await accepted(bridges, created["token"])
    shown = (await client.get(f"{TOKENS}/{created['id']}", auth=business.owner)).json()
    assert shown["rotated_at"] is None


async def test_rotating_an_unknown_token_is_404(
    client: httpx.AsyncClient, business: Business
) -> None:
    response = await client.post(f"{TOKENS}/{uuid.uuid4()}/rotate", json={}, auth=business.owner)
    assert response.status_code == 404
    assert response.json()["code"] == "bridge-token-not-found"


# -- revoke ----------------------------------------------------------------------------------


async def test_revoking_stops_every_secret_and_cannot_be_rotated_back(
    client: httpx.AsyncClient,
    business: Business,
    bridges: BridgeTokenVerifier,
    connect_as: Connect,
) -> None:
    created = await create(client, business)
    rotated = await rotate(client, business, created["id"], grace=3600)
    assert await accepted(bridges, created["token"])

    path = f"{TOKENS}/{created['id']}"
    first = await client.post(f"{path}/revoke", json={}, auth=business.owner)
    assert first.status_code == 200, first.text
    revoked = first.json()
    assert "token" not in revoked
    assert revoked["revoked_at"] is not None
    assert revoked["revoked_by"] == business.owner_subject
    assert not await accepted(bridges, created["token"])  # still in its grace period
    assert not await accepted(bridges, rotated["token"])

    refused = await client.post(f"{path}/rotate", json={}, auth=business.owner)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "bridge-token-revoked"
    assert not await accepted(bridges, rotated["token"])
    secrets = await as_bridge(
        connect_as,
        business.tenant,
        "SELECT digest FROM bridge.token_secrets WHERE token_id = $1",
        uuid.UUID(created["id"]),
    )
    assert len(secrets) == 2

    unexpected = await client.post(f"{path}/revoke", json={"reason": "x"}, auth=business.owner)
    assert unexpected.status_code == 422, unexpected.text
    second = await client.post(f"{path}/revoke", auth=business.owner)
    assert second.status_code == 200, second.text
    assert second.json() == revoked
    actions = [event["action"] for event in await audit_events(connect_as, business.tenant)]
    assert actions.count("bridge_token.revoked") == 1
    unknown = await client.post(f"{TOKENS}/{uuid.uuid4()}/revoke", json={}, auth=business.owner)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "bridge-token-not-found"


# -- audit -----------------------------------------------------------------------------------


async def test_every_change_is_audited_in_its_own_transaction_without_the_secret(
    client: httpx.AsyncClient, business: Business, connect_as: Connect
) -> None:
    created = await create(client, business)
    token_id = uuid.UUID(created["id"])
    # The first secret's row: the token's own is written in a savepoint (a subtransaction,
    # with an id of its own).
    [after_create] = await as_bridge(
        connect_as,
        business.tenant,
        "SELECT xmin::text AS transaction FROM bridge.token_secrets WHERE token_id = $1",
        token_id,
    )
    rotated = await rotate(client, business, created["id"], grace=60)
    [new_secret] = await as_bridge(
        connect_as,
        business.tenant,
        "SELECT xmin::text AS transaction FROM bridge.token_secrets WHERE digest = $1",
        hashlib.sha256(rotated["token"].encode()).digest(),
    )
    revoke = await client.post(f"{TOKENS}/{created['id']}/revoke", json={}, auth=business.owner)
    assert revoke.status_code == 200
    [after_revoke] = await as_bridge(
        connect_as,
        business.tenant,
        "SELECT xmin::text AS transaction FROM bridge.tokens WHERE id = $1",
        token_id,
    )

    events = await audit_events(connect_as, business.tenant)
    assert [event["action"] for event in events] == [
        "bridge_token.created",
        "bridge_token.rotated",
        "bridge_token.revoked",
    ]
    for event in events:
        assert event["actor_type"] == "owner"
        assert event["actor_id"] == business.owner_subject
        assert event["resource_type"] == "bridge_token"
        assert event["resource_id"] == created["id"]
        assert event["service"] == "bridge"
        text = json.dumps(event["payload"])
        for token in (created["token"], rotated["token"]):
            assert token not in text
            assert secret_of(token) not in text
            assert hashlib.sha256(token.encode()).hexdigest() not in text
    created_event, rotated_event, revoked_event = events
    assert created_event["payload"] == {
        "location_id": str(business.location),
        "name": created["name"],
        "hint": created["hint"],
    }
    assert rotated_event["payload"]["grace_period_seconds"] == 60
    assert rotated_event["payload"]["hint"] == rotated["hint"]
    assert revoked_event["payload"]["location_id"] == str(business.location)
    # Each audit row was written by the transaction that made the change it records.
    assert created_event["transaction"] == after_create["transaction"]
    assert rotated_event["transaction"] == new_secret["transaction"]
    assert revoked_event["transaction"] == after_revoke["transaction"]


# -- both layers -----------------------------------------------------------------------------


async def test_revoked_and_rotated_out_tokens_are_refused_at_both_layers(
    live_stack: LiveStack, provision: Provision, connect_as: Connect, token: TokenFactory
) -> None:
    business = await open_business(provision, connect_as, token)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        to_revoke = await create(gateway, business, "Revoked Bridge")
        revoked = await gateway.post(
            f"{TOKENS}/{to_revoke['id']}/revoke", json={}, auth=business.owner
        )
        assert revoked.status_code == 200, revoked.text
        to_rotate = await create(gateway, business, "Rotated Bridge")
        rotated = await rotate(gateway, business, to_rotate["id"], grace=0)

    refused = {"revoked": to_revoke["token"], "rotated out": to_rotate["token"]}
    layers = {"gateway": live_stack.gateway, "service": live_stack.services["bridge"]}
    for layer, base in layers.items():
        async with httpx.AsyncClient(base_url=base) as http:
            for name, bridge_token in refused.items():
                response = await http.get(
                    "/v1/print-jobs",
                    params={"wait": 0},
                    headers={"Authorization": f"Bearer {bridge_token}"},
                )
                assert response.status_code == 401, (layer, name, response.text)
                assert response.json()["code"] == "invalid-bridge-token", (layer, name)
                assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
            valid = await http.get(
                "/v1/print-jobs",
                params={"wait": 0},
                headers={"Authorization": f"Bearer {rotated['token']}"},
            )
            assert valid.status_code not in (401, 403), (layer, valid.text)
            assert valid.status_code == 200, (layer, valid.status_code, valid.text)
