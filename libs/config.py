"""Platform settings, read from the environment only (no secrets live in the repository).

Every service is listed once here, with its port and its own Postgres login role, so the
gateway, the launcher, the migrations and the tests agree on the same names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str
    default_port: int

    @property
    def database_role(self) -> str:
        return f"halopos_{self.name}"


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("identity", 8001),
    ServiceSpec("orders", 8002),
    ServiceSpec("audit", 8003),
    ServiceSpec("reports", 8004),
    ServiceSpec("billing", 8005),
    ServiceSpec("bridge", 8006),
    ServiceSpec("webhooks", 8007),
)
SERVICES_BY_NAME = {spec.name: spec for spec in SERVICES}

# Owns every table; NOLOGIN; used only by migrations (SET ROLE).
OWNER_ROLE = "halopos_owner"
# The gateway's own login: it reads Bridge token digests (bridge.tokens, bridge.token_secrets)
# and the tenant's subscription status (billing.accounts: status and grace period only);
# nothing else. (The DPoP proofs it passes on are spent durably by the service behind it.)
GATEWAY_ROLE = "halopos_gateway"
# Everything that logs in to Postgres: each service, and the gateway.
DATABASE_LOGINS: dict[str, str] = {
    **{spec.name: spec.database_role for spec in SERVICES},
    "gateway": GATEWAY_ROLE,
}
# A generated gateway secret is 43 characters (32 random bytes, URL-safe base64).
MIN_GATEWAY_SECRET_LENGTH = 32


class PlatformSettings(BaseSettings):
    """Settings every process shares. Environment variables are prefixed HALOPOS_."""

    model_config = SettingsConfigDict(env_prefix="HALOPOS_", extra="ignore")

    jwt_issuer: str = "halopos-identity"
    jwt_audience: str = "halopos"
    # The public base URL clients address (scheme, host, port): DPoP proofs name it in `htu`,
    # and the gateway and every service compare against it, never against a Host header.
    public_url: str = "http://127.0.0.1:8000"
    # Where the identity service publishes its public keys.
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    log_level: str = "INFO"
    # Gateway rate limits, "per_second/burst" ("0": none). Per client address (generous: a
    # venue's tills share one address) and per signed-in principal.
    gateway_rate_per_address: str = "200/400"
    gateway_rate_per_principal: str = "20/40"
    # The secret the gateway adds to every request it forwards (X-Halopos-Gateway): a service
    # takes forwarding headers (X-Forwarded-For, X-Request-Id, X-Client-Request-Id, X-Halopos-*)
    # only from a request that carries it, and a direct caller's are ignored. The same value
    # for the gateway and every service; empty: the gateway sends none and services trust no
    # forwarding header (each request is then taken as a direct call). `halopos run` generates
    # one per checkout (ops/state.py); production reads it from its secret store.
    gateway_secret: str = Field(default="", repr=False)
    # The gateway's pool of upstream connections for ordinary requests, and the share of it
    # one business (or, before sign-in, one client address) may hold at once: past it, that
    # business's requests are answered 429 at once and nobody else's wait.
    gateway_upstream_connections: int = Field(default=256, ge=1)
    gateway_concurrency_per_tenant: int = Field(default=64, ge=1)
    # Long-polls (`GET /v1/print-jobs?wait=...`) have a pool of their own, so that waiting
    # polls never hold the connections ordinary requests need. One poll per Bridge token at a
    # time; at most this many per location and per business; past the pool, 503 at once.
    gateway_long_poll_connections: int = Field(default=1024, ge=1)
    gateway_long_polls_per_location: int = Field(default=4, ge=1)
    gateway_long_polls_per_tenant: int = Field(default=256, ge=1)
    # The backoffice's built files (web/backoffice/dist, `make backoffice`), served by the
    # gateway at /backoffice/ (gateway/backoffice.py); empty: not served here.
    backoffice_dir: str = ""
    # The till's built files (web/pos/dist, `make pos`), served at /pos/ likewise.
    pos_dir: str = ""

    @field_validator("gateway_secret")
    @classmethod
    def _long_enough(cls, secret: str) -> str:
        # Guessable secrets would let anybody who can reach a service forge its headers.
        if secret and len(secret) < MIN_GATEWAY_SECRET_LENGTH:
            raise ValueError(
                f"HALOPOS_GATEWAY_SECRET must be at least {MIN_GATEWAY_SECRET_LENGTH} characters"
            )
        return secret


@lru_cache
def platform_settings() -> PlatformSettings:
    return PlatformSettings()


class DatabaseNotConfigured(RuntimeError):
    pass


def service_database_url(name: str) -> str:
    """The service's own DSN (its least-privilege login role): HALOPOS_<NAME>_DATABASE_URL."""
    variable = f"HALOPOS_{name.upper()}_DATABASE_URL"
    url = os.environ.get(variable, "")
    if not url:
        raise DatabaseNotConfigured(f"{variable} is not set; `halopos run` sets it for you")
    return url


def upstream_url(name: str) -> str:
    """Where the gateway reaches a service: HALOPOS_<NAME>_URL or loopback on its port."""
    spec = SERVICES_BY_NAME[name]
    return os.environ.get(f"HALOPOS_{name.upper()}_URL", f"http://127.0.0.1:{spec.default_port}")
