"""The fake Stripe server, driven the way the billing service drives Stripe: the official
library (`stripe.StripeClient` over `stripe.HTTPXClient`, `*_async` methods) against the fake
on a real socket; a browser's plain HTTP on the hosted pages; webhooks checked with the
library's own verifier."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
from fastapi import FastAPI, Request, Response

from doubles.fake_stripe import (
    API_VERSION,
    PRICE_AUD,
    PRICE_EUR,
    ServedFakeStripe,
    delivery,
    serve_app,
    serve_fake_stripe,
    sign_payload,
)
from doubles.fake_stripe.catalog import monthly_price
from doubles.fake_stripe.forms import INTEGER, STRING, Array, Hash, check, parse_form
from doubles.fake_stripe.objects import add_month

# Starts processes or servers of its own: the fake Stripe served over HTTP on loopback.
# `-m "not process"` leaves it out.
pytestmark = pytest.mark.process

API_KEY = "sk_test_halopos_fake_0123456789abcdef"
WEBHOOK_SECRET = "whsec_halopos_fake_test_secret"
SUCCESS_PATH = "/billing/done?session={CHECKOUT_SESSION_ID}"


@dataclass
class Shop:
    """The halopos side of the wire: the page Checkout sends the browser back to, and a
    webhook endpoint that records what it receives and can refuse on request."""

    url: str = ""
    deliveries: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    refusals: list[int] = field(default_factory=list)  # answered, in order, before 200s

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/billing/{page}")
        async def page(page: str, request: Request) -> dict[str, Any]:
            return {"page": page, "query": dict(request.query_params)}

        @app.post("/webhooks/stripe")
        async def webhook(request: Request) -> Response:
            self.deliveries.append(((await request.body()).decode(), dict(request.headers)))
            return Response(status_code=self.refusals.pop(0) if self.refusals else 200)

        return app

    def event_ids(self) -> list[str]:
        return [json.loads(body)["id"] for body, _ in self.deliveries]


@pytest.fixture
async def shop() -> AsyncIterator[Shop]:
    shop = Shop()

    def build(url: str) -> FastAPI:
        shop.url = url
        return shop.app()

    async with serve_app(build):
        yield shop


@pytest.fixture
async def fake() -> AsyncIterator[ServedFakeStripe]:
    async with serve_fake_stripe(api_key=API_KEY, webhook_secret=WEBHOOK_SECRET) as served:
        yield served


@asynccontextmanager
async def stripe_client(
    url: str, api_key: str = API_KEY, **options: Any
) -> AsyncIterator[stripe.StripeClient]:
    """Configured as the billing service configures it."""
    http_client = stripe.HTTPXClient()
    try:
        yield stripe.StripeClient(
            api_key,
            base_addresses={"api": url},
            http_client=http_client,
            max_network_retries=0,
            **options,
        )
    finally:
        await http_client.close_async()


@pytest.fixture
async def client(fake: ServedFakeStripe) -> AsyncIterator[stripe.StripeClient]:
    async with stripe_client(fake.url) as opened:
        yield opened


@pytest.fixture
async def helpers(fake: ServedFakeStripe) -> AsyncIterator[httpx.AsyncClient]:
    """The `/_fake/` test helpers, which take the API key like the API."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    async with httpx.AsyncClient(base_url=fake.url, headers=headers) as opened:
        yield opened


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(follow_redirects=True) as opened:
        yield opened


async def open_session(
    client: stripe.StripeClient, success_base: str = "https://halopos.test", **params: Any
) -> stripe.checkout.Session:
    return await client.v1.checkout.sessions.create_async(
        params={
            "mode": "subscription",
            "line_items": [{"price": PRICE_AUD, "quantity": 1}],
            "success_url": success_base + SUCCESS_PATH,
            "cancel_url": success_base + "/billing/cancelled",
            **params,
        }
    )


async def subscribed(
    client: stripe.StripeClient, helpers: httpx.AsyncClient, **params: Any
) -> dict[str, Any]:
    """A completed checkout: `{session, subscription, invoice}` as the helper answers."""
    session = await open_session(client, customer_email="owner@venue.test", **params)
    completed = await helpers.post(f"/_fake/checkout/sessions/{session.id}/complete")
    assert completed.status_code == 200, completed.text
    answer: dict[str, Any] = completed.json()
    return answer


async def all_events(client: stripe.StripeClient) -> list[stripe.Event]:
    """Oldest first."""
    page = await client.v1.events.list_async(params={"limit": 100})
    return list(reversed(page.data))


async def eventually(condition: Callable[[], bool], *, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.02)


def test_the_fake_speaks_the_pinned_librarys_api_version() -> None:
    assert stripe.api_version == API_VERSION


async def test_customers_are_created_and_retrieved(client: stripe.StripeClient) -> None:
    created = await client.v1.customers.create_async(
        params={"email": "owner@venue.test", "name": "Venue", "metadata": {"tenant_id": "t-1"}}
    )
    assert created.id.startswith("cus_")
    assert created.object == "customer"
    assert created.last_response.request_id.startswith("req_")

    fetched = await client.v1.customers.retrieve_async(created.id)
    assert fetched.email == "owner@venue.test"
    assert fetched.metadata.to_dict() == {"tenant_id": "t-1"}
    assert fetched.livemode is False


async def test_a_checkout_session_looks_like_stripes(
    client: stripe.StripeClient, fake: ServedFakeStripe
) -> None:
    customer = await client.v1.customers.create_async(params={"email": "owner@venue.test"})
    session = await open_session(
        client,
        customer=customer.id,
        client_reference_id="tenant-1",
        metadata={"tenant_id": "tenant-1"},
        subscription_data={"metadata": {"tenant_id": "tenant-1"}},
        expand=["line_items"],
    )

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"{fake.url}/checkout/{session.id}"
    assert (session.status, session.payment_status, session.subscription) == (
        "open",
        "unpaid",
        None,
    )
    assert (session.customer, session.client_reference_id) == (customer.id, "tenant-1")
    assert session.metadata.to_dict() == {"tenant_id": "tenant-1"}
    assert (session.amount_total, session.currency, session.livemode) == (4900, "aud", False)
    assert session.expires_at > session.created
    assert session.line_items.data[0].price.id == PRICE_AUD

    fetched = await client.v1.checkout.sessions.retrieve_async(session.id)
    assert fetched.url == session.url
    # Line items and the subscription's metadata are not part of the session unless expanded.
    assert "line_items" not in fetched.to_dict()
    assert "subscription_data" not in fetched.to_dict()


@pytest.mark.parametrize(
    ("changes", "status", "code", "param"),
    [
        ({"success_url": None}, 400, "parameter_missing", "success_url"),
        ({"mode": None}, 400, "parameter_missing", "mode"),
        ({"success_url": "halopos.test/done"}, 400, "url_invalid", "success_url"),
        (
            {"line_items": [{"price": "price_nope", "quantity": 1}]},
            400,
            "resource_missing",
            "line_items[0][price]",
        ),
        (
            {"line_items": [{"price": PRICE_AUD}]},
            400,
            "parameter_missing",
            "line_items[0][quantity]",
        ),
        ({"customer": "cus_nope"}, 400, "resource_missing", "customer"),
        (
            {"customer": "cus_nope", "customer_email": "a@b.test"},
            400,
            "parameters_exclusive",
            "customer_email",
        ),
        ({"automatic_tax": {"enabled": True}}, 400, "parameter_unknown", "automatic_tax"),
        (
            {"subscription_data": {"trial_period_days": 14}},
            400,
            "parameter_unknown",
            "subscription_data[trial_period_days]",
        ),
        ({"client_reference_id": ""}, 400, "parameter_invalid_empty", "client_reference_id"),
    ],
)
async def test_checkout_session_parameters_are_validated_like_stripe(
    client: stripe.StripeClient, changes: dict[str, Any], status: int, code: str, param: str
) -> None:
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": PRICE_AUD, "quantity": 1}],
        "success_url": "https://halopos.test/done",
        **changes,
    }
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.checkout.sessions.create_async(params=params)
    assert (refused.value.http_status, refused.value.code, refused.value.param) == (
        status,
        code,
        param,
    )
    if code == "parameter_unknown":
        assert refused.value.user_message == f"Received unknown parameter: {param}"


async def test_subscription_mode_needs_one_currency_and_a_recurring_price(
    client: stripe.StripeClient, fake: ServedFakeStripe
) -> None:
    mixed = [{"price": PRICE_AUD, "quantity": 1}, {"price": PRICE_EUR, "quantity": 1}]
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await open_session(client, line_items=mixed)
    assert refused.value.param == "line_items[1][price]"

    # Not seeded: a one-time price, put in the store the way the catalog seeds its prices.
    one_time = {**monthly_price("price_setup_fee", "aud", 9900), "type": "one_time"}
    fake.app.state.fake_stripe.store.add({**one_time, "recurring": None})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await open_session(client, line_items=[{"price": "price_setup_fee", "quantity": 1}])
    assert refused.value.param == "line_items"
    assert "recurring price" in str(refused.value.user_message)


async def test_the_hosted_page_completes_checkout_in_stripes_order(
    client: stripe.StripeClient,
    browser: httpx.AsyncClient,
    helpers: httpx.AsyncClient,
    shop: Shop,
) -> None:
    customer = await client.v1.customers.create_async(params={"email": "owner@venue.test"})
    session = await open_session(
        client,
        success_base=shop.url,
        customer=customer.id,
        subscription_data={"metadata": {"tenant_id": "tenant-1"}},
    )
    page = await browser.get(session.url)
    assert page.status_code == 200
    assert "Subscribe" in page.text
    assert "AUD 49.00" in page.text

    # The browser follows the 303 to the success URL, with the session id filled in.
    landed = await browser.post(session.url)
    assert landed.status_code == 200
    assert landed.json() == {"page": "done", "query": {"session": session.id}}
    assert landed.history[0].status_code == 303

    events = await all_events(client)
    assert [event.type for event in events] == [
        "customer.subscription.created",
        "invoice.paid",
        "customer.subscription.updated",
        "checkout.session.completed",
    ]
    created, paid, activated, completed = events
    subscription_id = created.data.object.id
    assert created.data.object.status == "incomplete"
    assert created.data.object.metadata.to_dict() == {"tenant_id": "tenant-1"}
    assert paid.data.object.parent.subscription_details.subscription == subscription_id
    assert paid.data.object.parent.subscription_details.metadata.to_dict() == {
        "tenant_id": "tenant-1"
    }
    assert (paid.data.object.status, paid.data.object.amount_paid) == ("paid", 4900)
    assert activated.data.previous_attributes.to_dict() == {"status": "incomplete"}
    assert activated.data.object.status == "active"
    assert completed.data.object.status == "complete"
    assert completed.data.object.payment_status == "paid"
    assert completed.data.object.subscription == subscription_id
    assert completed.data.object.customer == customer.id
    # A customer's browser, not an API call, caused them.
    assert all(event.request.id is None for event in events)

    subscription = await client.v1.subscriptions.retrieve_async(
        subscription_id, params={"expand": ["latest_invoice"]}
    )
    item = subscription["items"].data[0]
    assert (subscription.status, subscription.customer) == ("active", customer.id)
    assert item.price.id == PRICE_AUD
    assert item.price.recurring.interval == "month"
    assert item.quantity == 1
    assert item.current_period_end == add_month(item.current_period_start)
    assert subscription.latest_invoice.id == paid.data.object.id
    assert subscription.latest_invoice.status == "paid"
    fetched = await client.v1.checkout.sessions.retrieve_async(session.id)
    assert (fetched.status, fetched.subscription, fetched.url) == (
        "complete",
        subscription_id,
        None,
    )

    # Completing twice is refused, by the page and by the helper alike.
    again = await browser.post(session.url)
    assert again.status_code == 400
    assert "only an open session" in again.text
    helper_again = await helpers.post(f"/_fake/checkout/sessions/{session.id}/complete")
    assert helper_again.status_code == 400
    assert len(await all_events(client)) == 4


async def test_completing_without_a_customer_creates_one(
    client: stripe.StripeClient, helpers: httpx.AsyncClient
) -> None:
    completion = await subscribed(client, helpers)
    customer_id = completion["session"]["customer"]
    customer = await client.v1.customers.retrieve_async(customer_id)
    assert customer.email == "owner@venue.test"
    assert customer.currency == "aud"
    assert completion["subscription"]["customer"] == customer_id
    assert completion["invoice"]["customer"] == customer_id


async def test_the_portal_cancels_a_plan_immediately(
    client: stripe.StripeClient,
    helpers: httpx.AsyncClient,
    browser: httpx.AsyncClient,
    shop: Shop,
) -> None:
    completion = await subscribed(client, helpers)
    customer_id = completion["session"]["customer"]
    subscription_id = completion["subscription"]["id"]

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.billing_portal.sessions.create_async(params={"customer": "cus_nope"})
    assert (refused.value.code, refused.value.param) == ("resource_missing", "customer")
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.billing_portal.sessions.create_async(params={})
    assert (refused.value.code, refused.value.param) == ("parameter_missing", "customer")

    portal = await client.v1.billing_portal.sessions.create_async(
        params={"customer": customer_id, "return_url": f"{shop.url}/billing/returned"}
    )
    assert portal.id.startswith("bps_")
    assert portal.object == "billing_portal.session"
    page = await browser.get(portal.url)
    assert subscription_id in page.text
    assert "Cancel plan" in page.text

    returned = await browser.post(f"{portal.url}/cancel", data={"subscription": subscription_id})
    assert returned.json()["page"] == "returned"

    cancelled = await client.v1.subscriptions.retrieve_async(subscription_id)
    assert cancelled.status == "canceled"
    assert cancelled.canceled_at is not None
    assert cancelled.ended_at == cancelled.canceled_at
    assert cancelled.cancellation_details.reason == "cancellation_requested"
    last = (await all_events(client))[-1]
    assert last.type == "customer.subscription.deleted"
    assert last.data.object.id == subscription_id
    assert last.data.object.status == "canceled"
    assert "Cancel plan" not in (await browser.get(portal.url)).text


async def test_a_failed_renewal_then_a_successful_retry(
    client: stripe.StripeClient, helpers: httpx.AsyncClient
) -> None:
    completion = await subscribed(client, helpers)
    subscription_id = completion["subscription"]["id"]
    first_period_end = completion["subscription"]["items"]["data"][0]["current_period_end"]
    before = len(await all_events(client))

    failed = (await helpers.post(f"/_fake/subscriptions/{subscription_id}/payment_failed")).json()
    invoice = failed["invoice"]
    assert invoice["id"] != completion["invoice"]["id"]
    assert (invoice["status"], invoice["attempt_count"]) == ("open", 1)
    assert invoice["billing_reason"] == "subscription_cycle"
    assert invoice["amount_remaining"] == 4900
    assert failed["subscription"]["status"] == "past_due"
    assert failed["subscription"]["latest_invoice"] == invoice["id"]
    # The renewal moved the period on; the invoice's own period is the one that ended.
    assert failed["subscription"]["items"]["data"][0]["current_period_start"] == first_period_end
    assert invoice["period_end"] == first_period_end
    new_events = (await all_events(client))[before:]
    assert [event.type for event in new_events] == [
        "invoice.payment_failed",
        "customer.subscription.updated",
    ]
    assert new_events[1].data.previous_attributes.status == "active"

    paid = (await helpers.post(f"/_fake/subscriptions/{subscription_id}/payment_succeeded")).json()
    assert paid["invoice"]["id"] == invoice["id"]
    assert (paid["invoice"]["status"], paid["invoice"]["amount_paid"]) == ("paid", 4900)
    assert paid["subscription"]["status"] == "active"
    newer = (await all_events(client))[before + 2 :]
    assert [event.type for event in newer] == ["invoice.paid", "customer.subscription.updated"]
    assert newer[1].data.previous_attributes.to_dict() == {"status": "past_due"}

    fetched = await client.v1.invoices.retrieve_async(invoice["id"])
    assert fetched.status == "paid"
    assert fetched.parent.subscription_details.subscription == subscription_id


async def test_a_status_can_be_forced_for_a_test(
    client: stripe.StripeClient, helpers: httpx.AsyncClient
) -> None:
    subscription_id = (await subscribed(client, helpers))["subscription"]["id"]

    answer = await helpers.post(
        f"/_fake/subscriptions/{subscription_id}/status", data={"status": "unpaid"}
    )
    assert answer.json()["subscription"]["status"] == "unpaid"
    last = (await all_events(client))[-1]
    assert last.type == "customer.subscription.updated"
    assert last.data.previous_attributes.to_dict() == {"status": "active"}

    refused = await helpers.post(
        f"/_fake/subscriptions/{subscription_id}/status", data={"status": "canceled"}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "status"


async def test_delete_cancels_now_and_the_subscription_stays_retrievable(
    client: stripe.StripeClient, helpers: httpx.AsyncClient
) -> None:
    subscription_id = (await subscribed(client, helpers))["subscription"]["id"]

    cancelled = await client.v1.subscriptions.cancel_async(
        subscription_id, params={"cancellation_details": {"comment": "closing the venue"}}
    )
    assert cancelled.status == "canceled"
    assert cancelled.ended_at == cancelled.canceled_at
    assert cancelled.cancellation_details.comment == "closing the venue"
    last = (await all_events(client))[-1]
    assert last.type == "customer.subscription.deleted"
    # An API call caused this one: the event names the request.
    assert last.request.id == cancelled.last_response.request_id

    fetched = await client.v1.subscriptions.retrieve_async(subscription_id)
    assert fetched.status == "canceled"
    # As on Stripe, a canceled subscription cannot be cancelled again: "No such subscription".
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.subscriptions.cancel_async(subscription_id)
    assert (refused.value.http_status, refused.value.code) == (404, "resource_missing")
    failed = await helpers.post(f"/_fake/subscriptions/{subscription_id}/payment_failed")
    assert failed.status_code == 400


async def test_an_idempotency_key_replays_the_first_answer(client: stripe.StripeClient) -> None:
    params = {"email": "owner@venue.test", "metadata": {"tenant_id": "t-1"}}
    first = await client.v1.customers.create_async(
        params=params, options={"idempotency_key": "create-owner-1"}
    )
    replayed = await client.v1.customers.create_async(
        params=params, options={"idempotency_key": "create-owner-1"}
    )
    assert replayed.id == first.id
    assert replayed.last_response.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.last_response.headers

    with pytest.raises(stripe.IdempotencyError) as refused:
        await client.v1.customers.create_async(
            params={"email": "someone@else.test"}, options={"idempotency_key": "create-owner-1"}
        )
    assert refused.value.http_status == 400
    assert "same parameters" in str(refused.value.user_message)
    with pytest.raises(stripe.IdempotencyError) as refused:
        await client.v1.checkout.sessions.create_async(
            params=params, options={"idempotency_key": "create-owner-1"}
        )
    assert "same endpoint" in str(refused.value.user_message)


async def test_a_wrong_or_missing_key_is_refused(fake: ServedFakeStripe) -> None:
    wrong = "sk_test_halopos_fake_wrongwrongwrong9999"
    async with stripe_client(fake.url, api_key=wrong) as client:
        with pytest.raises(stripe.AuthenticationError) as refused:
            await client.v1.customers.create_async(params={"email": "owner@venue.test"})
    assert refused.value.http_status == 401
    assert API_KEY not in str(refused.value.http_body)
    assert str(refused.value.user_message).endswith("9999")

    async with httpx.AsyncClient(base_url=fake.url) as anonymous:
        for method, path in [
            ("GET", "/v1/customers/cus_x"),
            ("POST", "/_fake/subscriptions/sub_x/status"),
            ("GET", "/v1/nothing"),
        ]:
            answer = await anonymous.request(method, path)
            assert answer.status_code == 401
            assert answer.json()["error"]["type"] == "invalid_request_error"
            assert answer.headers["request-id"].startswith("req_")


async def test_unknown_ids_and_urls_are_stripes_404s(client: stripe.StripeClient) -> None:
    lookups = [
        client.v1.customers.retrieve_async("cus_nope"),
        client.v1.subscriptions.retrieve_async("sub_nope"),
        client.v1.invoices.retrieve_async("in_nope"),
        client.v1.prices.retrieve_async("price_nope"),
        client.v1.events.retrieve_async("evt_nope"),
        client.v1.checkout.sessions.retrieve_async("cs_test_nope"),
    ]
    for lookup in lookups:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            await lookup
        assert (refused.value.http_status, refused.value.code, refused.value.param) == (
            404,
            "resource_missing",
            "id",
        )
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.customers.list_async()
    assert refused.value.http_status == 404
    assert str(refused.value.user_message).startswith(
        "Unrecognized request URL (GET: /v1/customers)"
    )


async def test_another_api_version_is_refused(fake: ServedFakeStripe) -> None:
    async with stripe_client(fake.url, stripe_version="2020-08-27") as client:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            await client.v1.prices.retrieve_async(PRICE_EUR)
    assert API_VERSION in str(refused.value.user_message)


async def test_the_seeded_prices(client: stripe.StripeClient) -> None:
    aud = await client.v1.prices.retrieve_async(PRICE_AUD, params={"expand": ["product"]})
    eur = await client.v1.prices.retrieve_async(PRICE_EUR)
    assert (aud.currency, aud.unit_amount, aud.recurring.interval) == ("aud", 4900, "month")
    assert (eur.currency, eur.unit_amount, eur.recurring.interval) == ("eur", 3900, "month")
    assert aud.product.name == "halopos Standard"
    assert eur.product == aud.product.id


async def test_events_are_listed_newest_first_a_page_at_a_time(
    client: stripe.StripeClient, helpers: httpx.AsyncClient
) -> None:
    for _ in range(3):
        await subscribed(client, helpers)  # four events each
    oldest_first = await all_events(client)
    assert len(oldest_first) == 12
    newest_first = [event.id for event in reversed(oldest_first)]

    page = await client.v1.events.list_async(params={"limit": 5})
    assert [event.id for event in page.data] == newest_first[:5]
    assert page.has_more is True
    walked = [event.id async for event in page.auto_paging_iter()]
    assert walked == newest_first

    after = await client.v1.events.list_async(
        params={"limit": 5, "starting_after": newest_first[9]}
    )
    assert [event.id for event in after.data] == newest_first[10:]
    assert after.has_more is False
    before = await client.v1.events.list_async(
        params={"limit": 2, "ending_before": newest_first[5]}
    )
    assert [event.id for event in before.data] == newest_first[3:5]
    assert before.has_more is True

    completed = await client.v1.events.list_async(params={"type": "checkout.session.completed"})
    assert len(completed.data) == 3
    about_subscriptions = await client.v1.events.list_async(
        params={"type": "customer.subscription.*", "limit": 100}
    )
    assert len(about_subscriptions.data) == 6

    one = await client.v1.events.retrieve_async(newest_first[0])
    assert (one.object, one.api_version, one.livemode) == ("event", API_VERSION, False)
    assert one.pending_webhooks == 0  # no webhook endpoint configured


async def test_a_delivery_passes_the_librarys_verifier(
    client: stripe.StripeClient, helpers: httpx.AsyncClient
) -> None:
    completion = await subscribed(client, helpers)
    last = (await all_events(client))[-1]

    delivery_now = (await helpers.get(f"/_fake/events/{last.id}/delivery")).json()
    body, headers = delivery_now["body"], delivery_now["headers"]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["User-Agent"] == "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
    stripe.WebhookSignature.verify_header(body, headers["Stripe-Signature"], WEBHOOK_SECRET, 300)
    event = client.construct_event(body, headers["Stripe-Signature"], WEBHOOK_SECRET)
    assert event.id == last.id
    assert event.type == "checkout.session.completed"
    assert event.data.object.id == completion["session"]["id"]
    assert event.data.object.object == "checkout.session"

    # Signed ten minutes ago: outside the verifier's five-minute tolerance.
    stale = (
        await helpers.get(
            f"/_fake/events/{last.id}/delivery", params={"timestamp": int(time.time()) - 600}
        )
    ).json()
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        client.construct_event(stale["body"], stale["headers"]["Stripe-Signature"], WEBHOOK_SECRET)
    with pytest.raises(stripe.SignatureVerificationError, match="expected signature"):
        client.construct_event(body, headers["Stripe-Signature"], "whsec_another_endpoint")
    with pytest.raises(stripe.SignatureVerificationError, match="expected signature"):
        client.construct_event(
            body.replace("complete", "expired"), headers["Stripe-Signature"], WEBHOOK_SECRET
        )


def test_sign_payload_is_stripes_scheme() -> None:
    header = sign_payload(WEBHOOK_SECRET, '{"id": "evt_1"}', 1_800_000_000)
    timestamp, signature = header.split(",")
    assert timestamp == "t=1800000000"
    assert signature.startswith("v1=")
    assert len(signature) == len("v1=") + 64
    # The library verifies any time within tolerance, so check with tolerance off.
    assert stripe.WebhookSignature.verify_header('{"id": "evt_1"}', header, WEBHOOK_SECRET, None)


@pytest.fixture
async def pushing(shop: Shop) -> AsyncIterator[ServedFakeStripe]:
    async with serve_fake_stripe(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        webhook_url=f"{shop.url}/webhooks/stripe",
    ) as served:
        yield served


async def test_events_are_pushed_in_order_and_retried_after_a_refusal(
    pushing: ServedFakeStripe, shop: Shop
) -> None:
    shop.refusals = [500]
    async with (
        stripe_client(pushing.url) as client,
        httpx.AsyncClient(
            base_url=pushing.url, headers={"Authorization": f"Bearer {API_KEY}"}
        ) as helpers,
    ):
        await subscribed(client, helpers)
        created = [event.id for event in await all_events(client)]

        # The first event is refused once, retried, then all four arrive in order.
        await eventually(lambda: len(shop.deliveries) == 5)
        assert shop.event_ids() == [created[0], *created]
        for body, headers in shop.deliveries:
            event = client.construct_event(body, headers["stripe-signature"], WEBHOOK_SECRET)
            assert event.object == "event"
            assert headers["user-agent"] == "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
        await eventually(lambda: not pushing.app.state.fake_stripe.store.webhook_state)
        acknowledged = await client.v1.events.retrieve_async(created[0])
        assert acknowledged.pending_webhooks == 0


async def test_an_event_left_undelivered_can_be_resent(
    pushing: ServedFakeStripe, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.01, 0.01, 0.01))
    shop.refusals = [503] * 4  # the first try and all three retries
    async with (
        stripe_client(pushing.url) as client,
        httpx.AsyncClient(
            base_url=pushing.url, headers={"Authorization": f"Bearer {API_KEY}"}
        ) as helpers,
    ):
        customer = await client.v1.customers.create_async(params={"email": "o@venue.test"})
        session = await open_session(client, customer=customer.id)
        await helpers.post(f"/_fake/checkout/sessions/{session.id}/complete")
        first = (await all_events(client))[0]

        await eventually(lambda: len(shop.deliveries) == 4 + 3)
        assert shop.event_ids()[:4] == [first.id] * 4
        assert (await client.v1.events.retrieve_async(first.id)).pending_webhooks == 1

        resent = await helpers.post(f"/_fake/events/{first.id}/resend")
        assert resent.json() == {"event": first.id, "status": 200}
        assert (await client.v1.events.retrieve_async(first.id)).pending_webhooks == 0


async def test_the_sender_stops_with_the_app(shop: Shop) -> None:
    async with serve_fake_stripe(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        webhook_url=f"{shop.url}/webhooks/stripe",
    ):
        assert any(task.get_name() == "fake-stripe-webhooks" for task in asyncio.all_tasks())
    assert not any(task.get_name() == "fake-stripe-webhooks" for task in asyncio.all_tasks())


async def test_state_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "fake-stripe.json"
    served = serve_fake_stripe(
        api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, state_file=state_file
    )
    async with served as first, stripe_client(first.url) as client:
        helpers = httpx.AsyncClient(
            base_url=first.url, headers={"Authorization": f"Bearer {API_KEY}"}
        )
        async with helpers:
            completion = await subscribed(client, helpers)
        before = [event.id for event in await all_events(client)]
        replayed_key = await client.v1.customers.create_async(
            params={"email": "kept@venue.test"}, options={"idempotency_key": "kept-1"}
        )

    served_again = serve_fake_stripe(
        api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, state_file=state_file
    )
    async with served_again as second, stripe_client(second.url) as client:
        subscription = await client.v1.subscriptions.retrieve_async(
            completion["subscription"]["id"]
        )
        assert subscription.status == "active"
        assert [event.id for event in await all_events(client)] == before
        again = await client.v1.customers.create_async(
            params={"email": "kept@venue.test"}, options={"idempotency_key": "kept-1"}
        )
        assert again.id == replayed_key.id
        cancelled = await client.v1.subscriptions.cancel_async(subscription.id)
        assert cancelled.status == "canceled"
        assert len(await all_events(client)) == len(before) + 1


async def test_a_restart_resumes_deliveries_left_pending(
    tmp_path: Path, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_file = tmp_path / "fake-stripe.json"
    # Nothing listens on this port, and the first retry is long past the first run's end.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{probe.getsockname()[1]}/webhooks/stripe"
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (60.0,))
    first_run = serve_fake_stripe(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        webhook_url=unreachable,
        state_file=state_file,
    )
    async with first_run as first, stripe_client(first.url) as client:
        customer = await client.v1.customers.create_async(params={"email": "o@venue.test"})
        session = await open_session(client, customer=customer.id)
        async with httpx.AsyncClient(
            base_url=first.url, headers={"Authorization": f"Bearer {API_KEY}"}
        ) as helpers:
            await helpers.post(f"/_fake/checkout/sessions/{session.id}/complete")
        pending = [event.id for event in await all_events(client)]
    assert len(pending) == 4

    second_run = serve_fake_stripe(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        webhook_url=f"{shop.url}/webhooks/stripe",
        state_file=state_file,
    )
    async with second_run:
        await eventually(lambda: len(shop.deliveries) == 4)
    assert shop.event_ids() == pending


def test_bracketed_forms_are_read_as_stripe_reads_them() -> None:
    parsed = parse_form(
        "line_items[0][price]=p0&line_items[10][price]=p10&line_items[2][price]=p2"
        "&metadata[tenant_id]=t&expand[]=a&expand[]=b&line_items[0][quantity]=3"
    )
    accepted = Hash(
        {
            "line_items": Array(Hash({"price": STRING, "quantity": INTEGER})),
            "metadata": Hash({"tenant_id": STRING}),
            "expand": Array(STRING),
        }
    )
    checked = check(parsed, accepted)
    # Indices order numerically (10 after 2), integers become ints, `[]` appends.
    assert [item["price"] for item in checked["line_items"]] == ["p0", "p2", "p10"]
    assert checked["line_items"][0]["quantity"] == 3
    assert checked["metadata"] == {"tenant_id": "t"}
    assert checked["expand"] == ["a", "b"]
