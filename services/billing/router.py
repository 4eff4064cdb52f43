"""The billing API: the owner's Checkout and Customer Portal sessions and subscription, and
Stripe's webhook (authenticated by its signature alone: it carries no token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.billing.entitlement import Entitlement
from libs.problems import Problem, merge_responses, problems
from libs.rbac import Permission
from services.billing import service
from services.billing.events import (
    MAX_BODY_BYTES,
    InvalidSignature,
    MalformedEvent,
    VerifiedEvent,
    verify,
)
from services.billing.repository import BillingRepository
from services.billing.schemas import (
    CheckoutSession,
    EntitlementView,
    Plan,
    PortalSession,
    Subscription,
    WebhookReceipt,
)
from services.billing.settings import BillingSettings
from services.billing.stripe_api import BillingNotConfigured, StripeApi, StripeUnavailable
from services.billing.worker import EventWorker

router = APIRouter(prefix="/v1/billing", tags=["billing"])

# Stripe could not be reached or refused the request (nothing changed); or billing is not
# configured on this platform.
STRIPE_RESPONSES = problems(StripeUnavailable, BillingNotConfigured)


class BodyTooLarge(Problem):
    status = 413
    code = "body-too-large"
    title = "The request body is too large"


def _settings(request: Request) -> BillingSettings:
    settings: BillingSettings = request.app.state.billing_settings
    return settings


def _stripe(request: Request) -> StripeApi:
    stripe: StripeApi | None = request.app.state.stripe
    if stripe is None:
        raise BillingNotConfigured("HALOPOS_STRIPE_API_KEY is not set")
    return stripe


Settings = Annotated[BillingSettings, Depends(_settings)]
Stripe = Annotated[StripeApi, Depends(_stripe)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A retry with the same key returns the same Checkout Session",
    ),
]


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service=service.SERVICE)


@router.post(
    "/checkout-sessions",
    status_code=201,
    response_model=CheckoutSession,
    dependencies=[requires(Permission.BILLING_MANAGE)],
    responses=merge_responses(problems(service.SubscriptionExists), STRIPE_RESPONSES),
)
async def create_checkout_session(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    stripe: Stripe,
    settings: Settings,
    idempotency_key: IdempotencyKey = None,
) -> CheckoutSession:
    """Start the business's subscription: a Stripe-hosted Checkout page for its price (by its
    currency). Card details are entered on Stripe's page only; Stripe's webhook then tells
    halopos the subscription is active."""
    session = await service.start_checkout(
        repository=BillingRepository.from_connection(connection),
        audit=_audit(connection),
        stripe=stripe,
        settings=settings,
        principal=principal,
        idempotency_key=idempotency_key,
    )
    return CheckoutSession(id=session.id, url=session.url, expires_at=session.expires_at)


@router.post(
    "/portal-sessions",
    status_code=201,
    response_model=PortalSession,
    dependencies=[requires(Permission.BILLING_MANAGE)],
    responses=merge_responses(problems(service.NoBillingAccount), STRIPE_RESPONSES),
)
async def create_portal_session(
    connection: TenantConnection, principal: CurrentPrincipal, stripe: Stripe, settings: Settings
) -> PortalSession:
    """Stripe's Customer Portal for the business: change the card, see invoices, cancel."""
    session = await service.open_portal(
        repository=BillingRepository.from_connection(connection),
        audit=_audit(connection),
        stripe=stripe,
        settings=settings,
        principal=principal,
    )
    return PortalSession(url=session.url)


@router.get(
    "/subscription",
    response_model=Subscription,
    dependencies=[requires(Permission.BILLING_MANAGE)],
)
async def get_subscription(connection: TenantConnection) -> Subscription:
    """The subscription as Stripe last reported it, and what it entitles the business to."""
    account = await BillingRepository.from_connection(connection).account()
    state = account.subscription if account else None
    entitlement = Entitlement(
        status=state.status if state else None, grace_until=state.grace_until if state else None
    )
    plan = None
    if state is not None:
        plan = Plan(
            price_id=state.price_id,
            name=state.plan_name,
            amount_minor=state.amount_minor,
            currency=state.currency,
            interval=state.billing_interval,
        )
    return Subscription(
        status=state.status if state else None,
        subscription_id=state.subscription_id if state else None,
        plan=plan,
        current_period_end=state.current_period_end if state else None,
        cancel_at_period_end=state.cancel_at_period_end if state else False,
        billing_account=account is not None,
        entitlement=EntitlementView(
            mode=entitlement.mode().value, grace_until=entitlement.grace_until
        ),
    )


async def _verified_event(
    request: Request,
    settings: Settings,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> VerifiedEvent:
    """The webhook's only authentication: Stripe's signature over the exact body, made
    with our endpoint's secret, no older than the tolerance."""
    secret = settings.stripe_webhook_secret
    if secret is None:
        # Stripe retries for days: nothing is lost while the secret is being configured.
        raise BillingNotConfigured("HALOPOS_STRIPE_WEBHOOK_SECRET is not set")
    if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
        raise BodyTooLarge()
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise BodyTooLarge()
    return verify(
        body,
        stripe_signature,
        secret=secret.get_secret_value(),
        tolerance=settings.stripe_webhook_tolerance,
    )


VerifiedStripeEvent = Annotated[VerifiedEvent, Depends(_verified_event)]


@router.post(
    "/webhooks/stripe",
    response_model=WebhookReceipt,
    responses=problems(InvalidSignature, MalformedEvent, BodyTooLarge, BillingNotConfigured),
)
async def stripe_webhook(request: Request, event: VerifiedStripeEvent) -> WebhookReceipt:
    """Stripe's events about the business's subscription. Each is stored once by its id and
    applied by the billing worker; the answer comes as soon as it is stored. Stripe's other
    event types are acknowledged and ignored."""
    receipt = await service.receive(request.app.state.database, event)
    worker: EventWorker | None = request.app.state.billing_worker
    if receipt.stored and receipt.tenant and worker is not None:
        worker.wake(receipt.tenant)
    return WebhookReceipt(stored=receipt.stored, ignored=receipt.ignored)
