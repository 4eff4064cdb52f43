from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from libs.tenancy.repository import Repository
from services.identity.devices.schemas import Device, RosterMember, StoredActivationCode
from services.identity.models import activation_codes, devices, locations, staff, staff_locations
from services.identity.staff.schemas import StaffRole

_DEVICE = (
    devices.c.id,
    devices.c.location_id,
    devices.c.name,
    devices.c.key_thumbprint,
    devices.c.status,
    devices.c.activated_at,
    devices.c.revoked_at,
)


class DeviceRepository(Repository):
    """Devices and their activation codes: SQLAlchemy Core on a tenant-bound connection.
    Activation codes go in as hashes and are only ever looked up by hash."""

    async def location_exists(self, location_id: UUID) -> bool:
        found = await self._connection.scalar(
            sa.select(sa.literal(True)).where(locations.c.id == location_id)
        )
        return found is True

    async def insert_activation_code(
        self,
        *,
        code_id: UUID,
        location_id: UUID,
        code_hash: bytes,
        device_name: str | None,
        created_by: str,
        lifetime: timedelta,
    ) -> datetime:
        """Stores a new code; returns when it expires (by the database clock, the one the
        activation checks against)."""
        expires_at: datetime = await self._connection.scalar(
            sa.insert(activation_codes)
            .values(
                id=code_id,
                location_id=location_id,
                code_hash=code_hash,
                device_name=device_name,
                created_by=created_by,
                expires_at=sa.func.now() + sa.literal(lifetime, sa.Interval()),
            )
            .returning(activation_codes.c.expires_at)
        )
        return expires_at

    async def activation_code_for_update(self, code_hash: bytes) -> StoredActivationCode | None:
        """The code, locked until the transaction ends: concurrent activations with one code
        take turns, and each later one sees it used."""
        query = (
            sa.select(
                activation_codes.c.id,
                activation_codes.c.location_id,
                activation_codes.c.device_name,
                activation_codes.c.created_by,
                activation_codes.c.used_at,
                activation_codes.c.device_id,
                (activation_codes.c.expires_at <= sa.func.now()).label("expired"),
            )
            .where(activation_codes.c.code_hash == code_hash)
            .with_for_update()
        )
        row = (await self._connection.execute(query)).first()
        return StoredActivationCode.model_validate(row._asdict()) if row else None

    async def consume_activation_code(self, code_hash: bytes, *, device_id: UUID) -> UUID | None:
        """Spends the code for a device, if it is still unused and unexpired; its id, or None.
        The device row must exist already (the code references it)."""
        consumed: UUID | None = await self._connection.scalar(
            sa.update(activation_codes)
            .where(
                activation_codes.c.code_hash == code_hash,
                activation_codes.c.used_at.is_(None),
                activation_codes.c.expires_at > sa.func.now(),
            )
            .values(used_at=sa.func.now(), device_id=device_id)
            .returning(activation_codes.c.id)
        )
        return consumed

    async def insert_device(
        self,
        *,
        device_id: UUID,
        location_id: UUID,
        name: str,
        key_thumbprint: str,
        public_jwk: dict[str, Any],
        activated_by: str,
    ) -> Device | None:
        """None when the key is already registered in this tenant (revoked devices included:
        a key is never registered twice)."""
        row = (
            await self._connection.execute(
                insert(devices)
                .values(
                    id=device_id,
                    location_id=location_id,
                    name=name,
                    key_thumbprint=key_thumbprint,
                    public_jwk=public_jwk,
                    activated_by=activated_by,
                )
                .on_conflict_do_nothing(
                    index_elements=[devices.c.tenant_id, devices.c.key_thumbprint]
                )
                .returning(*_DEVICE)
            )
        ).first()
        return Device.model_validate(row._asdict()) if row else None

    async def get(self, device_id: UUID) -> Device | None:
        row = (
            await self._connection.execute(sa.select(*_DEVICE).where(devices.c.id == device_id))
        ).first()
        return Device.model_validate(row._asdict()) if row else None

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        locations: frozenset[UUID] | None = None,
    ) -> list[Device]:
        """`locations`: only devices there (None: every location)."""
        query = sa.select(*_DEVICE).order_by(devices.c.activated_at.desc(), devices.c.id.desc())
        if locations is not None:
            query = query.where(devices.c.location_id.in_(locations))
        if after is not None:
            query = query.where(sa.tuple_(devices.c.activated_at, devices.c.id) < sa.tuple_(*after))
        rows = (await self._connection.execute(query.limit(limit))).all()
        return [Device.model_validate(row._asdict()) for row in rows]

    async def revoke(self, device_id: UUID, *, revoked_by: str) -> Device | None:
        """Revokes an active device; None if there is none by this id or it is revoked
        already. A concurrent revoke waits for this one and then finds nothing to do."""
        row = (
            await self._connection.execute(
                sa.update(devices)
                .where(devices.c.id == device_id, devices.c.status == "active")
                .values(status="revoked", revoked_at=sa.func.now(), revoked_by=revoked_by)
                .returning(*_DEVICE)
            )
        ).first()
        return Device.model_validate(row._asdict()) if row else None

    async def roster(self, location_id: UUID) -> list[RosterMember]:
        """Who may sign in at a till of the location: active staff with a PIN who work there
        (listed there, or everywhere), by name."""
        listed_here = sa.exists().where(
            staff_locations.c.staff_id == staff.c.id, staff_locations.c.location_id == location_id
        )
        query = (
            sa.select(staff.c.id, staff.c.display_name, staff.c.role)
            .where(
                staff.c.active.is_(True),
                staff.c.pin_hash.is_not(None),
                sa.or_(staff.c.all_locations.is_(True), listed_here),
            )
            .order_by(staff.c.display_name, staff.c.id)
        )
        rows = (await self._connection.execute(query)).all()
        return [
            RosterMember(id=row.id, display_name=row.display_name, role=StaffRole(row.role))
            for row in rows
        ]
