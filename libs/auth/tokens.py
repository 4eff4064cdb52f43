"""Access-token verification, shared by the gateway and every service.

Pinned to ES256 with a `kid` found in the identity service's JWKS; `iss` and `aud` must match
exactly; `exp`, `iat`, `sub`, `tid` (tenant) and `role` are required; `typ` must be `at+jwt`
(RFC 9068) so an ID token or a DPoP proof can never be replayed as an access token.

Venue scope: a till's token names its one location (`loc`); a backoffice token of a staff
member assigned to some locations lists them (`locs`, canonical UUID strings, at most
`MAX_VENUES`); a token with neither reaches every location of the business (how every
backoffice token minted before venues existed reads). `Principal.venues` carries the result.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import jwt

from libs.auth.keys import KeySource, UnknownSigningKey
from libs.auth.principal import Principal
from libs.rbac.matrix import Role

ALGORITHM = "ES256"
ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a media type, not a secret
MAX_LIFETIME_SECONDS = 600
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "sub", "tid", "role")
CLOCK_SKEW_SECONDS = 30
# The most locations a staff member can be assigned to by name (more: every location), so
# that an access token stays a header's size.
MAX_VENUES = 50


class InvalidToken(Exception):
    """The token is not acceptable; the message says why (for logs, not for clients)."""


def _optional_uuid(claims: dict[str, Any], name: str) -> UUID | None:
    value = claims.get(name)
    return UUID(value) if value is not None else None


def _venues(claims: dict[str, Any]) -> frozenset[UUID] | None:
    """The `locs` claim: None when absent, else a list of canonical UUID strings."""
    listed = claims.get("locs")
    if listed is None:
        return None
    if claims.get("loc") is not None:
        raise InvalidToken("a token at a location (loc) cannot list other locations (locs)")
    if not isinstance(listed, list) or len(listed) > MAX_VENUES:
        raise InvalidToken(f"locs must be a list of at most {MAX_VENUES} location ids")
    venues: set[UUID] = set()
    for value in listed:
        try:
            venue = UUID(value) if isinstance(value, str) else None
        except ValueError:
            venue = None
        if venue is None or str(venue) != value:
            raise InvalidToken("locs must list location ids as canonical UUIDs")
        venues.add(venue)
    return frozenset(venues)


class TokenVerifier:
    def __init__(self, *, keys: KeySource, issuer: str, audience: str) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience

    @property
    def keys(self) -> KeySource:
        """The identity service's public keys, as this verifier finds them: other tokens that
        service signs (manager overrides, libs/auth/overrides.py) are checked against them."""
        return self._keys

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken(f"malformed token: {error}") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
        if header.get("typ") != ACCESS_TOKEN_TYPE:
            raise InvalidToken(f"token type {header.get('typ')!r} is not an access token")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("token has no kid")
        try:
            key = await self._keys.key(kid)
        except UnknownSigningKey:
            raise InvalidToken(f"unknown signing key {kid!r}") from None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": list(REQUIRED_CLAIMS), "strict_aud": True},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        if claims["exp"] - claims["iat"] > MAX_LIFETIME_SECONDS:
            raise InvalidToken("token lifetime exceeds the maximum")
        cnf = claims.get("cnf") or {}
        thumbprint = cnf.get("jkt") if isinstance(cnf, dict) else None
        if not isinstance(cnf, dict) or not isinstance(thumbprint, str | None):
            raise InvalidToken("cnf must be an object whose jkt is a string")
        if claims["role"] == Role.BRIDGE:
            # A Bridge is only ever authenticated by its bridge token (libs/bridge/token_verifier.py).
            raise InvalidToken("access tokens are never issued to a Bridge")
        try:
            return Principal(
                subject=str(claims["sub"]),
                tenant_id=UUID(claims["tid"]),
                role=Role(claims["role"]),
                location_id=_optional_uuid(claims, "loc"),
                device_id=_optional_uuid(claims, "dev"),
                token_id=claims.get("jti"),
                session_id=_optional_uuid(claims, "sid"),
                key_thumbprint=thumbprint,
                venues=_venues(claims),
            )
        except (ValueError, TypeError, AttributeError) as error:
            raise InvalidToken(f"malformed claims: {error}") from None
