"""Staff rules. Owners manage everyone; managers manage everyone but owners; nobody can leave
a business without an active owner. Every change is audited; secrets never are."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from libs.api.pagination import decode_cursor, encode_cursor
from libs.api.problems import Conflict, NotFound, PermissionDenied
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.rbac import Role
from services.identity.staff.credentials import hash_secret
from services.identity.staff.repository import StaffRepository
from services.identity.staff.schemas import (
    StaffCreate,
    StaffMember,
    StaffPage,
    StaffRole,
    StaffUpdate,
)


class StaffNotFound(NotFound):
    code = "staff-not-found"
    title = "No such staff member"


class OwnersOnly(PermissionDenied):
    code = "owners-only"
    title = "Only an owner can create, promote or change an owner"


class EmailTaken(Conflict):
    code = "staff-email-taken"
    title = "A staff member with this e-mail already exists"


class StaleVersion(Conflict):
    code = "stale-version"
    title = "The staff member changed since you read it; read it again and retry"


class LastOwner(Conflict):
    code = "last-owner"
    title = "The business must keep at least one active owner"


def _guard_owner_changes(principal: Principal, *roles: StaffRole | None) -> None:
    if principal.role is not Role.OWNER and StaffRole.OWNER in roles:
        raise OwnersOnly()


async def create_staff(
    *, staff: StaffRepository, audit: AuditLog, principal: Principal, request: StaffCreate
) -> StaffMember:
    _guard_owner_changes(principal, request.role)
    member = await staff.insert(
        staff_id=uuid.uuid4(),
        email=request.email,
        display_name=request.display_name,
        role=request.role.value,
        password_hash=await hash_secret(request.password) if request.password else None,
        pin_hash=await hash_secret(request.pin) if request.pin else None,
    )
    if member is None:
        raise EmailTaken()
    await audit.append(
        actor=Actor.of(principal),
        action="staff.created",
        resource_type="staff",
        resource_id=str(member.id),
        payload={
            "email": member.email,
            "display_name": member.display_name,
            "role": member.role.value,
            "password_set": member.has_password,
            "pin_set": member.has_pin,
        },
    )
    return member


async def get_staff(*, staff: StaffRepository, staff_id: UUID) -> StaffMember:
    member = await staff.get(staff_id)
    if member is None:
        raise StaffNotFound()
    return member


async def list_staff(*, staff: StaffRepository, limit: int, cursor: str | None) -> StaffPage:
    page = await staff.page(limit=limit + 1, after=decode_cursor(cursor) if cursor else None)
    items, more = page[:limit], len(page) > limit
    next_cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
    return StaffPage(items=items, next_cursor=next_cursor)


async def update_staff(
    *,
    staff: StaffRepository,
    audit: AuditLog,
    principal: Principal,
    staff_id: UUID,
    request: StaffUpdate,
) -> StaffMember:
    # Locked, so two owners demoting each other cannot both pass the last-owner check.
    current = await staff.get(staff_id, for_update=True)
    if current is None:
        raise StaffNotFound()
    _guard_owner_changes(principal, current.role, request.role)
    if current.version != request.version:
        raise StaleVersion(current_version=current.version)
    changes: dict[str, Any] = {
        field: value
        for field, value in request.model_dump(exclude={"version"}, exclude_none=True).items()
        if value != getattr(current, field)
    }
    if not changes:
        return current
    leaves_owners = current.role is StaffRole.OWNER and current.active
    leaves_owners = leaves_owners and (
        changes.get("role", StaffRole.OWNER) != StaffRole.OWNER or not changes.get("active", True)
    )
    if leaves_owners and await staff.count_active_owners() <= 1:
        raise LastOwner()
    updated = await staff.update(staff_id, version=request.version, changes=changes)
    if updated is None:
        raise StaleVersion()
    await audit.append(
        actor=Actor.of(principal),
        action="staff.deactivated" if changes.get("active") is False else "staff.updated",
        resource_type="staff",
        resource_id=str(staff_id),
        payload={
            "changes": {
                field: [str(getattr(current, field)), str(value)]
                for field, value in changes.items()
            },
            "version": updated.version,
        },
    )
    return updated
