"""Staff rules. Who may create and change whom is the grant rule in libs/rbac/grants.py:
a caller gives only roles whose permissions they hold themselves, and changes only staff
whose role they could give (so owners manage everyone, managers manage managers and
cashiers, never owners or accountants); nobody changes their own role but an owner stepping
down, and nobody can leave a business without an active owner. Every change is audited;
secrets never are (a PIN reset is recorded as `pin_reset`, not the PIN), and a refused change
writes nothing.

Locations (`location_ids`, None: every location of the business) decide what a staff
member's sessions reach: their backoffice tokens list them, and they sign in only at tills
there. Owners assign anyone (owners included: an owner's list scopes their sessions, it
does not bound an owner's authority, since owners manage all staff, themselves too).
Managers assign cashiers only, and never beyond their own reach: a manager whose sessions
are limited to some locations creates and changes only staff who, before and after the
change, work at none but those (so not staff of every location), and cannot give a cashier
a location they do not work at themselves. An unknown location and another business's are
refused alike (404); the database's composite foreign keys refuse the latter again.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, PermissionDenied
from libs.rbac import Role
from libs.rbac.grants import GrantRefusal, change_refusal, role_refusal
from services.identity.business.service import LocationNotFound as LocationNotFound
from services.identity.staff.repository import StaffRepository
from services.identity.staff.schemas import (
    StaffCreate,
    StaffMember,
    StaffPage,
    StaffRole,
    StaffUpdate,
)
from services.identity.staff.secret_hashing import hash_secret


class StaffNotFound(NotFound):
    code = "staff-not-found"
    title = "No such staff member"


class RoleGrantRefused(PermissionDenied):
    code = GrantRefusal.ROLE.value
    title = "You cannot give a role with permissions you do not hold yourself"


class StaffRoleAboveYours(PermissionDenied):
    code = GrantRefusal.MEMBER.value
    title = "This staff member holds a role you cannot give, so you cannot change them"


class OwnRoleChangeRefused(PermissionDenied):
    code = GrantRefusal.OWN_ROLE.value
    title = "You cannot change your own role; only an owner may step down"


REFUSALS: dict[GrantRefusal, type[PermissionDenied]] = {
    GrantRefusal.ROLE: RoleGrantRefused,
    GrantRefusal.MEMBER: StaffRoleAboveYours,
    GrantRefusal.OWN_ROLE: OwnRoleChangeRefused,
}


class EmailTaken(Conflict):
    code = "staff-email-taken"
    title = "A staff member with this e-mail already exists"


class StaleVersion(Conflict):
    code = "stale-version"
    title = "The staff member changed since you read it; read it again and retry"


class LastOwner(Conflict):
    code = "last-owner"
    title = "The business must keep at least one active owner"


class LocationsOwnersOnly(PermissionDenied):
    code = "locations-owners-only"
    title = "Only an owner can assign locations to owners, managers and accountants"


class OutsideYourLocations(PermissionDenied):
    code = "outside-your-locations"
    title = "This staff member would work at locations you do not work at yourself"


def _refuse(
    refusal: GrantRefusal | None,
    principal: Principal,
    *,
    member: StaffRole | None = None,
    requested: StaffRole | None = None,
) -> None:
    """Raise the 403 for a refused grant (before anything is written)."""
    if refusal is None:
        return
    yours = f"Your role ({principal.role.value})"
    detail = {
        GrantRefusal.ROLE: f"{yours} cannot give the {requested} role.",
        GrantRefusal.MEMBER: f"{yours} cannot change staff whose role is {member}.",
        GrantRefusal.OWN_ROLE: f"You cannot change your own role ({member}) to {requested}.",
    }[refusal]
    raise REFUSALS[refusal](detail)


def _is_caller(principal: Principal, staff_id: UUID) -> bool:
    """Whether the staff member is the caller (a staff session's subject is their id)."""
    return principal.subject == str(staff_id)


def works_at(location_ids: list[UUID] | None, location_id: UUID) -> bool:
    """Whether a staff member with these locations (None: every one) works at this one."""
    return location_ids is None or location_id in location_ids


def _reach(location_ids: list[UUID] | None) -> frozenset[UUID] | None:
    return frozenset(location_ids) if location_ids is not None else None


def _guard_locations(
    principal: Principal,
    *,
    roles: tuple[StaffRole, ...],
    assigning: bool,
    reaches: tuple[list[UUID] | None, ...],
) -> None:
    """Managers assign cashiers only, and never beyond their own reach (the module says
    why). `roles` and `reaches`: the staff member's, before and after the change."""
    if principal.role is Role.OWNER:
        return
    if assigning and any(role is not StaffRole.CASHIER for role in roles):
        raise LocationsOwnersOnly()
    if principal.venues is None:
        return
    for reach in map(_reach, reaches):
        if reach is None or not reach <= principal.venues:
            raise OutsideYourLocations()


async def _check_locations(staff: StaffRepository, location_ids: list[UUID] | None) -> None:
    if location_ids and await staff.existing_locations(location_ids) != set(location_ids):
        raise LocationNotFound()


def _listed(location_ids: list[UUID] | None) -> list[str] | None:
    """Locations as the audit log records them: ids, or null for every location."""
    return [str(location) for location in location_ids] if location_ids is not None else None


async def create_staff(
    *, staff: StaffRepository, audit: AuditLog, principal: Principal, request: StaffCreate
) -> StaffMember:
    # The password and PIN are set with the role: both are the grant's to refuse.
    _refuse(
        role_refusal(granter=principal.role, role=Role(request.role.value)),
        principal,
        requested=request.role,
    )
    _guard_locations(
        principal,
        roles=(request.role,),
        assigning=request.location_ids is not None,
        reaches=(request.location_ids,),
    )
    await _check_locations(staff, request.location_ids)
    member = await staff.insert(
        staff_id=uuid.uuid4(),
        email=request.email,
        display_name=request.display_name,
        role=request.role.value,
        password_hash=await hash_secret(request.password) if request.password else None,
        pin_hash=await hash_secret(request.pin) if request.pin else None,
        location_ids=request.location_ids,
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
            "location_ids": _listed(member.location_ids),
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
    items, next_cursor = cut_page(
        page, limit, lambda member: encode_cursor(member.created_at, member.id)
    )
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
    _refuse(
        change_refusal(
            granter=principal.role,
            current=Role(current.role.value),
            requested=Role(request.role.value) if request.role is not None else None,
            own=_is_caller(principal, staff_id),
        ),
        principal,
        member=current.role,
        requested=request.role,
    )
    assigning = "location_ids" in request.model_fields_set
    location_ids = request.location_ids if assigning else current.location_ids
    _guard_locations(
        principal,
        roles=(current.role, request.role or current.role),
        assigning=assigning,
        reaches=(current.location_ids, location_ids),
    )
    if current.version != request.version:
        raise StaleVersion(current_version=current.version)
    changes: dict[str, Any] = {
        field: value
        for field, value in request.model_dump(
            exclude={"version", "location_ids", "pin"}, exclude_none=True
        ).items()
        if value != getattr(current, field)
    }
    if _reach(location_ids) != _reach(current.location_ids):
        await _check_locations(staff, location_ids)
        changes["location_ids"] = location_ids
    # A new PIN always changes something: nobody can tell (nor may know) whether it is the
    # old one again. Only its hash is stored, and the audit row says only that it was reset.
    new_pin = await hash_secret(request.pin) if request.pin is not None else None
    if not changes and new_pin is None:
        return current
    leaves_owners = current.role is StaffRole.OWNER and current.active
    leaves_owners = leaves_owners and (
        changes.get("role", StaffRole.OWNER) != StaffRole.OWNER or not changes.get("active", True)
    )
    if leaves_owners and await staff.count_active_owners() <= 1:
        raise LastOwner()
    secrets = {"pin_hash": new_pin} if new_pin is not None else {}
    updated = await staff.update(staff_id, version=request.version, changes=changes | secrets)
    if updated is None:
        raise StaleVersion()
    payload: dict[str, Any] = {
        "changes": {
            field: [_listed(getattr(current, field)), _listed(value)]
            if field == "location_ids"
            else [str(getattr(current, field)), str(value)]
            for field, value in changes.items()
        },
        "version": updated.version,
    }
    if new_pin is not None:
        payload["pin_reset"] = True
    await audit.append(
        actor=Actor.of(principal),
        action="staff.deactivated" if changes.get("active") is False else "staff.updated",
        resource_type="staff",
        resource_id=str(staff_id),
        payload=payload,
    )
    return updated
