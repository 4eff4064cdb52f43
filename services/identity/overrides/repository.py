from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.models import devices, staff
from services.identity.staff.repository import assigned_locations


@dataclass(frozen=True, slots=True)
class Device:
    status: str
    key_thumbprint: str
    location_id: UUID


@dataclass(frozen=True, slots=True)
class Approver:
    role: str
    active: bool
    pin_hash: str | None
    location_ids: list[UUID] | None  # None: works at every location


class OverrideRepository(Repository):
    """What granting an override reads: the requesting device and the approver's PIN hash."""

    async def device(self, device_id: UUID) -> Device | None:
        row = (
            await self._connection.execute(
                sa.select(devices.c.status, devices.c.key_thumbprint, devices.c.location_id).where(
                    devices.c.id == device_id
                )
            )
        ).first()
        return Device(row.status, row.key_thumbprint, row.location_id) if row else None

    async def approver_for_update(self, staff_id: UUID) -> Approver | None:
        """The approver, locked (FOR NO KEY UPDATE: sign-ins and foreign keys do not wait), so
        concurrent PIN attempts for one approver take turns and each sees the failures the
        ones before it recorded: parallel guesses cannot outrun the lockout."""
        row = (
            await self._connection.execute(
                sa.select(staff.c.role, staff.c.active, staff.c.pin_hash, assigned_locations())
                .where(staff.c.id == staff_id)
                .with_for_update(key_share=True)
            )
        ).first()
        return Approver(row.role, row.active, row.pin_hash, row.location_ids) if row else None
