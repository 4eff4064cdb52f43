"""Print jobs: the venue's Bridge polls and acknowledges them (`/v1/print-jobs`, Bridge token
only); managers and owners see and retry them in the backoffice (`/v1/admin/print-jobs`)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.request_context import until_disconnected
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.bridge.settings import PrintSettings
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from libs.tenancy.database import TenantDatabase
from services.bridge.print_jobs import service
from services.bridge.print_jobs.repository import PrintJobRepository
from services.bridge.print_jobs.schemas import (
    Acknowledgement,
    AckResult,
    DeliveredJob,
    PollResponse,
    PrinterRole,
    PrintJobPage,
    PrintJobStatus,
    PrintJobView,
)
from services.bridge.print_jobs.wakeups import PrintJobWakeups

router = APIRouter(prefix="/v1/print-jobs", tags=["print jobs"])
admin_router = APIRouter(prefix="/v1/admin/print-jobs", tags=["print jobs"])

NOT_FOUND = problems(service.PrintJobNotFound)
SERVICE = "bridge"


def _settings(request: Request) -> PrintSettings:
    settings: PrintSettings = request.app.state.print_settings
    return settings


@router.get(
    "",
    dependencies=[requires(Permission.PRINT_JOBS_POLL)],
    # The gateway's limits on waiting polls (429 `long-poll-in-progress`, ...) are declared
    # by the gateway (gateway/openapi.py).
)
async def poll_print_jobs(
    request: Request,
    principal: CurrentPrincipal,
    wait: Annotated[
        int, Query(ge=0, le=30, description="Seconds to wait for a job when none is queued")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=20)] = 10,
    role: Annotated[
        list[PrinterRole] | None,
        Query(description="The printer roles this Bridge prints for; all when absent"),
    ] = None,
) -> PollResponse:
    """Lease the location's oldest queued jobs, and answer as soon as there is one or `wait`
    has passed (empty list). Print each and acknowledge it with its `attempt`; a job not
    acknowledged within `lease_seconds` is delivered again. One waiting poll per token at a
    time: another is answered 429 `long-poll-in-progress` at once."""
    settings = _settings(request)
    database: TenantDatabase = request.app.state.database
    wakeups: PrintJobWakeups = request.app.state.print_wakeups
    printer_roles = [printer_role.value for printer_role in role or PrinterRole]

    # One short transaction per look at the queue: none is held while the poll waits.
    async def lease() -> list[DeliveredJob]:
        async with database.transaction(principal) as connection:
            return await service.lease_jobs(
                jobs=PrintJobRepository.from_connection(connection),
                audit=AuditLog.from_connection(connection, service=SERVICE),
                principal=principal,
                printer_roles=printer_roles,
                limit=limit,
                settings=settings,
            )

    # The Bridge (or the gateway, cancelling for a Bridge that went away) may leave while
    # the poll waits: then it stops waiting at once instead of holding on for nobody.
    client_gone = asyncio.Event()

    async def watch_client() -> None:
        await until_disconnected(request.receive)
        client_gone.set()

    watcher = asyncio.create_task(watch_client())
    try:
        jobs = await service.poll(
            lease=lease,
            wakeups=wakeups,
            principal=principal,
            wait=min(wait, settings.max_wait),
            client_gone=client_gone,
        )
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    return PollResponse(jobs=jobs, lease_seconds=settings.lease_seconds)


@router.post(
    "/{job_id}/ack", dependencies=[requires(Permission.PRINT_JOBS_ACK)], responses=NOT_FOUND
)
async def acknowledge_print_job(
    job_id: UUID,
    body: Acknowledgement,
    request: Request,
    connection: TenantConnection,
    principal: CurrentPrincipal,
) -> AckResult:
    """Say how a delivery went. Idempotent: `printed` is recorded once and always wins, even
    after the job expired or was parked; a `failed` for a superseded attempt changes
    nothing. A failed job is delivered again after a pause, or parked after the last
    attempt."""
    return await service.acknowledge(
        jobs=PrintJobRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service=SERVICE),
        principal=principal,
        settings=_settings(request),
        job_id=job_id,
        request=body,
    )


@admin_router.get("", dependencies=[requires(Permission.PRINT_JOBS_READ)])
async def list_print_jobs(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    status: PrintJobStatus | None = None,
    location_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> PrintJobPage:
    """The print jobs of the venues you reach (at a till: its own), newest first;
    `status=failed` lists what needs a person."""
    return await service.list_print_jobs(
        jobs=PrintJobRepository.from_connection(connection),
        principal=principal,
        status=status,
        location_id=location_id,
        limit=limit,
        cursor=cursor,
    )


@admin_router.post(
    "/{job_id}/retry",
    dependencies=[requires(Permission.PRINT_JOBS_RETRY)],
    responses=merge_responses(NOT_FOUND, problems(service.PrintJobNotRetryable)),
)
async def retry_print_job(
    job_id: UUID, request: Request, connection: TenantConnection, principal: CurrentPrincipal
) -> PrintJobView:
    """Queue a failed or expired job again (the Bridge is woken at once), with a fresh
    attempt count and age limit."""
    return await service.retry_print_job(
        jobs=PrintJobRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service=SERVICE),
        principal=principal,
        settings=_settings(request),
        job_id=job_id,
    )
