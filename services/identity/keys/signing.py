"""The identity service's signing keys: the only private keys in the platform.

Keys are P-256 (ES256). The `kid` is the key's RFC 7638 thumbprint. Rotation: publish a new
key in the JWKS first (list it second in HALOPOS_IDENTITY_SIGNING_KEY_FILES), let verifiers'
caches pick it up, then list it first so it signs; drop the old one after the longest token
lifetime has passed.
"""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from libs.auth.access_tokens import ACCESS_TOKEN_TYPE, ALGORITHM, MAX_LIFETIME_SECONDS, MAX_VENUES

from libs.auth.dpop import jwk_thumbprint


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def load(cls, path: Path) -> SigningKey:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError(f"{path} is not a P-256 private key")
        return cls(key)

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        if path.exists():
            return cls.load(path)
        key = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(
                key.private_key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        return key

    def public_jwk(self) -> dict[str, Any]:
        numbers = self.private_key.public_key().public_numbers()
        jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64url(numbers.x.to_bytes(32, "big")),
            "y": _b64url(numbers.y.to_bytes(32, "big")),
        }
        return {**jwk, "kid": jwk_thumbprint(jwk), "use": "sig", "alg": ALGORITHM}

    @property
    def kid(self) -> str:
        return str(self.public_jwk()["kid"])


def jwks_document(keys: list[SigningKey]) -> dict[str, Any]:
    return {"keys": [key.public_jwk() for key in keys]}


def mint_access_token(
    key: SigningKey,
    *,
    issuer: str,
    audience: str,
    subject: str,
    tenant_id: UUID,
    role: str,
    lifetime_seconds: int = MAX_LIFETIME_SECONDS,
    location_id: UUID | None = None,
    device_id: UUID | None = None,
    key_thumbprint: str | None = None,
    session_id: UUID | None = None,
    venues: Collection[UUID] | None = None,
    now: float | None = None,
) -> str:
    """An access token (libs/auth/access_tokens.py reads it). `venues`: the locations a backoffice
    session reaches (`locs`), None for every location; a till's session is scoped by its
    `location_id` (`loc`) instead, so the two are never given together."""
    if venues is not None and (location_id is not None or len(venues) > MAX_VENUES):
        raise ValueError(f"venues are for sessions not at a location, at most {MAX_VENUES}")
    issued_at = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "tid": str(tenant_id),
        "role": role,
        "iat": issued_at,
        "exp": issued_at + min(lifetime_seconds, MAX_LIFETIME_SECONDS),
        "jti": uuid.uuid4().hex,
    }
    if location_id:
        claims["loc"] = str(location_id)
    if device_id:
        claims["dev"] = str(device_id)
    if key_thumbprint:
        claims["cnf"] = {"jkt": key_thumbprint}
    if session_id:
        claims["sid"] = str(session_id)
    if venues is not None:
        claims["locs"] = sorted(str(venue) for venue in venues)
    return jwt.encode(
        claims,
        key.private_key,
        algorithm=ALGORITHM,
        headers={"kid": key.kid, "typ": ACCESS_TOKEN_TYPE},
    )


@dataclass(frozen=True)
class TokenIssuer:
    """Mints the platform's access tokens with the current signing key."""

    key: SigningKey
    issuer: str
    audience: str

    def access_token(
        self,
        *,
        staff_id: UUID,
        tenant_id: UUID,
        role: str,
        key_thumbprint: str,
        session_id: UUID,
        location_id: UUID | None = None,
        device_id: UUID | None = None,
        venues: Collection[UUID] | None = None,
    ) -> str:
        return mint_access_token(
            self.key,
            issuer=self.issuer,
            audience=self.audience,
            subject=str(staff_id),
            tenant_id=tenant_id,
            role=role,
            location_id=location_id,
            device_id=device_id,
            key_thumbprint=key_thumbprint,
            session_id=session_id,
            venues=venues,
        )
