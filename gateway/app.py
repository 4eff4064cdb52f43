"""The gateway: the only public ingress.

For each request: find the route in the RBAC route table (unknown routes are 404 here and never
reach a service), verify the access token and check the role's permission, strip hop-by-hop
and internal headers, add a request id of ours and the gateway's secret, and stream the
request to the service and its answer back. Services verify and check again, so the gateway is
a second lock, not the only one.

Each caller has a bounded share of the upstream connections (gateway/admission.py), and
long-polls have a pool of their own; a long-poll whose client goes away is cancelled upstream,
so the service stops waiting for it too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway import backoffice
from gateway.admission import (
    CONCURRENCY_RETRY_AFTER,
    LONG_POLL_RETRY_AFTER,
    LONG_POLL_ROUTES,
    Admission,
    GatewayLimits,
    InFlight,
    Limit,
    LongPollInProgress,
    LongPollsUnavailable,
    TooManyConcurrentRequests,
    TooManyLongPolls,
)
from gateway.forwarding import (
    LONG_POLL_TIMEOUT_SECONDS,
    Forwarder,
    UpstreamResponse,
    UpstreamUnavailable,
    forwarder_from_name,
    hop_by_hop,
)
from gateway.openapi import MergedOpenApi
from gateway.rate_limit import Rate, TokenBucketLimiter, retry_after_header
from libs.api.app import default_verifier
from libs.api.authentication import RequestAuthenticator
from libs.api.card_guard import refusal_for
from libs.api.logging import configure_logging
from libs.api.observability import AccessLogMiddleware, start_metrics_server
from libs.api.openapi import ResponseRecorder, recording
from libs.api.permissions import ensure_allowed
from libs.api.request_context import (
    CLIENT_REQUEST_ID_HEADER,
    FORWARDING_HEADER_PREFIXES,
    GATEWAY_HEADER,
    REQUEST_ID_HEADER,
    RequestIdMiddleware,
    until_disconnected,
)
from libs.auth.access_tokens import TokenVerifier
from libs.auth.dpop import DPoPVerifier, InMemoryReplayCache
from libs.auth.principal import Principal
from libs.billing.entitlement import Entitlement, EntitlementCache, enforce, read_entitlement
from libs.bridge.token_verifier import BridgeTokenVerifier
from libs.config import SERVICES, platform_settings, service_database_url, upstream_url
from libs.problems import (
    MethodNotAllowed,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    install_problem_handlers,
    problem_response,
)
from libs.rbac.matrix import ROUTES, Route, find_route
from libs.request_ids import current_client_request_id, current_request_id
from libs.tenancy.database import TenantDatabase
from libs.tenancy.outage import OUTAGE

logger = logging.getLogger("halopos.gateway")

# Client-sent headers that could impersonate something the platform sets internally (the
# gateway's secret, forwarded addresses, the client request id): never passed on.
INTERNAL_HEADER_PREFIXES = FORWARDING_HEADER_PREFIXES
# The status an access log records for a long-poll whose client went away (nginx's "client
# closed request"); nobody receives it.
CLIENT_CLOSED_REQUEST = 499

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# Proofs remembered at once: a proof is remembered for its 65 s of validity, so this covers
# about 3,000 requests/s per gateway process. Past it, proofs are passed on unremembered and
# the service behind, which spends every proof in Postgres, refuses any replay among them.
RECENT_PROOFS = 200_000


def upstream_headers(request: Request, *, gateway_secret: str) -> list[tuple[str, str]]:
    """The client's headers, less hop-by-hop and internal ones, plus what only the gateway
    says: our request id, the client's own (if it sent a plain one), the client's address,
    and the secret by which the service knows these came from the gateway."""
    received = request.headers.items()
    dropped = hop_by_hop(received) | {REQUEST_ID_HEADER}
    headers = [
        (name, value)
        for name, value in received
        if name not in dropped and not name.startswith(INTERNAL_HEADER_PREFIXES)
    ]
    headers.append((REQUEST_ID_HEADER, current_request_id() or ""))
    if (client_request_id := current_client_request_id()) is not None:
        headers.append((CLIENT_REQUEST_ID_HEADER, client_request_id))
    if request.client:
        headers.append(("x-forwarded-for", request.client.host))
    if gateway_secret:
        headers.append((GATEWAY_HEADER, gateway_secret))
    if "content-length" in request.headers:
        headers.append(("content-length", request.headers["content-length"]))
    return headers


def downstream_headers(upstream: list[tuple[str, str]]) -> dict[str, str]:
    # The upstream's Content-Length is kept so small answers are not re-chunked; `date` and
    # `server` are the gateway's own server's; the request ids, the gateway's own.
    dropped = (hop_by_hop(upstream) - {"content-length"}) | {
        REQUEST_ID_HEADER,
        CLIENT_REQUEST_ID_HEADER,
        "date",
        "server",
    }
    return {name: value for name, value in upstream if name.lower() not in dropped}


def is_long_poll(request: Request, route: Route) -> bool:
    """A poll that may wait: any `wait` but a plain 0 (the service reads the same query)."""
    if (route.method, route.path) not in LONG_POLL_ROUTES:
        return False
    return any(value.strip() not in ("", "0") for value in request.query_params.getlist("wait"))


class ForwardedResponse(StreamingResponse):
    """The service's answer, streamed; when it is done (sent, failed or cancelled), the
    upstream connection goes back and the caller's place is given up."""

    def __init__(self, upstream: UpstreamResponse, admission: Admission) -> None:
        super().__init__(
            upstream.body, status_code=upstream.status, headers=downstream_headers(upstream.headers)
        )
        self._upstream = upstream
        self._admission = admission

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._admission.release()
            await self._upstream.close()


async def unless_client_leaves(
    request: Request, forwarding: asyncio.Future[UpstreamResponse]
) -> UpstreamResponse | None:
    """The upstream's answer, or None if the client went away first: the upstream request is
    then cancelled (its connection closed), so the service sees its client go too."""
    gone = asyncio.ensure_future(until_disconnected(request.receive))
    try:
        waiting: list[asyncio.Future[Any]] = [forwarding, gone]
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        # This request itself is being cancelled: an answer that arrived meanwhile is let go.
        gone.cancel()
        forwarding.cancel()
        await asyncio.gather(forwarding, gone, return_exceptions=True)
        if not forwarding.cancelled() and forwarding.exception() is None:
            await forwarding.result().close()
        raise
    gone.cancel()
    if not forwarding.done():
        forwarding.cancel()
    await asyncio.gather(forwarding, gone, return_exceptions=True)
    if forwarding.cancelled():
        return None
    return forwarding.result()


def allowed_methods(path: str) -> list[str]:
    """The methods some route answers at this path (HEAD wherever GET is)."""
    methods = {route.method for route in ROUTES if route.pattern.match(path)}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def method_not_allowed(method: str, allowed: list[str]) -> Response:
    """A known path asked with a method it does not answer: 405 with Allow (RFC 9110
    section 15.5.6), not a 404 that would say the path does not exist."""
    response = problem_response(
        status=MethodNotAllowed.status,
        code=MethodNotAllowed.code,
        title=MethodNotAllowed.title,
        detail=f"{method} is not answered here; Allow lists what is.",
    )
    response.headers["Allow"] = ", ".join(allowed)
    return response


def limit(limiter: TokenBucketLimiter | None, key: str) -> None:
    if limiter is not None and (wait := limiter.acquire(key)) is not None:
        raise RateLimited(retry_after=retry_after_header(wait))


def create_app(
    *,
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    public_url: str | None = None,
    forwarder: Forwarder | None = None,
    upstreams: dict[str, str] | None = None,
    rate_per_address: Rate | None = None,
    rate_per_principal: Rate | None = None,
    long_poll_forwarder: Forwarder | None = None,
    limits: GatewayLimits | None = None,
    gateway_secret: str | None = None,
    backoffice_dir: str | None = None,
    pos_dir: str | None = None,
) -> FastAPI:
    """With no arguments, reads its settings from the environment (`uvicorn --factory`).

    The database is the gateway's own login (HALOPOS_GATEWAY_DATABASE_URL), used only to read
    Bridge tokens' digests and the tenant's subscription status (entitlement). DPoP proofs
    cost it no database work: it refuses the replays it has seen itself, from memory, and
    the service behind it spends every proof in the ledger all instances share.

    `limits` bound each caller's requests in flight (gateway/admission.py); `gateway_secret`
    (by default HALOPOS_GATEWAY_SECRET, read per request) goes with every forwarded request;
    `backoffice_dir` (by default HALOPOS_BACKOFFICE_DIR) holds the backoffice's built files,
    `pos_dir` (by default HALOPOS_POS_DIR) the till's."""
    settings = platform_settings()
    own_process = database is None
    if own_process:
        rate_per_address = Rate.parse(settings.gateway_rate_per_address)
        rate_per_principal = Rate.parse(settings.gateway_rate_per_principal)
    address_limiter = TokenBucketLimiter(rate_per_address) if rate_per_address else None
    principal_limiter = TokenBucketLimiter(rate_per_principal) if rate_per_principal else None
    if own_process:
        configure_logging("gateway", settings.log_level)
        start_metrics_server()
    owns_database = database is None
    database = database or TenantDatabase(service_database_url("gateway"))
    # A Bridge's token is checked here too (read-only), so a rotated or revoked one stops at
    # the door and a valid one reaches the print-job routes and nothing else.
    authenticator = RequestAuthenticator(
        tokens=verifier or default_verifier(),
        proofs=DPoPVerifier(),
        public_url=public_url or settings.public_url,
        layer="gateway",
        recent=InMemoryReplayCache(max_entries=RECENT_PROOFS, admit_when_full=True),
        bridges=BridgeTokenVerifier(database),
    )

    async def read_entitlement_of(principal: Principal) -> Entitlement:
        async with database.transaction(principal) as connection:
            return await read_entitlement(connection)

    # The tenant's subscription: a read-only one stops new sales here, and again at the service.
    entitlements = EntitlementCache(read_entitlement_of)
    limits = limits or GatewayLimits.from_settings(settings)
    client = os.environ.get("HALOPOS_GATEWAY_CLIENT", "aiohttp")
    forwarder = forwarder or forwarder_from_name(client, connections=limits.upstream_connections)
    # Long-polls wait on their own connections: a venue's Bridges holding theirs all day
    # never leave ordinary requests without one.
    long_poll_forwarder = long_poll_forwarder or forwarder_from_name(
        client,
        connections=limits.long_poll_connections,
        timeout_seconds=LONG_POLL_TIMEOUT_SECONDS,
    )
    in_flight = InFlight()
    if not (gateway_secret if gateway_secret is not None else settings.gateway_secret):
        logger.warning(
            "HALOPOS_GATEWAY_SECRET is not set: services will take no forwarded address or "
            "request id from this gateway"
        )

    def secret() -> str:
        return gateway_secret if gateway_secret is not None else platform_settings().gateway_secret

    def admit_long_poll(principal: Principal) -> Admission:
        tenant = principal.tenant_id
        return in_flight.admit(
            [
                Limit(
                    f"long-poll:principal:{tenant}:{principal.subject}",
                    1,
                    LongPollInProgress,
                    LONG_POLL_RETRY_AFTER,
                ),
                Limit(
                    f"long-poll:location:{tenant}:{principal.location_id}",
                    limits.long_polls_per_location,
                    TooManyLongPolls,
                    LONG_POLL_RETRY_AFTER,
                ),
                Limit(
                    f"long-poll:tenant:{tenant}",
                    limits.long_polls_per_tenant,
                    TooManyLongPolls,
                    LONG_POLL_RETRY_AFTER,
                ),
                Limit(
                    "long-poll",
                    limits.long_poll_connections,
                    LongPollsUnavailable,
                    LONG_POLL_RETRY_AFTER,
                ),
            ]
        )

    def admit_ordinary(principal: Principal | None, address: str) -> Admission:
        caller = f"tenant:{principal.tenant_id}" if principal else f"address:{address}"
        return in_flight.admit(
            [
                Limit(
                    f"ordinary:{caller}",
                    limits.concurrency_per_tenant,
                    TooManyConcurrentRequests,
                    CONCURRENCY_RETRY_AFTER,
                )
            ]
        )

    upstreams = upstreams or {spec.name: upstream_url(spec.name) for spec in SERVICES}

    async def fetch_openapi(service: str) -> dict[str, Any] | None:
        try:
            response = await forwarder.forward(
                "GET", f"{upstreams[service]}/openapi.json", [], None
            )
            body = b"".join([chunk async for chunk in response.body])
        except UpstreamUnavailable:
            logger.warning("openapi of %s unavailable", service)
            return None
        return json.loads(body) if response.status == 200 else None

    openapi = MergedOpenApi(
        [spec.name for spec in SERVICES],
        fetch_openapi,
        public_url=public_url or settings.public_url,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await forwarder.start()
        await long_poll_forwarder.start()
        yield
        await long_poll_forwarder.close()
        await forwarder.close()
        if owns_database:
            await database.dispose()

    app = FastAPI(
        title="halopos gateway", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    app.state.authenticator = authenticator
    app.state.in_flight = in_flight
    app.add_middleware(AccessLogMiddleware, service="gateway")
    # The edge: every request id is ours; a client's own is kept apart.
    app.add_middleware(RequestIdMiddleware, edge=True)
    if (record := recording()) is not None:
        # Tests only: what the gateway sends, held to the document (libs/api/openapi.py).
        app.add_middleware(ResponseRecorder, record=record, problems_only=True)
    # Its own database (Bridge tokens, spent proofs) out of reach: 503 database-unavailable.
    install_problem_handlers(app, [OUTAGE])

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "gateway"}

    @app.get("/readyz")
    async def readyz() -> Response:
        async def ready(base: str) -> bool:
            try:
                response = await forwarder.forward("GET", f"{base}/readyz", [], None)
                async for _ in response.body:
                    pass
            except UpstreamUnavailable:
                return False
            return response.status == 200

        answers = await asyncio.gather(*(ready(base) for base in upstreams.values()))
        down = [name for name, ok in zip(upstreams, answers, strict=True) if not ok]
        if down:
            return problem_response(
                status=503, code="not-ready", title="Services not ready", services=down
            )
        return Response(b'{"status":"ready","service":"gateway"}', media_type="application/json")

    @app.get("/openapi.json")
    async def merged_openapi() -> Response:
        return Response(await openapi.document(), media_type="application/json")

    # The backoffice's and the till's pages and files, with their security headers (before the
    # API's routes).
    backoffice.install(
        app,
        folder=backoffice_dir if backoffice_dir is not None else settings.backoffice_dir,
        public_url=public_url or settings.public_url,
    )
    backoffice.install(
        app,
        folder=pos_dir if pos_dir is not None else settings.pos_dir,
        public_url=public_url or settings.public_url,
        prefix=backoffice.POS_PREFIX,
        build="make pos",
    )

    @app.api_route("/{path:path}", methods=METHODS, include_in_schema=False)
    async def forward(request: Request, path: str) -> Response:
        # The services refuse card data and U+0000 anywhere in a request before any handler;
        # the gateway cannot read a body it streams, but it spends proofs and logs before any
        # service sees the request, so it asks the same of the headers, query and path first.
        refusal = refusal_for(
            headers=request.scope["headers"],
            query_string=request.scope.get("query_string", b""),
            path=request.url.path,
            body=b"",
        )
        if refusal is not None:
            return problem_response(
                status=422, code=refusal.code, title=refusal.title, detail=refusal.detail
            )
        # Dot segments could be normalised differently further on; no route contains one.
        dot_segment = any(part in (".", "..") for part in request.url.path.split("/"))
        route = None if dot_segment else find_route(request.method, request.url.path)
        if route is None:
            allowed = [] if dot_segment else allowed_methods(request.url.path)
            if allowed:
                return method_not_allowed(request.method, allowed)
            raise NotFound()
        request.state.route_template = route.path  # the access log's and metrics' label
        address = request.client.host if request.client else "unknown"
        limit(address_limiter, f"address:{address}")
        principal: Principal | None = None
        if route.permission is not None:
            principal = await authenticator.authenticate(request)
            limit(principal_limiter, f"principal:{principal.tenant_id}:{principal.subject}")
            ensure_allowed(principal, route.permission)
            # A retry with an Idempotency-Key may be of a request answered before the
            # subscription lapsed: the service replays its first answer, or refuses it as this
            # would (libs/api/tenant_connection.py).
            if not route.served_read_only and "idempotency-key" not in request.headers:
                enforce(await entitlements.of(principal), request.scope)

        # The path exactly as received: the service checks the same DPoP proof against it.
        raw_path = request.scope.get("raw_path")
        path = raw_path.decode("latin-1") if isinstance(raw_path, bytes) else request.url.path
        url = upstreams[route.service] + path
        if request.url.query:
            url += "?" + request.url.query
        has_body = request.headers.get("content-length", "0") != "0" or (
            "transfer-encoding" in request.headers
        )
        long_poll = principal is not None and is_long_poll(request, route)
        if long_poll:
            assert principal is not None
            admission = admit_long_poll(principal)
        else:
            admission = admit_ordinary(principal, address)
        handed_over = False
        try:
            forwarding = (long_poll_forwarder if long_poll else forwarder).forward(
                request.method,
                url,
                upstream_headers(request, gateway_secret=secret()),
                request.stream() if has_body else None,
            )
            if long_poll:
                upstream = await unless_client_leaves(request, asyncio.ensure_future(forwarding))
                if upstream is None:
                    return Response(status_code=CLIENT_CLOSED_REQUEST)
            else:
                upstream = await forwarding
            handed_over = True
            return ForwardedResponse(upstream, admission)
        except UpstreamUnavailable as error:
            logger.warning("upstream %s unavailable: %s", route.service, error)
            raise ServiceUnavailable(
                "Nothing was changed by this request unless it reached the service; "
                "retry with the same Idempotency-Key."
            ) from None
        finally:
            if not handed_over:
                admission.release()

    return app
