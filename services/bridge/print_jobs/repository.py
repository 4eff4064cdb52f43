from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.bridge.models import print_jobs
from libs.tenancy.repository import Repository
from services.bridge.print_jobs.schemas import (
    LeasedJob,
    PrintJobView,
    StoredPrintJob,
    SweptJob,
)

_STORED = (
    print_jobs.c.id,
    print_jobs.c.location_id,
    print_jobs.c.status,
    print_jobs.c.attempts,
    print_jobs.c.last_error,
)
_SWEPT = (
    print_jobs.c.id,
    print_jobs.c.printer_role,
    print_jobs.c.attempts,
    print_jobs.c.last_error,
)
_VIEW = (
    print_jobs.c.id,
    print_jobs.c.location_id,
    print_jobs.c.printer_role,
    print_jobs.c.kind,
    print_jobs.c.summary,
    print_jobs.c.status,
    print_jobs.c.attempts,
    print_jobs.c.last_error,
    print_jobs.c.order_id,
    print_jobs.c.receipt_id,
    print_jobs.c.register_number,
    print_jobs.c.created_at,
    print_jobs.c.expires_at,
    print_jobs.c.finished_at,
)
_NOW = sa.func.now()
# Every query of the poll path names the location and `status = 'queued'`, so it runs on the
# partial index ix_print_jobs_queue (tenant, location, available_at) and never reads a
# location's finished jobs.
_QUEUED = print_jobs.c.status == "queued"


def _later(seconds: int) -> sa.ColumnElement[Any]:
    return _NOW + sa.literal(timedelta(seconds=seconds))


class PrintJobRepository(Repository):
    """The print queue, from the bridge service's side: it leases, acknowledges, sweeps and
    re-queues jobs; it never inserts them (the orders service does, libs/bridge/queue.py)."""

    async def expire_overdue(self, *, location_id: UUID) -> list[SweptJob]:
        """Queued jobs of the location past their `expires_at` become `expired`."""
        rows = await self._connection.execute(
            sa.update(print_jobs)
            .where(
                print_jobs.c.location_id == location_id,
                _QUEUED,
                print_jobs.c.expires_at <= _NOW,
            )
            .values(status="expired", finished_at=_NOW)
            .returning(*_SWEPT)
        )
        return [SweptJob.model_validate(row._asdict()) for row in rows]

    async def park_unacknowledged(
        self, *, location_id: UUID, max_attempts: int, error_format: str
    ) -> list[SweptJob]:
        """Queued jobs whose last allowed delivery ran out unacknowledged become `failed`;
        `error_format` gets the number of deliveries (`%s`)."""
        rows = await self._connection.execute(
            sa.update(print_jobs)
            .where(
                print_jobs.c.location_id == location_id,
                _QUEUED,
                print_jobs.c.available_at <= _NOW,
                print_jobs.c.attempts >= max_attempts,
            )
            .values(
                status="failed",
                finished_at=_NOW,
                last_error=sa.func.format(error_format, print_jobs.c.attempts),
            )
            .returning(*_SWEPT)
        )
        return [SweptJob.model_validate(row._asdict()) for row in rows]

    async def lease(
        self,
        *,
        location_id: UUID,
        printer_roles: Sequence[str],
        limit: int,
        max_attempts: int,
        lease_seconds: int,
        leased_by: UUID,
    ) -> list[LeasedJob]:
        """Lease the location's oldest available jobs: each is delivered once more and stays
        invisible to other polls until its lease ends. Jobs another poll is leasing right now
        are skipped, not waited for."""
        picked = (
            sa.select(print_jobs.c.id, print_jobs.c.available_at, print_jobs.c.created_at)
            .where(
                print_jobs.c.location_id == location_id,
                _QUEUED,
                print_jobs.c.available_at <= _NOW,
                print_jobs.c.expires_at > _NOW,
                print_jobs.c.attempts < max_attempts,
                print_jobs.c.printer_role.in_(list(printer_roles)),
            )
            .order_by(print_jobs.c.available_at, print_jobs.c.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("picked")
        )
        rows = await self._connection.execute(
            sa.update(print_jobs)
            .where(print_jobs.c.id == picked.c.id)
            .values(
                attempts=print_jobs.c.attempts + 1,
                available_at=_later(lease_seconds),
                leased_by=leased_by,
                leased_at=_NOW,
            )
            .returning(
                print_jobs.c.id,
                print_jobs.c.printer_role,
                print_jobs.c.kind,
                print_jobs.c.summary,
                print_jobs.c.register_number,
                print_jobs.c.attempts,
                print_jobs.c.available_at,
                print_jobs.c.body,
                picked.c.available_at.label("queued_since"),
                picked.c.created_at.label("queued_at"),
            )
        )
        # RETURNING has no order: deliver in queue order, as picked.
        ordered = sorted(rows, key=lambda row: (row.queued_since, row.queued_at))
        return [LeasedJob.model_validate(row._asdict()) for row in ordered]

    async def get_for_update(
        self, job_id: UUID, *, location_id: UUID | None = None
    ) -> StoredPrintJob | None:
        """The job, locked until the transaction ends; only if at `location_id` when given."""
        query = sa.select(*_STORED).where(print_jobs.c.id == job_id)
        if location_id is not None:
            query = query.where(print_jobs.c.location_id == location_id)
        row = (await self._connection.execute(query.with_for_update())).first()
        return StoredPrintJob.model_validate(row._asdict()) if row else None

    async def mark_printed(self, job_id: UUID) -> StoredPrintJob:
        return await self._update(job_id, status="printed", finished_at=_NOW)

    async def park(self, job_id: UUID, *, last_error: str) -> StoredPrintJob:
        return await self._update(job_id, status="failed", finished_at=_NOW, last_error=last_error)

    async def retry_later(
        self, job_id: UUID, *, last_error: str, delay_seconds: int
    ) -> StoredPrintJob:
        return await self._update(job_id, available_at=_later(delay_seconds), last_error=last_error)

    async def requeue(self, job_id: UUID, *, max_age_seconds: int) -> PrintJobView:
        """Queue a finished job again as new (the Bridge is woken by the row's trigger);
        `last_error` stays, so the backoffice still shows why it stopped last time."""
        row = (
            await self._connection.execute(
                sa.update(print_jobs)
                .where(print_jobs.c.id == job_id)
                .values(
                    status="queued",
                    attempts=0,
                    available_at=_NOW,
                    expires_at=_later(max_age_seconds),
                    finished_at=None,
                )
                .returning(*_VIEW)
            )
        ).one()
        return PrintJobView.model_validate(row._asdict())

    async def page(
        self,
        *,
        status: str | None,
        location_id: UUID | None,
        limit: int,
        after: tuple[datetime, UUID] | None,
        venues: Collection[UUID] | None = None,
    ) -> list[PrintJobView]:
        """Newest first; `venues`: only these locations' jobs (None: every location)."""
        query = sa.select(*_VIEW).order_by(print_jobs.c.created_at.desc(), print_jobs.c.id.desc())
        if status is not None:
            query = query.where(print_jobs.c.status == status)
        if location_id is not None:
            query = query.where(print_jobs.c.location_id == location_id)
        if venues is not None:
            query = query.where(print_jobs.c.location_id.in_(list(venues)))
        if after is not None:
            query = query.where(
                sa.tuple_(print_jobs.c.created_at, print_jobs.c.id) < sa.tuple_(*after)
            )
        rows = (await self._connection.execute(query.limit(limit))).all()
        return [PrintJobView.model_validate(row._asdict()) for row in rows]

    async def _update(self, job_id: UUID, **values: Any) -> StoredPrintJob:
        row = (
            await self._connection.execute(
                sa.update(print_jobs)
                .where(print_jobs.c.id == job_id)
                .values(**values)
                .returning(*_STORED)
            )
        ).one()
        return StoredPrintJob.model_validate(row._asdict())
