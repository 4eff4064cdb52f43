"""Staff management: who may create and change whom, credentials hashed, history audited."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from clients.session import DPoPAuth
from libs.rbac import Role
from tests.support.database import Connect, Provision, as_identity
from tests.support.tokens import TokenFactory

PASSWORD = "correct horse battery staple"
# (tenant, owner, manager): the tenant has one active owner on its staff; each auth signs a
# fresh DPoP proof for every request it is used on.
Business = tuple[uuid.UUID, DPoPAuth, DPoPAuth]


def person(role: str, **overrides: Any) -> dict[str, Any]:
    return {
        "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": f"A {role}",
        "role": role,
        **overrides,
    }


@pytest.fixture
async def business(
    provision: Provision, token: TokenFactory, identity_client: httpx.AsyncClient
) -> Business:
    """A tenant with one active owner; returns (tenant, owner auth, manager auth)."""
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    created = await identity_client.post("/v1/staff", json=person("owner"), auth=owner)
    assert created.status_code == 201
    return tenant, owner, token(tenant, Role.MANAGER)


async def test_an_owner_creates_staff_with_hashed_credentials(
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    tenant, owner, _ = business
    body = person("cashier", email="  Sam.Cook@HarbourLane.example ", password=PASSWORD, pin="4821")
    response = await identity_client.post("/v1/staff", json=body, auth=owner)
    assert response.status_code == 201, response.text
    member = response.json()
    assert member["email"] == "sam.cook@harbourlane.example"
    assert (member["has_password"], member["has_pin"], member["active"]) == (True, True, True)
    assert not {"password", "pin", "password_hash", "pin_hash"} & set(member)

    [stored] = await as_identity(
        connect_as, tenant, f"SELECT * FROM identity.staff WHERE id = '{member['id']}'"
    )
    assert stored["password_hash"].startswith("$argon2id$")
    assert PasswordHasher().verify(stored["password_hash"], PASSWORD)
    assert PasswordHasher().verify(stored["pin_hash"], "4821")

    audit = await as_identity(
        connect_as, tenant, "SELECT action, payload FROM audit.events ORDER BY seq"
    )
    assert audit[-1]["action"] == "staff.created"
    recorded = audit[-1]["payload"]
    assert PASSWORD not in recorded and "4821" not in recorded
    assert json.loads(recorded)["pin_set"] is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pin": "12a4"}, "pin"),
        ({"pin": "123"}, "pin"),
        ({"pin": "1234567"}, "pin"),
        ({"password": "short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"role": "superuser"}, "role"),
        ({"tenant_id": str(uuid.uuid4())}, "tenant_id"),
    ],
)
async def test_bad_staff_input_is_refused_and_creates_nothing(
    overrides: dict[str, Any],
    field: str,
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    tenant, owner, _ = business
    response = await identity_client.post(
        "/v1/staff", json=person("cashier") | overrides, auth=owner
    )
    assert response.status_code == 422
    assert any(field in map(str, e["location"]) for e in response.json()["errors"])
    assert len(await as_identity(connect_as, tenant, "SELECT id FROM identity.staff")) == 1


async def test_an_email_is_taken_once_per_business(
    business: Business,
    identity_client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
) -> None:
    _, owner, _ = business
    body = person("cashier", email="jo@harbourlane.example")
    assert (await identity_client.post("/v1/staff", json=body, auth=owner)).status_code == 201
    again = await identity_client.post(
        "/v1/staff", json={**body, "email": "JO@harbourlane.example"}, auth=owner
    )
    assert again.status_code == 409
    assert again.json()["code"] == "staff-email-taken"
    # Another business may employ someone with the same address.
    other_owner = token(await provision(), Role.OWNER)
    elsewhere = await identity_client.post("/v1/staff", json=body, auth=other_owner)
    assert elsewhere.status_code == 201


async def test_a_manager_cannot_create_promote_or_change_an_owner(
    business: Business,
    identity_client: httpx.AsyncClient,
) -> None:
    """The grant rule (libs/rbac/grants.py; every pair in tests/identity/test_role_grants.py)."""
    _, owner, manager = business
    denied = await identity_client.post("/v1/staff", json=person("owner"), auth=manager)
    assert denied.status_code == 403
    assert denied.json()["code"] == "role-grant-refused"

    cashier = (await identity_client.post("/v1/staff", json=person("cashier"), auth=manager)).json()
    promote = await identity_client.patch(
        f"/v1/staff/{cashier['id']}", json={"version": 1, "role": "owner"}, auth=manager
    )
    assert promote.status_code == 403
    assert promote.json()["code"] == "role-grant-refused"

    co_owner = (await identity_client.post("/v1/staff", json=person("owner"), auth=owner)).json()
    for change in ({"active": False}, {"role": "cashier"}, {"display_name": "Renamed"}):
        response = await identity_client.patch(
            f"/v1/staff/{co_owner['id']}", json={"version": 1, **change}, auth=manager
        )
        assert response.status_code == 403, change
        assert response.json()["code"] == "staff-role-above-yours"
    # What a manager may do: manage managers and cashiers.
    renamed = await identity_client.patch(
        f"/v1/staff/{cashier['id']}", json={"version": 1, "display_name": "Sam"}, auth=manager
    )
    assert renamed.status_code == 200
    assert renamed.json()["version"] == 2


async def test_deactivation_keeps_the_person_and_their_history(
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    tenant, owner, _ = business
    cashier = (await identity_client.post("/v1/staff", json=person("cashier"), auth=owner)).json()
    url = f"/v1/staff/{cashier['id']}"
    gone = await identity_client.patch(url, json={"version": 1, "active": False}, auth=owner)
    assert gone.status_code == 200
    assert gone.json()["active"] is False
    assert (await identity_client.get(url, auth=owner)).json()["active"] is False
    back = await identity_client.patch(url, json={"version": 2, "active": True}, auth=owner)
    assert back.json()["active"] is True

    audit = await as_identity(
        connect_as,
        tenant,
        f"SELECT action, payload FROM audit.events WHERE resource_id = '{cashier['id']}' "
        "ORDER BY seq",
    )
    assert [row["action"] for row in audit] == [
        "staff.created",
        "staff.deactivated",
        "staff.updated",
    ]
    assert json.loads(audit[1]["payload"])["changes"] == {"active": ["True", "False"]}


async def test_a_stale_version_is_refused(
    business: Business,
    identity_client: httpx.AsyncClient,
) -> None:
    _, owner, _ = business
    cashier = (await identity_client.post("/v1/staff", json=person("cashier"), auth=owner)).json()
    url = f"/v1/staff/{cashier['id']}"
    first = await identity_client.patch(url, json={"version": 1, "display_name": "A"}, auth=owner)
    second = await identity_client.patch(url, json={"version": 1, "display_name": "B"}, auth=owner)
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "stale-version"
    assert (await identity_client.get(url, auth=owner)).json()["display_name"] == "A"


async def test_the_last_active_owner_cannot_be_removed(
    business: Business,
    identity_client: httpx.AsyncClient,
) -> None:
    _, owner, _ = business
    [only_owner] = [
        member
        for member in (await identity_client.get("/v1/staff", auth=owner)).json()["items"]
        if member["role"] == "owner"
    ]
    url = f"/v1/staff/{only_owner['id']}"
    for change in ({"active": False}, {"role": "manager"}):
        response = await identity_client.patch(url, json={"version": 1, **change}, auth=owner)
        assert response.status_code == 409, change
        assert response.json()["code"] == "last-owner"
    second = (await identity_client.post("/v1/staff", json=person("owner"), auth=owner)).json()
    assert second["role"] == "owner"
    handed_over = await identity_client.patch(
        url, json={"version": 1, "role": "manager"}, auth=owner
    )
    assert handed_over.status_code == 200


async def test_staff_lists_page_and_stay_in_their_business(
    business: Business,
    identity_client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
) -> None:
    _, owner, _ = business
    created = [
        (await identity_client.post("/v1/staff", json=person("cashier"), auth=owner)).json()
        for _ in range(3)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await identity_client.get("/v1/staff", params=params, auth=owner)).json()
        seen += [member["id"] for member in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == 4  # the owner and three cashiers
    assert seen[:3] == [member["id"] for member in reversed(created)]

    stranger = token(await provision(), Role.OWNER)
    assert (await identity_client.get("/v1/staff", auth=stranger)).json()["items"] == []
    response = await identity_client.get(f"/v1/staff/{created[0]['id']}", auth=stranger)
    assert response.status_code == 404
    assert response.json()["code"] == "staff-not-found"


async def test_a_pin_reset_replaces_the_pin_and_is_audited_without_it(
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    tenant, owner, manager = business
    cashier = (
        await identity_client.post("/v1/staff", json=person("cashier", pin="4821"), auth=owner)
    ).json()
    url = f"/v1/staff/{cashier['id']}"
    # The same PIN again is a reset too: nobody can tell it was the old one.
    for version, pin in ((1, "739104"), (2, "739104")):
        reset = await identity_client.patch(
            url, json={"version": version, "pin": pin}, auth=manager
        )
        assert reset.status_code == 200, reset.text
        assert (reset.json()["version"], reset.json()["has_pin"]) == (version + 1, True)
    [stored] = await as_identity(
        connect_as, tenant, f"SELECT pin_hash FROM identity.staff WHERE id = '{cashier['id']}'"
    )
    assert PasswordHasher().verify(stored["pin_hash"], "739104")
    audit = await as_identity(
        connect_as,
        tenant,
        f"SELECT action, payload FROM audit.events WHERE resource_id = '{cashier['id']}' "
        "ORDER BY seq",
    )
    assert [row["action"] for row in audit] == ["staff.created", "staff.updated", "staff.updated"]
    assert all("739104" not in row["payload"] for row in audit)
    assert json.loads(audit[1]["payload"]) == {"changes": {}, "version": 2, "pin_reset": True}

    # Setting a PIN is handing out the member's role again: the grant rule decides.
    co_owner = (await identity_client.post("/v1/staff", json=person("owner"), auth=owner)).json()
    refused = await identity_client.patch(
        f"/v1/staff/{co_owner['id']}", json={"version": 1, "pin": "1234"}, auth=manager
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "staff-role-above-yours"
    bad = await identity_client.patch(url, json={"version": 3, "pin": "12a4"}, auth=owner)
    assert bad.status_code == 422
