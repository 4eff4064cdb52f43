"""Backoffice sign-in (public: no session exists yet) and the business's security settings.

The sign-in routes open their transaction with `credential_transaction`, bound to the
business the request names (the password step's `business`, or the business inside a
challenge); everything found in it is verified there, and a made-up business finds nothing.
Services return the problem for failures whose bookkeeping must be committed; it is raised
here, after the transaction has ended.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from libs.api.authentication import CurrentPrincipal, client_address
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import Actor, AuditLog
from libs.auth.opaque_credentials import Kind, parse_credential
from libs.problems import InvalidDPoPProof, Problem, merge_responses, problems
from libs.rbac import Permission
from libs.tenancy.database import TenantDatabase
from services.identity.backoffice import service
from services.identity.backoffice.repository import SignInRepository
from services.identity.backoffice.schemas import (
    EnrolmentCode,
    EnrolmentCodeRequest,
    EnrolmentConfirm,
    EnrolmentConfirmed,
    EnrolmentStart,
    PasswordSignIn,
    PasswordSignInResult,
    SecuritySettings,
    SecuritySettingsUpdate,
    TotpEnrolment,
    TotpSignIn,
)
from services.identity.sessions.budget import SignInBusy, sign_in_budget
from services.identity.sessions.lockout import LockedOut, Lockouts, source_of
from services.identity.sessions.proof import proven_key
from services.identity.sessions.repository import SessionRepository
from services.identity.sessions.schemas import TokenResponse
from services.identity.staff.secret_hashing import Argon2Busy

router = APIRouter(tags=["sign-in"])

Responses = dict[int | str, dict[str, Any]]
# `sign-in-locked`: too many failed sign-ins for this e-mail address from here (or from
# anywhere), or second factors for this staff member; `sign-in-busy`: too many password checks
# from this address or for this business, or at once.
LOCKED: Responses = problems(LockedOut, SignInBusy, Argon2Busy, InvalidDPoPProof)
# `invalid-challenge`: expired, used, from another key, or unknown: start again with the password.
CHALLENGE_STEP: Responses = merge_responses(
    problems(service.InvalidChallenge, service.InvalidTotpCode, service.InvalidRecoveryCode),
    LOCKED,
)


# Enough of a User-Agent to name the browser and system; the rest is not worth storing.
CLIENT_MAX_LENGTH = 300


def _client(request: Request) -> str | None:
    """The browser's own description, for the owner's list of live sessions: display only
    (anyone can send any User-Agent), so nothing is decided on it."""
    agent = request.headers.get("user-agent", "").strip()
    printable = "".join(char for char in agent[:CLIENT_MAX_LENGTH] if char.isprintable())
    return printable or None


@asynccontextmanager
async def _signing_in(
    request: Request, business: UUID
) -> AsyncIterator[tuple[service.SignInContext, SecuritySettings | None]]:
    """A transaction bound to `business` and the key the request proves; the settings are
    None when no such business exists (then nothing may be written)."""
    database: TenantDatabase = request.app.state.database
    async with database.credential_transaction(business) as connection:
        repository = SignInRepository.from_connection(connection)
        security = await repository.security_settings()
        # Checked the same whether the business exists or not (sessions/proof.py).
        key_thumbprint = await proven_key(request, connection)
        yield (
            service.SignInContext(
                repository=repository,
                lockouts=Lockouts(connection),
                audit=AuditLog.from_connection(connection, service="identity"),
                sessions=SessionRepository.from_connection(connection),
                issuer=request.app.state.token_issuer,
                totp_secrets=request.app.state.totp_secrets,
                tenant_id=business,
                key_thumbprint=key_thumbprint,
                budget=sign_in_budget(request),
                source=source_of(client_address(request)),
                client=_client(request),
            ),
            security,
        )


@router.post(
    "/v1/auth/password",
    # `sign-in-failed` is one answer for an unknown business, an unknown e-mail and a wrong
    # password; `totp-enrolment-code-required`'s detail says how to get an enrolment code.
    responses=merge_responses(
        problems(
            service.SignInFailed,
            service.InvalidEnrolmentCode,
            service.TotpEnrolmentCodeRequired,
        ),
        LOCKED,
    ),
)
async def sign_in_with_password(body: PasswordSignIn, request: Request) -> PasswordSignInResult:
    """Sign in to the backoffice with a `DPoP` proof header (no access token). The answer's
    `status` says what follows: `signed_in` (tokens bound to the proof's key),
    `totp_required` (send a code to `POST /v1/auth/totp`) or `totp_enrolment_required` (set
    up an authenticator app first: with `enrolment_code`, or `enrol_totp` where nothing
    requires one)."""
    async with _signing_in(request, body.business) as (context, security):
        outcome = await service.password_sign_in(context, security=security, request=body)
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.post("/v1/auth/totp", responses=CHALLENGE_STEP)
async def sign_in_with_totp(body: TotpSignIn, request: Request) -> TokenResponse:
    """The second step: a code from the authenticator app, or a recovery code (each works
    once), with a proof from the key that started the sign-in."""
    credential = parse_credential(Kind.CHALLENGE, body.challenge)
    if credential is None:
        raise service.InvalidChallenge()
    async with _signing_in(request, credential.tenant_id) as (context, _):
        outcome = await service.totp_sign_in(context, credential=credential, request=body)
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.post(
    "/v1/auth/totp/enrolment",
    responses=merge_responses(CHALLENGE_STEP, problems(service.TotpAlreadyEnrolled)),
)
async def start_totp_enrolment(body: EnrolmentStart, request: Request) -> TotpEnrolment:
    """A new secret for an authenticator app, for a `totp_enrolment_required` challenge."""
    credential = parse_credential(Kind.CHALLENGE, body.challenge)
    if credential is None:
        raise service.InvalidChallenge()
    async with _signing_in(request, credential.tenant_id) as (context, _):
        outcome = await service.start_enrolment(context, credential=credential)
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.post(
    "/v1/auth/totp/enrolment/confirm",
    responses=merge_responses(
        CHALLENGE_STEP, problems(service.EnrolmentNotStarted, service.TotpAlreadyEnrolled)
    ),
)
async def confirm_totp_enrolment(body: EnrolmentConfirm, request: Request) -> EnrolmentConfirmed:
    """Confirm the authenticator with a code from it: signs in, and answers the recovery
    codes, this once."""
    credential = parse_credential(Kind.CHALLENGE, body.challenge)
    if credential is None:
        raise service.InvalidChallenge()
    async with _signing_in(request, credential.tenant_id) as (context, _):
        outcome = await service.confirm_enrolment(context, credential=credential, request=body)
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.get(
    "/v1/admin/security/settings",
    dependencies=[requires(Permission.SECURITY_MANAGE)],
    tags=["security"],
)
async def get_security_settings(connection: TenantConnection) -> SecuritySettings:
    """The business's sign-in rules: whether owners must sign in with an authenticator code
    (TOTP)."""
    return await service.get_security_settings(
        repository=SignInRepository.from_connection(connection)
    )


@router.patch(
    "/v1/admin/security/settings",
    dependencies=[requires(Permission.SECURITY_MANAGE)],
    tags=["security"],
)
async def update_security_settings(
    body: SecuritySettingsUpdate, connection: TenantConnection, principal: CurrentPrincipal
) -> SecuritySettings:
    """`owner_totp_required: true` makes owners sign in with an authenticator code; owners
    without one are asked to set it up at their next sign-in (nobody is locked out)."""
    return await service.update_security_settings(
        repository=SignInRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        request=body,
    )


@router.post(
    "/v1/admin/security/totp-enrolment-codes",
    status_code=201,
    dependencies=[requires(Permission.SECURITY_MANAGE)],
    tags=["security"],
    responses=problems(service.StaffNotFound),
)
async def issue_totp_enrolment_code(
    body: EnrolmentCodeRequest, connection: TenantConnection, principal: CurrentPrincipal
) -> EnrolmentCode:
    """An enrolment code for a staff member (an owner of a business that requires TOTP, or
    anyone who lost their authenticator): with it and their password, they set up a new
    authenticator app at sign-in. Shown once; hand it over in person or by phone. Issuing
    another revokes it; it works once, within 24 hours. Audited."""
    return await service.issue_enrolment_code(
        repository=SignInRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        actor=Actor.of(principal),
        staff_id=body.staff_id,
    )
