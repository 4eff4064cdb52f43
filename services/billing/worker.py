"""The worker that applies stored Stripe events.

The webhook endpoint only verifies and stores (and answers Stripe at once); this worker
applies. It is woken with the tenant of each newly stored event, and every
`billing_sweep_interval` seconds it asks the database which tenants still have events
waiting (`billing.tenants_with_pending_events()`: ids only): events whose Stripe lookup failed,
or that a process stored just before it stopped. A tenant's events are applied one at a time,
oldest first; several billing processes may run, and they serialise per tenant in Postgres.

Every replica applies the events it was woken for (the ones its own webhook endpoint stored),
so an event is applied at once wherever it arrived. The sweep runs on one replica per
deployment (`sweep_as_leader`, libs/leader.py): N replicas sweeping would each ask Stripe
again for every event still waiting, multiplying the calls exactly while Stripe is failing or
limiting us. Two sweeps at once would still apply each event once (the tenant lock and the
claim in service.apply_event).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from uuid import UUID

from libs.leader import RETRY_SECONDS, LeaderLock, direct_dsn, run_as_leader
from libs.tenancy.database import TenantDatabase
from services.billing.repository import BillingRepository, tenants_with_pending_events
from services.billing.service import apply_event
from services.billing.settings import BillingSettings
from services.billing.stripe_api import StripeApi

logger = logging.getLogger("halopos.billing.worker")


class EventWorker:
    def __init__(
        self, database: TenantDatabase, stripe: StripeApi, settings: BillingSettings
    ) -> None:
        self._database = database
        self._stripe = stripe
        self._settings = settings
        self._woken: asyncio.Queue[UUID] = asyncio.Queue(maxsize=10_000)

    def wake(self, tenant_id: UUID) -> None:
        # A full queue loses nothing: the event is stored, and the next sweep finds it.
        with contextlib.suppress(asyncio.QueueFull):
            self._woken.put_nowait(tenant_id)

    async def apply_pending(self, tenant_id: UUID) -> list[str]:
        """Apply the tenant's waiting events, oldest first; their outcomes."""
        async with self._database.event_transaction(tenant_id) as connection:
            waiting = await BillingRepository.from_connection(connection).pending_event_ids()
        outcomes = []
        for event_id in waiting:
            outcome = await apply_event(
                database=self._database,
                stripe=self._stripe,
                settings=self._settings,
                tenant_id=tenant_id,
                event_id=event_id,
            )
            if outcome is None:
                break  # Stripe could not be asked: keep the order, retry at the next sweep
            outcomes.append(outcome)
        return outcomes

    async def sweep(self) -> None:
        """Every tenant with waiting events."""
        async with self._database.engine.connect() as connection:
            tenants = await tenants_with_pending_events(connection)
            await connection.rollback()
        for tenant in tenants:
            # One business's event that cannot be applied must not hold up every other
            # business's: it stays waiting (and is logged) while the sweep goes on.
            try:
                await self.apply_pending(tenant)
            except Exception:
                logger.exception("applying stripe events failed for tenant %s", tenant)

    async def run(self) -> None:
        """Apply what this replica was woken for; until cancelled."""
        while True:
            tenant = await self._woken.get()
            try:
                await self.apply_pending(tenant)
            except Exception:
                # A database outage must not end the loop; the next sweep catches up.
                logger.exception("applying stripe events failed")

    async def sweep_periodically(self) -> None:
        while True:
            await asyncio.sleep(self._settings.billing_sweep_interval)
            try:
                await self.sweep()
            except Exception:
                logger.exception("sweeping stripe events failed")

    async def sweep_as_leader(self, *, retry_seconds: float = RETRY_SECONDS) -> None:
        """`sweep_periodically`, on the one replica holding the billing sweep's lock."""
        await run_as_leader(
            direct_dsn(self._database.engine.url),
            LeaderLock.BILLING_SWEEP,
            self.sweep_periodically,
            retry_seconds=retry_seconds,
        )
