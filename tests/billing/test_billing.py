"""Billing against a fake Stripe that speaks Stripe's HTTP API (doubles/fake_stripe), through
the same client code production uses; webhooks are delivered exactly as Stripe would POST
them, signed with the real scheme by the fake (not by the library that verifies them)."""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from doubles.fake_stripe import (
    PRICE_AUD,
    PRICE_EUR,
    ServedFakeStripe,
    serve_fake_stripe,
    sign_payload,
)
from libs.auth.access_tokens import TokenVerifier
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.billing.app import create_app
from services.billing.repository import Account, SubscriptionState
from services.billing.service import decide
from services.billing.settings import BillingSettings
from services.billing.stripe_api import SubscriptionFacts
from tests.conftest import _free_port
from tests.support.database import Connect, Provision, as_service
from tests.support.tills import coffee_order, open_till
from tests.support.tokens import TokenFactory

# Made per run, never kept: the repository holds no key of any kind.
API_KEY = f"sk_test_{secrets.token_hex(12)}"
WEBHOOK_SECRET = f"whsec_{secrets.token_hex(16)}"
GRACE_DAYS = 7
WEBHOOK = "/v1/billing/webhooks/stripe"


def settings_for(api_base: str, **overrides: Any) -> BillingSettings:
    values: dict[str, Any] = {
        "stripe_api_key": API_KEY,
        "stripe_webhook_secret": WEBHOOK_SECRET,
        "stripe_api_base": api_base,
        "stripe_price_aud": PRICE_AUD,
        "stripe_price_eur": PRICE_EUR,
        "billing_grace_days": GRACE_DAYS,
        "billing_return_url": "https://backoffice.example/billing",
    }
    return BillingSettings(**(values | overrides))


@dataclass
class Billing:
    app: FastAPI
    client: httpx.AsyncClient
    stripe: ServedFakeStripe

    async def fake(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Stripe's API (and the fake's test helpers), with the secret key."""
        async with httpx.AsyncClient(base_url=self.stripe.url) as client:
            response = await client.request(
                method, path, headers={"Authorization": f"Bearer {API_KEY}"}, **kwargs
            )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def event_ids(self) -> list[str]:
        """Every event of the account, oldest first."""
        newest_first = (await self.fake("GET", "/v1/events", params={"limit": 100}))["data"]
        return [event["id"] for event in reversed(newest_first)]

    async def events_of(self, action: Callable[[], Awaitable[object]]) -> dict[str, str]:
        """Run `action`; the events it made, by type."""
        before = set(await self.event_ids())
        await action()
        made = [event for event in await self.event_ids() if event not in before]
        types = {}
        for event_id in made:
            types[(await self.fake("GET", f"/v1/events/{event_id}"))["type"]] = event_id
        return types

    async def deliver(self, event_id: str, *, timestamp: int | None = None) -> httpx.Response:
        """POST the event to the webhook exactly as Stripe would."""
        params = {"timestamp": timestamp} if timestamp is not None else {}
        delivery = await self.fake("GET", f"/_fake/events/{event_id}/delivery", params=params)
        return await self.client.post(
            WEBHOOK, content=delivery["body"].encode(), headers=delivery["headers"]
        )

    async def apply(self, tenant: uuid.UUID) -> list[str]:
        outcomes: list[str] = await self.app.state.billing_worker.apply_pending(tenant)
        return outcomes

    async def deliver_and_apply(self, tenant: uuid.UUID, *event_ids: str) -> list[str]:
        for event_id in event_ids:
            response = await self.deliver(event_id)
            assert response.status_code == 200, response.text
        return await self.apply(tenant)

    async def subscription(self, auth: httpx.Auth) -> dict[str, Any]:
        response = await self.client.get("/v1/billing/subscription", auth=auth)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def subscribe(self, tenant: uuid.UUID, owner: httpx.Auth) -> Subscribed:
        """Checkout, paid on the hosted page, and Stripe's events applied."""
        started = await self.client.post("/v1/billing/checkout-sessions", auth=owner)
        assert started.status_code == 201, started.text
        url = started.json()["url"]

        async def pay() -> None:
            async with httpx.AsyncClient() as browser:
                paid = await browser.post(url)
            assert paid.status_code == 303, paid.text

        events = await self.events_of(pay)
        await self.deliver_and_apply(tenant, *events.values())
        session = await self.fake("GET", f"/v1/checkout/sessions/{started.json()['id']}")
        return Subscribed(session["subscription"], session["customer"], events)

    async def webhook_rows(self, connect_as: Connect, tenant: uuid.UUID) -> list[Any]:
        return await as_service(
            connect_as,
            "billing",
            tenant,
            "SELECT id, type, outcome, attempts, last_error FROM billing.stripe_events "
            "ORDER BY received_at",
        )


@dataclass(frozen=True)
class Subscribed:
    subscription_id: str
    customer_id: str
    events: dict[str, str]


@pytest.fixture(scope="module")
async def billing(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> AsyncIterator[Billing]:
    async with serve_fake_stripe(api_key=API_KEY, webhook_secret=WEBHOOK_SECRET) as stripe:
        app = create_app(service_databases["billing"], verifier, settings_for(stripe.url))
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://billing") as client:
            yield Billing(app, client, stripe)
        await app.state.stripe.close()


async def audit_actions(connect_as: Connect, tenant: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    rows = await as_service(
        connect_as, "audit", tenant, "SELECT action, payload FROM audit.events ORDER BY seq"
    )
    return [(row["action"], json.loads(row["payload"])) for row in rows]


async def test_an_owner_subscribes_then_cancels_and_the_business_turns_read_only(
    billing: Billing,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    """The issue's "done means", step by step."""
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    before = await billing.subscription(owner)
    assert (before["status"], before["billing_account"]) == (None, False)
    assert before["entitlement"] == {"mode": "full", "grace_until": None}

    # An owner gets a Checkout URL: Stripe's hosted page, for the tenant's price.
    started = await billing.client.post("/v1/billing/checkout-sessions", auth=owner)
    assert started.status_code == 201, started.text
    checkout = started.json()
    assert checkout["url"] == f"{billing.stripe.url}/checkout/{checkout['id']}"
    session = await billing.fake("GET", f"/v1/checkout/sessions/{checkout['id']}")
    assert session["mode"] == "subscription"
    assert session["client_reference_id"] == str(tenant)
    assert (session["currency"], session["amount_total"]) == ("aud", 4900)
    assert session["success_url"].startswith("https://backoffice.example/billing?checkout=")

    async def pay() -> None:
        async with httpx.AsyncClient() as browser:
            assert (await browser.post(checkout["url"])).status_code == 303

    events = await billing.events_of(pay)
    # A signed checkout.session.completed, then customer.subscription.updated, activate it.
    assert await billing.deliver_and_apply(
        tenant, events["checkout.session.completed"], events["customer.subscription.updated"]
    ) == ["applied", "unchanged"]
    active = await billing.subscription(owner)
    assert active["status"] == "active"
    assert active["plan"] == {
        "price_id": PRICE_AUD,
        "name": "halopos Standard",
        "amount_minor": 4900,
        "currency": "AUD",
        "interval": "month",
    }
    assert datetime.fromisoformat(active["current_period_end"]) > datetime.now(UTC)
    assert active["entitlement"]["mode"] == "full"

    till = await open_till(connect_as, token, tenant)
    sold = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert sold.status_code == 201, sold.text

    # The portal URL is returned; cancelling there sends customer.subscription.deleted.
    portal = await billing.client.post("/v1/billing/portal-sessions", auth=owner)
    assert portal.status_code == 201, portal.text
    portal_url = portal.json()["url"]
    assert portal_url.startswith(f"{billing.stripe.url}/portal/")

    async def cancel() -> None:
        async with httpx.AsyncClient() as browser:
            assert (await browser.post(f"{portal_url}/cancel")).status_code == 303

    cancelled = await billing.events_of(cancel)
    assert list(cancelled) == ["customer.subscription.deleted"]
    assert await billing.deliver_and_apply(tenant, *cancelled.values()) == ["applied"]
    ended = await billing.subscription(owner)
    assert ended["status"] == "canceled"
    assert ended["entitlement"]["mode"] == "read-only"

    # Read-only: new sales refused with a clear problem type; reports still served.
    refused = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert refused.status_code == 403
    assert refused.json()["code"] == "subscription-read-only"
    accountant = token(tenant, Role.ACCOUNTANT)
    today = datetime.now(UTC).date().isoformat()
    report = await reports_client.get(
        "/v1/reports/daily-summary",
        params={"location_id": str(till.location_id), "period": today},
        auth=accountant,
    )
    assert report.status_code == 200, report.text
    listed = await orders_client.get("/v1/orders", auth=till.staff)
    assert [order["id"] for order in listed.json()["items"]] == [sold.json()["id"]]

    # The owner may subscribe again (the ended subscription is kept, nothing deleted).
    again = await billing.client.post("/v1/billing/checkout-sessions", auth=owner)
    assert again.status_code == 201, again.text

    actions = [action for action, _ in await audit_actions(connect_as, tenant)]
    for expected in (
        "billing.checkout.started",
        "billing.stripe_event.received",
        "billing.subscription.changed",
        "billing.portal.opened",
    ):
        assert expected in actions, expected
    changes = [
        p for a, p in await audit_actions(connect_as, tenant) if a == "billing.subscription.changed"
    ]
    assert [(c["status_before"], c["status"]) for c in changes] == [
        (None, "active"),
        ("active", "canceled"),
    ]


async def test_a_bad_signature_is_refused_and_stores_nothing(
    billing: Billing, provision: Provision, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    subscribed = await billing.subscribe(tenant, token(tenant, Role.OWNER))
    event_id = subscribed.events["invoice.paid"]
    delivery = await billing.fake("GET", f"/_fake/events/{event_id}/delivery")
    body: str = delivery["body"]
    signed = delivery["headers"]["Stripe-Signature"]
    timestamp = int(signed.split(",")[0].removeprefix("t="))
    attempts = {
        "tampered body": (body.replace('"paid"', '"void"', 1), signed),
        "another secret": (body, sign_payload(f"whsec_{secrets.token_hex(16)}", body, timestamp)),
        "no v1 signature": (body, f"t={timestamp}"),
        "no header": (body, None),
    }
    rows_before = await billing.webhook_rows(connect_as, tenant)
    for name, (content, signature) in attempts.items():
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["Stripe-Signature"] = signature
        response = await billing.client.post(WEBHOOK, content=content.encode(), headers=headers)
        assert response.status_code == 400, name
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "invalid-stripe-signature", name
        assert signed not in response.text and WEBHOOK_SECRET not in response.text
    assert await billing.webhook_rows(connect_as, tenant) == rows_before


async def test_a_stale_signature_is_refused(
    billing: Billing, provision: Provision, token: TokenFactory, connect_as: Connect
) -> None:
    """A delivery captured and replayed later: its signature is genuine but too old."""
    tenant = await provision()
    subscribed = await billing.subscribe(tenant, token(tenant, Role.OWNER))
    event_id = subscribed.events["invoice.paid"]
    stale = await billing.deliver(event_id, timestamp=int(time.time()) - 301)
    assert stale.status_code == 400
    assert stale.json()["code"] == "invalid-stripe-signature"
    # Within the 300 s tolerance it is a redelivery: acknowledged, not stored again.
    recent = await billing.deliver(event_id, timestamp=int(time.time()) - 200)
    assert recent.status_code == 200
    assert recent.json() == {"received": True, "stored": False, "ignored": None}


async def test_a_replayed_event_is_stored_and_applied_once(
    billing: Billing, provision: Provision, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    subscribed = await billing.subscribe(tenant, owner)

    async def fail() -> None:
        path = f"/_fake/subscriptions/{subscribed.subscription_id}/payment_failed"
        await billing.fake("POST", path)

    failed = await billing.events_of(fail)
    event_id = failed["invoice.payment_failed"]
    answers = [(await billing.deliver(event_id)).json() for _ in range(3)]
    assert [answer["stored"] for answer in answers] == [True, False, False]
    assert await billing.apply(tenant) == ["applied"]
    assert await billing.apply(tenant) == []
    rows = [row for row in await billing.webhook_rows(connect_as, tenant) if row["id"] == event_id]
    assert [(row["outcome"], row["attempts"]) for row in rows] == [("applied", 1)]
    actions = await audit_actions(connect_as, tenant)
    received = [
        p
        for a, p in actions
        if a == "billing.stripe_event.received" and p["type"] == "invoice.payment_failed"
    ]
    assert len(received) == 1
    [failure] = [p for a, p in actions if a == "billing.invoice.payment_failed"]
    assert failure["amount_due_minor"] == 4900 and failure["amount_paid_minor"] == 0
    assert failure["currency"] == "AUD"


async def test_events_in_any_order_leave_stripe_s_latest_word(
    billing: Billing, provision: Provision, token: TokenFactory, connect_as: Connect
) -> None:
    """Re-fetched when applied: the deletion first and the older activation last still
    leaves the subscription canceled."""
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    started = await billing.client.post("/v1/billing/checkout-sessions", auth=owner)
    session_id = started.json()["id"]
    events = await billing.events_of(
        lambda: billing.fake("POST", f"/_fake/checkout/sessions/{session_id}/complete")
    )
    session = await billing.fake("GET", f"/v1/checkout/sessions/{session_id}")
    deleted = await billing.events_of(
        lambda: billing.fake("DELETE", f"/v1/subscriptions/{session['subscription']}")
    )
    newest_first = [deleted["customer.subscription.deleted"], *reversed(events.values())]
    for event_id in newest_first:
        assert (await billing.deliver(event_id)).status_code == 200
    # Applied in Stripe's order by `created`; each re-fetch answers "canceled".
    outcomes = await billing.apply(tenant)
    assert outcomes[0] == "applied" and set(outcomes[1:]) == {"unchanged"}
    assert (await billing.subscription(owner))["status"] == "canceled"
    # Delivered one at a time, newest first, the result is the same.
    other = await provision()
    other_owner = token(other, Role.OWNER)
    subscribed = await billing.subscribe(other, other_owner)
    late = await billing.events_of(
        lambda: billing.fake("DELETE", f"/v1/subscriptions/{subscribed.subscription_id}")
    )
    await billing.deliver_and_apply(other, *late.values())
    for event_id in reversed(list(subscribed.events.values())):
        assert await billing.deliver_and_apply(other, event_id) == []  # already applied
    assert (await billing.subscription(other_owner))["status"] == "canceled"


async def test_a_late_event_of_an_ended_subscription_never_ends_the_next_one(
    billing: Billing, provision: Provision, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    first = await billing.subscribe(tenant, owner)
    # A failed payment of the first subscription whose events Stripe delivers only later.
    held = await billing.events_of(
        lambda: billing.fake("POST", f"/_fake/subscriptions/{first.subscription_id}/payment_failed")
    )
    ended = await billing.events_of(
        lambda: billing.fake("DELETE", f"/v1/subscriptions/{first.subscription_id}")
    )
    await billing.deliver_and_apply(tenant, *ended.values())
    second = await billing.subscribe(tenant, owner)
    assert second.subscription_id != first.subscription_id
    assert second.customer_id == first.customer_id  # one Stripe customer per business
    assert (await billing.subscription(owner))["subscription_id"] == second.subscription_id

    # The first subscription's late events touch nothing.
    outcomes = await billing.deliver_and_apply(tenant, *held.values())
    assert outcomes == ["other-subscription", "other-subscription"]
    now = await billing.subscription(owner)
    assert (now["subscription_id"], now["status"]) == (second.subscription_id, "active")


def _signed(event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event)
    header = sign_payload(WEBHOOK_SECRET, body, int(time.time()))
    return body.encode(), {"Content-Type": "application/json", "Stripe-Signature": header}


def _event(type: str, data_object: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2026-10-28",
        "created": int(time.time()),
        "livemode": False,
        "type": type,
        "data": {"object": data_object},
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
    }


async def test_events_halopos_does_not_handle_are_acknowledged_and_ignored(
    billing: Billing, provision: Provision, connect_as: Connect
) -> None:
    tenant = await provision()
    cases = {
        "unhandled-type": _event(
            "charge.succeeded", {"id": "ch_1", "object": "charge", "metadata": {}}
        ),
        "no-tenant": _event(
            "customer.subscription.updated", {"id": "sub_x", "object": "subscription"}
        ),
        "unknown-tenant": _event(
            "customer.subscription.updated",
            {"id": "sub_y", "object": "subscription", "metadata": {"tenant_id": str(uuid.uuid4())}},
        ),
    }
    for reason, event in cases.items():
        body, headers = _signed(event)
        response = await billing.client.post(WEBHOOK, content=body, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json() == {"received": True, "stored": False, "ignored": reason}
    assert await billing.webhook_rows(connect_as, tenant) == []


async def test_a_webhook_for_one_business_never_touches_another(
    billing: Billing,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    orders_client: httpx.AsyncClient,
) -> None:
    tenant_a, tenant_b = await provision(), await provision()
    a = await billing.subscribe(tenant_a, token(tenant_a, Role.OWNER))
    assert (await billing.subscription(token(tenant_b, Role.OWNER)))["billing_account"] is False
    assert await billing.webhook_rows(connect_as, tenant_b) == []

    # A signed event that names B but carries A's subscription (a mix-up, or a forgery by
    # someone holding the signing secret): stored under B, and it changes neither.
    crossed = _event(
        "checkout.session.completed",
        {
            "id": "cs_crossed",
            "object": "checkout.session",
            "mode": "subscription",
            "client_reference_id": str(tenant_b),
            "subscription": a.subscription_id,
            "customer": a.customer_id,
        },
    )
    body, headers = _signed(crossed)
    assert (await billing.client.post(WEBHOOK, content=body, headers=headers)).json()["stored"]
    assert await billing.apply(tenant_b) == ["tenant-mismatch"]
    assert (await billing.subscription(token(tenant_b, Role.OWNER)))["billing_account"] is False
    assert await billing.webhook_rows(connect_as, tenant_a) != []
    assert crossed["id"] not in {r["id"] for r in await billing.webhook_rows(connect_as, tenant_a)}

    # A's cancellation makes A read-only; B keeps selling.
    ended = await billing.events_of(
        lambda: billing.fake("DELETE", f"/v1/subscriptions/{a.subscription_id}")
    )
    await billing.deliver_and_apply(tenant_a, *ended.values())
    till_b = await open_till(connect_as, token, tenant_b)
    sold = await orders_client.post("/v1/orders", json=coffee_order(till_b), auth=till_b.staff)
    assert sold.status_code == 201, sold.text


async def test_past_due_keeps_full_use_with_a_warning_until_paid(
    billing: Billing,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    orders_client: httpx.AsyncClient,
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    subscribed = await billing.subscribe(tenant, owner)
    path = f"/_fake/subscriptions/{subscribed.subscription_id}"
    failed = await billing.events_of(lambda: billing.fake("POST", f"{path}/payment_failed"))
    await billing.deliver_and_apply(tenant, *failed.values())
    overdue = await billing.subscription(owner)
    assert overdue["status"] == "past_due"
    grace_until = datetime.fromisoformat(overdue["entitlement"]["grace_until"])
    failed_at = await billing.fake("GET", f"/v1/events/{failed['invoice.payment_failed']}")
    assert grace_until == datetime.fromtimestamp(failed_at["created"], UTC) + timedelta(
        days=GRACE_DAYS
    )
    assert overdue["entitlement"]["mode"] == "grace"

    till = await open_till(connect_as, token, tenant)
    sold = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert sold.status_code == 201
    assert datetime.fromisoformat(sold.headers["halopos-billing-grace-until"]) == grace_until

    # A second failed attempt does not restart the grace period.
    again = await billing.events_of(lambda: billing.fake("POST", f"{path}/payment_failed"))
    await billing.deliver_and_apply(tenant, *again.values())
    assert (await billing.subscription(owner))["entitlement"]["grace_until"] == (
        overdue["entitlement"]["grace_until"]
    )
    paid = await billing.events_of(lambda: billing.fake("POST", f"{path}/payment_succeeded"))
    await billing.deliver_and_apply(tenant, *paid.values())
    settled = await billing.subscription(owner)
    assert settled["status"] == "active"
    assert settled["entitlement"] == {"mode": "full", "grace_until": None}
    sold = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert "halopos-billing-grace-until" not in sold.headers

    # Unpaid after the retries: read-only.
    unpaid = await billing.events_of(
        lambda: billing.fake("POST", f"{path}/status", data={"status": "unpaid"})
    )
    await billing.deliver_and_apply(tenant, *unpaid.values())
    refused = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert refused.json()["code"] == "subscription-read-only"


async def test_checkout_and_portal_answer_what_the_business_can_do(
    billing: Billing, provision: Provision, token: TokenFactory
) -> None:
    tenant = await provision("eu")
    owner = token(tenant, Role.OWNER)
    no_account = await billing.client.post("/v1/billing/portal-sessions", auth=owner)
    assert (no_account.status_code, no_account.json()["code"]) == (409, "no-billing-account")
    # The same Idempotency-Key gets the same Checkout Session back.
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await billing.client.post("/v1/billing/checkout-sessions", auth=owner, headers=key)
    second = await billing.client.post("/v1/billing/checkout-sessions", auth=owner, headers=key)
    assert first.json()["id"] == second.json()["id"]
    session = await billing.fake("GET", f"/v1/checkout/sessions/{first.json()['id']}")
    assert (session["currency"], session["amount_total"]) == ("eur", 3900)
    await billing.subscribe(tenant, owner)
    twice = await billing.client.post("/v1/billing/checkout-sessions", auth=owner)
    assert (twice.status_code, twice.json()["code"]) == (409, "subscription-exists")


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CASHIER, Role.ACCOUNTANT])
async def test_billing_is_the_owner_s_alone(
    billing: Billing, provision: Provision, token: TokenFactory, role: Role
) -> None:
    tenant = await provision()
    for method, path in (
        ("POST", "/v1/billing/checkout-sessions"),
        ("POST", "/v1/billing/portal-sessions"),
        ("GET", "/v1/billing/subscription"),
    ):
        response = await billing.client.request(method, path, auth=token(tenant, role))
        assert (response.status_code, response.json()["code"]) == (403, "permission-denied")


async def test_an_event_waits_while_stripe_is_unreachable(
    billing: Billing,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
) -> None:
    """Stored first, applied later: an outage at Stripe loses nothing."""
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    started = await billing.client.post("/v1/billing/checkout-sessions", auth=owner)
    session_id = started.json()["id"]
    events = await billing.events_of(
        lambda: billing.fake("POST", f"/_fake/checkout/sessions/{session_id}/complete")
    )
    cut_off = create_app(
        service_databases["billing"],
        verifier,
        settings_for(f"http://127.0.0.1:{_free_port()}"),
    )
    transport = httpx.ASGITransport(app=cut_off)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://billing") as client:
            delivery = await billing.fake(
                "GET", f"/_fake/events/{events['checkout.session.completed']}/delivery"
            )
            stored = await client.post(
                WEBHOOK, content=delivery["body"].encode(), headers=delivery["headers"]
            )
            assert stored.json()["stored"] is True
            assert await cut_off.state.billing_worker.apply_pending(tenant) == []
    finally:
        await cut_off.state.stripe.close()
    [row] = await billing.webhook_rows(connect_as, tenant)
    assert (row["outcome"], row["attempts"]) == (None, 1)
    assert "Stripe answered" in row["last_error"]
    # Stripe is back: the sweep finds the tenant from the database and applies the event.
    await billing.app.state.billing_worker.sweep()
    [row] = await billing.webhook_rows(connect_as, tenant)
    assert (row["outcome"], row["attempts"], row["last_error"]) == ("applied", 2, None)
    assert (await billing.subscription(owner))["status"] == "active"


async def test_no_secret_reaches_a_log_or_an_answer(
    billing: Billing,
    provision: Provision,
    token: TokenFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tenant = await provision()
    subscribed = await billing.subscribe(tenant, token(tenant, Role.OWNER))
    bad = await billing.client.post(
        WEBHOOK, content=b"{}", headers={"Stripe-Signature": f"t=1,v1={WEBHOOK_SECRET}"}
    )
    assert bad.status_code == 400
    settings = billing.app.state.billing_settings
    shown = [record.getMessage() for record in caplog.records] + [repr(settings), bad.text]
    assert subscribed.subscription_id  # the flow above did talk to Stripe
    for text in shown:
        assert API_KEY not in text and WEBHOOK_SECRET not in text


async def test_without_stripe_settings_billing_says_so(
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
    provision: Provision,
    token: TokenFactory,
) -> None:
    app = create_app(service_databases["billing"], verifier, BillingSettings())
    tenant = await provision()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://billing") as client:
        checkout = await client.post(
            "/v1/billing/checkout-sessions", auth=token(tenant, Role.OWNER)
        )
        webhook = await client.post(WEBHOOK, content=b"{}")
    for response in (checkout, webhook):
        assert (response.status_code, response.json()["code"]) == (503, "billing-not-configured")


def _facts(
    subscription_id: str, status: str, created: datetime, **fields: Any
) -> SubscriptionFacts:
    values: dict[str, Any] = {
        "id": subscription_id,
        "customer": "cus_1",
        "status": status,
        "metadata_tenant": TENANT,
        "created": created,
        "price_id": PRICE_AUD,
        "plan_name": "halopos Standard",
        "amount_minor": 4900,
        "currency": "AUD",
        "interval": "month",
        "current_period_end": created + timedelta(days=30),
        "cancel_at_period_end": False,
    }
    return SubscriptionFacts(**(values | fields))


TENANT = "5a9c3295-78b2-5134-955b-c13205197b82"


def test_the_rule_for_stripe_s_latest_word() -> None:
    """`decide`, case by case: which subscription the business has, whatever arrives."""
    tenant = uuid.UUID(TENANT)
    at = datetime(2026, 11, 23, 12, tzinfo=UTC)
    grace = timedelta(days=GRACE_DAYS)

    def account(facts: SubscriptionFacts, *, past_due_since: datetime | None = None) -> Account:
        until = past_due_since + grace if past_due_since else None
        state = SubscriptionState.of(facts, past_due_since=past_due_since, grace_until=until)
        return Account("cus_1", state, 1, at)

    def outcome(current: Account | None, facts: SubscriptionFacts) -> str:
        return decide(current, facts, tenant_id=tenant, seen_at=at, grace=grace)[0]

    active = _facts("sub_1", "active", at)
    assert outcome(None, active) == "applied"
    assert outcome(account(active), active) == "unchanged"
    assert outcome(None, _facts("sub_1", "active", at, metadata_tenant=str(uuid.uuid4()))) == (
        "tenant-mismatch"
    )
    assert outcome(account(active), _facts("sub_1", "active", at, customer="cus_2")) == (
        "customer-mismatch"
    )
    # A renewal in the same second as the cancellation replaces it; the cancelled one's
    # late word never replaces a live one, nor an ended one that is newer.
    ended = account(_facts("sub_1", "canceled", at))
    assert outcome(ended, _facts("sub_2", "active", at)) == "applied"
    assert outcome(account(_facts("sub_2", "active", at)), _facts("sub_1", "canceled", at)) == (
        "other-subscription"
    )
    newer_ended = account(_facts("sub_2", "canceled", at + timedelta(seconds=5)))
    assert outcome(newer_ended, _facts("sub_1", "canceled", at)) == "other-subscription"
    # Past due: the grace period starts when it is first seen, and a second failure keeps it.
    state = decide(
        account(active), _facts("sub_1", "past_due", at), tenant_id=tenant, seen_at=at, grace=grace
    )[1]
    assert state is not None and state.grace_until == at + grace
    first_seen = at - timedelta(days=2)
    overdue = account(_facts("sub_1", "past_due", at), past_due_since=first_seen)
    later = decide(
        overdue,
        _facts("sub_1", "past_due", at, amount_minor=5000),
        tenant_id=tenant,
        seen_at=at,
        grace=grace,
    )[1]
    assert later is not None and later.grace_until == first_seen + grace


async def test_one_business_s_event_that_fails_does_not_hold_up_the_others(
    billing: Billing, provision: Provision, connect_as: Connect
) -> None:
    """The sweep goes through every business with waiting events: one whose event cannot be
    applied (here: no `data`, as no signed Stripe event would be) is logged and left waiting,
    and the others are applied all the same, whichever comes first."""
    stuck, fine = await provision(), await provision()
    for tenant, event_id, payload in (
        (stuck, f"evt_{secrets.token_hex(8)}", {"id": "x", "type": "customer.created"}),
        (
            fine,
            f"evt_{secrets.token_hex(8)}",
            {"id": "y", "type": "customer.created", "data": {"object": {"object": "customer"}}},
        ),
    ):
        await as_service(
            connect_as,
            "billing",
            tenant,
            "INSERT INTO billing.stripe_events (tenant_id, id, type, object_id, stripe_created, "
            "livemode, payload) VALUES ($1, $2, 'customer.created', 'cus_1', now(), false, $3)",
            tenant,
            event_id,
            json.dumps(payload),
        )
    worker = billing.app.state.billing_worker
    await worker.sweep()
    [applied] = await billing.webhook_rows(connect_as, fine)
    assert applied["outcome"] is not None
    [waiting] = await billing.webhook_rows(connect_as, stuck)
    assert waiting["outcome"] is None
