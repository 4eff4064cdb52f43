"""SQL for registers, shifts and cash movements, and the facts a shift's reports are made of.

Nothing here names a tenant: the connection is tenant-bound and row-level security filters,
while `tenant_id` columns default to the transaction's tenant. (Joins match `tenant_id` as
well as the id, which is what the composite keys and indexes are built on.)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from libs.sales.shift_facts import read_facts
from libs.sales.shift_report import (
    CashMovementKind,
    CountAmount,
    ShiftFacts,
)
from libs.tenancy.repository import Repository
from services.orders.models import (
    cash_movements,
    orders,
    payments,
    registers,
    settings,
    shifts,
    z_reports,
)
from services.orders.shifts.schemas import CashMovement, Shift


@dataclass(frozen=True, slots=True)
class Register:
    device_id: UUID
    location_id: UUID
    number: int


# Row-level security keeps both sides to the transaction's tenant: the join names no tenant.
_REGISTER_JOIN = shifts.join(registers, registers.c.device_id == shifts.c.register_id)
_SHIFT_COLUMNS = (
    shifts.c.id,
    shifts.c.register_id,
    registers.c.number.label("register_number"),
    shifts.c.location_id,
    shifts.c.status,
    shifts.c.opening_float_minor,
    shifts.c.opened_by,
    shifts.c.opened_at,
    shifts.c.closed_by,
    shifts.c.closed_at,
    shifts.c.force_closed_by,
    shifts.c.version,
)


def _shift(row: sa.Row[*tuple[Any, ...]]) -> Shift:
    return Shift.model_validate(row._asdict())


class ShiftRepository(Repository):
    # --- registers ---------------------------------------------------------------------------

    async def register(self, device_id: UUID) -> Register | None:
        row = (
            await self._connection.execute(
                sa.select(registers.c.device_id, registers.c.location_id, registers.c.number).where(
                    registers.c.device_id == device_id
                )
            )
        ).first()
        return Register(**row._asdict()) if row else None

    async def create_register(self, *, device_id: UUID, location_id: UUID) -> Register | None:
        """Number a device's register: the business's next free number (1, 2, ...).

        The business's settings row is locked first, so two new devices numbering themselves
        at once take turns (the second reads the first's number after it commits) instead of
        both taking max + 1. None if the device was registered concurrently."""
        await self._connection.execute(sa.select(settings.c.version).with_for_update())
        next_number = sa.select(sa.func.coalesce(sa.func.max(registers.c.number), 0) + 1)
        row = (
            await self._connection.execute(
                insert(registers)
                .values(
                    device_id=device_id,
                    location_id=location_id,
                    number=next_number.scalar_subquery(),
                )
                .on_conflict_do_nothing()
                .returning(registers.c.device_id, registers.c.location_id, registers.c.number)
            )
        ).first()
        return Register(**row._asdict()) if row else None

    # --- shifts ------------------------------------------------------------------------------

    async def insert_shift(
        self,
        *,
        shift_id: UUID,
        register: Register,
        location_id: UUID,
        opening_float_minor: int,
        opened_by: str,
        opened_at: datetime | None = None,
    ) -> Shift | None:
        """A new open shift; None if it conflicts: the register already has an open shift
        (ix_shifts_open_register), or a shift with this id exists. A conflicting insert of a
        concurrent transaction is waited for, so the caller can then read the winner."""
        row = (
            await self._connection.execute(
                insert(shifts)
                .values(
                    id=shift_id,
                    register_id=register.device_id,
                    location_id=location_id,
                    opening_float_minor=opening_float_minor,
                    opened_by=opened_by,
                    opened_at=opened_at if opened_at is not None else sa.func.now(),
                )
                .on_conflict_do_nothing()
                .returning(
                    shifts.c.id,
                    shifts.c.register_id,
                    sa.literal(register.number).label("register_number"),
                    shifts.c.location_id,
                    shifts.c.status,
                    shifts.c.opening_float_minor,
                    shifts.c.opened_by,
                    shifts.c.opened_at,
                    shifts.c.closed_by,
                    shifts.c.closed_at,
                    shifts.c.force_closed_by,
                    shifts.c.version,
                )
            )
        ).first()
        return _shift(row) if row else None

    async def get(self, shift_id: UUID, *, for_update: bool = False) -> Shift | None:
        """A shift; `for_update` locks its row until the transaction ends (a close and a
        cash movement of one shift take turns, and orders being written in it finish first:
        they hold it FOR SHARE: services/orders/sale/repository.py, CONTEXT)."""
        query = sa.select(*_SHIFT_COLUMNS).select_from(_REGISTER_JOIN)
        query = query.where(shifts.c.id == shift_id)
        if for_update:
            query = query.with_for_update(of=shifts)
        row = (await self._connection.execute(query)).first()
        return _shift(row) if row else None

    async def current(self, register_id: UUID) -> Shift | None:
        row = (
            await self._connection.execute(
                sa.select(*_SHIFT_COLUMNS)
                .select_from(_REGISTER_JOIN)
                .where(shifts.c.register_id == register_id, shifts.c.status == "open")
            )
        ).first()
        return _shift(row) if row else None

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        status: str | None,
        venues: Collection[UUID] | None = None,
        location_id: UUID | None = None,
    ) -> list[Shift]:
        """Newest first; `after` is the (opened_at, id) of the last shift already seen;
        `venues`: only these locations' shifts (None: every location), the session's reach;
        `location_id`: of that one location only (within the reach)."""
        query = (
            sa.select(*_SHIFT_COLUMNS)
            .select_from(_REGISTER_JOIN)
            .order_by(shifts.c.opened_at.desc(), shifts.c.id.desc())
        )
        if status is not None:
            query = query.where(shifts.c.status == status)
        if venues is not None:
            query = query.where(shifts.c.location_id.in_(list(venues)))
        if location_id is not None:
            query = query.where(shifts.c.location_id == location_id)
        if after is not None:
            query = query.where(sa.tuple_(shifts.c.opened_at, shifts.c.id) < sa.tuple_(*after))
        rows = (await self._connection.execute(query.limit(limit))).all()
        return [_shift(row) for row in rows]

    async def open_order_ids(self, shift_id: UUID) -> list[UUID]:
        rows = await self._connection.execute(
            sa.select(orders.c.id)
            .where(orders.c.shift_id == shift_id, orders.c.status == "open")
            .order_by(orders.c.created_at, orders.c.id)
        )
        return [row.id for row in rows]

    async def close(
        self,
        shift_id: UUID,
        *,
        version: int,
        closed_by: str,
        closed_at: datetime,
        force_closed_by: str | None,
        z_report: dict[str, Any],
    ) -> Shift | None:
        """Close the shift if it is still open at `version`; None if it changed first."""
        updated = (
            await self._connection.execute(
                sa.update(shifts)
                .where(
                    shifts.c.id == shift_id,
                    shifts.c.version == version,
                    shifts.c.status == "open",
                )
                .values(
                    status="closed",
                    closed_by=closed_by,
                    closed_at=closed_at,
                    force_closed_by=force_closed_by,
                    z_report=z_report,
                    version=shifts.c.version + 1,
                )
                .returning(shifts.c.id)
            )
        ).first()
        if updated is None:
            return None
        await self._connection.execute(
            sa.insert(z_reports).values(
                shift_id=shift_id,
                version=1,
                report=z_report,
                reason="close",
                issued_by=closed_by,
                issued_at=closed_at,
            )
        )
        return await self.get(shift_id)

    async def reissue_z_report(
        self, shift_id: UUID, *, report: dict[str, Any], reason: str, issued_by: str
    ) -> None:
        """Store `report` (already carrying its next version) as the shift's Z report, and
        keep it beside the earlier versions."""
        await self._connection.execute(
            sa.insert(z_reports).values(
                shift_id=shift_id,
                version=report["version"],
                report=report,
                reason=reason,
                issued_by=issued_by,
            )
        )
        await self._connection.execute(
            sa.update(shifts).where(shifts.c.id == shift_id).values(z_report=report)
        )

    async def z_report_versions(self, shift_id: UUID) -> list[dict[str, Any]]:
        rows = await self._connection.execute(
            sa.select(
                z_reports.c.version,
                z_reports.c.reason,
                z_reports.c.issued_by,
                z_reports.c.issued_at,
                z_reports.c.report,
            )
            .where(z_reports.c.shift_id == shift_id)
            .order_by(z_reports.c.version)
        )
        return [row._asdict() for row in rows]

    async def stored_z_report(self, shift_id: UUID) -> dict[str, Any] | None:
        report = (
            await self._connection.execute(
                sa.select(shifts.c.z_report).where(shifts.c.id == shift_id)
            )
        ).scalar_one_or_none()
        return cast(dict[str, Any] | None, report)

    # --- cash movements ----------------------------------------------------------------------

    async def add_cash_movement(
        self,
        *,
        movement_id: UUID,
        shift_id: UUID,
        kind: CashMovementKind,
        amount_minor: int,
        reason: str,
        created_by: str,
        created_at: datetime | None = None,
    ) -> CashMovement:
        """Record a paid in or out and bump the shift's version, so a close made against the
        numbers read before it is refused as stale."""
        created_at = (
            await self._connection.execute(
                sa.insert(cash_movements)
                .values(
                    id=movement_id,
                    shift_id=shift_id,
                    kind=kind,
                    amount_minor=amount_minor,
                    reason=reason,
                    created_by=created_by,
                    created_at=created_at if created_at is not None else sa.func.now(),
                )
                .returning(cash_movements.c.created_at)
            )
        ).scalar_one()
        version = (
            await self._connection.execute(
                sa.update(shifts)
                .where(shifts.c.id == shift_id)
                .values(version=shifts.c.version + 1)
                .returning(shifts.c.version)
            )
        ).scalar_one()
        return CashMovement(
            id=movement_id,
            shift_id=shift_id,
            kind=kind,
            amount_minor=amount_minor,
            reason=reason,
            created_by=created_by,
            created_at=created_at,
            shift_version=version,
        )

    async def confirm_card_settlement(self, shift_id: UUID) -> CountAmount:
        """The shift's card settlement matched: the card payments recorded offline at its
        drawer are confirmed by it. What was confirmed."""
        rows = (
            await self._connection.execute(
                sa.update(payments)
                .where(
                    payments.c.shift_id == shift_id,
                    payments.c.status == "approved",
                    payments.c.card_verification == "unverified",
                )
                .values(card_verification="settlement")
                .returning(payments.c.amount_minor)
            )
        ).all()
        return CountAmount(count=len(rows), amount_minor=sum(row.amount_minor for row in rows))

    # --- report facts ------------------------------------------------------------------------

    async def facts(self, shift: Shift) -> ShiftFacts:
        """Everything a shift's X or Z report is made of, read in this transaction (the SQL
        the reports service reads it with too: libs/sales/shift_facts.py)."""
        return await read_facts(self._connection, shift)
