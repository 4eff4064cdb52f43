"""The gateway on its own: in front of a spy upstream that allows everything, so whatever is
refused here was refused by the gateway itself."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route as StarletteRoute

from gateway.app import create_app
from gateway.forwarding import AiohttpForwarder
from libs.auth.access_tokens import TokenVerifier
from libs.auth.dpop import DPoPVerifier, InMemoryReplayCache
from libs.config import SERVICES
from libs.rbac import ROUTES, Role, Route, is_allowed
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from tests.conftest import LiveStack, _free_port, _serve
from tests.support.bridges import bridge_token_at_new_location
from tests.support.database import Connect, Provision
from tests.support.gateway import trust_the_gateway
from tests.support.rbac import BRIDGE_ROUTES, PROTECTED, STAFF_ROLES, call
from tests.support.tills import coffee_order, open_till
from tests.support.tokens import PUBLIC_URL, TokenFactory


@dataclass
class Spy:
    received: list[dict[str, object]] = field(default_factory=list)


@dataclass
class SpiedGateway:
    url: str
    spy: Spy


@pytest.fixture(scope="module")
async def tenant(provision: Provision) -> uuid.UUID:
    """One real tenant for the module: the proof ledger references the tenant registry."""
    return await provision()


@pytest.fixture(scope="module")
async def spied_gateway(
    verifier: TokenVerifier, service_databases: dict[str, TenantDatabase]
) -> AsyncIterator[SpiedGateway]:
    spy = Spy()

    async def anything(request: Request) -> JSONResponse:
        body = await request.body()
        spy.received.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "raw_path": request.scope["raw_path"].decode("latin-1"),
                "headers": dict(request.headers),
                "dpop": request.headers.getlist("dpop"),
                "body": body,
            }
        )
        return JSONResponse({"upstream": "spy"}, headers={"x-upstream": "spy", "server": "spy"})

    upstream = Starlette(
        routes=[
            StarletteRoute(
                "/{path:path}", anything, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]
            )
        ]
    )
    upstream_port, gateway_port = _free_port(), _free_port()
    upstream_server = await _serve(upstream, upstream_port)  # type: ignore[arg-type]
    gateway = create_app(
        database=service_databases["gateway"],
        verifier=verifier,
        upstreams={spec.name: f"http://127.0.0.1:{upstream_port}" for spec in SERVICES},
    )
    gateway_server = await _serve(gateway, gateway_port)
    yield SpiedGateway(url=f"http://127.0.0.1:{gateway_port}", spy=spy)
    for server, task in (gateway_server, upstream_server):
        server.should_exit = True
        await task


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_the_gateway_alone_enforces_the_matrix(
    route: Route, role: Role, spied_gateway: SpiedGateway, token: TokenFactory, tenant: uuid.UUID
) -> None:
    assert route.permission is not None
    before = len(spied_gateway.spy.received)
    response = await call(spied_gateway.url, route, auth=token(tenant, role))
    if is_allowed(role, route.permission):
        assert response.status_code == 200
        assert response.json() == {"upstream": "spy"}
        assert len(spied_gateway.spy.received) == before + 1
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission-denied"
        assert len(spied_gateway.spy.received) == before, "a denied call reached the service"


@pytest.fixture(scope="module")
async def bridge_token(tenant: uuid.UUID, database: PreparedDatabase) -> str:
    return await bridge_token_at_new_location(database, tenant)


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_the_gateway_alone_keeps_a_bridge_to_its_routes(
    route: Route, spied_gateway: SpiedGateway, bridge_token: str
) -> None:
    before = len(spied_gateway.spy.received)
    response = await call(
        spied_gateway.url, route, headers={"Authorization": f"Bearer {bridge_token}"}
    )
    if (route.method, route.path) in BRIDGE_ROUTES:
        assert response.status_code == 200
        assert len(spied_gateway.spy.received) == before + 1
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission-denied"
        assert len(spied_gateway.spy.received) == before, "a denied call reached the service"


async def raw_status(url: str, method: str, target: str, headers: dict[str, str]) -> int:
    """Send the request line byte for byte: HTTP clients would normalise dot segments."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    fields = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(
        f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n{fields}Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1])


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("GET", "/v1/reports/no-such-report"),
        ("GET", "/internal/admin"),
        ("GET", "/v1/orders/.."),
        ("GET", "/v1/orders/%2e%2e"),
        ("GET", "/v1/orders/../audit/events"),
        ("GET", "/v1/orders/%2e%2e/audit/events"),
        ("GET", "/v1/orders/x%2F..%2F..%2Faudit%2Fevents"),
    ],
)
async def test_unknown_routes_never_reach_a_service(
    method: str, target: str, spied_gateway: SpiedGateway, token: TokenFactory, tenant: uuid.UUID
) -> None:
    before = len(spied_gateway.spy.received)
    # Credentials that would pass for this exact request line: the 404 is the route's doing.
    cashier = token(tenant, Role.CASHIER)
    headers = {
        "Authorization": f"DPoP {cashier.access_token}",
        "DPoP": cashier.key.proof(method, PUBLIC_URL + target, cashier.access_token),
    }
    assert await raw_status(spied_gateway.url, method, target, headers) == 404
    assert len(spied_gateway.spy.received) == before


async def test_a_known_path_asked_with_another_method_is_405_with_allow(
    spied_gateway: SpiedGateway, token: TokenFactory, tenant: uuid.UUID
) -> None:
    """Not a 404 (the path exists), and never forwarded: Allow lists what the path answers."""
    before = len(spied_gateway.spy.received)
    cashier = token(tenant, Role.CASHIER)
    target = f"/v1/orders/{uuid.uuid4()}"
    async with httpx.AsyncClient(base_url=spied_gateway.url) as client:
        response = await client.delete(
            target,
            headers={
                "Authorization": f"DPoP {cashier.access_token}",
                "DPoP": cashier.key.proof("DELETE", PUBLIC_URL + target, cashier.access_token),
            },
        )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PATCH"
    assert response.json()["code"] == "method-not-allowed"
    assert len(spied_gateway.spy.received) == before


async def assert_verifiable_by_the_service(
    received: dict[str, object], key_thumbprint: str
) -> None:
    """The service checks the very proof the gateway checked, against the path it receives:
    so the forwarded copy must still verify there (in a ledger the gateway has not touched)."""
    headers = received["headers"]
    proofs = received["dpop"]
    assert isinstance(headers, dict) and isinstance(proofs, list) and len(proofs) == 1
    scheme, _, access_token = headers["authorization"].partition(" ")
    assert scheme == "DPoP"
    await DPoPVerifier(replay_cache=InMemoryReplayCache()).verify(
        proofs[0],
        method=str(received["method"]),
        url=PUBLIC_URL + str(received["raw_path"]),
        access_token=access_token,
        expected_thumbprint=key_thumbprint,
    )


async def test_forwarding_strips_hop_by_hop_and_internal_headers(
    spied_gateway: SpiedGateway,
    token: TokenFactory,
    tenant: uuid.UUID,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = trust_the_gateway(monkeypatch)
    route = next(r for r in ROUTES if r.method == "POST" and r.path == "/v1/orders")
    body = json.dumps({"lines": [{"item_id": str(uuid.uuid4()), "quantity": 1}]}).encode()
    cashier = token(tenant, Role.CASHIER)
    sent = {
        "content-type": "application/json",
        "x-request-id": "client-chosen-id-0001",
        "x-client-request-id": "forged-client-id-0001",
        "x-halopos-gateway": "forged-" + secret,
        "x-halopos-tenant-id": str(uuid.uuid4()),
        "x-forwarded-for": "203.0.113.9",
        "forwarded": "for=203.0.113.9",
        "te": "trailers",
        "connection": "keep-alive, x-till-secret",
        "x-till-secret": "meant for the next hop only",
        "idempotency-key": "sale-42",
    }
    response = await call(spied_gateway.url, route, auth=cashier, headers=sent, content=body)
    assert response.status_code == 200
    received = spied_gateway.spy.received[-1]
    headers = received["headers"]
    assert isinstance(headers, dict)
    assert received["body"] == body
    # The token and its proof go on unchanged: the service verifies the same proof itself.
    assert headers["authorization"] == f"DPoP {cashier.access_token}"
    assert received["dpop"] == [response.request.headers["dpop"]]
    await assert_verifiable_by_the_service(received, cashier.key.thumbprint())
    assert headers["idempotency-key"] == "sale-42"
    # The request id is the gateway's own; the client's is passed on apart from it.
    assert headers["x-request-id"] == response.headers["x-request-id"] != "client-chosen-id-0001"
    assert headers["x-client-request-id"] == "client-chosen-id-0001"
    assert headers["x-forwarded-for"] == "127.0.0.1"  # set by the gateway, not the client
    assert headers["x-halopos-gateway"] == secret  # the gateway's, not the client's
    for stripped in ("x-halopos-tenant-id", "forwarded", "te", "connection", "x-till-secret"):
        assert stripped not in headers, stripped
    assert response.headers["x-client-request-id"] == "client-chosen-id-0001"
    assert response.headers["x-upstream"] == "spy"
    assert response.headers.get_list("server") == ["uvicorn"]


async def test_the_service_receives_the_path_the_proof_was_signed_for(
    spied_gateway: SpiedGateway, token: TokenFactory, tenant: uuid.UUID
) -> None:
    owner = token(tenant, Role.OWNER)
    target = "/v1/staff/%41bc%e2%82%ac"  # legal, if unusual, escapes a client may send
    async with httpx.AsyncClient(base_url=spied_gateway.url) as client:
        response = await client.get(target, auth=owner)
    assert response.status_code == 200, response.text
    received = spied_gateway.spy.received[-1]
    assert received["raw_path"] == target
    await assert_verifiable_by_the_service(received, owner.key.thumbprint())


@pytest.mark.parametrize("attempt", ["bearer", "no proof", "two proofs", "replayed proof"])
async def test_an_unproven_request_never_reaches_a_service(
    attempt: str, spied_gateway: SpiedGateway, token: TokenFactory, tenant: uuid.UUID
) -> None:
    cashier = token(tenant, Role.CASHIER)
    url = f"{spied_gateway.url}/v1/orders"
    proof = cashier.key.proof("GET", f"{PUBLIC_URL}/v1/orders", cashier.access_token)
    authorization = f"DPoP {cashier.access_token}"
    async with httpx.AsyncClient() as client:
        if attempt == "replayed proof":
            first = await client.get(url, headers={"Authorization": authorization, "DPoP": proof})
            assert first.status_code == 200, first.text
        headers: list[tuple[str, str]] = {
            "bearer": [("Authorization", f"Bearer {cashier.access_token}"), ("DPoP", proof)],
            "no proof": [("Authorization", authorization)],
            "two proofs": [("Authorization", authorization), ("DPoP", proof), ("DPoP", proof)],
            "replayed proof": [("Authorization", authorization), ("DPoP", proof)],
        }[attempt]
        before = len(spied_gateway.spy.received)
        response = await client.get(url, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert len(spied_gateway.spy.received) == before, "an unproven call reached the service"


async def test_query_strings_pass_through(
    spied_gateway: SpiedGateway, token: TokenFactory, tenant: uuid.UUID
) -> None:
    async with httpx.AsyncClient(base_url=spied_gateway.url) as client:
        response = await client.get(
            "/v1/orders", params={"limit": 5, "cursor": "abc"}, auth=token(tenant, Role.CASHIER)
        )
    assert response.status_code == 200
    assert spied_gateway.spy.received[-1]["query"] == "limit=5&cursor=abc"


async def test_an_unreachable_service_is_503_without_internals(
    verifier: TokenVerifier,
    token: TokenFactory,
    tenant: uuid.UUID,
    service_databases: dict[str, TenantDatabase],
) -> None:
    closed_port = _free_port()
    forwarder = AiohttpForwarder()
    await forwarder.start()
    gateway = create_app(
        database=service_databases["gateway"],
        verifier=verifier,
        forwarder=forwarder,
        upstreams={spec.name: f"http://127.0.0.1:{closed_port}" for spec in SERVICES},
    )
    transport = httpx.ASGITransport(app=gateway, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            response = await client.get("/v1/orders", auth=token(tenant, Role.CASHIER))
    finally:
        await forwarder.close()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "service-unavailable"
    # The till waits this long before retrying (with the same Idempotency-Key).
    assert int(response.headers["retry-after"]) > 0
    assert str(closed_port) not in response.text
    assert "127.0.0.1" not in response.text


async def test_through_the_whole_stack(
    live_stack: LiveStack,
    token: TokenFactory,
    provision: Provision,
    connect_as: Connect,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trust_the_gateway(monkeypatch)
    tenant = await provision()
    till = await open_till(connect_as, token, tenant)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as client:
        for probe in ("/healthz", "/readyz"):
            assert (await client.get(probe)).status_code == 200, probe
        spec = (await client.get("/openapi.json")).json()
        assert spec["paths"]["/v1/orders"]["post"]["x-permission"] == "orders:create"
        assert "Order" in spec["components"]["schemas"]
        # Errors are documented as they are sent: RFC 9457 problems, not FastAPI's default.
        invalid = spec["paths"]["/v1/orders"]["post"]["responses"]["422"]["content"]
        assert invalid["application/problem+json"]["schema"]["$ref"].endswith("/ProblemDetails")
        assert "HTTPValidationError" not in spec["components"]["schemas"]

        cashier = till.staff
        created = await client.post(
            "/v1/orders",
            json=coffee_order(till),
            headers={"x-request-id": "till-7-sale-000123"},
            auth=cashier,
        )
        assert created.status_code == 201, created.text
        assert created.json()["total_minor"] == 1250
        request_id = created.headers["x-request-id"]
        assert request_id != "till-7-sale-000123"
        assert created.headers["x-client-request-id"] == "till-7-sale-000123"
        order_id = created.json()["id"]
        fetched = await client.get(
            f"/v1/orders/{order_id}", headers={"x-request-id": "till-7-read"}, auth=cashier
        )
        assert fetched.json() == created.json()

        accountant = token(tenant, Role.ACCOUNTANT)
        events = (await client.get("/v1/audit/events", auth=accountant)).json()["items"]
        assert [e["action"] for e in events[:2]] == ["tenant.created", "orders.provisioned"]
        # The audit row carries our request id (the gateway's, which the service took from
        # it), never the one the client chose.
        assert [(e["action"], e["resource_id"], e["request_id"]) for e in events][2:] == [
            ("order.opened", order_id, request_id)
        ]
    for name, base in live_stack.services.items():
        async with httpx.AsyncClient(base_url=base) as client:
            assert (await client.get("/healthz")).status_code == 200, name
            assert (await client.get("/readyz")).status_code == 200, name
