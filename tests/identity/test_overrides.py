"""Manager overrides, end to end against the real Postgres: a manager's PIN buys a single-use
token at the identity service; the orders service's void consumes it.

An override token is bound to its tenant, device, requesting staff member, action and
resource; it lives at most 60 seconds and is spent in the guarded write's own transaction.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.auth.overrides import OVERRIDE_TOKEN_TYPE, Approved, Extent, OverrideAction
from libs.config import platform_settings
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.keys.signing import SigningKey, mint_access_token
from services.identity.overrides.signer import OverrideGrant, mint_override_token
from services.identity.tenants.service import create_location
from tests.conftest import LiveStack
from tests.support.database import Connect, Provision, as_service
from tests.support.overrides import (
    CASHIER_PIN,
    LIMITS,
    MANAGER_PIN,
    TWO_FLAT_WHITES,
    Till,
    approve,
    ask,
    audit_rows,
    flat_whites,
    new_till,
    open_order,
)
from tests.support.secrets import assert_not_written_down
from tests.support.tills import open_shift, register_device, stock_menu
from tests.support.tokens import PUBLIC_URL, TokenFactory

SETTINGS = platform_settings()
WRONG_PIN = "9999"
REASON = {"reason_code": "customer_request", "note": "Customer changed their mind"}


@pytest.fixture
async def till(
    provision: Provision,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> Till:
    return await new_till(await provision(), identity_client, token, connect_as)


async def void(
    orders_client: httpx.AsyncClient,
    order: dict[str, Any],
    override_token: str | None,
    auth: httpx.Auth,
    note: str = REASON["note"],
) -> httpx.Response:
    """Void `order` at the version it was read at."""
    headers = {"X-Override-Token": override_token} if override_token is not None else {}
    body = {"version": order["version"], **REASON, "note": note}
    return await orders_client.post(
        f"/v1/orders/{order['id']}/void", json=body, headers=headers, auth=auth
    )


def assert_refused(response: httpx.Response, detail: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "override-invalid", problem
    assert detail in problem["detail"], problem


async def order_state(
    orders_client: httpx.AsyncClient, order_id: str, auth: httpx.Auth
) -> tuple[str, int]:
    fetched = await orders_client.get(f"/v1/orders/{order_id}", auth=auth)
    assert fetched.status_code == 200, fetched.text
    return fetched.json()["status"], fetched.json()["version"]


def sign(key: SigningKey, claims: dict[str, Any], *, typ: str) -> str:
    return jwt.encode(
        claims, key.private_key, algorithm="ES256", headers={"kid": key.kid, "typ": typ}
    )


def override_claims(till: Till, resource_id: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
        "sub": str(till.manager_id),
        "arl": "manager",
        "req": str(till.cashier_id),
        "tid": str(till.tenant),
        "dev": str(till.device_id),
        "act": "void",
        "res": resource_id,
        "amt": TWO_FLAT_WHITES,
        **changes,
    }


# --- granted and used ----------------------------------------------------------------------


async def test_a_manager_approves_a_void_and_the_audit_names_cashier_and_manager(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    order = await open_order(orders_client, till)
    granted = await ask(identity_client, till, order["id"])
    assert granted.status_code == 201, granted.text
    answer = granted.json()
    assert answer["action"] == "void"
    assert answer["resource_id"] == order["id"]
    assert answer["approved_by"] == str(till.manager_id)
    assert 0 < answer["expires_in"] <= 60

    override_token = answer["override_token"]
    assert jwt.get_unverified_header(override_token)["typ"] == OVERRIDE_TOKEN_TYPE
    claims = jwt.decode(override_token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= 60
    assert (claims["dev"], claims["req"], claims["act"], claims["res"], claims["tid"]) == (
        str(till.device_id),
        str(till.cashier_id),
        "void",
        order["id"],
        str(till.tenant),
    )
    assert (claims["sub"], claims["arl"]) == (str(till.manager_id), "manager")

    voided = await void(orders_client, order, override_token, till.cashier)
    assert voided.status_code == 200, voided.text
    assert (voided.json()["status"], voided.json()["version"]) == ("voided", order["version"] + 1)
    assert await order_state(orders_client, order["id"], till.cashier) == (
        "voided",
        order["version"] + 1,
    )

    [grant] = await audit_rows(connect_as, till.tenant, "override.granted")
    assert (grant["actor_type"], grant["actor_id"]) == ("manager", str(till.manager_id))
    assert grant["resource_id"] == order["id"]
    assert grant["payload"]["requested_by"] == str(till.cashier_id)
    assert grant["payload"]["device_id"] == str(till.device_id)
    assert grant["payload"]["action"] == "void"
    assert grant["payload"]["jti"] == claims["jti"]
    assert_not_written_down(dict(grant), MANAGER_PIN)

    [voided_row] = await audit_rows(connect_as, till.tenant, "order.voided")
    assert (voided_row["actor_type"], voided_row["actor_id"]) == ("cashier", str(till.cashier_id))
    assert voided_row["resource_id"] == order["id"]
    payload = voided_row["payload"]
    assert payload["requested_by"] == str(till.cashier_id)
    assert (payload["approved_by"], payload["approved_by_role"]) == (
        str(till.manager_id),
        "manager",
    )
    assert payload["device_id"] == str(till.device_id)
    assert (payload["reason_code"], payload["note"]) == (
        "customer_request",
        "Customer changed their mind",
    )
    assert payload["override_jti"] == claims["jti"]


async def test_an_override_token_is_single_use(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    order = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, order["id"])
    assert (await void(orders_client, order, override_token, till.cashier)).status_code == 200

    again = await void(orders_client, order, override_token, till.cashier, note="again")
    assert_refused(again, "already been used")
    assert await order_state(orders_client, order["id"], till.cashier) == (
        "voided",
        order["version"] + 1,
    )
    assert len(await audit_rows(connect_as, till.tenant, "order.voided")) == 1


async def test_concurrent_uses_of_one_token_let_exactly_one_through(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    order = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, order["id"])
    answers = await asyncio.gather(
        *(void(orders_client, order, override_token, till.cashier) for _ in range(2))
    )
    assert sorted(answer.status_code for answer in answers) == [200, 403], [
        answer.text for answer in answers
    ]
    assert await order_state(orders_client, order["id"], till.cashier) == (
        "voided",
        order["version"] + 1,
    )
    assert len(await audit_rows(connect_as, till.tenant, "order.voided")) == 1


async def test_a_void_that_fails_leaves_its_override_usable(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    """The token is spent in the void's own transaction: a void refused after the token was
    checked (409, the order is not open) rolls the spend back with it."""
    order = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, order["id"])
    jti = jwt.decode(override_token, options={"verify_signature": False})["jti"]
    set_status = "UPDATE orders.orders SET status = $2 WHERE id = $1::uuid"
    await as_service(connect_as, "orders", till.tenant, set_status, order["id"], "closed")

    refused = await void(orders_client, order, override_token, till.cashier)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "order-not-open"
    spent = "SELECT jti FROM auth.spent_tokens WHERE namespace = 'override' AND jti = $1"
    assert await as_service(connect_as, "orders", till.tenant, spent, jti) == []

    await as_service(connect_as, "orders", till.tenant, set_status, order["id"], "open")
    voided = await void(orders_client, order, override_token, till.cashier)
    assert voided.status_code == 200, voided.text
    assert len(await as_service(connect_as, "orders", till.tenant, spent, jti)) == 1


async def test_voiding_a_voided_order_is_a_conflict(
    till: Till, identity_client: httpx.AsyncClient, orders_client: httpx.AsyncClient
) -> None:
    order = await open_order(orders_client, till)
    first = await approve(identity_client, till, order["id"])
    voided = await void(orders_client, order, first, till.cashier)
    assert voided.status_code == 200, voided.text
    second = await approve(identity_client, till, order["id"])
    # At the current version: refused for the order's state, not for a stale read.
    again = await void(orders_client, voided.json(), second, till.cashier)
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "order-not-open"
    assert again.json()["order_status"] == "voided"


# --- bound to resource, action, device, staff member and tenant ----------------------------


async def test_an_override_is_bound_to_its_order(
    till: Till, identity_client: httpx.AsyncClient, orders_client: httpx.AsyncClient
) -> None:
    first = await open_order(orders_client, till)
    other = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, first["id"])

    refused = await void(orders_client, other, override_token, till.cashier)
    assert_refused(refused, "another resource")
    assert await order_state(orders_client, other["id"], till.cashier) == ("open", other["version"])
    # A refusal spends nothing: the token still works where it belongs.
    assert (await void(orders_client, first, override_token, till.cashier)).status_code == 200


async def test_an_override_is_bound_to_its_action(
    till: Till, identity_client: httpx.AsyncClient, orders_client: httpx.AsyncClient
) -> None:
    order = await open_order(orders_client, till)
    refund_token = await approve(identity_client, till, order["id"], action="refund")
    refused = await void(orders_client, order, refund_token, till.cashier)
    assert_refused(refused, "not for this action")
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])


async def test_an_override_is_useless_from_another_device_or_for_another_cashier(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
) -> None:
    order = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, order["id"])

    other_device = token(
        till.tenant,
        Role.CASHIER,
        str(till.cashier_id),
        location_id=till.location_id,
        device_id=uuid.uuid4(),
    )
    assert_refused(await void(orders_client, order, override_token, other_device), "another device")
    other_cashier = token(
        till.tenant,
        Role.CASHIER,
        str(uuid.uuid4()),
        key=till.key,
        location_id=till.location_id,
        device_id=till.device_id,
    )
    assert_refused(
        await void(orders_client, order, override_token, other_cashier),
        "another staff member",
    )
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])


async def twin_till(
    elsewhere: uuid.UUID, till: Till, token: TokenFactory, connect_as: Connect
) -> Till:
    """`till` copied into another business: the same device id, key and staff ids, with a
    register, an open shift and a menu of its own there."""
    location_id = uuid.uuid4()
    await as_service(
        connect_as,
        "identity",
        elsewhere,
        "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour) "
        "VALUES ($1, 'Front bar', 'Australia/Sydney', 3)",
        location_id,
    )
    await as_service(
        connect_as,
        "identity",
        elsewhere,
        "INSERT INTO identity.devices "
        "(id, location_id, name, key_thumbprint, public_jwk, activated_by) "
        "VALUES ($1, $2, 'Till 1', $3, $4::jsonb, 'test')",
        till.device_id,
        location_id,
        till.key.thumbprint(),
        json.dumps(till.key.public_jwk()),
    )
    await open_shift(connect_as, elsewhere, till.device_id, location_id, str(till.cashier_id))
    cashier = token(
        elsewhere,
        Role.CASHIER,
        str(till.cashier_id),
        key=till.key,
        location_id=location_id,
        device_id=till.device_id,
    )
    return Till(
        elsewhere,
        till.manager_id,
        till.cashier_id,
        location_id,
        till.device_id,
        till.key,
        cashier,
        await stock_menu(connect_as, elsewhere),
    )


async def test_an_override_is_useless_in_another_business(
    till: Till,
    provision: Provision,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """Same order id, device id and staff id in another tenant: only `tid` differs."""
    order = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, order["id"])
    twin = await twin_till(await provision(), till, token, connect_as)
    twin_order = await open_order(orders_client, twin, id=order["id"])
    assert_refused(
        await void(orders_client, twin_order, override_token, twin.cashier), "another business"
    )


async def test_an_expired_or_overlong_override_is_refused(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    signing_key: SigningKey,
) -> None:
    order = await open_order(orders_client, till)
    expired = mint_override_token(
        signing_key,
        issuer=SETTINGS.jwt_issuer,
        audience=SETTINGS.jwt_audience,
        grant=OverrideGrant(
            tenant_id=till.tenant,
            device_id=till.device_id,
            requested_by=str(till.cashier_id),
            approver_id=till.manager_id,
            approver_role="manager",
            action=OverrideAction.VOID,
            resource_id=order["id"],
            amount_minor=TWO_FLAT_WHITES,
        ),
        now=time.time() - 61,
    )
    assert_refused(await void(orders_client, order, expired.token, till.cashier), "expired")

    now = int(time.time())
    overlong = sign(
        signing_key, override_claims(till, order["id"], exp=now + 3600), typ=OVERRIDE_TOKEN_TYPE
    )
    assert_refused(await void(orders_client, order, overlong, till.cashier), "lifetime")
    # The same claims with a sane lifetime are accepted: the refusals above were for time.
    fine = sign(signing_key, override_claims(till, order["id"]), typ=OVERRIDE_TOKEN_TYPE)
    assert (await void(orders_client, order, fine, till.cashier)).status_code == 200


async def test_an_override_signed_by_another_key_or_for_a_cashier_approver_is_refused(
    till: Till, orders_client: httpx.AsyncClient, signing_key: SigningKey
) -> None:
    order = await open_order(orders_client, till)
    forged = sign(
        SigningKey.generate(), override_claims(till, order["id"]), typ=OVERRIDE_TOKEN_TYPE
    )
    assert_refused(await void(orders_client, order, forged, till.cashier), "unknown key")
    by_cashier = sign(
        signing_key, override_claims(till, order["id"], arl="cashier"), typ=OVERRIDE_TOKEN_TYPE
    )
    assert_refused(await void(orders_client, order, by_cashier, till.cashier), "may not approve")
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])


# --- the two token types never pass for each other -----------------------------------------


async def test_an_override_token_is_not_an_access_token(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    signing_key: SigningKey,
) -> None:
    order = await open_order(orders_client, till)
    override_token = await approve(identity_client, till, order["id"])
    # Even a token of the override type that carries every access-token claim, bound to the
    # key that signs the proof: the type alone refuses it.
    with_access_claims = sign(
        signing_key,
        {
            **override_claims(till, order["id"]),
            "sub": str(till.cashier_id),
            "role": "owner",
            "cnf": {"jkt": till.key.thumbprint()},
        },
        typ=OVERRIDE_TOKEN_TYPE,
    )
    for presented in (override_token, with_access_claims):
        auth = DPoPAuth(till.key, presented, public_url=PUBLIC_URL)
        for client, path in (
            (orders_client, f"/v1/orders/{order['id']}"),
            (identity_client, "/v1/staff"),
        ):
            response = await client.get(path, auth=auth)
            assert response.status_code == 401, response.text
            assert response.json()["code"] == "unauthenticated"
    # Still unspent and usable as what it is.
    assert (await void(orders_client, order, override_token, till.cashier)).status_code == 200


async def test_an_access_token_is_not_an_override_token(
    till: Till, orders_client: httpx.AsyncClient, signing_key: SigningKey
) -> None:
    order = await open_order(orders_client, till)
    access_token = till.cashier.access_token
    assert access_token is not None
    assert_refused(
        await void(orders_client, order, access_token, till.cashier), "not an override token"
    )
    # An access token (at+jwt) that carries every override claim is still not an override.
    manager_access = mint_access_token(
        signing_key,
        issuer=SETTINGS.jwt_issuer,
        audience=SETTINGS.jwt_audience,
        subject=str(till.manager_id),
        tenant_id=till.tenant,
        role="manager",
        device_id=till.device_id,
    )
    claims = jwt.decode(manager_access, options={"verify_signature": False})
    disguised = sign(
        signing_key,
        {**override_claims(till, order["id"]), **claims, "exp": claims["iat"] + 60},
        typ="at+jwt",
    )
    assert_refused(
        await void(orders_client, order, disguised, till.cashier), "not an override token"
    )
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])


# --- 404 before 403 -------------------------------------------------------------------------


async def test_an_unknown_order_is_404_before_any_override_is_looked_at(
    till: Till, orders_client: httpx.AsyncClient
) -> None:
    unknown = str(uuid.uuid4())
    for presented in (None, "not-a-token"):
        response = await void(orders_client, {"id": unknown, "version": 1}, presented, till.cashier)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "order-not-found"


async def test_another_tenants_order_is_404_and_a_missing_override_is_403(
    till: Till,
    provision: Provision,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """Another business's order is not confirmed to exist, whatever override comes with it."""
    theirs = await new_till(await provision(), identity_client, token, connect_as)
    their_order = await open_order(orders_client, theirs)
    their_override = await approve(identity_client, theirs, their_order["id"])
    mine = await void(orders_client, their_order, their_override, till.cashier)
    assert mine.status_code == 404, mine.text
    assert await order_state(orders_client, their_order["id"], theirs.cashier) == (
        "open",
        their_order["version"],
    )

    my_order = await open_order(orders_client, till)
    assert_refused(await void(orders_client, my_order, None, till.cashier), "X-Override-Token")


# --- granting: the device, the approver, the PIN, the lockout -------------------------------


async def test_a_wrong_pin_is_refused_audited_and_locks_the_approver_after_five(
    till: Till, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    order_id = str(uuid.uuid4())
    for _ in range(5):
        refused = await ask(identity_client, till, order_id, pin=WRONG_PIN)
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "override-refused"
    locked = await ask(identity_client, till, order_id)  # the right PIN, too late
    assert locked.status_code == 429, locked.text
    assert int(locked.headers["retry-after"]) > 0

    rows = await audit_rows(connect_as, till.tenant, "override.refused")
    assert [row["payload"]["reason"] for row in rows] == ["wrong-pin"] * 5 + ["approver-locked"]
    assert [row["payload"]["failures"] for row in rows[:5]] == [1, 2, 3, 4, 5]
    assert {row["actor_id"] for row in rows} == {str(till.cashier_id)}
    assert {row["payload"]["approver_id"] for row in rows} == {str(till.manager_id)}
    for row in rows:
        assert_not_written_down(dict(row), WRONG_PIN, MANAGER_PIN)
    assert await audit_rows(connect_as, till.tenant, "override.granted") == []


async def test_parallel_guesses_cannot_outrun_the_lockout(
    till: Till, identity_client: httpx.AsyncClient
) -> None:
    order_id = str(uuid.uuid4())
    answers = await asyncio.gather(
        *(ask(identity_client, till, order_id, pin=WRONG_PIN) for _ in range(7))
    )
    assert sorted(answer.status_code for answer in answers) == [403] * 5 + [429] * 2


async def test_a_right_pin_resets_the_approvers_failures(
    till: Till, identity_client: httpx.AsyncClient
) -> None:
    order_id = str(uuid.uuid4())
    for _ in range(4):
        assert (await ask(identity_client, till, order_id, pin=WRONG_PIN)).status_code == 403
    assert (await ask(identity_client, till, order_id)).status_code == 201
    for _ in range(4):
        assert (await ask(identity_client, till, order_id, pin=WRONG_PIN)).status_code == 403
    assert (await ask(identity_client, till, order_id)).status_code == 201


async def test_only_an_active_owner_or_manager_can_approve(
    till: Till, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    order_id = str(uuid.uuid4())
    # The cashier's own, correct PIN: answered exactly like a wrong one.
    by_cashier = await ask(
        identity_client, till, order_id, pin=CASHIER_PIN, approver=till.cashier_id
    )
    unknown = await ask(identity_client, till, order_id, approver=uuid.uuid4())
    wrong = await ask(identity_client, till, order_id, pin=WRONG_PIN)
    for response in (by_cashier, unknown, wrong):
        assert response.status_code == 403, response.text
    assert by_cashier.json() == unknown.json() == wrong.json()
    assert by_cashier.json()["code"] == "override-refused"

    rows = await audit_rows(connect_as, till.tenant, "override.refused")
    assert [row["payload"]["reason"] for row in rows] == [
        "not-an-approver",
        "unknown-approver",
        "wrong-pin",
    ]


async def test_an_approver_approves_only_at_tills_of_their_own_locations(
    till: Till,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
    connect_as: Connect,
) -> None:
    """A manager of another venue of the business is refused like a wrong PIN (and it
    counts like one), so the till learns nothing about their PIN."""
    elsewhere = await create_location(
        service_databases["identity"],
        tenant_id=till.tenant,
        name="Beer garden",
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=4,
    )
    owner = token(till.tenant, Role.OWNER)
    manager_url = f"/v1/staff/{till.manager_id}"
    moved = await identity_client.patch(
        manager_url,
        json={"version": 1, "location_ids": [str(elsewhere.location_id)]},
        auth=owner,
    )
    assert moved.status_code == 200, moved.text
    order_id = str(uuid.uuid4())
    not_here = await ask(identity_client, till, order_id)
    wrong = await ask(identity_client, till, order_id, pin=WRONG_PIN)
    assert not_here.status_code == 403, not_here.text
    assert not_here.json() == wrong.json()
    rows = await audit_rows(connect_as, till.tenant, "override.refused")
    assert [(row["payload"]["reason"], row["payload"]["failures"]) for row in rows] == [
        ("approver-not-at-this-location", 1),
        ("wrong-pin", 2),
    ]

    both = [str(elsewhere.location_id), str(till.location_id)]
    back = await identity_client.patch(
        manager_url, json={"version": 2, "location_ids": both}, auth=owner
    )
    assert back.status_code == 200, back.text
    assert (await ask(identity_client, till, order_id)).status_code == 201


async def test_a_principal_without_a_device_cannot_ask_or_use_an_override(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    signing_key: SigningKey,
    connect_as: Connect,
) -> None:
    order = await open_order(orders_client, till)
    backoffice = token(till.tenant, Role.CASHIER, str(till.cashier_id))
    asked = await ask(identity_client, till, order["id"], auth=backoffice)
    assert asked.status_code == 403, asked.text
    assert asked.json()["code"] == "override-device-required"
    [row] = await audit_rows(connect_as, till.tenant, "override.refused")
    assert row["payload"]["reason"] == "no-device"

    valid_elsewhere = sign(signing_key, override_claims(till, order["id"]), typ=OVERRIDE_TOKEN_TYPE)
    assert_refused(
        await void(orders_client, order, valid_elsewhere, backoffice), "registered device"
    )
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])


async def test_a_revoked_device_or_a_token_bound_to_another_key_cannot_ask(
    till: Till, identity_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    revoked_key = DeviceKey.generate()
    location_id, revoked_device = await register_device(
        connect_as, till.tenant, revoked_key, status="revoked"
    )
    on_revoked = token(
        till.tenant,
        Role.CASHIER,
        str(till.cashier_id),
        key=revoked_key,
        location_id=location_id,
        device_id=revoked_device,
    )
    # Names the registered device, but bound to a key that is not the device's.
    foreign_key = token(
        till.tenant,
        Role.CASHIER,
        str(till.cashier_id),
        location_id=till.location_id,
        device_id=till.device_id,
    )
    for auth in (on_revoked, foreign_key):
        asked = await ask(identity_client, till, str(uuid.uuid4()), auth=auth)
        assert asked.status_code == 403, asked.text
        assert asked.json()["code"] == "override-device-required"
    rows = await audit_rows(connect_as, till.tenant, "override.refused")
    assert [row["payload"]["reason"] for row in rows] == [
        "device-not-active",
        "device-key-mismatch",
    ]


async def test_the_request_is_strict(till: Till, identity_client: httpx.AsyncClient) -> None:
    base = {
        "approver_id": str(till.manager_id),
        "pin": MANAGER_PIN,
        "action": "void",
        "resource_id": str(uuid.uuid4()),
        "amount_minor": 450,
    }
    no_amount = {key: value for key, value in base.items() if key != "amount_minor"}
    for body in (
        # How much is approved: an amount for a void or a refund, an amount or a percentage
        # for a discount, nothing for a force-close; whole, non-negative numbers.
        no_amount,
        {**no_amount, "action": "refund"},
        {**no_amount, "action": "discount"},
        {**no_amount, "percent_bps": 2000},
        {**no_amount, "action": "refund", "percent_bps": 2000},
        {**base, "action": "discount", "percent_bps": 2000},
        {**no_amount, "action": "discount", "percent_bps": 10_001},
        {**base, "action": "shift_force_close"},
        {**base, "amount_minor": -1},
        {**base, "amount_minor": 4.5},
        {**base, "tenant_id": str(uuid.uuid4())},
        {**base, "action": "open_cash_drawer"},
        {**base, "pin": "12ab"},
        {**base, "resource_id": "x"},
        {**base, "resource_id": "a" * 65},
        {**base, "resource_id": "../orders"},
    ):
        response = await identity_client.post("/v1/auth/overrides", json=body, auth=till.cashier)
        assert response.status_code == 422, (body, response.text)
    # The same body with none of those faults is granted.
    granted = await identity_client.post("/v1/auth/overrides", json=base, auth=till.cashier)
    assert granted.status_code == 201, granted.text


async def test_a_manager_approves_voiding_one_line(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    """`POST /v1/orders/{id}/lines/{n}/void` asks for an override on `<order id>/lines/<n>`
    (docs/pos.md): the identity service grants exactly that resource."""
    lines = [*flat_whites(till.menu, 1), {"item_id": str(till.menu.bread_id), "quantity": 1}]
    order = await open_order(orders_client, till, lines=lines)
    line_one = f"{order['id']}/lines/1"
    # The order's id in any case is named canonically, as a whole-order void's is.
    granted = await ask(identity_client, till, f"{order['id'].upper()}/lines/1")
    assert granted.status_code == 201, granted.text
    assert granted.json()["resource_id"] == line_one
    override_token = granted.json()["override_token"]
    claims = jwt.decode(override_token, options={"verify_signature": False})
    assert (claims["act"], claims["res"]) == ("void", line_one)
    [grant] = await audit_rows(connect_as, till.tenant, "override.granted")
    assert grant["resource_id"] == line_one

    def void_line(number: int, presented: str) -> Any:
        return orders_client.post(
            f"/v1/orders/{order['id']}/lines/{number}/void",
            json={"version": order["version"], **REASON},
            headers={"X-Override-Token": presented},
            auth=till.cashier,
        )

    # Not for the other line, nor for the whole order.
    assert_refused(await void_line(2, override_token), "another resource")
    assert_refused(await void(orders_client, order, override_token, till.cashier), "resource")
    voided = await void_line(1, override_token)
    assert voided.status_code == 200, voided.text
    statuses = {line["line_number"]: line["status"] for line in voided.json()["lines"]}
    assert statuses[1] == "voided" and statuses[2] != "voided"


@pytest.mark.parametrize(
    "resource",
    [
        "{order}/lines/0",
        "{order}/lines/01",
        "{order}/lines/-1",
        "{order}/lines/+1",
        "{order}/lines/1.0",
        "{order}/lines/ 1",
        "{order}/lines/",
        "{order}/lines/1/",
        "{order}/lines/1/lines/2",
        "{order}/line/1",
        "{order}/LINES/1",
        "{order}//lines/1",
        "{order}/lines/1234567890",
        "{order}\n",
        "lines/1",
        "/lines/1",
        "{hex}/lines/1",  # the id without its hyphens
        "urn:uuid:{order}",
        "{{{order}}}",
        "{order}/payments/1",
    ],
)
async def test_a_resource_is_an_id_or_one_line_exactly(
    resource: str, till: Till, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    order = uuid.uuid4()
    asked = await ask(identity_client, till, resource.format(order=order, hex=order.hex))
    assert asked.status_code == 422, asked.text
    assert await audit_rows(connect_as, till.tenant, "override.granted") == []


async def test_only_a_void_names_a_line(till: Till, identity_client: httpx.AsyncClient) -> None:
    line = f"{uuid.uuid4()}/lines/1"
    for action in ("refund", "discount", "shift_force_close"):
        asked = await ask(identity_client, till, line, action=action)
        assert asked.status_code == 422, asked.text
    assert (await ask(identity_client, till, line, action="void")).status_code == 201


async def test_an_order_id_is_named_canonically(
    till: Till, identity_client: httpx.AsyncClient, orders_client: httpx.AsyncClient
) -> None:
    order = await open_order(orders_client, till)
    granted = await ask(identity_client, till, order["id"].upper())
    assert granted.status_code == 201, granted.text
    assert granted.json()["resource_id"] == order["id"]
    override_token = granted.json()["override_token"]
    assert (await void(orders_client, order, override_token, till.cashier)).status_code == 200


async def test_the_whole_flow_through_the_gateway(
    till: Till, live_stack: LiveStack, connect_as: Connect
) -> None:
    """The gateway forwards X-Override-Token untouched, and the orders service behind it
    verifies the token with the keys it fetched from the identity service's JWKS."""
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        order = await open_order(gateway, till)
        override_token = await approve(gateway, till, order["id"])
        voided = await void(gateway, order, override_token, till.cashier)
        assert voided.status_code == 200, voided.text
        assert voided.json()["status"] == "voided"
        assert_refused(await void(gateway, order, override_token, till.cashier), "used")
    [row] = await audit_rows(connect_as, till.tenant, "order.voided")
    assert row["payload"]["approved_by"] == str(till.manager_id)


# --- per-business limits -------------------------------------------------------------------


async def test_by_default_every_void_needs_an_override(
    till: Till, token: TokenFactory, orders_client: httpx.AsyncClient
) -> None:
    limits = await orders_client.get(LIMITS, auth=till.cashier)
    assert limits.status_code == 200, limits.text
    assert limits.json() == {
        "void_limit_minor": 0,
        "refund_limit_minor": 0,
        "discount_limit_bps": 0,
        "offline_approval_limit_minor": 0,
    }
    order = await open_order(orders_client, till)
    assert_refused(await void(orders_client, order, None, till.cashier), "X-Override-Token")


async def test_below_the_businesss_void_limit_a_cashier_voids_alone(
    till: Till,
    token: TokenFactory,
    provision: Provision,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    owner = token(till.tenant, Role.OWNER)
    changed = await orders_client.patch(LIMITS, json={"void_limit_minor": 900}, auth=owner)
    assert changed.status_code == 200, changed.text
    assert changed.json()["void_limit_minor"] == 900

    at_limit = await open_order(orders_client, till)  # 2 x 450 = 900
    voided = await void(orders_client, at_limit, None, till.cashier)
    assert voided.status_code == 200, voided.text
    above = await open_order(orders_client, till, lines=flat_whites(till.menu, quantity=3))
    assert_refused(await void(orders_client, above, None, till.cashier), "X-Override-Token")
    override_token = await approve(
        identity_client, till, above["id"], amount={"amount_minor": 3 * 450}
    )
    assert (await void(orders_client, above, override_token, till.cashier)).status_code == 200

    alone, approved = await audit_rows(connect_as, till.tenant, "order.voided")
    assert alone["payload"]["approved_by"] is None
    assert alone["payload"]["override_required"] is False
    assert alone["payload"]["void_limit_minor"] == 900
    assert approved["payload"]["approved_by"] == str(till.manager_id)
    assert approved["payload"]["override_required"] is True
    [change] = await audit_rows(connect_as, till.tenant, "override_limits.changed")
    assert (change["actor_type"], change["payload"]["before"]["void_limit_minor"]) == ("owner", 0)
    assert change["payload"]["after"]["void_limit_minor"] == 900

    # Another business's limits are its own.
    other = await new_till(await provision(), identity_client, token, connect_as)
    assert (await orders_client.get(LIMITS, auth=other.cashier)).json()["void_limit_minor"] == 0
    elsewhere = await open_order(orders_client, other)
    assert_refused(await void(orders_client, elsewhere, None, other.cashier), "X-Override-Token")


async def test_an_override_presented_below_the_limit_is_still_checked_and_spent(
    till: Till,
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    owner = token(till.tenant, Role.OWNER)
    await orders_client.patch(LIMITS, json={"void_limit_minor": 5000}, auth=owner)
    order = await open_order(orders_client, till)
    other_order = await open_order(orders_client, till)
    wrong = await approve(identity_client, till, other_order["id"])
    assert_refused(await void(orders_client, order, wrong, till.cashier), "another resource")
    right = await approve(identity_client, till, order["id"])
    assert (await void(orders_client, order, right, till.cashier)).status_code == 200
    [row] = await audit_rows(connect_as, till.tenant, "order.voided")
    assert row["payload"]["approved_by"] == str(till.manager_id)


async def test_only_owners_change_limits_and_nonsense_changes_nothing(
    till: Till, token: TokenFactory, orders_client: httpx.AsyncClient
) -> None:
    for role in (Role.MANAGER, Role.CASHIER, Role.ACCOUNTANT):
        refused = await orders_client.patch(
            LIMITS, json={"void_limit_minor": 10**6}, auth=token(till.tenant, role)
        )
        assert refused.status_code == 403, (role, refused.text)
    owner = token(till.tenant, Role.OWNER)
    for body in (
        {},
        {"void_limit_minor": -1},
        {"void_limit_minor": None},
        {"discount_limit_bps": 10_001},
        {"void_limit_minor": 1.5},
        {"tenant_id": str(uuid.uuid4()), "void_limit_minor": 5},
    ):
        answer = await orders_client.patch(LIMITS, json=body, auth=owner)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    assert (await orders_client.get(LIMITS, auth=owner)).json()["void_limit_minor"] == 0


# --- an override approves an amount, and no more (finding 11) ------------------------------


def assert_exceeded(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["code"] == "override-amount-exceeded", problem
    return problem


async def discount(
    orders_client: httpx.AsyncClient,
    till: Till,
    order: dict[str, Any],
    percent_bps: int,
    override_token: str | None,
) -> httpx.Response:
    headers = {"X-Override-Token": override_token} if override_token else {}
    return await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": order["version"], "discount": {"kind": "percent", "value": percent_bps}},
        headers=headers,
        auth=till.cashier,
    )


async def test_a_discount_override_for_20_percent_cannot_give_100_percent(
    till: Till,
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    """The manager approves "20 % off" (the token's `pct`): 100 % with it is refused and
    spends nothing; the same token then gives the 20 % it was for."""
    owner = token(till.tenant, Role.OWNER)
    await orders_client.patch(LIMITS, json={"discount_limit_bps": 1000}, auth=owner)
    order = await open_order(orders_client, till)  # 900
    granted = await ask(
        identity_client, till, order["id"], action="discount", amount={"percent_bps": 2000}
    )
    assert granted.status_code == 201, granted.text
    assert (granted.json()["percent_bps"], granted.json()["amount_minor"]) == (2000, None)
    twenty = granted.json()["override_token"]
    claims = jwt.decode(twenty, options={"verify_signature": False})
    assert (claims["pct"], claims.get("amt")) == (2000, None)
    [grant] = await audit_rows(connect_as, till.tenant, "override.granted")
    assert (grant["payload"]["percent_bps"], grant["payload"]["amount_minor"]) == (2000, None)

    for percent in (10_000, 2100):
        problem = assert_exceeded(await discount(orders_client, till, order, percent, twenty))
        assert (problem["approved_percent_bps"], problem["amount_minor"]) == (
            2000,
            round(900 * percent / 10_000),
        )
    fetched = (await orders_client.get(f"/v1/orders/{order['id']}", auth=till.cashier)).json()
    assert (fetched["discount_minor"], fetched["version"]) == (0, order["version"])
    assert await audit_rows(connect_as, till.tenant, "order.changed") == []

    given = await discount(orders_client, till, order, 2000, twenty)
    assert given.status_code == 200, given.text
    assert given.json()["discount_minor"] == 180
    [changed] = await audit_rows(connect_as, till.tenant, "order.changed")
    assert changed["payload"]["approved_by"] == str(till.manager_id)
    assert changed["payload"]["approved_percent_bps"] == 2000
    assert changed["payload"]["override_jti"] == claims["jti"]
    # Spent now, as ever.
    again = await discount(orders_client, till, given.json(), 1500, twenty)
    assert_refused(again, "already been used")


async def test_an_amount_approved_for_a_discount_binds_the_orders_whole_discount(
    till: Till,
    token: TokenFactory,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
) -> None:
    """A discount approved as an amount (`amt`) covers the order's discount up to that
    amount, whichever way it is asked: less is fine, a cent more is not."""
    owner = token(till.tenant, Role.OWNER)
    await orders_client.patch(LIMITS, json={"discount_limit_bps": 1000}, auth=owner)
    order = await open_order(orders_client, till)  # 900
    override_token = await approve(
        identity_client, till, order["id"], action="discount", amount={"amount_minor": 150}
    )
    assert_exceeded(await discount(orders_client, till, order, 2000, override_token))  # 180
    given = await discount(orders_client, till, order, 1500, override_token)  # 135 <= 150
    assert given.status_code == 200, given.text
    assert given.json()["discount_minor"] == 135


async def test_a_refund_override_for_an_amount_cannot_refund_more(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    order = await open_order(orders_client, till)  # 900
    paid = await orders_client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"version": order["version"], "tender": "cash", "tendered_minor": 1000},
        headers={"Idempotency-Key": str(uuid.uuid4())},
        auth=till.cashier,
    )
    assert paid.status_code == 201, paid.text
    closed = await orders_client.post(
        f"/v1/orders/{order['id']}/close",
        json={"version": paid.json()["order"]["version"]},
        auth=till.cashier,
    )
    assert closed.status_code == 200, closed.text
    version = closed.json()["order"]["version"]
    override_token = await approve(
        identity_client, till, order["id"], action="refund", amount={"amount_minor": 450}
    )

    def refund(amount_minor: int) -> Any:
        return orders_client.post(
            f"/v1/orders/{order['id']}/refunds",
            json={"version": version, "reason_code": "quality_issue", "amount_minor": amount_minor},
            headers={"X-Override-Token": override_token},
            auth=till.cashier,
        )

    problem = assert_exceeded(await refund(900))
    assert (problem["approved_amount_minor"], problem["amount_minor"]) == (450, 900)
    refunds = await as_service(
        connect_as, "orders", till.tenant, "SELECT count(*) AS n FROM orders.refunds"
    )
    assert refunds[0]["n"] == 0
    refunded = await refund(450)
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["refund"]["amount_minor"] == 450
    [row] = await audit_rows(connect_as, till.tenant, "order.refunded")
    assert row["payload"]["approved_amount_minor"] == 450


async def test_a_void_override_covers_the_value_it_was_asked_for(
    till: Till, identity_client: httpx.AsyncClient, orders_client: httpx.AsyncClient
) -> None:
    order = await open_order(orders_client, till)  # 900
    half = await approve(identity_client, till, order["id"], amount={"amount_minor": 450})
    assert_exceeded(await void(orders_client, order, half, till.cashier))
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])
    # The same order with a token for what it is worth: voided.
    whole = await approve(identity_client, till, order["id"], amount={"amount_minor": 900})
    assert (await void(orders_client, order, whole, till.cashier)).status_code == 200


async def test_an_override_that_names_no_amount_or_a_tampered_one_is_refused(
    till: Till,
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    signing_key: SigningKey,
) -> None:
    """The amount is a signed claim: a token that names none approves nothing, and one
    whose amount is changed after signing is not the identity service's."""
    order = await open_order(orders_client, till)
    claims = override_claims(till, order["id"])
    del claims["amt"]
    unbounded = sign(signing_key, claims, typ=OVERRIDE_TOKEN_TYPE)
    assert_refused(await void(orders_client, order, unbounded, till.cashier), "approves")
    as_percent = sign(
        signing_key, {**claims, "pct": 10_000}, typ=OVERRIDE_TOKEN_TYPE
    )  # a void is approved as an amount
    assert_refused(await void(orders_client, order, as_percent, till.cashier), "approves")
    for malformed in (True, -1, 4.5, "900"):
        token = sign(signing_key, {**claims, "amt": malformed}, typ=OVERRIDE_TOKEN_TYPE)
        assert_refused(await void(orders_client, order, token, till.cashier), "amt")

    small = await approve(identity_client, till, order["id"], amount={"amount_minor": 1})
    header, payload, signature = small.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["amt"] = 900
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    tampered = ".".join((header, forged, signature))
    assert_refused(await void(orders_client, order, tampered, till.cashier), "not valid")
    assert await order_state(orders_client, order["id"], till.cashier) == ("open", order["version"])


def test_a_percentage_approval_allows_for_rounding_to_the_cent_and_no_more() -> None:
    """15 % off 22.50 is 3.375, charged as 3.38 (half up): a 15 % approval covers that one
    rounding, half a cent per rounded amount, and not a cent beyond it."""
    fifteen = Approved(percent_bps=1500)
    assert fifteen.covers(Extent(338, 2250, roundings=1))
    assert not fifteen.covers(Extent(339, 2250, roundings=1))
    assert not fifteen.covers(Extent(338, 2250))
    # Two lines each 15 % off, each rounded up: 1.58 + 1.58 off 10.50 + 10.50.
    assert fifteen.covers(Extent(316, 2100, roundings=2))
    assert not fifteen.covers(Extent(317, 2100, roundings=2))
    # An amount is exact.
    assert Approved(amount_minor=450).covers(Extent(450))
    assert not Approved(amount_minor=450).covers(Extent(451, roundings=5))
    # A percentage with nothing to be a share of approves nothing.
    assert not fifteen.covers(Extent(0))
