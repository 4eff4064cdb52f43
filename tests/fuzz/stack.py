"""The whole platform for the API fuzz: every service and the gateway on loopback sockets, on
a real Postgres, in an event loop of their own on a thread of their own.

Schemathesis drives its requests synchronously (requests, from the test's own thread), so the
servers cannot share pytest-asyncio's loop, which is idle while a synchronous test runs: they
get a loop that always runs. Everything they hold (connection pools, the gateway's aiohttp
client) is made inside that loop; nothing is borrowed from the session's fixtures.

Billing runs against the fake Stripe (doubles/fake_stripe), as in tests/billing/test_billing.py,
so its routes answer as they would in production instead of `503 billing-not-configured`.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import threading
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI

from doubles.fake_stripe import PRICE_AUD, PRICE_EUR, serve_fake_stripe
from gateway.openapi import merge_documents
from libs.auth.access_tokens import TokenVerifier
from libs.auth.keys import RemoteKeySource, StaticKeySource
from libs.config import SERVICES, platform_settings
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from services.billing.settings import BillingSettings
from services.identity.keys.signing import SigningKey
from services.webhooks.settings import WebhookSettings
from tests.conftest import AUDIT_SETTINGS, AUDIT_SIGNER, TOTP_KEY, WEBHOOKS_KEY, _free_port, _serve

T = TypeVar("T")

# Made per run, never kept: the repository holds no key of any kind.
STRIPE_API_KEY = f"sk_test_{secrets.token_hex(12)}"
STRIPE_WEBHOOK_SECRET = f"whsec_{secrets.token_hex(16)}"
# A request the stack takes longer than this to answer has hung: fail instead of waiting.
CALL_TIMEOUT_SECONDS = 120.0


@dataclass
class FuzzStack:
    """Start with `start()`, stop with `stop()`; `run(coroutine)` runs on the stack's loop."""

    database: PreparedDatabase
    signing_key: SigningKey = field(default_factory=SigningKey.generate)
    # The gateway's port (0: any free one; the backoffice's browser tests name it, since the
    # page's origin is the public URL its proofs are checked against) and the backoffice's
    # built files it serves (tests/backoffice/).
    gateway_port: int = 0
    backoffice_dir: str = ""
    pos_dir: str = ""  # the till's built files (tests/pos/)
    gateway: str = ""
    # The fake Stripe's address (its key is STRIPE_API_KEY): a test drives a subscription
    # through it and its signed webhooks (tests/backoffice/test_sync_billing.py).
    stripe: str = ""
    services: dict[str, str] = field(default_factory=dict)
    databases: dict[str, TenantDatabase] = field(default_factory=dict)
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _thread: threading.Thread | None = None
    _exit: AsyncExitStack = field(default_factory=AsyncExitStack)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(CALL_TIMEOUT_SECONDS)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="fuzz-stack", daemon=True
        )
        self._thread.start()
        self.run(self._start())

    def stop(self) -> None:
        try:
            self.run(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=30)
            self._loop.close()

    async def _serve(self, app: FastAPI, port: int = 0) -> str:
        # tests/conftest.py's way, on a port asyncio binds itself: that socket gets
        # TCP_NODELAY on every connection, which a hand-made listener's (proto 0) do not,
        # and a keep-alive request to it would wait ~40 ms on a delayed ACK.
        port = port or _free_port()
        server, task = await _serve(app, port)

        async def stop() -> None:
            server.should_exit = True
            await task

        self._exit.push_async_callback(stop)
        return f"http://127.0.0.1:{port}"

    async def _start(self) -> None:
        from gateway.app import create_app as create_gateway

        self.databases = {
            name: TenantDatabase(url, pool_size=5)
            for name, url in self.database.service_urls.items()
        }
        identity, *_ = service_apps(self.databases, self.signing_key, only=["identity"])
        self.services["identity"] = await self._serve(identity)
        jwks = f"{self.services['identity']}/.well-known/jwks.json"
        stripe = await self._exit.enter_async_context(
            serve_fake_stripe(api_key=STRIPE_API_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET)
        )
        self.stripe = stripe.url
        others = [spec.name for spec in SERVICES if spec.name != "identity"]
        apps = service_apps(
            self.databases, self.signing_key, only=others, jwks=jwks, stripe=stripe.url
        )
        for name, app in zip(others, apps, strict=True):
            self.services[name] = await self._serve(app)
        gateway = create_gateway(
            database=self.databases["gateway"],
            verifier=verifier(jwks),
            upstreams=self.services,
            backoffice_dir=self.backoffice_dir,
            pos_dir=self.pos_dir,
        )
        self.gateway = await self._serve(gateway, self.gateway_port)

    async def _stop(self) -> None:
        await self._exit.aclose()
        for tenant_database in self.databases.values():
            await tenant_database.dispose()


def verifier(jwks: str | None) -> TokenVerifier:
    """As in production, every verifier fetches the identity service's JWKS over HTTP."""
    settings = platform_settings()
    keys = RemoteKeySource(jwks) if jwks else StaticKeySource({"keys": []})
    return TokenVerifier(keys=keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def service_apps(
    databases: dict[str, TenantDatabase],
    signing_key: SigningKey,
    *,
    only: list[str],
    jwks: str | None = None,
    stripe: str | None = None,
) -> list[FastAPI]:
    """The services named in `only`, in that order, as tests/conftest.py's `live_stack` makes
    them; billing against the fake Stripe at `stripe` (`None`: a placeholder address)."""
    from services.audit.app import create_app as create_audit
    from services.billing.app import create_app as create_billing
    from services.bridge.app import create_app as create_bridge
    from services.identity.app import create_app as create_identity
    from services.orders.app import create_app as create_orders
    from services.reports.app import create_app as create_reports
    from services.webhooks.app import create_app as create_webhooks

    billing = BillingSettings(
        stripe_api_key=STRIPE_API_KEY,
        stripe_webhook_secret=STRIPE_WEBHOOK_SECRET,
        stripe_api_base=stripe or "http://127.0.0.1:9",
        stripe_price_aud=PRICE_AUD,
        stripe_price_eur=PRICE_EUR,
        billing_return_url="https://backoffice.example/billing",
    )
    build: dict[str, Callable[[], FastAPI]] = {
        "identity": lambda: create_identity(databases["identity"], [signing_key], TOTP_KEY),
        "orders": lambda: create_orders(databases["orders"], verifier(jwks)),
        "audit": lambda: create_audit(
            databases["audit"], verifier(jwks), AUDIT_SIGNER, AUDIT_SETTINGS
        ),
        "reports": lambda: create_reports(databases["reports"], verifier(jwks)),
        "billing": lambda: create_billing(databases["billing"], verifier(jwks), billing),
        "bridge": lambda: create_bridge(databases["bridge"], verifier(jwks)),
        "webhooks": lambda: create_webhooks(
            databases["webhooks"], verifier(jwks), WebhookSettings(), WEBHOOKS_KEY
        ),
    }
    return [build[name]() for name in only]


@functools.cache
def merged_openapi_document() -> dict[str, Any]:
    """The document the gateway serves (gateway/openapi.py merges the services' own), made
    without serving anything: schemathesis needs it when pytest collects the fuzz, before any
    fixture runs. The services are built only to read their documents (their databases are
    placeholders nothing connects to); a test checks the running gateway serves the same."""
    placeholder = "postgresql://nobody@127.0.0.1:9/nothing"
    databases = {spec.name: TenantDatabase(placeholder, pool_size=1) for spec in SERVICES}
    names = [spec.name for spec in SERVICES]
    apps = service_apps(databases, SigningKey.generate(), only=names)
    return merge_documents({name: app.openapi() for name, app in zip(names, apps, strict=True)})
