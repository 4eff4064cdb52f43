from __future__ import annotations

from fastapi import APIRouter, Request

from services.identity.keys.schemas import Jwks

router = APIRouter(tags=["keys"])


@router.get("/.well-known/jwks.json")
async def jwks(request: Request) -> Jwks:
    """The public keys that verify access tokens (RFC 7517). Public: no token needed."""
    return Jwks.model_validate(request.app.state.jwks)
