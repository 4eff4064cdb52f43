"""Device rules: how a POS device gets registered at a location, and how it is cut off.

A manager creates a short-lived, single-use activation code for a location; the device
generates its own key pair and presents the code with its public key and a DPoP proof signed
by that key, so it shows it holds the private key that later sessions are bound to. The code
is spent in the same transaction that registers the device. A revoked device stays on record
(nothing is deleted); its sessions end with it and its key can never be registered again.

Activation is public (no session exists yet), so it reads and writes only in the tenant the
code names, and a code that names a tenant that does not exist, or that is unknown, used,
expired or malformed, gets one and the same answer.

A manager whose sessions reach only some locations (libs/auth/principal.py) registers, lists
and revokes devices at those alone; another location's devices are answered as unknown
(404), as another business's are.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.dpop import jwk_thumbprint
from libs.auth.opaque_credentials import Credential, Kind, new_credential
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, Problem
from services.identity.business.service import LocationNotFound as LocationNotFound
from services.identity.devices.repository import DeviceRepository
from services.identity.devices.schemas import (
    ActivatedDevice,
    ActivationCode,
    ActivationCodeCreate,
    Device,
    DeviceActivation,
    DevicePage,
    StoredActivationCode,
)
from services.identity.sessions.repository import SessionRepository

ACTIVATION_CODE_LIFETIME = timedelta(minutes=10)
# Characters a person types from the manager's screen (50 bits; single-use, 10 minutes).
ACTIVATION_CODE_LENGTH = 10
DEFAULT_DEVICE_NAME = "POS device"


class InvalidActivationCode(Problem):
    # 400, not 401: like OAuth's invalid_grant (RFC 6749 section 5.2), the code is a grant in
    # the body, not authentication of the request; a 401 would come with a
    # `WWW-Authenticate: DPoP` challenge that points the device at the wrong fix. Used for
    # every way a code can be wrong, so the answer reveals nothing about which.
    status = 400
    code = "invalid-activation-code"
    title = "The activation code is invalid, used or expired; ask a manager for a new one"


class DeviceKeyNotProven(Problem):
    # 400: the proof itself is valid (a bad one is 401 invalid-dpop-proof); the request asks
    # to register some other key than the one it proves, and no retry of it can succeed.
    status = 400
    code = "device-key-not-proven"
    title = "The DPoP proof must be signed by the key in public_jwk"


class DeviceKeyRegistered(Conflict):
    code = "device-key-registered"
    title = "This key is already registered to a device; generate a new key and retry"


class DeviceNotFound(NotFound):
    code = "device-not-found"
    title = "No such device"


async def create_activation_code(
    *,
    devices: DeviceRepository,
    audit: AuditLog,
    principal: Principal,
    request: ActivationCodeCreate,
) -> ActivationCode:
    reached = principal.reaches(request.location_id)
    if not reached or not await devices.location_exists(request.location_id):
        raise LocationNotFound()
    code = new_credential(
        Kind.ACTIVATION_CODE, principal.tenant_id, typable_length=ACTIVATION_CODE_LENGTH
    )
    code_id = uuid.uuid4()
    expires_at = await devices.insert_activation_code(
        code_id=code_id,
        location_id=request.location_id,
        code_hash=code.digest,
        device_name=request.device_name,
        created_by=principal.subject,
        lifetime=ACTIVATION_CODE_LIFETIME,
    )
    await audit.append(
        actor=Actor.of(principal),
        action="device.activation_code_created",
        resource_type="activation_code",
        resource_id=str(code_id),
        payload={
            "location_id": str(request.location_id),
            "device_name": request.device_name,
            "expires_at": expires_at.isoformat(),
        },
    )
    return ActivationCode(
        code=str(code),
        location_id=request.location_id,
        expires_at=expires_at,
        device_name=request.device_name,
    )


async def activate_device(
    *,
    devices: DeviceRepository,
    audit: AuditLog,
    credential: Credential,
    request: DeviceActivation,
    prove: Callable[[], Awaitable[str]],
) -> ActivatedDevice | Problem:
    """Registers the device, or returns the problem to answer with. `prove` verifies the
    request's DPoP proof (spending its jti) and returns its key's thumbprint.

    Failures that are returned, not raised, are committed: the proof stays spent and the
    failed attempt stays in the audit log. Failures that are raised change nothing.
    """
    code = await devices.activation_code_for_update(credential.digest)
    if code is None:
        # Unknown in this tenant: nothing is written, not even the proof's jti, so a guessed
        # code costs us a lookup and leaves no trace to fill an audit log with.
        return InvalidActivationCode()
    # Only now, with a code that exists, is the proof checked (and spent): a wrong code gets
    # the same answer whatever proof came with it (none included), in a business that exists
    # or not, so no combination of code and proof tells a caller which part was wrong.
    key_thumbprint = await prove()
    if code.used_at is not None or code.expired:
        await _audit_failure(audit, code=code, key_thumbprint=key_thumbprint)
        return InvalidActivationCode()
    if jwk_thumbprint(request.public_jwk) != key_thumbprint:
        raise DeviceKeyNotProven()
    device_id = uuid.uuid4()
    # The device row first: the code's device_id references it.
    device = await devices.insert_device(
        device_id=device_id,
        location_id=code.location_id,
        name=code.device_name or request.name or DEFAULT_DEVICE_NAME,
        key_thumbprint=key_thumbprint,
        public_jwk=request.public_jwk,
        activated_by=code.created_by,
    )
    if device is None:
        raise DeviceKeyRegistered()  # rolled back: the code can still be used, with a new key
    # The code is locked and was seen unused and unexpired (now() is fixed for the
    # transaction), so this succeeds; it is the spend itself, conditional all the same.
    if await devices.consume_activation_code(credential.digest, device_id=device_id) is None:
        raise InvalidActivationCode()
    await audit.append(
        actor=Actor(type="device", id=str(device_id)),
        action="device.activated",
        resource_type="device",
        resource_id=str(device_id),
        payload={
            "location_id": str(device.location_id),
            "name": device.name,
            "key_thumbprint": key_thumbprint,
            "activation_code_id": str(code.id),
            # The staff member who authorised this device by creating its code.
            "activation_code_created_by": code.created_by,
        },
    )
    return ActivatedDevice(
        device=str(Credential(Kind.DEVICE, credential.tenant_id, device_id.hex)),
        device_id=device_id,
        location_id=device.location_id,
        name=device.name,
        activated_at=device.activated_at,
    )


async def _audit_failure(
    audit: AuditLog, *, code: StoredActivationCode, key_thumbprint: str
) -> None:
    """A real code presented again, or too late: worth an owner's attention (was it copied
    off the screen?). Only someone holding a real code, with a valid fresh DPoP proof, can
    cause this row, so an anonymous caller cannot fill a tenant's audit log by guessing; a
    leaked code can be replayed for rows, at the gateway's per-address rate limit. We accept
    that rather than drop the evidence; a per-code cap would need a counter on the code."""
    await audit.append(
        actor=Actor(type="device-key", id=key_thumbprint),
        action="device.activation_failed",
        resource_type="activation_code",
        resource_id=str(code.id),
        payload={
            "reason": "code-used" if code.used_at is not None else "code-expired",
            "location_id": str(code.location_id),
            "key_thumbprint": key_thumbprint,
            "device_id": str(code.device_id) if code.device_id else None,
        },
    )


async def list_devices(
    *, devices: DeviceRepository, principal: Principal, limit: int, cursor: str | None
) -> DevicePage:
    page = await devices.page(
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        locations=principal.venues,
    )
    items, next_cursor = cut_page(
        page, limit, lambda device: encode_cursor(device.activated_at, device.id)
    )
    return DevicePage(items=items, next_cursor=next_cursor)


async def revoke_device(
    *,
    devices: DeviceRepository,
    sessions: SessionRepository,
    audit: AuditLog,
    principal: Principal,
    device_id: UUID,
) -> Device:
    """Revokes a device and ends its sessions. Revoking a revoked device returns it as it is.
    Access tokens already issued to it stay valid until they expire (minutes); its refresh
    tokens and PIN sign-ins are refused from now on."""
    found = await devices.get(device_id)
    if found is None or not principal.reaches(found.location_id):
        raise DeviceNotFound()
    revoked = await devices.revoke(device_id, revoked_by=principal.subject)
    if revoked is None:
        # Revoked already (a device never moves to another location): no second revocation,
        # no second audit row.
        current = await devices.get(device_id)
        if current is None:
            raise DeviceNotFound()
        return current
    ended = await sessions.revoke_device_sessions(device_id, reason="device-revoked")
    await audit.append(
        actor=Actor.of(principal),
        action="device.revoked",
        resource_type="device",
        resource_id=str(device_id),
        payload={
            "location_id": str(revoked.location_id),
            "name": revoked.name,
            "key_thumbprint": revoked.key_thumbprint,
            "ended_session_ids": [str(session_id) for session_id in ended],
        },
    )
    return revoked
