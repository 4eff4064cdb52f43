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
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.database import driver_connection
from services.orders.models import receipts, sync_devices, sync_flags, sync_operations
from services.orders.sync.schemas import Flag, StoredOperation

# The identity service's staff table, as far as the orders role may read it (column grants:
# who is on the roster, in which role, since and until when).
_staff = sa.table(
    "staff",
    sa.column("id", sa.Uuid()),
    sa.column("role", sa.Text()),
    sa.column("active", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("deactivated_at", sa.DateTime(timezone=True)),
    schema="identity",
)

_OPERATION_COLUMNS = [column for column in sync_operations.c if column.name != "tenant_id"]
_FLAG_COLUMNS = [column for column in sync_flags.c if column.name != "tenant_id"]

SETTLE = """
    UPDATE orders.sync_operations AS operation
       SET status = settled.status, result = settled.result::jsonb, settled_at = now()
      FROM unnest($1::uuid[], $2::text[], $3::text[]) AS settled(id, status, result)
     WHERE operation.id = settled.id
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


@dataclass(frozen=True, slots=True)
class RosterEntry:
    id: UUID
    role: str
    active: bool
    created_at: datetime
    deactivated_at: datetime | None

    def on_roster_at(self, moment: datetime) -> bool:
        """Joined before `moment` and had not left by then. (Re-joining clears the date of
        leaving, so a gap between two spells on the roster is not remembered.)"""
        left = self.deactivated_at
        if not self.active and left is None:
            return False
        return self.created_at <= moment and (left is None or moment < left)


class SyncRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> SyncRepository:
        return cls(connection)

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
                sync_operations.c.id, sync_operations.c.device_id, sync_operations.c.sequence,
                sync_operations.c.content_hash, sync_operations.c.status,
                sync_operations.c.result,
            ).where(sync_operations.c.id.in_(list(ids)))
        )  # fmt: skip
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

    async def settle(self, outcomes: Sequence[tuple[UUID, str, dict[str, Any]]]) -> None:
        """Record what came of applied or rejected operations, in one statement."""
        if not outcomes:
            return
        driver = await driver_connection(self._connection)
        await driver.execute(
            SETTLE,
            [operation_id for operation_id, _, _ in outcomes],
            [status for _, status, _ in outcomes],
            [json.dumps(result) for _, _, result in outcomes],
        )

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        device_id: UUID | None,
        status: str | None,
    ) -> list[StoredOperation]:
        query = sa.select(*_OPERATION_COLUMNS)
        if device_id is not None:
            query = query.where(sync_operations.c.device_id == device_id)
        if status is not None:
            query = query.where(sync_operations.c.status == status)
        if after is not None:
            query = query.where(
                sa.tuple_(sync_operations.c.received_at, sync_operations.c.id) < sa.tuple_(*after)
            )
        rows = await self._connection.execute(
            query.order_by(sync_operations.c.received_at.desc(), sync_operations.c.id.desc())
            .limit(limit)
        )  # fmt: skip
        return [StoredOperation.model_validate(row._asdict()) for row in rows]

    # -- flags ------------------------------------------------------------------------------

    async def raise_flags(self, flags: Sequence[dict[str, Any]]) -> None:
        if flags:
            await self._connection.execute(sync_flags.insert(), list(flags))

    async def flags(
        self, *, limit: int, after: tuple[datetime, UUID] | None, unresolved: bool
    ) -> list[Flag]:
        query = sa.select(*_FLAG_COLUMNS)
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

    async def flag(self, flag_id: UUID, *, for_update: bool = False) -> Flag | None:
        query = sa.select(*_FLAG_COLUMNS).where(sync_flags.c.id == flag_id)
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

    async def offline_number_taken(self, register_id: UUID, sequence: int) -> bool:
        found = (
            await self._connection.execute(
                sa.select(receipts.c.id).where(
                    receipts.c.register_id == register_id,
                    receipts.c.series == "O",
                    receipts.c.sequence == sequence,
                )
            )
        ).first()
        return found is not None

    # -- the roster -----------------------------------------------------------------------

    async def roster(self, staff_ids: Collection[UUID]) -> dict[UUID, RosterEntry]:
        if not staff_ids:
            return {}
        rows = await self._connection.execute(
            sa.select(
                _staff.c.id, _staff.c.role, _staff.c.active, _staff.c.created_at,
                _staff.c.deactivated_at,
            ).where(_staff.c.id.in_(list(staff_ids)))
        )  # fmt: skip
        return {row.id: RosterEntry(*row) for row in rows}
