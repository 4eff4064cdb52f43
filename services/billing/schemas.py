"""The billing API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class CheckoutSession(BaseModel):
    id: str = Field(description="Stripe's Checkout Session id")
    url: str = Field(description="Stripe's hosted payment page: send the owner's browser here")
    expires_at: datetime | None


class PortalSession(BaseModel):
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
    status: str | None = Field(description="Stripe's subscription status; null: none yet")
    subscription_id: str | None
    plan: Plan | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    billing_account: bool = Field(description="Whether the Customer Portal can be opened")
    entitlement: EntitlementView


class WebhookReceipt(BaseModel):
    received: Literal[True] = True
    stored: bool = Field(description="False for a redelivery or an ignored event")
    ignored: str | None = Field(
        default=None, description="unhandled-type, no-tenant or unknown-tenant"
    )
