"""How the gateway talks to services: long-lived pooled clients, chosen by measurement.

Measured on this kind of machine (ARCHITECTURE.md, and `make bench` here): a plain
`httpx.AsyncClient` forwards ~260-290 req/s, aiohttp ~1,450. aiohttp is the default;
HALOPOS_GATEWAY_CLIENT=httpx selects httpx so the bench can keep measuring both.

The gateway keeps two of them (gateway/app.py): one for ordinary requests and one for
long-polls, each with its own bounded pool, so that waiting polls never hold a connection an
ordinary request needs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import aiohttp
import httpx
import yarl

# Never forwarded in either direction (RFC 9110 section 7.6.1), plus what the gateway sets.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


def hop_by_hop(headers: list[tuple[str, str]]) -> frozenset[str]:
    """The fixed hop-by-hop set plus every header the message names in `Connection`."""
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == "connection"
        for token in value.split(",")
    }
    return HOP_BY_HOP | named


class UpstreamUnavailable(Exception):
    """The service could not be reached or did not answer in time."""


@dataclass
class UpstreamResponse:
    status: int
    headers: list[tuple[str, str]]
    body: AsyncIterator[bytes]
    # Gives the connection back (or closes it, if the body was not read to its end); safe to
    # call more than once, and whether or not the body was read.
    close: Callable[[], Awaitable[None]]


class Forwarder(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def forward(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: AsyncIterator[bytes] | bytes | None,
    ) -> UpstreamResponse: ...


# Seconds to wait for a connection (from the pool or a new one): past it, 503.
CONNECT_SECONDS = 2.0
# How long the gateway keeps an idle connection to a service for reuse. It must be shorter
# than the services' own keep-alive (libs/api/app.py's KEEP_ALIVE_SECONDS):
# otherwise a service closes an idle connection just as the gateway sends a request on it,
# and that request fails with "connection reset" (a 503 for a request nobody refused).
IDLE_SECONDS = 15.0
# An ordinary request's whole exchange; a long-poll's (the service answers one within its
# HALOPOS_PRINT_MAX_WAIT, 25 s, and a few seconds of leasing).
TIMEOUT_SECONDS = 30.0
LONG_POLL_TIMEOUT_SECONDS = 45.0


class AiohttpForwarder:
    def __init__(self, *, connections: int = 256, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self._connections = connections
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds, connect=CONNECT_SECONDS)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=self._connections, ttl_dns_cache=300, keepalive_timeout=IDLE_SECONDS
            ),
            timeout=self._timeout,
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Accept", "Content-Type"),
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def forward(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: AsyncIterator[bytes] | bytes | None,
    ) -> UpstreamResponse:
        assert self._session is not None, "start() the forwarder first"
        try:
            # encoded=True: forward the path byte for byte (yarl would otherwise requote it),
            # since the service checks the client's DPoP proof against that very path.
            response = await self._session.request(
                method,
                yarl.URL(url, encoded=True),
                headers=headers,
                data=body,
                allow_redirects=False,
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            raise UpstreamUnavailable(str(error)) from error

        async def stream() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.content.iter_any():
                    yield chunk
            finally:
                response.release()

        async def close() -> None:
            # A body not read to its end closes the connection instead of pooling it.
            response.release()

        return UpstreamResponse(
            status=response.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers],
            body=stream(),
            close=close,
        )


class HttpxForwarder:
    def __init__(self, *, connections: int = 256, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(
                max_connections=connections,
                max_keepalive_connections=connections,
                keepalive_expiry=IDLE_SECONDS,
            ),
            timeout=httpx.Timeout(timeout_seconds, connect=CONNECT_SECONDS, pool=CONNECT_SECONDS),
        )

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        await self._client.aclose()

    async def forward(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: AsyncIterator[bytes] | bytes | None,
    ) -> UpstreamResponse:
        request = self._client.build_request(method, url, headers=headers, content=body)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TransportError as error:
            raise UpstreamUnavailable(str(error)) from error

        async def stream() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.aiter_raw():
                    yield chunk
            finally:
                await response.aclose()

        return UpstreamResponse(
            status=response.status_code,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            body=stream(),
            close=response.aclose,
        )


def forwarder_from_name(
    name: str, *, connections: int = 256, timeout_seconds: float = TIMEOUT_SECONDS
) -> Forwarder:
    if name == "aiohttp":
        return AiohttpForwarder(connections=connections, timeout_seconds=timeout_seconds)
    if name == "httpx":
        return HttpxForwarder(connections=connections, timeout_seconds=timeout_seconds)
    raise ValueError(f"unknown gateway client {name!r}; use aiohttp or httpx")
