"""Queueing print jobs, in the transaction of the event that causes them.

The orders service calls `PrintQueue.enqueue` when it issues a receipt, fires an order to the
kitchen or reprints a receipt: the job, its audit row and the event commit together or not at
all. The row's insert trigger NOTIFYs `bridge_print_jobs` at commit, which wakes the
location's waiting poll (services/bridge/print_jobs/).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.append import Actor, AuditLog
from libs.bridge.models import print_jobs
from libs.bridge.settings import PrintSettings


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
        job_id = uuid.uuid4()
        # `inline()`: no RETURNING of the defaulted tenant_id; the orders role may queue jobs
        # but not read them.
        await self._connection.execute(
            print_jobs.insert()
            .inline()
            .values(
                id=job_id,
                location_id=job.location_id,
                printer_role=job.printer_role,
                kind=job.kind,
                summary=job.summary,
                order_id=job.order_id,
                receipt_id=job.receipt_id,
                register_number=job.register_number,
                body=job.body,
                created_by=actor.id,
                expires_at=datetime.now(UTC) + self._max_age,
            )
        )
        await self._audit.append(
            actor=actor,
            action="print_job.queued",
            resource_type="print_job",
            resource_id=str(job_id),
            payload={
                "location_id": str(job.location_id),
                "printer_role": job.printer_role,
                "kind": job.kind,
                "summary": job.summary,
                "order_id": str(job.order_id) if job.order_id else None,
                "receipt_id": str(job.receipt_id) if job.receipt_id else None,
                "bytes": len(job.body),
            },
        )
        return job_id
