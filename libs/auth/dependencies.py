"""FastAPI dependency: the verified principal of the current request.

Every app (the gateway and each service) keeps one `RequestAuthenticator` on
`app.state.authenticator`. A person's or a till's request is authenticated only by a
DPoP-bound access token (RFC 9449) and a fresh proof signed by the key the token is bound to:
a stolen token alone opens nothing, at either layer. The one exception is the venue's print
Bridge: an opaque bearer token (`Bearer hpb_…`) that only the gateway and the bridge service
accept, whose principal has the `bridge` role and so reaches the print-job routes only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Request

from libs.api.problems import InvalidDPoPProof, Unauthenticated
from libs.auth.credentials import Kind
from libs.auth.dpop import DPoPVerifier, InvalidProof
from libs.auth.principal import Principal
from libs.auth.spent import SpentTokens, TenantReplayCache
from libs.auth.tokens import InvalidToken, TokenVerifier

logger = logging.getLogger("halopos.auth")


BRIDGE_TOKEN_PREFIX = f"{Kind.BRIDGE_TOKEN.value}_"


class BridgeTokens(Protocol):
    """Verifies a Bridge's opaque token (libs/bridge/tokens.py)."""

    async def verify(self, token: str, *, address: str | None) -> Principal: ...


def bridge_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token.startswith(BRIDGE_TOKEN_PREFIX) else None


def client_address(request: Request) -> str | None:
    """The caller's address: as the gateway saw it (it replaces any client-sent
    X-Forwarded-For), or the peer's when called directly."""
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else None


def dpop_access_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        raise Unauthenticated(
            "Access tokens are bound to a device key: send `Authorization: DPoP <token>` "
            "with a DPoP proof (RFC 9449)."
        )
    if scheme.lower() != "dpop" or not token.strip():
        raise Unauthenticated("Send an access token in the Authorization header.")
    return token.strip()


def single_proof(request: Request) -> str:
    proofs = request.headers.getlist("dpop")
    if len(proofs) != 1:
        raise InvalidDPoPProof("Send exactly one DPoP header, signed for this request.")
    return proofs[0]


def public_request_url(request: Request, public_url: str) -> str:
    """The URL the client addressed, as configured (HALOPOS_PUBLIC_URL), with the path as
    received: a Host header or an internal hop never decides what a proof must name."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if isinstance(raw_path, bytes) else request.url.path
    return public_url.rstrip("/") + path.split("?", 1)[0]


@dataclass(frozen=True)
class RequestAuthenticator:
    tokens: TokenVerifier
    proofs: DPoPVerifier
    spent: SpentTokens
    public_url: str
    # Which layer spends the proof: "gateway" or the service's name. Each layer checks every
    # proof once, so a proof replayed to any layer is refused there.
    layer: str
    # Only the gateway and the bridge service accept Bridge tokens; elsewhere they are 401.
    bridges: BridgeTokens | None = None

    async def authenticate(self, request: Request) -> Principal:
        if (bridge := bridge_token(request)) is not None:
            if self.bridges is None:
                raise Unauthenticated("A bridge token opens the print-job routes only.")
            return await self.bridges.verify(bridge, address=client_address(request))
        token = dpop_access_token(request)
        try:
            principal = await self.tokens.verify(token)
        except InvalidToken as error:
            logger.info("rejected access token: %s", error)
            raise Unauthenticated("The access token is invalid or expired.") from None
        if principal.key_thumbprint is None:
            # Every token the identity service issues is bound (cnf.jkt); an unbound one would
            # be a bearer token that works for whoever holds it.
            raise Unauthenticated("The access token is not bound to a device key.")
        try:
            await self.proofs.verify(
                single_proof(request),
                method=request.method,
                url=public_request_url(request, self.public_url),
                access_token=token,
                expected_thumbprint=principal.key_thumbprint,
                replay_cache=TenantReplayCache(self.spent, principal, f"dpop:{self.layer}"),
            )
        except InvalidProof as error:
            logger.info("rejected DPoP proof: %s", error)
            raise InvalidDPoPProof() from None
        return principal


async def verified_principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    authenticator: RequestAuthenticator = request.app.state.authenticator
    principal = await authenticator.authenticate(request)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(verified_principal)]
