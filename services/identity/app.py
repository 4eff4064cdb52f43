"""The identity service: the only holder of signing keys. Publishes its JWKS."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.keys import StaticKeySource
from libs.auth.tokens import TokenVerifier
from libs.config import platform_settings
from libs.tenancy.database import TenantDatabase
from services.identity.keys.router import router as keys_router
from services.identity.keys.signing import SigningKey, jwks_document
from services.identity.staff.router import router as staff_router

NAME = "identity"


def signing_keys_from_environment() -> list[SigningKey]:
    """HALOPOS_IDENTITY_SIGNING_KEY_FILES: PEM files, comma-separated; the first one signs,
    all are published (so a new key can be announced before it signs)."""
    files = os.environ.get("HALOPOS_IDENTITY_SIGNING_KEY_FILES", "")
    paths = [Path(part) for part in files.split(",") if part.strip()]
    if not paths:
        raise RuntimeError("HALOPOS_IDENTITY_SIGNING_KEY_FILES is not set")
    return [SigningKey.load(path) for path in paths]


def create_app(
    database: TenantDatabase | None = None,
    signing_keys: list[SigningKey] | None = None,
) -> FastAPI:
    keys = signing_keys if signing_keys is not None else signing_keys_from_environment()
    settings = platform_settings()
    jwks = jwks_document(keys)
    # The identity service verifies its own tokens against its own keys, with no HTTP hop.
    verifier = TokenVerifier(
        keys=StaticKeySource(jwks), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    app = create_service_app(
        NAME,
        [keys_router, staff_router],
        database=database,
        verifier=verifier,
        own_process=database is None,
    )
    app.state.jwks = jwks
    app.state.signing_keys = keys
    return app
