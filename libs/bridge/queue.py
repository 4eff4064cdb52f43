"""Queueing print jobs, in the transaction of the event that causes them.

The orders service calls `PrintQueue.enqueue` when it issues a receipt, fires an order to the
kitchen or reprints a receipt: the job, its audit row and the event commit together or not at
all. The row's insert trigger NOTIFYs `bridge_print_jobs` at commit, which wakes the
location's waiting poll (services/bridge/print_jobs/).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.append import Actor, AuditLog
from libs.bridge.settings import PrintSettings
from libs.tenancy.database import driver_connection

INSERT_JOBS = """
    INSERT INTO bridge.print_jobs (id, location_id, printer_role, kind, summary, order_id,
                                   receipt_id, register_number, body, created_by, expires_at)
    SELECT job.*, $10, $11
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[],
                  $7::uuid[], $8::int4[], $9::bytea[])
           AS job(id, location_id, printer_role, kind, summary, order_id, receipt_id,
                  register_number, body)
"""


@dataclass(frozen=True, slots=True)
class PrintJob:
    location_id: UUID
    printer_role: str  # receipt, kitchen or bar
    kind: str  # receipt, kitchen_ticket or reprint
    summary: str
    body: bytes  # ESC/POS, ready for the printer (libs/bridge/escpos.py)
    order_id: UUID | None = None
    receipt_id: UUID | None = None
    register_number: int | None = None


class PrintQueue:
    def __init__(self, connection: AsyncConnection, audit: AuditLog, max_age: int) -> None:
        self._connection = connection
        self._audit = audit
        self._max_age = timedelta(seconds=max_age)

    @classmethod
    def from_connection(
        cls, connection: AsyncConnection, *, audit: AuditLog, settings: PrintSettings
    ) -> PrintQueue:
        return cls(connection, audit, settings.job_max_age)

    async def enqueue(self, job: PrintJob, *, actor: Actor) -> UUID:
        (job_id,) = await self.enqueue_all([(uuid.uuid4(), job)], actor=actor)
        return job_id

    async def enqueue_all(
        self, jobs: Sequence[tuple[UUID, PrintJob]], *, actor: Actor, audited: bool = False
    ) -> list[UUID]:
        """Queue jobs (with the ids the caller gave them) in one statement, each with its
        audit row (`audited`: the caller appended it already, in its own order, with
        `queued_payload`). No RETURNING: the orders role may queue jobs but not read them."""
        if not jobs:
            return []
        expires_at = datetime.now(UTC) + self._max_age
        driver = await driver_connection(self._connection)
        await driver.execute(
            INSERT_JOBS,
            [job_id for job_id, _ in jobs],
            [job.location_id for _, job in jobs],
            [job.printer_role for _, job in jobs],
            [job.kind for _, job in jobs],
            [job.summary for _, job in jobs],
            [job.order_id for _, job in jobs],
            [job.receipt_id for _, job in jobs],
            [job.register_number for _, job in jobs],
            [job.body for _, job in jobs],
            actor.id,
            expires_at,
        )
        for job_id, job in [] if audited else jobs:
            await self._audit.append(
                actor=actor,
                action=QUEUED,
                resource_type="print_job",
                resource_id=str(job_id),
                payload=queued_payload(job),
            )
        return [job_id for job_id, _ in jobs]


QUEUED = "print_job.queued"


def queued_payload(job: PrintJob) -> dict[str, Any]:
    """The audit entry of a queued job: where and what, never the bytes themselves."""
    return {
        "location_id": str(job.location_id),
        "printer_role": job.printer_role,
        "kind": job.kind,
        "summary": job.summary,
        "order_id": str(job.order_id) if job.order_id else None,
        "receipt_id": str(job.receipt_id) if job.receipt_id else None,
        "bytes": len(job.body),
    }
