"""The billing service's only door to Stripe: the official `stripe` library's async client.

Production talks to https://api.stripe.com; the tests and `halopos run` without a key talk to
the local fake (doubles/fake_stripe) through this same code, with only the base URL changed.
The secret key goes to Stripe in the Authorization header and nowhere else (never into a log
line or an error message of ours).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import stripe
from libs.problems import Problem

from services.billing.settings import BillingSettings


class BillingNotConfigured(Problem):
    status = 503
    code = "billing-not-configured"
    title = "Billing is not configured on this platform"


class StripeUnavailable(Problem):
    status = 502
    code = "billing-provider-unavailable"
    title = "Stripe could not be reached or refused the request; nothing was changed"


def _product_name(product: object) -> str | None:
    if isinstance(product, Mapping):  # expanded
        name = product.get("name")
        return str(name) if name else None
    return str(product) if product else None


def _time(value: object) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None


@dataclass(frozen=True, slots=True)
class SubscriptionFacts:
    """A Stripe subscription as billing keeps it (re-fetched from Stripe, never taken from an
    event's snapshot, so events applied in any order leave Stripe's latest word)."""

    id: str
    customer: str
    status: str
    # The tenant Stripe's metadata names (set by our checkout session): checked against the
    # tenant the event was stored under, never used to choose one.
    metadata_tenant: str | None
    created: datetime
    price_id: str | None
    plan_name: str | None
    amount_minor: int | None
    currency: str | None
    interval: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool

    @classmethod
    def of(cls, subscription: Mapping[str, Any]) -> SubscriptionFacts:
        items = (subscription.get("items") or {}).get("data") or []
        item: Mapping[str, Any] = items[0] if items else {}
        price: Mapping[str, Any] = item.get("price") or {}
        recurring: Mapping[str, Any] = price.get("recurring") or {}
        product = price.get("product")
        currency = price.get("currency")
        created = _time(subscription.get("created"))
        return cls(
            id=str(subscription["id"]),
            customer=str(subscription.get("customer")),
            status=str(subscription["status"]),
            metadata_tenant=(subscription.get("metadata") or {}).get("tenant_id"),
            created=created or datetime.fromtimestamp(0, UTC),
            price_id=price.get("id"),
            plan_name=price.get("nickname") or _product_name(product),
            amount_minor=price.get("unit_amount"),
            currency=currency.upper() if isinstance(currency, str) else None,
            interval=recurring.get("interval"),
            # Since API version 2025-03-31 the period belongs to the subscription's items.
            current_period_end=_time(item.get("current_period_end")),
            cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        )


@dataclass(frozen=True, slots=True)
class HostedSession:
    id: str
    url: str
    expires_at: datetime | None


class StripeApi:
    def __init__(self, settings: BillingSettings) -> None:
        if settings.stripe_api_key is None:
            raise BillingNotConfigured("HALOPOS_STRIPE_API_KEY is not set")
        self._http = stripe.HTTPXClient(timeout=20)
        self._client = stripe.StripeClient(
            settings.stripe_api_key.get_secret_value(),
            base_addresses={"api": settings.stripe_api_base} if settings.stripe_api_base else {},
            http_client=self._http,
            # Retries reuse the idempotency key the library sets on every POST.
            max_network_retries=2,
        )

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create_customer(self, *, tenant_id: UUID, name: str, idempotency_key: str) -> str:
        customer = await self._call(
            self._client.v1.customers.create_async(
                {"name": name, "metadata": {"tenant_id": str(tenant_id)}},
                {"idempotency_key": idempotency_key},
            )
        )
        return str(customer.id)

    async def create_checkout_session(
        self,
        *,
        tenant_id: UUID,
        customer: str,
        price: str,
        return_url: str,
        idempotency_key: str,
    ) -> HostedSession:
        tenant = {"tenant_id": str(tenant_id)}
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(
                {
                    "mode": "subscription",
                    "customer": customer,
                    "client_reference_id": str(tenant_id),
                    "line_items": [{"price": price, "quantity": 1}],
                    # Every later event about the subscription names the tenant it is for.
                    "subscription_data": {"metadata": tenant},
                    "metadata": tenant,
                    "success_url": _with_query(
                        return_url, "checkout=complete&session_id={CHECKOUT_SESSION_ID}"
                    ),
                    "cancel_url": _with_query(return_url, "checkout=canceled"),
                },
                {"idempotency_key": idempotency_key},
            )
        )
        return HostedSession(str(session.id), str(session.url), _time(session.expires_at))

    async def create_portal_session(self, *, customer: str, return_url: str) -> HostedSession:
        session = await self._call(
            self._client.v1.billing_portal.sessions.create_async(
                {"customer": customer, "return_url": return_url}
            )
        )
        return HostedSession(str(session.id), str(session.url), None)

    async def subscription(self, subscription_id: str) -> SubscriptionFacts:
        found = await self._call(
            self._client.v1.subscriptions.retrieve_async(
                subscription_id, {"expand": ["items.data.price.product"]}
            )
        )
        return SubscriptionFacts.of(found.to_dict())

    async def checkout_subscription(self, session_id: str) -> str | None:
        """The subscription a checkout session made (None: not completed, or not ours)."""
        session = await self._call(self._client.v1.checkout.sessions.retrieve_async(session_id))
        subscription = session.to_dict().get("subscription")
        if isinstance(subscription, Mapping):
            subscription = subscription.get("id")
        return str(subscription) if subscription else None

    @staticmethod
    async def _call(request: Any) -> Any:
        try:
            return await request
        except stripe.StripeError as error:
            # Stripe's own message and request id; never the request's key or body.
            raise StripeUnavailable(
                f"Stripe answered {error.http_status or 'nothing'}: "
                f"{error.user_message or type(error).__name__}",
                stripe_request_id=error.request_id,
            ) from None


def subscription_of_invoice(invoice: Mapping[str, Any]) -> str | None:
    """An invoice's subscription: under `parent.subscription_details` since API version
    2025-03-31 (`subscription` at the top level before it)."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    subscription = details.get("subscription") or invoice.get("subscription")
    if isinstance(subscription, Mapping):
        subscription = subscription.get("id")
    return str(subscription) if subscription else None


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"
