"""The billing API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CheckoutSession(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "cs_test_a1Kx9QmT2vR7pL4sW8nB3dF6hJ0cY5eZ",
                    "url": "https://checkout.stripe.com/c/pay/cs_test_a1Kx9QmT2vR7pL4sW8nB3dF6hJ0cY5eZ",
                    "expires_at": "2026-12-08T09:30:00+11:00",
                }
            ]
        }
    )

    id: str = Field(description="Stripe's Checkout Session id")
    url: str = Field(description="Stripe's hosted payment page: send the owner's browser here")
    expires_at: datetime | None


class PortalSession(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"url": "https://billing.stripe.com/p/session/test_YWNjdF8xUWhXMmFMa2RJd0h1N2l4"}
            ]
        }
    )

    url: str = Field(description="Stripe's Customer Portal: plan, card, invoices, cancelling")


class Plan(BaseModel):
    price_id: str | None
    name: str | None
    amount_minor: int | None = Field(description="Per interval, in minor units of `currency`")
    currency: str | None
    interval: str | None


class EntitlementView(BaseModel):
    mode: Literal["full", "grace", "read-only"] = Field(
        description="full; grace: past due, full use until `grace_until`; read-only: new "
        "sales refused, everything recorded still readable and exportable"
    )
    grace_until: datetime | None


class Subscription(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "active",
                    "subscription_id": "sub_1QhX2aLkdIwHu7ix9Z3cR4bT",
                    "plan": {
                        "price_id": "price_1QhWzYLkdIwHu7ixK2m8VnPq",
                        "name": "halopos Café",
                        "amount_minor": 8900,
                        "currency": "aud",
                        "interval": "month",
                    },
                    "current_period_end": "2027-01-01T10:00:00+11:00",
                    "cancel_at_period_end": False,
                    "billing_account": True,
                    "entitlement": {"mode": "full", "grace_until": None},
                }
            ]
        }
    )

    status: str | None = Field(description="Stripe's subscription status; null: none yet")
    subscription_id: str | None
    plan: Plan | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    billing_account: bool = Field(description="Whether the Customer Portal can be opened")
    entitlement: EntitlementView


class WebhookReceipt(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"received": True, "stored": True, "ignored": None}]}
    )

    received: Literal[True] = True
    stored: bool = Field(description="False for a redelivery or an ignored event")
    ignored: str | None = Field(
        default=None, description="unhandled-type, no-tenant or unknown-tenant"
    )
