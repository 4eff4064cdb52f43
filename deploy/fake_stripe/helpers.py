"""Test helpers under `/_fake/`: not Stripe's API, but what Stripe does on its own (a customer
completing Checkout, a renewal paid or declined) made to happen now, and each event's webhook
delivery made inspectable. They take the same secret key as the API."""

from __future__ import annotations

import time

from doubles.fake_stripe import checkout, subscriptions
from doubles.fake_stripe.calls import Account, Call, answer
from doubles.fake_stripe.errors import StripeError, missing_parameter
from doubles.fake_stripe.forms import INTEGER, STRING, Hash, check
from doubles.fake_stripe.signing import delivery_headers, event_body
from fastapi import APIRouter, Response

router = APIRouter(prefix="/_fake")

COMPLETE = Hash({"email": STRING})
NOTHING = Hash({})
STATUS = Hash({"status": STRING})
DELIVERY = Hash({"timestamp": INTEGER})


@router.post("/checkout/sessions/{session_id}/complete")
async def complete_checkout_session(session_id: str, call: Call, account: Account) -> Response:
    """What the hosted page's Subscribe button does, answered as JSON."""
    params = check(call.params, COMPLETE)
    session = account.store.require(session_id, "checkout.session")
    completion = checkout.complete_session(account.store, session, email=params.get("email"))
    account.store.save()
    return answer(
        call,
        {
            "session": completion.session,
            "subscription": completion.subscription,
            "invoice": completion.invoice,
        },
    )


@router.post("/subscriptions/{subscription_id}/payment_failed")
async def fail_payment(subscription_id: str, call: Call, account: Account) -> Response:
    check(call.params, NOTHING)
    subscription = account.store.require(subscription_id, "subscription")
    charged = subscriptions.fail_payment(account.store, subscription)
    account.store.save()
    return answer(call, {"subscription": charged.subscription, "invoice": charged.invoice})


@router.post("/subscriptions/{subscription_id}/payment_succeeded")
async def succeed_payment(subscription_id: str, call: Call, account: Account) -> Response:
    check(call.params, NOTHING)
    subscription = account.store.require(subscription_id, "subscription")
    charged = subscriptions.succeed_payment(account.store, subscription)
    account.store.save()
    return answer(call, {"subscription": charged.subscription, "invoice": charged.invoice})


@router.post("/subscriptions/{subscription_id}/status")
async def set_status(subscription_id: str, call: Call, account: Account) -> Response:
    params = check(call.params, STATUS)
    if "status" not in params:
        raise missing_parameter("status")
    subscription = account.store.require(subscription_id, "subscription")
    subscriptions.set_status(account.store, subscription, params["status"])
    account.store.save()
    return answer(call, {"subscription": subscription})


@router.get("/events/{event_id}/delivery")
async def event_delivery(event_id: str, call: Call, account: Account) -> Response:
    """The exact body and headers Stripe would POST for this event, signed now or at
    `timestamp` (an old one makes a delivery the verifier must refuse as stale)."""
    params = check(call.params, DELIVERY)
    event = account.store.require_event(event_id)
    body = event_body(event)
    timestamp = params.get("timestamp", int(time.time()))
    headers = delivery_headers(account.config.webhook_secret, body, timestamp)
    return answer(call, {"body": body, "headers": headers})


@router.post("/events/{event_id}/resend")
async def resend_event(event_id: str, call: Call, account: Account) -> Response:
    """Push the event to the webhook URL once, now: `{"event", "status"}` with the endpoint's
    status, null when it could not be reached."""
    check(call.params, NOTHING)
    account.store.require_event(event_id)
    if account.sender is None:
        raise StripeError(400, "No webhook URL is configured (HALOPOS_FAKE_STRIPE_WEBHOOK_URL).")
    status = await account.sender.send_once(event_id)
    return answer(call, {"event": event_id, "status": status})
