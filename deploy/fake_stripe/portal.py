"""Customer Portal sessions: a link to a page where the customer sees their subscriptions and
cancels one. The fake's portal behaves like a portal configured with
`features.subscription_cancel.mode=immediately`: cancelling ends the subscription now."""

from __future__ import annotations

from doubles.fake_stripe import subscriptions
from doubles.fake_stripe.errors import StripeError, invalid_parameter, missing_parameter, no_such
from doubles.fake_stripe.forms import EXPAND, STRING, Hash, Params
from doubles.fake_stripe.objects import JsonObject, new_id, now
from doubles.fake_stripe.state import AUTOMATIC, Store

CREATE = Hash({"customer": STRING, "expand": EXPAND, "return_url": STRING})
# Every account has a default portal configuration; this is the fake account's.
DEFAULT_CONFIGURATION = "bpc_halopos_fake_default"
CANCELLABLE = ("active", "past_due", "trialing", "unpaid")


def create_portal_session(store: Store, params: Params, *, public_url: str) -> JsonObject:
    customer_id = params.get("customer")
    if customer_id is None:
        raise missing_parameter("customer")
    return_url = params.get("return_url")
    if return_url is not None and not return_url.startswith(("http://", "https://")):
        raise invalid_parameter("return_url", "Not a valid URL", code="url_invalid")
    if store.find(customer_id, "customer") is None:
        raise no_such("customer", customer_id, param="customer", status=400)
    session_id = new_id("bps_")
    return store.add(
        {
            "id": session_id,
            "object": "billing_portal.session",
            "configuration": DEFAULT_CONFIGURATION,
            "created": now(),
            "customer": customer_id,
            "flow": None,
            "livemode": False,
            "locale": None,
            "on_behalf_of": None,
            "return_url": return_url,
            "url": f"{public_url.rstrip('/')}/portal/{session_id}",
        }
    )


def customer_subscriptions(store: Store, customer_id: str) -> list[JsonObject]:
    """The customer's subscriptions, newest first, cancelled ones included."""
    found = [
        stored
        for stored in store.objects.values()
        if stored["object"] == "subscription" and stored["customer"] == customer_id
    ]
    return sorted(found, key=lambda subscription: subscription["created"], reverse=True)


def cancel_from_portal(
    store: Store, portal_session: JsonObject, subscription_id: str | None
) -> JsonObject:
    """Cancel the named subscription of the session's customer, or their newest live one."""
    cancellable = [
        subscription
        for subscription in customer_subscriptions(store, portal_session["customer"])
        if subscription["status"] in CANCELLABLE
    ]
    if subscription_id is not None:
        cancellable = [found for found in cancellable if found["id"] == subscription_id]
    if not cancellable:
        raise StripeError(409, "There is no subscription here to cancel.")
    return subscriptions.cancel(store, cancellable[0], AUTOMATIC)
