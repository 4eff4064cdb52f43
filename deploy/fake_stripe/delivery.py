"""Pushing events to the configured webhook URL, like `stripe listen --forward-to`.

One background task on the app's event loop sends events one at a time, in the order they
were created, each signed when it is sent. A refusal (any non-2xx) or a network error is
retried after 0.2 s, 1 s and 3 s, then left `failed` for `/_fake/events/{id}/resend`; Stripe
retries for days, which would only slow a test run. The API call that created an event only
queues it, so delivery can neither block nor fail that call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import httpx
from doubles.fake_stripe.signing import delivery_headers, event_body
from doubles.fake_stripe.state import Store

logger = logging.getLogger("halopos.fake_stripe.delivery")

RETRY_DELAYS = (0.2, 1.0, 3.0)
TIMEOUT_SECONDS = 5.0


class WebhookSender:
    def __init__(
        self,
        store: Store,
        *,
        url: str,
        secret: str,
    ) -> None:
        self._store = store
        self._url = url
        self._secret = secret
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._client: httpx.AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None
        # What an earlier run saved but had not finished pushing goes first.
        for event_id in store.pending_deliveries():
            self._queue.put_nowait(event_id)
        store.subscribe(self._queue.put_nowait)

    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)
        self._task = asyncio.create_task(self._run(), name="fake-stripe-webhooks")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def send_once(self, event_id: str) -> int | None:
        """One signed POST of the event: the endpoint's status, or None if it was unreachable.
        A 2xx marks the event delivered."""
        if self._client is None:
            raise RuntimeError("the webhook sender is not running (app lifespan not started)")
        event = self._store.event(event_id)
        if event is None:
            raise KeyError(event_id)
        body = event_body(event)
        headers = delivery_headers(self._secret, body, int(time.time()))
        try:
            response = await self._client.post(self._url, content=body.encode(), headers=headers)
        except httpx.HTTPError as error:
            logger.warning("webhook %s to %s failed: %s", event_id, self._url, error)
            return None
        if response.is_success:
            self._store.mark_delivered(event_id)
            self._store.save()
        else:
            logger.warning(
                "webhook %s to %s refused: %d", event_id, self._url, response.status_code
            )
        return response.status_code

    async def _run(self) -> None:
        while True:
            event_id = await self._queue.get()
            try:
                await self._deliver(event_id)
            except Exception:
                # A bug in one delivery must not silently stop every later one.
                logger.exception("webhook %s: delivery crashed", event_id)

    async def _deliver(self, event_id: str) -> None:
        # RETRY_DELAYS is read here, not bound at construction, so a test can shorten it.
        for delay in (0.0, *RETRY_DELAYS):
            await asyncio.sleep(delay)
            if event_id not in self._store.webhook_state:
                return  # acknowledged meanwhile, through `/resend`
            status = await self.send_once(event_id)
            if status is not None and 200 <= status < 300:
                return
        self._store.mark_failed(event_id)
        self._store.save()
