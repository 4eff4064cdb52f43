"""The merged OpenAPI document integrators use: every service's public routes in one spec."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from libs.rbac.matrix import ROUTES, Role, is_allowed

Fetch = Callable[[str], Awaitable[dict[str, Any] | None]]


def merge_documents(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Keep only routes the gateway serves (the RBAC route table), annotate each operation
    with its permission, and merge components; a schema name two services define differently
    is an error, so integrators never get a silently wrong model."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for route in ROUTES:
        document = documents.get(route.service)
        if document is None:
            continue
        operation = document.get("paths", {}).get(route.path, {}).get(route.method.lower())
        if operation is None:
            continue
        operation = dict(operation)
        operation["x-permission"] = route.permission.value if route.permission else None
        if route.permission:
            # The Bridge's routes take its opaque token; every other protected route a
            # DPoP-bound access token, which a client sends as `DPoP`, never as `Bearer`.
            bridge = is_allowed(Role.BRIDGE, route.permission)
            operation["security"] = [{"bridgeToken": []} if bridge else {"dpop": []}]
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    for name, document in documents.items():
        for schema_name, schema in document.get("components", {}).get("schemas", {}).items():
            if schema_name in schemas and schemas[schema_name] != schema:
                raise ValueError(f"schema {schema_name!r} differs between services ({name})")
            schemas[schema_name] = schema
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "halopos API",
            "version": "0.1.0",
            "description": "Errors are RFC 9457 application/problem+json with a stable `code`.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "dpop": {
                    "type": "http",
                    "scheme": "DPoP",
                    "bearerFormat": "JWT",
                    "description": "`Authorization: DPoP <access token>` and a `DPoP` header "
                    "with a fresh proof of the key the token is bound to (RFC 9449): "
                    "docs/sessions.md.",
                },
                "bridgeToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A print Bridge's opaque token (docs/bridge.md).",
                },
            },
        },
    }


class MergedOpenApi:
    """Fetched from the services on demand and cached briefly."""

    def __init__(self, services: list[str], fetch: Fetch, ttl_seconds: float = 60.0) -> None:
        self._services = services
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
            self._cached = json.dumps(merge_documents(documents)).encode()
            self._cached_at = time.monotonic()
        return self._cached
