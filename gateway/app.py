"""The gateway: the only public ingress.

For each request: find the route in the RBAC route table (unknown routes are 404 here and never
reach a service), verify the access token and check the role's permission, strip hop-by-hop
and internal headers, add a request id, and stream the request to the service and its answer
back. Services verify and check again, so the gateway is a second lock, not the only one.
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

from gateway.forwarding import Forwarder, UpstreamUnavailable, forwarder_from_name, hop_by_hop
from gateway.openapi import MergedOpenApi
from gateway.rate_limit import Rate, TokenBucketLimiter, retry_after_header
from libs.api.app import default_verifier
from libs.api.logging import configure_logging
from libs.api.observability import AccessLogMiddleware, start_metrics_server
from libs.api.problems import (
    NotFound,
    RateLimited,
    ServiceUnavailable,
    install_problem_handlers,
    problem_response,
)
from libs.api.request_context import REQUEST_ID_HEADER, RequestIdMiddleware, current_request_id
from libs.auth.dependencies import RequestAuthenticator
from libs.auth.dpop import DPoPVerifier, InMemoryReplayCache
from libs.auth.principal import Principal
from libs.auth.tokens import TokenVerifier
from libs.billing.entitlement import Entitlement, EntitlementCache, enforce, read_entitlement
from libs.bridge.tokens import BridgeTokenVerifier
from libs.config import SERVICES, platform_settings, service_database_url, upstream_url
from libs.rbac.guard import ensure_allowed
from libs.rbac.matrix import find_route
from libs.tenancy.database import TenantDatabase

logger = logging.getLogger("halopos.gateway")

# Client-sent headers that could impersonate something the platform sets internally.
INTERNAL_HEADER_PREFIXES = ("x-halopos-", "x-forwarded-", "x-real-ip", "forwarded")

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# Proofs remembered at once: a proof is remembered for its 65 s of validity, so this covers
# about 3,000 requests/s per gateway process. Past it, proofs are passed on unremembered and
# the service behind, which spends every proof in Postgres, refuses any replay among them.
RECENT_PROOFS = 200_000


def upstream_headers(request: Request) -> list[tuple[str, str]]:
    received = request.headers.items()
    dropped = hop_by_hop(received) | {REQUEST_ID_HEADER}
    headers = [
        (name, value)
        for name, value in received
        if name not in dropped and not name.startswith(INTERNAL_HEADER_PREFIXES)
    ]
    headers.append((REQUEST_ID_HEADER, current_request_id() or ""))
    if request.client:
        headers.append(("x-forwarded-for", request.client.host))
    if "content-length" in request.headers:
        headers.append(("content-length", request.headers["content-length"]))
    return headers


def downstream_headers(upstream: list[tuple[str, str]]) -> dict[str, str]:
    # The upstream's Content-Length is kept so small answers are not re-chunked; `date` and
    # `server` are the gateway's own server's.
    dropped = (hop_by_hop(upstream) - {"content-length"}) | {REQUEST_ID_HEADER, "date", "server"}
    return {name: value for name, value in upstream if name.lower() not in dropped}


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
) -> FastAPI:
    """With no arguments, reads its settings from the environment (`uvicorn --factory`).

    The database is the gateway's own login (HALOPOS_GATEWAY_DATABASE_URL), used only to read
    Bridge tokens' digests and the tenant's subscription status (entitlement). DPoP proofs
    cost it no database work: it refuses the replays it has seen itself, from memory, and
    the service behind it spends every proof in the ledger all instances share."""
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
    forwarder = forwarder or forwarder_from_name(
        os.environ.get("HALOPOS_GATEWAY_CLIENT", "aiohttp")
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

    openapi = MergedOpenApi([spec.name for spec in SERVICES], fetch_openapi)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await forwarder.start()
        yield
        await forwarder.close()
        if owns_database:
            await database.dispose()

    app = FastAPI(
        title="halopos gateway", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    app.state.authenticator = authenticator
    app.add_middleware(AccessLogMiddleware, service="gateway")
    app.add_middleware(RequestIdMiddleware)
    install_problem_handlers(app)

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

    @app.api_route("/{path:path}", methods=METHODS, include_in_schema=False)
    async def forward(request: Request, path: str) -> Response:
        # Dot segments could be normalised differently further on; no route contains one.
        dot_segment = any(part in (".", "..") for part in request.url.path.split("/"))
        route = None if dot_segment else find_route(request.method, request.url.path)
        if route is None:
            raise NotFound()
        request.state.route_template = route.path  # the access log's and metrics' label
        address = request.client.host if request.client else "unknown"
        limit(address_limiter, f"address:{address}")
        if route.permission is not None:
            principal = await authenticator.authenticate(request)
            limit(principal_limiter, f"principal:{principal.tenant_id}:{principal.subject}")
            ensure_allowed(principal, route.permission)
            # A retry with an Idempotency-Key may be of a request answered before the
            # subscription lapsed: the service replays its first answer, or refuses it as this
            # would (libs/tenancy/dependencies.py).
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
        try:
            upstream = await forwarder.forward(
                request.method,
                url,
                upstream_headers(request),
                request.stream() if has_body else None,
            )
        except UpstreamUnavailable as error:
            logger.warning("upstream %s unavailable: %s", route.service, error)
            raise ServiceUnavailable(
                "Nothing was changed by this request unless it reached the service; "
                "retry with the same Idempotency-Key."
            ) from None
        return StreamingResponse(
            upstream.body, status_code=upstream.status, headers=downstream_headers(upstream.headers)
        )

    return app
