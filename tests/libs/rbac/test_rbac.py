"""RBAC is enforced twice, from one matrix: at the gateway, and again in each service.

Every route x every role is called both ways, so a route added later is covered without a
test change, and removing either layer unlocks nothing.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi.routing import APIRoute

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.api.permissions import declared_permission
from libs.auth.access_tokens import TokenVerifier
from libs.auth.opaque_credentials import Credential, Kind, new_credential
from libs.config import platform_settings
from libs.rbac import GRANTS, ROUTES, Permission, Role, Route, is_allowed
from libs.rbac.docs import render
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from services.identity.keys.signing import SigningKey, mint_access_token
from tests.conftest import LiveStack
from tests.support import REPO_ROOT
from tests.support.bridges import bridge_token_at_new_location
from tests.support.database import Provision
from tests.support.rbac import (
    BRIDGE_ROUTES,
    PROTECTED,
    STAFF_ROLES,
    allowed_role,
    call,
    concrete_path,
    service_apps,
)
from tests.support.tokens import PUBLIC_URL, TokenFactory

SETTINGS = platform_settings()


@pytest.fixture(scope="module")
async def tenant(provision: Provision) -> uuid.UUID:
    """One real tenant for the module: the proof ledger references the tenant registry."""
    return await provision()


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
                    Route(method, route.path, name, permission) for method in route.methods or ()
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
    for permission in (Permission.AUDIT_READ, Permission.AUDIT_CHECKPOINT):
        holders = {role for role in Role if is_allowed(role, permission)}
        assert holders == {Role.OWNER, Role.ACCOUNTANT}, permission


def test_the_bridge_can_only_print() -> None:
    assert GRANTS[Role.BRIDGE] == {Permission.PRINT_JOBS_POLL, Permission.PRINT_JOBS_ACK}


def layers(live_stack: LiveStack, route: Route) -> list[tuple[str, str]]:
    return [("gateway", live_stack.gateway), ("service", live_stack.services[route.service])]


def assert_unauthenticated(response: httpx.Response, code: str, context: object) -> None:
    assert response.status_code == 401, (context, response.text)
    assert response.headers["content-type"] == "application/problem+json", context
    assert response.json()["code"] == code, (context, response.text)
    # RFC 9449 section 7.1: the challenge names the DPoP scheme, never Bearer.
    assert response.headers["www-authenticate"].startswith("DPoP "), context


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_every_route_and_role_at_both_layers(
    route: Route, role: Role, live_stack: LiveStack, token: TokenFactory, tenant: uuid.UUID
) -> None:
    assert route.permission is not None
    auth = token(tenant, role)
    for layer, base in layers(live_stack, route):
        response = await call(base, route, auth=auth)
        if is_allowed(role, route.permission):
            assert response.status_code not in (401, 403), (layer, response.text)
        else:
            assert response.status_code == 403, (layer, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["code"] == "permission-denied"


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_no_or_forged_token_is_401_at_both_layers(
    route: Route, live_stack: LiveStack, tenant: uuid.UUID
) -> None:
    # A perfect proof for a token signed by a key the identity service never published: only
    # the token's signature is wrong.
    device = DeviceKey.generate()
    forged = mint_access_token(
        SigningKey.generate(),
        issuer=SETTINGS.jwt_issuer,
        audience=SETTINGS.jwt_audience,
        subject="mallory",
        tenant_id=tenant,
        role="owner",
        key_thumbprint=device.thumbprint(),
    )
    attempts: list[tuple[str, httpx.Auth | None, dict[str, str]]] = [
        ("nothing", None, {}),
        ("forged", DPoPAuth(device, forged, public_url=PUBLIC_URL), {}),
        ("basic", None, {"Authorization": "Basic b3duZXI6b3duZXI="}),
    ]
    for layer, base in layers(live_stack, route):
        for name, auth, headers in attempts:
            response = await call(base, route, auth=auth, headers=headers)
            assert_unauthenticated(response, "unauthenticated", (layer, name))


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: f"{r.method} {r.path}")
async def test_only_a_bound_token_with_its_proof_opens_a_route(
    route: Route, live_stack: LiveStack, signing_key: SigningKey, tenant: uuid.UUID
) -> None:
    """RFC 9449 at both layers: a bound token with a valid proof from its key is accepted;
    the same token in the Bearer scheme is refused even with a valid proof beside it (a
    stolen token must not work by dropping the proof), and so is an unbound token."""
    role = allowed_role(route) or Role.BRIDGE
    opens = role is not Role.BRIDGE  # access tokens are never issued to a Bridge
    device = DeviceKey.generate()

    def access_token(*, bound: bool) -> str:
        return mint_access_token(
            signing_key,
            issuer=SETTINGS.jwt_issuer,
            audience=SETTINGS.jwt_audience,
            subject="till-7",
            tenant_id=tenant,
            role=str(role),
            key_thumbprint=device.thumbprint() if bound else None,
        )

    bound, unbound = access_token(bound=True), access_token(bound=False)
    for layer, base in layers(live_stack, route):
        accepted = await call(base, route, auth=DPoPAuth(device, bound, public_url=PUBLIC_URL))
        if opens:
            assert accepted.status_code not in (401, 403), (layer, accepted.text)
        else:
            assert_unauthenticated(accepted, "unauthenticated", (layer, "bridge access token"))

        path = concrete_path(route)
        proof = device.proof(route.method, PUBLIC_URL + path, access_token=bound)
        as_bearer = await call(
            base, route, headers={"Authorization": f"Bearer {bound}", "DPoP": proof}, path=path
        )
        assert_unauthenticated(as_bearer, "unauthenticated", (layer, "bound as Bearer"))

        not_bound = await call(base, route, auth=DPoPAuth(device, unbound, public_url=PUBLIC_URL))
        assert_unauthenticated(not_bound, "unauthenticated", (layer, "unbound, DPoP scheme"))
        unbound_bearer = await call(base, route, headers={"Authorization": f"Bearer {unbound}"})
        assert_unauthenticated(unbound_bearer, "unauthenticated", (layer, "unbound as Bearer"))


# --- The Bridge: an opaque token that reaches the two print-job routes and nothing else. ---


def test_the_bridge_routes_are_exactly_poll_and_ack() -> None:
    assert {("GET", "/v1/print-jobs"), ("POST", "/v1/print-jobs/{job_id}/ack")} == BRIDGE_ROUTES


@pytest.fixture(scope="module")
async def bridge_token(tenant: uuid.UUID, database: PreparedDatabase) -> str:
    """A valid Bridge token of the module's tenant, for a location of its own."""
    return await bridge_token_at_new_location(database, tenant)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
async def test_a_bridge_token_reaches_nothing_but_its_routes_at_both_layers(
    route: Route, live_stack: LiveStack, bridge_token: str
) -> None:
    """The table of every route: the gateway verifies the token and refuses it (403) outside
    the print-job routes; the bridge service does the same; every other service does not
    accept Bridge tokens at all (401). Public routes stay public: the token adds nothing."""
    auth = {"Authorization": f"Bearer {bridge_token}"}
    for layer, base in layers(live_stack, route):
        response = await call(base, route, headers=auth)
        context = (layer, response.text)
        if (route.method, route.path) in BRIDGE_ROUTES:
            assert response.status_code not in (401, 403), context
        elif route.permission is None:
            continue
        elif layer == "gateway" or route.service == "bridge":
            assert response.status_code == 403, context
            assert response.json()["code"] == "permission-denied", context
        else:
            assert response.status_code == 401, context
            assert response.json()["code"] == "unauthenticated", context


@pytest.mark.parametrize(
    "route",
    [route for route in PROTECTED if (route.method, route.path) in BRIDGE_ROUTES],
    ids=lambda r: f"{r.method} {r.path}",
)
async def test_a_forged_bridge_token_is_401_at_both_layers(
    route: Route, live_stack: LiveStack, tenant: uuid.UUID, bridge_token: str
) -> None:
    """A token of the right shape and tenant with a secret nobody issued, a real token's
    secret under another tenant, and a real token sent as DPoP: none gets in."""
    _, _, secret = bridge_token.split("_", 2)
    forgeries = {
        "unknown secret": f"Bearer {new_credential(Kind.BRIDGE_TOKEN, tenant)}",
        "other tenant": f"Bearer {Credential(Kind.BRIDGE_TOKEN, uuid.uuid4(), secret)}",
    }
    for layer, base in layers(live_stack, route):
        for name, header in forgeries.items():
            response = await call(base, route, headers={"Authorization": header})
            assert response.status_code == 401, (layer, name, response.text)
            assert response.json()["code"] == "invalid-bridge-token", (layer, name)
            assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        as_dpop = await call(base, route, headers={"Authorization": f"DPoP {bridge_token}"})
        assert_unauthenticated(as_dpop, "unauthenticated", (layer, "as DPoP"))
