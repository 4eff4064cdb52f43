"""The fake Stripe server: `uvicorn --factory doubles.fake_stripe.app:create_app`, configured
from the environment (see `FakeStripeConfig.from_environment`), or `create_app(config)`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from doubles.fake_stripe import api, helpers, pages
from doubles.fake_stripe.calls import FakeStripe, error_response
from doubles.fake_stripe.config import FakeStripeConfig
from doubles.fake_stripe.delivery import WebhookSender
from doubles.fake_stripe.errors import StripeError
from doubles.fake_stripe.state import Store
from fastapi import FastAPI, Request, Response

# Paths answered in Stripe's JSON; everything else is a page for a browser.
JSON_PREFIXES = ("/v1/", "/_fake/")


def create_app(config: FakeStripeConfig | None = None) -> FastAPI:
    config = config or FakeStripeConfig.from_environment()
    store = Store.open(
        state_file=config.state_file, webhook_endpoints=1 if config.webhook_url else 0
    )
    sender = None
    if config.webhook_url is not None:
        sender = WebhookSender(store, url=config.webhook_url, secret=config.webhook_secret)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if sender is not None:
            await sender.start()
        try:
            yield
        finally:
            if sender is not None:
                await sender.stop()

    # No OpenAPI pages: the API this serves is Stripe's, documented by Stripe.
    app = FastAPI(
        title="halopos fake Stripe",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.fake_stripe = FakeStripe(config=config, store=store, sender=sender)

    @app.exception_handler(StripeError)
    async def render_stripe_error(request: Request, error: StripeError) -> Response:
        if request.url.path.startswith(JSON_PREFIXES):
            return error_response(request, error)
        return pages.error_page(error)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """For `halopos run`, which waits for it before starting the platform."""
        return {"status": "ok", "service": "fake-stripe"}

    app.include_router(helpers.router)
    app.include_router(pages.router)
    # Last: its catch-all answers every /v1 path the others do not.
    app.include_router(api.router)
    return app
