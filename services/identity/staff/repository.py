from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.identity.models import staff
from services.identity.staff.schemas import StaffMember

_MEMBER = (
    staff.c.id,
    staff.c.email,
    staff.c.display_name,
    staff.c.role,
    staff.c.active,
    (staff.c.password_hash.is_not(None)).label("has_password"),
    (staff.c.pin_hash.is_not(None)).label("has_pin"),
    staff.c.created_at,
    staff.c.updated_at,
    staff.c.version,
)


class StaffRepository:
    """Back-office path: SQLAlchemy Core. Secrets go in; they never come back out."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> StaffRepository:
        return cls(connection)

    async def insert(
        self,
        *,
        staff_id: UUID,
        email: str,
        display_name: str,
        role: str,
        password_hash: str | None,
        pin_hash: str | None,
    ) -> StaffMember | None:
        """None when the e-mail is taken in this tenant."""
        row = (
            await self._connection.execute(
                insert(staff)
                .values(
                    id=staff_id,
                    email=email,
                    display_name=display_name,
                    role=role,
                    password_hash=password_hash,
                    pin_hash=pin_hash,
                )
                .on_conflict_do_nothing(index_elements=[staff.c.tenant_id, staff.c.email])
                .returning(*_MEMBER)
            )
        ).first()
        return StaffMember.model_validate(row._asdict()) if row else None

    async def get(self, staff_id: UUID, *, for_update: bool = False) -> StaffMember | None:
        query = sa.select(*_MEMBER).where(staff.c.id == staff_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return StaffMember.model_validate(row._asdict()) if row else None

    async def page(self, *, limit: int, after: tuple[datetime, UUID] | None) -> list[StaffMember]:
        query = sa.select(*_MEMBER).order_by(staff.c.created_at.desc(), staff.c.id.desc())
        if after is not None:
            query = query.where(sa.tuple_(staff.c.created_at, staff.c.id) < sa.tuple_(*after))
        rows = (await self._connection.execute(query.limit(limit))).all()
        return [StaffMember.model_validate(row._asdict()) for row in rows]

    async def count_active_owners(self) -> int:
        count = await self._connection.scalar(
            sa.select(sa.func.count())
            .select_from(staff)
            .where(staff.c.role == "owner", staff.c.active.is_(True))
        )
        return int(count or 0)

    async def update(
        self, staff_id: UUID, *, version: int, changes: dict[str, Any]
    ) -> StaffMember | None:
        """Apply changes if the row is still at `version`; None if someone changed it first.
        Leaving the roster (or rejoining it) is dated, for operations a till recorded
        offline (services/orders/sync/)."""
        roster: dict[str, Any] = {}
        if "active" in changes:
            roster["deactivated_at"] = None if changes["active"] else sa.func.now()
        row = (
            await self._connection.execute(
                sa.update(staff)
                .where(staff.c.id == staff_id, staff.c.version == version)
                .values(**changes, **roster, version=staff.c.version + 1, updated_at=sa.func.now())
                .returning(*_MEMBER)
            )
        ).first()
        return StaffMember.model_validate(row._asdict()) if row else None
