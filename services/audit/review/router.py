"""What an owner hands to a reviewer: instructions naming the tenant's log and key, and the
standalone verifier itself."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.openapi import binary, sends
from libs.api.permissions import requires
from libs.config import platform_settings
from libs.problems import merge_responses
from libs.rbac import Permission
from services.audit.checkpoints.schemas import PublicKeyOut
from services.audit.checkpoints.service import CheckpointService
from services.audit.review.bundle import file_name, reviewer_bundle

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


@router.get(
    "/reviewer-bundle",
    dependencies=[requires(Permission.AUDIT_READ)],
    response_class=Response,
    responses=merge_responses(
        binary(
            "application/zip",
            "A ZIP holding one folder: audit.jsonl, checkpoints.json, public-key.json, "
            "verifier-key.txt, verify_audit.py and README.md",
        ),
        sends("Content-Disposition"),
    ),
)
async def reviewer_bundle_download(
    request: Request, principal: CurrentPrincipal
) -> StreamingResponse:
    """Everything a reviewer needs in one download, read from one snapshot of the log: the
    export, every signed checkpoint, the public key, the verifier script and a README saying
    how to run it (docs/audit-chain.md, "The reviewer's bundle"). Streamed as it is read."""
    checkpoints: CheckpointService = request.app.state.checkpoints
    key = PublicKeyOut.of(checkpoints, principal.tenant_id)
    at = datetime.now(UTC)
    folder = file_name(principal, at)
    return StreamingResponse(
        reviewer_bundle(
            request.app.state.database, principal, public_key=key, folder=folder, at=at
        ),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{folder}.zip"'},
    )
