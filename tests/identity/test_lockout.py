"""Lockouts that neither enumerate nor lock people out remotely (issue 21, finding 5):
password failures per (e-mail, source address) with a much higher account-wide threshold,
answered alike for e-mail addresses nobody has; PINs apart from passwords; a till's count
that an insider's own sign-in does not clear (services/identity/sessions/lockout.py)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth, pin_sign_in
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.sessions.lockout import account_id
from tests.conftest import identity_app
from tests.support.database import Connect, Provision, as_identity
from tests.support.sessions import PIN, Till, activate_at, client_from, staff_member
from tests.support.tokens import PUBLIC_URL, TokenFactory

pytestmark = pytest.mark.usefixtures("fresh_sign_in_budget")

PASSWORD = "correct horse battery staple"
MANAGER_PIN = "736251"


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


async def add_manager(client: httpx.AsyncClient, till: Till) -> dict[str, Any]:
    """A manager with both a backoffice password and a till PIN."""
    response = await client.post(
        "/v1/staff",
        json={
            "email": f"manager.{uuid.uuid4().hex[:8]}@harbourlane.example",
            "display_name": "Max",
            "role": "manager",
            "password": PASSWORD,
            "pin": MANAGER_PIN,
        },
        auth=till.owner,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def password(
    client: httpx.AsyncClient, tenant: uuid.UUID, email: str, secret: str = PASSWORD
) -> httpx.Response:
    return await client.post(
        "/v1/auth/password",
        json={"business": str(tenant), "email": email, "password": secret},
        auth=DPoPAuth(DeviceKey.generate(), public_url=PUBLIC_URL),
    )


async def pin(
    client: httpx.AsyncClient, till: Till, staff_id: str, secret: str = PIN
) -> httpx.Response:
    return await client.post(
        "/v1/auth/pin",
        json={"device": till.device.device, "staff_id": staff_id, "pin": secret},
        auth=DPoPAuth(till.key, public_url=PUBLIC_URL),
    )


# Passwords: enumeration and remote lockout


async def test_a_real_and_an_unknown_e_mail_answer_alike_before_and_after_five_failures(
    identity_client: httpx.AsyncClient, till: Till, argon2_calls: list[str]
) -> None:
    manager = await add_manager(identity_client, till)
    transcripts: dict[str, list[tuple[int, str, str | None, int]]] = {}
    for name, email in (("real", manager["email"]), ("unknown", "nobody@harbourlane.example")):
        transcript = []
        for attempt in range(7):
            before = len(argon2_calls)
            # Wrong passwords, then the real one (which is wrong for the unknown address).
            secret = PASSWORD if attempt == 6 else f"guess number {attempt}"
            response = await password(identity_client, till.tenant, email, secret)
            body = response.json()
            transcript.append(
                (
                    response.status_code,
                    json.dumps(body, sort_keys=True),
                    response.headers.get("retry-after"),
                    len(argon2_calls) - before,
                )
            )
        transcripts[name] = transcript

    assert transcripts["real"] == transcripts["unknown"]
    statuses = [(status, checks) for status, _, _, checks in transcripts["real"]]
    # Five failures answered 401 after one argon2 check each; then locked for both, before
    # any check, even with the right password.
    assert statuses == [(401, 1)] * 5 + [(429, 0)] * 2
    assert json.loads(transcripts["real"][5][1])["code"] == "sign-in-locked"


async def test_failures_from_one_address_do_not_lock_the_account_for_another(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    manager = await add_manager(identity_client, till)
    app = identity_app(identity_client)
    async with (
        client_from(app, "198.51.100.7") as attacker,
        client_from(app, "203.0.113.20") as office,
    ):
        for _ in range(5):
            failed = await password(attacker, till.tenant, manager["email"], "guess guess")
            assert failed.status_code == 401
        locked = await password(attacker, till.tenant, manager["email"])
        assert (locked.status_code, locked.json()["code"]) == (429, "sign-in-locked")

        signed_in = await password(office, till.tenant, manager["email"])
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["status"] == "signed_in"
        # ...and the office's success does not clear the attacker's lock.
        still = await password(attacker, till.tenant, manager["email"])
        assert still.status_code == 429


async def test_many_addresses_lock_the_account_everywhere_only_at_the_high_threshold(
    identity_client: httpx.AsyncClient, till: Till, connect_as: Connect
) -> None:
    manager = await add_manager(identity_client, till)
    app = identity_app(identity_client)
    async with client_from(app, "192.0.2.1") as first:
        assert (await password(first, till.tenant, manager["email"], "nope")).status_code == 401
    # As if 48 more addresses had failed once each within the hour.
    await as_identity(
        connect_as,
        till.tenant,
        "UPDATE identity.lockouts SET failures = 49 "
        "WHERE subject_type = 'password_account' AND subject_id = $1",
        account_id(manager["email"]),
    )
    async with client_from(app, "192.0.2.50") as fiftieth:
        assert (await password(fiftieth, till.tenant, manager["email"], "nope")).status_code == 401
    async with client_from(app, "192.0.2.51") as anyone:
        locked = await password(anyone, till.tenant, manager["email"])
    assert (locked.status_code, locked.json()["code"]) == (429, "sign-in-locked")
    assert 3000 < int(locked.headers["retry-after"]) <= 3601


# PINs


async def test_password_failures_do_not_lock_the_same_persons_till_pin(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    manager = await add_manager(identity_client, till)
    for _ in range(6):
        await password(identity_client, till.tenant, manager["email"], "guess guess")
    assert (await password(identity_client, till.tenant, manager["email"])).status_code == 429

    at_the_till = await pin(identity_client, till, manager["id"], MANAGER_PIN)
    assert at_the_till.status_code == 200, at_the_till.text


async def test_an_insider_cannot_clear_the_device_count_with_their_own_sign_in(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    colleagues = [
        (await staff_member(identity_client, till.owner, "cashier", pin="9182"))["id"]
        for _ in range(3)
    ]
    answers = []
    for guess in range(10):
        # Their own PIN, right: a success on this till...
        assert (await pin(identity_client, till, till.cashier)).status_code == 200
        # ...between guesses at colleagues' PINs, a different colleague each time.
        colleague = colleagues[guess % len(colleagues)]
        answers.append((await pin(identity_client, till, colleague, f"{1000 + guess}")).status_code)
    assert answers == [401] * 10
    # Ten failures in a quarter of an hour: the till is locked, for the insider too.
    locked = await pin(identity_client, till, till.cashier)
    assert (locked.status_code, locked.json()["code"]) == (429, "sign-in-locked")


async def test_an_insiders_success_does_not_reset_a_colleagues_count(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    colleague = await staff_member(identity_client, till.owner, "cashier", pin="9182")
    for guess in range(5):
        assert (await pin(identity_client, till, till.cashier)).status_code == 200
        wrong = await pin(identity_client, till, colleague["id"], f"{2000 + guess}")
        assert wrong.status_code == 401
    refused = await pin(identity_client, till, colleague["id"], "9182")  # the right PIN
    assert (refused.status_code, refused.json()["code"]) == (429, "sign-in-locked")


async def test_override_approvals_and_pin_sign_ins_share_the_pin_lockout(
    identity_client: httpx.AsyncClient, till: Till
) -> None:
    manager = await add_manager(identity_client, till)
    cashier = await pin_sign_in(
        identity_client,
        device=till.device,
        key=till.key,
        staff_id=till.cashier,
        pin=PIN,
        public_url=PUBLIC_URL,
    )
    for attempt in range(5):
        refused = await identity_client.post(
            "/v1/auth/overrides",
            json={
                "approver_id": manager["id"],
                "pin": f"{3000 + attempt}",
                "action": "void",
                "resource_id": str(uuid.uuid4()),
                "amount_minor": 450,
            },
            auth=cashier.auth,
        )
        assert refused.status_code == 403, refused.text
    # Five wrong approvals lock the manager's PIN at the till's sign-in too...
    locked = await pin(identity_client, till, manager["id"], MANAGER_PIN)
    assert (locked.status_code, locked.json()["code"]) == (429, "sign-in-locked")
    # ...but not their backoffice password.
    assert (await password(identity_client, till.tenant, manager["email"])).status_code == 200
