"""The shape every service app shares: problem responses, request ids, health, auth, database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import text

from libs.api import json_schema
from libs.api.authentication import BridgeTokens, RequestAuthenticator
from libs.api.card_guard import CardDataGuard
from libs.api.logging import configure_logging
from libs.api.observability import AccessLogMiddleware, start_metrics_server
from libs.api.openapi import (
    ResponseRecorder,
    declare_shared_responses,
    install_openapi,
    recording,
)
from libs.api.request_context import RequestIdMiddleware
from libs.auth.access_tokens import TokenVerifier
from libs.auth.dpop import DPoPVerifier
from libs.auth.keys import RemoteKeySource
from libs.auth.spent import SpentTokens
from libs.billing.entitlement import GraceHeaderMiddleware
from libs.config import platform_settings, service_database_url
from libs.problems import install_problem_handlers, problem_response
from libs.tenancy.database import TenantDatabase
from libs.tenancy.outage import OUTAGE

# /readyz gives the database this long to answer `SELECT 1`: a probe must answer quickly,
# and a database slower than this is as good as down for a till waiting on a sale.
READINESS_TIMEOUT_SECONDS = 2.0
# How long a service keeps an idle keep-alive connection open (uvicorn's default is 5 s). It
# must outlast the gateway's own idle time for a pooled connection (gateway/forwarding.py's
# IDLE_SECONDS): the side that reuses a connection must be the one that gives it up first, or
# a request sent just as the service closes it fails with "connection reset".
KEEP_ALIVE_SECONDS = 75


def operation_id(route: APIRoute) -> str:
    """`<group>.<handler>`, e.g. `orders.open_order`, `menu.set_menu_item_location_price`: the
    names a generated client's functions take, so they read as what they do and stay put when
    a path's parameters are renamed (FastAPI's default spells out the path and method). The
    group is the route's first tag; tests/gateway/test_operation_ids.py holds them unique."""
    group = str(route.tags[0]) if route.tags else route.path.strip("/").split("/")[0]
    return f"{_identifier(group)}.{_identifier(route.name)}"


def _identifier(name: str) -> str:
    return name.replace(" ", "_").replace("-", "_")


def default_verifier() -> TokenVerifier:
    settings = platform_settings()
    return TokenVerifier(
        keys=RemoteKeySource(settings.jwks_url),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )


def request_authenticator(
    layer: str,
    database: TenantDatabase,
    verifier: TokenVerifier,
    public_url: str | None = None,
    bridges: BridgeTokens | None = None,
) -> RequestAuthenticator:
    """DPoP-bound access tokens, each proof spent once in the shared ledger (namespace
    `dpop`: in the request's own transaction where it has one, libs/api/authentication.py);
    Bridge tokens too where `bridges` verifies them (the bridge service)."""
    return RequestAuthenticator(
        tokens=verifier,
        proofs=DPoPVerifier(),
        spent=SpentTokens(database),
        public_url=public_url or platform_settings().public_url,
        layer=layer,
        bridges=bridges,
    )


def create_service_app(
    name: str,
    routers: Sequence[APIRouter],
    *,
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    public_url: str | None = None,
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = (),
    bridges: Callable[[TenantDatabase], BridgeTokens] | None = None,
) -> FastAPI:
    """A service process. With no database it is the whole OS process: it reads its settings
    from the environment (`uvicorn --factory services.<name>.app:create_app`) and configures
    logging and metrics; tests pass their own database and verifier. `background` jobs (given
    the app) run while it is up and are cancelled when it stops. `bridges` makes the Bridge
    token verifier, for the one service that accepts Bridge tokens."""
    owns_database = database is None
    if owns_database:
        configure_logging(name, platform_settings().log_level)
        start_metrics_server()
        database = TenantDatabase(service_database_url(name))
    assert database is not None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs = [asyncio.create_task(job(app)) for job in background]
        yield
        for task in jobs:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if owns_database:
            await database.dispose()

    app = FastAPI(
        title=f"halopos {name}",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.database = database
    app.state.authenticator = request_authenticator(
        name,
        database,
        verifier or default_verifier(),
        public_url,
        bridges(database) if bridges else None,
    )
    # The last added runs first: request ids, the access log, the card guard, then the
    # billing grace warning (set by the entitlement check: libs/billing/entitlement.py).
    app.add_middleware(GraceHeaderMiddleware)
    app.add_middleware(CardDataGuard)
    app.add_middleware(AccessLogMiddleware, service=name)
    app.add_middleware(RequestIdMiddleware)
    if (record := recording()) is not None:
        # Tests only: what the app sends, held to its document (libs/api/openapi.py).
        app.add_middleware(ResponseRecorder, record=record)
    # A database outage answers 503 database-unavailable, not 500 (libs/tenancy/outage.py).
    install_problem_handlers(app, [OUTAGE])

    # Liveness: the process answers. Never the database's state: a supervisor restarting a
    # service because Postgres is down would only add restarts to the outage.
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": name}

    # Readiness: the process can serve, its database answers within the timeout. Red while
    # Postgres is unreachable, so a load balancer sends the tills elsewhere (docs/operations.md).
    @app.get("/readyz", include_in_schema=False, response_model=None)
    async def readyz(request: Request) -> JSONResponse | dict[str, str]:
        async def check() -> None:
            async with database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(check(), READINESS_TIMEOUT_SECONDS)
        except Exception:
            return problem_response(status=503, code="not-ready", title="Database unreachable")
        return {"status": "ready", "service": name}

    # Kept so the route inventory (tests, docs) can read each route's declared permission.
    app.state.routers = list(routers)
    # What every route of its kind answers (401, 403, 422, ...), merged into each route's own.
    declare_shared_responses(routers)
    for router in routers:
        app.include_router(router)
    install_openapi(app)
    # After install_openapi: it wraps the document that function makes.
    json_schema.keep_nulls_in_examples(app)
    return app
