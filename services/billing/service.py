"""Billing: starting a subscription (Stripe Checkout), managing it (the Customer Portal), and
applying what Stripe reports about it (webhook events, applied by the worker).

Card details are entered on Stripe's pages only; halopos sees a customer id, a subscription
id, a status and a price. Whatever order Stripe's events arrive in, the subscription is
re-fetched from Stripe when an event is applied, so the last event applied leaves Stripe's
latest word, never an older snapshot (`decide` is the whole rule).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import Conflict
from libs.tenancy.database import TenantDatabase
from services.billing.events import HANDLED_TYPES, VerifiedEvent, named_tenant
from services.billing.repository import (
    Account,
    BillingRepository,
    StoredEvent,
    SubscriptionState,
    UnknownTenant,
)
from services.billing.settings import BillingSettings
from services.billing.stripe_api import (
    BillingNotConfigured,
    HostedSession,
    StripeApi,
    StripeUnavailable,
    SubscriptionFacts,
    subscription_of_invoice,
)

logger = logging.getLogger("halopos.billing")

SERVICE = "billing"
# A subscription in one of these has ended: a new checkout may start another.
ENDED = frozenset({"canceled", "incomplete_expired"})


class SubscriptionExists(Conflict):
    code = "subscription-exists"
    title = "The business already has a subscription: change or renew it in the billing portal"


class NoBillingAccount(Conflict):
    code = "no-billing-account"
    title = "The business has no billing account yet: start a subscription first"


def _stripe_actor(event_id: str) -> Actor:
    return Actor(type="stripe", id=event_id)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# -- Checkout and the portal (an owner's requests) ----------------------------------------


async def start_checkout(
    *,
    repository: BillingRepository,
    audit: AuditLog,
    stripe: StripeApi,
    settings: BillingSettings,
    principal: Principal,
    idempotency_key: str | None,
) -> HostedSession:
    """A Stripe Checkout Session for the tenant's price. The account row is locked for the
    request, so two first checkouts of one business make one Stripe customer."""
    account = await repository.account(for_update=True)
    if account and account.subscription and account.subscription.status not in ENDED:
        raise SubscriptionExists(
            f"The subscription is {account.subscription.status}.",
            subscription_status=account.subscription.status,
        )
    business = await repository.business()
    price = settings.price_for(business.currency)
    if price is None:
        raise BillingNotConfigured(f"No Stripe price is configured for {business.currency}.")
    tenant = principal.tenant_id
    customer = account.stripe_customer_id if account else None
    if customer is None:
        # Stripe keeps an idempotency key for 24 hours: a retry after a lost answer finds the
        # customer it made instead of making a second one.
        made = await stripe.create_customer(
            tenant_id=tenant, name=business.name, idempotency_key=f"halopos-customer-{tenant}"
        )
        customer = await repository.open_account(made)
    session = await stripe.create_checkout_session(
        tenant_id=tenant,
        customer=customer,
        price=price,
        return_url=settings.billing_return_url,
        idempotency_key=f"halopos-checkout-{tenant}-{idempotency_key or uuid.uuid4()}",
    )
    await audit.append(
        actor=Actor.of(principal),
        action="billing.checkout.started",
        resource_type="billing_account",
        resource_id=str(tenant),
        payload={"checkout_session": session.id, "customer": customer, "price": price},
    )
    return session


async def open_portal(
    *,
    repository: BillingRepository,
    audit: AuditLog,
    stripe: StripeApi,
    settings: BillingSettings,
    principal: Principal,
) -> HostedSession:
    account = await repository.account()
    if account is None:
        raise NoBillingAccount()
    session = await stripe.create_portal_session(
        customer=account.stripe_customer_id, return_url=settings.billing_return_url
    )
    await audit.append(
        actor=Actor.of(principal),
        action="billing.portal.opened",
        resource_type="billing_account",
        resource_id=str(principal.tenant_id),
        payload={"portal_session": session.id, "customer": account.stripe_customer_id},
    )
    return session


# -- Webhooks: receiving (the endpoint) and applying (the worker) --------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    stored: bool
    tenant: UUID | None = None  # the tenant the verified event named, when stored
    ignored: str | None = None


async def receive(database: TenantDatabase, event: VerifiedEvent) -> Receipt:
    """Store a verified event once, under the tenant it names. Events of other types, or
    about nothing halopos made, are acknowledged and dropped (Stripe stops resending them)."""
    if event.type not in HANDLED_TYPES:
        return Receipt(stored=False, ignored="unhandled-type")
    tenant = named_tenant(event)
    if tenant is None:
        return Receipt(stored=False, ignored="no-tenant")
    try:
        async with database.event_transaction(tenant) as connection:
            stored = await BillingRepository.from_connection(connection).store_event(
                event_id=event.id,
                type=event.type,
                object_id=event.object_id,
                stripe_created=event.created,
                livemode=event.livemode,
                payload=event.payload,
            )
            if stored:
                await AuditLog.from_connection(connection, service=SERVICE).append(
                    actor=_stripe_actor(event.id),
                    action="billing.stripe_event.received",
                    resource_type="stripe_event",
                    resource_id=event.id,
                    payload={
                        "type": event.type,
                        "object": event.object_id,
                        "created": _iso(event.created),
                    },
                )
    except UnknownTenant:
        # A tenant id that names no tenant here: another region's cell shares the Stripe
        # account, or the tenant never existed. The registry's foreign key refused the row.
        logger.info("stripe event %s names no tenant of this cell", event.id)
        return Receipt(stored=False, ignored="unknown-tenant")
    return Receipt(stored=stored, tenant=tenant)


def decide(
    account: Account | None,
    facts: SubscriptionFacts,
    *,
    tenant_id: UUID,
    seen_at: datetime,
    grace: timedelta,
) -> tuple[str, SubscriptionState | None]:
    """What Stripe's latest word about a subscription does to the tenant's account: an
    outcome, and the new state (None: nothing to write)."""
    if facts.metadata_tenant != str(tenant_id):
        return "tenant-mismatch", None
    if account is not None and facts.customer != account.stripe_customer_id:
        return "customer-mismatch", None
    current = account.subscription if account else None
    if current is not None and current.subscription_id != facts.id:
        # Another subscription of the business replaces the one we keep only when that one
        # has ended, and the other is live or newer: a late event about a cancelled
        # subscription never ends the one that replaced it. (`created` is in whole seconds:
        # a renewal can share its second with the cancellation.)
        if current.status not in ENDED:
            return "other-subscription", None
        if facts.status in ENDED and facts.created <= current.subscription_created:
            return "other-subscription", None
        current = None
    past_due_since = grace_until = None
    if facts.status == "past_due":
        still = current is not None and current.status == "past_due" and current.past_due_since
        past_due_since = current.past_due_since if still and current else seen_at
        assert past_due_since is not None
        grace_until = past_due_since + grace
    state = SubscriptionState.of(facts, past_due_since=past_due_since, grace_until=grace_until)
    if state == current:
        return "unchanged", None
    return "applied", state


async def _subscription_named(event: StoredEvent, stripe: StripeApi) -> str | None:
    item: dict[str, Any] = event.payload["data"]["object"]
    kind = item.get("object")
    if kind == "subscription":
        return str(item["id"])
    if kind == "invoice":
        return subscription_of_invoice(item)
    if kind == "checkout.session":
        if item.get("mode") != "subscription":
            return None
        named = item.get("subscription")
        return str(named) if named else await stripe.checkout_subscription(str(item["id"]))
    return None


async def _apply(
    repository: BillingRepository,
    audit: AuditLog,
    stripe: StripeApi,
    settings: BillingSettings,
    tenant_id: UUID,
    event: StoredEvent,
) -> str:
    actor = _stripe_actor(event.id)
    item: dict[str, Any] = event.payload["data"]["object"]
    if item.get("object") == "invoice" and event.type in ("invoice.paid", "invoice.payment_failed"):
        # The business's bill from us: a fact of its books whatever the subscription does.
        await audit.append(
            actor=actor,
            action=f"billing.{event.type}",
            resource_type="stripe_invoice",
            resource_id=str(item.get("id")),
            payload={
                "amount_due_minor": item.get("amount_due"),
                "amount_paid_minor": item.get("amount_paid"),
                "currency": str(item.get("currency", "")).upper(),
                "subscription": subscription_of_invoice(item),
            },
        )
    subscription_id = await _subscription_named(event, stripe)
    if subscription_id is None:
        return "no-subscription"
    facts = await stripe.subscription(subscription_id)
    account = await repository.account(for_update=True)
    outcome, state = decide(
        account,
        facts,
        tenant_id=tenant_id,
        seen_at=event.stripe_created,
        grace=timedelta(days=settings.billing_grace_days),
    )
    if state is None:
        if outcome in ("tenant-mismatch", "customer-mismatch"):
            logger.warning("stripe event %s: %s; not applied", event.id, outcome)
        return outcome
    before = account.subscription if account else None
    version = await repository.save_subscription(facts.customer, state)
    await audit.append(
        actor=actor,
        action="billing.subscription.changed",
        resource_type="billing_account",
        resource_id=str(tenant_id),
        payload={
            "event": event.id,
            "event_type": event.type,
            "subscription": state.subscription_id,
            "status_before": before.status if before else None,
            "status": state.status,
            "price": state.price_id,
            "current_period_end": _iso(state.current_period_end),
            "cancel_at_period_end": state.cancel_at_period_end,
            "grace_until": _iso(state.grace_until),
            "version": version,
        },
    )
    return outcome


async def apply_event(
    *,
    database: TenantDatabase,
    stripe: StripeApi,
    settings: BillingSettings,
    tenant_id: UUID,
    event_id: str,
) -> str | None:
    """Apply one stored event; its outcome (None: already applied, or Stripe could not be
    asked and the event waits for the next sweep)."""
    try:
        async with database.event_transaction(tenant_id) as connection:
            repository = BillingRepository.from_connection(connection)
            await repository.lock_tenant()
            event = await repository.claim_event(event_id)
            if event is None:
                return None
            audit = AuditLog.from_connection(connection, service=SERVICE)
            outcome = await _apply(repository, audit, stripe, settings, tenant_id, event)
            await repository.finish_event(event_id, outcome)
            return outcome
    except StripeUnavailable as error:
        logger.warning("stripe event %s waits: %s", event_id, error.detail)
        async with database.event_transaction(tenant_id) as connection:
            await BillingRepository.from_connection(connection).note_failure(
                event_id, error.detail or error.title
            )
        return None
