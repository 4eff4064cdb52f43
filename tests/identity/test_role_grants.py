"""Who may grant which role (libs/rbac/grants.py), against the real identity service.

The escalation this pins (issue 21, finding 1): a manager created an accountant with a
password of their choosing, or changed their own or a cashier's role to accountant, and
then read the audit export and every report, which their own session is refused. A role may
be given only by someone who holds every permission in it, staff are changed only by someone
who could give their current role, and nobody changes their own role but an owner stepping
down. Every (granter, role) pair is called through the HTTP API; a refusal writes nothing.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import GRANTS, Permission, Role
from libs.rbac.grants import (
    STAFF_ROLES,
    GrantRefusal,
    change_refusal,
    grantable_roles,
    may_grant,
    role_refusal,
)
from services.identity.models import staff as staff_table
from services.identity.staff.schemas import StaffRole
from tests.support.database import Connect, Provision, as_identity
from tests.support.tokens import PUBLIC_URL, TokenFactory

PASSWORD = "correct horse battery staple"
OWNER, MANAGER, CASHIER, ACCOUNTANT = Role.OWNER, Role.MANAGER, Role.CASHIER, Role.ACCOUNTANT

# Written out by hand, not computed from the rule: (granter, role given) pairs that succeed.
GRANTABLE = {
    (OWNER, OWNER),
    (OWNER, MANAGER),
    (OWNER, CASHIER),
    (OWNER, ACCOUNTANT),
    (MANAGER, MANAGER),
    (MANAGER, CASHIER),
}
# Roles without `staff:write` never reach the grant rule: the route's RBAC check answers.
STAFF_WRITERS = {OWNER, MANAGER}
PAIRS = list(itertools.product(STAFF_ROLES, STAFF_ROLES))


def role_id(role: Role | None) -> str:
    return role.value if role is not None else "no-role"


# --- the rule itself, over the whole matrix ----------------------------------------------


def test_the_rule_grants_exactly_the_documented_pairs() -> None:
    assert {(g, r) for g, r in itertools.product(Role, Role) if may_grant(g, r)} == GRANTABLE
    for granter in Role:
        expected = tuple(role for role in STAFF_ROLES if (granter, role) in GRANTABLE)
        assert grantable_roles(granter) == expected


def test_no_grant_gives_a_permission_the_granter_lacks() -> None:
    for granter, role in itertools.product(Role, Role):
        if may_grant(granter, role):
            assert GRANTS[role] <= GRANTS[granter], (granter, role)
            assert Permission.STAFF_WRITE in GRANTS[granter], granter
            assert Role.BRIDGE not in (granter, role)
        elif granter in STAFF_WRITERS and role in STAFF_ROLES:
            # Refused only where the role holds something the granter does not.
            assert GRANTS[role] - GRANTS[granter], (granter, role)


def test_no_chain_of_grants_reaches_beyond_its_start() -> None:
    """Whoever the granter makes may grant in turn: what that chain reaches is bounded."""
    for start in Role:
        reached, frontier = {start}, {start}
        while frontier:
            frontier = {r for g in frontier for r in Role if may_grant(g, r)} - reached
            reached |= frontier
        for role in reached:
            assert GRANTS[role] <= GRANTS[start], (start, role)


def test_the_bridge_is_never_granted_nor_grants() -> None:
    assert Role.BRIDGE not in STAFF_ROLES
    assert not any(may_grant(Role.BRIDGE, role) or may_grant(role, Role.BRIDGE) for role in Role)


def test_staff_roles_are_the_rule_s_roles() -> None:
    assert [role.value for role in StaffRole] == [role.value for role in STAFF_ROLES]
    [check] = [
        str(constraint.sqltext)
        for constraint in staff_table.constraints
        if isinstance(constraint, sa.CheckConstraint) and "role IN" in str(constraint.sqltext)
    ]
    assert sorted(re.findall(r"'([a-z]+)'", check)) == sorted(role.value for role in STAFF_ROLES)


@pytest.mark.parametrize(
    ("granter", "current", "requested"),
    list(itertools.product(Role, Role, [*Role, None])),
    ids=role_id,
)
@pytest.mark.parametrize("own", [False, True], ids=["other", "own"])
def test_every_change_follows_the_rule(
    granter: Role, current: Role, requested: Role | None, own: bool
) -> None:
    refusal = change_refusal(granter=granter, current=current, requested=requested, own=own)
    if not may_grant(granter, current):
        expected: GrantRefusal | None = GrantRefusal.MEMBER
    elif requested is None or requested is current:
        expected = None
    elif own and current is not Role.OWNER:
        expected = GrantRefusal.OWN_ROLE
    elif not may_grant(granter, requested):
        expected = GrantRefusal.ROLE
    else:
        expected = None
    assert refusal is expected
    if refusal is None and requested is not None:
        assert GRANTS[requested] <= GRANTS[granter]
        if own and requested is not current:
            assert (granter, current) == (Role.OWNER, Role.OWNER)  # an owner stepping down


def test_creating_follows_the_rule() -> None:
    for granter, role in itertools.product(Role, Role):
        expected = None if (granter, role) in GRANTABLE else GrantRefusal.ROLE
        assert role_refusal(granter=granter, role=role) is expected


# --- through the HTTP API ------------------------------------------------------------------


@dataclass
class Business:
    tenant: uuid.UUID
    owner: DPoPAuth  # an owner's token (not itself on the staff list)
    owner_id: str  # the business's one active owner on the staff list


def person(role: Role | str, **fields: Any) -> dict[str, Any]:
    role = Role(role).value
    return {
        "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": f"A {role}",
        "role": role,
        **fields,
    }


@pytest.fixture
async def business(
    provision: Provision, token: TokenFactory, identity_client: httpx.AsyncClient
) -> Business:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    created = await identity_client.post("/v1/staff", json=person(OWNER), auth=owner)
    assert created.status_code == 201, created.text
    return Business(tenant, owner, created.json()["id"])


async def add(client: httpx.AsyncClient, business: Business, role: Role) -> dict[str, Any]:
    created = await client.post("/v1/staff", json=person(role), auth=business.owner)
    assert created.status_code == 201, created.text
    member: dict[str, Any] = created.json()
    return member


async def snapshot(connect_as: Connect, tenant: uuid.UUID) -> tuple[list[Any], int]:
    """Every staff row as stored, and how many audit rows the business has."""
    staff = await as_identity(
        connect_as,
        tenant,
        "SELECT id, email, role, active, version, password_hash, pin_hash FROM identity.staff "
        "ORDER BY id",
    )
    [events] = await as_identity(connect_as, tenant, "SELECT count(*) AS n FROM audit.events")
    return [dict(row) for row in staff], int(events["n"])


def refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["code"]) == (403, code), body
    assert body["type"].endswith(code)


@pytest.mark.parametrize(("granter", "role"), PAIRS, ids=role_id)
async def test_create_with_every_granter_and_role(
    granter: Role,
    role: Role,
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    before = await snapshot(connect_as, business.tenant)
    body = person(role, password=PASSWORD, pin="4821")
    response = await identity_client.post(
        "/v1/staff", json=body, auth=token(business.tenant, granter)
    )
    if (granter, role) in GRANTABLE:
        assert response.status_code == 201, response.text
        assert response.json()["role"] == role.value
        [event] = await as_identity(
            connect_as,
            business.tenant,
            "SELECT action, actor_type, payload FROM audit.events WHERE resource_id = $1",
            response.json()["id"],
        )
        assert (event["action"], event["actor_type"]) == ("staff.created", granter.value)
        assert json.loads(event["payload"])["role"] == role.value
        return
    refused(response, "role-grant-refused" if granter in STAFF_WRITERS else "permission-denied")
    # Nobody was created: no row, no password anyone could sign in with, no audit row.
    assert await snapshot(connect_as, business.tenant) == before


@pytest.mark.parametrize(
    ("granter", "current", "requested"),
    list(itertools.product(STAFF_ROLES, STAFF_ROLES, STAFF_ROLES)),
    ids=role_id,
)
async def test_update_with_every_granter_and_role(
    granter: Role,
    current: Role,
    requested: Role,
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    member = await add(identity_client, business, current)
    before = await snapshot(connect_as, business.tenant)
    response = await identity_client.patch(
        f"/v1/staff/{member['id']}",
        json={"version": 1, "role": requested.value},
        auth=token(business.tenant, granter),
    )
    if granter not in STAFF_WRITERS:
        refused(response, "permission-denied")
    elif (granter, current) not in GRANTABLE:
        refused(response, "staff-role-above-yours")
    elif (granter, requested) not in GRANTABLE:
        refused(response, "role-grant-refused")
    else:
        assert response.status_code == 200, response.text
        assert response.json()["role"] == requested.value
        [stored] = await as_identity(
            connect_as,
            business.tenant,
            "SELECT role FROM identity.staff WHERE id = $1",
            uuid.UUID(member["id"]),
        )
        assert stored["role"] == requested.value
        if requested is not current:
            [event] = await as_identity(
                connect_as,
                business.tenant,
                "SELECT actor_type, payload FROM audit.events "
                "WHERE resource_id = $1 AND action = 'staff.updated'",
                member["id"],
            )
            assert event["actor_type"] == granter.value
            changes = json.loads(event["payload"])["changes"]
            assert changes == {"role": [current.value, requested.value]}
        return
    assert await snapshot(connect_as, business.tenant) == before


@pytest.mark.parametrize(("role", "requested"), PAIRS, ids=role_id)
async def test_self_update_with_every_role(
    role: Role,
    requested: Role,
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """Signed in as themselves (their token's subject is their staff id)."""
    me = await add(identity_client, business, role)
    url = f"/v1/staff/{me['id']}"
    myself = token(business.tenant, role, me["id"])
    before = await snapshot(connect_as, business.tenant)
    response = await identity_client.patch(
        url, json={"version": 1, "role": requested.value}, auth=myself
    )
    if role not in STAFF_WRITERS:
        refused(response, "permission-denied")
    elif requested is role:
        assert response.status_code == 200, response.text  # no change, nothing written
        assert response.json()["version"] == 1
    elif role is not OWNER:
        refused(response, "own-role-change-refused")
    else:
        # An owner steps down: the business's other owner remains.
        assert response.status_code == 200, response.text
        assert response.json()["role"] == requested.value
        return
    assert await snapshot(connect_as, business.tenant) == before


async def test_an_owner_steps_down_only_while_another_owner_remains(
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
) -> None:
    url = f"/v1/staff/{business.owner_id}"
    myself = token(business.tenant, OWNER, business.owner_id)
    alone = await identity_client.patch(url, json={"version": 1, "role": "manager"}, auth=myself)
    assert (alone.status_code, alone.json()["code"]) == (409, "last-owner")
    await add(identity_client, business, OWNER)
    stepped = await identity_client.patch(url, json={"version": 1, "role": "manager"}, auth=myself)
    assert stepped.status_code == 200, stepped.text
    assert stepped.json()["role"] == "manager"


async def test_a_token_from_before_a_demotion_does_not_win_the_role_back(
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """An access token names the role it was minted with for minutes after a demotion; the
    self-change rule reads the role on record, so the old token cannot undo the demotion."""
    co_owner = await add(identity_client, business, OWNER)
    url = f"/v1/staff/{co_owner['id']}"
    demoted = await identity_client.patch(
        url, json={"version": 1, "role": "cashier"}, auth=business.owner
    )
    assert demoted.status_code == 200, demoted.text
    stale = token(business.tenant, OWNER, co_owner["id"])
    before = await snapshot(connect_as, business.tenant)
    for role in ("owner", "manager", "accountant"):
        back = await identity_client.patch(url, json={"version": 2, "role": role}, auth=stale)
        refused(back, "own-role-change-refused")
    assert await snapshot(connect_as, business.tenant) == before


@pytest.mark.parametrize("role", [OWNER, ACCOUNTANT], ids=role_id)
async def test_a_manager_changes_nothing_about_staff_whose_role_they_cannot_give(
    role: Role,
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """Renaming, deactivating, reactivating or moving them would be managing a role the
    manager could not grant (reactivating a departed accountant restores the books)."""
    member = await add(identity_client, business, role)
    gone = await identity_client.patch(
        f"/v1/staff/{member['id']}", json={"version": 1, "active": False}, auth=business.owner
    )
    assert gone.status_code == 200
    manager = token(business.tenant, MANAGER)
    before = await snapshot(connect_as, business.tenant)
    for change in (
        {"active": True},
        {"display_name": "Renamed"},
        {"location_ids": None},
        {"role": "cashier"},
    ):
        response = await identity_client.patch(
            f"/v1/staff/{member['id']}", json={"version": 2, **change}, auth=manager
        )
        refused(response, "staff-role-above-yours")
    assert await snapshot(connect_as, business.tenant) == before


async def test_a_staff_change_sets_no_password_and_a_pin_only_under_the_grant_rule(
    business: Business,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """A password is set only when a member is created, under the grant rule; there is no way
    to give an existing staff member (an owner, an accountant) one. A PIN can be reset (the
    backoffice's staff page), but only by someone who could give the member's role: a manager
    cannot set an accountant's PIN, and so cannot sign in at a till as one."""
    member = await add(identity_client, business, ACCOUNTANT)
    manager = token(business.tenant, MANAGER)
    for secret in ({"password": PASSWORD}, {"password_hash": "x"}, {"pin_hash": "x"}):
        for auth in (manager, business.owner):
            response = await identity_client.patch(
                f"/v1/staff/{member['id']}", json={"version": 1, **secret}, auth=auth
            )
            assert response.status_code == 422, response.text
    before = await snapshot(connect_as, business.tenant)
    refused(
        await identity_client.patch(
            f"/v1/staff/{member['id']}", json={"version": 1, "pin": "4821"}, auth=manager
        ),
        "staff-role-above-yours",
    )
    assert await snapshot(connect_as, business.tenant) == before
    reset = await identity_client.patch(
        f"/v1/staff/{member['id']}", json={"version": 1, "pin": "4821"}, auth=business.owner
    )
    assert reset.status_code == 200, reset.text
    assert reset.json()["has_pin"] is True


# --- the finding's attack, end to end ------------------------------------------------------


async def sign_in(
    client: httpx.AsyncClient, business: Business, email: str, password: str
) -> tuple[httpx.Response, DeviceKey]:
    """A backoffice password sign-in, and the key its session is bound to."""
    body = {"business": str(business.tenant), "email": email, "password": password}
    key = DeviceKey.generate()
    return await client.post(
        "/v1/auth/password", json=body, auth=DPoPAuth(key, public_url=PUBLIC_URL)
    ), key


async def test_a_signed_in_manager_cannot_make_anyone_an_accountant(
    business: Business,
    identity_client: httpx.AsyncClient,
    audit_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    manager = (
        await identity_client.post(
            "/v1/staff", json=person(MANAGER, password=PASSWORD), auth=business.owner
        )
    ).json()
    cashier = await add(identity_client, business, CASHIER)
    signed_in, key = await sign_in(identity_client, business, manager["email"], PASSWORD)
    assert signed_in.status_code == 200, signed_in.text
    session = DPoPAuth(key, signed_in.json()["access_token"], public_url=PUBLIC_URL)
    # What the manager's own session is refused, and stays refused.
    for client, path in ((audit_client, "/v1/audit/export"), (reports_client, "/v1/reports/bas")):
        refused(await client.get(path, auth=session), "permission-denied")
    before = await snapshot(connect_as, business.tenant)

    # 1. An accountant with a password the manager chooses.
    accomplice = person(ACCOUNTANT, password="the manager's own choice")
    refused(
        await identity_client.post("/v1/staff", json=accomplice, auth=session),
        "role-grant-refused",
    )
    # 2. The manager's own role.
    refused(
        await identity_client.patch(
            f"/v1/staff/{manager['id']}", json={"version": 1, "role": "accountant"}, auth=session
        ),
        "own-role-change-refused",
    )
    # 3. A cashier's role (whose PIN or password the manager may know).
    refused(
        await identity_client.patch(
            f"/v1/staff/{cashier['id']}", json={"version": 1, "role": "accountant"}, auth=session
        ),
        "role-grant-refused",
    )

    assert await snapshot(connect_as, business.tenant) == before
    nobody, _ = await sign_in(
        identity_client, business, accomplice["email"], accomplice["password"]
    )
    assert (nobody.status_code, nobody.json()["code"]) == (401, "sign-in-failed")
    again, _ = await sign_in(identity_client, business, manager["email"], PASSWORD)
    assert again.json()["role"] == "manager"
