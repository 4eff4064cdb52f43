"""Granting manager overrides: a cashier's till asks, a manager's PIN approves, and the answer
is a single-use token for one action on one resource from this device (libs/auth/overrides.py
verifies and spends it in the service that guards the action).

The approver must work at the till's location: a manager of another venue of the business
cannot approve here, and is refused like a wrong PIN.

Every decision is audited: `override.granted` with the approver as the actor, and
`override.refused` with the requesting staff member as the actor and the reason. Wrong PINs
count towards the approver's PIN lockout and the device's, the subjects a PIN sign-in counts
against (sessions/lockout.py), checked before any PIN is compared; a grant resets the
approver's own PIN count, never the device's. Refusals are returned rather than raised: their
audit rows and failure counts must be committed although the answer is an error.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from libs.audit.append import Actor, AuditLog
from libs.auth.overrides import APPROVER_ROLES
from libs.auth.principal import Principal
from libs.problems import PermissionDenied, Problem
from services.identity.overrides.repository import Approver, OverrideRepository
from services.identity.overrides.schemas import OverrideGranted, OverrideRequest
from services.identity.overrides.signer import OverrideGrant, OverrideSigner
from services.identity.sessions.lockout import Key, LockedOut, Lockouts, Subject, retry_after
from services.identity.staff.secret_hashing import verify_secret
from services.identity.staff.service import works_at


class OverrideNeedsDevice(PermissionDenied):
    code = "override-device-required"
    title = "Overrides are requested from an active registered device"


class OverrideRefused(PermissionDenied):
    # One answer whatever was wrong, so it says nothing about who exists or which PINs work.
    code = "override-refused"
    title = "The approver or PIN is not right, or the approver cannot approve overrides"


def _refusal_reason(approver: Approver | None, pin_matches: bool, location_id: UUID) -> str | None:
    if approver is None:
        return "unknown-approver"
    if not approver.active:
        return "inactive-approver"
    if approver.role not in APPROVER_ROLES:
        return "not-an-approver"
    if approver.pin_hash is None:
        return "approver-has-no-pin"
    if not pin_matches:
        return "wrong-pin"
    if not works_at(approver.location_ids, location_id):
        return "approver-not-at-this-location"
    return None


async def _refuse(
    audit: AuditLog,
    principal: Principal,
    request: OverrideRequest,
    reason: str,
    **details: Any,
) -> None:
    await audit.append(
        actor=Actor.of(principal),
        action="override.refused",
        resource_type="override",
        resource_id=request.resource_id,
        payload={
            "reason": reason,
            "approver_id": str(request.approver_id),
            "action": request.action.value,
            "resource_id": request.resource_id,
            "amount_minor": request.amount_minor,
            "percent_bps": request.percent_bps,
            "device_id": str(principal.device_id) if principal.device_id else None,
            **details,
        },
    )


async def request_override(
    *,
    overrides: OverrideRepository,
    lockouts: Lockouts,
    audit: AuditLog,
    signer: OverrideSigner,
    principal: Principal,
    request: OverrideRequest,
) -> OverrideGranted | Problem:
    """An override token, or the problem to answer with (after the caller commits)."""
    if principal.device_id is None:
        await _refuse(audit, principal, request, "no-device")
        return OverrideNeedsDevice("Request overrides from a registered device.")
    device = await overrides.device(principal.device_id)
    if device is None or device.status != "active":
        await _refuse(audit, principal, request, "device-not-active")
        return OverrideNeedsDevice("This device is not registered, or it has been revoked.")
    if device.key_thumbprint != principal.key_thumbprint:
        # The access token names this device but is bound to some other key.
        await _refuse(audit, principal, request, "device-key-mismatch")
        return OverrideNeedsDevice("The access token is not bound to this device's key.")

    approver = await overrides.approver_for_update(request.approver_id)
    pin_key = Key(Subject.PIN, request.approver_id)
    device_key = Key(Subject.DEVICE, principal.device_id)
    lock = await lockouts.locked(pin_key, device_key)
    if lock is not None:
        locked = "approver-locked" if lock.key == pin_key else "device-locked"
        await _refuse(audit, principal, request, locked, until=lock.until.isoformat())
        return LockedOut(retry_after=retry_after(lock.until))
    # Always one argon2 verification, whoever the approver is (or is not).
    pin_matches = await verify_secret(approver.pin_hash if approver else None, request.pin)
    reason = _refusal_reason(approver, pin_matches, device.location_id)
    if reason is not None:
        failures: int | None = None
        locked_until: datetime | None = None
        if approver is not None:
            # Everything but a grant counts: a correct PIN of someone who may not approve
            # must not be told apart from a wrong one, not even by when the lockout starts.
            failure = await lockouts.record_failure(pin_key)
            failures, locked_until = failure.failures, failure.locked_until
        await lockouts.record_failure(device_key)
        await _refuse(
            audit,
            principal,
            request,
            reason,
            failures=failures,
            locked_until=locked_until.isoformat() if locked_until else None,
        )
        return OverrideRefused()
    assert approver is not None

    await lockouts.reset(pin_key)
    minted = signer.mint(
        OverrideGrant(
            tenant_id=principal.tenant_id,
            device_id=principal.device_id,
            requested_by=principal.subject,
            approver_id=request.approver_id,
            approver_role=approver.role,
            action=request.action,
            resource_id=request.resource_id,
            amount_minor=request.amount_minor,
            percent_bps=request.percent_bps,
        )
    )
    await audit.append(
        actor=Actor(type=approver.role, id=str(request.approver_id)),
        action="override.granted",
        resource_type="override",
        resource_id=request.resource_id,
        payload={
            "requested_by": principal.subject,
            "requested_by_role": principal.role.value,
            "device_id": str(principal.device_id),
            "action": request.action.value,
            "resource_id": request.resource_id,
            "amount_minor": request.amount_minor,
            "percent_bps": request.percent_bps,
            "jti": minted.jti,
            "expires_at": datetime.fromtimestamp(minted.expires_at, UTC).isoformat(),
        },
    )
    return OverrideGranted(
        override_token=minted.token,
        expires_in=minted.expires_at - minted.issued_at,
        action=request.action,
        resource_id=request.resource_id,
        approved_by=request.approver_id,
        amount_minor=request.amount_minor,
        percent_bps=request.percent_bps,
    )
