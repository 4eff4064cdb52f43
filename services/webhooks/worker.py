"""The worker that delivers the outbox: a background job of the webhooks service.

The outbox is the database (`webhooks.messages`, written in each event's own transaction), so
nothing is lost when a worker stops: the next one finds what is waiting. Every
`webhooks_poll_interval` seconds (or when the API wakes it) the worker asks the database which
tenants have work (`webhooks.tenants_with_pending_work()`: ids only) and, for each, in a
transaction bound to that tenant:

1. fans waiting messages out: one delivery per endpoint subscribed to the type that existed
   when the message was recorded (a disabled one's wait until it is enabled);
2. claims due deliveries `FOR UPDATE SKIP LOCKED` and moves each one's next attempt past the
   send timeout (a lease), so several workers (replicas) never send the same attempt at once;
3. sends them (outside any transaction), each signed per Standard Webhooks (signing.py), each
   attempt over a connection of its own to an address its own check approved
   (addresses.Sender: the URL is resolved once, checked, and connected to as checked);
4. records each attempt in the delivery log and the audit log in one transaction: a 2xx is
   `delivered`; otherwise the next attempt is scheduled (the retry schedule, with jitter) or,
   once the schedule is spent, the delivery is `failed`. An endpoint failing for too long, or
   for too many messages in a row, is disabled with the reason, audited, and the business's
   other endpoints subscribed to `endpoint.disabled` are told.

Delivery is at least once (a worker that dies after the receiver answered and before it
recorded so sends again when the lease ends); the `webhook-id` is the message's, the same on
every attempt, for the receiver to drop repeats.

Unlike the audit checkpoint signer and the billing sweep, this worker is not elected
(libs/leader.py): the claims above let every replica run it, sharing the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

from libs.audit.append import Actor, AuditLog
from libs.problems import Problem
from libs.tenancy.database import TenantDatabase
from libs.webhooks.outbox import Outbox
from libs.webhooks.payloads import EndpointDisabled
from services.webhooks import signing
from services.webhooks.addresses import Sender
from services.webhooks.deliveries.repository import (
    Claimed,
    DeliveryRepository,
    EndpointHealth,
    tenants_with_pending_work,
)
from services.webhooks.settings import WebhookSettings
from services.webhooks.signing_secrets import SecretBox

logger = logging.getLogger("halopos.webhooks.worker")

WORKER = Actor(type="system", id="webhooks-worker")
BATCH = 50
# How much of the receiver's failure is kept in the log.
MAX_ERROR = 300


@dataclass(frozen=True, slots=True)
class Outcome:
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_of(claimed: Claimed) -> bytes:
    """What is POSTed: the same bytes on every attempt of a message."""
    return json.dumps(
        {
            "type": claimed.event_type,
            "timestamp": claimed.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "data": claimed.data,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def next_wait(settings: WebhookSettings, attempts_in_round: int) -> float | None:
    """Seconds before the next attempt after `attempts_in_round` failed ones; None when the
    schedule is spent."""
    schedule = settings.webhooks_retry_schedule
    if attempts_in_round > len(schedule):
        return None
    wait = schedule[attempts_in_round - 1]
    return wait * (1 + random.random() * settings.webhooks_retry_jitter)  # noqa: S311 - jitter


class Worker:
    def __init__(
        self,
        database: TenantDatabase,
        settings: WebhookSettings,
        box: SecretBox,
        *,
        sender: Sender | None = None,
    ) -> None:
        self._database = database
        self._settings = settings
        self._box = box
        self._sender = sender or Sender(
            allow_loopback=settings.webhooks_allow_loopback,
            timeout=settings.webhooks_send_timeout,
        )
        self._woken: asyncio.Queue[UUID] = asyncio.Queue(maxsize=10_000)

    def wake(self, tenant_id: UUID) -> None:
        # A full queue loses nothing: the work is stored, and the next sweep finds it.
        with contextlib.suppress(asyncio.QueueFull):
            self._woken.put_nowait(tenant_id)

    @property
    def _lease(self) -> timedelta:
        return timedelta(seconds=self._settings.webhooks_send_timeout + 30)

    async def deliver_pending(self, tenant_id: UUID) -> int:
        """Fan out and send the tenant's due work; answers how many attempts were made."""
        async with self._database.scheduled_transaction(tenant_id) as connection:
            repository = DeliveryRepository.from_connection(connection)
            while await repository.fan_out(BATCH) == BATCH:
                pass
            claimed = await repository.claim_due(limit=BATCH, lease=self._lease)
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self._send(item) for item in claimed))
        for item, outcome in zip(claimed, outcomes, strict=True):
            await self._record(tenant_id, item, outcome)
        return len(claimed)

    async def _send(self, claimed: Claimed) -> Outcome:
        attempted_at = datetime.now(UTC)
        started = time.monotonic()
        status_code: int | None = None
        error: str | None = None
        try:
            secrets = [self._box.open(claimed.endpoint_id, claimed.secret_ciphertext)]
            if claimed.previous_secret_ciphertext is not None:
                secrets.append(
                    self._box.open(claimed.endpoint_id, claimed.previous_secret_ciphertext)
                )
            body = body_of(claimed)
            headers = signing.headers(
                secrets,
                message_id=str(claimed.message_id),
                timestamp=int(time.time()),
                body=body,
            )
            # Checked again before every attempt (a name may point elsewhere since it was
            # saved), and sent to the address that check approved.
            status_code = await self._sender.post(claimed.url, content=body, headers=headers)
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except Problem as refused:
            error = f"refused: {refused.detail or refused.title}"
        except (httpx.TimeoutException, TimeoutError):
            error = "timed out"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        duration_ms = int((time.monotonic() - started) * 1000)
        return Outcome(attempted_at, status_code, duration_ms, error and error[:MAX_ERROR])

    async def _record(self, tenant_id: UUID, claimed: Claimed, outcome: Outcome) -> None:
        settings = self._settings
        attempts_in_round = claimed.attempts_in_round + 1
        wait = None if outcome.succeeded else next_wait(settings, attempts_in_round)
        if outcome.succeeded:
            state, next_attempt_at = "delivered", None
        elif wait is not None:
            state, next_attempt_at = "pending", datetime.now(UTC) + timedelta(seconds=wait)
        else:
            state, next_attempt_at = "failed", None
        async with self._database.scheduled_transaction(tenant_id) as connection:
            repository = DeliveryRepository.from_connection(connection)
            audit = AuditLog.from_connection(connection, service="webhooks")
            number = await repository.record_attempt(
                claimed.id,
                attempted_at=outcome.attempted_at,
                status_code=outcome.status_code,
                duration_ms=outcome.duration_ms,
                error=outcome.error,
                next_attempt_at=next_attempt_at,
                outcome=state,
            )
            await audit.append(
                actor=WORKER,
                action="webhook.delivery_succeeded"
                if outcome.succeeded
                else "webhook.delivery_failed",
                resource_type="webhook_delivery",
                resource_id=str(claimed.id),
                payload={
                    "endpoint_id": str(claimed.endpoint_id),
                    "message_id": str(claimed.message_id),
                    "event_type": claimed.event_type,
                    "attempt": number,
                    "status_code": outcome.status_code,
                    "duration_ms": outcome.duration_ms,
                    "error": outcome.error,
                    "outcome": state,
                    "next_attempt_at": next_attempt_at.isoformat() if next_attempt_at else None,
                },
            )
            health = await repository.endpoint_health(
                claimed.endpoint_id,
                succeeded=outcome.succeeded,
                exhausted=state == "failed",
                at=outcome.attempted_at,
            )
            reason = self._disable_reason(health, exhausted=state == "failed")
            if health is not None and reason is not None:
                await repository.disable_endpoint(health.id, reason)
                await audit.append(
                    actor=WORKER,
                    action="webhook_endpoint.disabled",
                    resource_type="webhook_endpoint",
                    resource_id=str(health.id),
                    payload={"reason": reason},
                )
                # The owner is told three ways: the endpoint's status and reason in the API,
                # this audit entry, and an `endpoint.disabled` event to the business's other
                # endpoints that subscribed to it.
                await Outbox.from_connection(connection).emit(
                    EndpointDisabled(
                        endpoint_id=health.id,
                        url=health.url,
                        reason=reason,
                        disabled_at=datetime.now(UTC),
                    )
                )
                logger.warning("webhook endpoint %s disabled: %s", health.id, reason)

    def _disable_reason(self, health: EndpointHealth | None, *, exhausted: bool) -> str | None:
        if health is None or health.status != "enabled" or health.failing_since is None:
            return None
        settings = self._settings
        failing_for = (datetime.now(UTC) - health.failing_since).total_seconds()
        if failing_for >= settings.webhooks_disable_after_seconds:
            return f"every attempt failed for {failing_for / 3600:.0f} hours"
        if (
            exhausted
            and health.exhausted_in_a_row >= settings.webhooks_disable_after_failed_messages
        ):
            return f"{health.exhausted_in_a_row} messages in a row failed every attempt"
        return None

    async def sweep(self) -> int:
        async with self._database.engine.connect() as connection:
            tenants = await tenants_with_pending_work(connection)
            await connection.rollback()
        attempts = 0
        for tenant in tenants:
            attempts += await self.deliver_pending(tenant)
        return attempts

    async def run(self) -> None:
        while True:
            try:
                tenant = await asyncio.wait_for(
                    self._woken.get(), timeout=self._settings.webhooks_poll_interval
                )
            except TimeoutError:
                tenant = None
            try:
                if tenant is None:
                    await self.sweep()
                else:
                    await self.deliver_pending(tenant)
            except Exception:
                # A database outage must not end the loop; the next sweep catches up.
                logger.exception("delivering webhooks failed")


class WorkerHandle:
    """The service's running worker, which tests (and an operator's shutdown) stop and start
    again: a started worker is a new one, knowing only what the database holds."""

    def __init__(self, make: Callable[[], Worker]) -> None:
        self._make = make
        self._worker: Worker | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        if self._task is None:
            self._worker = self._make()
            self._task = asyncio.create_task(self._worker.run())

    async def stop(self) -> None:
        task = self._task
        self._task, self._worker = None, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self, tenant_id: UUID) -> None:
        if self._worker is not None:
            self._worker.wake(tenant_id)
