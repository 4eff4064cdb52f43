"""The billing service's SQL: the tenant's account (Stripe customer and subscription) and the
webhook inbox. Every statement runs in the caller's tenant-bound transaction under row-level
security and names no tenant; the one exception is `tenants_with_pending_events`, which asks
the database (a function that reveals only ids) which tenants the worker should visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.repository import Repository
from services.billing.models import accounts, stripe_events
from services.billing.stripe_api import SubscriptionFacts

# The tenant registry (the identity service's), as far as billing reads it: the bound
# tenant's own row, under the same row-level security.
_tenants = sa.table(
    "tenants", sa.column("name", sa.Text()), sa.column("currency", sa.Text()), schema="identity"
)
_TENANT = sa.select(_tenants.c.name, _tenants.c.currency)
# One worker at a time per tenant applies events: they serialise on this lock (held for the
# transaction, including the Stripe lookup inside it), so a slower worker can never write an
# older answer from Stripe over a newer one.
_LOCK_TENANT = sa.text(
    "SELECT pg_advisory_xact_lock(hashtextextended('halopos.billing:' "
    "|| current_setting('app.tenant_id'), 0))"
)
# The inbox's reference to the tenant registry (models.py naming convention).
TENANT_FOREIGN_KEY = "fk_stripe_events_tenant_id_tenants"


class UnknownTenant(Exception):
    """An event named a tenant id that is not a tenant of this database."""


_PENDING_TENANTS = sa.text(
    "SELECT tenant_id FROM billing.tenants_with_pending_events() AS tenant_id"
)


@dataclass(frozen=True, slots=True)
class Business:
    name: str
    currency: str


@dataclass(frozen=True, slots=True)
class SubscriptionState:
    """What billing keeps of a subscription (the columns `apply` writes)."""

    subscription_id: str
    status: str
    price_id: str | None
    plan_name: str | None
    amount_minor: int | None
    currency: str | None
    billing_interval: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    subscription_created: datetime
    past_due_since: datetime | None
    grace_until: datetime | None

    @classmethod
    def of(
        cls,
        facts: SubscriptionFacts,
        *,
        past_due_since: datetime | None,
        grace_until: datetime | None,
    ) -> SubscriptionState:
        return cls(
            subscription_id=facts.id,
            status=facts.status,
            price_id=facts.price_id,
            plan_name=facts.plan_name,
            amount_minor=facts.amount_minor,
            currency=facts.currency,
            billing_interval=facts.interval,
            current_period_end=facts.current_period_end,
            cancel_at_period_end=facts.cancel_at_period_end,
            subscription_created=facts.created,
            past_due_since=past_due_since,
            grace_until=grace_until,
        )


@dataclass(frozen=True, slots=True)
class Account:
    stripe_customer_id: str
    subscription: SubscriptionState | None
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: str
    type: str
    object_id: str
    stripe_created: datetime
    payload: dict[str, Any]


_STATE_COLUMNS = tuple(SubscriptionState.__dataclass_fields__)


class BillingRepository(Repository):
    async def business(self) -> Business:
        row = (await self._connection.execute(_TENANT)).one()
        return Business(name=row.name, currency=row.currency)

    async def lock_tenant(self) -> None:
        await self._connection.execute(_LOCK_TENANT)

    async def account(self, *, for_update: bool = False) -> Account | None:
        query = sa.select(accounts)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        subscription = None
        if row.subscription_id is not None:
            subscription = SubscriptionState(
                **{name: row._mapping[name] for name in _STATE_COLUMNS}
            )
        return Account(row.stripe_customer_id, subscription, row.version, row.updated_at)

    async def open_account(self, customer: str) -> str:
        """Record the tenant's Stripe customer; answers the one recorded (a concurrent first
        checkout may have recorded its own a moment earlier: the first one stays)."""
        await self._connection.execute(
            insert(accounts)
            .values(stripe_customer_id=customer)
            .on_conflict_do_nothing(index_elements=["tenant_id"])
        )
        recorded = await self._connection.scalar(sa.select(accounts.c.stripe_customer_id))
        assert recorded is not None
        return str(recorded)

    async def save_subscription(self, customer: str, state: SubscriptionState) -> int:
        """Write the subscription (making the account when Stripe names a customer we had not
        recorded, e.g. a subscription an operator made in Stripe's dashboard); answers the
        account's new version."""
        values = {name: getattr(state, name) for name in _STATE_COLUMNS}
        statement = (
            insert(accounts)
            .values(stripe_customer_id=customer, **values)
            .on_conflict_do_update(
                index_elements=["tenant_id"],
                set_={
                    **values,
                    "version": accounts.c.version + 1,
                    "updated_at": sa.func.now(),
                },
            )
            .returning(accounts.c.version)
        )
        version = await self._connection.scalar(statement)
        assert version is not None
        return int(version)

    async def store_event(
        self,
        *,
        event_id: str,
        type: str,
        object_id: str,
        stripe_created: datetime,
        livemode: bool,
        payload: dict[str, Any],
    ) -> bool:
        """Store a verified event once: True if it is new, False for a redelivery."""
        statement = (
            insert(stripe_events)
            .values(
                id=event_id,
                type=type,
                object_id=object_id,
                stripe_created=stripe_created,
                livemode=livemode,
                payload=payload,
            )
            .on_conflict_do_nothing(index_elements=["tenant_id", "id"])
            .returning(stripe_events.c.id)
        )
        try:
            stored = await self._connection.scalar(statement)
        except IntegrityError as error:
            cause = error.orig.__cause__ if error.orig is not None else None
            if getattr(cause, "constraint_name", None) == TENANT_FOREIGN_KEY:
                raise UnknownTenant() from None
            raise
        return stored is not None

    async def pending_event_ids(self, limit: int = 100) -> list[str]:
        """Events not applied yet, oldest first by Stripe's clock."""
        query = (
            sa.select(stripe_events.c.id)
            .where(stripe_events.c.processed_at.is_(None))
            .order_by(stripe_events.c.stripe_created, stripe_events.c.received_at)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())

    async def claim_event(self, event_id: str) -> StoredEvent | None:
        """The event, locked, if it still waits to be applied."""
        query = (
            sa.select(stripe_events)
            .where(stripe_events.c.id == event_id, stripe_events.c.processed_at.is_(None))
            .with_for_update()
        )
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return StoredEvent(row.id, row.type, row.object_id, row.stripe_created, row.payload)

    async def finish_event(self, event_id: str, outcome: str) -> None:
        await self._connection.execute(
            sa.update(stripe_events)
            .where(stripe_events.c.id == event_id)
            .values(
                processed_at=sa.func.clock_timestamp(),
                outcome=outcome,
                attempts=stripe_events.c.attempts + 1,
                last_error=None,
            )
        )

    async def note_failure(self, event_id: str, error: str) -> None:
        await self._connection.execute(
            sa.update(stripe_events)
            .where(stripe_events.c.id == event_id)
            .values(attempts=stripe_events.c.attempts + 1, last_error=error[:500])
        )


async def tenants_with_pending_events(connection: AsyncConnection) -> list[UUID]:
    return list((await connection.execute(_PENDING_TENANTS)).scalars())
