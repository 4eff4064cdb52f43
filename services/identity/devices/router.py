"""Devices: managers create activation codes, list and revoke devices; a new POS device
activates itself with a code and a DPoP proof from the key it generated (public route)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request, Response

from libs.api.authentication import CurrentPrincipal
from libs.api.openapi import header_refs, sends
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.auth.opaque_credentials import Kind, parse_credential
from libs.problems import InvalidDPoPProof, Problem, merge_responses, problems
from libs.rbac import Permission
from libs.tenancy.database import TenantDatabase
from services.identity.devices import roster, service
from services.identity.devices.repository import DeviceRepository
from services.identity.devices.schemas import (
    ActivatedDevice,
    ActivationCode,
    ActivationCodeCreate,
    Device,
    DeviceActivation,
    DevicePage,
    Roster,
)
from services.identity.sessions.proof import device_handle, proven_key
from services.identity.sessions.repository import SessionRepository
from services.identity.tenants.repository import TenantRepository

router = APIRouter(prefix="/v1/devices", tags=["devices"])

NOT_FOUND = problems(service.DeviceNotFound)


@router.post(
    "/activation-codes",
    status_code=201,
    dependencies=[requires(Permission.DEVICES_MANAGE)],
    responses=problems(service.LocationNotFound),
)
async def create_activation_code(
    body: ActivationCodeCreate, connection: TenantConnection, principal: CurrentPrincipal
) -> ActivationCode:
    """A single-use code, valid for 10 minutes, that activates one device at the location.
    It is shown only in this answer."""
    return await service.create_activation_code(
        devices=DeviceRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        request=body,
    )


@router.post(
    "/activate",
    status_code=201,
    # `invalid-activation-code`: invalid, used or expired; `device-key-not-proven`: the
    # DPoP proof is not signed by the key in `public_jwk`.
    responses=problems(
        service.InvalidActivationCode,
        service.DeviceKeyNotProven,
        InvalidDPoPProof,
        service.DeviceKeyRegistered,
    ),
)
async def activate_device(body: DeviceActivation, request: Request) -> ActivatedDevice:
    """A new device registers its public key. Send a DPoP proof signed by that key (no
    access token: none exists yet). Keep `device` from the answer to sign staff in."""
    credential = parse_credential(Kind.ACTIVATION_CODE, body.code)
    if credential is None:
        raise service.InvalidActivationCode()
    database: TenantDatabase = request.app.state.database
    outcome: ActivatedDevice | Problem
    async with database.credential_transaction(credential.tenant_id) as connection:
        if await TenantRepository(connection).get_tenant() is None:
            # No such business: answered like a wrong code, and nothing is written (every
            # row, audit and spent proofs included, must reference an existing tenant).
            outcome = service.InvalidActivationCode()
        else:
            outcome = await service.activate_device(
                devices=DeviceRepository.from_connection(connection),
                audit=AuditLog.from_connection(connection, service="identity"),
                credential=credential,
                request=body,
                prove=lambda: proven_key(request, connection),
            )
    # Returned failures are raised only after the commit: the spent proof and the audit row
    # of a failed attempt must stay.
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.get("", dependencies=[requires(Permission.DEVICES_MANAGE)])
async def list_devices(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> DevicePage:
    """Devices of this business at the locations you work at, active and revoked, most
    recently activated first."""
    return await service.list_devices(
        devices=DeviceRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
    )


@router.post(
    "/{device_id}/revoke", dependencies=[requires(Permission.DEVICES_MANAGE)], responses=NOT_FOUND
)
async def revoke_device(
    device_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> Device:
    """Revoke a device and end its sessions; it can sign nobody in again. Revoking a revoked
    device changes nothing and returns it."""
    return await service.revoke_device(
        devices=DeviceRepository.from_connection(connection),
        sessions=SessionRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        device_id=device_id,
    )


@router.get(
    "/roster",
    response_model=Roster,
    responses=merge_responses(
        # `device-not-recognised`: no such device, or not held under this key;
        # `device-revoked`: the till should forget what it keeps and be activated again.
        problems(roster.DeviceNotRecognised, roster.DeviceRevoked, InvalidDPoPProof),
        sends("ETag"),
        {
            304: {
                "description": "The roster is unchanged since the version in If-None-Match",
                "headers": header_refs("ETag"),
            }
        },
    ),
)
async def device_roster(
    request: Request,
    response: Response,
    device: Annotated[
        str,
        Header(
            alias="X-Device",
            max_length=200,
            description="The device's handle (`device` from activation)",
        ),
    ],
    if_none_match: Annotated[
        str | None,
        Header(alias="If-None-Match", max_length=200, description="A roster's ETag"),
    ] = None,
) -> Response | Roster:
    """Who may sign in at this till: the active staff with a PIN who work at its venue,
    with the version of the list. For the PIN pad before anyone has signed in, so no access
    token: send a DPoP proof signed by the key the device registered at activation, as at
    PIN sign-in. The venue is the device's own; a revoked device gets no roster."""
    handle = device_handle(device)
    if handle is None:
        raise roster.DeviceNotRecognised()
    database: TenantDatabase = request.app.state.database
    async with database.credential_transaction(handle.tenant_id) as connection:
        key_thumbprint = await proven_key(request, connection)
        outcome = await roster.roster_for_device(
            devices=DeviceRepository.from_connection(connection),
            device_id=UUID(hex=handle.secret),
            key_thumbprint=key_thumbprint,
        )
    # Raised after the commit: the proof stays spent whatever the answer.
    if isinstance(outcome, Problem):
        raise outcome
    tag = f'"{outcome.version}"'
    if if_none_match is not None and tag in (part.strip() for part in if_none_match.split(",")):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return outcome
