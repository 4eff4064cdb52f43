"""Stripe's v1 API, the part halopos billing uses: `/v1/…` as the official library calls it."""

from __future__ import annotations

from doubles.fake_stripe import checkout, customers, events, portal, subscriptions
from doubles.fake_stripe.calls import Account, ApiCall, Call, answer, answer_post
from doubles.fake_stripe.errors import StripeError
from doubles.fake_stripe.expansion import expand
from doubles.fake_stripe.forms import EXPAND, Hash, check
from doubles.fake_stripe.objects import JsonObject
from doubles.fake_stripe.state import Store
from fastapi import APIRouter, Response

router = APIRouter(prefix="/v1")

RETRIEVE = Hash({"expand": EXPAND})


@router.post("/customers")
async def create_customer(call: Call, account: Account) -> Response:
    def create() -> JsonObject:
        params = check(call.params, customers.CREATE)
        customer = customers.create_customer(account.store, params)
        return expand(account.store, customer, params.get("expand", []))

    return answer_post(call, account.store, create)


@router.get("/customers/{customer_id}")
async def retrieve_customer(customer_id: str, call: Call, account: Account) -> Response:
    return _retrieve(call, account.store, customer_id, "customer")


@router.post("/checkout/sessions")
async def create_checkout_session(call: Call, account: Account) -> Response:
    def create() -> JsonObject:
        params = check(call.params, checkout.CREATE)
        public_url = account.config.public_url
        session = checkout.create_session(account.store, params, public_url=public_url)
        return expand(account.store, session, params.get("expand", []))

    return answer_post(call, account.store, create)


@router.get("/checkout/sessions/{session_id}")
async def retrieve_checkout_session(session_id: str, call: Call, account: Account) -> Response:
    return _retrieve(call, account.store, session_id, "checkout.session")


@router.post("/billing_portal/sessions")
async def create_portal_session(call: Call, account: Account) -> Response:
    def create() -> JsonObject:
        params = check(call.params, portal.CREATE)
        public_url = account.config.public_url
        session = portal.create_portal_session(account.store, params, public_url=public_url)
        return expand(account.store, session, params.get("expand", []))

    return answer_post(call, account.store, create)


@router.get("/subscriptions/{subscription_id}")
async def retrieve_subscription(subscription_id: str, call: Call, account: Account) -> Response:
    return _retrieve(call, account.store, subscription_id, "subscription")


@router.delete("/subscriptions/{subscription_id}")
async def cancel_subscription(subscription_id: str, call: Call, account: Account) -> Response:
    params = check(call.params, subscriptions.CANCEL)
    subscription = account.store.require(subscription_id, "subscription")
    details = params.get("cancellation_details", {})
    subscriptions.cancel(
        account.store,
        subscription,
        call.origin,
        comment=details.get("comment"),
        feedback=details.get("feedback"),
    )
    account.store.save()
    return answer(call, expand(account.store, subscription, params.get("expand", [])))


@router.get("/prices/{price_id}")
async def retrieve_price(price_id: str, call: Call, account: Account) -> Response:
    return _retrieve(call, account.store, price_id, "price")


@router.get("/products/{product_id}")
async def retrieve_product(product_id: str, call: Call, account: Account) -> Response:
    return _retrieve(call, account.store, product_id, "product")


@router.get("/invoices/{invoice_id}")
async def retrieve_invoice(invoice_id: str, call: Call, account: Account) -> Response:
    return _retrieve(call, account.store, invoice_id, "invoice")


@router.get("/events")
async def list_events(call: Call, account: Account) -> Response:
    params = check(call.params, events.LIST)
    page = events.list_events(account.store, params)
    return answer(call, expand(account.store, page, params.get("expand", [])))


@router.get("/events/{event_id}")
async def retrieve_event(event_id: str, call: Call, account: Account) -> Response:
    params = check(call.params, RETRIEVE)
    event = account.store.require_event(event_id)
    return answer(call, expand(account.store, event, params.get("expand", [])))


# Last, so that every other /v1 path and method is Stripe's "Unrecognized request URL" (404)
# rather than FastAPI's 404 or 405, after the key is checked as Stripe checks it first.
@router.api_route("/{path:path}", methods=["GET", "POST", "DELETE", "PUT", "PATCH"])
async def unrecognized(path: str, call: Call) -> Response:
    method, _, url = call.endpoint.partition(" ")
    raise StripeError(
        404,
        f"Unrecognized request URL ({method}: {url}). Please see https://stripe.com/docs or we "
        "can help at https://support.stripe.com/.",
    )


def _retrieve(call: ApiCall, store: Store, object_id: str, kind: str) -> Response:
    params = check(call.params, RETRIEVE)
    return answer(call, expand(store, store.require(object_id, kind), params.get("expand", [])))
