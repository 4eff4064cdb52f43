"""The gateway: the only public ingress.

For each request: find the route in the RBAC route table (unknown routes are 404 here and never
reach a service), verify the access token and check the role's permission, strip hop-by-hop
and internal headers, add a request id, and stream the request to the service and its answer
back. Services verify and check again, so the gateway is a second lock, not the only one.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import StreamingResponse

from gateway.forwarding import HOP_BY_HOP, Forwarder, UpstreamUnavailable, forwarder_from_name
from gateway.openapi import MergedOpenApi
from libs.api.app import default_verifier
from libs.api.logging import configure_logging
from libs.api.problems import Unauthenticated, problem_response
from libs.api.request_context import REQUEST_ID_HEADER, RequestIdMiddleware, current_request_id
from libs.auth.dependencies import bearer_token
from libs.auth.tokens import InvalidToken, TokenVerifier
from libs.config import SERVICES, platform_settings, upstream_url
from libs.rbac.matrix import find_route, is_allowed

logger = logging.getLogger("halopos.gateway")

# Client-sent headers that could impersonate something the platform sets internally.
INTERNAL_HEADER_PREFIXES = ("x-halopos-", "x-forwarded-", "x-real-ip", "forwarded")

# The upstream's Content-Length is kept on responses so small answers are not re-chunked.
# `date` and `server` are set by the gateway's own HTTP server.
RESPONSE_HEADERS_DROPPED = (HOP_BY_HOP - {"content-length"}) | {REQUEST_ID_HEADER, "date", "server"}

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def upstream_headers(request: Request) -> list[tuple[str, str]]:
    headers = [
        (name, value)
        for name, value in request.headers.items()
        if name not in HOP_BY_HOP
        and name != REQUEST_ID_HEADER
        and not name.startswith(INTERNAL_HEADER_PREFIXES)
    ]
    headers.append((REQUEST_ID_HEADER, current_request_id() or ""))
    if request.client:
        headers.append(("x-forwarded-for", request.client.host))
    if "content-length" in request.headers:
        headers.append(("content-length", request.headers["content-length"]))
    return headers


def create_app(
    *,
    verifier: TokenVerifier | None = None,
    forwarder: Forwarder | None = None,
    upstreams: dict[str, str] | None = None,
) -> FastAPI:
    settings = platform_settings()
    if verifier is None:
        configure_logging("gateway", settings.log_level)
    verifier = verifier or default_verifier()
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

    app = FastAPI(
        title="halopos gateway", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    app.add_middleware(RequestIdMiddleware)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "gateway"}

    @app.get("/readyz")
    async def readyz() -> Response:
        down = []
        for name, base in upstreams.items():
            try:
                response = await forwarder.forward("GET", f"{base}/readyz", [], None)
                async for _ in response.body:
                    pass
                if response.status != 200:
                    down.append(name)
            except UpstreamUnavailable:
                down.append(name)
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
            return problem_response(status=404, code="not-found", title="No such resource")
        if route.permission is not None:
            try:
                principal = await verifier.verify(bearer_token(request))
            except Unauthenticated as error:
                return problem_response(
                    status=401, code=error.code, title=error.title, detail=error.detail
                )
            except InvalidToken as error:
                logger.info("rejected access token: %s", error)
                return problem_response(
                    status=401,
                    code="unauthenticated",
                    title="A valid access token is required",
                    detail="The access token is invalid or expired.",
                )
            if not is_allowed(principal.role, route.permission):
                return problem_response(
                    status=403,
                    code="permission-denied",
                    title="Your role does not allow this action",
                    detail=f"The {principal.role} role lacks {route.permission}.",
                )

        url = upstreams[route.service] + request.url.path
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
            return problem_response(
                status=503,
                code="service-unavailable",
                title="The service is temporarily unavailable",
                detail="Nothing was changed by this request unless it reached the service; "
                "retry with the same Idempotency-Key.",
            )
        headers = {
            name: value
            for name, value in upstream.headers
            if name.lower() not in RESPONSE_HEADERS_DROPPED
        }
        return StreamingResponse(upstream.body, status_code=upstream.status, headers=headers)

    return app
