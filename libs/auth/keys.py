"""Where verifiers find the identity service's public keys (JWKS, RFC 7517).

Verifiers hold public keys only; the identity service alone holds signing keys.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol

import httpx
from jwt.algorithms import ECAlgorithm


class UnknownSigningKey(LookupError):
    pass


class KeySource(Protocol):
    async def key(self, kid: str) -> Any: ...


def parse_jwks(document: dict[str, Any]) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for entry in document.get("keys", []):
        if entry.get("kty") != "EC" or entry.get("crv") != "P-256" or "kid" not in entry:
            continue  # only the algorithm we accept; anything else cannot verify a token
        if "d" in entry:
            raise ValueError("a JWKS must never contain a private key")
        keys[entry["kid"]] = ECAlgorithm.from_jwk(entry)
    return keys


class StaticKeySource:
    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = parse_jwks(jwks)

    async def key(self, kid: str) -> Any:
        try:
            return self._keys[kid]
        except KeyError:
            raise UnknownSigningKey(kid) from None


class RemoteKeySource:
    """Fetches the JWKS over HTTP and caches it; refetches on an unknown kid (key rotation),
    at most once per `min_refresh_seconds`, so forged kids cannot make us hammer the issuer."""

    def __init__(
        self, url: str, *, min_refresh_seconds: float = 30.0, max_age_seconds: float = 300.0
    ) -> None:
        self._url = url
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._min_refresh = min_refresh_seconds
        self._max_age = max_age_seconds
        self._lock = asyncio.Lock()

    async def _refresh(self) -> None:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(self._url)
            response.raise_for_status()
            self._keys = parse_jwks(response.json())
        self._fetched_at = time.monotonic()

    async def key(self, kid: str) -> Any:
        age = time.monotonic() - self._fetched_at
        if kid not in self._keys or age > self._max_age:
            async with self._lock:
                age = time.monotonic() - self._fetched_at
                stale = age > self._max_age
                if (kid not in self._keys and age > self._min_refresh) or stale:
                    await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise UnknownSigningKey(kid) from None


__all__ = ["KeySource", "RemoteKeySource", "StaticKeySource", "UnknownSigningKey"]
