"""SQL of offline sync: the operation log, each device's progress, flags, and the roster."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from libs.tenancy.database import driver_connection
from libs.tenancy.repository import Repository
from services.orders.models import (
    offline_approvals,
    receipts,
    registers,
    sync_devices,
    sync_flags,
    sync_operations,
)
from services.orders.sale.policy import RosterEntry
from services.orders.sync.schemas import Flag, OfflineApproval, StoredOperation

# The identity service's staff table, as far as the orders role may read it (column grants:
# who is on the roster, in which role, since and until when).
_staff = sa.table(
    "staff",
    sa.column("id", sa.Uuid()),
    sa.column("role", sa.Text()),
    sa.column("active", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("deactivated_at", sa.DateTime(timezone=True)),
    sa.column("all_locations", sa.Boolean()),
    schema="identity",
)
# Where staff not working at every venue work.
_staff_locations = sa.table(
    "staff_locations",
    sa.column("tenant_id", sa.Uuid()),
    sa.column("staff_id", sa.Uuid()),
    sa.column("location_id", sa.Uuid()),
    schema="identity",
)

_OPERATION_COLUMNS = [column for column in sync_operations.c if column.name != "tenant_id"]


def _of_devices_at(device: sa.ColumnElement[Any], venues: Collection[UUID]) -> Any:
    """What a till uploaded belongs to the venue of its register."""
    return device.in_(
        sa.select(registers.c.device_id).where(registers.c.location_id.in_(list(venues)))
    )


_FLAG_COLUMNS = [column for column in sync_flags.c if column.name != "tenant_id"]
_APPROVAL_COLUMNS = [column for column in offline_approvals.c if column.name != "tenant_id"]

SETTLE = """
    UPDATE orders.sync_operations AS operation
       SET status = settled.status, result = settled.result::jsonb,
           waiting_for = settled.waiting_for,
           settled_at = CASE WHEN settled.status = 'waiting' THEN NULL ELSE now() END
      FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[])
           AS settled(id, status, result, waiting_for)
     WHERE operation.id = settled.id
"""
RAISE_REVIEWS = """
    INSERT INTO orders.offline_approvals
        (id, operation_id, device_id, location_id, action, resource_type, resource_id,
         amount_minor, limit_minor, claimed_staff_id, claimed_approver_id, uploaded_by,
         occurred_at)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[],
                         $6::text[], $7::text[], $8::int8[], $9::int8[], $10::uuid[],
                         $11::uuid[], $12::text[], $13::timestamptz[])
"""


@dataclass(frozen=True, slots=True)
class Known:
    """An operation already stored: what a replay of its id is compared with."""

    id: UUID
    device_id: UUID
    sequence: int
    content_hash: bytes
    status: str
    result: dict[str, Any] | None


class SyncRepository(Repository):
    async def now(self) -> datetime:
        moment: datetime = (await self._connection.execute(sa.select(sa.func.now()))).scalar_one()
        return moment

    # -- each device's progress -----------------------------------------------------------

    async def lock_device(self, device_id: UUID) -> int:
        """How far the device's operations are applied, with its row locked until commit: a
        device's batches (a retry racing the original) take turns."""
        await self._connection.execute(
            insert(sync_devices).values(device_id=device_id).on_conflict_do_nothing()
        )
        applied_through: int = (
            await self._connection.execute(
                sa.select(sync_devices.c.applied_through)
                .where(sync_devices.c.device_id == device_id)
                .with_for_update()
            )
        ).scalar_one()
        return applied_through

    async def advance(self, device_id: UUID, applied_through: int) -> None:
        await self._connection.execute(
            sa.update(sync_devices)
            .where(sync_devices.c.device_id == device_id)
            .values(applied_through=applied_through, last_received_at=sa.func.now())
        )

    async def applied_through(self, device_id: UUID) -> int:
        value = (
            await self._connection.execute(
                sa.select(sync_devices.c.applied_through).where(
                    sync_devices.c.device_id == device_id
                )
            )
        ).scalar_one_or_none()
        return int(value or 0)

    # -- the operation log ----------------------------------------------------------------

    async def known(self, ids: Collection[UUID]) -> dict[UUID, Known]:
        if not ids:
            return {}
        rows = await self._connection.execute(
            sa.select(
                sync_operations.c.id,
                sync_operations.c.device_id,
                sync_operations.c.sequence,
                sync_operations.c.content_hash,
                sync_operations.c.status,
                sync_operations.c.result,
            ).where(sync_operations.c.id.in_(list(ids)))
        )
        return {row.id: Known(*row) for row in rows}

    async def sequences_taken(self, device_id: UUID, sequences: Collection[int]) -> dict[int, UUID]:
        if not sequences:
            return {}
        rows = await self._connection.execute(
            sa.select(sync_operations.c.sequence, sync_operations.c.id).where(
                sync_operations.c.device_id == device_id,
                sync_operations.c.sequence.in_(list(sequences)),
            )
        )
        return {row.sequence: row.id for row in rows}

    async def store(self, operations: Sequence[dict[str, Any]]) -> None:
        if operations:
            await self._connection.execute(sync_operations.insert(), list(operations))

    async def unsettled_after(
        self, device_id: UUID, *, after: int, through: int | None = None
    ) -> list[StoredOperation]:
        """The device's operations received beyond its applied cursor (up to `through`), in
        sequence order: pending ones, and malformed ones rejected on arrival that the cursor
        has not passed."""
        query = sa.select(*_OPERATION_COLUMNS).where(
            sync_operations.c.device_id == device_id, sync_operations.c.sequence > after
        )
        if through is not None:
            query = query.where(sync_operations.c.sequence <= through)
        rows = await self._connection.execute(query.order_by(sync_operations.c.sequence))
        return [StoredOperation.model_validate(row._asdict()) for row in rows]

    async def settle(
        self, outcomes: Sequence[tuple[UUID, str, dict[str, Any], UUID | None]]
    ) -> None:
        """Record what came of operations (applied, rejected, or waiting for an order another
        till has not uploaded), in one statement."""
        if not outcomes:
            return
        driver = await driver_connection(self._connection)
        await driver.execute(
            SETTLE,
            [operation_id for operation_id, _, _, _ in outcomes],
            [status for _, status, _, _ in outcomes],
            [json.dumps(result) for _, _, result, _ in outcomes],
            [waiting_for for _, _, _, waiting_for in outcomes],
        )

    async def waiting_for(self, order_ids: Collection[UUID]) -> list[StoredOperation]:
        """Operations parked until one of these orders arrived, in the order received."""
        rows = await self._connection.execute(
            sa.select(*_OPERATION_COLUMNS)
            .where(
                sync_operations.c.status == "waiting",
                sync_operations.c.waiting_for.in_(list(order_ids)),
            )
            .order_by(sync_operations.c.received_at, sync_operations.c.sequence)
        )
        return [StoredOperation.model_validate(row._asdict()) for row in rows]

    async def raise_reviews(self, reviews: Sequence[dict[str, Any]]) -> None:
        """Actions done offline on a manager's word, for a manager to confirm or dispute."""
        if not reviews:
            return
        driver = await driver_connection(self._connection)
        columns = (
            "id",
            "operation_id",
            "device_id",
            "location_id",
            "action",
            "resource_type",
            "resource_id",
            "amount_minor",
            "limit_minor",
            "claimed_staff_id",
            "claimed_approver_id",
            "uploaded_by",
            "occurred_at",
        )
        await driver.execute(
            RAISE_REVIEWS, *([review[column] for review in reviews] for column in columns)
        )

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        device_id: UUID | None,
        status: str | None,
        venues: Collection[UUID] | None = None,
    ) -> list[StoredOperation]:
        """Newest first; `venues`: only what tills of these locations uploaded (None: all)."""
        query = sa.select(*_OPERATION_COLUMNS)
        if device_id is not None:
            query = query.where(sync_operations.c.device_id == device_id)
        if venues is not None:
            query = query.where(_of_devices_at(sync_operations.c.device_id, venues))
        if status is not None:
            query = query.where(sync_operations.c.status == status)
        if after is not None:
            query = query.where(
                sa.tuple_(sync_operations.c.received_at, sync_operations.c.id) < sa.tuple_(*after)
            )
        rows = await self._connection.execute(
            query.order_by(sync_operations.c.received_at.desc(), sync_operations.c.id.desc()).limit(
                limit
            )
        )
        return [StoredOperation.model_validate(row._asdict()) for row in rows]

    # -- flags ------------------------------------------------------------------------------

    async def raise_flags(self, flags: Sequence[dict[str, Any]]) -> None:
        if flags:
            await self._connection.execute(sync_flags.insert(), list(flags))

    async def flags(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        unresolved: bool,
        venues: Collection[UUID] | None = None,
    ) -> list[Flag]:
        """Newest first; `venues`: only flags of these locations' tills (None: all)."""
        query = sa.select(*_FLAG_COLUMNS)
        if venues is not None:
            query = query.where(_of_devices_at(sync_flags.c.device_id, venues))
        if unresolved:
            query = query.where(sync_flags.c.resolved_at.is_(None))
        if after is not None:
            query = query.where(
                sa.tuple_(sync_flags.c.raised_at, sync_flags.c.id) < sa.tuple_(*after)
            )
        rows = await self._connection.execute(
            query.order_by(sync_flags.c.raised_at.desc(), sync_flags.c.id.desc()).limit(limit)
        )
        return [Flag.model_validate(row._asdict()) for row in rows]

    async def flag(
        self, flag_id: UUID, *, for_update: bool = False, venues: Collection[UUID] | None = None
    ) -> Flag | None:
        query = sa.select(*_FLAG_COLUMNS).where(sync_flags.c.id == flag_id)
        if venues is not None:
            query = query.where(_of_devices_at(sync_flags.c.device_id, venues))
        row = (
            await self._connection.execute(query.with_for_update() if for_update else query)
        ).first()
        return Flag.model_validate(row._asdict()) if row else None

    async def resolve(self, flag_id: UUID, *, resolved_by: str, resolution: str) -> Flag:
        row = (
            await self._connection.execute(
                sa.update(sync_flags)
                .where(sync_flags.c.id == flag_id)
                .values(resolved_at=sa.func.now(), resolved_by=resolved_by, resolution=resolution)
                .returning(*_FLAG_COLUMNS)
            )
        ).one()
        return Flag.model_validate(row._asdict())

    async def open_gap_flags(self, register_id: UUID) -> list[Flag]:
        rows = await self._connection.execute(
            sa.select(*_FLAG_COLUMNS).where(
                sync_flags.c.kind == "receipt-gap",
                sync_flags.c.resource_type == "register",
                sync_flags.c.resource_id == str(register_id),
                sync_flags.c.resolved_at.is_(None),
            )
        )
        return [Flag.model_validate(row._asdict()) for row in rows]

    # -- the register's offline receipt series -----------------------------------------------

    async def last_offline_sequence(self, register_id: UUID) -> int:
        value = (
            await self._connection.execute(
                sa.select(sa.func.max(receipts.c.sequence)).where(
                    receipts.c.register_id == register_id, receipts.c.series == "O"
                )
            )
        ).scalar_one()
        return int(value or 0)

    async def offline_sequences_between(self, register_id: UUID, first: int, last: int) -> int:
        """How many offline receipts of the register are numbered first..last."""
        count: int = (
            await self._connection.execute(
                sa.select(sa.func.count()).where(
                    receipts.c.register_id == register_id,
                    receipts.c.series == "O",
                    receipts.c.sequence.between(first, last),
                )
            )
        ).scalar_one()
        return count

    # -- the roster -----------------------------------------------------------------------

    async def roster(self, staff_ids: Collection[UUID]) -> dict[UUID, RosterEntry]:
        if not staff_ids:
            return {}
        venues = (
            sa.select(sa.func.array_agg(_staff_locations.c.location_id))
            .where(_staff_locations.c.staff_id == _staff.c.id)
            .scalar_subquery()
        )
        rows = await self._connection.execute(
            sa.select(
                _staff.c.id,
                _staff.c.role,
                _staff.c.active,
                _staff.c.created_at,
                _staff.c.deactivated_at,
                _staff.c.all_locations,
                venues,
            ).where(_staff.c.id.in_(list(staff_ids)))
        )
        return {
            row[0]: RosterEntry(*row[:5], venues=None if row[5] else frozenset(row[6] or ()))
            for row in rows
        }

    # -- the review queue of offline approvals ------------------------------------------------

    async def approvals(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        status: str | None,
        venues: Collection[UUID] | None,
    ) -> list[OfflineApproval]:
        query = sa.select(*_APPROVAL_COLUMNS)
        if status is not None:
            query = query.where(offline_approvals.c.status == status)
        if venues is not None:
            query = query.where(offline_approvals.c.location_id.in_(list(venues)))
        if after is not None:
            query = query.where(
                sa.tuple_(offline_approvals.c.raised_at, offline_approvals.c.id) < sa.tuple_(*after)
            )
        rows = await self._connection.execute(
            query.order_by(
                offline_approvals.c.raised_at.desc(), offline_approvals.c.id.desc()
            ).limit(limit)
        )
        return [OfflineApproval.model_validate(row._asdict()) for row in rows]

    async def approval(self, approval_id: UUID) -> OfflineApproval | None:
        row = (
            await self._connection.execute(
                sa.select(*_APPROVAL_COLUMNS)
                .where(offline_approvals.c.id == approval_id)
                .with_for_update()
            )
        ).first()
        return OfflineApproval.model_validate(row._asdict()) if row else None

    async def review(
        self, approval_id: UUID, *, status: str, reviewed_by: str, note: str | None
    ) -> OfflineApproval:
        row = (
            await self._connection.execute(
                sa.update(offline_approvals)
                .where(offline_approvals.c.id == approval_id)
                .values(
                    status=status, reviewed_by=reviewed_by, reviewed_at=sa.func.now(), note=note
                )
                .returning(*_APPROVAL_COLUMNS)
            )
        ).one()
        return OfflineApproval.model_validate(row._asdict())
