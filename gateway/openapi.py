"""The merged OpenAPI document integrators use: every service's public routes in one spec."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.admission import (
    LONG_POLL_ROUTES,
    LongPollInProgress,
    LongPollsUnavailable,
    TooManyConcurrentRequests,
    TooManyLongPolls,
)
from libs.api.openapi import REQUEST_ID_HEADER, header_refs
from libs.billing.entitlement import SubscriptionReadOnly
from libs.config import platform_settings
from libs.problems import (
    PROBLEM_CODES,
    InvalidBridgeToken,
    InvalidDPoPProof,
    PermissionDenied,
    Problem,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
    merge_responses,
    problems,
)
from libs.rbac.matrix import ROUTES, Role, Route, is_allowed

Fetch = Callable[[str], Awaitable[dict[str, Any] | None]]


# One per operation group (an operation's first tag), in the order a reader meets them.
TAGS: dict[str, str] = {
    "keys": "The public keys access tokens are signed with (JWKS), for verifying them offline.",
    "devices": "Activating a till (or any device) with its own DPoP key, and managing devices.",
    "sign-in": "Signing in (PIN at a till; password and TOTP in the backoffice) and refreshing "
    "a session: each needs a DPoP proof of the device's key.",
    "overrides": "A manager's single-use approval of one action at a till (void, refund, "
    "discount, force-close).",
    "business": "The business and the venues a session reaches: currency, region, time zones.",
    "staff": "The business's staff: roles, venues and PINs.",
    "security": "The business's sign-in rules and TOTP enrolment codes.",
    "menu": "Categories, items, modifier groups and modifiers, venue prices and scheduled "
    "price changes.",
    "tax": "Tax settings, categories and their rates over time.",
    "settings": "The business's limits above which a till needs a manager's override.",
    "shifts": "Shifts at a register: opening float, cash movements, X and Z reports.",
    "orders": "Orders at the till: lines, discounts, voids.",
    "payments": "Cash and card payments, and closing a paid order.",
    "refunds": "Refunds of a closed order, by line or amount, to its tenders.",
    "receipts": "Receipts of closed orders.",
    "printing": "Sending orders to the kitchen or bar, and reprinting receipts.",
    "print jobs": "The print Bridge's queue: polling and acknowledging jobs, retrying failures.",
    "bridge tokens": "Tokens of the venues' print Bridges: created, rotated, revoked.",
    "sync": "Offline sales uploaded by a till, and what their review flagged.",
    "reports": "Sales, item mix, reconciliation and tax reports; period closures.",
    "audit": "The tamper-evident audit log: entries, checkpoints, export and its verifier.",
    "billing": "The business's subscription (Stripe checkout and portal) and Stripe's webhook.",
    "webhooks": "Endpoints that receive the business's events (order closed, refund issued, "
    "shift closed, menu changed, period closed), signed per Standard Webhooks; their delivery "
    "log and replay (docs/webhooks.md).",
    "webhook events": "What halopos POSTs to the business's endpoints, one per event type "
    "(the document's `webhooks`): the signed envelope `{type, timestamp, data}` and each "
    "event's `data` (docs/webhooks.md).",
}

DOCS_URL = "https://docs.halopos.example/"

SECURITY_SCHEMES: dict[str, Any] = {
    "dpop": {
        "type": "http",
        "scheme": "DPoP",
        # No bearerFormat: OpenAPI allows it on the bearer scheme only.
        "description": "`Authorization: DPoP <access token>`: an access token (a JWT) bound to "
        "the device's key (RFC 9449), sent with a `DPoP` proof (`dpopProof`) on every request. "
        "A token sent as `Bearer` is refused.",
    },
    "dpopProof": {
        "type": "apiKey",
        "in": "header",
        "name": "DPoP",
        "description": "A fresh DPoP proof (RFC 9449 section 4): a JWT signed by the device's "
        "key with `htm`, `htu` (the public URL and path, no query), a new `jti`, `iat`, and "
        "with an access token its `ath`. Single-use: sign one per request (docs/sessions.md).",
    },
    "bridgeToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A print Bridge's opaque token (`Authorization: Bearer hpb_...`), not "
        "a JWT: created and rotated by an owner (docs/bridge.md).",
    },
}


def gateway_problems(route: Route) -> dict[int | str, Any]:
    """What the gateway itself answers on a route, before or instead of the service: its rate
    limits and caps on requests in flight, a service it cannot reach, and, on a protected
    route, the same authentication and permission checks as the service."""
    kinds: list[type[Problem]] = [RateLimited, TooManyConcurrentRequests, ServiceUnavailable]
    if (route.method, route.path) in LONG_POLL_ROUTES:
        kinds += [LongPollInProgress, TooManyLongPolls, LongPollsUnavailable]
    if route.permission is not None:
        kinds += [Unauthenticated, InvalidDPoPProof, PermissionDenied]
        if is_allowed(Role.BRIDGE, route.permission):
            kinds.append(InvalidBridgeToken)
        if not route.served_read_only:
            kinds.append(SubscriptionReadOnly)
    return problems(*kinds)


def security_of(route: Route, operation: dict[str, Any]) -> list[dict[str, list[str]]]:
    """The Bridge's routes take its opaque token; every other protected route a DPoP-bound
    access token with its proof; sign-in, refresh and activation (no token yet) the proof
    alone, which is how a route that refuses proofs is recognised; the rest nothing."""
    if route.permission is not None:
        if is_allowed(Role.BRIDGE, route.permission):
            return [{"bridgeToken": []}]
        return [{"dpop": [], "dpopProof": []}]
    refused = operation.get("responses", {}).get("401", {}).get(PROBLEM_CODES, [])
    return [{"dpopProof": []}] if InvalidDPoPProof.code in refused else []


def merge_documents(
    documents: dict[str, dict[str, Any]], public_url: str | None = None
) -> dict[str, Any]:
    """Keep only routes the gateway serves (the RBAC route table), annotate each operation
    with its permission, its security and what the gateway answers itself, and merge
    components; a schema name two services define differently is an error, so integrators
    never get a silently wrong model. The services' `webhooks` (what they send, not routes:
    services/webhooks/declared.py) are carried over as they are."""
    paths: dict[str, Any] = {}
    webhooks: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    headers: dict[str, Any] = {}
    for route in ROUTES:
        document = documents.get(route.service)
        if document is None:
            continue
        operation = document.get("paths", {}).get(route.path, {}).get(route.method.lower())
        if operation is None:
            continue
        operation = dict(operation)
        operation["x-permission"] = route.permission.value if route.permission else None
        responses = merge_responses(operation.get("responses", {}), gateway_problems(route))
        for response in responses.values():
            response.setdefault("headers", {}).update(header_refs(REQUEST_ID_HEADER))
        operation["responses"] = {str(status): response for status, response in responses.items()}
        operation["security"] = security_of(route, operation)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    for name, document in documents.items():
        components = document.get("components", {})
        for schema_name, schema in components.get("schemas", {}).items():
            if schema_name in schemas and schemas[schema_name] != schema:
                raise ValueError(f"schema {schema_name!r} differs between services ({name})")
            schemas[schema_name] = schema
        headers.update(components.get("headers", {}))
        for event_type, item in document.get("webhooks", {}).items():
            if event_type in webhooks:
                raise ValueError(f"webhook {event_type!r} declared by two services ({name})")
            webhooks[event_type] = item
    used = {
        tag
        for items in (paths, webhooks)
        for item in items.values()
        for operation in item.values()
        for tag in operation.get("tags", [])
    }
    undescribed = used - set(TAGS)
    if undescribed:
        raise ValueError(f"operation groups without a description in TAGS: {sorted(undescribed)}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "halopos API",
            "version": "0.2.0",
            "description": "The halopos point-of-sale API, as the gateway serves it. Guides: "
            f"{DOCS_URL} (signing requests: {DOCS_URL}sessions). Errors are RFC 9457 "
            "`application/problem+json` with a stable `code`; each response lists the codes "
            "it can carry (also as `x-problem-codes`). A path asked with a method it does not "
            "answer is 405 with `Allow`. Money is in integer minor units.",
        },
        "servers": [
            {
                "url": public_url or platform_settings().public_url,
                "description": "This platform's gateway (the URL DPoP proofs are signed for)",
            }
        ],
        "tags": [
            {"name": name, "description": text} for name, text in TAGS.items() if name in used
        ],
        "paths": paths,
        "webhooks": webhooks,
        "components": {
            "schemas": schemas,
            "headers": headers,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


class MergedOpenApi:
    """Fetched from the services on demand and cached briefly."""

    def __init__(
        self,
        services: list[str],
        fetch: Fetch,
        ttl_seconds: float = 60.0,
        public_url: str | None = None,
    ) -> None:
        self._services = services
        self._public_url = public_url
        self._fetch = fetch
        self._ttl = ttl_seconds
        self._cached: bytes | None = None
        self._cached_at = 0.0

    async def document(self) -> bytes:
        if self._cached is None or time.monotonic() - self._cached_at > self._ttl:
            fetched = await asyncio.gather(*(self._fetch(name) for name in self._services))
            documents = {
                name: doc for name, doc in zip(self._services, fetched, strict=True) if doc
            }
            self._cached = json.dumps(merge_documents(documents, self._public_url)).encode()
            self._cached_at = time.monotonic()
        return self._cached
