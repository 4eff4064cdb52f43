"""Access tokens as the identity service issues them, bound to a device key (DPoP)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.config import platform_settings
from libs.rbac import Role
from services.identity.keys.signing import SigningKey, mint_access_token

# Every app under test checks proofs against the configured public URL, whatever socket or
# in-process transport the test reaches it through.
PUBLIC_URL = platform_settings().public_url

# `token(tenant, role, subject, key=..., ...)`: an httpx auth for a fresh DPoP-bound token.
TokenFactory = Callable[..., DPoPAuth]


def access_token(
    signing_key: SigningKey,
    *,
    tenant_id: uuid.UUID,
    role: Role | str,
    subject: str,
    key: DeviceKey | None = None,
    location_id: uuid.UUID | None = None,
    device_id: uuid.UUID | None = None,
    venues: frozenset[uuid.UUID] | None = None,
) -> str:
    """An access token for the configured issuer and audience, bound to `key` when given."""
    settings = platform_settings()
    return mint_access_token(
        signing_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        subject=subject,
        tenant_id=tenant_id,
        role=str(role),
        location_id=location_id,
        device_id=device_id,
        key_thumbprint=key.thumbprint() if key is not None else None,
        venues=venues,
    )


def token_factory(signing_key: SigningKey, *, public_url: str = PUBLIC_URL) -> TokenFactory:
    """`token(tenant, role, subject, key=..., location_id=..., device_id=..., venues=...)`: an
    httpx auth for a DPoP-bound access token on `key` (a fresh device key by default), as the
    identity service would issue it: pass it as `auth=` and every request gets its own proof."""

    def mint(
        tenant_id: uuid.UUID,
        role: Role | str = Role.OWNER,
        subject: str | None = None,
        *,
        key: DeviceKey | None = None,
        location_id: uuid.UUID | None = None,
        device_id: uuid.UUID | None = None,
        venues: frozenset[uuid.UUID] | None = None,
    ) -> DPoPAuth:
        key = key or DeviceKey.generate()
        token = access_token(
            signing_key,
            tenant_id=tenant_id,
            role=role,
            subject=subject or f"test-{role}",
            key=key,
            location_id=location_id,
            device_id=device_id,
            venues=venues,
        )
        return DPoPAuth(key, token, public_url=public_url)

    return mint
