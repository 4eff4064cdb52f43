"""The RBAC matrix as the tests walk it: the protected routes, the staff roles, the Bridge's
routes, every service's app, and one request to a route with its path filled in."""

from __future__ import annotations

import re
import uuid

import httpx
from fastapi import FastAPI

from libs.auth.access_tokens import TokenVerifier
from libs.rbac import GRANTS, ROUTES, Role, Route, is_allowed
from libs.tenancy.database import TenantDatabase
from services.identity.keys.signing import SigningKey

PROTECTED = [route for route in ROUTES if route.permission is not None]

# People and tills hold access tokens; a Bridge holds only its opaque token.
STAFF_ROLES = [role for role in Role if role is not Role.BRIDGE]

# What a Bridge's opaque token reaches: the two print-job routes.
BRIDGE_ROUTES = {
    (route.method, route.path) for route in ROUTES if route.permission in GRANTS[Role.BRIDGE]
}


def service_apps(
    databases: dict[str, TenantDatabase], verifier: TokenVerifier, key: SigningKey
) -> dict[str, FastAPI]:
    """Every service's app on `databases`, with the TOTP key and audit signer of the run's
    in-process apps (tests/conftest.py: imported here, not at the top, so that a bench can
    import this module without pytest)."""
    from services.audit.app import create_app as audit
    from services.billing.app import create_app as billing
    from services.bridge.app import create_app as bridge
    from services.identity.app import create_app as identity
    from services.orders.app import create_app as orders
    from services.reports.app import create_app as reports
    from services.webhooks.app import create_app as webhooks
    from tests.conftest import (
        AUDIT_SETTINGS,
        AUDIT_SIGNER,
        TOTP_KEY,
        WEBHOOKS_KEY,
        WEBHOOKS_SETTINGS,
    )

    return {
        "identity": identity(databases["identity"], [key], TOTP_KEY),
        "orders": orders(databases["orders"], verifier),
        "audit": audit(databases["audit"], verifier, AUDIT_SIGNER, AUDIT_SETTINGS),
        "reports": reports(databases["reports"], verifier),
        "billing": billing(databases["billing"], verifier),
        "bridge": bridge(databases["bridge"], verifier),
        "webhooks": webhooks(databases["webhooks"], verifier, WEBHOOKS_SETTINGS, WEBHOOKS_KEY),
    }


def concrete_path(route: Route) -> str:
    return re.sub(r"\{[a-z_]+\}", str(uuid.uuid4()), route.path)


async def call(
    base: str,
    route: Route,
    *,
    auth: httpx.Auth | None = None,
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
    path: str | None = None,
) -> httpx.Response:
    """One request to a route with its path parameters filled in; writes get a body. With a
    DPoPAuth, the request carries its token and a fresh proof signed for exactly it."""
    headers = dict(headers or {})
    if content is None and route.method in ("POST", "PUT", "PATCH"):
        content = b"{}"
        headers = {"content-type": "application/json"} | headers
    async with httpx.AsyncClient(base_url=base) as client:
        return await client.request(
            route.method,
            path or concrete_path(route),
            content=content,
            headers=headers,
            auth=auth,
        )


def allowed_role(route: Route) -> Role | None:
    """A role of staff that holds the route's permission (None: only a Bridge does)."""
    assert route.permission is not None
    return next((role for role in STAFF_ROLES if is_allowed(role, route.permission)), None)
