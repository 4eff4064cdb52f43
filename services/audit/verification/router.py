from __future__ import annotations

from fastapi import APIRouter, Request
from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires

from libs.rbac import Permission
from libs.tenancy import TenantDatabase
from services.audit.checkpoints.service import CheckpointService
from services.audit.verification.schemas import ChainBreakOut, VerificationOut
from services.audit.verification.service import verify_log

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("/verify", dependencies=[requires(Permission.AUDIT_READ)])
async def verify(request: Request, principal: CurrentPrincipal) -> VerificationOut:
    """Recompute the tenant's whole chain (one database snapshot) and report the first break:
    a changed, missing, inserted or reordered entry, a head or a signed checkpoint the log no
    longer agrees with. A broken chain is a finding, not an error: the answer is 200."""
    database: TenantDatabase = request.app.state.database
    checkpoints: CheckpointService = request.app.state.checkpoints
    async with database.snapshot(principal) as connection:
        result = await verify_log(
            connection,
            tenant_id=principal.tenant_id,
            signer=checkpoints.signer,
            origin=checkpoints.origin(principal.tenant_id),
        )
    broken = result.first_break
    return VerificationOut(
        valid=broken is None,
        entries=result.entries,
        head_hash=result.head_hash.hex(),
        checkpoints_checked=result.checkpoints_checked,
        first_break=ChainBreakOut(seq=broken.seq, reason=broken.reason) if broken else None,
    )
