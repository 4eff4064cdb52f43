"""Webhook signatures, written from Stripe's documentation rather than with the `stripe`
library: the billing service verifies with that library, so signing with it too would let a
shared mistake pass both ends.

`Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
endpoint's whole signing secret (`whsec_…`, as UTF-8 text, not decoded).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from doubles.fake_stripe.objects import JsonObject

CONTENT_TYPE = "application/json; charset=utf-8"
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def sign_payload(secret: str, body: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value for `body` sent at `timestamp`."""
    signed = f"{timestamp}.{body}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_body(event: JsonObject) -> str:
    """The JSON text Stripe POSTs for an event (pretty-printed, as Stripe sends it)."""
    return json.dumps(event, indent=2)


def delivery_headers(secret: str, body: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": CONTENT_TYPE,
        "Stripe-Signature": sign_payload(secret, body, timestamp),
        "User-Agent": USER_AGENT,
    }
