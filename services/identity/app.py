"""The identity service: the only holder of signing keys. Publishes its JWKS."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.access_tokens import TokenVerifier
from libs.auth.keys import StaticKeySource
from libs.config import platform_settings
from libs.tenancy.database import TenantDatabase
from services.identity.backoffice.router import router as backoffice_router
from services.identity.backoffice.totp_secrets import TotpSecrets, totp_key_from_environment
from services.identity.business.router import router as business_router
from services.identity.devices.router import router as devices_router
from services.identity.keys.router import router as keys_router
from services.identity.keys.signing import SigningKey, TokenIssuer, jwks_document
from services.identity.live_sessions.router import router as live_sessions_router
from services.identity.overrides.router import router as overrides_router
from services.identity.sessions.router import router as sessions_router
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
    totp_key: bytes | None = None,
) -> FastAPI:
    keys = signing_keys if signing_keys is not None else signing_keys_from_environment()
    totp_secrets = TotpSecrets(totp_key if totp_key is not None else totp_key_from_environment())
    settings = platform_settings()
    jwks = jwks_document(keys)
    # The identity service verifies its own tokens against its own keys, with no HTTP hop.
    verifier = TokenVerifier(
        keys=StaticKeySource(jwks), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    app = create_service_app(
        NAME,
        [
            keys_router,
            staff_router,
            devices_router,
            sessions_router,
            live_sessions_router,
            backoffice_router,
            overrides_router,
            business_router,
        ],
        database=database,
        verifier=verifier,
    )
    app.state.jwks = jwks
    app.state.signing_keys = keys
    app.state.token_issuer = TokenIssuer(keys[0], settings.jwt_issuer, settings.jwt_audience)
    app.state.totp_secrets = totp_secrets
    return app
