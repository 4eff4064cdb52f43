"""What an owner hands to a reviewer: instructions naming the tenant's log and key, and the
standalone verifier itself."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.openapi import binary, sends
from libs.api.permissions import requires
from libs.config import platform_settings
from libs.problems import merge_responses
from libs.rbac import Permission
from services.audit.checkpoints.service import CheckpointService

router = APIRouter(prefix="/v1/audit", tags=["audit"])

INSTRUCTIONS = (Path(__file__).parent / "instructions.md").read_text()
VERIFIER = Path(__file__).resolve().parents[3] / "tools" / "verify_audit.py"


@router.get(
    "/verifier",
    dependencies=[requires(Permission.AUDIT_READ)],
    response_class=Response,
    responses=merge_responses(
        binary("text/markdown", "Markdown: how to check this business's log"),
        sends("Content-Disposition"),
    ),
)
async def verifier_instructions(request: Request, principal: CurrentPrincipal) -> PlainTextResponse:
    """How to check this tenant's log with the standalone verifier (Markdown)."""
    checkpoints: CheckpointService = request.app.state.checkpoints
    text = INSTRUCTIONS.format(
        origin=checkpoints.origin(principal.tenant_id),
        verifier_key=checkpoints.verifier_key(principal.tenant_id),
        public_url=platform_settings().public_url,
    )
    return PlainTextResponse(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="checking-the-audit-log.md"'},
    )


@router.get(
    "/verifier/script",
    dependencies=[requires(Permission.AUDIT_READ)],
    response_class=Response,
    responses=merge_responses(
        binary("text/x-python", "The verifier, a Python script (tools/verify_audit.py)"),
        sends("Content-Disposition"),
    ),
)
async def verifier_script() -> PlainTextResponse:
    """tools/verify_audit.py: the standard library and `cryptography`, nothing else."""
    return PlainTextResponse(
        VERIFIER.read_text(),
        media_type="text/x-python; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="verify_audit.py"'},
    )
