"""Which key a sign-in request proves, whether or not the business it names exists.

For a business that exists, the proof is checked and its jti spent in the request's own
transaction (`services.identity.sessions.proof.proven_key`). For one that does not, the
proof is checked just the same, so a bad proof gets the same answer either way and the
answer does not tell which business ids exist; its jti is not recorded, because the ledger's
rows reference the tenant registry, and there is nothing to replay against anyway: such a
request can only ever fail.
"""

from __future__ import annotations

import logging

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.problems import InvalidDPoPProof
from libs.auth.dependencies import RequestAuthenticator, public_request_url, single_proof
from libs.auth.dpop import InvalidProof
from services.identity.sessions.proof import proven_key

logger = logging.getLogger("halopos.identity")


class _NothingToProtect:
    """A replay cache for a business that does not exist: every request to it fails."""

    async def first_use(self, jti: str, key_thumbprint: str, expires_at: float) -> bool:
        return True


async def caller_key(
    request: Request, connection: AsyncConnection, *, business_exists: bool
) -> str:
    """The RFC 7638 thumbprint of the key that signed this request's DPoP proof."""
    if business_exists:
        return await proven_key(request, connection)
    authenticator: RequestAuthenticator = request.app.state.authenticator
    try:
        return await authenticator.proofs.verify(
            single_proof(request),
            method=request.method,
            url=public_request_url(request, authenticator.public_url),
            access_token=None,
            expected_thumbprint=None,
            replay_cache=_NothingToProtect(),
        )
    except InvalidProof as error:
        logger.info("rejected DPoP proof at sign-in: %s", error)
        raise InvalidDPoPProof() from None
