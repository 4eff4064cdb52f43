"""The audit service: reads, verifies, exports and checkpoints the audit log
(docs/audit-chain.md). Every other service appends to the log in its own transactions."""

from __future__ import annotations

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.audit.checkpoints import CheckpointSigner
from libs.auth.access_tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase
from services.audit.checkpoints.router import router as checkpoints_router
from services.audit.checkpoints.scheduler import signing_as_leader
from services.audit.checkpoints.service import CheckpointService
from services.audit.events.router import router as events_router
from services.audit.export.router import router as export_router
from services.audit.review.router import router as review_router
from services.audit.settings import AuditSettings
from services.audit.verification.router import router as verification_router

NAME = "audit"


def signer_from_settings(settings: AuditSettings) -> CheckpointSigner:
    if settings.signing_key_file is None:
        raise RuntimeError("HALOPOS_AUDIT_SIGNING_KEY_FILE is not set")
    return CheckpointSigner.load(settings.signing_key_file)


def create_app(
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    signer: CheckpointSigner | None = None,
    settings: AuditSettings | None = None,
) -> FastAPI:
    settings = settings or AuditSettings()
    checkpoints = CheckpointService(
        signer=signer or signer_from_settings(settings), origin_prefix=settings.origin
    )
    interval = settings.checkpoint_interval

    async def periodic_checkpoints(app: FastAPI) -> None:
        await signing_as_leader(app.state.database, checkpoints, interval)

    app = create_service_app(
        NAME,
        [events_router, verification_router, export_router, checkpoints_router, review_router],
        database=database,
        verifier=verifier,
        background=[periodic_checkpoints] if interval > 0 else [],
    )
    app.state.checkpoints = checkpoints
    return app
