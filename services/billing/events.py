"""Stripe's webhook events: verifying them, and the tenant each one names.

Stripe signs each delivery (`Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of
"<t>.<body>" keyed with the endpoint's secret>`); the official library checks the signature
and that `t` is within the tolerance, so an old delivery replayed later is refused too.
A verified event names its tenant through what our checkout session set: the session's
`client_reference_id`, and `metadata.tenant_id` on the subscription (which its invoices
repeat under `parent.subscription_details.metadata`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import stripe
from libs.problems import Problem

HANDLED_TYPES = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
    }
)
# Larger than any Stripe event; a bigger body is refused before it is read further.
MAX_BODY_BYTES = 1 << 20


class InvalidSignature(Problem):
    status = 400
    code = "invalid-stripe-signature"
    title = "The Stripe-Signature header does not verify for this body, or is too old"


class MalformedEvent(Problem):
    status = 400
    code = "malformed-stripe-event"
    title = "The body is not a Stripe event"


@dataclass(frozen=True, slots=True)
class VerifiedEvent:
    id: str
    type: str
    created: datetime
    livemode: bool
    object: Mapping[str, Any]
    payload: dict[str, Any]

    @property
    def object_id(self) -> str:
        return str(self.object.get("id", ""))


def verify(body: bytes, header: str | None, *, secret: str, tolerance: int) -> VerifiedEvent:
    try:
        stripe.WebhookSignature.verify_header(body, header, secret, tolerance)
    except stripe.SignatureVerificationError:
        # The library's message may quote the header; the answer names only what failed.
        raise InvalidSignature() from None
    try:
        payload = json.loads(body)
        data_object = payload["data"]["object"]
        event = VerifiedEvent(
            id=str(payload["id"]),
            type=str(payload["type"]),
            created=datetime.fromtimestamp(int(payload["created"]), UTC),
            livemode=bool(payload.get("livemode", False)),
            object=data_object,
            payload=payload,
        )
    except (ValueError, KeyError, TypeError):
        raise MalformedEvent() from None
    if payload.get("object") != "event" or not isinstance(data_object, Mapping):
        raise MalformedEvent()
    return event


def _uuid(value: object) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def named_tenant(event: VerifiedEvent) -> UUID | None:
    """The tenant the event is about, from what our own checkout session set (None: an event
    about something halopos did not create)."""
    item = event.object
    kind = item.get("object")
    if kind == "checkout.session":
        return _uuid(item.get("client_reference_id"))
    if kind == "subscription":
        return _uuid((item.get("metadata") or {}).get("tenant_id"))
    if kind == "invoice":
        details = (item.get("parent") or {}).get("subscription_details") or {}
        return _uuid((details.get("metadata") or {}).get("tenant_id"))
    return None
