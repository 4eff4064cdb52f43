"""RBAC is enforced twice, from one matrix: at the gateway, and again in each service.

Every route x every role is called both ways, so a route added later is covered without a
test change, and removing either layer unlocks nothing.
"""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from libs.auth.tokens import TokenVerifier
from libs.rbac import GRANTS, ROUTES, Permission, Role, Route, is_allowed
from libs.rbac.docs import render
from libs.rbac.guard import declared_permission
from libs.tenancy.database import TenantDatabase
from services.identity.keys.signing import SigningKey
from tests.conftest import REPO_ROOT, LiveStack, TokenFactory, bearer

PROTECTED = [route for route in ROUTES if route.permission is not None]


def service_apps(
    databases: dict[str, TenantDatabase], verifier: TokenVerifier, key: SigningKey
) -> dict[str, FastAPI]:
    from services.audit.app import create_app as audit
    from services.billing.app import create_app as billing
    from services.bridge.app import create_app as bridge
    from services.identity.app import create_app as identity
    from services.orders.app import create_app as orders
    from services.reports.app import create_app as reports

    return {
        "identity": identity(databases["identity"], [key]),
        "orders": orders(databases["orders"], verifier),
        "audit": audit(databases["audit"], verifier),
        "reports": reports(verifier),
        "billing": billing(verifier),
        "bridge": bridge(verifier),
    }


def test_every_route_declares_a_permission_and_matches_the_matrix(
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
    signing_key: SigningKey,
) -> None:
    served: set[Route] = set()
    for name, app in service_apps(service_databases, verifier, signing_key).items():
        declared: set[Route] = set()
        for router in app.state.routers:
            for route in router.routes:
                assert isinstance(route, APIRoute)
                permission = declared_permission(route)
                declared |= {
                    Route(method, route.path, name, permission) for method in route.methods
                }
        # Nothing is served outside the inventoried routers (health probes are not in it).
        published = {
            (method.upper(), path)
            for path, operations in app.openapi()["paths"].items()
            for method in operations
        }
        assert published == {(route.method, route.path) for route in declared}, name
        served |= declared
    public = {route for route in ROUTES if route.permission is None}
    undeclared = {route for route in served if route.permission is None} - public
    assert not undeclared, f"routes without a permission: {undeclared}"
    assert served == set(ROUTES), "libs/rbac ROUTES and the services' routes disagree"


def test_generated_matrix_document_is_current() -> None:
    document = (REPO_ROOT / "docs" / "rbac.md").read_text()
    assert document == render(), "docs/rbac.md is stale: run `make rbac-docs`"


@pytest.mark.parametrize("domain", ["reports", "tax", "staff", "audit"])
def test_a_cashier_holds_nothing_in_the_back_office_domains(domain: str) -> None:
    held = [p for p in GRANTS[Role.CASHIER] if p.value.startswith(f"{domain}:")]
    assert held == []
    assert [p for p in Permission if p.value.startswith(f"{domain}:")], domain


def test_the_audit_log_is_for_owners_and_accountants_only() -> None:
    readers = {role for role in Role if is_allowed(role, Permission.AUDIT_READ)}
    assert readers == {Role.OWNER, Role.ACCOUNTANT}


def test_the_bridge_can_only_print() -> None:
    assert GRANTS[Role.BRIDGE] == {Permission.PRINT_JOBS_POLL, Permission.PRINT_JOBS_ACK}


def concrete_path(route: Route) -> str:
    return re.sub(r"\{[a-z_]+\}", str(uuid.uuid4()), route.path)


async def call(
    base: str, route: Route, headers: dict[str, str], content: bytes | None = None
) -> httpx.Response:
    """One request to a route with its path parameters filled in; writes get a body."""
    if content is None and route.method in ("POST", "PUT", "PATCH"):
        content = b"{}"
        headers = {"content-type": "application/json"} | headers
    async with httpx.AsyncClient(base_url=base) as client:
        return await client.request(
            route.method, concrete_path(route), content=content, headers=headers
        )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_every_route_and_role_at_both_layers(
    route: Route, role: Role, live_stack: LiveStack, token: TokenFactory
) -> None:
    assert route.permission is not None
    headers = bearer(token(uuid.uuid4(), role))
    for layer, base in (
        ("gateway", live_stack.gateway),
        ("service", live_stack.services[route.service]),
    ):
        response = await call(base, route, headers)
        if is_allowed(role, route.permission):
            assert response.status_code not in (401, 403), (layer, response.text)
        else:
            assert response.status_code == 403, (layer, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["code"] == "permission-denied"


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_no_or_forged_token_is_401_at_both_layers(
    route: Route, live_stack: LiveStack
) -> None:
    forged_key = SigningKey.generate()
    from libs.config import platform_settings
    from services.identity.keys.signing import mint_access_token

    settings = platform_settings()
    forged = mint_access_token(
        forged_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        subject="mallory",
        tenant_id=uuid.uuid4(),
        role="owner",
    )
    for base in (live_stack.gateway, live_stack.services[route.service]):
        for headers in ({}, bearer(forged), {"Authorization": "Basic b3duZXI6b3duZXI="}):
            response = await call(base, route, headers)
            assert response.status_code == 401, (base, headers, response.text)
            assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_a_device_bound_token_is_not_a_bearer_token(
    route: Route, live_stack: LiveStack, signing_key: SigningKey
) -> None:
    """Until DPoP proofs are verified, a token bound to a device key opens nothing, and a
    request in the DPoP scheme is refused, at both layers (RFC 9449 section 7.2)."""
    from clients.dpop import DeviceKey
    from libs.config import platform_settings
    from services.identity.keys.signing import mint_access_token

    settings = platform_settings()
    device = DeviceKey.generate()
    bound = mint_access_token(
        signing_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        subject="till-7",
        tenant_id=uuid.uuid4(),
        role="owner",
        key_thumbprint=device.thumbprint(),
    )
    for base in (live_stack.gateway, live_stack.services[route.service]):
        url = f"{base}{concrete_path(route)}"
        for headers in (
            bearer(bound),
            {"Authorization": f"DPoP {bound}", "DPoP": device.proof(route.method, url, bound)},
        ):
            response = await call(base, route, headers)
            assert response.status_code == 401, (base, headers["Authorization"][:6])
            assert response.json()["code"] == "unauthenticated"
