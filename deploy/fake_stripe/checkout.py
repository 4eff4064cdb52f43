"""Checkout Sessions in subscription mode: created by the API, completed by the customer's
browser on the hosted page (or by a test through `/_fake/…/complete`).

Completing does what Stripe does, in Stripe's order: the customer is created if the session
named none; the subscription starts `incomplete` (`customer.subscription.created`); its first
invoice is paid (`invoice.paid`); the subscription turns `active`
(`customer.subscription.updated`); the session is `complete` (`checkout.session.completed`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from doubles.fake_stripe import subscriptions
from doubles.fake_stripe.customers import looks_like_email, new_customer
from doubles.fake_stripe.errors import (
    StripeError,
    invalid_parameter,
    missing_parameter,
    no_such,
)
from doubles.fake_stripe.forms import EXPAND, INTEGER, METADATA, STRING, Array, Hash, Params
from doubles.fake_stripe.objects import JsonObject, list_object, new_id, now
from doubles.fake_stripe.state import AUTOMATIC, Store

CREATE = Hash(
    {
        "cancel_url": STRING,
        "client_reference_id": STRING,
        "customer": STRING,
        "customer_email": STRING,
        "expand": EXPAND,
        "line_items": Array(Hash({"price": STRING, "quantity": INTEGER})),
        "metadata": METADATA,
        "mode": STRING,
        "subscription_data": Hash({"metadata": METADATA}),
        "success_url": STRING,
    }
)
MODES = ("payment", "setup", "subscription")
# A session is open for 24 hours, Stripe's default.
LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Completion:
    session: JsonObject
    subscription: JsonObject
    invoice: JsonObject


def create_session(store: Store, params: Params, *, public_url: str) -> JsonObject:
    mode = params.get("mode")
    if mode is None:
        raise missing_parameter("mode")
    if mode not in MODES:
        raise invalid_parameter(
            "mode", "Invalid mode: must be one of payment, setup or subscription"
        )
    if mode != "subscription":
        raise invalid_parameter("mode", "The fake Stripe server implements subscription mode only.")
    if "customer" in params and "customer_email" in params:
        raise invalid_parameter(
            "customer_email",
            "You may only specify one of these parameters: customer, customer_email.",
            code="parameters_exclusive",
        )
    if "success_url" not in params:
        raise missing_parameter("success_url")
    for name in ("success_url", "cancel_url"):
        if name in params and not params[name].startswith(("http://", "https://")):
            raise invalid_parameter(name, "Not a valid URL", code="url_invalid")
    if "customer_email" in params and not looks_like_email(params["customer_email"]):
        raise invalid_parameter(
            "customer_email",
            f"Invalid email address: {params['customer_email']}",
            code="email_invalid",
        )
    priced = _priced_line_items(store, params.get("line_items"))
    customer_id = params.get("customer")
    if customer_id is not None and store.find(customer_id, "customer") is None:
        raise no_such("customer", customer_id, param="customer", status=400)

    created = now()
    session_id = new_id("cs_test_")
    total = sum(item["amount_total"] for item in priced)
    currency = priced[0]["currency"]
    store.checkout_line_items[session_id] = list_object(
        priced, f"/v1/checkout/sessions/{session_id}/line_items"
    )
    subscription_data = params.get("subscription_data", {})
    store.checkout_subscription_metadata[session_id] = subscription_data.get("metadata", {})
    return store.add(
        {
            "id": session_id,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "amount_subtotal": total,
            "amount_total": total,
            "automatic_tax": {
                "enabled": False,
                "liability": None,
                "provider": None,
                "status": None,
            },
            "billing_address_collection": None,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "client_secret": None,
            "consent": None,
            "consent_collection": None,
            "created": created,
            "currency": currency,
            "custom_fields": [],
            "customer": customer_id,
            "customer_creation": None,
            "customer_details": None,
            "customer_email": params.get("customer_email"),
            "discounts": [],
            "expires_at": created + LIFETIME_SECONDS,
            "invoice": None,
            "invoice_creation": None,
            "livemode": False,
            "locale": None,
            "metadata": params.get("metadata", {}),
            "mode": mode,
            "payment_intent": None,
            "payment_link": None,
            "payment_method_collection": "always",
            "payment_method_types": ["card"],
            "payment_status": "unpaid",
            "phone_number_collection": {"enabled": False},
            "recovered_from": None,
            "setup_intent": None,
            "shipping_address_collection": None,
            "shipping_cost": None,
            "status": "open",
            "submit_type": None,
            "subscription": None,
            "success_url": params["success_url"],
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            "ui_mode": "hosted_page",
            "url": f"{public_url.rstrip('/')}/checkout/{session_id}",
        }
    )


def _priced_line_items(store: Store, line_items: list[Params] | None) -> list[JsonObject]:
    if not line_items:
        raise missing_parameter("line_items")
    priced: list[JsonObject] = []
    for index, line_item in enumerate(line_items):
        name = f"line_items[{index}]"
        if "price" not in line_item:
            raise missing_parameter(f"{name}[price]")
        if "quantity" not in line_item:
            raise missing_parameter(f"{name}[quantity]")
        if line_item["quantity"] < 1:
            raise invalid_parameter(
                f"{name}[quantity]", "This value must be greater than or equal to 1."
            )
        price = store.find(line_item["price"], "price")
        if price is None:
            raise no_such("price", line_item["price"], param=f"{name}[price]", status=400)
        if priced and price["currency"] != priced[0]["currency"]:
            raise invalid_parameter(
                f"{name}[price]", "All prices on a Checkout Session must use the same currency."
            )
        amount = price["unit_amount"] * line_item["quantity"]
        product = store.objects.get(price["product"], {"name": price["product"]})
        priced.append(
            {
                "id": new_id("li_"),
                "object": "item",
                "amount_discount": 0,
                "amount_subtotal": amount,
                "amount_tax": 0,
                "amount_total": amount,
                "currency": price["currency"],
                "description": product["name"],
                "price": copy.deepcopy(price),
                "quantity": line_item["quantity"],
            }
        )
    if not any(item["price"]["type"] == "recurring" for item in priced):
        raise invalid_parameter(
            "line_items",
            "You must provide at least one recurring price in `subscription` mode when using "
            "prices.",
        )
    return priced


def complete_session(store: Store, session: JsonObject, *, email: str | None = None) -> Completion:
    if session["status"] != "open":
        raise StripeError(
            400,
            f"This Checkout Session is {session['status']}: only an open session can be completed.",
        )
    if now() >= session["expires_at"]:
        raise StripeError(400, "This Checkout Session has expired.")
    customer = store.find(session["customer"] or "", "customer")
    if customer is None:
        customer = store.add(new_customer(email=session["customer_email"] or email))
    charged = subscriptions.start_subscription(
        store,
        customer=customer,
        line_items=store.checkout_line_items[session["id"]]["data"],
        metadata=store.checkout_subscription_metadata[session["id"]],
    )
    subscriptions.activate_after_first_payment(store, charged)
    session.update(
        {
            "customer": customer["id"],
            "customer_details": {
                "address": None,
                "email": customer["email"],
                "name": customer["name"],
                "phone": None,
                "tax_exempt": "none",
                "tax_ids": [],
            },
            "payment_status": "paid",
            "status": "complete",
            "subscription": charged.subscription["id"],
            # Stripe shows a session's URL only while it is open.
            "url": None,
        }
    )
    store.record_event("checkout.session.completed", session, AUTOMATIC)
    return Completion(session, charged.subscription, charged.invoice)
