"""Customers: created through the API or by a Checkout Session that had none."""

from __future__ import annotations

import secrets

from doubles.fake_stripe.errors import invalid_parameter
from doubles.fake_stripe.forms import EXPAND, METADATA, STRING, Hash, Params
from doubles.fake_stripe.objects import JsonObject, new_id, now
from doubles.fake_stripe.state import Store

CREATE = Hash(
    {
        "description": STRING,
        "email": STRING,
        "expand": EXPAND,
        "metadata": METADATA,
        "name": STRING,
    }
)


def create_customer(store: Store, params: Params) -> JsonObject:
    email = params.get("email")
    if email is not None and not looks_like_email(email):
        raise invalid_parameter("email", f"Invalid email address: {email}", code="email_invalid")
    return store.add(
        new_customer(
            email=email,
            name=params.get("name"),
            description=params.get("description"),
            metadata=params.get("metadata", {}),
        )
    )


def looks_like_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and " " not in text


def new_customer(
    *,
    email: str | None,
    name: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
) -> JsonObject:
    return {
        "id": new_id("cus_"),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": now(),
        # Set by the customer's first subscription, as on Stripe.
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": description,
        "discount": None,
        "email": email,
        "invoice_prefix": secrets.token_hex(4).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }
