"""FastAPI dependency: the verified principal of the current request.

Every app (the gateway and each service) keeps one `RequestAuthenticator` on
`app.state.authenticator`. A person's or a till's request is authenticated only by a
DPoP-bound access token (RFC 9449) and a fresh proof signed by the key the token is bound to:
a stolen token alone opens nothing, at either layer. The one exception is the venue's print
Bridge: an opaque bearer token (`Bearer hpb_…`) that only the gateway and the bridge service
accept, whose principal has the `bridge` role and so reaches the print-job routes only.

Every proof is single-use, and a service spends each one it accepts exactly once in the
shared Postgres ledger (libs/auth/spent.py, namespace `dpop`), with no commit of its own where
the request has a transaction to carry it:
- a route that opens the request's tenant transaction (`TenantConnection`) spends it as that
  transaction's first statement, so it commits with the request's writes; a replay is refused
  there and nothing else runs;
- any other route (read-only snapshots, the offline sync that runs its own transactions)
  spends it in a short transaction before its handler runs;
- a request that fails after the proof was accepted (the transaction rolled back, or a check
  refused it before the transaction opened) spends it in a short transaction before its answer
  is sent: DPoP does not bind the body, so the proof of a failed request must not be left for
  a replay with another one.
Which of the first two applies is read from the route's dependencies (`spends_proof_in_
transaction`), not left to each handler. The gateway writes nothing: it refuses the proofs it
has seen itself, from a bounded memory, and the service behind it is the durable authority.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.request_context import from_gateway
from libs.auth.access_tokens import InvalidToken, TokenVerifier
from libs.auth.dpop import (
    REPLAYED,
    REPLAYED_CHECK,
    DPoPVerifier,
    InvalidProof,
    ReplayCache,
    VerifiedProof,
)
from libs.auth.opaque_credentials import Kind
from libs.auth.principal import Principal
from libs.auth.spent import ProofSpend, SpentTokens
from libs.problems import InvalidDPoPProof, Unauthenticated

logger = logging.getLogger("halopos.auth")


BRIDGE_TOKEN_PREFIX = f"{Kind.BRIDGE_TOKEN.value}_"


class BridgeTokens(Protocol):
    """Verifies a Bridge's opaque token (libs/bridge/token_verifier.py)."""

    async def verify(self, token: str, *, address: str | None) -> Principal: ...


def bridge_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token.startswith(BRIDGE_TOKEN_PREFIX) else None


def client_address(request: Request) -> str | None:
    """The caller's address: as the gateway saw it, when the request proved it came from the
    gateway (its shared secret: libs/api/request_context.py; the gateway replaces any
    client-sent X-Forwarded-For), else the peer's. A direct caller cannot choose it."""
    if from_gateway(request.scope):
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
        raise InvalidDPoPProof(
            "Send exactly one DPoP header, signed for this request.", check="missing"
        )
    return proofs[0]


def public_request_url(request: Request, public_url: str) -> str:
    """The URL the client addressed, as configured (HALOPOS_PUBLIC_URL), with the path as
    received: a Host header or an internal hop never decides what a proof must name."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if isinstance(raw_path, bytes) else request.url.path
    return public_url.rstrip("/") + path.split("?", 1)[0]


# --- which routes spend the proof in their transaction --------------------------------------

_SPENDS_IN_TRANSACTION: set[Callable[..., Any]] = set()
Dependency = TypeVar("Dependency", bound=Callable[..., Any])


def spends_proof_in_transaction(dependency: Dependency) -> Dependency:
    """Marks a dependency that opens the request's transaction and calls
    `spend_request_proof` as its first statement: the proof of a request whose route depends
    on it (directly or not) waits for that transaction instead of being spent up front."""
    _SPENDS_IN_TRANSACTION.add(dependency)
    return dependency


def _depends_on_transaction(dependant: Dependant) -> bool:
    return dependant.call in _SPENDS_IN_TRANSACTION or any(
        _depends_on_transaction(sub) for sub in dependant.dependencies
    )


# By route identity; the route is kept so that its id is never reused for another.
_ROUTES: dict[int, tuple[object, bool]] = {}


def route_spends_in_transaction(route: object) -> bool:
    """Whether this route opens a transaction that spends the request's proof. FastAPI solves
    every dependency before the handler runs, so such a transaction is open before it."""
    known = _ROUTES.get(id(route))
    if known is not None and known[0] is route:
        return known[1]
    dependant = getattr(route, "dependant", None)
    answer = isinstance(dependant, Dependant) and _depends_on_transaction(dependant)
    _ROUTES[id(route)] = (route, answer)
    return answer


def _proof_spend(request: Request) -> ProofSpend | None:
    spend = getattr(request.state, "proof_spend", None)
    return spend if isinstance(spend, ProofSpend) and not spend.settled else None


async def spend_request_proof(request: Request, connection: AsyncConnection) -> None:
    """The request transaction's first statement: spend the request's proof in it. A replay
    is refused (401) before anything else runs; call `request_transaction_committed` once the
    transaction has committed."""
    spend = _proof_spend(request)
    if spend is not None and not await spend.spend_in(connection):
        logger.info("rejected DPoP proof: %s", REPLAYED)
        raise InvalidDPoPProof(check=REPLAYED_CHECK)


def request_transaction_committed(request: Request) -> None:
    if (spend := _proof_spend(request)) is not None:
        spend.committed()


async def _spend_if_unspent(request: Request) -> bool:
    """Whatever became of the request, its proof is spent before the answer goes out. False
    when that finds it spent already and this request never held it: it was a replay."""
    spend = _proof_spend(request)
    if spend is None:
        return True
    return await spend.spend_alone() or spend.written


# --- authentication -------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestAuthenticator:
    tokens: TokenVerifier
    proofs: DPoPVerifier
    public_url: str
    # Which layer this is: "gateway" or the service's name.
    layer: str
    # Where a service spends the proofs it accepts: the ledger every instance shares.
    spent: SpentTokens | None = None
    # The gateway's instead: a memory of the proofs it passed on, so that it refuses the
    # replays it sees itself; the services behind it spend every proof durably.
    recent: ReplayCache | None = None
    # Only the gateway and the bridge service accept Bridge tokens; elsewhere they are 401.
    bridges: BridgeTokens | None = None

    def __post_init__(self) -> None:
        if (self.spent is None) == (self.recent is None):
            raise ValueError("a layer spends proofs in the ledger, or (the gateway) remembers them")

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
            proof = self.proofs.check(
                single_proof(request),
                method=request.method,
                url=public_request_url(request, self.public_url),
                access_token=token,
                expected_thumbprint=principal.key_thumbprint,
            )
            await self._spend(request, principal, proof)
        except InvalidProof as error:
            logger.info("rejected DPoP proof: %s", error)
            raise InvalidDPoPProof(check=error.check) from None
        return principal

    async def _spend(self, request: Request, principal: Principal, proof: VerifiedProof) -> None:
        if self.recent is not None:
            if not await self.recent.first_use(proof.jti, proof.key_thumbprint, proof.expires_at):
                raise InvalidProof(REPLAYED_CHECK, REPLAYED)
            return
        assert self.spent is not None  # __post_init__
        spend = ProofSpend(self.spent, principal, proof)
        request.state.proof_spend = spend
        in_transaction = route_spends_in_transaction(request.scope.get("route"))
        if not in_transaction and not await spend.spend_alone():
            raise InvalidProof(REPLAYED_CHECK, REPLAYED)


async def verified_principal(request: Request) -> AsyncIterator[Principal]:
    """The service's dependency. Function-scoped: what follows the `yield` runs before the
    answer is sent, whether the request succeeded or failed."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        yield cached
        return
    authenticator: RequestAuthenticator = request.app.state.authenticator
    principal = await authenticator.authenticate(request)
    request.state.principal = principal
    try:
        yield principal
    except Exception:
        # The request failed before its proof was spent for good: spend it now. If that
        # finds it spent by another request, this one was a replay (refused before its
        # transaction opened, by a permission check say), and its answer says so.
        if not await _spend_if_unspent(request):
            logger.info("rejected DPoP proof: %s", REPLAYED)
            raise InvalidDPoPProof(check=REPLAYED_CHECK) from None
        raise
    finally:
        await _spend_if_unspent(request)  # cancelled; or a route that forgot its spend


CurrentPrincipal = Annotated[Principal, Depends(verified_principal, scope="function")]
