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
    tenant_id: UUID,
    device_id: UUID,
    requested_by: str,
    approver_id: UUID,
    approver_role: str,
    action: OverrideAction,
    resource_id: str,
    amount_minor: int | None = None,
    percent_bps: int | None = None,
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
        "sub": str(approver_id),
        "arl": approver_role,
        "req": requested_by,
        "tid": str(tenant_id),
        "dev": str(device_id),
        "act": action.value,
        "res": resource_id,
    }
    # How much is approved is signed with the rest: the guarded write may do no more.
    if amount_minor is not None:
        claims[AMOUNT_CLAIM] = amount_minor
    if percent_bps is not None:
        claims[PERCENT_CLAIM] = percent_bps
    token = jwt.encode(
        claims, key.private_key, algorithm=ALGORITHM,
        headers={"kid": key.kid, "typ": OVERRIDE_TOKEN_TYPE},
    )  # fmt: skip
    return MintedOverride(token=token, jti=jti, issued_at=issued_at, expires_at=expires_at)


@dataclass(frozen=True, slots=True)
class OverrideSigner:
    """Mints override tokens with the identity service's current signing key."""

    key: SigningKey
    issuer: str
    audience: str

    def mint(
        self,
        *,
        tenant_id: UUID,
        device_id: UUID,
        requested_by: str,
        approver_id: UUID,
        approver_role: str,
        action: OverrideAction,
        resource_id: str,
        amount_minor: int | None = None,
        percent_bps: int | None = None,
    ) -> MintedOverride:
        return mint_override_token(
            self.key,
            issuer=self.issuer,
            audience=self.audience,
            tenant_id=tenant_id,
            device_id=device_id,
            requested_by=requested_by,
            approver_id=approver_id,
            approver_role=approver_role,
            action=action,
            resource_id=resource_id,
            amount_minor=amount_minor,
            percent_bps=percent_bps,
        )
