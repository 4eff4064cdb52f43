"""The print queue's rules, from the Bridge's side and the backoffice's.

A poll leases the location's oldest available jobs: each delivery counts as an attempt and
hides the job for the lease. The Bridge acknowledges what it printed; a job it does not
acknowledge comes back when the lease ends, and one that keeps failing is parked as `failed`
after `max_attempts` deliveries for a person to look at (and retry). Jobs too old to be worth
printing expire. `printed` always wins: paper that came out of a printer is a fact, however
late the Bridge says so.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.bridge.settings import PrintSettings
from libs.problems import Conflict, NotFound
from services.bridge.print_jobs.repository import PrintJobRepository
from services.bridge.print_jobs.schemas import (
    Acknowledgement,
    AckResult,
    AckStatus,
    DeliveredJob,
    PrintJobPage,
    PrintJobStatus,
    PrintJobView,
    StoredPrintJob,
)
from services.bridge.print_jobs.wakeups import PrintJobWakeups

# A waiting poll looks again this often even without a notification: a failed job's retry
# delay ends without one, and notifications are missed while the listener reconnects.
RECHECK_SECONDS = 5.0
# The longest pause before a failed job is delivered again: a printer that is out of paper
# is usually refilled within a minute.
MAX_RETRY_DELAY_SECONDS = 30
UNACKNOWLEDGED = "not acknowledged after %s deliveries"
NO_REASON = "the Bridge reported a failure without a reason"


class PrintJobNotFound(NotFound):
    code = "print-job-not-found"
    title = "No such print job"


class PrintJobNotRetryable(Conflict):
    code = "print-job-not-retryable"
    title = "Only a failed or expired print job can be retried"


def retry_delay(attempt: int) -> int:
    """Seconds before a job whose delivery `attempt` failed is delivered again: 2, 4, 8, 16,
    then 30. A hiccup is retried soon; a jammed printer gets time to be seen to."""
    return min(int(2 ** min(attempt, 5)), MAX_RETRY_DELAY_SECONDS)


def _bridge_token_id(principal: Principal) -> UUID | None:
    """The token a Bridge polls with (its principal's subject); None for anyone else."""
    try:
        return UUID(principal.subject)
    except ValueError:
        return None


async def lease_jobs(
    *,
    jobs: PrintJobRepository,
    audit: AuditLog,
    principal: Principal,
    printer_roles: Sequence[str],
    limit: int,
    settings: PrintSettings,
) -> list[DeliveredJob]:
    """One look at the queue of the Bridge's location, in one transaction: first retire what
    can no longer be printed, then lease what can."""
    location_id, token_id = principal.location_id, _bridge_token_id(principal)
    if location_id is None or token_id is None:
        return []
    actor = Actor.of(principal)
    for expired in await jobs.expire_overdue(location_id=location_id):
        await audit.append(
            actor=actor,
            action="print_job.expired",
            resource_type="print_job",
            resource_id=str(expired.id),
            payload={"attempts": expired.attempts, "printer_role": expired.printer_role.value},
        )
    for parked in await jobs.park_unacknowledged(
        location_id=location_id, max_attempts=settings.max_attempts, error_format=UNACKNOWLEDGED
    ):
        await audit.append(
            actor=actor,
            action="print_job.failed",
            resource_type="print_job",
            resource_id=str(parked.id),
            payload={"attempt": parked.attempts, "reason": parked.last_error, "parked": True},
        )
    leased = await jobs.lease(
        location_id=location_id,
        printer_roles=printer_roles,
        limit=limit,
        max_attempts=settings.max_attempts,
        lease_seconds=settings.lease_seconds,
        leased_by=token_id,
    )
    delivered = []
    for job in leased:
        await audit.append(
            actor=actor,
            action="print_job.delivered",
            resource_type="print_job",
            resource_id=str(job.id),
            payload={
                "attempt": job.attempts,
                "printer_role": job.printer_role.value,
                "bridge_token_id": principal.subject,
            },
        )
        delivered.append(
            DeliveredJob(
                id=job.id,
                printer_role=job.printer_role,
                kind=job.kind,
                summary=job.summary,
                register_number=job.register_number,
                attempt=job.attempts,
                lease_expires_at=job.available_at,
                content_base64=base64.b64encode(job.body).decode("ascii"),
            )
        )
    return delivered


async def poll(
    *,
    lease: Callable[[], Awaitable[list[DeliveredJob]]],
    wakeups: PrintJobWakeups,
    principal: Principal,
    wait: float,
    client_gone: asyncio.Event,
) -> list[DeliveredJob]:
    """Lease jobs; if there are none, wait up to `wait` seconds for one, or until the Bridge
    goes away (`client_gone`, set by the router). `lease` runs one short transaction and is
    never cut short: nothing is held open while the poll waits, and nothing is left half
    done when it stops."""
    if principal.location_id is None:
        return []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    # Subscribed before the first look, so a job committed between the look and the wait
    # still wakes this poll.
    with wakeups.subscribe(principal.tenant_id, principal.location_id) as woken:
        while True:
            woken.clear()
            # A Bridge that gave up waiting would never see what is leased for it now.
            if client_gone.is_set():
                return []
            delivered = await lease()
            remaining = deadline - loop.time()
            if delivered or remaining <= 0:
                return delivered
            await _first_of(woken, client_gone, seconds=min(remaining, RECHECK_SECONDS))


async def _first_of(*events: asyncio.Event, seconds: float) -> None:
    """Returns when any of `events` is set, or after `seconds`."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)


def _result(job: StoredPrintJob) -> AckResult:
    return AckResult(id=job.id, status=job.status, attempts=job.attempts, last_error=job.last_error)


async def acknowledge(
    *,
    jobs: PrintJobRepository,
    audit: AuditLog,
    principal: Principal,
    settings: PrintSettings,
    job_id: UUID,
    request: Acknowledgement,
) -> AckResult:
    """Record what the Bridge did with a delivery. Repeating an acknowledgement, or failing
    a delivery that has since been superseded, changes nothing."""
    job = None
    if principal.location_id is not None:
        job = await jobs.get_for_update(job_id, location_id=principal.location_id)
    if job is None:
        raise PrintJobNotFound()
    actor = Actor.of(principal)
    if request.status is AckStatus.PRINTED:
        if job.status is PrintJobStatus.PRINTED:
            return _result(job)
        printed = await jobs.mark_printed(job_id)
        await audit.append(
            actor=actor,
            action="print_job.printed",
            resource_type="print_job",
            resource_id=str(job_id),
            payload={"attempt": request.attempt, "previous_status": job.status.value},
        )
        return _result(printed)
    if job.status is not PrintJobStatus.QUEUED or request.attempt != job.attempts:
        return _result(job)
    last_error = request.reason or NO_REASON
    parked = job.attempts >= settings.max_attempts
    if parked:
        failed = await jobs.park(job_id, last_error=last_error)
    else:
        failed = await jobs.retry_later(
            job_id, last_error=last_error, delay_seconds=retry_delay(request.attempt)
        )
    await audit.append(
        actor=actor,
        action="print_job.failed",
        resource_type="print_job",
        resource_id=str(job_id),
        payload={"attempt": request.attempt, "reason": request.reason, "parked": parked},
    )
    return _result(failed)


async def list_print_jobs(
    *,
    jobs: PrintJobRepository,
    principal: Principal,
    status: PrintJobStatus | None,
    location_id: UUID | None,
    limit: int,
    cursor: str | None,
) -> PrintJobPage:
    page = await jobs.page(
        status=status.value if status else None,
        location_id=location_id,
        venues=principal.venues,
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
    )
    items, next_cursor = cut_page(page, limit, lambda job: encode_cursor(job.created_at, job.id))
    return PrintJobPage(items=items, next_cursor=next_cursor)


async def retry_print_job(
    *,
    jobs: PrintJobRepository,
    audit: AuditLog,
    principal: Principal,
    settings: PrintSettings,
    job_id: UUID,
) -> PrintJobView:
    """Queue a parked or expired job again, as if new: full attempts and a fresh age limit."""
    job = await jobs.get_for_update(job_id)
    # Another venue's job is "not found", as another business's.
    if job is None or not principal.reaches(job.location_id):
        raise PrintJobNotFound()
    if job.status not in (PrintJobStatus.FAILED, PrintJobStatus.EXPIRED):
        raise PrintJobNotRetryable(job_status=job.status.value)
    queued = await jobs.requeue(job_id, max_age_seconds=settings.job_max_age)
    await audit.append(
        actor=Actor.of(principal),
        action="print_job.retried",
        resource_type="print_job",
        resource_id=str(job_id),
        payload={
            "previous_status": job.status.value,
            "previous_attempts": job.attempts,
            "last_error": job.last_error,
        },
    )
    return queued
