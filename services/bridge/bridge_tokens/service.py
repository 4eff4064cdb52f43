"""Bridge token rules: how an owner gives a venue's print Bridge its token, replaces its
secret, and cuts it off.

A token belongs to one location of the business and opens only the print-job routes
(libs/bridge/token_verifier.py verifies it). Its secret is shown once, in the answer that creates or
rotates it; only a SHA-256 digest is stored, and neither the secret nor the token ever goes
into the audit log or a log line. Rotation issues a new secret and lets the old one work for
a grace period, so a Bridge can be updated without missing a ticket; a grace period of 0
stops the old secret at once (a leak). Revocation stops every secret of the token for good;
a revoked token stays on record and cannot be rotated back to life.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.opaque_credentials import Credential, Kind, new_credential
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, Problem
from services.bridge.bridge_tokens.repository import BridgeTokenRepository, UnknownLocation
from services.bridge.bridge_tokens.schemas import (
    BridgeToken,
    BridgeTokenCreate,
    BridgeTokenCreated,
    BridgeTokenPage,
    BridgeTokenRotation,
)

HINT_LENGTH = 4


class LocationNotFound(Problem):
    # 422, not 404: the missing thing is named in the body, not the resource addressed.
    status = 422
    code = "location-not-found"
    title = "This business has no such location"


class BridgeTokenNotFound(NotFound):
    code = "bridge-token-not-found"
    title = "No such Bridge token"


class BridgeTokenRevoked(Conflict):
    code = "bridge-token-revoked"
    title = "The Bridge token is revoked; create a new one"


def _hint(credential: Credential) -> str:
    return credential.secret[-HINT_LENGTH:]


async def create_token(
    *,
    tokens: BridgeTokenRepository,
    audit: AuditLog,
    principal: Principal,
    request: BridgeTokenCreate,
) -> BridgeTokenCreated:
    credential = new_credential(Kind.BRIDGE_TOKEN, principal.tenant_id)
    token_id = uuid.uuid4()
    try:
        token = await tokens.insert(
            token_id=token_id,
            location_id=request.location_id,
            name=request.name,
            hint=_hint(credential),
            created_by=principal.subject,
            digest=credential.digest,
        )
    except UnknownLocation:
        raise LocationNotFound() from None
    await audit.append(
        actor=Actor.of(principal),
        action="bridge_token.created",
        resource_type="bridge_token",
        resource_id=str(token_id),
        payload={"location_id": str(token.location_id), "name": token.name, "hint": token.hint},
    )
    return BridgeTokenCreated(**token.model_dump(), token=str(credential))


async def list_tokens(
    *,
    tokens: BridgeTokenRepository,
    limit: int,
    cursor: str | None,
    location_id: UUID | None,
) -> BridgeTokenPage:
    after = decode_cursor(cursor) if cursor else None
    page = await tokens.page(limit=limit + 1, after=after, location_id=location_id)
    items, next_cursor = cut_page(
        page, limit, lambda token: encode_cursor(token.created_at, token.id)
    )
    return BridgeTokenPage(items=items, next_cursor=next_cursor)


async def get_token(*, tokens: BridgeTokenRepository, token_id: UUID) -> BridgeToken:
    token = await tokens.get(token_id)
    if token is None:
        raise BridgeTokenNotFound()
    return token


async def rotate_token(
    *,
    tokens: BridgeTokenRepository,
    audit: AuditLog,
    principal: Principal,
    token_id: UUID,
    request: BridgeTokenRotation,
) -> BridgeTokenCreated:
    # Locked first: two rotations at once would otherwise each leave their own secret
    # without an expiry, and a revocation in between would be rotated past.
    current = await tokens.get(token_id, for_update=True)
    if current is None:
        raise BridgeTokenNotFound()
    if current.revoked_at is not None:
        raise BridgeTokenRevoked()
    credential = new_credential(Kind.BRIDGE_TOKEN, principal.tenant_id)
    token = await tokens.replace_secret(
        token_id,
        digest=credential.digest,
        hint=_hint(credential),
        grace_period=timedelta(seconds=request.grace_period_seconds),
    )
    await audit.append(
        actor=Actor.of(principal),
        action="bridge_token.rotated",
        resource_type="bridge_token",
        resource_id=str(token_id),
        payload={
            "grace_period_seconds": request.grace_period_seconds,
            "hint": token.hint,
            "previous_hint": current.hint,
        },
    )
    return BridgeTokenCreated(**token.model_dump(), token=str(credential))


async def revoke_token(
    *, tokens: BridgeTokenRepository, audit: AuditLog, principal: Principal, token_id: UUID
) -> BridgeToken:
    """Revoking a revoked token returns it as it is, with no second audit row."""
    revoked = await tokens.revoke(token_id, revoked_by=principal.subject)
    if revoked is None:
        return await get_token(tokens=tokens, token_id=token_id)
    await audit.append(
        actor=Actor.of(principal),
        action="bridge_token.revoked",
        resource_type="bridge_token",
        resource_id=str(token_id),
        payload={
            "location_id": str(revoked.location_id),
            "name": revoked.name,
            "hint": revoked.hint,
        },
    )
    return revoked
