"""Devices: activation codes, activation with a proven key, listing and revocation.

Against the identity service in-process, on the real database; rows are read back as the
service roles under row-level security.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth, activate
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.tenants.service import create_location, create_tenant
from tests.support.database import Connect, as_identity, as_service, as_tenant
from tests.support.tokens import PUBLIC_URL, TokenFactory

ACTIVATE = "/v1/devices/activate"
CODES = "/v1/devices/activation-codes"


@dataclass(frozen=True)
class Venue:
    tenant: uuid.UUID
    location: uuid.UUID
    manager: DPoPAuth


async def open_venue(
    database: TenantDatabase, token: TokenFactory, tenant_id: uuid.UUID | None = None
) -> Venue:
    tenant = await create_tenant(
        database,
        name="Harbour Lane Cafe",
        region="au",
        currency="AUD",
        tenant_id=tenant_id or uuid.uuid4(),
    )
    location = await create_location(
        database,
        tenant_id=tenant.tenant_id,
        name="Front counter",
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=3,
        location_id=uuid.uuid4(),
    )
    manager = token(tenant.tenant_id, Role.MANAGER, subject="staff-manager-1")
    return Venue(tenant.tenant_id, location.location_id, manager)


@pytest.fixture
async def venue(service_databases: dict[str, TenantDatabase], token: TokenFactory) -> Venue:
    return await open_venue(service_databases["identity"], token)


@pytest.fixture
async def other_venue(service_databases: dict[str, TenantDatabase], token: TokenFactory) -> Venue:
    return await open_venue(service_databases["identity"], token)


async def new_code(
    client: httpx.AsyncClient, venue: Venue, device_name: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"location_id": str(venue.location)}
    if device_name is not None:
        body["device_name"] = device_name
    response = await client.post(CODES, json=body, auth=venue.manager)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def post_activation(
    client: httpx.AsyncClient,
    code: str,
    key: DeviceKey,
    *,
    public_jwk: dict[str, Any] | None = None,
    name: str | None = None,
    headers: dict[str, str] | None = None,
    signed: bool = True,
) -> httpx.Response:
    """An activation request; signed by `key` unless told otherwise."""
    body: dict[str, Any] = {"code": code, "public_jwk": public_jwk or key.public_jwk()}
    if name is not None:
        body["name"] = name
    if not signed:
        return await client.post(ACTIVATE, json=body, headers=headers)
    auth = DPoPAuth(key, public_url=PUBLIC_URL)
    return await client.post(ACTIVATE, json=body, auth=auth, headers=headers)


async def audit_events(connect_as: Connect, tenant: uuid.UUID) -> list[dict[str, Any]]:
    found = await as_service(
        connect_as,
        "audit",
        tenant,
        "SELECT action, actor_type, actor_id, resource_type, resource_id, payload "
        "FROM audit.events ORDER BY seq",
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in found]


async def stored_code(connect_as: Connect, tenant: uuid.UUID, code: str) -> Any:
    digest = hashlib.sha256(code.encode()).hexdigest()
    [row] = await as_service(
        connect_as,
        "identity",
        tenant,
        f"SELECT * FROM identity.activation_codes WHERE code_hash = '\\x{digest}'::bytea",
    )
    return row


def assert_invalid_code(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["code"] == "invalid-activation-code"
    return problem


def with_tenant(code: str, tenant: uuid.UUID) -> str:
    kind, _, secret = code.split("_", 2)
    return f"{kind}_{tenant.hex}_{secret}"


async def test_a_manager_creates_a_code_and_devices_activate_with_either_key_type(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    first = await new_code(identity_client, venue, device_name="Till 1")
    assert first["location_id"] == str(venue.location)
    assert first["device_name"] == "Till 1"
    assert first["code"].startswith(f"hpa_{venue.tenant.hex}_")

    stored = await stored_code(connect_as, venue.tenant, first["code"])
    assert stored["used_at"] is None and stored["created_by"] == "staff-manager-1"
    lifetime = stored["expires_at"] - stored["created_at"]
    assert lifetime.total_seconds() == 600

    es256 = DeviceKey.generate("ES256")
    till = await activate(identity_client, code=first["code"], key=es256, public_url=PUBLIC_URL)
    assert till.location_id == str(venue.location)
    assert till.device == f"hpd_{venue.tenant.hex}_{uuid.UUID(till.device_id).hex}"

    # No name from the manager: the device names itself. Codes are typed case-insensitively.
    second = await new_code(identity_client, venue)
    kind, tenant_part, secret = second["code"].split("_")
    eddsa = DeviceKey.generate("EdDSA")
    response = await post_activation(
        identity_client,
        f"{kind}_{tenant_part}_{secret.lower()}",
        eddsa,
        public_jwk=eddsa.public_jwk() | {"kid": "mine", "use": "sig"},
        name="Kitchen till",
    )
    assert response.status_code == 201, response.text
    kitchen = response.json()
    assert set(kitchen) == {"device", "device_id", "location_id", "name", "activated_at"}
    assert kitchen["name"] == "Kitchen till"

    listed = await identity_client.get("/v1/devices", auth=venue.manager)
    assert listed.status_code == 200, listed.text
    items = {item["id"]: item for item in listed.json()["items"]}
    assert set(items) == {till.device_id, kitchen["device_id"]}
    assert items[till.device_id]["name"] == "Till 1"
    assert items[till.device_id]["key_thumbprint"] == es256.thumbprint()
    assert items[kitchen["device_id"]]["key_thumbprint"] == eddsa.thumbprint()
    assert {item["status"] for item in items.values()} == {"active"}

    [device] = await as_service(
        connect_as,
        "identity",
        venue.tenant,
        f"SELECT * FROM identity.devices WHERE id = '{kitchen['device_id']}'",
    )
    # Only the members that identify the key are kept.
    assert json.loads(device["public_jwk"]) == eddsa.public_jwk()
    assert device["activated_by"] == "staff-manager-1"
    used = await stored_code(connect_as, venue.tenant, second["code"])
    assert used["used_at"] is not None and str(used["device_id"]) == kitchen["device_id"]

    audit = await audit_events(connect_as, venue.tenant)
    created = [event for event in audit if event["action"] == "device.activation_code_created"]
    assert len(created) == 2
    assert created[0]["payload"]["location_id"] == str(venue.location)
    assert created[0]["actor_id"] == "staff-manager-1"
    for event in created:
        assert first["code"] not in json.dumps(event) and second["code"] not in json.dumps(event)
        assert secret not in json.dumps(event)
    activated = [event for event in audit if event["action"] == "device.activated"]
    assert [(event["actor_type"], event["actor_id"]) for event in activated] == [
        ("device", till.device_id),
        ("device", kitchen["device_id"]),
    ]
    assert activated[1]["payload"]["key_thumbprint"] == eddsa.thumbprint()
    assert activated[1]["payload"]["activation_code_created_by"] == "staff-manager-1"
    assert activated[1]["payload"]["location_id"] == str(venue.location)


async def test_devices_are_listed_a_page_at_a_time(
    venue: Venue, identity_client: httpx.AsyncClient
) -> None:
    activated = []
    for _ in range(3):
        code = await new_code(identity_client, venue)
        device = await activate(
            identity_client, code=code["code"], key=DeviceKey.generate(), public_url=PUBLIC_URL
        )
        activated.append(device.device_id)
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(3):
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = await identity_client.get("/v1/devices", params=params, auth=venue.manager)
        assert page.status_code == 200, page.text
        seen += [item["id"] for item in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(activated)
    assert len(seen) == 3


async def test_a_code_activates_one_device_only(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    code = (await new_code(identity_client, venue))["code"]
    first = await post_activation(identity_client, code, DeviceKey.generate())
    assert first.status_code == 201, first.text

    intruder = DeviceKey.generate()
    again = await post_activation(identity_client, code, intruder)
    assert_invalid_code(again)
    devices = await as_service(
        connect_as, "identity", venue.tenant, "SELECT id FROM identity.devices"
    )
    assert [str(device["id"]) for device in devices] == [first.json()["device_id"]]
    assert (
        str((await stored_code(connect_as, venue.tenant, code))["device_id"])
        == (first.json()["device_id"])
    )
    [failure] = [
        event
        for event in await audit_events(connect_as, venue.tenant)
        if event["action"] == "device.activation_failed"
    ]
    assert failure["payload"]["reason"] == "code-used"
    assert failure["payload"]["key_thumbprint"] == intruder.thumbprint()
    assert failure["payload"]["device_id"] == first.json()["device_id"]


async def test_an_expired_code_is_refused(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    code = (await new_code(identity_client, venue))["code"]
    identity = await connect_as("identity")
    async with as_tenant(identity, venue.tenant):
        changed = await identity.execute(
            "UPDATE identity.activation_codes SET expires_at = now() - interval '1 second' "
            "WHERE code_hash = $1",
            hashlib.sha256(code.encode()).digest(),
        )
    assert changed == "UPDATE 1"

    assert_invalid_code(await post_activation(identity_client, code, DeviceKey.generate()))
    assert await as_identity(connect_as, venue.tenant, "SELECT 1 FROM identity.devices") == []
    assert (await stored_code(connect_as, venue.tenant, code))["used_at"] is None
    failures = [
        event["payload"]["reason"]
        for event in await audit_events(connect_as, venue.tenant)
        if event["action"] == "device.activation_failed"
    ]
    assert failures == ["code-expired"]


async def test_concurrent_activations_with_one_code_register_one_device(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    code = (await new_code(identity_client, venue))["code"]
    keys = [DeviceKey.generate() for _ in range(5)]
    # Open enough pooled connections first: otherwise the request that finds one idle
    # finishes before the others have connected, and nothing runs concurrently at all.
    await asyncio.gather(
        *(identity_client.get("/v1/devices", auth=venue.manager) for _ in range(len(keys)))
    )
    answers = await asyncio.gather(*(post_activation(identity_client, code, key) for key in keys))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201, 400, 400, 400, 400], [answer.text for answer in answers]
    for answer in answers:
        if answer.status_code == 400:
            assert_invalid_code(answer)
    [winner] = [answer.json() for answer in answers if answer.status_code == 201]
    devices = await as_service(
        connect_as, "identity", venue.tenant, "SELECT id FROM identity.devices"
    )
    assert [str(device["id"]) for device in devices] == [winner["device_id"]]
    audit = await audit_events(connect_as, venue.tenant)
    assert sum(event["action"] == "device.activated" for event in audit) == 1
    assert sum(event["action"] == "device.activation_failed" for event in audit) == 4


async def test_the_proof_must_come_from_the_key_being_registered(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    code = (await new_code(identity_client, venue))["code"]
    signer, claimed = DeviceKey.generate(), DeviceKey.generate()
    mismatched = await post_activation(
        identity_client, code, signer, public_jwk=claimed.public_jwk()
    )
    assert mismatched.status_code == 400, mismatched.text
    assert mismatched.json()["code"] == "device-key-not-proven"

    unsigned = await post_activation(identity_client, code, claimed, signed=False)
    assert unsigned.status_code == 401, unsigned.text
    assert (unsigned.json()["code"], unsigned.json()["check"]) == ("invalid-dpop-proof", "missing")

    # A proof for another URL (here: the code endpoint) does not prove anything here either.
    elsewhere = claimed.proof("POST", PUBLIC_URL + CODES)
    misdirected = await post_activation(
        identity_client, code, claimed, signed=False, headers={"DPoP": elsewhere}
    )
    assert misdirected.status_code == 401, misdirected.text
    assert misdirected.json()["code"] == "invalid-dpop-proof"
    assert misdirected.json()["check"] == "htu-mismatch"

    # None of that changed anything: the code still activates the right key.
    assert await as_identity(connect_as, venue.tenant, "SELECT 1 FROM identity.devices") == []
    assert (await stored_code(connect_as, venue.tenant, code))["used_at"] is None
    assert (await post_activation(identity_client, code, claimed)).status_code == 201


async def test_a_replayed_proof_is_refused(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    first, second = [(await new_code(identity_client, venue))["code"] for _ in range(2)]
    key = DeviceKey.generate()
    proof = key.proof("POST", PUBLIC_URL + ACTIVATE)
    used = await post_activation(identity_client, first, key, signed=False, headers={"DPoP": proof})
    assert used.status_code == 201, used.text

    replayed = await post_activation(
        identity_client, second, key, signed=False, headers={"DPoP": proof}
    )
    assert replayed.status_code == 401, replayed.text
    assert (replayed.json()["code"], replayed.json()["check"]) == ("invalid-dpop-proof", "replayed")
    assert (await stored_code(connect_as, venue.tenant, second))["used_at"] is None


async def test_a_key_is_registered_once(
    venue: Venue, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    key = DeviceKey.generate()
    first, second = [(await new_code(identity_client, venue))["code"] for _ in range(2)]
    assert (await post_activation(identity_client, first, key)).status_code == 201
    again = await post_activation(identity_client, second, key)
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "device-key-registered"
    # The refused activation left its code usable, with a new key.
    assert (await stored_code(connect_as, venue.tenant, second))["used_at"] is None
    assert (await post_activation(identity_client, second, DeviceKey.generate())).status_code == 201


@pytest.mark.parametrize(
    "public_jwk",
    [
        pytest.param({"d": "c2VjcmV0LXNjYWxhci1vZi1hLXByaXZhdGUta2V5LTMyYg"}, id="private"),
        pytest.param({"kty": "RSA", "n": "AQAB", "e": "AQAB"}, id="rsa"),
        pytest.param({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}, id="p384"),
        pytest.param({"kty": "oct", "k": "c2VjcmV0"}, id="symmetric"),
    ],
)
async def test_only_public_keys_of_accepted_types_are_registered(
    public_jwk: dict[str, Any], venue: Venue, identity_client: httpx.AsyncClient
) -> None:
    code = (await new_code(identity_client, venue))["code"]
    key = DeviceKey.generate()
    jwk = key.public_jwk() | public_jwk if "d" in public_jwk else public_jwk
    response = await post_activation(identity_client, code, key, public_jwk=jwk)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["location"] == ["body", "public_jwk"]
    # Nothing was spent: the code still works.
    assert (await post_activation(identity_client, code, key)).status_code == 201


async def test_every_wrong_code_gets_the_same_answer_and_changes_nothing(
    venue: Venue,
    other_venue: Venue,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    code = (await new_code(identity_client, venue))["code"]
    kind, tenant_part, secret = code.split("_")
    wrong_secret = "Z" * len(secret) if secret != "Z" * len(secret) else "Y" * len(secret)
    audit_before = {
        tenant: len(await audit_events(connect_as, tenant))
        for tenant in (venue.tenant, other_venue.tenant)
    }
    attempts = {
        "wrong secret": f"{kind}_{tenant_part}_{wrong_secret}",
        "another business": with_tenant(code, other_venue.tenant),
        "no such business": with_tenant(code, uuid.uuid4()),
        "malformed": "hpa_not-a-code",
        "another kind": f"hpr_{tenant_part}_{secret}",
        "empty": "",
    }
    problems = {}
    for name, attempt in attempts.items():
        response = await post_activation(identity_client, attempt, DeviceKey.generate())
        problems[name] = assert_invalid_code(response)
        # Without a proof too: the answer never depends on which part was wrong.
        unsigned = await post_activation(
            identity_client, attempt, DeviceKey.generate(), signed=False
        )
        assert assert_invalid_code(unsigned) == problems[name], name
    assert len({json.dumps(problem, sort_keys=True) for problem in problems.values()}) == 1

    for tenant, count in audit_before.items():
        assert len(await audit_events(connect_as, tenant)) == count
    for tenant in (venue.tenant, other_venue.tenant):
        assert await as_identity(connect_as, tenant, "SELECT 1 FROM identity.devices") == []
        # No activation proof was spent (the manager's own proofs are in another namespace).
        spent = await as_service(
            connect_as,
            "identity",
            tenant,
            "SELECT 1 FROM auth.spent_tokens WHERE namespace = 'dpop:identity-sign-in'",
        )
        assert spent == []
    # The real code is untouched.
    assert (await post_activation(identity_client, code, DeviceKey.generate())).status_code == 201


async def test_codes_are_only_for_locations_of_the_business(
    venue: Venue, other_venue: Venue, identity_client: httpx.AsyncClient
) -> None:
    for location in (other_venue.location, uuid.uuid4()):
        response = await identity_client.post(
            CODES, json={"location_id": str(location)}, auth=venue.manager
        )
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "location-not-found"
    extra = await identity_client.post(
        CODES, json={"location_id": str(venue.location), "tenant_id": "x"}, auth=venue.manager
    )
    assert extra.status_code == 422


@pytest.mark.parametrize("role", [Role.CASHIER, Role.ACCOUNTANT])
async def test_cashiers_and_accountants_cannot_manage_devices(
    role: Role, venue: Venue, token: TokenFactory, identity_client: httpx.AsyncClient
) -> None:
    auth = token(venue.tenant, role)
    attempts = [
        ("POST", CODES, {"location_id": str(venue.location)}),
        ("GET", "/v1/devices", None),
        ("POST", f"/v1/devices/{uuid.uuid4()}/revoke", None),
    ]
    for method, path, body in attempts:
        response = await identity_client.request(method, path, json=body, auth=auth)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["code"] == "permission-denied"
    owner = token(venue.tenant, Role.OWNER)
    allowed = await identity_client.post(CODES, json=attempts[0][2], auth=owner)
    assert allowed.status_code == 201, allowed.text


async def test_revoking_a_device_ends_its_sessions_once(
    venue: Venue,
    other_venue: Venue,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    code = (await new_code(identity_client, venue, device_name="Till 2"))["code"]
    key = DeviceKey.generate()
    device = await activate(identity_client, code=code, key=key, public_url=PUBLIC_URL)

    # A staff member signed in on the device: a session with a live refresh token.
    staff_id, session_id = uuid.uuid4(), uuid.uuid4()
    identity = await connect_as("identity")
    async with as_tenant(identity, venue.tenant):
        await identity.execute(
            "INSERT INTO identity.staff (id, email, display_name, role) "
            "VALUES ($1, $2, 'Sam', 'cashier')",
            staff_id,
            f"sam.{staff_id.hex[:8]}@harbourlane.example",
        )
        await identity.execute(
            "INSERT INTO identity.sessions (id, kind, staff_id, device_id, location_id, "
            "key_thumbprint, expires_at) VALUES ($1, 'pos', $2, $3, $4, $5, now() + '1 hour')",
            session_id,
            staff_id,
            uuid.UUID(device.device_id),
            venue.location,
            key.thumbprint(),
        )
        await identity.execute(
            "INSERT INTO identity.refresh_tokens (id, session_id, token_hash, expires_at) "
            "VALUES ($1, $2, $3, now() + '1 hour')",
            uuid.uuid4(),
            session_id,
            b"\x01" * 32,
        )

    path = f"/v1/devices/{device.device_id}/revoke"
    stranger = await identity_client.post(path, auth=other_venue.manager)
    assert stranger.status_code == 404, stranger.text
    assert stranger.json()["code"] == "device-not-found"
    unknown = await identity_client.post(f"/v1/devices/{uuid.uuid4()}/revoke", auth=venue.manager)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "device-not-found"

    revoked = await identity_client.post(path, auth=venue.manager)
    assert revoked.status_code == 200, revoked.text
    body = revoked.json()
    assert (body["id"], body["status"], body["name"]) == (device.device_id, "revoked", "Till 2")
    assert body["revoked_at"] is not None

    [session] = await as_service(
        connect_as,
        "identity",
        venue.tenant,
        f"SELECT revoked_at, revoked_reason FROM identity.sessions WHERE id = '{session_id}'",
    )
    assert session["revoked_at"] is not None and session["revoked_reason"] == "device-revoked"
    tokens = await as_service(
        connect_as, "identity", venue.tenant, "SELECT revoked_at FROM identity.refresh_tokens"
    )
    assert [token["revoked_at"] is not None for token in tokens] == [True]
    [stored] = await as_service(
        connect_as,
        "identity",
        venue.tenant,
        f"SELECT revoked_by FROM identity.devices WHERE id = '{device.device_id}'",
    )
    assert stored["revoked_by"] == "staff-manager-1"

    again = await identity_client.post(path, auth=venue.manager)
    assert again.status_code == 200, again.text
    assert again.json() == body

    revocations = [
        event
        for event in await audit_events(connect_as, venue.tenant)
        if event["action"] == "device.revoked"
    ]
    assert len(revocations) == 1
    assert revocations[0]["resource_id"] == device.device_id
    assert revocations[0]["actor_id"] == "staff-manager-1"
    assert revocations[0]["payload"]["ended_session_ids"] == [str(session_id)]
    assert not [
        event
        for event in await audit_events(connect_as, other_venue.tenant)
        if event["action"].startswith("device.")
    ]

    listed = await identity_client.get("/v1/devices", auth=venue.manager)
    assert [item["status"] for item in listed.json()["items"]] == ["revoked"]
    assert (await identity_client.get("/v1/devices", auth=other_venue.manager)).json() == {
        "items": [],
        "next_cursor": None,
    }


async def test_a_tenant_whose_id_looks_like_a_card_number_can_activate_devices(
    service_databases: dict[str, TenantDatabase],
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
) -> None:
    # 4111111111111111 is the well-known Visa test number.
    tenant = uuid.UUID(hex="4111111111111111" + "abcdef" * 2 + "abcd")
    venue = await open_venue(service_databases["identity"], token, tenant_id=tenant)
    code = (await new_code(identity_client, venue))["code"]
    response = await post_activation(identity_client, code, DeviceKey.generate())
    assert response.status_code == 201, response.text
