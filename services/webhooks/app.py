"""The webhooks service process: the owner's endpoints and delivery log (`endpoints/`,
`deliveries/`), and the worker that delivers the outbox the orders and reports services
write in their events' transactions (worker.py, docs/webhooks.md)."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.access_tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase
from services.webhooks import declared
from services.webhooks.deliveries.router import router as deliveries_router
from services.webhooks.endpoints.router import router as endpoints_router
from services.webhooks.endpoints.service import Keys
from services.webhooks.settings import WebhookSettings
from services.webhooks.signing_secrets import SecretBox
from services.webhooks.worker import Worker, WorkerHandle

NAME = "webhooks"


def create_app(
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    settings: WebhookSettings | None = None,
    secret_key: bytes | None = None,
) -> FastAPI:
    settings = settings or WebhookSettings()
    box = SecretBox(secret_key if secret_key is not None else settings.secret_key())

    async def deliver(app: FastAPI) -> None:
        handle: WorkerHandle = app.state.webhook_worker
        handle.start()
        try:
            await asyncio.Event().wait()
        finally:
            await handle.stop()

    app = create_service_app(
        NAME,
        [endpoints_router, deliveries_router],
        database=database,
        verifier=verifier,
        background=[deliver],
    )
    # The events the worker sends, in the document's `webhooks` (declared.py).
    declared.declare(app)
    handle = WorkerHandle(lambda: Worker(app.state.database, settings, box))
    app.state.webhook_keys = Keys(settings=settings, box=box)
    app.state.webhook_worker = handle
    app.state.wake_worker = handle.wake
    return app
