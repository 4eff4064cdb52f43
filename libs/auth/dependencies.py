"""FastAPI dependency: the verified principal of the current request.

Every app (gateway and services) keeps one `TokenVerifier` on `app.state.token_verifier`.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request

from libs.api.problems import Unauthenticated
from libs.auth.principal import Principal
from libs.auth.tokens import InvalidToken, TokenVerifier

logger = logging.getLogger("halopos.auth")


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "dpop":
        # RFC 9449 proofs are verified once device sessions exist (libs/auth/dpop.py); until
        # then no token is DPoP-bound, and a DPoP request is refused rather than half-checked.
        raise Unauthenticated("DPoP-bound access tokens are not accepted yet.")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Send an access token in the Authorization header.")
    return token.strip()


async def verified_principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        principal = await verifier.verify(bearer_token(request))
    except InvalidToken as error:
        logger.info("rejected access token: %s", error)
        raise Unauthenticated("The access token is invalid or expired.") from None
    if principal.key_thumbprint is not None:
        # A token bound to a device key (cnf.jkt) is worthless without that key's proof: never
        # accept it as a plain bearer token (RFC 9449 section 7.2).
        raise Unauthenticated("This access token is bound to a device key; send a DPoP proof.")
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(verified_principal)]
