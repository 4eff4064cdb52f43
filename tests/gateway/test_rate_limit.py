"""Gateway rate limits: per address before token verification, per principal after."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from gateway.forwarding import AiohttpForwarder
from gateway.rate_limit import Rate, TokenBucketLimiter
from libs.auth.access_tokens import TokenVerifier
from libs.config import SERVICES
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from tests.support.database import Provision
from tests.support.tokens import TokenFactory


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(Rate(per_second=2, burst=3), clock=clock)
    assert [limiter.acquire("till-1") for _ in range(3)] == [None, None, None]
    wait = limiter.acquire("till-1")
    assert wait == pytest.approx(0.5)
    assert limiter.acquire("till-2") is None, "keys are independent"
    clock.now += 0.5
    assert limiter.acquire("till-1") is None
    assert limiter.acquire("till-1") is not None


def test_the_bucket_table_is_bounded() -> None:
    limiter = TokenBucketLimiter(Rate(1, 1), max_keys=2, clock=Clock())
    for key in ("a", "b", "c"):
        assert limiter.acquire(key) is None
    assert limiter.acquire("a") is None, "the least recently seen key was forgotten"


@pytest.mark.parametrize(
    ("text", "rate"), [("20/40", Rate(20, 40)), ("5", Rate(5, 5)), ("0", None), ("", None)]
)
def test_rates_parse(text: str, rate: Rate | None) -> None:
    assert Rate.parse(text) == rate


@pytest.fixture
async def limited_gateway(
    verifier: TokenVerifier, service_databases: dict[str, TenantDatabase]
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose upstreams are unreachable: whatever is not limited answers 503."""
    forwarder = AiohttpForwarder()
    await forwarder.start()
    gateway = create_app(
        database=service_databases["gateway"],
        verifier=verifier,
        forwarder=forwarder,
        upstreams={spec.name: "http://127.0.0.1:9" for spec in SERVICES},
        rate_per_address=Rate(per_second=0.01, burst=4),
        rate_per_principal=Rate(per_second=0.01, burst=2),
    )
    transport = httpx.ASGITransport(app=gateway, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
    await forwarder.close()


async def test_a_principal_is_limited_and_told_when_to_retry(
    limited_gateway: httpx.AsyncClient, token: TokenFactory, provision: Provision
) -> None:
    cashier = token(await provision(), Role.CASHIER)
    statuses = [(await limited_gateway.get("/v1/orders", auth=cashier)) for _ in range(3)]
    assert [r.status_code for r in statuses] == [503, 503, 429]
    refused = statuses[-1]
    assert refused.json()["code"] == "rate-limited"
    assert int(refused.headers["retry-after"]) >= 1
    other = token(await provision(), Role.CASHIER)
    assert (await limited_gateway.get("/v1/orders", auth=other)).status_code == 503


async def test_an_address_is_limited_before_any_token_is_verified(
    limited_gateway: httpx.AsyncClient,
) -> None:
    forged = {"Authorization": "DPoP not.a.token", "DPoP": "not.a.proof"}
    statuses = [
        (await limited_gateway.get("/v1/orders", headers=forged)).status_code for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
