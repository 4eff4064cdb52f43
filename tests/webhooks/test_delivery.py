"""Webhooks end to end, through the gateway, against the real Postgres: a sale closes and the
receiver gets `order.closed`, signed and verified by the Standard Webhooks reference library;
it fails three times and then accepts, and still keeps the event once; the outbox survives a
worker restart; secret rotation; an endpoint that keeps failing is disabled and the owner
told; every attempt is in the delivery log and the audit log.

The worker under test retries within a fraction of a second (tests/conftest.py
WEBHOOKS_SETTINGS); the tests wait for what it does, never for a time."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from clients.session import DPoPAuth
from libs.rbac import Role
from services.webhooks.worker import WorkerHandle
from tests.conftest import LiveStack
from tests.support.database import Connect, Provision, as_service
from tests.support.sale import audit_rows, sold
from tests.support.tills import OpenTill, coffee_order, open_till
from tests.support.tokens import TokenFactory
from tests.support.webhooks import Receiver, serve, until


@dataclass
class Business:
    tenant: uuid.UUID
    owner: DPoPAuth
    till: OpenTill
    gateway: httpx.AsyncClient

    async def endpoint(self, url: str, *event_types: str) -> dict[str, Any]:
        created = await self.gateway.post(
            "/v1/webhooks/endpoints",
            json={"url": url, "description": "Books", "event_types": list(event_types)},
            auth=self.owner,
        )
        assert created.status_code == 201, created.text
        answer: dict[str, Any] = created.json()
        return answer

    async def deliveries(self, endpoint_id: str) -> list[dict[str, Any]]:
        page = await self.gateway.get(
            f"/v1/webhooks/endpoints/{endpoint_id}/deliveries", auth=self.owner
        )
        assert page.status_code == 200, page.text
        items: list[dict[str, Any]] = page.json()["items"]
        return items

    async def get(self, path: str) -> dict[str, Any]:
        response = await self.gateway.get(path, auth=self.owner)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


@pytest.fixture
async def business(
    live_stack: LiveStack, provision: Provision, token: TokenFactory, connect_as: Connect
) -> AsyncIterator[Business]:
    tenant = await provision()
    till = await open_till(connect_as, token, tenant)
    async with httpx.AsyncClient(base_url=live_stack.gateway, timeout=30) as gateway:
        yield Business(tenant, token(tenant, Role.OWNER), till, gateway)


async def delivered(business: Business, endpoint_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The endpoint's delivery log once `count` of its deliveries are delivered."""
    deadline = time.monotonic() + 15
    while True:
        found = await business.deliveries(endpoint_id)
        if sum(item["status"] == "delivered" for item in found) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not delivered: {found}")
        await asyncio.sleep(0.02)


async def test_a_closed_sale_reaches_the_receiver_signed_and_verifiable(
    business: Business, receiver: Receiver, connect_as: Connect
) -> None:
    endpoint = await business.endpoint(receiver.url, "order.closed")
    assert endpoint["secret"].startswith("whsec_")
    receiver.secrets = [endpoint["secret"]]

    sale = await sold(business.gateway, business.till)
    await until(lambda: bool(receiver.of_type("order.closed")))

    [request] = receiver.requests
    assert request.verified_with == [0] and request.status == 200
    event = receiver.of_type("order.closed")[0]
    assert set(event) == {"type", "timestamp", "data"}
    data = event["data"]
    assert data["order_id"] == sale["order"]["id"]
    assert data["receipt_id"] == sale["receipt"]["id"]
    assert (data["total_minor"], data["paid_minor"], data["currency"]) == (1250, 1250, "AUD")
    assert data["offline"] is False
    # Ids and amounts only: nobody's name, e-mail or the staff member who sold.
    assert business.till.subject not in request.body.decode()

    [delivery] = await delivered(business, endpoint["id"])
    assert delivery["message_id"] == request.headers["webhook-id"]
    assert delivery["data"] == data
    assert [(a["number"], a["status_code"], a["error"]) for a in delivery["attempts"]] == [
        (1, 200, None)
    ]
    succeeded = await audit_rows(connect_as, business.tenant, "webhook.delivery_succeeded")
    assert [row["resource_id"] for row in succeeded] == [delivery["id"]]
    assert succeeded[0]["payload"]["message_id"] == delivery["message_id"]
    created = await audit_rows(connect_as, business.tenant, "webhook_endpoint.created")
    assert [row["resource_id"] for row in created] == [endpoint["id"]]
    assert "secret" not in str(created[0]["payload"])


async def test_a_receiver_that_fails_three_times_still_sees_the_event_once(
    business: Business, receiver: Receiver, connect_as: Connect
) -> None:
    endpoint = await business.endpoint(receiver.url, "order.closed")
    receiver.secrets = [endpoint["secret"]]
    receiver.plan = [500, 500, 500]

    await sold(business.gateway, business.till)
    [delivery] = await delivered(business, endpoint["id"])

    assert [request.status for request in receiver.requests] == [500, 500, 500, 200]
    assert len({request.headers["webhook-id"] for request in receiver.requests}) == 1
    assert all(request.verified_with == [0] for request in receiver.requests)
    assert len(receiver.of_type("order.closed")) == 1
    assert [(a["number"], a["status_code"], a["error"]) for a in delivery["attempts"]] == [
        (1, 500, "HTTP 500"),
        (2, 500, "HTTP 500"),
        (3, 500, "HTTP 500"),
        (4, 200, None),
    ]
    assert delivery["attempt_count"] == 4
    failed = await audit_rows(connect_as, business.tenant, "webhook.delivery_failed")
    assert [row["payload"]["attempt"] for row in failed] == [1, 2, 3]
    assert all(row["payload"]["outcome"] == "pending" for row in failed)
    succeeded = await audit_rows(connect_as, business.tenant, "webhook.delivery_succeeded")
    assert [row["payload"]["attempt"] for row in succeeded] == [4]


async def test_the_outbox_survives_a_worker_restart(
    business: Business, receiver: Receiver, live_stack: LiveStack, connect_as: Connect
) -> None:
    endpoint = await business.endpoint(receiver.url, "order.closed")
    receiver.secrets = [endpoint["secret"]]
    worker: WorkerHandle = live_stack.apps["webhooks"].state.webhook_worker
    await worker.stop()
    try:
        sale = await sold(business.gateway, business.till)
        # Committed with the sale, waiting: nothing was sent, nothing was lost.
        waiting = await as_service(
            connect_as,
            "webhooks",
            business.tenant,
            "SELECT event_type, payload->>'order_id' AS order_id, fanned_out_at "
            "FROM webhooks.messages WHERE event_type = 'order.closed'",
        )
        assert [dict(row) for row in waiting] == [
            {"event_type": "order.closed", "order_id": sale["order"]["id"], "fanned_out_at": None}
        ]
        assert receiver.requests == []
    finally:
        worker.start()
    await until(lambda: bool(receiver.of_type("order.closed")))
    assert receiver.of_type("order.closed")[0]["data"]["order_id"] == sale["order"]["id"]


async def fanned_out(connect_as: Connect, tenant: uuid.UUID) -> bool:
    """Whether the worker has fanned out every message of the business."""
    waiting = await as_service(
        connect_as,
        "webhooks",
        tenant,
        "SELECT count(*) AS waiting FROM webhooks.messages WHERE fanned_out_at IS NULL",
    )
    return bool(waiting[0]["waiting"] == 0)


async def test_an_endpoint_gets_only_what_happened_after_it_was_made(
    business: Business, receiver: Receiver, live_stack: LiveStack, connect_as: Connect
) -> None:
    worker: WorkerHandle = live_stack.apps["webhooks"].state.webhook_worker
    await worker.stop()
    try:
        # Still waiting in the outbox when the endpoint is made: not the endpoint's history.
        before = await sold(business.gateway, business.till)
        endpoint = await business.endpoint(receiver.url, "order.closed")
        receiver.secrets = [endpoint["secret"]]
        after = await sold(business.gateway, business.till)
    finally:
        worker.start()
    [delivery] = await delivered(business, endpoint["id"])
    assert await fanned_out(connect_as, business.tenant)
    assert delivery["data"]["order_id"] == after["order"]["id"]
    assert [event["data"]["order_id"] for event in receiver.of_type("order.closed")] == [
        after["order"]["id"]
    ]
    assert before["order"]["id"] != after["order"]["id"]


async def test_what_happens_while_an_endpoint_is_disabled_is_sent_when_it_is_enabled(
    business: Business, receiver: Receiver, connect_as: Connect
) -> None:
    endpoint = await business.endpoint(receiver.url, "order.closed")
    receiver.secrets = [endpoint["secret"]]
    path = f"/v1/webhooks/endpoints/{endpoint['id']}"
    disabled = await business.gateway.post(f"{path}/disable", auth=business.owner)
    assert disabled.status_code == 200 and disabled.json()["status"] == "disabled"

    sale = await sold(business.gateway, business.till)
    deadline = time.monotonic() + 15
    while not await fanned_out(connect_as, business.tenant):
        assert time.monotonic() < deadline, "the worker did not fan the message out"
        await asyncio.sleep(0.02)
    # Kept for the endpoint, not sent: it waits in the delivery log.
    [waiting] = await business.deliveries(endpoint["id"])
    assert (waiting["status"], waiting["attempts"]) == ("pending", [])
    assert receiver.requests == []

    enabled = await business.gateway.post(f"{path}/enable", auth=business.owner)
    assert enabled.status_code == 200, enabled.text
    await until(lambda: bool(receiver.of_type("order.closed")))
    assert receiver.of_type("order.closed")[0]["data"]["order_id"] == sale["order"]["id"]


async def test_a_rotated_secret_signs_beside_the_new_one_until_its_grace_ends(
    business: Business, receiver: Receiver
) -> None:
    endpoint = await business.endpoint(receiver.url, "order.closed")
    first = endpoint["secret"]
    rotated = await business.gateway.post(
        f"/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret",
        json={"grace_period_seconds": 3600},
        auth=business.owner,
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.headers["cache-control"] == "no-store"
    second = rotated.json()["secret"]
    assert second != first and rotated.json()["previous_secret_expires_at"] is not None
    receiver.secrets = [first, second]

    await sold(business.gateway, business.till)
    await until(lambda: len(receiver.requests) == 1)
    during = receiver.requests[0]
    assert during.verified_with == [0, 1]
    assert len(during.headers["webhook-signature"].split(" ")) == 2

    # Rotating again with no grace: only the newest secret signs from now on.
    again = await business.gateway.post(
        f"/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret",
        json={"grace_period_seconds": 0},
        auth=business.owner,
    )
    assert again.status_code == 200, again.text
    third = again.json()["secret"]
    assert again.json()["previous_secret_expires_at"] is None
    receiver.secrets = [first, second, third]
    await sold(business.gateway, business.till)
    await until(lambda: len(receiver.requests) == 2)
    after = receiver.requests[1]
    assert after.verified_with == [2]
    assert len(after.headers["webhook-signature"].split(" ")) == 1


async def test_an_endpoint_that_keeps_failing_is_disabled_and_the_owner_told(
    business: Business, receiver: Receiver, connect_as: Connect
) -> None:
    # Another receiver of the business listens for endpoint.disabled.
    watcher = Receiver()
    runner = await serve(watcher)
    try:
        watching = await business.endpoint(watcher.url, "endpoint.disabled")
        watcher.secrets = [watching["secret"]]
        failing = await business.endpoint(receiver.url, "order.closed")
        receiver.secrets = [failing["secret"]]
        receiver.plan = [503] * 1000

        # Two messages in a row spend every attempt (tests/conftest.py: the limit is 2).
        await sold(business.gateway, business.till)
        await sold(business.gateway, business.till)
        await until(lambda: bool(watcher.of_type("endpoint.disabled")))

        endpoint = await business.get(f"/v1/webhooks/endpoints/{failing['id']}")
        assert endpoint["status"] == "disabled"
        assert endpoint["disabled_reason"] == "2 messages in a row failed every attempt"
        notice = watcher.of_type("endpoint.disabled")[0]["data"]
        assert notice["endpoint_id"] == failing["id"]
        assert notice["reason"] == endpoint["disabled_reason"]
        disabled = await audit_rows(connect_as, business.tenant, "webhook_endpoint.disabled")
        assert [row["resource_id"] for row in disabled] == [failing["id"]]
        assert disabled[0]["actor_id"] == "webhooks-worker"

        deliveries = await business.deliveries(failing["id"])
        assert [item["status"] for item in deliveries] == ["failed", "failed"]
        # Every attempt of the schedule: the first and seven retries.
        assert [item["attempt_count"] for item in deliveries] == [8, 8]

        # A disabled endpoint is not replayed to; enabled again, a replay goes.
        path = f"/v1/webhooks/endpoints/{failing['id']}"
        refused = await business.gateway.post(
            f"{path}/deliveries/{deliveries[0]['id']}/replay", auth=business.owner
        )
        assert refused.status_code == 409
        assert refused.json()["code"] == "webhook-endpoint-disabled"
        enabled = await business.gateway.post(f"{path}/enable", auth=business.owner)
        assert enabled.status_code == 200 and enabled.json()["status"] == "enabled"
        receiver.plan = []
        replayed = await business.gateway.post(
            f"{path}/deliveries/{deliveries[0]['id']}/replay", auth=business.owner
        )
        assert replayed.status_code == 200, replayed.text
        await until(lambda: len(receiver.of_type("order.closed")) == 1)
        assert next(iter(receiver.events)) == deliveries[0]["message_id"]
        replays = await audit_rows(connect_as, business.tenant, "webhook.delivery_replayed")
        assert [row["resource_id"] for row in replays] == [deliveries[0]["id"]]
    finally:
        await runner.cleanup()


async def test_a_shift_closed_and_a_menu_change_are_sent(
    business: Business, receiver: Receiver
) -> None:
    endpoint = await business.endpoint(receiver.url, "shift.closed", "menu.changed")
    receiver.secrets = [endpoint["secret"]]
    category = await business.gateway.post(
        "/v1/menu/categories", json={"name": "Pastries"}, auth=business.owner
    )
    assert category.status_code == 201, category.text
    closed = await business.gateway.post(
        f"/v1/shifts/{business.till.shift_id}/close",
        json={"version": 1, "counted": {"cash": 20_000, "card": 0}},
        auth=business.till.staff,
    )
    assert closed.status_code == 200, closed.text
    await until(lambda: bool(receiver.of_type("shift.closed")))
    await until(lambda: bool(receiver.of_type("menu.changed")))
    # One menu.changed per change, however many rows and statements it touched.
    assert len(receiver.of_type("menu.changed")) == 1
    shift = receiver.of_type("shift.closed")[0]["data"]
    assert shift["shift_id"] == str(business.till.shift_id)
    assert shift["counted"] == {"cash": 20_000, "card": 0}
    assert shift["currency"] == "AUD"


async def test_a_void_a_refund_and_a_period_close_are_sent(
    business: Business, receiver: Receiver
) -> None:
    endpoint = await business.endpoint(
        receiver.url, "order.voided", "refund.issued", "period.closed"
    )
    receiver.secrets = [endpoint["secret"]]
    gateway, till = business.gateway, business.till
    # Voids and refunds this small need no manager's override here.
    limits = await gateway.patch(
        "/v1/settings/override-limits",
        json={"void_limit_minor": 10_000, "refund_limit_minor": 10_000},
        auth=business.owner,
    )
    assert limits.status_code == 200, limits.text

    opened = await gateway.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    order = opened.json()
    voided = await gateway.post(
        f"/v1/orders/{order['id']}/void",
        json={"version": order["version"], "reason_code": "customer_request"},
        auth=till.staff,
    )
    assert voided.status_code == 200, voided.text
    sale = await sold(gateway, till)
    refunded = await gateway.post(
        f"/v1/orders/{sale['order']['id']}/refunds",
        json={
            "version": sale["order"]["version"],
            "reason_code": "quality_issue",
            "amount_minor": 300,
        },
        auth=till.staff,
    )
    assert refunded.status_code == 201, refunded.text
    day = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    closure = await gateway.post(
        "/v1/reports/closures",
        json={"location_id": str(till.location_id), "kind": "day", "period": day},
        auth=business.owner,
    )
    assert closure.status_code == 201, closure.text

    await until(lambda: len(receiver.events) == 3)
    [void] = receiver.of_type("order.voided")
    assert void["data"]["order_id"] == order["id"]
    assert (void["data"]["total_minor"], void["data"]["reason_code"]) == (1250, "customer_request")
    [refund] = receiver.of_type("refund.issued")
    assert refund["data"]["order_id"] == sale["order"]["id"]
    assert (refund["data"]["amount_minor"], refund["data"]["currency"]) == (300, "AUD")
    assert refund["data"]["tenders"] == [{"tender": "cash", "amount_minor": 300}]
    [closed] = receiver.of_type("period.closed")
    assert (closed["data"]["closure_id"], closed["data"]["period"]) == (closure.json()["id"], day)
    assert closed["data"]["totals"] == closure.json()["totals"]
