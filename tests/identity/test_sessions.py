"""POS sessions against the real Postgres: PIN sign-in on an activated device, lockout,
refresh-token rotation, reuse detection, the lost-answer retry and concurrent refreshes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import jwt
import pytest

from clients.dpop import DeviceKey
from clients.session import Device, DPoPAuth, Session, pin_sign_in, refresh
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.sessions.budget import SignInBudget
from tests.support.database import Connect, Provision, as_tenant
from tests.support.sessions import PIN, Till, activate_at, staff_member
from tests.support.tills import open_shift, stock_menu
from tests.support.tokens import PUBLIC_URL, TokenFactory


@pytest.fixture(autouse=True)
async def _fresh_budget(identity_client: httpx.AsyncClient) -> AsyncIterator[None]:
    """Each test starts with an unspent sign-in budget (sessions/budget.py): the identity app
    is shared by the whole run, and all its requests come from one test address."""
    app = identity_client._transport.app  # type: ignore[attr-defined]
    before = getattr(app.state, "sign_in_budget", None)
    app.state.sign_in_budget = SignInBudget.from_environment()
    yield
    app.state.sign_in_budget = before


@pytest.fixture
async def till(
    identity_client: httpx.AsyncClient,
    service_databases: dict[str, TenantDatabase],
    provision: Provision,
    token: TokenFactory,
) -> Till:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    cashier = await staff_member(identity_client, owner, "cashier")
    device, key = await activate_at(identity_client, service_databases["identity"], owner, tenant)
    return Till(tenant, owner, device, key, cashier["id"])


async def _sign_in(
    client: httpx.AsyncClient, till: Till, *, pin: str = PIN, staff: str | None = None
) -> httpx.Response:
    return await client.post(
        "/v1/auth/pin",
        json={"device": till.device.device, "staff_id": staff or till.cashier, "pin": pin},
        auth=DPoPAuth(till.key, public_url=PUBLIC_URL),
    )


async def _session(client: httpx.AsyncClient, till: Till) -> Session:
    return await pin_sign_in(
        client,
        device=till.device,
        key=till.key,
        staff_id=till.cashier,
        pin=PIN,
        public_url=PUBLIC_URL,
    )


async def _refresh(client: httpx.AsyncClient, refresh_token: str, key: DeviceKey) -> httpx.Response:
    return await client.post(
        "/v1/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=DPoPAuth(key, public_url=PUBLIC_URL),
    )


async def _audit(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[asyncpg.Record]:
    connection = await connect_as("audit")
    async with as_tenant(connection, tenant):
        return await connection.fetch(
            "SELECT actor_type, actor_id, payload FROM audit.events WHERE action = $1 ORDER BY seq",
            action,
        )


async def test_a_pin_sign_in_gives_a_device_bound_session_that_sells(
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    till: Till,
    connect_as: Connect,
) -> None:
    session = await _session(identity_client, till)
    claims = jwt.decode(session.access_token, options={"verify_signature": False})
    assert claims["sub"] == till.cashier
    assert claims["role"] == "cashier"
    assert claims["dev"] == till.device.device_id
    assert claims["loc"] == till.device.location_id
    assert claims["cnf"] == {"jkt": till.key.thumbprint()}
    assert claims["exp"] - claims["iat"] <= 600
    assert session.refresh_token.startswith(f"hpr_{till.tenant.hex}_")

    # The till's register opens a shift and sells from the menu with the session alone.
    device_id, location_id = uuid.UUID(till.device.device_id), uuid.UUID(till.device.location_id)
    shift_id = await open_shift(connect_as, till.tenant, device_id, location_id, till.cashier)
    menu = await stock_menu(connect_as, till.tenant)
    sale = await orders_client.post(
        "/v1/orders",
        json={"lines": [{"item_id": str(menu.bread_id), "quantity": 1}]},
        auth=session.auth,
    )
    assert sale.status_code == 201, sale.text
    assert sale.json()["created_by"] == till.cashier
    assert (sale.json()["register_id"], sale.json()["shift_id"]) == (str(device_id), str(shift_id))
    # The same token signed by any other key opens nothing.
    stolen = DPoPAuth(DeviceKey.generate(), session.access_token, public_url=PUBLIC_URL)
    assert (await orders_client.get("/v1/orders", auth=stolen)).status_code == 401

    [signed_in] = await _audit(connect_as, till.tenant, "sign_in.succeeded")
    assert signed_in["actor_id"] == till.cashier
    assert '"method": "pin"' in signed_in["payload"]


async def test_every_failure_looks_the_same(identity_client: httpx.AsyncClient, till: Till) -> None:
    wrong_pin = await _sign_in(identity_client, till, pin="000000")
    unknown_staff = await _sign_in(identity_client, till, staff=str(uuid.uuid4()))
    forged = Device(
        till.device.device.replace(till.tenant.hex, uuid.uuid4().hex),
        till.device.device_id,
        till.device.location_id,
    )
    other_business = await identity_client.post(
        "/v1/auth/pin",
        json={"device": forged.device, "staff_id": till.cashier, "pin": PIN},
        auth=DPoPAuth(till.key, public_url=PUBLIC_URL),
    )
    other_key = await identity_client.post(
        "/v1/auth/pin",
        json={"device": till.device.device, "staff_id": till.cashier, "pin": PIN},
        auth=DPoPAuth(DeviceKey.generate(), public_url=PUBLIC_URL),
    )
    answers = [wrong_pin, unknown_staff, other_business, other_key]
    assert {response.status_code for response in answers} == {401}
    assert len({response.text for response in answers}) == 1
    assert wrong_pin.json()["code"] == "sign-in-failed"


async def test_a_pin_sign_in_needs_a_fresh_proof(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    body = {"device": till.device.device, "staff_id": till.cashier, "pin": PIN}
    unproven = await identity_client.post("/v1/auth/pin", json=body)
    assert unproven.status_code == 401
    assert (unproven.json()["code"], unproven.json()["check"]) == ("invalid-dpop-proof", "missing")
    proof = till.key.proof("POST", f"{PUBLIC_URL}/v1/auth/pin")
    first = await identity_client.post("/v1/auth/pin", json=body, headers={"DPoP": proof})
    replayed = await identity_client.post("/v1/auth/pin", json=body, headers={"DPoP": proof})
    assert first.status_code == 200, first.text
    assert replayed.status_code == 401
    assert (replayed.json()["code"], replayed.json()["check"]) == ("invalid-dpop-proof", "replayed")


async def test_five_wrong_pins_lock_the_staff_member_out_and_are_audited(
    identity_client: httpx.AsyncClient, till: Till, connect_as: Connect
) -> None:
    for _ in range(4):
        assert (await _sign_in(identity_client, till, pin="111111")).status_code == 401
    fifth = await _sign_in(identity_client, till, pin="111111")
    assert fifth.status_code == 401
    locked = await _sign_in(identity_client, till)  # the right PIN, too late
    assert locked.status_code == 429
    assert locked.json()["code"] == "sign-in-locked"
    assert int(locked.headers["retry-after"]) > 0
    failures = await _audit(connect_as, till.tenant, "sign_in.failed")
    assert len(failures) == 5
    assert all(row["actor_id"] == till.device.device_id for row in failures)
    assert await _audit(connect_as, till.tenant, "sign_in.refused_locked")


async def test_parallel_guesses_cannot_outrun_the_lockout(
    identity_client: httpx.AsyncClient, till: Till, connect_as: Connect
) -> None:
    """Guesses sent all at once take turns on the device: each sees the failures recorded
    before it, so the sixth and seventh are locked out before any PIN is compared."""
    answers = await asyncio.gather(
        *(_sign_in(identity_client, till, pin="111111") for _ in range(7))
    )
    assert sorted(answer.status_code for answer in answers) == [401] * 5 + [429] * 2
    assert len(await _audit(connect_as, till.tenant, "sign_in.failed")) == 5


async def test_failures_across_staff_lock_the_device(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    """Guessing a different staff member's PIN each time still locks the device (ten
    failures in a quarter of an hour: a till many people use forgives a few typos)."""
    for _ in range(10):
        response = await _sign_in(identity_client, till, pin="222222", staff=str(uuid.uuid4()))
        assert response.status_code == 401
    assert (await _sign_in(identity_client, till)).status_code == 429


async def test_refreshing_does_not_reset_a_lockout(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    session = await _session(identity_client, till)
    other = await staff_member(identity_client, till.owner, "cashier", pin="5555")
    for _ in range(4):
        await _sign_in(identity_client, till, pin="9999", staff=other["id"])
    await refresh(identity_client, session)
    fifth = await _sign_in(identity_client, till, pin="9999", staff=other["id"])
    assert fifth.status_code == 401
    assert (await _sign_in(identity_client, till, pin="5555", staff=other["id"])).status_code == 429


async def test_a_refresh_rotates_and_reuse_revokes_the_whole_session(
    identity_client: httpx.AsyncClient,
    orders_client: httpx.AsyncClient,
    till: Till,
    connect_as: Connect,
) -> None:
    first = await _session(identity_client, till)
    second = await refresh(identity_client, first)
    assert second.refresh_token != first.refresh_token
    assert (await orders_client.get("/v1/orders", auth=second.auth)).status_code == 200
    third = await refresh(identity_client, second)

    # `first` was replaced by a token that has itself been used: someone else holds the family.
    reused = await _refresh(identity_client, first.refresh_token, till.key)
    assert reused.status_code == 401
    assert reused.json()["code"] == "invalid-refresh-token"
    assert (await _refresh(identity_client, third.refresh_token, till.key)).status_code == 401
    [revoked] = await _audit(connect_as, till.tenant, "session.revoked")
    assert '"reason": "refresh-token-reuse"' in revoked["payload"]


async def test_a_lost_answer_can_be_retried_once_within_the_grace(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    first = await _session(identity_client, till)
    lost = await _refresh(identity_client, first.refresh_token, till.key)  # answer never seen
    retried = await _refresh(identity_client, first.refresh_token, till.key)
    assert lost.status_code == retried.status_code == 200
    assert retried.json()["refresh_token"] != lost.json()["refresh_token"]
    # The retry's token is the live one; the session goes on.
    onward = await _refresh(identity_client, retried.json()["refresh_token"], till.key)
    assert onward.status_code == 200
    # The answer that was lost is dead: presenting it now is reuse, and ends the session.
    assert (
        await _refresh(identity_client, lost.json()["refresh_token"], till.key)
    ).status_code == 401
    assert (
        await _refresh(identity_client, onward.json()["refresh_token"], till.key)
    ).status_code == 401


async def test_a_retry_after_the_replacement_was_used_is_reuse(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    first = await _session(identity_client, till)
    second = await refresh(identity_client, first)
    await refresh(identity_client, second)
    assert (await _refresh(identity_client, first.refresh_token, till.key)).status_code == 401


async def test_two_concurrent_refreshes_both_succeed_one_after_the_other(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    session = await _session(identity_client, till)
    answers = await asyncio.gather(
        *(_refresh(identity_client, session.refresh_token, till.key) for _ in range(2))
    )
    assert [answer.status_code for answer in answers] == [200, 200]
    tokens = [answer.json()["refresh_token"] for answer in answers]
    assert tokens[0] != tokens[1]
    # Exactly one of the two is live: the other was replaced by the later refresh.
    outcomes = []
    for candidate in tokens:
        outcomes.append((await _refresh(identity_client, candidate, till.key)).status_code)
        if outcomes[-1] == 401:
            break
    assert 200 in outcomes or outcomes == [401]


async def test_a_refresh_needs_the_session_key(
    identity_client: httpx.AsyncClient, till: Till, connect_as: Connect
) -> None:
    session = await _session(identity_client, till)
    foreign = await _refresh(identity_client, session.refresh_token, DeviceKey.generate())
    assert foreign.status_code == 401
    # A refresh token presented with another key was copied off the device: the session ends.
    assert (await _refresh(identity_client, session.refresh_token, till.key)).status_code == 401
    [revoked] = await _audit(connect_as, till.tenant, "session.revoked")
    assert '"reason": "foreign-key"' in revoked["payload"]


async def test_a_deactivated_cashier_cannot_refresh(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    session = await _session(identity_client, till)
    member = (await identity_client.get(f"/v1/staff/{till.cashier}", auth=till.owner)).json()
    deactivated = await identity_client.patch(
        f"/v1/staff/{till.cashier}",
        json={"version": member["version"], "active": False},
        auth=till.owner,
    )
    assert deactivated.status_code == 200, deactivated.text
    assert (await _refresh(identity_client, session.refresh_token, till.key)).status_code == 401
    assert (await _sign_in(identity_client, till)).status_code == 401


async def test_a_revoked_device_cannot_refresh_or_sign_in(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    session = await _session(identity_client, till)
    revoked = await identity_client.post(
        f"/v1/devices/{till.device.device_id}/revoke", auth=till.owner
    )
    assert revoked.status_code == 200, revoked.text
    assert (await _refresh(identity_client, session.refresh_token, till.key)).status_code == 401
    assert (await _sign_in(identity_client, till)).status_code == 401


async def test_an_expired_session_cannot_refresh(
    identity_client: httpx.AsyncClient, till: Till, connect_as: Connect
) -> None:
    session = await _session(identity_client, till)
    identity = await connect_as("identity")
    async with as_tenant(identity, till.tenant):
        await identity.execute("UPDATE identity.sessions SET expires_at = now() - interval '1s'")
    assert (await _refresh(identity_client, session.refresh_token, till.key)).status_code == 401


@pytest.mark.parametrize(
    "refresh_token",
    [
        "",
        "hpr_not-a-token",
        f"hpa_{uuid.uuid4().hex}_ABCDEFGHJK",
        f"hpr_{uuid.uuid4().hex}_" + "x" * 43,
    ],
)
async def test_malformed_or_unknown_refresh_tokens_are_refused(
    identity_client: httpx.AsyncClient, refresh_token: str
) -> None:
    response = await _refresh(identity_client, refresh_token, DeviceKey.generate())
    assert response.status_code == 401
    assert response.json()["code"] in {"invalid-refresh-token", "invalid-dpop-proof"}
