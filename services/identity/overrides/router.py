"""Manager overrides: `POST /v1/auth/overrides` (service.py says what is checked)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.audit.append import AuditLog
from libs.config import platform_settings
from libs.problems import Problem, problems
from libs.rbac import Permission
from libs.tenancy.database import TenantDatabase
from services.identity.overrides import service
from services.identity.overrides.repository import OverrideRepository
from services.identity.overrides.schemas import OverrideGranted, OverrideRequest
from services.identity.overrides.signer import OverrideSigner
from services.identity.sessions.lockout import LockedOut, Lockouts

router = APIRouter(prefix="/v1/auth", tags=["overrides"])


@router.post(
    "/overrides",
    status_code=201,
    dependencies=[requires(Permission.OVERRIDES_REQUEST)],
    responses=problems(service.OverrideNeedsDevice, service.OverrideRefused, LockedOut),
)
async def request_override(
    body: OverrideRequest, request: Request, principal: CurrentPrincipal
) -> OverrideGranted:
    """A manager (or owner) approves one action on one resource at this till with their PIN,
    for a stated amount: `amount_minor` for a refund or a void, `amount_minor` or
    `percent_bps` for a discount (the order's whole discount), none for a force-close.

    The answer is a single-use token, valid for up to 60 seconds, for this device, this
    staff member, this action, this resource and at most this amount: send it as
    `X-Override-Token` with the guarded request (e.g. `POST /v1/orders/{order_id}/void`); a
    request for more is refused (403 `override-amount-exceeded`) and spends nothing. Every
    grant and every refusal is audited with the amount; wrong PINs count towards the
    approver's sign-in lockout."""
    settings = platform_settings()
    signer = OverrideSigner(
        request.app.state.signing_keys[0], settings.jwt_issuer, settings.jwt_audience
    )
    # Not the request's TenantConnection: that commits only when the endpoint returns, and
    # a refusal's audit row and failure count must be committed before it is raised.
    database: TenantDatabase = request.app.state.database
    outcome: OverrideGranted | Problem
    async with database.transaction(principal) as connection:
        outcome = await service.request_override(
            overrides=OverrideRepository.from_connection(connection),
            lockouts=Lockouts(connection),
            audit=AuditLog.from_connection(connection, service="identity"),
            signer=signer,
            principal=principal,
            request=body,
        )
    if isinstance(outcome, Problem):
        raise outcome
    return outcome
