"""Staff assigned to locations, against the real Postgres: who may assign whom, what the
database itself refuses, and the scope that reaches their sessions (a backoffice token's
`locs`, read again at every refresh; PIN sign-in only at tills of their own locations)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import jwt
import pyotp
import pytest

from clients.dpop import DeviceKey
from clients.session import Device, DPoPAuth, activate
from libs.auth.access_tokens import MAX_VENUES, TokenVerifier
from libs.config import platform_settings
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.keys.signing import SigningKey, mint_access_token
from services.identity.tenants.service import create_location
from tests.support.database import Connect, Provision, as_identity
from tests.support.tokens import PUBLIC_URL, TokenFactory

SETTINGS = platform_settings()
PASSWORD = "correct horse battery staple"
PIN = "482916"


@dataclass
class Business:
    """A business with two locations and an owner's and a manager's access tokens (neither
    limited to a location)."""

    tenant: uuid.UUID
    owner: DPoPAuth
    manager: DPoPAuth
    front: uuid.UUID  # the front bar
    garden: uuid.UUID  # the beer garden


async def new_location(
    databases: dict[str, TenantDatabase], tenant: uuid.UUID, name: str
) -> uuid.UUID:
    location = await create_location(
        databases["identity"],
        tenant_id=tenant,
        name=name,
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=4,
    )
    return location.location_id


@pytest.fixture
async def business(
    provision: Provision, token: TokenFactory, service_databases: dict[str, TenantDatabase]
) -> Business:
    tenant = await provision()
    front = await new_location(service_databases, tenant, "Front bar")
    garden = await new_location(service_databases, tenant, "Beer garden")
    return Business(tenant, token(tenant, Role.OWNER), token(tenant, Role.MANAGER), front, garden)


def manager_of(
    signing_key: SigningKey, business: Business, *venues: uuid.UUID, subject: str | None = None
) -> DPoPAuth:
    """A backoffice manager's access token that reaches these locations only."""
    key = DeviceKey.generate()
    access_token = mint_access_token(
        signing_key,
        issuer=SETTINGS.jwt_issuer,
        audience=SETTINGS.jwt_audience,
        subject=subject or str(uuid.uuid4()),
        tenant_id=business.tenant,
        role="manager",
        key_thumbprint=key.thumbprint(),
        venues=venues,
    )
    return DPoPAuth(key, access_token, public_url=PUBLIC_URL)


def person(role: str, **fields: Any) -> dict[str, Any]:
    return {
        "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": f"A {role}",
        "role": role,
        **fields,
    }


async def add(
    client: httpx.AsyncClient, auth: DPoPAuth, role: str, **fields: Any
) -> dict[str, Any]:
    created = await client.post("/v1/staff", json=person(role, **fields), auth=auth)
    assert created.status_code == 201, created.text
    member: dict[str, Any] = created.json()
    return member


def ids(*locations: uuid.UUID) -> list[str]:
    """Location ids as the API answers them: sorted, canonical."""
    return sorted(str(location) for location in locations)


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    rows = await as_identity(
        connect_as,
        tenant,
        "SELECT actor_type, resource_id, payload FROM audit.events WHERE action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


def problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code, response.text


# --- assigning locations ---------------------------------------------------------------------


async def test_staff_work_at_every_location_unless_an_owner_lists_some(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    everywhere = await add(identity_client, business.owner, "cashier")
    assert everywhere["location_ids"] is None

    listed = [str(business.garden), str(business.front), str(business.front).upper()]
    cashier = await add(identity_client, business.owner, "cashier", location_ids=listed)
    assert cashier["location_ids"] == ids(business.front, business.garden)
    stored = await as_identity(
        connect_as,
        business.tenant,
        "SELECT s.all_locations, array_agg(l.location_id ORDER BY l.location_id) AS listed "
        "FROM identity.staff s LEFT JOIN identity.staff_locations l ON l.staff_id = s.id "
        "WHERE s.id = $1 GROUP BY s.all_locations",
        uuid.UUID(cashier["id"]),
    )
    assert [(row["all_locations"], ids(*row["listed"])) for row in stored] == [
        (False, ids(business.front, business.garden))
    ]

    url = f"/v1/staff/{cashier['id']}"
    renamed = await identity_client.patch(
        url, json={"version": 1, "display_name": "Sam"}, auth=business.owner
    )
    assert renamed.json()["location_ids"] == ids(business.front, business.garden)
    narrowed = await identity_client.patch(
        url, json={"version": 2, "location_ids": [str(business.front)]}, auth=business.owner
    )
    assert narrowed.status_code == 200, narrowed.text
    assert (narrowed.json()["location_ids"], narrowed.json()["version"]) == (ids(business.front), 3)
    unchanged = await identity_client.patch(
        url, json={"version": 3, "location_ids": [str(business.front)]}, auth=business.owner
    )
    assert unchanged.json()["version"] == 3
    everywhere_again = await identity_client.patch(
        url, json={"version": 3, "location_ids": None}, auth=business.owner
    )
    assert everywhere_again.json()["location_ids"] is None
    assert everywhere_again.json()["version"] == 4
    assert (
        await as_identity(
            connect_as,
            business.tenant,
            "SELECT 1 FROM identity.staff_locations WHERE staff_id = $1",
            uuid.UUID(cashier["id"]),
        )
        == []
    )

    [created] = [
        row
        for row in await audit_rows(connect_as, business.tenant, "staff.created")
        if row["resource_id"] == cashier["id"]
    ]
    assert created["payload"]["location_ids"] == ids(business.front, business.garden)
    changes = [
        row["payload"]["changes"]
        for row in await audit_rows(connect_as, business.tenant, "staff.updated")
        if row["resource_id"] == cashier["id"]
    ]
    assert changes == [
        {"display_name": ["A cashier", "Sam"]},
        {"location_ids": [ids(business.front, business.garden), ids(business.front)]},
        {"location_ids": [ids(business.front), None]},
    ]


@pytest.mark.parametrize("listed", [[], [str(uuid.uuid4()) for _ in range(MAX_VENUES + 1)]])
async def test_a_list_names_at_least_one_location_and_at_most_fifty(
    listed: list[str], business: Business, identity_client: httpx.AsyncClient
) -> None:
    response = await identity_client.post(
        "/v1/staff", json=person("cashier", location_ids=listed), auth=business.owner
    )
    problem(response, 422, "validation-failed")


async def test_an_unknown_location_and_another_businesss_are_refused_alike(
    business: Business,
    identity_client: httpx.AsyncClient,
    provision: Provision,
    service_databases: dict[str, TenantDatabase],
    connect_as: Connect,
) -> None:
    elsewhere = await new_location(service_databases, await provision(), "Their bar")
    cashier = await add(identity_client, business.owner, "cashier")
    answers = []
    for location in (uuid.uuid4(), elsewhere):
        listed = [str(business.front), str(location)]
        created = await identity_client.post(
            "/v1/staff", json=person("cashier", location_ids=listed), auth=business.owner
        )
        changed = await identity_client.patch(
            f"/v1/staff/{cashier['id']}",
            json={"version": 1, "location_ids": listed},
            auth=business.owner,
        )
        for response in (created, changed):
            problem(response, 404, "location-not-found")
            answers.append(response.json())
    assert all(answer == answers[0] for answer in answers)
    # Nothing was created or changed.
    staff = await as_identity(
        connect_as, business.tenant, "SELECT all_locations, version FROM identity.staff"
    )
    assert [tuple(row) for row in staff] == [(True, 1)]


async def test_the_database_refuses_another_businesss_location_or_staff(
    business: Business,
    identity_client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
    connect_as: Connect,
) -> None:
    """Below the service: the foreign keys include tenant_id, and Postgres checks foreign
    keys outside row-level security, so only they stop this."""
    theirs = await provision()
    their_location = await new_location(service_databases, theirs, "Their bar")
    their_cashier = await add(identity_client, token(theirs, Role.OWNER), "cashier")
    ours = await add(identity_client, business.owner, "cashier")
    for staff_id, location_id in (
        (ours["id"], their_location),
        (their_cashier["id"], business.front),
    ):
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await as_identity(
                connect_as,
                business.tenant,
                "INSERT INTO identity.staff_locations (staff_id, location_id) VALUES ($1, $2)",
                uuid.UUID(staff_id),
                location_id,
            )


async def test_managers_assign_cashiers_only(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    front = [str(business.front)]
    cashier = await add(identity_client, business.manager, "cashier", location_ids=front)
    assert cashier["location_ids"] == front
    refused = await identity_client.post(
        "/v1/staff", json=person("manager", location_ids=front), auth=business.manager
    )
    problem(refused, 403, "locations-owners-only")
    # An accountant is not a manager's to create or change at all
    # (tests/identity/test_role_grants.py).
    refused = await identity_client.post(
        "/v1/staff", json=person("accountant", location_ids=front), auth=business.manager
    )
    problem(refused, 403, "role-grant-refused")
    # Without a list, as before: they work at every location.
    colleague = await add(identity_client, business.manager, "manager")
    accountant = await add(identity_client, business.owner, "accountant")
    for member, code in (
        (colleague, "locations-owners-only"),
        (accountant, "staff-role-above-yours"),
    ):
        for listed in (front, None):
            refused = await identity_client.patch(
                f"/v1/staff/{member['id']}",
                json={"version": 1, "location_ids": listed},
                auth=business.manager,
            )
            problem(refused, 403, code)
    # Nor by promoting a cashier in the same change.
    promoted = await identity_client.patch(
        f"/v1/staff/{cashier['id']}",
        json={"version": 1, "role": "manager", "location_ids": [str(business.garden)]},
        auth=business.manager,
    )
    problem(promoted, 403, "locations-owners-only")
    moved = await identity_client.patch(
        f"/v1/staff/{cashier['id']}",
        json={"version": 1, "location_ids": [str(business.garden)]},
        auth=business.manager,
    )
    assert moved.status_code == 200, moved.text
    # An owner assigns anyone.
    owner_assigns = await identity_client.patch(
        f"/v1/staff/{accountant['id']}",
        json={"version": 1, "location_ids": front},
        auth=business.owner,
    )
    assert owner_assigns.json()["location_ids"] == front


async def test_a_manager_of_some_locations_never_reaches_beyond_them(
    business: Business, identity_client: httpx.AsyncClient, signing_key: SigningKey
) -> None:
    front_manager = manager_of(signing_key, business, business.front)
    front, garden = str(business.front), str(business.garden)
    mine = await add(identity_client, front_manager, "cashier", location_ids=[front])
    for fields in (
        {"role": "cashier", "location_ids": [front, garden]},
        {"role": "cashier", "location_ids": [garden]},
        {"role": "cashier", "location_ids": [str(uuid.uuid4())]},
        {"role": "cashier"},  # every location
        {"role": "manager"},  # every location
    ):
        refused = await identity_client.post("/v1/staff", json=person(**fields), auth=front_manager)
        problem(refused, 403, "outside-your-locations")

    url = f"/v1/staff/{mine['id']}"
    for listed in ([front, garden], None):
        widened = await identity_client.patch(
            url, json={"version": 1, "location_ids": listed}, auth=front_manager
        )
        problem(widened, 403, "outside-your-locations")
    renamed = await identity_client.patch(
        url, json={"version": 1, "display_name": "Sam"}, auth=front_manager
    )
    assert renamed.status_code == 200, renamed.text

    # Staff who also (or only) work elsewhere are not theirs to change.
    everywhere = await add(identity_client, business.owner, "cashier")
    both = await add(identity_client, business.owner, "cashier", location_ids=[front, garden])
    for member in (everywhere, both):
        for change in ({"display_name": "Renamed"}, {"active": False}):
            refused = await identity_client.patch(
                f"/v1/staff/{member['id']}", json={"version": 1, **change}, auth=front_manager
            )
            problem(refused, 403, "outside-your-locations")
    # A manager of both may narrow that cashier to one of them.
    both_manager = manager_of(signing_key, business, business.front, business.garden)
    narrowed = await identity_client.patch(
        f"/v1/staff/{both['id']}",
        json={"version": 1, "location_ids": [garden]},
        auth=both_manager,
    )
    assert narrowed.json()["location_ids"] == [garden]


# --- backoffice sessions -----------------------------------------------------------------


def signer(key: DeviceKey) -> DPoPAuth:
    return DPoPAuth(key, public_url=PUBLIC_URL)


async def password_sign_in(
    client: httpx.AsyncClient, key: DeviceKey, business: Business, email: str, **extra: Any
) -> dict[str, Any]:
    body = {"business": str(business.tenant), "email": email, "password": PASSWORD, **extra}
    response = await client.post("/v1/auth/password", json=body, auth=signer(key))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def refresh(client: httpx.AsyncClient, key: DeviceKey, refresh_token: str) -> httpx.Response:
    return await client.post(
        "/v1/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=signer(key),
    )


def claims(access_token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return decoded


async def test_a_backoffice_token_lists_the_locations_and_each_refresh_reads_them_again(
    business: Business, identity_client: httpx.AsyncClient, verifier: TokenVerifier
) -> None:
    manager = await add(
        identity_client,
        business.owner,
        "manager",
        password=PASSWORD,
        location_ids=[str(business.front)],
    )
    key = DeviceKey.generate()
    session = await password_sign_in(identity_client, key, business, manager["email"])
    assert session["status"] == "signed_in"
    assert session["location_ids"] == ids(business.front)
    assert claims(session["access_token"])["locs"] == ids(business.front)
    assert "loc" not in claims(session["access_token"])
    principal = await verifier.verify(session["access_token"])
    assert principal.venues == frozenset({business.front})
    assert principal.reaches(business.front) and not principal.reaches(business.garden)

    url = f"/v1/staff/{manager['id']}"
    both = [str(business.front), str(business.garden)]
    await identity_client.patch(url, json={"version": 1, "location_ids": both}, auth=business.owner)
    refreshed = await refresh(identity_client, key, session["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert claims(refreshed.json()["access_token"])["locs"] == ids(business.front, business.garden)
    assert refreshed.json()["location_ids"] == ids(business.front, business.garden)

    await identity_client.patch(url, json={"version": 2, "location_ids": None}, auth=business.owner)
    everywhere = await refresh(identity_client, key, refreshed.json()["refresh_token"])
    assert everywhere.status_code == 200, everywhere.text
    assert "locs" not in claims(everywhere.json()["access_token"])
    assert everywhere.json()["location_ids"] is None
    assert (await verifier.verify(everywhere.json()["access_token"])).venues is None


async def test_the_second_factor_step_gives_the_same_scope(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    """Signing in through TOTP enrolment reads the staff member with the challenge: the
    token it ends with lists their locations as a password-only sign-in does."""
    manager = await add(
        identity_client,
        business.owner,
        "manager",
        password=PASSWORD,
        location_ids=[str(business.garden)],
    )
    key = DeviceKey.generate()
    started = await password_sign_in(
        identity_client, key, business, manager["email"], enrol_totp=True
    )
    assert started["status"] == "totp_enrolment_required"
    challenge = started["challenge"]
    enrolment = await identity_client.post(
        "/v1/auth/totp/enrolment", json={"challenge": challenge}, auth=signer(key)
    )
    code = pyotp.TOTP(enrolment.json()["secret"]).now()
    confirmed = await identity_client.post(
        "/v1/auth/totp/enrolment/confirm",
        json={"challenge": challenge, "code": code},
        auth=signer(key),
    )
    assert confirmed.status_code == 200, confirmed.text
    session = confirmed.json()["session"]
    assert claims(session["access_token"])["locs"] == ids(business.garden)
    assert session["location_ids"] == ids(business.garden)


# --- tills -------------------------------------------------------------------------------------


async def till_at(
    client: httpx.AsyncClient, business: Business, location: uuid.UUID
) -> tuple[Device, DeviceKey]:
    code = await client.post(
        "/v1/devices/activation-codes", json={"location_id": str(location)}, auth=business.owner
    )
    assert code.status_code == 201, code.text
    key = DeviceKey.generate()
    device = await activate(client, code=code.json()["code"], key=key, public_url=PUBLIC_URL)
    return device, key


async def pin_sign_in(
    client: httpx.AsyncClient, till: tuple[Device, DeviceKey], staff_id: str, pin: str = PIN
) -> httpx.Response:
    device, key = till
    return await client.post(
        "/v1/auth/pin",
        json={"device": device.device, "staff_id": staff_id, "pin": pin},
        auth=signer(key),
    )


async def test_a_pin_works_only_at_tills_of_the_staff_members_locations(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    garden_till = await till_at(identity_client, business, business.garden)
    front_only = await add(
        identity_client, business.owner, "cashier", pin=PIN, location_ids=[str(business.front)]
    )
    refused = await pin_sign_in(identity_client, garden_till, front_only["id"])
    wrong_pin = await pin_sign_in(identity_client, garden_till, front_only["id"], pin="111111")
    # The same answer as a wrong PIN: a different one would confirm the PIN.
    problem(refused, 401, "sign-in-failed")
    assert refused.json() == wrong_pin.json()
    failed = await audit_rows(connect_as, business.tenant, "sign_in.failed")
    assert [row["payload"]["reason"] for row in failed] == ["not-at-this-location", "wrong-pin"]
    assert [row["payload"]["failures"]["staff"] for row in failed] == [1, 2]

    both = await add(
        identity_client,
        business.owner,
        "cashier",
        pin=PIN,
        location_ids=[str(business.front), str(business.garden)],
    )
    everywhere = await add(identity_client, business.owner, "cashier", pin=PIN)
    for member in (both, everywhere):
        signed_in = await pin_sign_in(identity_client, garden_till, member["id"])
        assert signed_in.status_code == 200, signed_in.text
        # A till's session reaches its own location alone, whatever its staff member's list.
        token_claims = claims(signed_in.json()["access_token"])
        assert token_claims["loc"] == str(business.garden)
        assert "locs" not in token_claims
        assert signed_in.json()["location_ids"] == ids(business.garden)


async def test_a_tills_session_ends_when_its_staff_member_leaves_the_location(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    garden_till = await till_at(identity_client, business, business.garden)
    cashier = await add(
        identity_client, business.owner, "cashier", pin=PIN, location_ids=[str(business.garden)]
    )
    signed_in = (await pin_sign_in(identity_client, garden_till, cashier["id"])).json()
    still_here = await refresh(identity_client, garden_till[1], signed_in["refresh_token"])
    assert still_here.status_code == 200, still_here.text

    moved = await identity_client.patch(
        f"/v1/staff/{cashier['id']}",
        json={"version": 1, "location_ids": [str(business.front)]},
        auth=business.owner,
    )
    assert moved.status_code == 200, moved.text
    ended = await refresh(identity_client, garden_till[1], still_here.json()["refresh_token"])
    problem(ended, 401, "invalid-refresh-token")
    [revoked] = await audit_rows(connect_as, business.tenant, "session.revoked")
    assert revoked["resource_id"] == signed_in["session_id"]
    assert revoked["payload"]["reason"] == "staff-not-at-location"


async def test_a_manager_of_some_locations_manages_only_their_tills(
    business: Business, identity_client: httpx.AsyncClient, signing_key: SigningKey
) -> None:
    """Registering, listing and revoking tills: another location's are answered as unknown,
    as another business's are."""
    front_till, _ = await till_at(identity_client, business, business.front)
    garden_till, _ = await till_at(identity_client, business, business.garden)
    front_manager = manager_of(signing_key, business, business.front)

    codes = [
        await identity_client.post(
            "/v1/devices/activation-codes",
            json={"location_id": str(location)},
            auth=front_manager,
        )
        for location in (business.front, business.garden, uuid.uuid4())
    ]
    assert codes[0].status_code == 201, codes[0].text
    for refused in codes[1:]:
        problem(refused, 404, "location-not-found")
    assert codes[1].json() == codes[2].json()

    listed = await identity_client.get("/v1/devices", auth=front_manager)
    assert [device["id"] for device in listed.json()["items"]] == [front_till.device_id]
    everywhere = await identity_client.get("/v1/devices", auth=business.manager)
    assert {device["id"] for device in everywhere.json()["items"]} == {
        front_till.device_id,
        garden_till.device_id,
    }

    not_theirs = await identity_client.post(
        f"/v1/devices/{garden_till.device_id}/revoke", auth=front_manager
    )
    unknown = await identity_client.post(f"/v1/devices/{uuid.uuid4()}/revoke", auth=front_manager)
    problem(not_theirs, 404, "device-not-found")
    assert not_theirs.json() == unknown.json()
    garden_now = await identity_client.get("/v1/devices", auth=business.manager)
    assert {device["status"] for device in garden_now.json()["items"]} == {"active"}
    revoked = await identity_client.post(
        f"/v1/devices/{front_till.device_id}/revoke", auth=front_manager
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
