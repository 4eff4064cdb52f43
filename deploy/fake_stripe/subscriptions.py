"""Subscriptions: started by a completed Checkout Session, moved by payments, cancelled
through the API or the portal. Every change is recorded as Stripe's event for it.

In this API version the billing period lives on each item (`items.data[i].current_period_start`
/ `current_period_end`), not on the subscription.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from doubles.fake_stripe import invoices
from doubles.fake_stripe.errors import StripeError, invalid_parameter, no_such
from doubles.fake_stripe.forms import EXPAND, STRING, Hash
from doubles.fake_stripe.objects import JsonObject, add_month, list_object, new_id, now
from doubles.fake_stripe.state import AUTOMATIC, Origin, Store

CANCEL = Hash(
    {
        "cancellation_details": Hash({"comment": STRING, "feedback": STRING}),
        "expand": EXPAND,
    }
)
FEEDBACK = {
    "customer_service",
    "low_quality",
    "missing_features",
    "other",
    "switched_service",
    "too_complex",
    "too_expensive",
    "unused",
}
# What `/_fake/subscriptions/{id}/status` may set: the states a live subscription moves between.
SETTABLE_STATUSES = ("active", "past_due", "trialing", "unpaid")


@dataclass(frozen=True)
class Charged:
    subscription: JsonObject
    invoice: JsonObject


def start_subscription(
    store: Store,
    *,
    customer: JsonObject,
    line_items: list[JsonObject],
    metadata: dict[str, str],
) -> Charged:
    """A new subscription, `incomplete` until its first invoice is paid, as after Checkout."""
    started = now()
    subscription_id = new_id("sub_")
    items = [
        {
            "id": new_id("si_"),
            "object": "subscription_item",
            "billing_thresholds": None,
            "created": started,
            "current_period_end": add_month(started),
            "current_period_start": started,
            "discounts": [],
            "metadata": {},
            "price": copy.deepcopy(line_item["price"]),
            "quantity": line_item["quantity"],
            "subscription": subscription_id,
            "tax_rates": [],
        }
        for line_item in line_items
    ]
    currency = line_items[0]["price"]["currency"]
    subscription = store.add(
        {
            "id": subscription_id,
            "object": "subscription",
            "application": None,
            "application_fee_percent": None,
            "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
            "billing_cycle_anchor": started,
            "billing_cycle_anchor_config": None,
            "cancel_at": None,
            "cancel_at_period_end": False,
            "canceled_at": None,
            "cancellation_details": {"comment": None, "feedback": None, "reason": None},
            "collection_method": "charge_automatically",
            "created": started,
            "currency": currency,
            "customer": customer["id"],
            "days_until_due": None,
            "default_payment_method": None,
            "default_source": None,
            "default_tax_rates": [],
            "description": None,
            "discounts": [],
            "ended_at": None,
            "items": {
                **list_object(items, f"/v1/subscription_items?subscription={subscription_id}"),
                "total_count": len(items),
            },
            "latest_invoice": None,
            "livemode": False,
            "metadata": dict(metadata),
            "next_pending_invoice_item_invoice": None,
            "on_behalf_of": None,
            "pause_collection": None,
            "pending_invoice_item_interval": None,
            "pending_setup_intent": None,
            "pending_update": None,
            "schedule": None,
            "start_date": started,
            "status": "incomplete",
            "test_clock": None,
            "transfer_data": None,
            "trial_end": None,
            "trial_start": None,
        }
    )
    if customer["currency"] is None:
        customer["currency"] = currency
    # The first invoice covers no elapsed period: Stripe dates it to the subscription's start.
    invoice = invoices.new_subscription_invoice(
        store,
        subscription,
        billing_reason="subscription_create",
        period_start=started,
        period_end=started,
        at=started,
    )
    subscription["latest_invoice"] = invoice["id"]
    store.record_event("customer.subscription.created", subscription, AUTOMATIC)
    return Charged(subscription, invoice)


def activate_after_first_payment(store: Store, charged: Charged) -> None:
    invoices.pay(charged.invoice, now())
    store.record_event("invoice.paid", charged.invoice, AUTOMATIC)
    _update(store, charged.subscription, AUTOMATIC, status="active")


def cancel(
    store: Store,
    subscription: JsonObject,
    origin: Origin,
    *,
    comment: str | None = None,
    feedback: str | None = None,
) -> JsonObject:
    """Cancel now, as `DELETE /v1/subscriptions/{id}` and a portal set to cancel immediately do.

    A canceled subscription stays retrievable, but Stripe answers a second cancellation as if it
    did not exist ("No such subscription"), so this does too.
    """
    if subscription["status"] == "canceled":
        raise no_such("subscription", subscription["id"])
    if feedback is not None and feedback not in FEEDBACK:
        raise invalid_parameter(
            "cancellation_details[feedback]",
            f"Invalid cancellation_details[feedback]: must be one of {', '.join(sorted(FEEDBACK))}",
        )
    cancelled_at = now()
    subscription["status"] = "canceled"
    subscription["canceled_at"] = cancelled_at
    subscription["ended_at"] = cancelled_at
    subscription["cancellation_details"] = {
        "comment": comment,
        "feedback": feedback,
        "reason": "cancellation_requested",
    }
    store.record_event("customer.subscription.deleted", subscription, origin)
    return subscription


def fail_payment(store: Store, subscription: JsonObject) -> Charged:
    """A payment attempt fails: on the open invoice if there is one (a retry), else on the next
    period's invoice (a renewal). The subscription becomes `past_due`."""
    _refuse_if_canceled(subscription)
    before = copy.deepcopy(subscription)
    invoice = _open_invoice(store, subscription) or _renew(store, subscription)
    invoices.fail_attempt(invoice, now())
    store.record_event("invoice.payment_failed", invoice, AUTOMATIC)
    subscription["status"] = "past_due"
    _record_update(store, subscription, before, AUTOMATIC)
    return Charged(subscription, invoice)


def succeed_payment(store: Store, subscription: JsonObject) -> Charged:
    """A payment succeeds: the open invoice is paid if there is one, else the next period's
    invoice (a renewal). The subscription becomes `active`."""
    _refuse_if_canceled(subscription)
    before = copy.deepcopy(subscription)
    invoice = _open_invoice(store, subscription) or _renew(store, subscription)
    invoices.pay(invoice, now())
    store.record_event("invoice.paid", invoice, AUTOMATIC)
    subscription["status"] = "active"
    _record_update(store, subscription, before, AUTOMATIC)
    return Charged(subscription, invoice)


def set_status(store: Store, subscription: JsonObject, status: str) -> JsonObject:
    if status not in SETTABLE_STATUSES:
        raise invalid_parameter(
            "status", f"Invalid status: must be one of {', '.join(SETTABLE_STATUSES)}"
        )
    _refuse_if_canceled(subscription)
    _update(store, subscription, AUTOMATIC, status=status)
    return subscription


def _refuse_if_canceled(subscription: JsonObject) -> None:
    if subscription["status"] == "canceled":
        raise StripeError(
            400, f"Subscription {subscription['id']} is canceled; it can no longer change."
        )


def _open_invoice(store: Store, subscription: JsonObject) -> JsonObject | None:
    latest = store.objects.get(subscription["latest_invoice"] or "")
    return latest if latest is not None and latest["status"] == "open" else None


def _renew(store: Store, subscription: JsonObject) -> JsonObject:
    """The next period starts and its invoice is issued, as when the period ends on Stripe."""
    items = subscription["items"]["data"]
    ended_start, ended_end = items[0]["current_period_start"], items[0]["current_period_end"]
    for item in items:
        item["current_period_start"] = item["current_period_end"]
        item["current_period_end"] = add_month(item["current_period_end"])
    invoice = invoices.new_subscription_invoice(
        store,
        subscription,
        billing_reason="subscription_cycle",
        period_start=ended_start,
        period_end=ended_end,
        at=now(),
    )
    subscription["latest_invoice"] = invoice["id"]
    return invoice


def _update(store: Store, subscription: JsonObject, origin: Origin, **changes: object) -> None:
    before = copy.deepcopy(subscription)
    subscription.update(changes)
    _record_update(store, subscription, before, origin)


def _record_update(
    store: Store, subscription: JsonObject, before: JsonObject, origin: Origin
) -> None:
    """`customer.subscription.updated` with the changed fields' old values, or nothing when
    nothing changed (Stripe sends no update event for a no-op)."""
    previous = {key: value for key, value in before.items() if subscription[key] != value}
    if previous:
        store.record_event("customer.subscription.updated", subscription, origin, previous)
