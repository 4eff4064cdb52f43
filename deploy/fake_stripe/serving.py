"""Serving an app on a loopback socket inside the current event loop: for tests and scripts
that need the fake (and a webhook receiver) reachable over real HTTP, as the billing service's
`stripe.HTTPXClient` reaches Stripe."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from doubles.fake_stripe.app import create_app
from doubles.fake_stripe.config import FakeStripeConfig
from fastapi import FastAPI


@asynccontextmanager
async def serve_app(build: Callable[[str], FastAPI]) -> AsyncIterator[str]:
    """Serves `build(url)` at `url` (a free loopback port) until the block ends, lifespan
    included. The app is built once its URL is known, so it can print links to itself."""
    # Bound before the app exists, so the port is known and held: no race for a free port.
    # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets that say they
    # are TCP, and without it every keep-alive request waited ~40 ms for a delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port: int = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(build(url), log_level="warning", lifespan="on", proxy_headers=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            if task.done():
                task.result()  # startup failed: raise its error here
            await asyncio.sleep(0.01)
        yield url
    finally:
        server.should_exit = True
        await task
        listener.close()


@dataclass(frozen=True)
class ServedFakeStripe:
    url: str  # the API base (`base_addresses={"api": url}`) and the hosted pages' origin
    config: FakeStripeConfig
    app: FastAPI


@asynccontextmanager
async def serve_fake_stripe(
    *,
    api_key: str,
    webhook_secret: str,
    webhook_url: str | None = None,
    state_file: Path | None = None,
) -> AsyncIterator[ServedFakeStripe]:
    """A fake Stripe account on a free loopback port, its `public_url` set to where it is."""
    built: list[ServedFakeStripe] = []

    def build(url: str) -> FastAPI:
        config = FakeStripeConfig(
            api_key=api_key,
            webhook_secret=webhook_secret,
            public_url=url,
            webhook_url=webhook_url,
            state_file=state_file,
        )
        app = create_app(config)
        built.append(ServedFakeStripe(url=url, config=config, app=app))
        return app

    async with serve_app(build):
        yield built[0]
