"""The billing service process: the business's halopos subscription through Stripe-hosted
Checkout and the Customer Portal, Stripe's webhooks, and the subscription status every other
service and the gateway enforce (docs/billing.md)."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.access_tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase
from services.billing.router import router
from services.billing.settings import BillingSettings
from services.billing.stripe_api import StripeApi
from services.billing.worker import EventWorker

NAME = "billing"


def create_app(
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    settings: BillingSettings | None = None,
) -> FastAPI:
    settings = settings or BillingSettings()
    # Without a key the API answers 503 billing-not-configured; everything else still runs.
    stripe = StripeApi(settings) if settings.stripe_api_key is not None else None

    async def apply_events(app: FastAPI) -> None:
        worker: EventWorker | None = app.state.billing_worker
        try:
            if worker is not None:
                # Wakes on every replica; the sweep on the elected one (worker.py).
                async with asyncio.TaskGroup() as jobs:
                    jobs.create_task(worker.run())
                    jobs.create_task(worker.sweep_as_leader())
        finally:
            if stripe is not None:
                await stripe.close()

    app = create_service_app(
        NAME, [router], database=database, verifier=verifier, background=[apply_events]
    )
    app.state.billing_settings = settings
    app.state.stripe = stripe
    app.state.billing_worker = (
        EventWorker(app.state.database, stripe, settings) if stripe is not None else None
    )
    return app
