"""A subscription's invoices: one when it starts, one per renewal, each paid or attempted.

In this API version an invoice names its subscription under
`parent.subscription_details.subscription`, with the subscription's metadata beside it.
An invoice's own `period_start`/`period_end` are Stripe's, not the service period: equal to its
creation on the first invoice, the period just ended on a renewal; the period paid for is on
its lines (`lines.data[i].period`), as on Stripe.
"""

from __future__ import annotations

import copy

from doubles.fake_stripe.objects import JsonObject, list_object, new_id
from doubles.fake_stripe.state import Store

# How long Stripe's retry schedule waits before the next attempt after a failed one.
RETRY_AFTER_SECONDS = 3 * 24 * 3600


def new_subscription_invoice(
    store: Store,
    subscription: JsonObject,
    *,
    billing_reason: str,
    period_start: int,
    period_end: int,
    at: int,
) -> JsonObject:
    """A finalized, open invoice for the subscription's items over their current period."""
    invoice_id = new_id("in_")
    lines = [_line(store, invoice_id, subscription, item) for item in subscription["items"]["data"]]
    total = sum(line["amount"] for line in lines)
    customer = store.objects[subscription["customer"]]
    number = f"{customer['invoice_prefix']}-{customer['next_invoice_sequence']:04d}"
    customer["next_invoice_sequence"] += 1
    return store.add(
        {
            "id": invoice_id,
            "object": "invoice",
            "amount_due": total,
            "amount_overpaid": 0,
            "amount_paid": 0,
            "amount_remaining": total,
            "amount_shipping": 0,
            "attempt_count": 0,
            "attempted": False,
            "auto_advance": True,
            "billing_reason": billing_reason,
            "collection_method": "charge_automatically",
            "created": at,
            "currency": subscription["currency"],
            "customer": customer["id"],
            "customer_email": customer["email"],
            "customer_name": customer["name"],
            "description": None,
            "discounts": [],
            "due_date": None,
            "effective_at": at,
            "ending_balance": 0,
            "hosted_invoice_url": None,
            "invoice_pdf": None,
            "last_finalization_error": None,
            "lines": {
                **list_object(lines, f"/v1/invoices/{invoice_id}/lines"),
                "total_count": len(lines),
            },
            "livemode": False,
            "metadata": {},
            "next_payment_attempt": at,
            "number": number,
            "parent": {
                "quote_details": None,
                "subscription_details": {
                    "metadata": copy.deepcopy(subscription["metadata"]),
                    "subscription": subscription["id"],
                },
                "type": "subscription_details",
            },
            "period_end": period_end,
            "period_start": period_start,
            "starting_balance": 0,
            "status": "open",
            "status_transitions": {
                "finalized_at": at,
                "marked_uncollectible_at": None,
                "paid_at": None,
                "voided_at": None,
            },
            "subtotal": total,
            "subtotal_excluding_tax": total,
            "total": total,
            "total_discount_amounts": [],
            "total_excluding_tax": total,
            "total_taxes": [],
        }
    )


def _line(store: Store, invoice_id: str, subscription: JsonObject, item: JsonObject) -> JsonObject:
    price = item["price"]
    amount = price["unit_amount"] * item["quantity"]
    product = store.objects.get(price["product"], {"name": price["product"]})
    return {
        "id": new_id("il_"),
        "object": "line_item",
        "amount": amount,
        "currency": price["currency"],
        "description": f"{item['quantity']} × {product['name']}",
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": invoice_id,
        "livemode": False,
        "metadata": {},
        "parent": {
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": subscription["id"],
                "subscription_item": item["id"],
            },
            "type": "subscription_item_details",
        },
        "period": {"end": item["current_period_end"], "start": item["current_period_start"]},
        "pretax_credit_amounts": [],
        "pricing": {
            "price_details": {"price": price["id"], "product": price["product"]},
            "type": "price_details",
            "unit_amount_decimal": price["unit_amount_decimal"],
        },
        "quantity": item["quantity"],
        "taxes": [],
    }


def pay(invoice: JsonObject, at: int) -> None:
    invoice["status"] = "paid"
    invoice["amount_paid"] = invoice["amount_due"]
    invoice["amount_remaining"] = 0
    invoice["attempted"] = True
    invoice["attempt_count"] += 1
    invoice["next_payment_attempt"] = None
    invoice["status_transitions"]["paid_at"] = at


def fail_attempt(invoice: JsonObject, at: int) -> None:
    invoice["attempted"] = True
    invoice["attempt_count"] += 1
    invoice["next_payment_attempt"] = at + RETRY_AFTER_SECONDS
