from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter(tags=["keys"])


@router.get("/.well-known/jwks.json")
async def jwks(request: Request) -> dict[str, Any]:
    """The public keys that verify access tokens (RFC 7517). Public: no token needed."""
    document: dict[str, Any] = request.app.state.jwks
    return document
