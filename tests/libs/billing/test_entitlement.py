"""The tenant's subscription gates it at both layers (libs/billing/entitlement.py).

Every route the RBAC table marks as refused for a read-only subscription is called, with a
role that may call it, on the service directly and through a gateway whose services are
unreachable (so a refusal there is the gateway's own): both answer 403
`subscription-read-only`. Every route marked as served is called on the service and is not
refused for the subscription. A route added later is covered without a test change.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa

from gateway.app import create_app as create_gateway
from gateway.forwarding import AiohttpForwarder
from libs.auth.access_tokens import TokenVerifier
from libs.billing.entitlement import Entitlement, Mode
from libs.config import SERVICES
from libs.rbac import ROUTES, Role, Route
from libs.tenancy.database import TenantDatabase
from tests.conftest import LiveStack, _free_port
from tests.support.database import Connect, Provision, as_service
from tests.support.offline import Log, offline_till, upload
from tests.support.rbac import allowed_role, call, concrete_path
from tests.support.tills import coffee_order, open_till
from tests.support.tokens import TokenFactory

READ_ONLY = "subscription-read-only"
REFUSED = [r for r in ROUTES if r.permission is not None and not r.served_read_only]
SERVED = [r for r in ROUTES if r.permission is not None and r.served_read_only]


SetSubscription = Callable[..., Awaitable[None]]
_UPSERT = sa.text(
    """
    INSERT INTO billing.accounts (stripe_customer_id, subscription_id, status, grace_until,
                                  subscription_created)
    VALUES ('cus_test', :subscription, :status, :grace_until, now())
    ON CONFLICT (tenant_id) DO UPDATE
       SET subscription_id = excluded.subscription_id, status = excluded.status,
           grace_until = excluded.grace_until
    """
)


@pytest.fixture(scope="session")
def set_subscription(
    service_databases: dict[str, TenantDatabase],
) -> SetSubscription:
    """The account as the billing worker leaves it after Stripe's word: written as the
    billing role (never a superuser), in a transaction bound to the tenant."""

    async def write(
        tenant: uuid.UUID, status: str | None, *, grace_until: datetime | None = None
    ) -> None:
        subscription = None if status is None else "sub_test"
        params = {"subscription": subscription, "status": status, "grace_until": grace_until}
        async with service_databases["billing"].provisioning_transaction(tenant) as connection:
            await connection.execute(_UPSERT, params)

    return write


@pytest.fixture(scope="module")
async def read_only_tenant(provision: Provision, set_subscription: SetSubscription) -> uuid.UUID:
    tenant = await provision()
    await set_subscription(tenant, "canceled")
    return tenant


@pytest.fixture(scope="module")
async def unreachable_gateway(
    verifier: TokenVerifier, service_databases: dict[str, TenantDatabase]
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose services are all down: what it refuses, it refused itself."""
    closed_port = _free_port()
    forwarder = AiohttpForwarder()
    await forwarder.start()
    gateway = create_gateway(
        database=service_databases["gateway"],
        verifier=verifier,
        forwarder=forwarder,
        upstreams={spec.name: f"http://127.0.0.1:{closed_port}" for spec in SERVICES},
    )
    transport = httpx.ASGITransport(app=gateway, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
    await forwarder.close()


def _role(route: Route) -> Role:
    role = allowed_role(route)
    # Polling and acknowledging print jobs: served, tests/bridge/test_print_jobs.py.
    if role is None:
        pytest.skip("only a Bridge calls it")
    return role


@pytest.mark.parametrize("route", REFUSED, ids=lambda r: f"{r.method} {r.path}")
async def test_a_read_only_subscription_is_refused_at_both_layers(
    route: Route,
    read_only_tenant: uuid.UUID,
    token: TokenFactory,
    live_stack: LiveStack,
    unreachable_gateway: httpx.AsyncClient,
) -> None:
    auth = token(read_only_tenant, _role(route))
    service = await call(live_stack.services[route.service], route, auth=auth)
    gateway = await unreachable_gateway.request(
        route.method,
        concrete_path(route),
        content=b"{}",
        auth=auth,
        headers={"content-type": "application/json"},
    )
    for layer, response in (("service", service), ("gateway", gateway)):
        assert response.status_code == 403, (layer, response.text)
        assert response.headers["content-type"] == "application/problem+json", layer
        problem = response.json()
        assert problem["code"] == READ_ONLY, (layer, problem)
        assert problem["subscription_status"] == "canceled", layer


@pytest.mark.parametrize("route", SERVED, ids=lambda r: f"{r.method} {r.path}")
async def test_what_a_read_only_subscription_still_serves(
    route: Route,
    read_only_tenant: uuid.UUID,
    token: TokenFactory,
    live_stack: LiveStack,
    unreachable_gateway: httpx.AsyncClient,
) -> None:
    role = _role(route)
    auth = token(read_only_tenant, role)
    response = await call(live_stack.services[route.service], route, auth=auth)
    assert response.status_code != 403 or response.json()["code"] != READ_ONLY, response.text
    # The gateway forwards it (and finds the service down).
    forwarded = await unreachable_gateway.request(
        route.method,
        concrete_path(route),
        content=b"{}",
        auth=token(read_only_tenant, role),
        headers={"content-type": "application/json"},
    )
    assert forwarded.status_code == 503, forwarded.text


def test_the_entitlement_of_each_status() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    later, earlier = now + timedelta(days=3), now - timedelta(seconds=1)
    cases = [
        (None, None, Mode.FULL),  # provisioned, never subscribed
        ("active", None, Mode.FULL),
        ("trialing", None, Mode.FULL),
        ("incomplete", None, Mode.FULL),  # the first payment is under way
        ("past_due", later, Mode.GRACE),
        ("past_due", earlier, Mode.READ_ONLY),
        ("canceled", None, Mode.READ_ONLY),
        ("unpaid", None, Mode.READ_ONLY),
        ("incomplete_expired", None, Mode.READ_ONLY),
        ("paused", None, Mode.READ_ONLY),
    ]
    for status, grace_until, mode in cases:
        assert Entitlement(status, grace_until).mode(now) is mode, status


async def test_transitions_reach_the_till_at_once(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    set_subscription: SetSubscription,
) -> None:
    """The service reads the entitlement in the transaction of the sale: every change is seen
    by the next request (the gateway may lag by its cache, seconds)."""
    tenant = await provision()
    till = await open_till(connect_as, token, tenant)

    async def sell() -> httpx.Response:
        return await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)

    assert (await sell()).status_code == 201  # never subscribed: full use
    await set_subscription(tenant, "active")
    assert (await sell()).status_code == 201
    grace_until = datetime.now(UTC) + timedelta(days=14)
    await set_subscription(tenant, "past_due", grace_until=grace_until)
    warned = await sell()
    assert warned.status_code == 201
    assert datetime.fromisoformat(warned.headers["halopos-billing-grace-until"]) == grace_until
    await set_subscription(tenant, "past_due", grace_until=datetime.now(UTC) - timedelta(seconds=1))
    expired = await sell()
    assert (expired.status_code, expired.json()["code"]) == (403, READ_ONLY)
    await set_subscription(tenant, "unpaid")
    assert (await sell()).status_code == 403
    # Nothing recorded is lost or hidden: the till still reads its orders.
    listed = await orders_client.get("/v1/orders", auth=till.staff)
    assert listed.status_code == 200 and len(listed.json()["items"]) == 3
    await set_subscription(tenant, "active")  # paid: full use again
    renewed = await sell()
    assert renewed.status_code == 201
    assert "halopos-billing-grace-until" not in renewed.headers


async def test_a_read_only_business_s_offline_sales_are_kept_and_applied_after_renewal(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    set_subscription: SetSubscription,
) -> None:
    """What a till sold offline is never refused or lost: while the subscription is
    read-only the batch is stored and waits; the first upload after renewal applies it."""
    tenant = await provision()
    till = await offline_till(connect_as, token, orders_client, tenant)
    await set_subscription(tenant, "canceled")
    log = Log(till)
    log.open_shift()
    order_id = log.sale()
    held = await upload(orders_client, till, log.operations)
    assert held["held"] == READ_ONLY
    assert [item["status"] for item in held["items"]] == ["accepted"] * len(log.operations)
    assert {item["state"] for item in held["items"]} == {"pending"}
    assert held["applied_through"] == 0
    stored = await as_service(
        connect_as, "orders", tenant, "SELECT status FROM orders.sync_operations"
    )
    assert [row["status"] for row in stored] == ["pending"] * len(log.operations)
    assert await as_service(connect_as, "orders", tenant, "SELECT id FROM orders.orders") == []

    await set_subscription(tenant, "active")
    first = len(log.operations)
    log.sale()
    applied = await upload(orders_client, till, log.operations[first:])
    assert applied["held"] is None
    assert applied["applied_through"] == len(log.operations)
    orders = await as_service(connect_as, "orders", tenant, "SELECT id, status FROM orders.orders")
    assert order_id in {row["id"] for row in orders} and len(orders) == 2
