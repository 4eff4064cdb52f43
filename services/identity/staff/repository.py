from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert

from libs.tenancy.repository import Repository
from services.identity.models import locations, staff, staff_locations
from services.identity.staff.schemas import StaffMember


def assigned_locations() -> sa.Label[list[UUID] | None]:
    """`location_ids` of the `staff` row a query reads: NULL when the staff member works at
    every location, else the ids of theirs (an empty array: none, so a half-made assignment
    reaches nothing). For every read that decides what a session may reach."""
    listed = (
        sa.select(staff_locations.c.location_id)
        .where(staff_locations.c.staff_id == staff.c.id)
        .order_by(staff_locations.c.location_id)
        .correlate(staff)
        .scalar_subquery()
    )
    return sa.case(
        (staff.c.all_locations, sa.null()),
        else_=sa.func.array(listed, type_=ARRAY(sa.Uuid())),
    ).label("location_ids")


_MEMBER = (
    staff.c.id,
    staff.c.email,
    staff.c.display_name,
    staff.c.role,
    staff.c.active,
    (staff.c.password_hash.is_not(None)).label("has_password"),
    (staff.c.pin_hash.is_not(None)).label("has_pin"),
    assigned_locations(),
    staff.c.created_at,
    staff.c.updated_at,
    staff.c.version,
)


class StaffRepository(Repository):
    """Back-office path: SQLAlchemy Core. Secrets go in; they never come back out."""

    async def insert(
        self,
        *,
        staff_id: UUID,
        email: str,
        display_name: str,
        role: str,
        password_hash: str | None,
        pin_hash: str | None,
        location_ids: list[UUID] | None = None,
    ) -> StaffMember | None:
        """None when the e-mail is taken in this tenant. `location_ids` None: every location."""
        inserted = await self._connection.scalar(
            insert(staff)
            .values(
                id=staff_id,
                email=email,
                display_name=display_name,
                role=role,
                password_hash=password_hash,
                pin_hash=pin_hash,
                all_locations=location_ids is None,
            )
            .on_conflict_do_nothing(index_elements=[staff.c.tenant_id, staff.c.email])
            .returning(staff.c.id)
        )
        if inserted is None:
            return None
        await self._assign(staff_id, location_ids or [])
        return await self.get(staff_id)

    async def _assign(self, staff_id: UUID, location_ids: list[UUID]) -> None:
        """Replace the staff member's listed locations."""
        await self._connection.execute(
            sa.delete(staff_locations).where(staff_locations.c.staff_id == staff_id)
        )
        if location_ids:
            await self._connection.execute(
                sa.insert(staff_locations),
                [{"staff_id": staff_id, "location_id": location} for location in location_ids],
            )

    async def existing_locations(self, location_ids: list[UUID]) -> set[UUID]:
        """Which of these are locations of the business (row-level security hides every
        other business's, so theirs are missing exactly like made-up ones)."""
        found = await self._connection.scalars(
            sa.select(locations.c.id).where(locations.c.id.in_(location_ids))
        )
        return set(found)

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
        offline (services/orders/sync/). `location_ids` (None: every location) replaces
        the staff member's locations; callers hold the row locked at `version` already."""
        roster: dict[str, Any] = {}
        if "active" in changes:
            roster["deactivated_at"] = None if changes["active"] else sa.func.now()
        if "location_ids" in changes:
            changes = dict(changes)
            location_ids: list[UUID] | None = changes.pop("location_ids")
            # Before the UPDATE, so that what it returns already lists them.
            await self._assign(staff_id, location_ids or [])
            changes["all_locations"] = location_ids is None
        row = (
            await self._connection.execute(
                sa.update(staff)
                .where(staff.c.id == staff_id, staff.c.version == version)
                .values(**changes, **roster, version=staff.c.version + 1, updated_at=sa.func.now())
                .returning(*_MEMBER)
            )
        ).first()
        return StaffMember.model_validate(row._asdict()) if row else None
