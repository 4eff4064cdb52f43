"""Forwarding headers are believed only from the gateway, and the request id is always ours.

The gateway adds a shared secret (`X-Halopos-Gateway`, HALOPOS_GATEWAY_SECRET) to every request
it forwards; a service takes `X-Forwarded-For`, `X-Request-Id`, `X-Client-Request-Id` and any
`X-Halopos-*` only from a request that carries it. A client's `X-Request-Id` is kept apart, as
the client request id: never in an audit row.

The middleware on its own first; then the bridge service called directly (in process, with a
peer address of our choosing) and through the whole stack on real sockets.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from libs.api.logging import JsonFormatter
from libs.api.request_context import RequestIdMiddleware, from_gateway
from libs.auth.access_tokens import TokenVerifier
from libs.config import MIN_GATEWAY_SECRET_LENGTH, PlatformSettings
from libs.request_ids import current_client_request_id, current_request_id
from libs.tenancy.database import TenantDatabase
from tests.conftest import LiveStack
from tests.support.bridges import TOKENS, Business, as_bridge, open_business
from tests.support.database import Connect, Provision
from tests.support.gateway import SECRET, trust_the_gateway
from tests.support.tokens import TokenFactory

# A peer address no test machine has: what a direct caller's request really comes from.
PEER = "198.51.100.20"
FORGED = "203.0.113.66"


# -- the middleware alone ----------------------------------------------------------------------


def echo_app(*, edge: bool = False) -> Starlette:
    async def echo(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "headers": dict(request.headers),
                "request_id": current_request_id(),
                "client_request_id": current_client_request_id(),
                "from_gateway": from_gateway(request.scope),
            }
        )

    app = Starlette(routes=[Route("/", echo)])
    app.add_middleware(RequestIdMiddleware, edge=edge)
    return app


async def echo(app: Starlette, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(PEER, 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get("/", headers=headers)


FORWARDED = {
    "x-forwarded-for": FORGED,
    "x-forwarded-proto": "https",
    "x-real-ip": FORGED,
    "forwarded": f"for={FORGED}",
    "x-halopos-tenant-id": str(uuid.uuid4()),
    "x-client-request-id": "forged-client-id",
    "x-request-id": "chosen-by-the-caller-01",
}


@pytest.mark.parametrize("presented", [None, "wrong-" + "y" * 40, SECRET[:-1], SECRET + "z"])
async def test_a_direct_call_loses_every_forwarding_header(
    presented: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    trust_the_gateway(monkeypatch)
    sent = FORWARDED | ({"x-halopos-gateway": presented} if presented else {})
    response = await echo(echo_app(), sent)
    seen = response.json()
    for name in (
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-real-ip",
        "forwarded",
        "x-halopos-tenant-id",
        "x-client-request-id",
        "x-halopos-gateway",
    ):
        assert name not in seen["headers"], name
    assert seen["from_gateway"] is False
    # The caller is the client: its id is kept as the client's, never as ours.
    assert seen["request_id"] != "chosen-by-the-caller-01"
    assert seen["client_request_id"] == "chosen-by-the-caller-01"
    assert response.headers["x-request-id"] == seen["request_id"]
    assert response.headers["x-client-request-id"] == "chosen-by-the-caller-01"


async def test_with_the_gateway_secret_the_forwarding_headers_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = trust_the_gateway(monkeypatch)
    sent = FORWARDED | {"x-request-id": "gateway-made-id-0001", "x-halopos-gateway": secret}
    response = await echo(echo_app(), sent)
    seen = response.json()
    assert seen["from_gateway"] is True
    assert seen["headers"]["x-forwarded-for"] == FORGED
    assert seen["request_id"] == "gateway-made-id-0001"
    assert seen["client_request_id"] == "forged-client-id"
    # The secret goes no further than the middleware: no handler or log line holds it.
    assert "x-halopos-gateway" not in seen["headers"]
    assert secret not in response.text
    assert response.headers["x-request-id"] == "gateway-made-id-0001"
    assert response.headers["x-client-request-id"] == "forged-client-id"


async def test_no_secret_configured_trusts_nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    trust_the_gateway(monkeypatch, "")
    response = await echo(echo_app(), FORWARDED | {"x-halopos-gateway": ""})
    assert response.json()["from_gateway"] is False
    assert "x-forwarded-for" not in response.json()["headers"]


async def test_the_edge_always_makes_its_own_id_and_keeps_the_clients_apart() -> None:
    seen = (await echo(echo_app(edge=True), {"x-request-id": "till-7-sale-000123"})).json()
    assert seen["request_id"] != "till-7-sale-000123"
    assert seen["client_request_id"] == "till-7-sale-000123"
    # Not short and plain: not kept at all, and never echoed.
    odd = await echo(echo_app(edge=True), {"x-request-id": "x" * 129})
    assert odd.json()["client_request_id"] is None
    assert "x-client-request-id" not in odd.headers


def test_a_short_gateway_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HALOPOS_GATEWAY_SECRET", "s" * (MIN_GATEWAY_SECRET_LENGTH - 1))
    with pytest.raises(ValueError, match="HALOPOS_GATEWAY_SECRET"):
        PlatformSettings()
    monkeypatch.setenv("HALOPOS_GATEWAY_SECRET", "s" * MIN_GATEWAY_SECRET_LENGTH)
    assert PlatformSettings().gateway_secret == "s" * MIN_GATEWAY_SECRET_LENGTH


async def test_log_lines_carry_our_id_and_the_clients_apart() -> None:
    logger = logging.getLogger("halopos.test.trusted")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("gateway"))
    logger.addHandler(handler)

    async def log_it(request: Request) -> JSONResponse:
        logger.warning("seen")
        return JSONResponse({})

    app = Starlette(routes=[Route("/", log_it)])
    app.add_middleware(RequestIdMiddleware, edge=True)
    try:
        response = await echo(app, {"x-request-id": "client-own-id-0042"})
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["client_request_id"] == "client-own-id-0042"


# -- a service called directly ---------------------------------------------------------------


@pytest.fixture
async def bridge_service(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> AsyncIterator[httpx.AsyncClient]:
    """The bridge service in process; its callers come from PEER."""
    from services.bridge.app import create_app

    app = create_app(service_databases["bridge"], verifier)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(PEER, 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://bridge") as client:
        yield client


async def bridge_token_rows(connect_as: Connect, business: Business) -> list[Any]:
    return await as_bridge(
        connect_as,
        business.tenant,
        "SELECT resource_id, request_id FROM audit.events "
        "WHERE action = 'bridge_token.created' ORDER BY seq",
    )


async def test_a_direct_callers_request_id_never_reaches_an_audit_row(
    bridge_service: httpx.AsyncClient,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trust_the_gateway(monkeypatch)
    business = await open_business(provision, connect_as, token)
    response = await bridge_service.post(
        TOKENS,
        json={"location_id": str(business.location), "name": "Direct"},
        headers={"x-request-id": "forged-audit-id-0001"},
        auth=business.owner,
    )
    assert response.status_code == 201, response.text
    [row] = await bridge_token_rows(connect_as, business)
    assert row["resource_id"] == response.json()["id"]
    assert row["request_id"] == response.headers["x-request-id"]
    assert row["request_id"] != "forged-audit-id-0001"
    assert response.headers["x-client-request-id"] == "forged-audit-id-0001"


# -- through the gateway ---------------------------------------------------------------------


async def test_through_the_gateway_the_audit_row_has_the_gateways_id_not_the_clients(
    live_stack: LiveStack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trust_the_gateway(monkeypatch)
    business = await open_business(provision, connect_as, token)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        response = await gateway.post(
            TOKENS,
            json={"location_id": str(business.location), "name": "Through the gateway"},
            headers={"x-request-id": "client-chosen-id-0002"},
            auth=business.owner,
        )
    assert response.status_code == 201, response.text
    [row] = await bridge_token_rows(connect_as, business)
    ours = response.headers["x-request-id"]
    assert ours != "client-chosen-id-0002"
    # The service took the gateway's id (it carried the secret): one id, end to end.
    assert row["request_id"] == ours
    assert response.headers["x-client-request-id"] == "client-chosen-id-0002"


async def test_without_the_secret_the_service_does_not_take_the_gateways_word(
    live_stack: LiveStack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A service behind a gateway that lacks the secret still works; it just takes nothing
    the gateway says about the request as true."""
    trust_the_gateway(monkeypatch, "")
    business = await open_business(provision, connect_as, token)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        response = await gateway.post(
            TOKENS,
            json={"location_id": str(business.location), "name": "No secret"},
            auth=business.owner,
        )
    assert response.status_code == 201, response.text
    [row] = await bridge_token_rows(connect_as, business)
    assert row["resource_id"] == response.json()["id"]
    assert row["request_id"] not in (None, response.headers["x-request-id"])


async def test_a_client_request_id_that_is_a_card_number_is_neither_kept_nor_echoed() -> None:
    """It would be logged and echoed before any service's card guard had refused anything."""
    for edge in (True, False):
        response = await echo(echo_app(edge=edge), {"x-request-id": "4111111111111111"})
        assert response.json()["client_request_id"] is None
        assert "4111111111111111" not in str(response.headers)


async def test_the_gateway_refuses_card_data_in_headers_and_query_before_anything_else(
    live_stack: LiveStack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    """Before authenticating (so before any proof is remembered or a log line names the
    caller), the gateway asks of the headers, query and path what every service asks of the
    whole request; nothing reaches a service."""
    business = await open_business(provision, connect_as, token)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        signed_in = await gateway.post(
            TOKENS,
            json={"location_id": str(business.location), "name": "Till printer"},
            headers={"idempotency-key": "4111 1111 1111 1111"},
            auth=business.owner,
        )
        anonymous = await gateway.get(f"{TOKENS}?note=4111%C2%A01111%C2%A01111%C2%A01111")
        nul = await gateway.get(TOKENS, headers={"x-note": "a%00b"}, params={"q": "a\x00b"})
    for response in (signed_in, anonymous):
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "card-data-refused"
        assert "4111" not in response.text
    assert nul.status_code == 422
    assert nul.json()["code"] == "nul-character-refused"
    assert await bridge_token_rows(connect_as, business) == []
