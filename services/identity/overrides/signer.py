"""Minting override tokens (verified by libs/auth/overrides.py, in whichever service guards
the action): signed with the identity service's current key, like access tokens, but of
another type (`override+jwt`), so neither can pass for the other."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from uuid import UUID

import jwt

from libs.auth.access_tokens import ALGORITHM
from libs.auth.overrides import (
    AMOUNT_CLAIM,
    MAX_OVERRIDE_LIFETIME_SECONDS,
    OVERRIDE_TOKEN_TYPE,
    PERCENT_CLAIM,
    OverrideAction,
)
from services.identity.keys.signing import SigningKey


@dataclass(frozen=True, slots=True)
class OverrideGrant:
    """What a manager approved, as the token states it: who asked at which till, who
    approved in which role, for which action on what, and up to how much."""

    tenant_id: UUID
    device_id: UUID
    requested_by: str
    approver_id: UUID
    approver_role: str
    action: OverrideAction
    resource_id: str
    amount_minor: int | None = None
    percent_bps: int | None = None


@dataclass(frozen=True, slots=True)
class MintedOverride:
    token: str
    jti: str
    issued_at: int
    expires_at: int


def mint_override_token(
    key: SigningKey,
    *,
    issuer: str,
    audience: str,
    grant: OverrideGrant,
    lifetime_seconds: int = MAX_OVERRIDE_LIFETIME_SECONDS,
    now: float | None = None,
) -> MintedOverride:
    issued_at = int(time.time() if now is None else now)
    expires_at = issued_at + min(lifetime_seconds, MAX_OVERRIDE_LIFETIME_SECONDS)
    jti = uuid.uuid4().hex
    claims: dict[str, object] = {
        "iss": issuer,
        "aud": audience,
        "iat": issued_at,
        "exp": expires_at,
        "jti": jti,
        "sub": str(grant.approver_id),
        "arl": grant.approver_role,
        "req": grant.requested_by,
        "tid": str(grant.tenant_id),
        "dev": str(grant.device_id),
        "act": grant.action.value,
        "res": grant.resource_id,
    }
    # How much is approved is signed with the rest: the guarded write may do no more.
    if grant.amount_minor is not None:
        claims[AMOUNT_CLAIM] = grant.amount_minor
    if grant.percent_bps is not None:
        claims[PERCENT_CLAIM] = grant.percent_bps
    token = jwt.encode(
        claims,
        key.private_key,
        algorithm=ALGORITHM,
        headers={"kid": key.kid, "typ": OVERRIDE_TOKEN_TYPE},
    )
    return MintedOverride(token=token, jti=jti, issued_at=issued_at, expires_at=expires_at)


@dataclass(frozen=True, slots=True)
class OverrideSigner:
    """Mints override tokens with the identity service's current signing key."""

    key: SigningKey
    issuer: str
    audience: str

    def mint(self, grant: OverrideGrant) -> MintedOverride:
        return mint_override_token(
            self.key, issuer=self.issuer, audience=self.audience, grant=grant
        )
