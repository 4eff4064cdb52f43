"""What an unauthenticated sign-in attempt may cost (issue 21, finding 4): the cheap checks
come before any argon2 work, and the argon2 work each source address and each business may
buy is budgeted (services/identity/sessions/budget.py, staff/secret_hashing.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.identity.sessions.budget import Rate, SignInBudget, TokenBuckets
from services.identity.staff import secret_hashing
from tests.conftest import identity_app
from tests.support.database import Provision
from tests.support.sessions import PIN, Till, activate_at, client_from, staff_member
from tests.support.tokens import PUBLIC_URL, TokenFactory

pytestmark = pytest.mark.usefixtures("fresh_sign_in_budget")

PASSWORD = "correct horse battery staple"


@pytest.fixture
def budget(identity_client: httpx.AsyncClient) -> Iterator[SignInBudget]:
    """A tight budget for this test only: 3 verifications per address, 10 per business."""
    app = identity_app(identity_client)
    before = getattr(app.state, "sign_in_budget", None)
    tight = SignInBudget(per_address=Rate(0.001, 3), per_business=Rate(0.001, 10))
    app.state.sign_in_budget = tight
    yield tight
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


async def pin_attempt(
    client: httpx.AsyncClient, key: DeviceKey, device: str, staff_id: str, pin: str = PIN
) -> httpx.Response:
    return await client.post(
        "/v1/auth/pin",
        json={"device": device, "staff_id": staff_id, "pin": pin},
        auth=DPoPAuth(key, public_url=PUBLIC_URL),
    )


async def test_a_request_that_fails_a_cheap_check_runs_no_argon2(
    identity_client: httpx.AsyncClient, till: Till, argon2_calls: list[str]
) -> None:
    handle = till.device.device
    prefix, tenant_hex, _ = handle.split("_", 2)
    cheap_refusals = {
        "malformed handle": (till.key, "hpd_not-a-handle"),
        "no such device": (till.key, f"{prefix}_{tenant_hex}_{uuid.uuid4().hex}"),
        "no such business": (till.key, handle.replace(tenant_hex, uuid.uuid4().hex)),
        "another key": (DeviceKey.generate(), handle),
    }
    answers = []
    for name, (key, device) in cheap_refusals.items():
        response = await pin_attempt(identity_client, key, device, till.cashier)
        assert response.status_code == 401, f"{name}: {response.text}"
        assert argon2_calls == [], f"{name} ran argon2"
        answers.append(response.json())
    # One answer for all of them, and the same a wrong PIN gets after its argon2 check.
    wrong_pin = await pin_attempt(identity_client, till.key, handle, till.cashier, pin="000000")
    assert len(argon2_calls) == 1
    assert all(answer == wrong_pin.json() for answer in answers)
    assert wrong_pin.json()["code"] == "sign-in-failed"


async def test_the_budget_refuses_one_address_past_its_share_while_others_sign_in(
    identity_client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
    budget: SignInBudget,
    argon2_calls: list[str],
) -> None:
    tenant = await provision()
    created = await identity_client.post(
        "/v1/staff",
        json={
            "email": "ops@harbourlane.example",
            "display_name": "Ops",
            "role": "manager",
            "password": PASSWORD,
        },
        auth=token(tenant, Role.OWNER),
    )
    assert created.status_code == 201, created.text
    app = identity_app(identity_client)
    key = DeviceKey.generate()

    def attempt(email: str, password: str) -> dict[str, str]:
        return {"business": str(tenant), "email": email, "password": password}

    async with (
        client_from(app, "198.51.100.7") as attacker,
        client_from(app, "203.0.113.20") as colleague,
    ):
        # Unknown e-mail addresses, so no lockout gets in the way: only the budget.
        for number in range(3):
            response = await attacker.post(
                "/v1/auth/password",
                json=attempt(f"guess{number}@x.example", "guess"),
                auth=DPoPAuth(key, public_url=PUBLIC_URL),
            )
            assert response.json()["code"] == "sign-in-failed", response.text
        assert len(argon2_calls) == 3
        refused = await attacker.post(
            "/v1/auth/password",
            json=attempt("guess3@x.example", "guess"),
            auth=DPoPAuth(key, public_url=PUBLIC_URL),
        )
        assert (refused.status_code, refused.json()["code"]) == (429, "sign-in-busy")
        assert int(refused.headers["retry-after"]) >= 1
        assert len(argon2_calls) == 3, "refused before any argon2 work"

        # Someone else at the same business, from another address, still signs in.
        signed_in = await colleague.post(
            "/v1/auth/password",
            json=attempt("ops@harbourlane.example", PASSWORD),
            auth=DPoPAuth(DeviceKey.generate(), public_url=PUBLIC_URL),
        )
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["status"] == "signed_in"


async def test_the_business_budget_bounds_many_addresses(
    identity_client: httpx.AsyncClient, provision: Provision, budget: SignInBudget
) -> None:
    tenant = await provision()
    app = identity_app(identity_client)
    codes = []
    for number in range(12):
        async with client_from(app, f"192.0.2.{number + 1}") as client:
            response = await client.post(
                "/v1/auth/password",
                json={"business": str(tenant), "email": "x@x.example", "password": "guess"},
                auth=DPoPAuth(DeviceKey.generate(), public_url=PUBLIC_URL),
            )
            codes.append(response.json()["code"])
    # Ten per business; each address had budget left. (The fifth failure locks the e-mail
    # from its address only, and each guess came from a new one.)
    assert codes == ["sign-in-failed"] * 10 + ["sign-in-busy"] * 2


def test_token_buckets_refill_at_their_rate() -> None:
    buckets = TokenBuckets(Rate(60, 2))
    assert buckets.take("a", now=0) == 0
    assert buckets.take("a", now=0) == 0
    assert buckets.take("a", now=0) == pytest.approx(1.0)
    assert buckets.take("b", now=0) == 0  # another key has its own
    assert buckets.take("a", now=1.5) == 0  # one token back per second


async def test_a_flood_of_verifications_is_refused_not_queued_for_ever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the cap on waiting verifications, argon2 answers `sign-in-busy` at once."""
    pool = secret_hashing._Argon2Pool(workers=1, max_waiting=2)
    monkeypatch.setattr(secret_hashing, "_POOL", pool)
    results = await asyncio.gather(
        *(secret_hashing.verify_secret(None, "guess") for _ in range(6)), return_exceptions=True
    )
    refused = [result for result in results if isinstance(result, secret_hashing.Argon2Busy)]
    assert len(refused) == 3
    assert [result for result in results if not isinstance(result, Exception)] == [False] * 3
    assert await secret_hashing.verify_secret(None, "guess") is False  # the pool is free again
