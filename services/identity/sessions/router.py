"""POS sign-in and token refresh: public routes, each proven by the credential in its body and
a DPoP proof from the device's key (libs/auth/opaque_credentials.py, docs/sessions.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from libs.api.authentication import client_address
from libs.auth.opaque_credentials import Kind, parse_credential
from libs.problems import InvalidDPoPProof, Problem, problems
from libs.tenancy.database import TenantDatabase
from services.identity.sessions import service
from services.identity.sessions.budget import SignInBusy, sign_in_budget
from services.identity.sessions.lockout import LockedOut, source_of
from services.identity.sessions.proof import device_handle, proven_key
from services.identity.sessions.schemas import PinSignIn, RefreshRequest, TokenResponse
from services.identity.staff.secret_hashing import Argon2Busy

router = APIRouter(prefix="/v1/auth", tags=["sign-in"])


@router.post(
    "/pin",
    # `sign-in-failed` is one answer for an unknown device, staff member or PIN;
    # `sign-in-locked`: too many failures for this staff member or device; `sign-in-busy`:
    # too many PIN checks from this address or for this business, or at once.
    responses=problems(service.SignInFailed, InvalidDPoPProof, LockedOut, SignInBusy, Argon2Busy),
)
async def sign_in_with_pin(body: PinSignIn, request: Request) -> TokenResponse:
    """A staff member signs in on an activated device. Send a DPoP proof signed by the key
    the device registered at activation; the session is bound to that key.

    The cheap questions come first and a request that fails one is refused without any PIN
    check: the handle's shape, the business, the DPoP proof, the device, its status and its
    key. Only a caller holding an active device's key reaches argon2, within its budget."""
    device = device_handle(body.device)
    if device is None:
        raise service.SignInFailed()
    database: TenantDatabase = request.app.state.database
    outcome: TokenResponse | Problem
    async with database.credential_transaction(device.tenant_id) as connection:
        key_thumbprint = await proven_key(request, connection)
        outcome = await service.pin_sign_in(
            store=service.SessionStore.from_connection(connection),
            issuer=request.app.state.token_issuer,
            budget=sign_in_budget(request),
            attempt=service.PinAttempt(
                source=source_of(client_address(request)),
                device=device,
                key_thumbprint=key_thumbprint,
                staff_id=body.staff_id,
                pin=body.pin,
            ),
        )
    # Failures are answered after the transaction commits: their lockout counts and audit
    # rows must stay.
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.post(
    "/token",
    responses=problems(service.InvalidRefreshToken, InvalidDPoPProof),
)
async def refresh_tokens(body: RefreshRequest, request: Request) -> TokenResponse:
    """Exchange a refresh token for new tokens (it is spent; use the new one next time).
    Needs a DPoP proof from the session's key. If the answer was lost, the same request
    within 60 seconds gets fresh tokens; any other reuse ends the session."""
    credential = parse_credential(Kind.REFRESH_TOKEN, body.refresh_token)
    if credential is None:
        raise service.InvalidRefreshToken()
    database: TenantDatabase = request.app.state.database
    outcome: TokenResponse | Problem
    async with database.credential_transaction(credential.tenant_id) as connection:
        key_thumbprint = await proven_key(request, connection)
        outcome = await service.refresh_session(
            store=service.SessionStore.from_connection(connection),
            issuer=request.app.state.token_issuer,
            credential=credential,
            key_thumbprint=key_thumbprint,
        )
    if isinstance(outcome, Problem):
        raise outcome
    return outcome
